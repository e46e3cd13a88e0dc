#include "domain/ledger_verifier.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "batteryhub/v1/policy_service.pb.h"
#include "core/digest.h"
#include "core/record_kinds.h"
#include "core/status_macros.h"
#include "storage/series_store.h"

namespace batteryhub {
namespace {

// The content digest of a stored revision, recomputed from its resource.
absl::StatusOr<std::string> RecordDigest(const storage::StoredRecord& record) {
  const RecordKindInfo* info = FindRecordKind(record.kind());
  if (info == nullptr) return absl::DataLossError("unknown record kind");
  std::unique_ptr<google::protobuf::Message> r(info->prototype->New());
  if (!r->ParseFromString(record.resource())) return absl::DataLossError("unparsable revision");
  return ContentDigest(*r);
}

}  // namespace

absl::StatusOr<batteryhub::v1::LedgerReport> VerifyHub(const HubContext& hub) {
  batteryhub::v1::LedgerReport out;
  ASSIGN_OR_RETURN(storage::LedgerReport ledger, hub.store->VerifyLedger(RecordDigest));
  out.set_entries(ledger.entries);
  out.set_revisions_checked(ledger.revisions_checked);
  out.set_first_break(ledger.first_break);
  out.set_last_sequence(hub.store->LastSequence());
  ASSIGN_OR_RETURN(auto audit, hub.store->VerifyAudit());
  out.set_audit_entries(audit.first);
  out.set_audit_first_break(audit.second);
  if (!ledger.first_break.empty()) return out;
  std::unique_ptr<storage::ReadView> view = hub.store->View();
  // Replicas take no ledger entry here: each is checked against the digest
  // of the view its origin sent.
  for (storage::RecordKind kind : DataRecordKinds()) {
    RETURN_IF_ERROR(view->ForEachRecord(kind, [&](const storage::StoredRecord& record) {
      if (record.origin_hub().empty()) return true;
      absl::StatusOr<std::string> digest = RecordDigest(record);
      out.set_replicas_checked(out.replicas_checked() + 1);
      if (digest.ok() && *digest == record.content_digest()) return true;
      out.set_first_break(absl::StrCat(record.name(), "@", record.revision(), " (replica from ",
                                       record.origin_hub(), "): does not match its digest"));
      return false;
    }));
    if (!out.first_break().empty()) return out;
  }
  storage::SeriesStore series(hub.store);
  absl::Status status;
  RETURN_IF_ERROR(view->ForEachRecord(
      storage::v1::RECORD_KIND_CELL_TEST, [&](const storage::StoredRecord& record) {
        batteryhub::v1::CellTest test;
        if (!test.ParseFromString(record.resource())) {
          out.set_first_break(absl::StrCat(record.name(), ": unparsable"));
          return false;
        }
        if (test.series().row_count() == 0) return true;
        if (!record.origin_hub().empty()) {
          // A replica's series is checked once it is stored complete.
          absl::StatusOr<uint64_t> complete = series.ReplicaSeriesRevision(record.name());
          if (!complete.ok()) status = complete.status();
          if (!complete.ok() || *complete != record.revision()) return complete.ok();
        }
        absl::StatusOr<std::string> digest = series.SeriesDigest(
            storage::SeriesIdOf(test), test.series().row_count());
        if (!digest.ok()) {
          status = digest.status();
          return false;
        }
        out.set_series_checked(out.series_checked() + 1);
        if (*digest == test.series().digest()) return true;
        out.set_first_break(absl::StrCat(record.name(), "@", record.revision(),
                                         ": stored series does not match its digest"));
        return false;
      }));
  RETURN_IF_ERROR(status);
  return out;
}

}  // namespace batteryhub
