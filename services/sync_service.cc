#include "services/sync_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "core/digest.h"
#include "core/errors.h"
#include "core/record_kinds.h"
#include "core/status_macros.h"
#include "core/version.h"
#include "domain/call_audit.h"
#include "domain/change_feed.h"
#include "services/record_calls.h"
#include "domain/record_stamp.h"
#include "domain/series_replication.h"
#include "storage/read_view.h"
#include "storage/series_store.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

constexpr int kDefaultChanges = 500;

// The feed cursor of the API and the position the store keeps are the same
// four fields in two formats.
storage::SyncPosition PositionOf(const v1::FeedCursor& c) {
  storage::SyncPosition p;
  p.set_sequence(c.sequence());
  p.set_opened_until_micros(c.opened_until_micros());
  p.set_resume_after(c.resume_after());
  p.set_resume_within(c.resume_within());
  return p;
}

v1::FeedCursor CursorOf(const storage::SyncPosition& p) {
  v1::FeedCursor c;
  c.set_sequence(p.sequence());
  c.set_opened_until_micros(p.opened_until_micros());
  c.set_resume_after(p.resume_after());
  c.set_resume_within(p.resume_within());
  return c;
}
constexpr int kMaxChanges = 5000;

void SetRecord(v1::ReplicaChange* c, v1::Sample r) { *c->mutable_sample() = std::move(r); }
void SetRecord(v1::ReplicaChange* c, v1::Characterization r) {
  *c->mutable_characterization() = std::move(r);
}
void SetRecord(v1::ReplicaChange* c, v1::CellTest r) { *c->mutable_cell_test() = std::move(r); }

// The record `c` carries if it is of the type of the second argument.
const v1::Sample* Carried(const v1::ReplicaChange& c, const v1::Sample*) {
  return c.has_sample() ? &c.sample() : nullptr;
}
const v1::Characterization* Carried(const v1::ReplicaChange& c, const v1::Characterization*) {
  return c.has_characterization() ? &c.characterization() : nullptr;
}
const v1::CellTest* Carried(const v1::ReplicaChange& c, const v1::CellTest*) {
  return c.has_cell_test() ? &c.cell_test() : nullptr;
}

absl::Status AdminOnly(const Principal& p, absl::string_view what) {
  if (p.AtLeast(v1::ROLE_ADMIN)) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        p.name, " may not ", what, ": the sync job runs as the hub's admin")),
                    "ADMIN_ONLY");
}

// The stored form of a replica of `r` sent in `c`: visible at this hub to
// the institution the view was cut for alone, at the view's tier.
template <typename Resource>
storage::StoredRecord ReplicaRecord(storage::RecordKind kind, const v1::ReplicaChange& c,
                                    const Resource& r) {
  storage::StoredRecord s;
  s.set_kind(kind);
  s.set_name(c.name());
  s.set_owner(r.owner());
  s.mutable_access()->set_visibility(v1::VISIBILITY_PRIVATE);
  v1::Grant* g = s.mutable_access()->add_grants();
  g->set_institution(c.reader_institution());
  g->set_tier(c.tier());
  g->set_restricted_fields(c.restricted_fields());
  s.set_revision(c.revision());
  s.set_content_digest(c.view_digest());
  StoreResource(r, &s);
  s.set_create_time_micros(TimeUtil::TimestampToMicroseconds(r.create_time()));
  s.set_update_time_micros(TimeUtil::TimestampToMicroseconds(r.update_time()));
  s.set_origin_hub(c.origin_hub());
  return s;
}

// Checks change `c` (field `field`) and appends its replica write.
template <typename Resource>
void AddReplica(storage::RecordKind kind, const v1::ReplicaChange& c, const Resource& r,
                const ServiceContext& hub, const std::string& field, Violations* v,
                std::vector<storage::ReplicaWrite>* writes) {
  if (r.name() != c.name()) {
    v->Add(field + ".name", "does not name the record sent");
    return;
  }
  if (ContentDigest(r) != c.view_digest()) {
    v->Add(field + ".view_digest",
           absl::StrCat("does not match the content of ", c.name(), ": the replica is refused"));
    return;
  }
  if (!hub.policy->IsMember(InstitutionIdOf(c.reader_institution()))) {
    v->Add(field + ".reader_institution", "is not a member institution of this hub");
  }
  if (!v1::Tier_IsValid(c.tier()) || c.tier() == v1::TIER_UNSPECIFIED) {
    v->Add(field + ".tier", "must be TIER_METADATA, TIER_SUMMARY or TIER_FULL");
  }
  writes->push_back({ReplicaRecord(kind, c, r), false});
}

