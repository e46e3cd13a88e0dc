#include "services/lineage_service.h"

#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/status_macros.h"
#include "domain/lineage.h"
#include "domain/record_access.h"
#include "services/record_calls.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
constexpr int kDefaultDepth = 16;
constexpr int kMaxEntries = 10000;

}  // namespace

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
    ASSIGN_OR_RETURN(LineageWalk walk, WalkLineage(hub_, p, root.Name(), up, max_depth, kMaxEntries,
                                                     [c] { return c->IsCancelled(); }));
    for (auto& e : walk.entries) *out->add_entries() = std::move(e);
    out->set_truncated(walk.truncated);
    return absl::OkStatus();
  });
}

}  // namespace batteryhub
