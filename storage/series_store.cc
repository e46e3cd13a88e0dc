#include "storage/series_store.h"

#include "absl/strings/str_cat.h"

#include <algorithm>
#include <cmath>

#include "core/sha256.h"
#include "core/status_macros.h"
#include "storage/column_codec.h"

namespace batteryhub::storage {
namespace {

template <typename Message>
absl::StatusOr<std::optional<Message>> LoadMessage(const RecordStore& store, ColumnFamily cf,
                                                   const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.GetRaw(cf, key));
  if (!bytes) return std::optional<Message>();
  Message m;
  if (!m.ParseFromString(*bytes)) return absl::DataLossError("corrupt value under a series key");
  return std::optional<Message>(std::move(m));
}

}  // namespace

absl::StatusOr<SeriesState> SeriesStore::LoadState(absl::string_view cell_test) const {
  ASSIGN_OR_RETURN(std::optional<SeriesState> state,
                   LoadMessage<SeriesState>(*store_, ColumnFamily::kSeries, SeriesStateKey(cell_test)));
  return state ? *state : SeriesState();
}

absl::StatusOr<std::optional<UploadState>> SeriesStore::LoadUpload(
    absl::string_view cell_test, absl::string_view upload_id) const {
  return LoadMessage<UploadState>(*store_, ColumnFamily::kSeries, UploadKey(cell_test, upload_id));
}

std::vector<RawWrite> SeriesStore::ChunkWrites(absl::string_view cell_test, int64_t first_row,
                                               const ChunkColumns& columns,
                                               std::string* digest) const {
  std::vector<RawWrite> writes;
  // The digest chains columns in key order (by name), so a scan of the
  // series recomputes it (SeriesDigest).
  std::vector<const std::pair<std::string, absl::Span<const double>>*> sorted;
  for (const auto& column : columns) sorted.push_back(&column);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* column : sorted) {
    const auto& [name, values] = *column;
    std::string key = SeriesChunkKey(cell_test, first_row, name);
    std::string value = EncodeColumn(values);
    *digest = NextSeriesDigest(*digest, key, value);
    writes.push_back({ColumnFamily::kSeries, std::move(key), std::move(value)});
  }
  return writes;
}

RawWrite SeriesStore::StateWrite(absl::string_view series, const SeriesState& state) {
  return {ColumnFamily::kSeries, SeriesStateKey(series), state.SerializeAsString()};
}

RawWrite SeriesStore::UploadWrite(absl::string_view series, const UploadState& upload) {
  return {ColumnFamily::kSeries, UploadKey(series, upload.upload_id()), upload.SerializeAsString()};
}

RawWrite SeriesStore::UploadErase(absl::string_view series, absl::string_view upload_id) {
  return {ColumnFamily::kSeries, UploadKey(series, upload_id), "", true};
}

RawWrite SeriesStore::CycleWrite(absl::string_view series, const batteryhub::v1::CycleSummary& cycle) {
  return {ColumnFamily::kSeries, CycleKey(series, cycle.cycle()), cycle.SerializeAsString()};
}

RawWrite SeriesStore::CycleErase(absl::string_view series, int64_t cycle) {
  return {ColumnFamily::kSeries, CycleKey(series, cycle), "", true};
}

RawWrite SeriesStore::BlobPartWrite(absl::string_view sha256, uint64_t part, std::string data) {
  return {ColumnFamily::kBlobs, BlobPartKey(sha256, part), std::move(data)};
}

RawWrite SeriesStore::BlobPartErase(absl::string_view sha256, uint64_t part) {
  return {ColumnFamily::kBlobs, BlobPartKey(sha256, part), "", true};
}

RawWrite SeriesStore::BlobMetaWrite(const BlobMeta& meta) {
  return {ColumnFamily::kBlobs, BlobMetaKey(meta.sha256()), meta.SerializeAsString()};
}