// A cell-test replica with rows at its tier whose series is not stored here
// complete at its revision.
absl::StatusOr<bool> SeriesPending(const storage::SeriesStore& series,
                                   const storage::StoredRecord& replica) {
  if (replica.kind() != storage::v1::RECORD_KIND_CELL_TEST) return false;
  v1::CellTest test;
  if (!test.ParseFromString(replica.resource()) || test.series().row_count() == 0) return false;
  ASSIGN_OR_RETURN(uint64_t complete, series.ReplicaSeriesRevision(replica.name()));
  return complete != replica.revision();
}

}  // namespace

absl::StatusOr<v1::ReplicaChange> SyncServiceImpl::ChangeOf(const Principal& p,
                                                           const ReadDecision& d,
                                                           const storage::StoredRecord& record,
                                                           uint64_t seq) const {
  v1::ReplicaChange c;
  c.set_sequence(seq);
  c.set_origin_hub(hub_.config->hub_id);
  c.set_name(record.name());
  c.set_revision(record.revision());
  c.set_reader_institution(p.InstitutionName());
  c.set_tier(d.tier);
  c.set_restricted_fields(d.restricted);
  RETURN_IF_ERROR(handlers_.Visit(record.kind(), [&](const auto& handler) -> absl::Status {
    ASSIGN_OR_RETURN(auto view, handler.View(p, d, record));
    c.set_view_digest(ContentDigest(view));
    SetRecord(&c, std::move(view));
    return absl::OkStatus();
  }));
  return c;
}

