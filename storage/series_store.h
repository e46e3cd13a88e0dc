// Time series of cell tests and raw files, beside the records in the same
// RocksDB (column families `series` and `blobs`; keys in keys.h). A series
// is a run of chunks; each chunk holds one encoded column (column_codec.h)
// per key, so reads decode only the columns asked for. Thread-compatible:
// callers serialise writes to one series.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "batteryhub/v1/cell_test.pb.h"
#include "storage/record_store.h"

namespace batteryhub::storage {

using ::batteryhub::storage::v1::BlobMeta;
using ::batteryhub::storage::v1::SeriesState;
using ::batteryhub::storage::v1::UploadState;

// Column name -> values of one chunk (views: nothing is copied).
using ChunkColumns = std::vector<std::pair<std::string, absl::Span<const double>>>;

// One chunk as read back: its first row and the requested columns.
struct ReadChunk {
  int64_t first_row;
  int64_t rows = 0;
  std::map<std::string, std::vector<double>> columns;
};

// The series digest chain: the digest after a chunk entry `key` -> `value`
// that follows `previous` ("" before the first).
// Where the series a cell test's revision carries is stored (SeriesId of
// its name and series generation).
inline std::string SeriesIdOf(const batteryhub::v1::CellTest& test) {
  return SeriesId(test.name(), test.series().generation());
}

std::string NextSeriesDigest(absl::string_view previous, absl::string_view key,
                             absl::string_view value);

class SeriesStore {
 public:
  explicit SeriesStore(RecordStore* store) : store_(store) {}

  // The series state (empty when the test has no series yet).
  absl::StatusOr<SeriesState> LoadState(absl::string_view cell_test) const;
  absl::StatusOr<std::optional<UploadState>> LoadUpload(absl::string_view cell_test,
                                                        absl::string_view upload_id) const;

  // Writes that store a chunk starting at series row `first_row`; folds the
  // encoded bytes into `*digest` (the series digest chain).
  std::vector<RawWrite> ChunkWrites(absl::string_view cell_test, int64_t first_row,
                                    const ChunkColumns& columns, std::string* digest) const;

  // The other writes of a series and of raw files: callers gather them
  // into one batch (Write) with the chunks; the keys are this store's.
  static RawWrite StateWrite(absl::string_view series, const SeriesState& state);
  static RawWrite UploadWrite(absl::string_view series, const UploadState& upload);
  static RawWrite UploadErase(absl::string_view series, absl::string_view upload_id);
  static RawWrite CycleWrite(absl::string_view series, const batteryhub::v1::CycleSummary& cycle);
  static RawWrite CycleErase(absl::string_view series, int64_t cycle);
  static RawWrite BlobPartWrite(absl::string_view sha256, uint64_t part, std::string data);
  static RawWrite BlobPartErase(absl::string_view sha256, uint64_t part);
  static RawWrite BlobMetaWrite(const BlobMeta& meta);
  // Erasures of every chunk of `series` from series row `first_row` on.
  absl::StatusOr<std::vector<RawWrite>> ChunkErasesFrom(absl::string_view series,
                                                        int64_t first_row) const;
  // Applies `writes` in one batch (the WAL synced when `sync`).
  absl::Status Write(const std::vector<RawWrite>& writes, bool sync = true) const {
    return store_->WriteRaw(writes, sync);
  }

  // Visits the chunks overlapping [start_row, end_row) in order, decoding
  // only `columns` (all when empty). Values are not trimmed to the range.
  absl::Status ReadChunks(absl::string_view cell_test, const std::vector<std::string>& columns,
                          int64_t start_row, int64_t end_row,
                          const std::function<bool(ReadChunk&)>& visit) const;

  // Searches in a column known to be non-decreasing (the test time of a
  // series whose checks found no step back), NaN rows aside; each probe
  // decodes one chunk of that column alone.
  //
  // The first finite value at or after `row` (forward) or at or before it,
  // within the chunk holding `row`; nullopt when that chunk has none there.
  absl::StatusOr<std::optional<double>> FiniteValueNear(absl::string_view cell_test,
                                                        const std::string& column, int64_t row,
                                                        bool forward) const;
  // The first row of [start_row, end_row) whose value (a NaN row taking the
  // next finite value of its chunk) is >= `value`, or > it with `after`:
  // end_row when none is. nullopt when a probe finds no finite value.
  absl::StatusOr<std::optional<int64_t>> LowerBoundRow(absl::string_view cell_test,
                                                       const std::string& column, int64_t start_row,
                                                       int64_t end_row, double value,
                                                       bool after) const;

  // Recomputes the digest chain over every stored chunk of the series (the
  // value SeriesInfo.digest must have).
  // Over the chunks of rows before `row_limit` only (a committed series;
  // an open upload's chunks come after it).
  absl::StatusOr<std::string> SeriesDigest(absl::string_view cell_test,
                                           int64_t row_limit = INT64_MAX) const;

  // Cycle summaries with cycle >= `from_cycle`, at most `limit`.
  absl::StatusOr<std::vector<batteryhub::v1::CycleSummary>> ListCycles(
      absl::string_view cell_test, int64_t from_cycle, int limit) const;

  // The revision at which a replica's series was stored complete (0: not
  // stored).
  absl::StatusOr<uint64_t> ReplicaSeriesRevision(absl::string_view cell_test) const;

  absl::StatusOr<std::optional<BlobMeta>> LoadBlob(absl::string_view sha256) const;
  // Streams the parts of a stored blob.
  absl::Status ReadBlob(absl::string_view sha256,
                        const std::function<bool(absl::string_view data)>& visit) const;

 private:
  RecordStore* store_;
};

// The largest part of a blob under one key.
inline constexpr size_t kBlobPartBytes = 1 << 20;

}  // namespace batteryhub::storage
