// The audit entry of the call being served on this thread. RunCall opens
// one per call; a commit made during the call carries it (ForCommit), so
// the entry is written in the same WriteBatch as the change it describes;
// a call that committed nothing (reads, refusals, failures) has its entry
// appended on its own when it ends.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "policy/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

class CallAudit {
 public:
  CallAudit(storage::RecordStore* store, const char* method, const std::string& resource);
  ~CallAudit();
  CallAudit(const CallAudit&) = delete;
  CallAudit& operator=(const CallAudit&) = delete;

  void SetCaller(const Principal& p);
  // Appends the entry unless a commit carried it. An error here fails the
  // call: nothing is served unaudited.
  absl::Status Finish(const absl::Status& status);
  // Ends the call without an entry (an anonymous refusal over the rate).
  void Skip() { committed_ = true; }
  // Whether an unauthenticated call may leave an entry now: at most 100 a
  // second on the whole hub process (bursts of 1,000).
  static bool AnonymousEntryAllowed();

  // The entry a commit of the current call should carry (nullopt outside a
  // call); mark it with Committed() once the commit succeeded.
  static std::optional<storage::AuditEntry> ForCommit();
  static void Committed();

 private:
  storage::RecordStore* store_;
  storage::AuditEntry entry_;
  bool committed_ = false;
  CallAudit* previous_;
};

// Commits `m` carrying the current call's audit entry (see CallAudit).
absl::StatusOr<storage::CommitResult> CommitAudited(storage::RecordStore* store,
                                                    storage::Mutation m,
                                                    const storage::RevisionBuilder& build);

// Whether a call ending with `status` was refused (a deny in the trail).
bool IsRefusal(const absl::Status& status);

}  // namespace batteryhub
