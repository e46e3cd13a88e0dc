// How a List is answered.
//
// The filter's top-level AND terms that an index can serve narrow what is
// read: `owner` (and the parent) bound the record names; equalities on
// labels and indexed fields are index prefixes whose keys end in the record
// name; comparisons on numeric indexed fields and on create/update time are
// key ranges; descends_from() calls are name sets computed beforehand.
//
// Name order (the default):
//   - with only equalities, the walk is their intersection in name order
//     (storage/index_join.h), reading about min(size) x terms index keys;
//   - with ranges or name sets, one cursor per term is stepped in lockstep
//     until the first runs out: that term is the most selective, and what
//     it holds (read once, sorted) drives the walk when it is a range or a
//     set, the intersection of equalities otherwise. Lockstep costs at most
//     terms x (smallest size) keys, and ranges are read only up to a cap;
//   - with nothing indexable, the records of the parent are scanned.
// Order by time or an indexed field: when some term holds at most kSortCap
// records, they are gathered and sorted; otherwise the order's own index
// is walked (bounded by a range on the same field) and the terms are point
// lookups in the index.
//
// Whatever drives the walk, each candidate is then checked against the
// terms not yet applied, read, checked by the policy (so a hidden record
// is never counted toward a page) and by the whole filter. The page token
// holds the position of the last record returned (its name, or its key in
// the order's index): the next page re-plans and resumes strictly after
// it, so pages neither repeat nor skip records that existed when the first
// page was read, whatever is written in between.
#include "query/list_query.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "policy/field_policy.h"
#include "query/list_plan.h"
#include "storage/index_join.h"
#include "storage/read_view.h"

namespace batteryhub {
namespace {

using storage::ColumnFamily;
using storage::IndexTag;
using storage::KeyCursor;
using storage::ReadView;
using storage::StoredRecord;
using query_plan::Narrow;
using query_plan::Narrowing;
using query_plan::Order;
using query_plan::OrderKey;
using query_plan::ParseOrderBy;
using query_plan::Passes;
using query_plan::RecordCheck;

// Index keys a range may hold to drive a name-ordered walk (or filter
// one): beside equalities; alone, where the alternative is a scan of the
// kind; with other ranges, whose intersection is far more selective than
// any of them.
constexpr uint64_t kRangeCap = 1024;
constexpr uint64_t kLoneRangeCap = 4096;
constexpr uint64_t kRangesCap = 16384;
// Matches gathered and sorted in memory for other orders.
constexpr uint64_t kSortCap = 1000;

// One term stepped in lockstep to size it.
struct Term {
  enum class Type { kEquality, kRange, kSet };
  Term(Type type, size_t index, std::unique_ptr<KeyCursor> cursor, size_t name_offset = 0)
      : type(type), index(index), cursor(std::move(cursor)), name_offset(name_offset) {}

  Type type;
  size_t index;  // into the Narrowing's vector (ranges: iteration order)
  std::unique_ptr<KeyCursor> cursor;
  size_t name_offset = 0;  // a range's keys: where str(name) starts
  // A range's encoded names (str(name)) as read, end to end in one buffer
  // (a heap allocation per name would cost more than reading the key).
  std::unique_ptr<std::string> blob = std::make_unique<std::string>();
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // offset, length in blob
  uint64_t size = 0;                                 // keys, once the cursor ran out

