// Fills a request message from an HTTP call as `google.api.http` maps it:
// the body (JSON, proto3 mapping) into the `body` field or the whole
// request, then path variables, then query parameters (`field.sub=value`,
// repeated fields by repeating the parameter) into the remaining fields.
// INVALID_ARGUMENT names the parameter or body position at fault.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "http/route_table.h"

namespace batteryhub::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Query parameters the gateway itself reads, never bound to a field.
bool IsSystemParameter(absl::string_view name);

absl::Status BindRequest(const RouteMatch& match, absl::string_view body, const QueryParams& query,
                         google::protobuf::Message* request);

// Sets the field at `path` (dotted, proto or JSON names) from its text form.
absl::Status SetFieldFromText(google::protobuf::Message* message, absl::string_view path,
                              absl::string_view value, absl::string_view source);

}  // namespace batteryhub::http