grpc::Status SyncServiceImpl::StreamChanges(grpc::ServerContext* ctx,
                                            const v1::StreamChangesRequest* r,
                                            grpc::ServerWriter<v1::ReplicaChange>* writer) {
  return RunStreamCall(hub_, ctx, "StreamChanges", "changes", [&](const Principal& p) -> absl::Status {
    auto send = [&](const v1::ReplicaChange& c) -> absl::Status {
      if (!WriteMessage(writer, c)) return absl::CancelledError("the caller went away");
      return absl::OkStatus();
    };
    if (r->recheck_size() + r->held_size() > kMaxChanges) {
      return InvalidField(r->held_size() > 0 ? "held" : "recheck",
                          absl::StrCat("at most ", kMaxChanges, " names"));
    }
    // A replica the caller holds, as it sees the record now, or withdrawn;
    // nothing when `held` says it holds that view already.
    auto recheck = [&](const std::string& name, const v1::HeldReplica* held,
                       const std::string& field) -> absl::Status {
      RecordName parsed;
      std::optional<storage::RecordKind> kind = KindOfName(name, &parsed);
      if (!kind) return InvalidField(field, absl::StrCat("'", name, "' is not a record name"));
      absl::StatusOr<storage::StoredRecord> record = hub_.store->Get(*kind, name);
      if (!record.ok() && !absl::IsNotFound(record.status())) return record.status();
      ReadDecision d;
      if (record.ok() && record->origin_hub().empty()) d = hub_.policy->Decide(p, *record);
      if (!d.visible()) {
        v1::ReplicaChange gone;
        gone.set_origin_hub(hub_.config->hub_id);
        gone.set_name(name);
        gone.set_withdrawn(true);
        return send(gone);
      }
      // The view is a function of the revision, the tier and the restricted flag.
      if (held != nullptr && held->revision() == record->revision() && held->tier() == d.tier &&
          held->restricted_fields() == d.restricted) {
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(v1::ReplicaChange c, ChangeOf(p, d, *record, 0));
      return send(c);
    };
    for (const std::string& name : r->recheck()) RETURN_IF_ERROR(recheck(name, nullptr, "recheck"));
    for (const v1::HeldReplica& h : r->held()) RETURN_IF_ERROR(recheck(h.name(), &h, "held"));
    if (r->recheck_size() + r->held_size() > 0) return absl::OkStatus();
    if (r->max_changes() < 0) return InvalidField("max_changes", "must be >= 0");
    const int limit = r->max_changes() == 0 ? kDefaultChanges : std::min(r->max_changes(), kMaxChanges);
    v1::FeedCursor after = r->after();
    if (!r->has_after()) after.set_sequence(r->after_sequence());
    ASSIGN_OR_RETURN(FeedBatch batch,
                     StreamFeed(hub_, p, after, limit,
                                [&](const ReadDecision& d, const storage::StoredRecord& record,
                                    uint64_t sequence) -> absl::Status {
                                  ASSIGN_OR_RETURN(v1::ReplicaChange c,
                                                   ChangeOf(p, d, record, sequence));
                                  return send(c);
                                }));
    v1::ReplicaChange mark;
    mark.set_origin_hub(hub_.config->hub_id);
    mark.set_sequence(batch.next.sequence());
    *mark.mutable_next() = std::move(batch.next);
    mark.set_more(batch.more);
    return send(mark);
  });
}

grpc::Status SyncServiceImpl::GetHubInfo(grpc::ServerContext* c, const v1::GetHubInfoRequest*,
                                         v1::HubInfo* out) {
  return RunCall(hub_, *c, "GetHubInfo", "", [&](const Principal& p) {
    out->set_hub_id(hub_.config->hub_id);
    out->set_version(kVersion);
    // How many changes the hub holds tells how many a partner cannot see:
    // the admin's alone.
    if (p.role == v1::ROLE_ADMIN) out->set_last_sequence(hub_.store->LastSequence());
    return absl::OkStatus();
  });
}

grpc::Status SyncServiceImpl::ApplyChanges(grpc::ServerContext* ctx,
                                           const v1::ApplyChangesRequest* r,
                                           v1::ApplyChangesResponse* out) {
  return RunCall(hub_, *ctx, "ApplyChanges", r->origin_hub(), [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AdminOnly(p, "apply replicas"));
    if (!IsValidId(r->origin_hub())) {
      return InvalidField("origin_hub", "must be the origin hub's id ([a-z0-9-])");
    }
    if (r->origin_hub() == hub_.config->hub_id) {
      return InvalidField("origin_hub", "is this hub: a hub never takes its own records back");
    }
    Violations v;
    std::vector<storage::ReplicaWrite> writes;
    for (int i = 0; i < r->changes_size(); ++i) {
      const v1::ReplicaChange& c = r->changes(i);
      const std::string field = absl::StrCat("changes[", i, "]");
      if (c.name().empty()) continue;  // a cursor mark
      if (c.origin_hub() != r->origin_hub()) {
        v.Add(field + ".origin_hub", "differs from the request's origin_hub");
        continue;
      }
      RecordName parsed;
      std::optional<storage::RecordKind> kind = KindOfName(c.name(), &parsed);
      if (!kind) {
        v.Add(field + ".name", absl::StrCat("'", c.name(), "' is not a record name"));
        continue;
      }
      if (c.withdrawn()) {
        storage::StoredRecord gone;
        gone.set_kind(*kind);
        gone.set_name(c.name());
        writes.push_back({std::move(gone), true});
        continue;
      }
      bool carried = false;
      RETURN_IF_ERROR(handlers_.Visit(*kind, [&](const auto& handler) {
        using Resource = typename std::decay_t<decltype(handler)>::Resource;
        if (const Resource* r = Carried(c, static_cast<const Resource*>(nullptr))) {
          AddReplica(*kind, c, *r, hub_, field, &v, &writes);
          carried = true;
        }
      }));
      if (!carried) v.Add(field, "carries no record of the kind its name says");
    }
    RETURN_IF_ERROR(v.ToStatus("changes"));
    storage::SyncPosition position = PositionOf(r->feed_cursor());
    if (!r->has_feed_cursor()) position.set_sequence(r->cursor());
    ASSIGN_OR_RETURN(storage::ReplicaOutcome outcome,
                     hub_.store->ApplyReplicas(r->origin_hub(), writes, position,
                                               CallAudit::ForCommit()));
    CallAudit::Committed();
    out->set_applied(outcome.applied);
    out->set_unchanged(outcome.unchanged);
    out->set_withdrawn(outcome.withdrawn);
    storage::SeriesStore series(hub_.store);
    for (const storage::ReplicaWrite& w : writes) {
      if (w.withdraw || w.record.kind() != storage::v1::RECORD_KIND_CELL_TEST) continue;
      absl::StatusOr<storage::StoredRecord> stored = hub_.store->Get(w.record.kind(), w.record.name());
      if (!stored.ok()) continue;  // a later change of the batch withdrew it
      ASSIGN_OR_RETURN(bool pending, SeriesPending(series, *stored));
      if (pending) out->add_needs_series(w.record.name());
    }
    ASSIGN_OR_RETURN(storage::SyncPosition cursor, hub_.store->SyncCursor(r->origin_hub()));
    out->set_cursor(cursor.sequence());
    return absl::OkStatus();
  });
}

