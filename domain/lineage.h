// Walking record references: shared by LineageService and the
// descends_from() filter function of List.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "batteryhub/v1/lineage_service.pb.h"
#include "core/cancellation.h"
#include "core/names.h"
#include "domain/hub_context.h"

namespace batteryhub {

// The kind of record a name denotes, from its collection; fills `*parsed`.
std::optional<storage::RecordKind> KindOfName(const std::string& name, RecordName* parsed);

struct LineageWalk {
  std::vector<batteryhub::v1::LineageEntry> entries;
  bool truncated = false;
};

// Breadth-first from `root` (which the caller must have checked), up through
// references or down through the reverse index, only through records `p`
// may see.
absl::StatusOr<LineageWalk> WalkLineage(const HubContext& hub, const Principal& p,
                                        const std::string& root, bool up, int max_depth,
                                        int max_entries, const CancelledFn& cancelled = nullptr);

}  // namespace batteryhub
