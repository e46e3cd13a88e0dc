#include "clients/cpp/hub_client.h"

#include <algorithm>
#include <random>
#include <thread>

#include "batteryhub/v1/common.pb.h"

namespace batteryhub::client {

HubClient::HubClient(ClientOptions options) : options_(std::move(options)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!options_.tls_ca_pem.empty()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = options_.tls_ca_pem;
    tls.pem_cert_chain = options_.tls_cert_pem;
    tls.pem_private_key = options_.tls_key_pem;
    credentials = grpc::SslCredentials(tls);
  }
  channel_ = grpc::CreateCustomChannel(options_.hub, credentials, args);
  samples_ = v1::SampleService::NewStub(channel_);
  characterizations_ = v1::CharacterizationService::NewStub(channel_);
  cell_tests_ = v1::CellTestService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
  series_ = v1::SeriesService::NewStub(channel_);
  lineage_ = v1::LineageService::NewStub(channel_);
  policy_ = v1::PolicyService::NewStub(channel_);
  sync_ = v1::SyncService::NewStub(channel_);
}

grpc::Status HubClient::Call(bool retryable,
                             const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  auto once = [&] {
    grpc::ClientContext ctx;
    Prepare(&ctx, options_.deadline);
    return rpc(&ctx);
  };
  return retryable ? RetryUnavailable(options_, once) : once();
}

grpc::Status RetryUnavailable(const ClientOptions& options,
                              const std::function<grpc::Status()>& attempt) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::chrono::milliseconds bound = options.initial_backoff;
  for (int n = 1;; ++n) {
    grpc::Status status = attempt();
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE || n >= options.max_attempts) {
      return status;
    }
    std::uniform_int_distribution<int64_t> wait(bound.count() / 2, bound.count());
    std::this_thread::sleep_for(std::chrono::milliseconds(wait(rng)));
    bound = std::min(bound * 2, options.max_backoff);
  }
}

void HubClient::Prepare(grpc::ClientContext* ctx, std::chrono::milliseconds deadline) const {
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  if (!options_.token.empty()) ctx->AddMetadata("authorization", "Bearer " + options_.token);
}

#define BHUB_READ(Stub, Method, Req, Resp)                                                \
  grpc::Status HubClient::Method(const Req& req, Resp* out) {                            \
    return Call(true, [&](grpc::ClientContext* c) { return Stub->Method(c, req, out); }); \
  }
#define BHUB_WRITE(Stub, Method, Req, Resp)                                        \
  grpc::Status HubClient::Method(const Req& req, Resp* out) {                     \
    return Call(!req.request_id().empty(),                                        \
                [&](grpc::ClientContext* c) { return Stub->Method(c, req, out); }); \
  }
#define BHUB_GET(Stub, Method, Req, Resp)                                         \
  grpc::Status HubClient::Method(const std::string& name, Resp* out) {            \
    Req req;                                                                      \
    req.set_name(name);                                                           \
    return Call(true, [&](grpc::ClientContext* c) { return Stub->Method(c, req, out); }); \
  }

BHUB_WRITE(samples_, CreateSample, v1::CreateSampleRequest, v1::Sample)
BHUB_GET(samples_, GetSample, v1::GetSampleRequest, v1::Sample)
BHUB_READ(samples_, ListSamples, v1::ListSamplesRequest, v1::ListSamplesResponse)
BHUB_WRITE(samples_, UpdateSample, v1::UpdateSampleRequest, v1::Sample)
BHUB_READ(samples_, ListSampleRevisions, v1::ListSampleRevisionsRequest,
          v1::ListSampleRevisionsResponse)
BHUB_WRITE(characterizations_, CreateCharacterization, v1::CreateCharacterizationRequest,
           v1::Characterization)
BHUB_GET(characterizations_, GetCharacterization, v1::GetCharacterizationRequest,
         v1::Characterization)
BHUB_READ(characterizations_, ListCharacterizations, v1::ListCharacterizationsRequest,
          v1::ListCharacterizationsResponse)
BHUB_WRITE(characterizations_, UpdateCharacterization, v1::UpdateCharacterizationRequest,
           v1::Characterization)
BHUB_READ(characterizations_, ListCharacterizationRevisions,
          v1::ListCharacterizationRevisionsRequest, v1::ListCharacterizationRevisionsResponse)
BHUB_WRITE(cell_tests_, CreateCellTest, v1::CreateCellTestRequest, v1::CellTest)
BHUB_GET(cell_tests_, GetCellTest, v1::GetCellTestRequest, v1::CellTest)
BHUB_READ(cell_tests_, ListCellTests, v1::ListCellTestsRequest, v1::ListCellTestsResponse)
BHUB_WRITE(cell_tests_, UpdateCellTest, v1::UpdateCellTestRequest, v1::CellTest)
BHUB_WRITE(samples_, DeleteSample, v1::DeleteSampleRequest, v1::Sample)
BHUB_WRITE(samples_, UndeleteSample, v1::UndeleteSampleRequest, v1::Sample)
BHUB_WRITE(characterizations_, DeleteCharacterization, v1::DeleteCharacterizationRequest,
           v1::Characterization)
BHUB_WRITE(characterizations_, UndeleteCharacterization, v1::UndeleteCharacterizationRequest,
           v1::Characterization)
