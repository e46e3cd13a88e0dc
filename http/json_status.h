// Errors over HTTP: the HTTP status of each gRPC code (the mapping of
// google.rpc.Code) and the body, the proto3 JSON form of the call's
// batteryhub.v1.Status (= google.rpc.Status: code, message, details with
// `@type`), with the same details the gRPC status carries.
#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace batteryhub::http {

int HttpStatusOf(grpc::StatusCode code);

// The JSON body of a failed call.
std::string StatusJson(const grpc::Status& status);
std::string StatusJson(const absl::Status& status);

}  // namespace batteryhub::http
