// SeriesService: columnar, resumable uploads of cell-test time series,
// projected reads, cycle summaries and raw files. Every path authorises
// through the record's visibility (reads) or write permission (uploads).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "batteryhub/v1/series_service.grpc.pb.h"
#include "core/names.h"
#include "services/service_context.h"
#include "storage/series_store.h"

namespace batteryhub {


class SeriesServiceImpl final : public v1::SeriesService::Service {
 public:
  explicit SeriesServiceImpl(const ServiceContext& hub) : hub_(hub), series_(hub.store) {}

  grpc::Status UploadSeries(grpc::ServerContext* c,
                            grpc::ServerReader<v1::UploadSeriesRequest>* reader,
                            v1::UploadSeriesResponse* out) override;
  grpc::Status GetUploadStatus(grpc::ServerContext* c, const v1::GetUploadStatusRequest* r,
                               v1::UploadStatus* out) override;
  grpc::Status AbortUpload(grpc::ServerContext* c, const v1::AbortUploadRequest* r,
                           v1::UploadStatus* out) override;
  grpc::Status ReadSeries(grpc::ServerContext* c, const v1::ReadSeriesRequest* r,
                          grpc::ServerWriter<v1::SeriesChunk>* writer) override;
  grpc::Status ListCycleSummaries(grpc::ServerContext* c, const v1::ListCycleSummariesRequest* r,
                                  v1::ListCycleSummariesResponse* out) override;
  grpc::Status UploadRawFile(grpc::ServerContext* c,
                             grpc::ServerReader<v1::UploadRawFileRequest>* reader,
                             v1::SourceFile* out) override;
  grpc::Status ReadRawFile(grpc::ServerContext* c, const v1::ReadRawFileRequest* r,
                           grpc::ServerWriter<v1::RawFileChunk>* writer) override;

 private:
  absl::Status Upload(const Principal& p, grpc::ServerReader<v1::UploadSeriesRequest>* reader,
                      v1::UploadSeriesResponse* out);
  // The chunk loop of Upload; a refusal of the input is returned as such.
  absl::Status TakeChunks(grpc::ServerReader<v1::UploadSeriesRequest>* reader,
                          const v1::UploadHeader& header, const std::string& test,
                          storage::SeriesState* state, storage::UploadState* upload);
  // Undoes the open upload `upload` of `test` (caller holds the series lock).
  absl::Status AbortOpenUpload(const std::string& test, const storage::UploadState& upload);
  absl::Status Read(const Principal& p, const v1::ReadSeriesRequest& r,
                    grpc::ServerWriter<v1::SeriesChunk>* writer);
  absl::Status StoreRawFile(const Principal& p, grpc::ServerReader<v1::UploadRawFileRequest>* reader,
                            v1::SourceFile* out);
  // Writes the open cycle, the series state and a new cell-test revision
  // (with summaries) in one commit.
  absl::Status Finalize(const Principal& p, const RecordName& name, const std::string& series_id,
                        bool replace, storage::SeriesState& state, storage::UploadState* upload);
  // The upload `upload_id` into the cell test `record`: in its series, or in
  // the next series revision (a replacing upload); with the series id.
  absl::StatusOr<std::pair<std::string, std::optional<storage::UploadState>>> FindUpload(
      const storage::StoredRecord& record, const std::string& upload_id) const;
  // One lock per series: uploads to one test are applied one at a time.
  // A lock this call holds until it is destroyed.
  struct HeldLock {
    std::shared_ptr<std::mutex> mutex;
    std::unique_lock<std::mutex> lock;
  };
  // Takes the lock of one series (by cell test name) or of one raw file
  // being uploaded ("blob:" + SHA-256) without waiting: a call never waits
  // on another client's stream. FAILED_PRECONDITION `busy` (reason
  // `reason`) when another call holds it.
  absl::StatusOr<HeldLock> TryHold(const std::string& key, const std::string& busy,
                                   absl::string_view reason);

  ServiceContext hub_;
  storage::SeriesStore series_;
  std::mutex locks_mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace batteryhub
