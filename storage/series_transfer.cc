#include "storage/series_transfer.h"

#include <future>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/status_macros.h"
#include "storage/keys.h"

namespace batteryhub::storage {

absl::Status ExportSeries(const ReadView& view, absl::string_view series_id,
                          const std::vector<std::string>& sha256s,
                          const std::function<absl::Status(SeriesPiece&)>& visit) {
  SeriesPiece piece;
  {
    std::unique_ptr<KeyCursor> c =
        view.PrefixCursor(ColumnFamily::kSeries, SeriesChunkPrefix(series_id), false);
    for (c->Rewind(); c->Valid(); c->Next()) {
      piece = {};
      uint64_t first_row = 0;
      if (!ParseSeriesChunkKey(c->key(), &first_row, &piece.column)) {
        return absl::DataLossError(absl::StrCat("a chunk key of ", series_id, " is malformed"));
      }
      piece.type = SeriesPiece::Type::kColumn;
      piece.first_row = static_cast<int64_t>(first_row);
      piece.data = std::string(c->value());
      RETURN_IF_ERROR(visit(piece));
    }
    RETURN_IF_ERROR(c->status());
  }
  {
    std::unique_ptr<KeyCursor> c =
        view.PrefixCursor(ColumnFamily::kSeries, CyclePrefix(series_id), false);
    for (c->Rewind(); c->Valid(); c->Next()) {
      piece = {};
      piece.type = SeriesPiece::Type::kCycle;
      piece.data = std::string(c->value());
      RETURN_IF_ERROR(visit(piece));
    }
    RETURN_IF_ERROR(c->status());
  }
  for (const std::string& sha256 : sha256s) {
    std::unique_ptr<KeyCursor> meta = view.PrefixCursor(ColumnFamily::kBlobs, BlobMetaKey(sha256), false);
    meta->Rewind();
    RETURN_IF_ERROR(meta->status());
    if (!meta->Valid() || meta->key() != BlobMetaKey(sha256)) continue;  // not stored here
    piece = {};
    piece.type = SeriesPiece::Type::kRawFile;
    piece.sha256 = sha256;
    piece.data = std::string(meta->value());
    RETURN_IF_ERROR(visit(piece));
    std::unique_ptr<KeyCursor> c = view.PrefixCursor(ColumnFamily::kBlobs, BlobPartPrefix(sha256), false);
    for (c->Rewind(); c->Valid(); c->Next()) {
      piece = {};
      piece.type = SeriesPiece::Type::kRawFilePart;
      piece.sha256 = sha256;
      absl::string_view rest = c->key();
      rest.remove_prefix(BlobPartPrefix(sha256).size());
      uint64_t part = 0;
      if (!ConsumeU64(&rest, &part) || !rest.empty()) {
        return absl::DataLossError(absl::StrCat("a part key of raw file ", sha256, " is malformed"));
      }
      piece.part = static_cast<int64_t>(part);
      piece.data = std::string(c->value());
      RETURN_IF_ERROR(visit(piece));
    }
    RETURN_IF_ERROR(c->status());
  }
  return absl::OkStatus();
}

ReplicaSeriesLoad::~ReplicaSeriesLoad() {
  if (syncing_.valid()) syncing_.wait();
}

absl::StatusOr<std::unique_ptr<ReplicaSeriesLoad>> ReplicaSeriesLoad::Begin(
    RecordStore* store, absl::string_view cell_test, int64_t generation,
    std::vector<std::string> sha256s) {
  std::unique_ptr<ReplicaSeriesLoad> load(new ReplicaSeriesLoad(
      store, std::string(cell_test), SeriesId(cell_test, generation),
      std::set<std::string>(sha256s.begin(), sha256s.end())));
  // This series revision and every earlier one go first (a replica holds
  // its current series only), and the replica's series is pending.
  std::vector<RawWrite> erase;
  for (int64_t g = 0; g <= generation; ++g) {
    const std::string id = SeriesId(cell_test, g);
    for (const std::string& prefix : {SeriesChunkPrefix(id), CyclePrefix(id)}) {
      RETURN_IF_ERROR(store->ScanRaw(ColumnFamily::kSeries, prefix, "",
                                     [&](absl::string_view key, absl::string_view) {
                                       erase.push_back({ColumnFamily::kSeries, std::string(key), "", true});
                                       return true;
                                     }));
    }
    if (g < generation) erase.push_back({ColumnFamily::kSeries, SeriesStateKey(id), "", true});
  }
  erase.push_back({ColumnFamily::kMeta, ReplicaSeriesKey(cell_test), "", true});
  RETURN_IF_ERROR(store->WriteRaw(erase, false));
  // The chunks (nearly all the bytes) arrive in key order: they go into an
  // SST file ingested once they check out; the rest through the log.
  ASSIGN_OR_RETURN(load->chunks_, store->StartIngest(ColumnFamily::kSeries));
  return load;
}

absl::Status ReplicaSeriesLoad::Add(SeriesPiece& piece) {
  const bool raw_file = piece.type == SeriesPiece::Type::kRawFile ||
                        piece.type == SeriesPiece::Type::kRawFilePart;
  if (raw_file && !sha256s_.count(piece.sha256)) {
    RETURN_IF_ERROR(Undo());
    return InvalidField("blocks", absl::StrCat("a raw file the series of ", cell_test_,
                                               " does not name"));
  }
  switch (piece.type) {
    case SeriesPiece::Type::kColumn: {
      if (piece.first_row < 0 || piece.column.empty()) {
        RETURN_IF_ERROR(Undo());
        return InvalidField("blocks", absl::StrCat("a column block of ", cell_test_,
                                                   " without its row or column name"));
      }
      const std::string key = SeriesChunkKey(series_id_, static_cast<uint64_t>(piece.first_row),
                                             piece.column);
      // The series digest chain over the chunks, as they come (in key order
      // from the origin; any other order is refused).
      if (absl::Status added = chunks_->Add(key, piece.data); !added.ok()) {
        RETURN_IF_ERROR(Undo());
        return InvalidField("blocks", absl::StrCat("the chunks of ", cell_test_,
                                                   " must come in key order"));
      }
      digest_ = NextSeriesDigest(digest_, key, piece.data);
      return absl::OkStatus();
    }
    case SeriesPiece::Type::kCycle: {
      batteryhub::v1::CycleSummary cycle;
      if (!cycle.ParseFromString(piece.data)) {
        RETURN_IF_ERROR(Undo());
        return InvalidField("blocks", "a malformed cycle summary");
      }
      ++cycles_;
      writes_.push_back(SeriesStore::CycleWrite(series_id_, cycle));
      written_.push_back(writes_.back().key);
      break;
    }
    case SeriesPiece::Type::kRawFile: {
      BlobMeta meta;
      if (!meta.ParseFromString(piece.data) || meta.sha256() != piece.sha256 ||
          meta.size_bytes() < 0 || meta.parts() < 0 || files_.count(piece.sha256)) {
        RETURN_IF_ERROR(Undo());
        return InvalidField("blocks", absl::StrCat("a malformed or repeated description of raw file ",
                                                   piece.sha256));
      }
      IncomingFile& file = files_[piece.sha256];
      file.meta = std::move(meta);
      ASSIGN_OR_RETURN(std::optional<std::string> here,
                       store_->GetRaw(ColumnFamily::kBlobs, BlobMetaKey(piece.sha256)));
      file.stored_here = here.has_value();
      return absl::OkStatus();
    }
    case SeriesPiece::Type::kRawFilePart: {
      auto it = files_.find(piece.sha256);
      if (it == files_.end() || piece.part != it->second.next_part ||
          piece.data.size() > kBlobPartBytes) {
        RETURN_IF_ERROR(Undo());
        return InvalidField("blocks", absl::StrCat("a part of raw file ", piece.sha256,
                                                   " before its description, out of order or too large"));
      }
      IncomingFile& file = it->second;
      ++file.next_part;
      if (file.stored_here) return absl::OkStatus();
      file.sha->Update(piece.data);
      file.size += static_cast<int64_t>(piece.data.size());
      writes_.push_back(SeriesStore::BlobPartWrite(piece.sha256, static_cast<uint64_t>(piece.part),
                                                   std::move(piece.data)));
      break;
    }
  }
  pending_bytes_ += writes_.back().key.size() + writes_.back().value.size();
  if (pending_bytes_ >= (4 << 20)) return Flush(false);
  return absl::OkStatus();
}

absl::Status ReplicaSeriesLoad::Flush(bool last) {
  RETURN_IF_ERROR(store_->WriteRaw(writes_, false));
  writes_.clear();
  pending_bytes_ = 0;
  // The log is synced behind the copy, on a second thread, so the disk
  // works while the next blocks are read, hashed and written.
  if (syncing_.valid()) RETURN_IF_ERROR(syncing_.get());
  if (!last) syncing_ = std::async(std::launch::async, [this] { return store_->SyncWal(); });
  return absl::OkStatus();
}

absl::Status ReplicaSeriesLoad::Undo() {
  if (syncing_.valid()) syncing_.wait();
  writes_.clear();
  for (const std::string& key : written_) writes_.push_back({ColumnFamily::kSeries, key, "", true});
  written_.clear();
  for (const auto& [sha256, file] : files_) {
    for (int64_t part = 0; !file.stored_here && part < file.next_part; ++part) {
      writes_.push_back(SeriesStore::BlobPartErase(sha256, static_cast<uint64_t>(part)));
    }
  }
  files_.clear();
  absl::Status s = store_->WriteRaw(writes_, true);
  writes_.clear();
  return s;
}

absl::Status ReplicaSeriesLoad::Finish(const batteryhub::v1::SeriesInfo& info,
                                       absl::string_view digest, uint64_t revision) {
  SeriesState state;
  *state.mutable_info() = info;
  state.set_closed_cycles(cycles_);
  writes_.push_back(SeriesStore::StateWrite(series_id_, state));
  written_.push_back(writes_.back().key);
  RETURN_IF_ERROR(Flush(true));
  if (digest_ != digest) {
    RETURN_IF_ERROR(Undo());
    return WithReason(absl::InvalidArgumentError(absl::StrCat(
                          "the series sent for ", cell_test_,
                          " does not match the digest its replica carries: refused")),
                      "SERIES_DIGEST_MISMATCH");
  }
  for (auto& [sha256, file] : files_) {
    if (file.stored_here) continue;
    if (file.sha->FinishHex() != sha256 || file.size != file.meta.size_bytes() ||
        file.next_part != file.meta.parts()) {
      const std::string name = sha256;
      RETURN_IF_ERROR(Undo());
      return WithReason(absl::InvalidArgumentError(absl::StrCat(
                            "the raw file ", name, " sent for ", cell_test_,
                            " does not match its SHA-256 and size: refused")),
                        "RAW_FILE_DIGEST_MISMATCH");
    }
    writes_.push_back(SeriesStore::BlobMetaWrite(file.meta));
  }
  RETURN_IF_ERROR(Flush(true));
  RETURN_IF_ERROR(chunks_->Finish());
  std::string value;
  AppendU64(&value, revision);
  return store_->WriteRaw({{ColumnFamily::kMeta, ReplicaSeriesKey(cell_test_), value, false}}, true);
}

}  // namespace batteryhub::storage
