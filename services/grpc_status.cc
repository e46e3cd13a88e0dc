#include "services/grpc_status.h"

#include "core/status_details.h"

namespace batteryhub {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const ::batteryhub::v1::Status details = StatusDetails(status);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), details.message(),
                      details.SerializeAsString());
}

}  // namespace batteryhub
