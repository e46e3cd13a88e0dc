// Series ingest: resumable, columnar uploads of a cell test's time series
// (UploadSeries, GetUploadStatus, AbortUpload) and raw-file uploads
// (UploadRawFile), with no transport. A call's stream of messages comes in
// as a MessageSource; the services pass their gRPC reader.
//
// An upload writes each chunk with the series state in one synced batch
// (resumable after any crash); the last chunk closes the open cycle and
// commits a new cell-test revision (series info, summaries) in the same
// batch. Refused input aborts the upload: nothing of it stays.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "batteryhub/v1/series_service.pb.h"
#include "core/names.h"
#include "domain/hub_context.h"
#include "storage/series_store.h"

namespace batteryhub {

// The messages of one call, one at a time; false at the end of the stream.
template <typename Message>
using MessageSource = std::function<bool(Message*)>;

class SeriesIngest {
 public:
  explicit SeriesIngest(const HubContext& hub) : hub_(hub), series_(hub.store) {}

  // An upload: its header first, then chunks in row order. `out` says how
  // far it got (and, once complete, the new cell-test revision).
  absl::Status Upload(const Principal& p, const MessageSource<v1::UploadSeriesRequest>& next,
                      v1::UploadSeriesResponse* out);
  absl::Status UploadStatus(const Principal& p, const v1::GetUploadStatusRequest& r,
                            v1::UploadStatus* out) const;
  absl::Status Abort(const Principal& p, const v1::AbortUploadRequest& r, v1::UploadStatus* out);
  // A raw file: its header first, then its bytes; kept once its size and
  // SHA-256 match the header.
  absl::Status StoreRawFile(const Principal& p,
                            const MessageSource<v1::UploadRawFileRequest>& next,
                            v1::SourceFile* out);

 private:
  // The chunk loop of Upload; a refusal of the input is returned as such.
  absl::Status TakeChunks(const MessageSource<v1::UploadSeriesRequest>& next,
                          const v1::UploadHeader& header, const std::string& series_id,
                          storage::SeriesState* state, storage::UploadState* upload);
  // Undoes the open upload `upload` of a series (caller holds its lock).
  absl::Status AbortOpenUpload(const std::string& series_id, const storage::UploadState& upload);
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

  HubContext hub_;
  storage::SeriesStore series_;
  std::mutex locks_mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace batteryhub
