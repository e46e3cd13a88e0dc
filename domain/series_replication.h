// The series half of the sync, with no transport: the origin streams a cell
// test's series and the raw files it names as typed blocks (StreamSeries);
// the local hub stores them for its replica (ApplySeries), only where the
// replica's series says they belong and only if they add up to the digest
// the replica carries (storage/series_transfer.h).
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "batteryhub/v1/sync_service.pb.h"
#include "domain/hub_context.h"
#include "domain/series_ingest.h"

namespace batteryhub {

// Origin side: the current series of `name` (FULL tier for `p`; a replica is
// never sent on), in messages of about 1 MiB; `send` returns false when the
// caller went away (CANCELLED).
absl::Status StreamSeries(const HubContext& hub, const Principal& p, const std::string& name,
                          const std::function<bool(const v1::SeriesBlocks&)>& send);

// Local side (the caller is a hub admin): the first message names the
// replica; every message may carry blocks.
absl::Status ApplySeries(const HubContext& hub, const MessageSource<v1::ApplySeriesRequest>& next,
                         v1::ApplySeriesResponse* out);

}  // namespace batteryhub
