#include "domain/change_feed.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "core/record_kinds.h"
#include "core/status_macros.h"
#include "storage/index_walks.h"
#include "storage/read_view.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

bool IsDataKind(storage::RecordKind kind) { return IsDataRecordKind(kind); }

// One StreamFeed call: the records sent so far and the bound left.
class FeedWalk {
 public:
  FeedWalk(const HubContext& hub, const Principal& p, int limit, const EmitChange& emit)
      : hub_(hub), p_(p), left_(limit), emit_(emit) {}

  bool exhausted() const { return left_ <= 0; }

  // Looks at record `name` of `kind` as `view` holds it: a data record this
  // hub committed that `p` sees now is emitted, at most once per call.
  absl::Status Look(const storage::ReadView& view, storage::RecordKind kind,
                    const std::string& name, uint64_t sequence) {
    --left_;
    if (!IsDataKind(kind)) return absl::OkStatus();  // agreements, defaults
    ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> record, view.Record(kind, name));
    if (!record || !record->origin_hub().empty()) return absl::OkStatus();
    const ReadDecision d = hub_.policy->Decide(p_, *record);
    if (!d.visible() || !sent_.insert(name).second) return absl::OkStatus();
    return emit_(d, *record, sequence);
  }

  // Pass 1: the ledger after `after`; false when it stopped at the bound.
  absl::StatusOr<bool> Ledger(uint64_t after, uint64_t* next) {
    const int limit = left_;
    ASSIGN_OR_RETURN(std::vector<storage::ChangeEntry> entries,
                     hub_.store->ReadChanges(after, limit));
    std::unique_ptr<storage::ReadView> view = hub_.store->View();
    // A record changed several times in the batch is looked at once, at its
    // last change.
    std::map<std::string, uint64_t> last;
    for (const auto& e : entries) last[e.name()] = e.sequence();
    for (const auto& e : entries) {
      if (last[e.name()] != e.sequence()) {
        --left_;
        continue;
      }
      RETURN_IF_ERROR(Look(*view, e.kind(), e.name(), e.sequence()));
    }
    if (!entries.empty()) *next = entries.back().sequence();
    return static_cast<int>(entries.size()) < limit;
  }

  // Pass 2: openings in (cursor->opened_until, until], resuming inside the
  // window where `cursor` says; moves `cursor` along. False when it stopped
  // at the bound.
  absl::StatusOr<bool> Openings(int64_t until, v1::FeedCursor* cursor) {
    std::unique_ptr<storage::ReadView> view = hub_.store->View();
    storage::OpeningsWalk c(*view, cursor->opened_until_micros(), until);
    const std::string resume_after = cursor->resume_after();
    const std::string resume_within = cursor->resume_within();
    for (c.Resume(resume_after); c.Valid(); c.Next()) {
      const std::string position = c.position();
      int64_t micros = 0;
      storage::IndexedRecord opening;
      RETURN_IF_ERROR(c.Current(&micros, &opening));
      const bool resuming = position == resume_after;
      if (resuming && resume_within.empty()) continue;  // done by an earlier request
      if (opening.kind != storage::v1::RECORD_KIND_AGREEMENT) {
        if (exhausted()) return false;
        RETURN_IF_ERROR(Look(*view, opening.kind, opening.name, 0));
      } else {
        // The records naming the agreement.
        storage::AgreementRecordsWalk in(*view, opening.name);
        for (in.ResumeAfter(resuming ? resume_within : ""); in.Valid(); in.Next()) {
          if (exhausted()) return false;
          storage::IndexedRecord record;
          RETURN_IF_ERROR(in.Current(&record));
          RETURN_IF_ERROR(Look(*view, record.kind, record.name, 0));
          cursor->set_resume_after(position);
          cursor->set_resume_within(in.position());
        }
        RETURN_IF_ERROR(in.status());
      }
      cursor->set_resume_after(position);
      cursor->clear_resume_within();
    }
    RETURN_IF_ERROR(c.status());
    return true;
  }

 private:
  const HubContext& hub_;
  const Principal& p_;
  int left_;
  const EmitChange& emit_;
  std::set<std::string> sent_;
};

// Openings looked at up to `until`, none beyond.
void OpenedUntil(int64_t until, v1::FeedCursor* cursor) {
  cursor->set_opened_until_micros(until);
  cursor->clear_resume_after();
  cursor->clear_resume_within();
}

}  // namespace

absl::StatusOr<FeedBatch> StreamFeed(const HubContext& hub, const Principal& p,
                                     const v1::FeedCursor& after, int limit,
                                     const EmitChange& emit) {
  // Openings up to here are looked at now, by a decision taken after it.
  const int64_t until = hub.policy->Now() - kOpeningSettleMicros;
  FeedBatch batch;
  batch.next = after;
  if (after.opened_until_micros() == 0) {
    // From the start: every record the ledger pass looks at is decided now,
    // so only openings after now can change what it sees.
    OpenedUntil(until, &batch.next);
  }
  FeedWalk walk(hub, p, limit, emit);
  uint64_t sequence = after.sequence();
  ASSIGN_OR_RETURN(bool ledger_done, walk.Ledger(after.sequence(), &sequence));
  batch.next.set_sequence(sequence);
  if (!ledger_done || walk.exhausted()) {
    batch.more = true;
    return batch;
  }
  if (batch.next.opened_until_micros() >= until) return batch;
  ASSIGN_OR_RETURN(bool openings_done, walk.Openings(until, &batch.next));
  if (!openings_done) {
    batch.more = true;
    return batch;
  }
  OpenedUntil(until, &batch.next);
  return batch;
}

}  // namespace batteryhub
