// The one place that decides who may see and change a record. Every read
// path asks CanRead before returning or counting a record.
#pragma once

#include <set>
#include <string>

#include "services/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

class PolicyEngine {
 public:
  explicit PolicyEngine(std::set<std::string> member_institutions)
      : members_(std::move(member_institutions)) {}

  // Owner: always. CONSORTIUM: principals of member institutions. PUBLIC:
  // any authenticated principal. PRIVATE (and anything else): owner only.
  bool CanRead(const Principal& p, const storage::StoredRecord& record) const;

  // Submitters (and up) of the owning institution.
  bool CanWrite(const Principal& p, const std::string& owner_institution_id) const;

  bool IsMember(const std::string& institution_id) const { return members_.count(institution_id); }
  const std::set<std::string>& members() const { return members_; }

 private:
  std::set<std::string> members_;
};

}  // namespace batteryhub