  absl::string_view Name(size_t i) const {
    return absl::string_view(*blob).substr(spans[i].first, spans[i].second);
  }
};

std::string Encoded(absl::string_view name) {
  std::string out;
  storage::AppendStr(&out, name);
  return out;
}

absl::StatusOr<std::string> Decoded(absl::string_view encoded) {
  std::string name;
  if (!storage::ConsumeStr(&encoded, &name) || !encoded.empty()) {
    return absl::DataLossError("corrupt index key in the store");
  }
  return name;
}

absl::StatusOr<std::string> NameOf(absl::string_view index_key) {
  std::string name;
  if (!storage::NameFromIndexKey(index_key, &name)) {
    return absl::DataLossError("corrupt index key in the store");
  }
  return name;
}

constexpr size_t kScratchBytes = 256 << 10;

google::protobuf::ArenaOptions ScratchOptions(char* block) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = kScratchBytes;
  return options;
}

// Runs one List over a read view.
class ListRun {
 public:
  ListRun(const ReadView& view, const PolicyEngine& policy, const Principal& caller,
          storage::RecordKind kind, const FilterNode* filter,
          const RecordMatcher& matches, Order order, Narrowing narrowing,
          int page_size, std::string after, const google::protobuf::Descriptor* descriptor,
          std::string token_key, bool show_deleted, const CancelledFn* cancelled)
      : cancel_(cancelled), show_deleted_(show_deleted), view_(view), policy_(policy), caller_(caller), kind_(kind), filter_(filter),
        matches_(matches), order_(std::move(order)), n_(std::move(narrowing)),
        page_size_(page_size), after_(std::move(after)), fields_(FieldPolicy::For(descriptor)),
        token_key_(std::move(token_key)) {
    storage::AppendStrPrefix(&encoded_name_prefix_, n_.name_prefix);
    if (order_.field != nullptr) order_column_ = order_.field->path;
  }

  absl::StatusOr<ListPage> Run(absl::string_view fingerprint) {
    RETURN_IF_ERROR(cancel_.Now());
    if (!n_.nothing) RETURN_IF_ERROR(Walk());
    if (more_) page_.next_page_token = EncodePageToken(token_key_, fingerprint, last_position_);
    return std::move(page_);
  }

 private:
  absl::Status Walk() {
    if (!order_.by_name) {
      std::vector<Term> terms = EqualityTerms();
      for (Term& t : RangeTerms()) terms.push_back(std::move(t));
      std::optional<Term> driver = SmallestSet(kSortCap);
      ASSIGN_OR_RETURN(std::optional<size_t> first,
                       Lockstep(&terms, driver ? Size(*driver) : kSortCap));
      if (first) driver = std::move(terms[*first]);
      if (driver) return GatherAndSort(*driver);
      return WalkOrderIndex();
    }
    // A small range or name set drives the walk unless an equality is
    // smaller still; with no equality, the alternative is a scan of the
    // kind, so larger ranges are worth reading.
    const uint64_t cap = !n_.equalities.empty() ? kRangeCap
                         : n_.ranges.size() > 1 ? kRangesCap : kLoneRangeCap;
    std::optional<Term> driver = SmallestSet(cap);
    if (!n_.ranges.empty()) {
      std::vector<Term> ranges = RangeTerms();
      ASSIGN_OR_RETURN(std::optional<size_t> first,
                       Lockstep(&ranges, driver ? Size(*driver) : cap));
      if (first) {
        driver = std::move(ranges[*first]);
        // The other ranges become membership tests when they are small.
        for (size_t i = 0; i < ranges.size(); ++i) {
          if (i != *first) RETURN_IF_ERROR(FinishRange(&ranges[i], cap));
        }
      }
    }
    if (driver && !n_.equalities.empty()) {
      std::vector<Term> equalities = EqualityTerms();
      ASSIGN_OR_RETURN(std::optional<size_t> smaller, Lockstep(&equalities, Size(*driver)));
      if (smaller) driver.reset();
    }
    if (driver) {
      const size_t driving_set = driver->type == Term::Type::kSet ? driver->index : SIZE_MAX;
      return WalkNames(NamesOf(*driver), driving_set);
    }
    if (!n_.equalities.empty()) return WalkJoin();
    return WalkRecords();
  }

  std::vector<Term> EqualityTerms() const {
    std::vector<Term> terms;
    for (size_t i = 0; i < n_.equalities.size(); ++i) {
      std::string prefix = n_.equalities[i];
      storage::AppendStrPrefix(&prefix, n_.name_prefix);
      terms.push_back({Term::Type::kEquality, i,
                       view_.PrefixCursor(ColumnFamily::kIndex, prefix, false)});
    }
    return terms;
  }

  std::vector<Term> RangeTerms() const {
    std::vector<Term> terms;
    size_t i = 0;
    for (const auto& [section, range] : n_.ranges) {
      // Every section ranged over holds 8-byte values (f64, i64) then str(name).
      terms.push_back({Term::Type::kRange, i++,
                       view_.Cursor(ColumnFamily::kIndex, range.lower, range.upper, false),
                       section.size() + 8});
    }
    return terms;
  }

