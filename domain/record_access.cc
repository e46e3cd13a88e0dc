#include "domain/record_access.h"

#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/status_macros.h"

namespace batteryhub {

absl::Status NotVisibleOrDenied(const Principal& p, const RecordName& name,
                                absl::string_view noun) {
  if (!p.institution.empty() && p.institution == name.institution) {
    return WithReason(
        absl::NotFoundError(absl::StrCat(noun, " '", name.Name(), "' not found")), "NOT_FOUND");
  }
  return NotVisible(name.Name());
}

absl::Status RefuseReplica(const storage::StoredRecord& record) {
  if (record.origin_hub().empty()) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        record.name(), " is a replica from hub '", record.origin_hub(),
                        "': change it there; the next sync brings the change here")),
                    "READ_ONLY_REPLICA");
}

absl::Status RefuseWithdrawn(const storage::StoredRecord& record) {
  if (record.delete_time_micros() == 0) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        record.name(), " is withdrawn: a steward of its owner may restore it "
                                       "(Undelete) before it changes or takes new rows")),
                    "RECORD_WITHDRAWN");
}

absl::Status WriteDenied(const Principal& p, const RecordName& name) {
  if (p.institution != name.institution) return NotVisible(name.Name());
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        p.name, " (", RoleText(p.role), ") may not change ", name.Name(),
                        ": submitter or steward role needed")),
                    "WRITE_DENIED");
}

absl::StatusOr<storage::StoredRecord> LoadVisibleRecord(const HubContext& hub, const Principal& p,
                                                        storage::RecordKind kind,
                                                        const RecordName& name,
                                                        absl::string_view noun,
                                                        ReadDecision* decision, Tier min_tier) {
  absl::StatusOr<storage::StoredRecord> record = hub.store->Get(kind, name.Name());
  if (!record.ok() && !absl::IsNotFound(record.status())) return record.status();
  if (record.ok()) {
    ReadDecision d = hub.policy->Decide(p, *record);
    if (d.visible() && !d.AtLeast(min_tier)) {
      return WithReason(
          absl::PermissionDeniedError(absl::StrCat(
              p.InstitutionName(), " sees ", name.Name(), " at ",
              ::batteryhub::v1::Tier_Name(d.tier), "; this needs ",
              ::batteryhub::v1::Tier_Name(min_tier), " (ask its owner's steward for a grant)")),
          "TIER_TOO_LOW");
    }
    if (d.visible()) {
      if (decision != nullptr) *decision = std::move(d);
      return record;
    }
  }
  return NotVisibleOrDenied(p, name, noun);
}

absl::StatusOr<storage::StoredRecord> LoadWritableRecord(const HubContext& hub, const Principal& p,
                                                         storage::RecordKind kind,
                                                         const RecordName& name,
                                                         absl::string_view noun) {
  absl::StatusOr<storage::StoredRecord> record = LoadVisibleRecord(hub, p, kind, name, noun);
  if (record.ok() && !hub.policy->CanWrite(p, name.institution)) return WriteDenied(p, name);
  if (record.ok()) RETURN_IF_ERROR(RefuseReplica(*record));
  if (record.ok()) RETURN_IF_ERROR(RefuseWithdrawn(*record));
  return record;
}

}  // namespace batteryhub
