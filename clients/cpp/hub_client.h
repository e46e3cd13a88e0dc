// C++ client of a batteryhub hub. Every call carries a deadline and the
// bearer token; UNAVAILABLE is retried with backoff only where a retry
// cannot apply a change twice: reads, and writes that carry a request_id.
// Thread-safe (gRPC stubs are).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "batteryhub/v1/admin_service.grpc.pb.h"
#include "batteryhub/v1/cell_test_service.grpc.pb.h"
#include "batteryhub/v1/characterization_service.grpc.pb.h"
#include "batteryhub/v1/lineage_service.grpc.pb.h"
#include "batteryhub/v1/policy_service.grpc.pb.h"
#include "batteryhub/v1/sync_service.grpc.pb.h"
#include "batteryhub/v1/sample_service.grpc.pb.h"
#include "batteryhub/v1/series_service.grpc.pb.h"

namespace batteryhub::client {

struct ClientOptions {
  std::string hub = "127.0.0.1:50051";
  std::string token;
  std::chrono::milliseconds deadline{30000};
  // Retries of UNAVAILABLE: exponential backoff with jitter, the wait
  // before retry n drawn from [b/2, b] with b = initial_backoff * 2^(n-1),
  // at most max_backoff.
  int max_attempts = 4;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10000};
  // Mutual TLS (PEM text, not paths): the CA that signed the hub's
  // certificate, and this institution's client certificate and key. All
  // empty: plaintext (dev hubs).
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
};

// Runs `attempt` until it is not UNAVAILABLE or `options.max_attempts`
// attempts were made, waiting between them as ClientOptions says.
grpc::Status RetryUnavailable(const ClientOptions& options,
                              const std::function<grpc::Status()>& attempt);

class HubClient {
 public:
  explicit HubClient(ClientOptions options);
  const ClientOptions& options() const { return options_; }

  // Standard methods; see the proto files for their contracts.
  grpc::Status CreateSample(const v1::CreateSampleRequest& req, v1::Sample* out);
  grpc::Status GetSample(const std::string& name, v1::Sample* out);
  grpc::Status ListSamples(const v1::ListSamplesRequest& req, v1::ListSamplesResponse* out);
  grpc::Status UpdateSample(const v1::UpdateSampleRequest& req, v1::Sample* out);
  grpc::Status ListSampleRevisions(const v1::ListSampleRevisionsRequest& req,
                                   v1::ListSampleRevisionsResponse* out);

  grpc::Status CreateCharacterization(const v1::CreateCharacterizationRequest& req,
                                      v1::Characterization* out);
  grpc::Status GetCharacterization(const std::string& name, v1::Characterization* out);
  grpc::Status ListCharacterizations(const v1::ListCharacterizationsRequest& req,
                                     v1::ListCharacterizationsResponse* out);
  grpc::Status UpdateCharacterization(const v1::UpdateCharacterizationRequest& req,
                                      v1::Characterization* out);
  grpc::Status ListCharacterizationRevisions(const v1::ListCharacterizationRevisionsRequest& req,
                                             v1::ListCharacterizationRevisionsResponse* out);

  grpc::Status CreateCellTest(const v1::CreateCellTestRequest& req, v1::CellTest* out);
  grpc::Status GetCellTest(const std::string& name, v1::CellTest* out);
  grpc::Status ListCellTests(const v1::ListCellTestsRequest& req, v1::ListCellTestsResponse* out);
  grpc::Status UpdateCellTest(const v1::UpdateCellTestRequest& req, v1::CellTest* out);
  grpc::Status ListCellTestRevisions(const v1::ListCellTestRevisionsRequest& req,
                                     v1::ListCellTestRevisionsResponse* out);

  // Withdraw (soft delete, AIP-164) and restore.
  grpc::Status DeleteSample(const v1::DeleteSampleRequest& req, v1::Sample* out);
  grpc::Status UndeleteSample(const v1::UndeleteSampleRequest& req, v1::Sample* out);
  grpc::Status DeleteCharacterization(const v1::DeleteCharacterizationRequest& req,
                                      v1::Characterization* out);
  grpc::Status UndeleteCharacterization(const v1::UndeleteCharacterizationRequest& req,
                                        v1::Characterization* out);
  grpc::Status DeleteCellTest(const v1::DeleteCellTestRequest& req, v1::CellTest* out);
  grpc::Status UndeleteCellTest(const v1::UndeleteCellTestRequest& req, v1::CellTest* out);

  grpc::Status GetIdentity(v1::Identity* out);
  grpc::Status ListInstitutions(v1::ListInstitutionsResponse* out);
  grpc::Status CreateToken(const v1::CreateTokenRequest& req, v1::Token* out);
  grpc::Status ListTokens(const std::string& parent, v1::ListTokensResponse* out);
  grpc::Status DeleteToken(const std::string& name);
  grpc::Status ListAuditEntries(const v1::ListAuditEntriesRequest& req,
                                v1::ListAuditEntriesResponse* out);
  grpc::Status VerifyLedger(v1::LedgerReport* out);
  grpc::Status GetLineage(const v1::GetLineageRequest& req, v1::Lineage* out);

