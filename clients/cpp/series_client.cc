// HubClient's streaming series calls.
#include <algorithm>
#include <thread>

#include "clients/cpp/hub_client.h"

#include "absl/strings/match.h"

namespace batteryhub::client {
namespace {

// Streams carry bulk data: give them an hour, not the unary deadline.
constexpr std::chrono::milliseconds kStreamDeadline = std::chrono::hours(1);

}  // namespace

grpc::Status HubClient::GetUploadStatus(const std::string& cell_test, const std::string& upload_id,
                                        v1::UploadStatus* out) {
  v1::GetUploadStatusRequest req;
  req.set_cell_test(cell_test);
  req.set_upload_id(upload_id);
  return Call(true, [&](grpc::ClientContext* c) { return series_->GetUploadStatus(c, req, out); });
}

grpc::Status HubClient::UploadAttempt(
    const v1::UploadHeader& header, int64_t chunk_rows, int64_t committed,
    const std::function<void(int64_t, int64_t, v1::SeriesChunk*)>& chunk,
    const std::function<void(int64_t)>& progress, v1::UploadSeriesResponse* out) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kStreamDeadline);
  auto writer = series_->UploadSeries(&ctx, out);
  v1::UploadSeriesRequest msg;
  *msg.mutable_header() = header;
  bool ok = writer->Write(msg);
  for (int64_t row = committed; ok && row < header.row_count(); row += chunk_rows) {
    const int64_t rows = std::min(chunk_rows, header.row_count() - row);
    msg.Clear();
    chunk(row, rows, msg.mutable_chunk());
    msg.mutable_chunk()->set_first_row(row);
    ok = writer->Write(msg);
    if (ok && progress) progress(row + rows);
  }
  if (ok) writer->WritesDone();
  return writer->Finish();
}

grpc::Status HubClient::UploadSeries(
    const v1::UploadHeader& header, int64_t chunk_rows,
    const std::function<void(int64_t, int64_t, v1::SeriesChunk*)>& chunk,
    const std::function<void(int64_t)>& progress, v1::UploadSeriesResponse* out) {
  // Each attempt resumes after what the hub already committed.
  return RetryUnavailable(options_, [&] {
    v1::UploadStatus known;
    grpc::Status s = GetUploadStatus(header.cell_test(), header.upload_id(), &known);
    int64_t committed = 0;
    if (s.ok()) committed = known.committed_rows();
    else if (s.error_code() != grpc::StatusCode::NOT_FOUND) return s;
    out->Clear();
    return UploadAttempt(header, chunk_rows, committed, chunk, progress, out);
  });
}

grpc::Status HubClient::ReadSeries(const v1::ReadSeriesRequest& req,
                                   const std::function<bool(const v1::SeriesChunk&)>& on_chunk) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kStreamDeadline);
  auto reader = series_->ReadSeries(&ctx, req);
  v1::SeriesChunk chunk;
  while (reader->Read(&chunk)) {
    if (!on_chunk(chunk)) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status s = reader->Finish();
  return s.error_code() == grpc::StatusCode::CANCELLED ? grpc::Status::OK : s;
}

grpc::Status HubClient::StreamSeries(const std::string& name,
                                     const std::function<bool(v1::SeriesBlocks&)>& on_blocks) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kStreamDeadline);
  v1::StreamSeriesRequest req;
  req.set_name(name);
  auto reader = sync_->StreamSeries(&ctx, req);
  v1::SeriesBlocks blocks;
  bool stopped = false;
  while (reader->Read(&blocks)) {
    if (!on_blocks(blocks)) {
      stopped = true;
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status s = reader->Finish();
  return stopped ? grpc::Status(grpc::StatusCode::CANCELLED, "stopped by the caller") : s;
}

grpc::Status HubClient::ApplySeries(const std::string& origin_hub, const std::string& name,
                                    const std::function<bool(v1::SeriesBlocks*)>& next,
                                    v1::ApplySeriesResponse* out) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kStreamDeadline);
  auto writer = sync_->ApplySeries(&ctx, out);
  v1::ApplySeriesRequest msg;
  msg.set_origin_hub(origin_hub);
  msg.set_name(name);
  v1::SeriesBlocks blocks;
  bool more = true;
  do {
    blocks.Clear();
    more = next(&blocks);
    msg.mutable_blocks()->Swap(blocks.mutable_blocks());
    if (!writer->Write(msg)) break;
    msg.Clear();
  } while (more);
  writer->WritesDone();
  return writer->Finish();
}

grpc::Status HubClient::UploadRawFile(const std::string& cell_test, const v1::SourceFile& header,
                                      const std::string& bytes, v1::SourceFile* out,
                                      const std::function<void(int64_t)>& progress) {
  constexpr size_t kPart = 1 << 20;  // hubs accept 16 MiB messages unless configured lower
  return Call(true, [&](grpc::ClientContext* c) {
    c->set_deadline(std::chrono::system_clock::now() + kStreamDeadline);
    auto writer = series_->UploadRawFile(c, out);
    v1::UploadRawFileRequest msg;
    *msg.mutable_header() = header;
    if (absl::StrContains(cell_test, "/characterizations/")) {
      msg.set_characterization(cell_test);
    } else {
      msg.set_cell_test(cell_test);
    }
    bool ok = writer->Write(msg);
    for (size_t off = 0; ok && off < bytes.size(); off += kPart) {
      msg.Clear();
      msg.set_data(bytes.substr(off, kPart));
      ok = writer->Write(msg);
      if (ok && progress) progress(static_cast<int64_t>(std::min(bytes.size(), off + kPart)));
    }
    if (ok) writer->WritesDone();
    return writer->Finish();
  });
}

grpc::Status HubClient::ReadRawFile(const std::string& cell_test, const std::string& sha256,
                                    std::string* bytes) {
  grpc::ClientContext ctx;
  Prepare(&ctx, kStreamDeadline);
  v1::ReadRawFileRequest req;
  if (absl::StrContains(cell_test, "/characterizations/")) {
    req.set_characterization(cell_test);
  } else {
    req.set_cell_test(cell_test);
  }
  req.set_sha256(sha256);
  auto reader = series_->ReadRawFile(&ctx, req);
  v1::RawFileChunk chunk;
  bytes->clear();
  while (reader->Read(&chunk)) *bytes += chunk.data();
  return reader->Finish();
}

}  // namespace batteryhub::client
