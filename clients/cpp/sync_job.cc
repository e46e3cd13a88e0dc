#include "clients/cpp/sync_job.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace batteryhub::client {
namespace {

namespace v1 = ::batteryhub::v1;

// Copies the series of replica `name` from the peer into the local hub: the
// peer's stream is read on a second thread into a small queue the local
// stream drains, so neither waits for the whole series.
grpc::Status CopySeries(HubClient& peer, HubClient& local, const std::string& origin,
                        const std::string& name, SyncSummary* summary) {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<v1::SeriesBlocks> queue;
  bool done = false, cancelled = false;
  grpc::Status read_status;
  std::thread reader([&] {
    read_status = peer.StreamSeries(name, [&](v1::SeriesBlocks& blocks) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return queue.size() < 8 || cancelled; });
      if (cancelled) return false;
      queue.push_back(std::move(blocks));
      cv.notify_all();
      return true;
    });
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_all();
  });
  v1::ApplySeriesResponse resp;
  grpc::Status s = local.ApplySeries(origin, name, [&](v1::SeriesBlocks* out) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return !queue.empty() || done; });
    if (queue.empty()) return false;
    *out = std::move(queue.front());
    queue.pop_front();
    cv.notify_all();
    return !(queue.empty() && done);
  }, &resp);
  {
    std::lock_guard<std::mutex> lock(mu);
    cancelled = true;
    cv.notify_all();
  }
  reader.join();
  if (!read_status.ok()) return read_status;
  if (!s.ok()) return s;
  ++summary->series;
  summary->rows += resp.rows();
  summary->bytes += resp.bytes();
  return grpc::Status::OK;
}

grpc::Status Apply(HubClient& peer, HubClient& local, const std::string& origin,
                   std::vector<v1::ReplicaChange> changes, const v1::FeedCursor& cursor,
                   SyncSummary* summary) {
  v1::ApplyChangesRequest req;
  req.set_origin_hub(origin);
  req.set_cursor(cursor.sequence());
  *req.mutable_feed_cursor() = cursor;
  for (auto& c : changes) {
    summary->bytes += static_cast<int64_t>(c.ByteSizeLong());
    *req.add_changes() = std::move(c);
  }
  v1::ApplyChangesResponse resp;
  grpc::Status s = local.ApplyChanges(req, &resp);
  if (!s.ok()) return s;
  summary->applied += resp.applied();
  summary->unchanged += resp.unchanged();
  summary->withdrawn += resp.withdrawn();
  summary->cursor_after = resp.cursor();
  for (const std::string& name : resp.needs_series()) {
    // A stream cut short is copied again from its start.
    s = RetryUnavailable(local.options(),
                         [&] { return CopySeries(peer, local, origin, name, summary); });
    if (!s.ok()) return s;
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status SyncOnce(HubClient& peer, HubClient& local, const SyncOptions& o,
                      SyncSummary* summary) {
  const auto start = std::chrono::steady_clock::now();
  v1::HubInfo info;
  grpc::Status s = peer.GetHubInfo(&info);
  if (!s.ok()) return s;
  summary->origin_hub = info.hub_id();
  v1::GetSyncCursorRequest cq;
  cq.set_origin_hub(info.hub_id());
  cq.set_with_replicas(true);
  v1::SyncCursor cursor;
  s = local.GetSyncCursor(cq, &cursor);
  if (!s.ok()) return s;
  summary->cursor_before = summary->cursor_after = cursor.sequence();

  // Replicas held before this run: rechecked at the origin in batches; only
  // those whose view changed or that are withdrawn come back. One whose
  // series is still pending is asked for whole, so that ApplyChanges lists
  // it for copying again.
  const std::vector<v1::HeldReplica> held(cursor.held().begin(), cursor.held().end());
  for (size_t i = 0; i < held.size(); i += static_cast<size_t>(o.batch)) {
    v1::StreamChangesRequest req;
    for (size_t k = i; k < std::min(held.size(), i + o.batch); ++k) {
      if (held[k].series_pending()) req.add_recheck(held[k].name());
      else *req.add_held() = held[k];
    }
    std::vector<v1::ReplicaChange> changes;
    s = peer.StreamChanges(req, &changes);
    if (!s.ok()) return s;
    if (changes.empty()) continue;
    s = Apply(peer, local, info.hub_id(), std::move(changes), cursor.feed_cursor(), summary);
    if (!s.ok()) return s;
  }
  // The feed, from the cursor (or, for a full pass, the start) until the
  // origin says it has nothing further: its changes since, and the records
  // that opened to us by time since.
  v1::FeedCursor at = o.full ? v1::FeedCursor() : cursor.feed_cursor();
  for (bool more = true; more;) {
    v1::StreamChangesRequest req;
    *req.mutable_after() = at;
    req.set_after_sequence(at.sequence());
    req.set_max_changes(o.batch);
    std::vector<v1::ReplicaChange> changes;
    s = peer.StreamChanges(req, &changes);
    if (!s.ok()) return s;
    if (changes.empty() || !changes.back().name().empty()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "the origin's feed ended without its cursor message");
    }
    at = changes.back().next();
    more = changes.back().more();
    s = Apply(peer, local, info.hub_id(), std::move(changes), at, summary);
    if (!s.ok()) return s;
  }
  summary->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return grpc::Status::OK;
}

}  // namespace batteryhub::client
