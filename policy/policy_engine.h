// The one place that decides who may see and change a record, and how much
// of it (DESIGN.md section 6). Every read path asks Decide before returning
// or counting a record and cuts the record with FieldPolicy::Redact; writes
// ask CanWrite / CanChangeAccess.
//
// A reader's tier is the widest of the routes that admit it at the hub's
// current time:
//   owner       its own institution: FULL, restricted fields included;
//   visibility  PUBLIC (anyone authenticated) or CONSORTIUM (members) at
//               access.tier (unspecified: FULL);
//   release     the same, once access.release.time has come;
//   agreements  VISIBILITY_AGREEMENT: each named agreement that is valid now,
//               has both owner and reader as members and covers the record's
//               kind and labels, at the agreement's tier;
//   grant       the reader's own grant once its start_time (embargo) has
//               passed, at the grant's tier; only grants open restricted
//               fields.
// Hub admins belong to no institution: they see what PUBLIC shows.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "batteryhub/v1/policy_service.pb.h"
#include "policy/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

using Tier = ::batteryhub::v1::Tier;

struct ReadDecision {
  // TIER_UNSPECIFIED: the record does not exist for this reader.
  Tier tier = ::batteryhub::v1::TIER_UNSPECIFIED;
  bool owner = false;
  // Sees the restricted fields.
  bool restricted = false;
  // Why (for CheckAccess): "owner", "visibility", "release",
  // "agreements/{id}", "grant".
  std::vector<std::string> routes;

  bool visible() const { return tier != ::batteryhub::v1::TIER_UNSPECIFIED; }
  bool AtLeast(Tier t) const { return tier >= t; }
  // Nothing to cut: the stored record is the reader's view.
  bool whole() const { return tier == ::batteryhub::v1::TIER_FULL && restricted && owner; }
};

// An agreement as the engine checks it.
struct AgreementRule {
  std::set<std::string> members;  // institution ids
  std::set<int> kinds;            // storage RecordKind values; empty: all
  std::map<std::string, std::string> labels;
  Tier tier = ::batteryhub::v1::TIER_UNSPECIFIED;
  int64_t start_micros = 0;
  int64_t end_micros = 0;  // 0: open
};

class PolicyEngine {
 public:
  using Clock = std::function<int64_t()>;

  // `clock` gives the hub's time in microseconds since the epoch (NowMicros
  // when null); embargoes and validity end by themselves against it.
  explicit PolicyEngine(std::set<std::string> member_institutions, Clock clock = nullptr);

  // What `p` sees of `record` now; with `why`, the routes are listed.
  ReadDecision Decide(const Principal& p, const storage::StoredRecord& record,
                      bool why = false) const;
  // As Decide, for a reader institution id ("" for admins).
  ReadDecision DecideFor(const std::string& institution, const storage::StoredRecord& record,
                         bool why = false) const;
  bool CanRead(const Principal& p, const storage::StoredRecord& record) const {
    return Decide(p, record).visible();
  }

  // Submitters (and up) of the owning institution.
  bool CanWrite(const Principal& p, const std::string& owner_institution_id) const;
  // Stewards of the owning institution.
  bool CanChangeAccess(const Principal& p, const std::string& owner_institution_id) const;

  bool IsMember(const std::string& institution_id) const { return members_.count(institution_id); }
  const std::set<std::string>& members() const { return members_; }

  // Replaces the agreements the engine knows (at start and after each
  // agreement change), by name.
  void SetAgreements(std::map<std::string, AgreementRule> rules);
  // The rule of `name`, if known.
  std::shared_ptr<const std::map<std::string, AgreementRule>> agreements() const;

  int64_t Now() const { return clock_(); }

 private:
  std::set<std::string> members_;
  Clock clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const std::map<std::string, AgreementRule>> agreements_;  // guarded by mu_
};

// The rule the engine applies for a stored agreement.
AgreementRule RuleOf(const ::batteryhub::v1::Agreement& agreement);

}  // namespace batteryhub
