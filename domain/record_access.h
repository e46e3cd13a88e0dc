// Visibility answers shared by every service that reads or writes a record:
// one place decides, so a hidden record answers like a missing one (AIP-211)
// on every path.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "core/names.h"
#include "domain/hub_context.h"

namespace batteryhub {

// The caller's own institution learns NOT_FOUND (it could see the record);
// anyone else gets the one AIP-211 answer.
absl::Status NotVisibleOrDenied(const Principal& p, const RecordName& name, absl::string_view noun);

// FAILED_PRECONDITION for a replica (read-only: it changes at its origin).
absl::Status RefuseReplica(const storage::StoredRecord& record);
// FAILED_PRECONDITION for a withdrawn record (soft-deleted): it takes no
// update and no series rows until restored.
absl::Status RefuseWithdrawn(const storage::StoredRecord& record);

// A change by someone who may see but not change the record.
absl::Status WriteDenied(const Principal& p, const RecordName& name);

// The current revision if `p` may see it (at `min_tier` at least); otherwise
// the AIP-211 answer, or PERMISSION_DENIED when `p` sees the record at a
// lower tier. `decision`, when given, receives what `p` sees.
absl::StatusOr<storage::StoredRecord> LoadVisibleRecord(
    const HubContext& hub, const Principal& p, storage::RecordKind kind, const RecordName& name,
    absl::string_view noun, ReadDecision* decision = nullptr,
    Tier min_tier = ::batteryhub::v1::TIER_METADATA);

// As LoadVisibleRecord, and `p` may also change it.
absl::StatusOr<storage::StoredRecord> LoadWritableRecord(const HubContext& hub, const Principal& p,
                                                         storage::RecordKind kind,
                                                         const RecordName& name,
                                                         absl::string_view noun);

}  // namespace batteryhub
