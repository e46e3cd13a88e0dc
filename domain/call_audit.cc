#include "domain/call_audit.h"

#include "domain/rate_limit.h"

namespace batteryhub {
namespace {

thread_local CallAudit* current = nullptr;

}  // namespace

bool CallAudit::AnonymousEntryAllowed() {
  static RateLimit* limit = new RateLimit(100, 1000);
  return limit->Allow();
}

bool IsRefusal(const absl::Status& status) {
  return absl::IsPermissionDenied(status) || absl::IsUnauthenticated(status);
}

CallAudit::CallAudit(storage::RecordStore* store, const char* method, const std::string& resource)
    : store_(store), previous_(current) {
  entry_.set_method(method);
  entry_.set_resource(resource);
  current = this;
}

CallAudit::~CallAudit() { current = previous_; }

void CallAudit::SetCaller(const Principal& p) {
  entry_.set_principal(p.name);
  entry_.set_institution(p.institution);
}

absl::Status CallAudit::Finish(const absl::Status& status) {
  if (committed_) return absl::OkStatus();
  entry_.set_allowed(!IsRefusal(status));
  entry_.set_code(static_cast<int>(status.code()));
  return store_->AppendAudit(entry_);
}

std::optional<storage::AuditEntry> CallAudit::ForCommit() {
  if (current == nullptr) return std::nullopt;
  storage::AuditEntry entry = current->entry_;
  entry.set_allowed(true);
  entry.set_code(0);
  return entry;
}

void CallAudit::Committed() {
  if (current != nullptr) current->committed_ = true;
}

absl::StatusOr<storage::CommitResult> CommitAudited(storage::RecordStore* store,
                                                    storage::Mutation m,
                                                    const storage::RevisionBuilder& build) {
  m.audit = CallAudit::ForCommit();
  absl::StatusOr<storage::CommitResult> result = store->Commit(m, build);
  // A replayed request wrote nothing, its entry included.
  if (result.ok() && !result->replayed) CallAudit::Committed();
  return result;
}

}  // namespace batteryhub