absl::StatusOr<std::vector<RawWrite>> SeriesStore::ChunkErasesFrom(absl::string_view series,
                                                                   int64_t first_row) const {
  std::vector<RawWrite> out;
  RETURN_IF_ERROR(store_->ScanRaw(
      ColumnFamily::kSeries, SeriesChunkPrefix(series),
      SeriesChunkKey(series, static_cast<uint64_t>(first_row), ""),
      [&](absl::string_view key, absl::string_view) {
        out.push_back({ColumnFamily::kSeries, std::string(key), "", true});
        return true;
      }));
  return out;
}

absl::Status SeriesStore::ReadChunks(absl::string_view cell_test,
                                     const std::vector<std::string>& columns, int64_t start_row,
                                     int64_t end_row,
                                     const std::function<bool(ReadChunk&)>& visit) const {
  const std::string prefix = SeriesChunkPrefix(cell_test);
  std::optional<ReadChunk> current;
  int64_t current_rows = 0;
  absl::Status status;
  bool stopped = false;
  auto flush = [&]() {
    if (current && current->first_row + current_rows > start_row && !stopped) {
      stopped = !visit(*current);
    }
    current.reset();
  };
  // Start at the chunk that holds start_row: the last key at or before it.
  std::string start;
  if (start_row > 0) {
    ASSIGN_OR_RETURN(std::optional<std::string> before,
                     store_->FindAtOrBefore(ColumnFamily::kSeries, prefix,
                                            SeriesChunkKey(cell_test, start_row, "")));
    uint64_t chunk_row;
    std::string ignored;
    if (before && ParseSeriesChunkKey(*before, &chunk_row, &ignored)) {
      start = SeriesChunkKey(cell_test, chunk_row, "");
    }
  }
  RETURN_IF_ERROR(store_->ScanRaw(
      ColumnFamily::kSeries, prefix, start, [&](absl::string_view key, absl::string_view value) {
        uint64_t first_row;
        std::string column;
        if (!ParseSeriesChunkKey(key, &first_row, &column)) {
          status = absl::DataLossError("corrupt series chunk key");
          return false;
        }
        if (end_row > 0 && static_cast<int64_t>(first_row) >= end_row) return false;
        if (!current || current->first_row != static_cast<int64_t>(first_row)) {
          flush();
          if (stopped) return false;
          current = ReadChunk{static_cast<int64_t>(first_row), 0, {}};
          current_rows = 0;
        }
        const bool wanted =
            columns.empty() || std::find(columns.begin(), columns.end(), column) != columns.end();
        if (!wanted) {
          // The chunk's length from the first column's header; nothing decoded.
          if (current_rows > 0) return true;
          absl::StatusOr<uint64_t> count = ColumnValueCount(value);
          if (!count.ok()) {
            status = count.status();
            return false;
          }
          current_rows = current->rows = static_cast<int64_t>(*count);
          return true;
        }
        absl::StatusOr<std::vector<double>> values = DecodeColumn(value);
        if (!values.ok()) {
          status = values.status();
          return false;
        }
        current_rows = static_cast<int64_t>(values->size());
        current->rows = current_rows;
        current->columns[column] = std::move(*values);
        return true;
      }));
  RETURN_IF_ERROR(status);
  flush();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<double>> SeriesStore::FiniteValueNear(absl::string_view cell_test,
                                                                   const std::string& column,
                                                                   int64_t row, bool forward) const {
  std::optional<double> found;
  RETURN_IF_ERROR(ReadChunks(cell_test, {column}, row, row + 1, [&](ReadChunk& chunk) {
    auto it = chunk.columns.find(column);
    if (it == chunk.columns.end()) return false;
    const std::vector<double>& v = it->second;
    const int64_t at = row - chunk.first_row;
    if (at < 0 || at >= static_cast<int64_t>(v.size())) return false;
    for (int64_t i = at; i >= 0 && i < static_cast<int64_t>(v.size()); i += forward ? 1 : -1) {
      if (std::isfinite(v[static_cast<size_t>(i)])) {
        found = v[static_cast<size_t>(i)];
        break;
      }
    }
    return false;
  }));
  return found;
}

absl::StatusOr<std::optional<int64_t>> SeriesStore::LowerBoundRow(absl::string_view cell_test,
                                                                  const std::string& column,
                                                                  int64_t start_row, int64_t end_row,
                                                                  double value, bool after) const {
  int64_t lo = start_row, hi = end_row;
  // The last chunk decoded: the search's final probes fall in one chunk.
  int64_t cached_first = -1;
  std::vector<double> cached;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (cached_first < 0 || mid < cached_first ||
        mid >= cached_first + static_cast<int64_t>(cached.size())) {
      cached.clear();
      RETURN_IF_ERROR(ReadChunks(cell_test, {column}, mid, mid + 1, [&](ReadChunk& chunk) {
        auto it = chunk.columns.find(column);
        if (it != chunk.columns.end()) cached = std::move(it->second);
        cached_first = chunk.first_row;
        return false;
      }));
      if (mid < cached_first || mid >= cached_first + static_cast<int64_t>(cached.size())) {
        return std::nullopt;  // no value stored for that row
      }
    }
    std::optional<double> x;
    for (size_t i = static_cast<size_t>(mid - cached_first); i < cached.size(); ++i) {
      if (std::isfinite(cached[i])) {
        x = cached[i];
        break;
      }
    }
    if (!x) return std::nullopt;
    if (after ? *x > value : *x >= value) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

std::string NextSeriesDigest(absl::string_view previous, absl::string_view key,
                             absl::string_view value) {
  // SHA-256(previous || key || value), without building the concatenation.
  Sha256Stream hash;
  hash.Update(previous);
  hash.Update(key);
  hash.Update(value);
  return hash.FinishHex();
}

absl::StatusOr<uint64_t> SeriesStore::ReplicaSeriesRevision(absl::string_view cell_test) const {
  return store_->GetU64(ColumnFamily::kMeta, ReplicaSeriesKey(cell_test), 0);
}

absl::StatusOr<std::string> SeriesStore::SeriesDigest(absl::string_view cell_test,
                                                      int64_t row_limit) const {
  std::string digest;
  bool corrupt = false;
  RETURN_IF_ERROR(store_->ScanRaw(
      ColumnFamily::kSeries, SeriesChunkPrefix(cell_test), "",
      [&](absl::string_view key, absl::string_view value) {
        uint64_t first_row;
        std::string column;
        if (!ParseSeriesChunkKey(key, &first_row, &column)) {
          corrupt = true;
          return false;
        }
        // Chunks sort by first row: the rest belong to an open upload.
        if (first_row >= static_cast<uint64_t>(row_limit)) return false;
        digest = NextSeriesDigest(digest, key, value);
        return true;
      }));
  if (corrupt) return absl::DataLossError(absl::StrCat("corrupt chunk key in ", cell_test));
  return digest;
}

absl::StatusOr<std::vector<batteryhub::v1::CycleSummary>> SeriesStore::ListCycles(
    absl::string_view cell_test, int64_t from_cycle, int limit) const {
  std::vector<batteryhub::v1::CycleSummary> out;
  absl::Status status;
  RETURN_IF_ERROR(store_->ScanRaw(ColumnFamily::kSeries, CyclePrefix(cell_test),
                                  CycleKey(cell_test, from_cycle),
                                  [&](absl::string_view, absl::string_view value) {
                                    batteryhub::v1::CycleSummary c;
                                    if (!c.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                                      status = absl::DataLossError("corrupt cycle summary");
                                      return false;
                                    }
                                    out.push_back(std::move(c));
                                    return static_cast<int>(out.size()) < limit;
                                  }));
  RETURN_IF_ERROR(status);
  return out;
}

absl::StatusOr<std::optional<BlobMeta>> SeriesStore::LoadBlob(absl::string_view sha256) const {
  return LoadMessage<BlobMeta>(*store_, ColumnFamily::kBlobs, BlobMetaKey(sha256));
}

absl::Status SeriesStore::ReadBlob(absl::string_view sha256,
                                   const std::function<bool(absl::string_view)>& visit) const {
  return store_->ScanRaw(ColumnFamily::kBlobs, BlobPartPrefix(sha256), "",
                         [&](absl::string_view, absl::string_view value) { return visit(value); });
}

}  // namespace batteryhub::storage
