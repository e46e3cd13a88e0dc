#include "services/lineage.h"

#include <deque>
#include <set>

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
  LineageWalk out;
  std::set<std::string> seen = {root};
  std::deque<std::pair<std::string, int>> queue = {{root, 0}};
  while (!queue.empty()) {
    auto [name, depth] = queue.front();
    queue.pop_front();
    std::vector<std::string> next;
    RecordName parsed;
    if (up) {
      std::optional<storage::RecordKind> k = KindOfName(name, &parsed);
      absl::StatusOr<storage::StoredRecord> record = hub.store->Get(*k, name);
      if (!record.ok()) continue;
      next.assign(record->references().begin(), record->references().end());
    } else {
      ASSIGN_OR_RETURN(auto refs, hub.store->ReferencesTo(name));
      for (auto& [ref_kind, ref_name] : refs) next.push_back(std::move(ref_name));
    }
    for (const std::string& n : next) {
      if (!seen.insert(n).second) continue;
      std::optional<storage::RecordKind> k = KindOfName(n, &parsed);
      if (!k) continue;
      absl::StatusOr<storage::StoredRecord> record = hub.store->Get(*k, n);
      if (!record.ok() || !hub.policy->CanRead(p, *record)) continue;  // neither shown nor walked
      if (depth + 1 > max_depth || static_cast<int>(out.entries.size()) >= max_entries) {
        out.truncated = true;
        continue;
      }
      batteryhub::v1::LineageEntry e;
      e.set_name(n);
      e.set_depth(depth + 1);
      e.set_via(name);
      out.entries.push_back(std::move(e));
      queue.emplace_back(n, depth + 1);
    }
  }
  return out;
}

}  // namespace batteryhub
