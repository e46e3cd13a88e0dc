// UploadSeries, GetUploadStatus, AbortUpload and UploadRawFile: the gRPC
// face of the domain's series ingest (domain/series_ingest.h).
#include "services/record_calls.h"
#include "services/series_service.h"

namespace batteryhub {

grpc::Status SeriesServiceImpl::UploadSeries(grpc::ServerContext* c,
                                             grpc::ServerReader<v1::UploadSeriesRequest>* reader,
                                             v1::UploadSeriesResponse* out) {
  return RunStreamCall(hub_, c, "UploadSeries", "", [&](const Principal& p) {
    return ingest_.Upload(
        p, [reader](v1::UploadSeriesRequest* m) { return ReadMessage(reader, m); }, out);
  });
}

grpc::Status SeriesServiceImpl::GetUploadStatus(grpc::ServerContext* c,
                                                const v1::GetUploadStatusRequest* r,
                                                v1::UploadStatus* out) {
  return RunCall(hub_, *c, "GetUploadStatus", r->cell_test(),
                 [&](const Principal& p) { return ingest_.UploadStatus(p, *r, out); });
}

grpc::Status SeriesServiceImpl::AbortUpload(grpc::ServerContext* c, const v1::AbortUploadRequest* r,
                                            v1::UploadStatus* out) {
  return RunCall(hub_, *c, "AbortUpload", r->cell_test(),
                 [&](const Principal& p) { return ingest_.Abort(p, *r, out); });
}

grpc::Status SeriesServiceImpl::UploadRawFile(grpc::ServerContext* c,
                                              grpc::ServerReader<v1::UploadRawFileRequest>* reader,
                                              v1::SourceFile* out) {
  return RunStreamCall(hub_, c, "UploadRawFile", "", [&](const Principal& p) {
    return ingest_.StoreRawFile(
        p, [reader](v1::UploadRawFileRequest* m) { return ReadMessage(reader, m); }, out);
  });
}

}  // namespace batteryhub
