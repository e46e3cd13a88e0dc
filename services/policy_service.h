// PolicyService: record access, institution defaults and data-sharing
// agreements (policy_service.proto). Changes commit like records (ledger,
// audit); agreement changes are then loaded into the policy engine.
#pragma once

#include "batteryhub/v1/policy_service.grpc.pb.h"
#include "services/service_context.h"
#include "domain/record_handlers.h"

namespace batteryhub {

class PolicyServiceImpl final : public ::batteryhub::v1::PolicyService::Service {
 public:
  explicit PolicyServiceImpl(const ServiceContext& hub) : hub_(hub), handlers_(hub) {}

  grpc::Status GetRecordAccess(grpc::ServerContext* c,
                               const ::batteryhub::v1::GetRecordAccessRequest* r,
                               ::batteryhub::v1::RecordAccess* out) override;
  grpc::Status UpdateRecordAccess(grpc::ServerContext* c,
                                  const ::batteryhub::v1::UpdateRecordAccessRequest* r,
                                  ::batteryhub::v1::RecordAccess* out) override;
  grpc::Status CheckAccess(grpc::ServerContext* c, const ::batteryhub::v1::CheckAccessRequest* r,
                           ::batteryhub::v1::AccessDecision* out) override;
  grpc::Status GetAccessDefaults(grpc::ServerContext* c,
                                 const ::batteryhub::v1::GetAccessDefaultsRequest* r,
                                 ::batteryhub::v1::AccessDefaults* out) override;
  grpc::Status UpdateAccessDefaults(grpc::ServerContext* c,
                                    const ::batteryhub::v1::UpdateAccessDefaultsRequest* r,
                                    ::batteryhub::v1::AccessDefaults* out) override;
  grpc::Status CreateAgreement(grpc::ServerContext* c,
                               const ::batteryhub::v1::CreateAgreementRequest* r,
                               ::batteryhub::v1::Agreement* out) override;
  grpc::Status GetAgreement(grpc::ServerContext* c, const ::batteryhub::v1::GetAgreementRequest* r,
                            ::batteryhub::v1::Agreement* out) override;
  grpc::Status ListAgreements(grpc::ServerContext* c,
                              const ::batteryhub::v1::ListAgreementsRequest* r,
                              ::batteryhub::v1::ListAgreementsResponse* out) override;
  grpc::Status UpdateAgreement(grpc::ServerContext* c,
                               const ::batteryhub::v1::UpdateAgreementRequest* r,
                               ::batteryhub::v1::Agreement* out) override;

 private:
  // Runs `fn(handler, name)` with the handler of the record kind `name` names.
  template <typename Fn>
  auto WithRecord(const std::string& name, Fn&& fn) const;

  ServiceContext hub_;
  RecordHandlers handlers_;
};

// Loads every stored agreement into the policy engine (at start and after
// each agreement change).
absl::Status LoadAgreements(const ServiceContext& hub);

}  // namespace batteryhub
