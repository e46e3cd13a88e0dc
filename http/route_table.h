// The HTTP routes of the API, read from the `google.api.http` annotations of
// the services' methods (the generated descriptor pool): the same table a
// standard transcoder (Envoy, grpc-gateway) would build.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "http/path_template.h"

namespace batteryhub::http {

struct Route {
  std::string verb;  // GET, POST, PATCH, PUT, DELETE
  PathTemplate path;
  std::string body;           // "", "*" or a field of the request
  std::string response_body;  // "" or a field of the response (sent raw)
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string grpc_method;  // "/batteryhub.v1.SampleService/GetSample"
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> bindings;
};

class RouteTable {
 public:
  // Every annotated unary or server-streaming method of `services` (full
  // names). INTERNAL for a malformed annotation (a build defect).
  static absl::StatusOr<RouteTable> FromServices(const std::vector<std::string>& services);

  // The route of `verb` and `path`. NOT_FOUND when no template matches the
  // path, UNIMPLEMENTED (HTTP 405) when one does under another verb.
  absl::StatusOr<RouteMatch> Find(absl::string_view verb, absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The API's services, by full name.
const std::vector<std::string>& ApiServices();

}  // namespace batteryhub::http
