// The origin's side of a change feed (SyncService.StreamChanges): which of
// this hub's records a caller is sent after a cursor, and where the next
// request continues. Two passes share one bound on the records looked at:
//
//   1. the ledger after `after.sequence`: records created, updated or whose
//      access changed since;
//   2. the openings index (keys.h, 'w') between `after.opened_until` and
//      now: records that opened to more readers by themselves since — an
//      embargo (grant start) ended, a release date passed, or an agreement
//      they name started or changed (expanded through index 'g').
//
// Each record is sent as the caller sees it at the time it is looked at
// (the PolicyEngine decides; the caller of StreamFeed cuts the view), so a
// record not visible then is skipped without a trace and looked at again
// when its next opening passes. Narrowing is not the feed's business: the
// sync job rechecks the replicas it holds (StreamChanges with `recheck`).
#pragma once

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "batteryhub/v1/sync_service.pb.h"
#include "domain/hub_context.h"
#include "policy/principal.h"

namespace batteryhub {

// How long an opening must lie in the past before the feed looks at it: an
// agreement change is stamped with its commit time before it is stored and
// before the engine reloads the agreements, so the feed leaves the newest
// seconds to its next request.
inline constexpr int64_t kOpeningSettleMicros = 5'000'000;

// Sends one visible record; `sequence` is its ledger change (0 when it is
// sent because it opened by time).
using EmitChange = std::function<absl::Status(
    const ReadDecision& d, const storage::StoredRecord& record, uint64_t sequence)>;

struct FeedBatch {
  ::batteryhub::v1::FeedCursor next;
  // Stopped at the bound with more to look at.
  bool more = false;
};

// Looks at up to `limit` records after `after` and emits those `p` sees.
absl::StatusOr<FeedBatch> StreamFeed(const HubContext& hub, const Principal& p,
                                     const ::batteryhub::v1::FeedCursor& after, int limit,
                                     const EmitChange& emit);

}  // namespace batteryhub