grpc::Status SyncServiceImpl::StreamSeries(grpc::ServerContext* ctx,
                                           const v1::StreamSeriesRequest* r,
                                           grpc::ServerWriter<v1::SeriesBlocks>* writer) {
  return RunStreamCall(hub_, ctx, "StreamSeries", r->name(), [&](const Principal& p) {
    return ::batteryhub::StreamSeries(hub_, p, r->name(), [writer](const v1::SeriesBlocks& blocks) {
      return WriteMessage(writer, blocks);
    });
  });
}

grpc::Status SyncServiceImpl::ApplySeries(grpc::ServerContext* ctx,
                                          grpc::ServerReader<v1::ApplySeriesRequest>* reader,
                                          v1::ApplySeriesResponse* out) {
  // The caller is authenticated and admitted before its first message is
  // read: an anonymous or refused stream holds no thread.
  return RunStreamCall(hub_, ctx, "ApplySeries", "", [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AdminOnly(p, "apply replicas"));
    return ::batteryhub::ApplySeries(
        hub_, [reader](v1::ApplySeriesRequest* m) { return ReadMessage(reader, m); }, out);
  });
}

grpc::Status SyncServiceImpl::GetSyncCursor(grpc::ServerContext* c,
                                            const v1::GetSyncCursorRequest* r,
                                            v1::SyncCursor* out) {
  return RunCall(hub_, *c, "GetSyncCursor", r->origin_hub(), [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AdminOnly(p, "read sync cursors"));
    out->set_origin_hub(r->origin_hub());
    ASSIGN_OR_RETURN(storage::SyncPosition position, hub_.store->SyncCursor(r->origin_hub()));
    *out->mutable_feed_cursor() = CursorOf(position);
    out->set_sequence(out->feed_cursor().sequence());
    if (!r->with_replicas()) return absl::OkStatus();
    std::unique_ptr<storage::ReadView> view = hub_.store->View();
    storage::SeriesStore series(hub_.store);
    absl::Status status;
    for (storage::RecordKind kind : DataRecordKinds()) {
      RETURN_IF_ERROR(view->ForEachRecord(kind, [&](const storage::StoredRecord& record) {
        if (record.origin_hub() != r->origin_hub()) return true;
        out->add_replicas(record.name());
        v1::HeldReplica* h = out->add_held();
        h->set_name(record.name());
        h->set_revision(record.revision());
        // As ReplicaRecord stores it: one grant, to the reader it was cut for.
        if (record.access().grants_size() > 0) {
          h->set_tier(record.access().grants(0).tier());
          h->set_restricted_fields(record.access().grants(0).restricted_fields());
        }
        absl::StatusOr<bool> pending = SeriesPending(series, record);
        if (!pending.ok()) {
          status = pending.status();
          return false;
        }
        h->set_series_pending(*pending);
        return true;
      }));
      RETURN_IF_ERROR(status);
    }
    return absl::OkStatus();
  });
}

}  // namespace batteryhub