  // PolicyService (stewards: record access and defaults; admins: agreements).
  grpc::Status GetRecordAccess(const std::string& name, v1::RecordAccess* out);
  grpc::Status UpdateRecordAccess(const v1::UpdateRecordAccessRequest& req, v1::RecordAccess* out);
  grpc::Status CheckAccess(const v1::CheckAccessRequest& req, v1::AccessDecision* out);
  grpc::Status GetAccessDefaults(const std::string& name, v1::AccessDefaults* out);
  grpc::Status UpdateAccessDefaults(const v1::UpdateAccessDefaultsRequest& req,
                                    v1::AccessDefaults* out);
  grpc::Status CreateAgreement(const v1::CreateAgreementRequest& req, v1::Agreement* out);
  grpc::Status GetAgreement(const std::string& name, v1::Agreement* out);
  grpc::Status ListAgreements(const v1::ListAgreementsRequest& req,
                              v1::ListAgreementsResponse* out);
  grpc::Status UpdateAgreement(const v1::UpdateAgreementRequest& req, v1::Agreement* out);

  // SyncService (sync_job.h drives these).
  grpc::Status GetHubInfo(v1::HubInfo* out);
  // All changes of one StreamChanges call (bounded by max_changes).
  grpc::Status StreamChanges(const v1::StreamChangesRequest& req,
                             std::vector<v1::ReplicaChange>* out);
  grpc::Status ApplyChanges(const v1::ApplyChangesRequest& req, v1::ApplyChangesResponse* out);
  grpc::Status GetSyncCursor(const v1::GetSyncCursorRequest& req, v1::SyncCursor* out);
  // The stored series of `name` (origin side), message by message; stop
  // early by returning false.
  grpc::Status StreamSeries(const std::string& name,
                            const std::function<bool(v1::SeriesBlocks&)>& on_blocks);
  // Stores the series of replica `name` (local side): `next` fills the next
  // message's blocks and returns false when there are no more.
  grpc::Status ApplySeries(const std::string& origin_hub, const std::string& name,
                           const std::function<bool(v1::SeriesBlocks*)>& next,
                           v1::ApplySeriesResponse* out);

  // Series. UploadSeries sends `row_count` rows in chunks produced by
  // `chunk(first_row, max_rows, &chunk)`, resuming after what the hub already
  // committed for this upload_id, and retrying UNAVAILABLE (the stream is
  // idempotent); `progress(committed)` is called as chunks are sent.
  grpc::Status UploadSeries(
      const v1::UploadHeader& header, int64_t chunk_rows,
      const std::function<void(int64_t first_row, int64_t rows, v1::SeriesChunk*)>& chunk,
      const std::function<void(int64_t)>& progress, v1::UploadSeriesResponse* out);
  grpc::Status GetUploadStatus(const std::string& cell_test, const std::string& upload_id,
                               v1::UploadStatus* out);
  // Calls `on_chunk` per chunk received; stop early by returning false.
  grpc::Status ReadSeries(const v1::ReadSeriesRequest& req,
                          const std::function<bool(const v1::SeriesChunk&)>& on_chunk);
  grpc::Status ListCycleSummaries(const v1::ListCycleSummariesRequest& req,
                                  v1::ListCycleSummariesResponse* out);
  grpc::Status PlotSeries(const v1::PlotSeriesRequest& req, v1::SeriesPlot* out);
  // `progress(bytes_sent)` is called as parts are sent. `cell_test` may
  // also name a characterization (`.../characterizations/...`): the file is
  // then one its attachments may list.
  grpc::Status UploadRawFile(const std::string& cell_test, const v1::SourceFile& header,
                             const std::string& bytes, v1::SourceFile* out,
                             const std::function<void(int64_t)>& progress = {});
  grpc::Status ReadRawFile(const std::string& cell_test, const std::string& sha256,
                           std::string* bytes);

 private:
  // Runs `rpc` with a fresh context per attempt; retries UNAVAILABLE when
  // `retryable`.
  grpc::Status Call(bool retryable, const std::function<grpc::Status(grpc::ClientContext*)>& rpc);
  // A context with the token and `deadline` from now.
  void Prepare(grpc::ClientContext* ctx, std::chrono::milliseconds deadline) const;
  // One attempt of an upload stream from `committed`.
  grpc::Status UploadAttempt(
      const v1::UploadHeader& header, int64_t chunk_rows, int64_t committed,
      const std::function<void(int64_t, int64_t, v1::SeriesChunk*)>& chunk,
      const std::function<void(int64_t)>& progress, v1::UploadSeriesResponse* out);

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SampleService::Stub> samples_;
  std::unique_ptr<v1::CharacterizationService::Stub> characterizations_;
  std::unique_ptr<v1::CellTestService::Stub> cell_tests_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::SeriesService::Stub> series_;
  std::unique_ptr<v1::LineageService::Stub> lineage_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SyncService::Stub> sync_;
};

// The details a hub attached to an error: the reason and field violations.
struct ErrorDetails {
  std::string reason;
  std::vector<std::pair<std::string, std::string>> field_violations;
};
ErrorDetails ParseErrorDetails(const grpc::Status& status);

}  // namespace batteryhub::client
