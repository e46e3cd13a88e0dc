#include "services/grpc_status.h"

#include "batteryhub/v1/common.pb.h"
#include "core/errors.h"

namespace batteryhub {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  ::batteryhub::v1::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  ::batteryhub::v1::ErrorInfo info;
  std::string reason = ReasonOf(status);
  info.set_reason(reason.empty() ? std::string(absl::StatusCodeToString(status.code())) : reason);
  info.set_domain("batteryhub.v1");
  details.add_details()->PackFrom(info);
  std::vector<FieldViolation> violations = ViolationsOf(status);
  if (!violations.empty()) {
    ::batteryhub::v1::BadRequest bad;
    for (const FieldViolation& v : violations) {
      auto* fv = bad.add_field_violations();
      fv->set_field(v.field);
      fv->set_description(v.description);
    }
    details.add_details()->PackFrom(bad);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      details.SerializeAsString());
}

}  // namespace batteryhub