  // The smallest name set, if it holds at most `cap` names.
  std::optional<Term> SmallestSet(uint64_t cap) const {
    std::optional<Term> best;
    for (size_t i = 0; i < n_.sets.size(); ++i) {
      if (n_.sets[i]->size() <= cap && (!best || n_.sets[i]->size() < Size(*best))) {
        best = Term{Term::Type::kSet, i, nullptr};
      }
    }
    return best;
  }

  // Reads one key of `t` (the first when `first`); false once it ran out.
  absl::StatusOr<bool> Step(Term* t, bool first) {
    RETURN_IF_ERROR(cancel_.Check());
    if (first) t->cursor->Rewind();
    else t->cursor->Next();
    if (!t->cursor->Valid()) {
      RETURN_IF_ERROR(t->cursor->status());
      return false;
    }
    ++t->size;
    if (t->type == Term::Type::kRange) {
      const absl::string_view key = t->cursor->key();
      if (key.size() < t->name_offset) return absl::DataLossError("corrupt index key in the store");
      const absl::string_view encoded = key.substr(t->name_offset);
      if (absl::StartsWith(encoded, encoded_name_prefix_)) {
        t->spans.emplace_back(t->blob->size(), encoded.size());
        t->blob->append(encoded.data(), encoded.size());
      }
    }
    return true;
  }

  // Steps every term one key at a time until one runs out within `limit`
  // keys: that one holds the fewest. Reads at most terms x (its size + 1).
  absl::StatusOr<std::optional<size_t>> Lockstep(std::vector<Term>* terms, uint64_t limit) {
    for (uint64_t step = 0; step <= limit; ++step) {
      for (size_t i = 0; i < terms->size(); ++i) {
        ASSIGN_OR_RETURN(bool more, Step(&(*terms)[i], step == 0));
        if (!more) return std::optional<size_t>(i);
      }
    }
    return std::optional<size_t>();
  }

  // Reads the rest of range `t` if it holds at most `cap` keys; it then
  // filters candidates before any record is read.
  absl::Status FinishRange(Term* t, uint64_t cap) {
    for (;;) {
      if (t->size > cap) return absl::OkStatus();
      ASSIGN_OR_RETURN(bool more, Step(t, false));
      if (!more) break;
    }
    absl::flat_hash_set<absl::string_view>& names = membership_.emplace_back();
    for (size_t i = 0; i < t->spans.size(); ++i) names.insert(t->Name(i));
    blobs_.push_back(std::move(t->blob));
    return absl::OkStatus();
  }

  uint64_t Size(const Term& t) const {
    return t.type == Term::Type::kSet ? n_.sets[t.index]->size() : t.size;
  }

