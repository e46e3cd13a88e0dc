// SeriesService: columnar, resumable uploads of cell-test time series
// (domain/series_ingest.h), projected reads, cycle summaries and raw files. Every path authorises
// through the record's visibility (reads) or write permission (uploads).
#pragma once


#include "batteryhub/v1/series_service.grpc.pb.h"
#include "core/cancellation.h"
#include "core/names.h"
#include "domain/series_ingest.h"
#include "services/service_context.h"
#include "storage/series_store.h"

namespace batteryhub {


class SeriesServiceImpl final : public v1::SeriesService::Service {
 public:
  explicit SeriesServiceImpl(const ServiceContext& hub)
      : hub_(hub), series_(hub.store), ingest_(hub) {}

  grpc::Status UploadSeries(grpc::ServerContext* c,
                            grpc::ServerReader<v1::UploadSeriesRequest>* reader,
                            v1::UploadSeriesResponse* out) override;
  grpc::Status GetUploadStatus(grpc::ServerContext* c, const v1::GetUploadStatusRequest* r,
                               v1::UploadStatus* out) override;
  grpc::Status AbortUpload(grpc::ServerContext* c, const v1::AbortUploadRequest* r,
                           v1::UploadStatus* out) override;
  grpc::Status ReadSeries(grpc::ServerContext* c, const v1::ReadSeriesRequest* r,
                          grpc::ServerWriter<v1::SeriesChunk>* writer) override;
  grpc::Status PlotSeries(grpc::ServerContext* c, const v1::PlotSeriesRequest* r,
                          v1::SeriesPlot* out) override;
  grpc::Status ListCycleSummaries(grpc::ServerContext* c, const v1::ListCycleSummariesRequest* r,
                                  v1::ListCycleSummariesResponse* out) override;
  grpc::Status UploadRawFile(grpc::ServerContext* c,
                             grpc::ServerReader<v1::UploadRawFileRequest>* reader,
                             v1::SourceFile* out) override;
  grpc::Status ReadRawFile(grpc::ServerContext* c, const v1::ReadRawFileRequest* r,
                           grpc::ServerWriter<v1::RawFileChunk>* writer) override;

 private:
  struct RowRange {
    int64_t start = 0, end = 0;
  };
  // Rows [start, end) of a row or (when end_cycle > 0) cycle range.
  absl::StatusOr<RowRange> RowsOf(const v1::CellTest& test, int64_t start_row, int64_t end_row,
                                  int64_t start_cycle, int64_t end_cycle) const;
  absl::Status Plot(const Principal& p, const v1::PlotSeriesRequest& r, const CancelledFn& cancelled,
                    v1::SeriesPlot* out);
  absl::Status Read(const Principal& p, const v1::ReadSeriesRequest& r,
                    grpc::ServerWriter<v1::SeriesChunk>* writer);

  ServiceContext hub_;
  storage::SeriesStore series_;
  SeriesIngest ingest_;
};

}  // namespace batteryhub
