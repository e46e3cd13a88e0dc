#include "services/policy_engine.h"

namespace batteryhub {

bool PolicyEngine::CanRead(const Principal& p, const storage::StoredRecord& record) const {
  if (!p.institution.empty() && record.owner() == p.InstitutionName()) return true;
  switch (record.access().visibility()) {
    case ::batteryhub::v1::VISIBILITY_PUBLIC: return true;
    case ::batteryhub::v1::VISIBILITY_CONSORTIUM: return IsMember(p.institution);
    default: return false;
  }
}

bool PolicyEngine::CanWrite(const Principal& p, const std::string& owner_institution_id) const {
  return !p.institution.empty() && p.institution == owner_institution_id &&
         p.AtLeast(::batteryhub::v1::ROLE_SUBMITTER);
}

}  // namespace batteryhub