BHUB_WRITE(cell_tests_, DeleteCellTest, v1::DeleteCellTestRequest, v1::CellTest)
BHUB_WRITE(cell_tests_, UndeleteCellTest, v1::UndeleteCellTestRequest, v1::CellTest)
BHUB_READ(series_, ListCycleSummaries, v1::ListCycleSummariesRequest,
          v1::ListCycleSummariesResponse)
BHUB_READ(series_, PlotSeries, v1::PlotSeriesRequest, v1::SeriesPlot)
BHUB_READ(lineage_, GetLineage, v1::GetLineageRequest, v1::Lineage)
BHUB_READ(cell_tests_, ListCellTestRevisions, v1::ListCellTestRevisionsRequest,
          v1::ListCellTestRevisionsResponse)
BHUB_GET(policy_, GetRecordAccess, v1::GetRecordAccessRequest, v1::RecordAccess)
BHUB_WRITE(policy_, UpdateRecordAccess, v1::UpdateRecordAccessRequest, v1::RecordAccess)
BHUB_READ(policy_, CheckAccess, v1::CheckAccessRequest, v1::AccessDecision)
BHUB_GET(policy_, GetAccessDefaults, v1::GetAccessDefaultsRequest, v1::AccessDefaults)
BHUB_WRITE(policy_, UpdateAccessDefaults, v1::UpdateAccessDefaultsRequest, v1::AccessDefaults)
BHUB_WRITE(policy_, CreateAgreement, v1::CreateAgreementRequest, v1::Agreement)
BHUB_GET(policy_, GetAgreement, v1::GetAgreementRequest, v1::Agreement)
BHUB_READ(policy_, ListAgreements, v1::ListAgreementsRequest, v1::ListAgreementsResponse)
BHUB_WRITE(policy_, UpdateAgreement, v1::UpdateAgreementRequest, v1::Agreement)
// Applying the same changes twice changes nothing: safe to retry.
BHUB_READ(sync_, ApplyChanges, v1::ApplyChangesRequest, v1::ApplyChangesResponse)
BHUB_READ(sync_, GetSyncCursor, v1::GetSyncCursorRequest, v1::SyncCursor)

#undef BHUB_READ
#undef BHUB_WRITE
#undef BHUB_GET

grpc::Status HubClient::GetHubInfo(v1::HubInfo* out) {
  v1::GetHubInfoRequest req;
  return Call(true, [&](grpc::ClientContext* c) { return sync_->GetHubInfo(c, req, out); });
}

grpc::Status HubClient::StreamChanges(const v1::StreamChangesRequest& req,
                                      std::vector<v1::ReplicaChange>* out) {
  return Call(true, [&](grpc::ClientContext* c) {
    out->clear();
    auto reader = sync_->StreamChanges(c, req);
    v1::ReplicaChange change;
    while (reader->Read(&change)) out->push_back(std::move(change));
    return reader->Finish();
  });
}

grpc::Status HubClient::GetIdentity(v1::Identity* out) {
  v1::GetIdentityRequest req;
  return Call(true, [&](grpc::ClientContext* c) { return admin_->GetIdentity(c, req, out); });
}

grpc::Status HubClient::ListInstitutions(v1::ListInstitutionsResponse* out) {
  v1::ListInstitutionsRequest req;
  return Call(true, [&](grpc::ClientContext* c) { return admin_->ListInstitutions(c, req, out); });
}

grpc::Status HubClient::CreateToken(const v1::CreateTokenRequest& req, v1::Token* out) {
  return Call(false, [&](grpc::ClientContext* c) { return admin_->CreateToken(c, req, out); });
}

grpc::Status HubClient::ListTokens(const std::string& parent, v1::ListTokensResponse* out) {
  v1::ListTokensRequest req;
  req.set_parent(parent);
  return Call(true, [&](grpc::ClientContext* c) { return admin_->ListTokens(c, req, out); });
}

grpc::Status HubClient::ListAuditEntries(const v1::ListAuditEntriesRequest& req,
                                         v1::ListAuditEntriesResponse* out) {
  return Call(true, [&](grpc::ClientContext* c) { return admin_->ListAuditEntries(c, req, out); });
}

grpc::Status HubClient::DeleteToken(const std::string& name) {
  v1::DeleteTokenRequest req;
  req.set_name(name);
  v1::DeleteTokenResponse out;
  // Retrying a revocation is safe: the second finds nothing to revoke.
  return Call(true, [&](grpc::ClientContext* c) { return admin_->DeleteToken(c, req, &out); });
}

grpc::Status HubClient::VerifyLedger(v1::LedgerReport* out) {
  v1::VerifyLedgerRequest req;
  return Call(true, [&](grpc::ClientContext* c) { return admin_->VerifyLedger(c, req, out); });
}

ErrorDetails ParseErrorDetails(const grpc::Status& status) {
  ErrorDetails out;
  v1::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) return out;
  for (const auto& any : details.details()) {
    v1::ErrorInfo info;
    v1::BadRequest bad;
    if (any.UnpackTo(&info)) {
      out.reason = info.reason();
    } else if (any.UnpackTo(&bad)) {
      for (const auto& fv : bad.field_violations()) {
        out.field_violations.emplace_back(fv.field(), fv.description());
      }
    }
  }
  return out;
}

}  // namespace batteryhub::client
