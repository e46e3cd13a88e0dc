#include "http/json_status.h"

#include <google/protobuf/util/json_util.h>

#include "batteryhub/v1/common.pb.h"
#include "core/status_details.h"

namespace batteryhub::http {

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::INVALID_ARGUMENT: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::FAILED_PRECONDITION: return 400;
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    default: return 500;  // UNKNOWN, INTERNAL, DATA_LOSS
  }
}

namespace {

std::string ToJson(const v1::Status& status) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(status, &json, options).ok()) {
    // A detail of a type this binary does not know: the code and message alone.
    v1::Status bare;
    bare.set_code(status.code());
    bare.set_message(status.message());
    json.clear();
    (void)google::protobuf::util::MessageToJsonString(bare, &json, options);
  }
  json += "\n";
  return json;
}

}  // namespace

std::string StatusJson(const grpc::Status& status) {
  v1::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    details.Clear();
    details.set_code(static_cast<int>(status.error_code()));
    details.set_message(status.error_message());
  }
  return ToJson(details);
}

std::string StatusJson(const absl::Status& status) { return ToJson(StatusDetails(status)); }

}  // namespace batteryhub::http
