// LineageService: ancestors and descendants through record references.
#pragma once

#include "batteryhub/v1/lineage_service.grpc.pb.h"
#include <optional>

#include "core/names.h"
#include "services/service_context.h"

namespace batteryhub {

class LineageServiceImpl final : public ::batteryhub::v1::LineageService::Service {
 public:
  explicit LineageServiceImpl(const ServiceContext& hub) : hub_(hub) {}
  grpc::Status GetLineage(grpc::ServerContext* c, const ::batteryhub::v1::GetLineageRequest* r,
                          ::batteryhub::v1::Lineage* out) override;

 private:
  ServiceContext hub_;
};

}  // namespace batteryhub
