#include "domain/lineage.h"

#include <google/protobuf/arena.h>

#include <algorithm>


#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "core/status_macros.h"
#include "core/record_kinds.h"
#include "domain/record_view.h"
#include "storage/index_walks.h"

namespace batteryhub {

std::optional<storage::RecordKind> KindOfName(const std::string& name, RecordName* parsed) {
  for (const RecordKindInfo& info : RecordKinds()) {
    if (!info.data_record) continue;
    absl::StatusOr<RecordName> n = ParseRecordName(name, info.collection, "name", false);
    if (n.ok()) {
      *parsed = *n;
      return info.kind;
    }
  }
  return std::nullopt;
}

absl::StatusOr<LineageWalk> WalkLineage(const HubContext& hub, const Principal& p,
                                        const std::string& root, bool up, int max_depth,
                                        int max_entries, const CancelledFn& cancelled) {
  CancelCheck cancel(&cancelled, 64);
  // One snapshot for the whole walk, level by level: the records of a
  // whole level are read in one batched lookup; one cursor over the
  // reference index serves every step down.
  std::unique_ptr<storage::ReadView> view = hub.store->View();
  storage::ReferrerWalk referrers(*view);
  // Records are parsed on a scratch arena reused from one to the next.
  constexpr size_t kScratchBytes = 64 << 10;
  std::unique_ptr<char[]> block = std::make_unique<char[]>(kScratchBytes);
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = block.get();
  arena_options.initial_block_size = kScratchBytes;
  google::protobuf::Arena scratch(arena_options);

  struct Node {
    std::string name;
    std::vector<std::string> references;  // walking up: what it references
  };
  LineageWalk out;
  absl::flat_hash_set<std::string> seen = {root};
  std::vector<Node> level = {{root, {}}};
  if (up) {
    RecordName parsed;
    std::optional<storage::RecordKind> kind = KindOfName(root, &parsed);
    if (!kind) return out;
    ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> record, view->Record(*kind, root));
    if (!record) return out;
    const ReadDecision d = hub.policy->Decide(p, *record);
    if (!d.visible()) return out;
    level[0].references = VisibleReferences(d, p.institution, *record);
  }
  for (int depth = 0; !level.empty(); ++depth) {
    // The next level's candidates, in walk order, each once.
    struct Child {
      std::string name;
      size_t via;  // index into `level`
    };
    std::vector<Child> children;
    std::vector<storage::IndexedRecord> keys;
    auto offer = [&](storage::RecordKind kind, std::string name, size_t via) {
      if (!seen.insert(name).second) return;
      keys.push_back({kind, name});
      children.push_back({std::move(name), via});
    };
    // Walking down, the level is visited in name order, which is the
    // order of its reference keys: the cursor only moves forward, and
    // steps instead of seeking when the next key is near.
    std::vector<size_t> order(level.size());
    for (size_t v = 0; v < order.size(); ++v) order[v] = v;
    if (!up) {
      std::sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return level[a].name < level[b].name; });
    }
    RETURN_IF_ERROR(cancel.Now());
    for (size_t v : order) {
      RETURN_IF_ERROR(cancel.Check());
      if (up) {
        RecordName parsed;
        for (const std::string& ref : level[v].references) {
          if (std::optional<storage::RecordKind> kind = KindOfName(ref, &parsed)) offer(*kind, ref, v);
        }
        continue;
      }
      RETURN_IF_ERROR(referrers.Referrers(level[v].name, [&](storage::IndexedRecord r) {
        offer(r.kind, std::move(r.name), v);
      }));
    }
    // Hidden records are neither shown nor walked through, and neither is a
    // reference the caller's view of a record does not hold: walking up,
    // the edges are the parent level's visible references; walking down, a
    // child is reached only if its view references the record above.
    std::vector<char> visible(children.size(), 0);
    absl::flat_hash_map<std::string, size_t> level_index;
    if (!up) {
      for (size_t v = 0; v < level.size(); ++v) level_index.emplace(level[v].name, v);
    }
    std::vector<std::vector<std::string>> child_references(up ? children.size() : 0);
    RETURN_IF_ERROR(view->ReadRecords(keys, [&](size_t i, absl::string_view value) {
      scratch.Reset();
      auto* record = google::protobuf::Arena::CreateMessage<storage::StoredRecord>(&scratch);
      if (!record->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        return absl::DataLossError("corrupt record value in the store");
      }
      const ReadDecision d = hub.policy->Decide(p, *record);
      if (!d.visible()) return absl::OkStatus();
      if (up) {
        visible[i] = 1;
        child_references[i] = VisibleReferences(d, p.institution, *record);
      } else {
        // Through any record of the level above that the view references.
        for (const std::string& ref : VisibleReferences(d, p.institution, *record)) {
          auto at = level_index.find(ref);
          if (at == level_index.end()) continue;
          if (!visible[i] || at->second == children[i].via) children[i].via = at->second;
          visible[i] = 1;
        }
      }
      return absl::OkStatus();
    }));
    std::vector<Node> next;
    for (size_t i = 0; i < children.size(); ++i) {
      if (!visible[i]) continue;
      if (depth + 1 > max_depth || static_cast<int>(out.entries.size()) >= max_entries) {
        out.truncated = true;
        continue;
      }
      batteryhub::v1::LineageEntry e;
      e.set_name(children[i].name);
      e.set_depth(depth + 1);
      e.set_via(level[children[i].via].name);
      out.entries.push_back(std::move(e));
      next.push_back({std::move(children[i].name),
                      up ? std::move(child_references[i]) : std::vector<std::string>()});
    }
    level = std::move(next);
  }
  return out;
}

}  // namespace batteryhub
