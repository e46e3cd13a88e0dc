// AdminService: the caller's identity, the institutions, token issue.
#pragma once

#include "batteryhub/v1/admin_service.grpc.pb.h"
#include "services/service_context.h"

namespace batteryhub {

class AdminServiceImpl final : public ::batteryhub::v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(const ServiceContext& hub) : hub_(hub) {}

  grpc::Status GetIdentity(grpc::ServerContext* c, const ::batteryhub::v1::GetIdentityRequest* r,
                           ::batteryhub::v1::Identity* out) override;
  grpc::Status ListInstitutions(grpc::ServerContext* c,
                                const ::batteryhub::v1::ListInstitutionsRequest* r,
                                ::batteryhub::v1::ListInstitutionsResponse* out) override;
  grpc::Status CreateToken(grpc::ServerContext* c, const ::batteryhub::v1::CreateTokenRequest* r,
                           ::batteryhub::v1::Token* out) override;
  grpc::Status ListTokens(grpc::ServerContext* c, const ::batteryhub::v1::ListTokensRequest* r,
                          ::batteryhub::v1::ListTokensResponse* out) override;
  grpc::Status DeleteToken(grpc::ServerContext* c, const ::batteryhub::v1::DeleteTokenRequest* r,
                           ::batteryhub::v1::DeleteTokenResponse* out) override;
  grpc::Status ListAuditEntries(grpc::ServerContext* c,
                                const ::batteryhub::v1::ListAuditEntriesRequest* r,
                                ::batteryhub::v1::ListAuditEntriesResponse* out) override;
  grpc::Status VerifyLedger(grpc::ServerContext* c, const ::batteryhub::v1::VerifyLedgerRequest* r,
                            ::batteryhub::v1::LedgerReport* out) override;

 private:
  ServiceContext hub_;
};

}  // namespace batteryhub