  // The encoded names a range or set term holds that every finished
  // range holds too, sorted (the order of the names): filtered before the
  // sort, which then handles the intersection only. Views into `t` or
  // into blobs_.
  std::vector<absl::string_view> NamesOf(Term& t) {
    std::vector<absl::string_view> out;
    auto keep = [&](absl::string_view encoded) {
      for (const auto& names : membership_) {
        if (!names.contains(encoded)) return false;
      }
      return true;
    };
    if (t.type == Term::Type::kSet) {
      std::string& blob = *blobs_.emplace_back(std::make_unique<std::string>());
      std::vector<std::pair<size_t, size_t>> spans;
      for (const std::string& name : *n_.sets[t.index]) {
        if (!absl::StartsWith(name, n_.name_prefix)) continue;
        const size_t start = blob.size();
        storage::AppendStr(&blob, name);
        spans.emplace_back(start, blob.size() - start);
      }
      for (const auto& [start, length] : spans) {  // views once the blob stopped growing
        absl::string_view encoded = absl::string_view(blob).substr(start, length);
        if (keep(encoded)) out.push_back(encoded);
      }
      return out;  // std::set is sorted
    }
    for (size_t i = 0; i < t.spans.size(); ++i) {
      if (keep(t.Name(i))) out.push_back(t.Name(i));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // The candidate `name` after every check (on the scratch arena, valid
  // until the next call); null when it is not a match the caller may see. `skip_set` is the set driving the walk, if any;
  // `check_equalities` when equalities have not been applied yet.
  absl::StatusOr<const StoredRecord*> Admit(const std::string& name, absl::string_view value,
                                            size_t skip_set, bool check_equalities) {
    using Result = const StoredRecord*;
    RETURN_IF_ERROR(cancel_.Check());
    if (!absl::StartsWith(name, n_.name_prefix)) return Result(nullptr);
    for (size_t i = 0; i < n_.sets.size(); ++i) {
      if (i != skip_set && n_.sets[i]->count(name) == 0) return Result(nullptr);
    }
    if (!membership_.empty()) {
      const std::string encoded = Encoded(name);
      for (const auto& names : membership_) {
        if (!names.contains(encoded)) return Result(nullptr);
      }
    }
    if (check_equalities) {
      std::string key;
      for (const std::string& prefix : n_.equalities) {
        key.assign(prefix);
        storage::AppendStr(&key, name);
        ASSIGN_OR_RETURN(bool present, view_.HasIndexKey(key));
        if (!present) return Result(nullptr);
      }
    }
    // Candidates are parsed on a scratch arena that is reused from one to
    // the next: a rejected candidate costs no heap allocation.
    scratch_.Reset();
    auto* record = google::protobuf::Arena::CreateMessage<StoredRecord>(&scratch_);
    if (value.empty()) {
      ASSIGN_OR_RETURN(bool found, view_.ReadRecord(kind_, name, record));
      if (!found) return Result(nullptr);
    } else if (!record->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError("corrupt record value in the store");
    }
    // Withdrawn records are listed only when asked for (AIP-164).
    if (record->delete_time_micros() != 0 && !show_deleted_) return Result(nullptr);
    admitted_ = policy_.Decide(caller_, *record);
    if (!admitted_.visible()) return Result(nullptr);
    // A record whose order field the caller cannot see is not listed in
    // that order: its place would tell the value.
    if (!order_column_.empty() && fields_.Hides(order_column_, admitted_, record->access())) {
      return Result(nullptr);
    }
    for (const RecordCheck& check : n_.checks) {
      if (!Passes(check, *record)) return Result(nullptr);
    }
    // The indexes answer on stored values; a cut view is decided again.
    if (filter_ != nullptr && (!n_.exact || !admitted_.whole()) &&
        !matches_(*record, admitted_, &scratch_)) {
      return Result(nullptr);
    }
    return record;
  }

  // Adds a match at `position`, seen under `decision`; false once the page
  // is full.
  bool Add(const StoredRecord& record, std::string position, const ReadDecision& decision) {
    if (static_cast<int>(page_.resources.size()) == page_size_) {
      more_ = true;
      return false;
    }
    page_.resources.push_back(record.resource());
    page_.decisions.push_back(decision);
    last_position_ = std::move(position);
    return true;
  }

  absl::Status WalkJoin() {
    storage::IndexJoin join(view_, n_.equalities, n_.name_prefix, order_.descending);
    for (bool ok = join.Start(after_); ok; ok = join.Next()) {
      ASSIGN_OR_RETURN(const StoredRecord* record, Admit(join.name(), {}, SIZE_MAX, false));
      if (record != nullptr && !Add(*record, join.name(), admitted_)) break;
    }
    return join.status();
  }

  // Walks encoded `names` (sorted) in the order's direction.
  absl::Status WalkNames(const std::vector<absl::string_view>& names, size_t driving_set) {
    auto visit = [&](absl::string_view encoded) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(std::string name, Decoded(encoded));
      ASSIGN_OR_RETURN(const StoredRecord* record, Admit(name, {}, driving_set, true));
      return record == nullptr || Add(*record, name, admitted_);
    };
    const std::string after_encoded = after_.empty() ? "" : Encoded(after_);
    const absl::string_view after(after_encoded);
    if (!order_.descending) {
      auto it = after.empty() ? names.begin() : std::upper_bound(names.begin(), names.end(), after);
      for (; it != names.end(); ++it) {
        ASSIGN_OR_RETURN(bool go_on, visit(*it));
        if (!go_on) break;
      }
    } else {
      auto it = after.empty() ? names.end() : std::lower_bound(names.begin(), names.end(), after);
      while (it != names.begin()) {
        ASSIGN_OR_RETURN(bool go_on, visit(*--it));
        if (!go_on) break;
      }
    }
    return absl::OkStatus();
  }

  // Positions `c` strictly after `after_` (or at its start).
  void StartAfter(KeyCursor* c, const std::string& after) {
    if (after.empty()) {
      c->Rewind();
      return;
    }
    c->Seek(after);
    if (c->Valid() && c->key() == after) c->Next();
  }

  absl::Status WalkRecords() {
    std::string prefix = storage::RecordPrefix(kind_);
    storage::AppendStrPrefix(&prefix, n_.name_prefix);
    std::unique_ptr<KeyCursor> c = view_.PrefixCursor(ColumnFamily::kRecords, prefix, order_.descending);
    for (StartAfter(c.get(), after_.empty() ? "" : storage::RecordKey(kind_, after_)); c->Valid();
         c->Next()) {
      absl::string_view key = c->key().substr(1);  // kind, then str(name)
      std::string name;
      if (!storage::ConsumeStr(&key, &name)) return absl::DataLossError("corrupt record key");
      ASSIGN_OR_RETURN(const StoredRecord* record, Admit(name, c->value(), SIZE_MAX, false));
      if (record != nullptr && !Add(*record, name, admitted_)) break;
    }
    return c->status();
  }

  // Every match of a selective term, sorted by the order's key.
  absl::Status GatherAndSort(Term& smallest) {
    std::vector<std::string> names;
    size_t driving_set = SIZE_MAX;
    if (smallest.type == Term::Type::kEquality) {
      storage::IndexJoin join(view_, n_.equalities, n_.name_prefix, false);
      for (bool ok = join.Start(""); ok; ok = join.Next()) names.push_back(join.name());
      RETURN_IF_ERROR(join.status());
    } else {
      if (smallest.type == Term::Type::kSet) driving_set = smallest.index;
      for (absl::string_view encoded : NamesOf(smallest)) {
        ASSIGN_OR_RETURN(std::string name, Decoded(encoded));
        names.push_back(std::move(name));
      }
    }
    struct Match {
      std::string key;
      StoredRecord record;
      ReadDecision decision;
    };
    std::vector<Match> matches;
    for (const std::string& name : names) {
      ASSIGN_OR_RETURN(const StoredRecord* record,
                       Admit(name, {}, driving_set, smallest.type != Term::Type::kEquality));
      if (record == nullptr) continue;
      std::string key = OrderKey(kind_, *record, order_);
      if (!after_.empty() && !Before(after_, key)) continue;
      matches.push_back({std::move(key), *record, admitted_});
    }
    auto before = [&](const Match& a, const Match& b) { return Before(a.key, b.key); };
    const size_t keep = std::min(matches.size(), static_cast<size_t>(page_size_) + 1);
    std::partial_sort(matches.begin(), matches.begin() + keep, matches.end(), before);
    for (size_t i = 0; i < keep; ++i) {
      if (!Add(matches[i].record, std::move(matches[i].key), matches[i].decision)) break;
    }
    return absl::OkStatus();
  }

  // Whether order key `a` comes before `b`: values in the order's
  // direction, ties by name the same way, records without a value last.
  bool Before(const std::string& a, const std::string& b) const {
    const bool a_missing = IsMissing(a), b_missing = IsMissing(b);
    if (a_missing != b_missing) return b_missing;
    return order_.descending ? a > b : a < b;
  }

  bool IsMissing(absl::string_view key) const {
    return order_.field != nullptr && key.size() > order_.index_prefix.size() &&
           key[order_.index_prefix.size()] == storage::kFieldMissing;
  }

  absl::Status WalkOrderIndex() {
    std::string lower = order_.index_prefix, upper = storage::PrefixEnd(order_.index_prefix);
    for (const auto& [section, range] : n_.ranges) {
      if (absl::StartsWith(section, order_.index_prefix)) {
        lower = std::max(lower, range.lower);
        upper = std::min(upper, range.upper);
      }
    }
    // Segments in walk order, and whether the walk resumes inside each:
    // descending by a field walks the values down, then the records
    // without one.
    struct Segment {
      std::string from, to;
      bool resume;
    };
    std::vector<Segment> segments = {{lower, upper, !after_.empty()}};
    if (order_.field != nullptr && order_.descending) {
      const std::string missing = order_.index_prefix + storage::kFieldMissing;
      const bool after_missing = !after_.empty() && IsMissing(after_);
      segments.clear();
      if (!after_missing) segments.push_back({lower, std::min(upper, missing), !after_.empty()});
      segments.push_back({std::max(lower, missing), upper, after_missing});
    }
    for (const auto& [from, to, resume] : segments) {
      if (from >= to) continue;
      std::unique_ptr<KeyCursor> c = view_.Cursor(ColumnFamily::kIndex, from, to, order_.descending);
      for (StartAfter(c.get(), resume ? after_ : ""); c->Valid(); c->Next()) {
        const std::string position(c->key());
        ASSIGN_OR_RETURN(std::string name, NameOf(position));
        ASSIGN_OR_RETURN(const StoredRecord* record, Admit(name, {}, SIZE_MAX, true));
        // A record with several values of the field is listed at its first.
        if (record == nullptr ||
            (order_.field != nullptr && OrderKey(kind_, *record, order_) != position)) {
          continue;
        }
        if (!Add(*record, position, admitted_)) return c->status();
      }
      RETURN_IF_ERROR(c->status());
    }
    return absl::OkStatus();
  }

  CancelCheck cancel_;
  const bool show_deleted_;
  const ReadView& view_;
  const PolicyEngine& policy_;
  const Principal& caller_;
  const storage::RecordKind kind_;
  const FilterNode* filter_;
  const RecordMatcher& matches_;
  std::unique_ptr<char[]> scratch_block_ = std::make_unique<char[]>(kScratchBytes);
  google::protobuf::Arena scratch_{ScratchOptions(scratch_block_.get())};
  const Order order_;
  Narrowing n_;
  const int page_size_;
  const std::string after_;
  const FieldPolicy& fields_;
  // The decision on the last record Admit returned.
  ReadDecision admitted_;
  // Paths named by the filter and the order.
  std::string order_column_;  // the order_by field, when it is not a time or the name
  std::string encoded_name_prefix_;
  // Finished ranges, as sets of encoded names viewing into blobs_.
  std::vector<std::unique_ptr<std::string>> blobs_;
  std::vector<absl::flat_hash_set<absl::string_view>> membership_;
  ListPage page_;
  std::string token_key_;
  std::string last_position_;
  bool more_ = false;
};

}  // namespace


absl::StatusOr<ListPage> RunListQuery(
    const storage::RecordStore& store, const PolicyEngine& policy, const Principal& caller,
    storage::RecordKind kind, const ListQuery& q, int max_page_size, const FilterNode* filter,
    const RecordMatcher& matches,
    const google::protobuf::Descriptor* descriptor, const NameSets* sets) {
  if (q.page_size < 0) return InvalidField("page_size", "must be >= 0");
  const int page_size = q.page_size == 0 ? kDefaultPageSize : std::min(q.page_size, max_page_size);
  ASSIGN_OR_RETURN(Order order, ParseOrderBy(kind, q.order_by));
  const std::string fingerprint = Sha256Bytes(absl::StrCat(
      static_cast<int>(kind), "\n", q.institution, "\n", q.filter, "\n", q.order_by, "\n",
      caller.name, "\n", q.show_deleted));
  std::string after;
  if (!q.page_token.empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(store.page_token_key(), q.page_token, fingerprint));
    if (after.empty() || (!order.by_name && !absl::StartsWith(after, order.index_prefix))) {
      return InvalidField("page_token", "malformed");
    }
  }
  std::unique_ptr<storage::ReadView> view = store.View();
  ListRun run(*view, policy, caller, kind, filter, matches, std::move(order),
              Narrow(kind, q.institution, filter, descriptor, sets), page_size, std::move(after),
              descriptor, store.page_token_key(), q.show_deleted, &q.cancelled);
  return run.Run(fingerprint);
}

}  // namespace batteryhub
