// A series and the raw files it names as pieces that say what they are (a
// column of a chunk, a cycle summary, a raw file's description, a part of
// it), never keys: how the sync carries a series between hubs. The origin
// exports the pieces from a snapshot; the receiver loads them under its own
// keys, refusing any piece that is not of the replica's series or its raw
// files, and keeps them only if the chunks add up to the series digest the
// replica carries.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/sha256.h"
#include "storage/read_view.h"
#include "storage/record_store.h"
#include "storage/series_store.h"

namespace batteryhub::storage {

struct SeriesPiece {
  enum class Type { kColumn, kCycle, kRawFile, kRawFilePart };
  Type type = Type::kColumn;
  // kColumn: the chunk's first series row and the column's name.
  int64_t first_row = 0;
  std::string column;
  // kRawFile, kRawFilePart: the file; kRawFilePart: which part.
  std::string sha256;
  int64_t part = 0;
  // kColumn: the encoded column; kCycle: a serialized CycleSummary;
  // kRawFile: a serialized BlobMeta; kRawFilePart: the bytes.
  std::string data;
};

// Visits, from `view`, the pieces of the series `series_id` (chunk columns
// in key order, then the cycles) and of the raw files `sha256s` (each file's
// description, then its parts). `visit` stops the walk with an error.
absl::Status ExportSeries(const ReadView& view, absl::string_view series_id,
                          const std::vector<std::string>& sha256s,
                          const std::function<absl::Status(SeriesPiece&)>& visit);

// Stores the series of one replica, piece by piece.
class ReplicaSeriesLoad {
 public:
  // Removes what the replica `cell_test` held of any series (a replica
  // holds its current series only) and marks its series pending; the
  // pieces to come belong to series revision `generation` and the raw
  // files `sha256s`.
  static absl::StatusOr<std::unique_ptr<ReplicaSeriesLoad>> Begin(
      RecordStore* store, absl::string_view cell_test, int64_t generation,
      std::vector<std::string> sha256s);
  ~ReplicaSeriesLoad();

  // INVALID_ARGUMENT for a piece outside the series and its raw files,
  // chunks out of key order, or raw-file parts out of order or before
  // their description; everything loaded so far is undone then.
  absl::Status Add(SeriesPiece& piece);
  // The series' digest chain over the chunks added so far.
  const std::string& digest() const { return digest_; }
  // Keeps the series if its digest is `digest` and every raw file matches
  // its SHA-256 and size (INVALID_ARGUMENT, and everything undone,
  // otherwise): ingests the chunks, stores the raw files' descriptions,
  // writes the series state `info` and marks the replica's series stored
  // at `revision`.
  absl::Status Finish(const batteryhub::v1::SeriesInfo& info, absl::string_view digest,
                      uint64_t revision);
  // Removes the series entries written so far (a refused stream); the
  // replica's series stays pending.
  absl::Status Undo();

 private:
  ReplicaSeriesLoad(RecordStore* store, std::string cell_test, std::string series_id,
                    std::set<std::string> sha256s)
      : store_(store), cell_test_(std::move(cell_test)), series_id_(std::move(series_id)),
        sha256s_(std::move(sha256s)) {}
  // Writes what is pending through the log (its sync on a second thread).
  absl::Status Flush(bool last);

  RecordStore* store_;
  std::string cell_test_, series_id_;
  std::set<std::string> sha256s_;
  std::unique_ptr<SortedIngest> chunks_;
  std::vector<RawWrite> writes_;
  std::vector<std::string> written_;  // series keys written through the log
  size_t pending_bytes_ = 0;
  int64_t cycles_ = 0;
  std::string digest_;
  // A raw file as it arrives: parts are hashed in order, and its
  // description is stored only once the bytes match its SHA-256 and size
  // (the blob store is content-addressed: bytes under a hash they do not
  // have would serve every record naming it). A file already stored here
  // is not written again.
  struct IncomingFile {
    BlobMeta meta;
    std::unique_ptr<Sha256Stream> sha = std::make_unique<Sha256Stream>();
    int64_t size = 0;
    int64_t next_part = 0;
    bool stored_here = false;
  };
  std::map<std::string, IncomingFile> files_;
  std::future<absl::Status> syncing_;  // the log's sync behind the copy
};

}  // namespace batteryhub::storage
