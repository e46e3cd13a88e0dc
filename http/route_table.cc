#include "http/route_table.h"

#include <vector>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "batteryhub/v1/admin_service.pb.h"
#include "batteryhub/v1/cell_test_service.pb.h"
#include "batteryhub/v1/characterization_service.pb.h"
#include "batteryhub/v1/lineage_service.pb.h"
#include "batteryhub/v1/policy_service.pb.h"
#include "batteryhub/v1/sample_service.pb.h"
#include "batteryhub/v1/series_service.pb.h"
#include "batteryhub/v1/sync_service.pb.h"
#include "google/api/annotations.pb.h"

namespace batteryhub::http {
namespace {

// A message of each service's file, so that the file is linked into any
// binary with the route table (a static library's generated file is left
// out unless something refers to it) and its services are in the pool.
void LinkServiceFiles() {
  static const bool linked = [] {
    for (const google::protobuf::Descriptor* d :
         {v1::GetSampleRequest::descriptor(), v1::GetCharacterizationRequest::descriptor(),
          v1::GetCellTestRequest::descriptor(), v1::ReadSeriesRequest::descriptor(),
          v1::GetLineageRequest::descriptor(), v1::GetRecordAccessRequest::descriptor(),
          v1::GetIdentityRequest::descriptor(), v1::GetHubInfoRequest::descriptor()}) {
      (void)d;
    }
    return true;
  }();
  (void)linked;
}

}  // namespace

const std::vector<std::string>& ApiServices() {
  static const auto* services = new std::vector<std::string>{
      "batteryhub.v1.SampleService",   "batteryhub.v1.CharacterizationService",
      "batteryhub.v1.CellTestService", "batteryhub.v1.SeriesService",
      "batteryhub.v1.LineageService",  "batteryhub.v1.PolicyService",
      "batteryhub.v1.AdminService",    "batteryhub.v1.SyncService"};
  return *services;
}

absl::StatusOr<RouteTable> RouteTable::FromServices(const std::vector<std::string>& services) {
  LinkServiceFiles();
  RouteTable table;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) return absl::InternalError(absl::StrCat("no service ", name));
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      if (!method->options().HasExtension(google::api::http)) continue;
      if (method->client_streaming()) {
        return absl::InternalError(
            absl::StrCat(method->full_name(), ": a client-streaming method has no HTTP mapping"));
      }
      const google::api::HttpRule& main = method->options().GetExtension(google::api::http);
      // The rule and its additional bindings (one level, as AIP-127 allows).
      std::vector<const google::api::HttpRule*> rules = {&main};
      for (const google::api::HttpRule& extra : main.additional_bindings()) rules.push_back(&extra);
      for (const google::api::HttpRule* rule : rules) {
        std::string verb, path;
        switch (rule->pattern_case()) {
          case google::api::HttpRule::kGet: verb = "GET", path = rule->get(); break;
          case google::api::HttpRule::kPost: verb = "POST", path = rule->post(); break;
          case google::api::HttpRule::kPatch: verb = "PATCH", path = rule->patch(); break;
          case google::api::HttpRule::kPut: verb = "PUT", path = rule->put(); break;
          case google::api::HttpRule::kDelete: verb = "DELETE", path = rule->delete_(); break;
          default:
            return absl::InternalError(absl::StrCat(method->full_name(), ": unsupported HTTP rule"));
        }
        absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
        if (!parsed.ok()) {
          return absl::InternalError(absl::StrCat(method->full_name(), ": ", parsed.status().message()));
        }
        table.routes_.push_back(Route{verb, *std::move(parsed), rule->body(), rule->response_body(),
                                      method,
                                      absl::StrCat("/", service->full_name(), "/", method->name())});
      }
    }
  }
  // Most literal segments first: `{name=institutions/*/samples/*}` before
  // `{name=institutions/*/*/*}/...` never compete, but a literal beats a star.
  // A `:verb` route before the plain one of the same path (`x:undelete`
  // would match `{name=.../*}` too).
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    if (a.path.has_verb() != b.path.has_verb()) return a.path.has_verb();
    return a.path.literal_count() > b.path.literal_count();
  });
  return table;
}

absl::StatusOr<RouteMatch> RouteTable::Find(absl::string_view verb, absl::string_view path) const {
  bool other_verb = false, custom_other_verb = false;
  for (const Route& route : routes_) {
    // `…/x:undelete` under GET is that custom method under the wrong verb,
    // not a record whose id is "x:undelete" (ids have no ':').
    if (custom_other_verb && !route.path.has_verb()) break;
    auto bound = route.path.Match(path);
    if (!bound) continue;
    if (route.verb != verb) {
      other_verb = true;
      custom_other_verb |= route.path.has_verb();
      continue;
    }
    return RouteMatch{&route, *std::move(bound)};
  }
  if (other_verb) {
    return absl::UnimplementedError(absl::StrCat("method ", verb, " is not allowed on ", path));
  }
  return absl::NotFoundError(absl::StrCat("no API method at ", path));
}

}  // namespace batteryhub::http
