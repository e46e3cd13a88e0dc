// SyncService: the policy-filtered change feed of this hub's own records
// (origin side) and the application of replicas pulled from a peer (local
// side). See sync_service.proto and DESIGN.md section 8.
#pragma once

#include "batteryhub/v1/sync_service.grpc.pb.h"
#include "services/service_context.h"
#include "domain/record_handlers.h"

namespace batteryhub {

class SyncServiceImpl final : public ::batteryhub::v1::SyncService::Service {
 public:
  explicit SyncServiceImpl(const ServiceContext& hub) : hub_(hub), handlers_(hub) {}

  grpc::Status StreamChanges(grpc::ServerContext* c,
                             const ::batteryhub::v1::StreamChangesRequest* r,
                             grpc::ServerWriter<::batteryhub::v1::ReplicaChange>* writer) override;
  grpc::Status GetHubInfo(grpc::ServerContext* c, const ::batteryhub::v1::GetHubInfoRequest* r,
                          ::batteryhub::v1::HubInfo* out) override;
  grpc::Status ApplyChanges(grpc::ServerContext* c,
                            const ::batteryhub::v1::ApplyChangesRequest* r,
                            ::batteryhub::v1::ApplyChangesResponse* out) override;
  grpc::Status StreamSeries(grpc::ServerContext* c, const ::batteryhub::v1::StreamSeriesRequest* r,
                            grpc::ServerWriter<::batteryhub::v1::SeriesBlocks>* writer) override;
  grpc::Status ApplySeries(grpc::ServerContext* c,
                           grpc::ServerReader<::batteryhub::v1::ApplySeriesRequest>* reader,
                           ::batteryhub::v1::ApplySeriesResponse* out) override;
  grpc::Status GetSyncCursor(grpc::ServerContext* c,
                             const ::batteryhub::v1::GetSyncCursorRequest* r,
                             ::batteryhub::v1::SyncCursor* out) override;

 private:
  // `record` as `p` sees it (decision `d`), as a change of sequence `seq`.
  absl::StatusOr<::batteryhub::v1::ReplicaChange> ChangeOf(const Principal& p,
                                                          const ReadDecision& d,
                                                          const storage::StoredRecord& record,
                                                          uint64_t seq) const;

  ServiceContext hub_;
  RecordHandlers handlers_;
};

}  // namespace batteryhub
