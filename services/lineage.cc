#include "services/lineage.h"

#include <google/protobuf/arena.h>

#include <deque>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "core/status_macros.h"
#include "services/record_traits.h"

namespace batteryhub {

std::optional<storage::RecordKind> KindOfName(const std::string& name, RecordName* parsed) {
  const std::pair<const char*, storage::RecordKind> kinds[] = {
      {SampleTraits::kCollection, SampleTraits::kKind},
      {CharacterizationTraits::kCollection, CharacterizationTraits::kKind},
      {CellTestTraits::kCollection, CellTestTraits::kKind}};
  for (const auto& [collection, kind] : kinds) {
    absl::StatusOr<RecordName> n = ParseRecordName(name, collection, "name", false);
    if (n.ok()) {
      *parsed = *n;
      return kind;
    }
  }
  return std::nullopt;
}

absl::StatusOr<LineageWalk> WalkLineage(const HubContext& hub, const Principal& p,
                                        const std::string& root, bool up, int max_depth,
                                        int max_entries) {
  // One snapshot for the whole walk; one cursor over the reference index,
  // sought once per record walked down from.
  std::unique_ptr<storage::ReadView> view = hub.store->View();
  const std::string references = std::string(1, static_cast<char>(storage::IndexTag::kReference));
  std::unique_ptr<storage::KeyCursor> cursor = view->PrefixCursor(
      storage::ColumnFamily::kIndex, references, false);
  // Records are parsed on a scratch arena reused from one to the next.
  constexpr size_t kScratchBytes = 64 << 10;
  std::unique_ptr<char[]> block = std::make_unique<char[]>(kScratchBytes);
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = block.get();
  arena_options.initial_block_size = kScratchBytes;
  google::protobuf::Arena scratch(arena_options);
  auto read = [&](storage::RecordKind kind,
                  const std::string& name) -> absl::StatusOr<const storage::StoredRecord*> {
    scratch.Reset();
    auto* record = google::protobuf::Arena::CreateMessage<storage::StoredRecord>(&scratch);
    ASSIGN_OR_RETURN(bool found, view->ReadRecord(kind, name, record));
    return found ? record : nullptr;
  };
  LineageWalk out;
  absl::flat_hash_set<std::string> seen = {root};
  std::deque<std::pair<std::string, int>> queue = {{root, 0}};
  std::vector<std::pair<storage::RecordKind, std::string>> next;
  while (!queue.empty()) {
    auto [name, depth] = queue.front();
    queue.pop_front();
    next.clear();
    RecordName parsed;
    if (up) {
      std::optional<storage::RecordKind> k = KindOfName(name, &parsed);
      if (!k) continue;
      ASSIGN_OR_RETURN(const storage::StoredRecord* record, read(*k, name));
      if (record == nullptr) continue;
      for (const std::string& ref : record->references()) {
        std::optional<storage::RecordKind> ref_kind = KindOfName(ref, &parsed);
        if (ref_kind) next.emplace_back(*ref_kind, ref);
      }
    } else {
      const std::string prefix = storage::ReferencePrefix(name);
      for (cursor->Seek(prefix); cursor->Valid() && absl::StartsWith(cursor->key(), prefix);
           cursor->Next()) {
        storage::RecordKind kind;
        std::string child;
        if (!storage::ParseReferenceKey(cursor->key(), &kind, &child)) {
          return absl::DataLossError("corrupt reference index key");
        }
        next.emplace_back(kind, std::move(child));
      }
      RETURN_IF_ERROR(cursor->status());
    }
    for (auto& [kind, n] : next) {
      if (!seen.insert(n).second) continue;
      ASSIGN_OR_RETURN(const storage::StoredRecord* record, read(kind, n));
      if (record == nullptr || !hub.policy->CanRead(p, *record)) continue;  // neither shown nor walked
      if (depth + 1 > max_depth || static_cast<int>(out.entries.size()) >= max_entries) {
        out.truncated = true;
        continue;
      }
      batteryhub::v1::LineageEntry e;
      e.set_name(n);
      e.set_depth(depth + 1);
      e.set_via(name);
      out.entries.push_back(std::move(e));
      queue.emplace_back(std::move(n), depth + 1);
    }
  }
  return out;
}

}  // namespace batteryhub
