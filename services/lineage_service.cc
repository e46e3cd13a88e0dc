#include "services/lineage_service.h"

#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/status_macros.h"
#include "services/record_access.h"
#include "services/record_calls.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
constexpr int kDefaultDepth = 16;
constexpr int kMaxEntries = 10000;

}  // namespace

std::optional<storage::RecordKind> KindOfName(const std::string& name, RecordName* parsed) {
  const std::pair<const char*, storage::RecordKind> kinds[] = {
      {"samples", storage::v1::RECORD_KIND_SAMPLE},
      {"characterizations", storage::v1::RECORD_KIND_CHARACTERIZATION},
      {"cellTests", storage::v1::RECORD_KIND_CELL_TEST}};
  for (const auto& [collection, kind] : kinds) {
    absl::StatusOr<RecordName> n = ParseRecordName(name, collection, "name", false);
    if (n.ok()) {
      *parsed = *n;
      return kind;
    }
  }
  return std::nullopt;
}

grpc::Status LineageServiceImpl::GetLineage(grpc::ServerContext* c, const v1::GetLineageRequest* r,
                                            v1::Lineage* out) {
  return RunCall(hub_, *c, "GetLineage", r->name(), [&](const Principal& p) -> absl::Status {
    RecordName root;
    std::optional<storage::RecordKind> kind = KindOfName(r->name(), &root);
    if (!kind) {
      return InvalidField("name", absl::StrCat("'", r->name(), "' is not a record name "
                                               "(institutions/{i}/samples|characterizations|cellTests/{id})"));
    }
    if (r->max_depth() < 0) return InvalidField("max_depth", "must be >= 0");
    RETURN_IF_ERROR(LoadVisibleRecord(hub_, p, *kind, root, "record").status());
    const int max_depth = r->max_depth() == 0 ? kDefaultDepth : r->max_depth();
    const bool up = r->direction() == v1::LINEAGE_DIRECTION_UP;
    out->set_root(root.Name());
    std::set<std::string> seen = {root.Name()};
    std::deque<std::pair<std::string, int>> queue = {{root.Name(), 0}};
    while (!queue.empty()) {
      auto [name, depth] = queue.front();
      queue.pop_front();
      std::vector<std::string> next;
      if (up) {
        RecordName parsed;
        std::optional<storage::RecordKind> k = KindOfName(name, &parsed);
        absl::StatusOr<storage::StoredRecord> record = hub_.store->Get(*k, name);
        if (!record.ok()) continue;
        next.assign(record->references().begin(), record->references().end());
      } else {
        ASSIGN_OR_RETURN(auto refs, hub_.store->ReferencesTo(name));
        for (auto& [ref_kind, ref_name] : refs) next.push_back(std::move(ref_name));
      }
      for (const std::string& n : next) {
        if (!seen.insert(n).second) continue;
        RecordName parsed;
        std::optional<storage::RecordKind> k = KindOfName(n, &parsed);
        if (!k) continue;
        absl::StatusOr<storage::StoredRecord> record = hub_.store->Get(*k, n);
        if (!record.ok() || !hub_.policy->CanRead(p, *record)) continue;  // neither shown nor walked
        if (depth + 1 > max_depth || out->entries_size() >= kMaxEntries) {
          out->set_truncated(true);
          continue;
        }
        v1::LineageEntry* e = out->add_entries();
        e->set_name(n);
        e->set_depth(depth + 1);
        e->set_via(name);
        queue.emplace_back(n, depth + 1);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace batteryhub
