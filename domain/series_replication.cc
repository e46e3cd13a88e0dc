#include "domain/series_replication.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/status_macros.h"
#include "domain/record_access.h"
#include "storage/series_transfer.h"

namespace batteryhub {
namespace {

using storage::SeriesPiece;

// A piece as the wire carries it, and back.
void ToBlock(SeriesPiece& piece, v1::SeriesBlock* b) {
  switch (piece.type) {
    case SeriesPiece::Type::kColumn: {
      v1::SeriesColumnBlock* c = b->mutable_column();
      c->set_first_row(piece.first_row);
      c->set_column(std::move(piece.column));
      c->set_encoded(std::move(piece.data));
      break;
    }
    case SeriesPiece::Type::kCycle:
      b->mutable_cycle()->ParseFromString(piece.data);
      break;
    case SeriesPiece::Type::kRawFile: {
      storage::BlobMeta meta;
      meta.ParseFromString(piece.data);
      v1::RawFileInfo* f = b->mutable_raw_file();
      f->set_sha256(meta.sha256());
      f->set_size_bytes(meta.size_bytes());
      f->set_file_name(meta.file_name());
      f->set_parts(meta.parts());
      break;
    }
    case SeriesPiece::Type::kRawFilePart: {
      v1::RawFilePart* f = b->mutable_raw_file_part();
      f->set_sha256(std::move(piece.sha256));
      f->set_part(piece.part);
      f->set_data(std::move(piece.data));
      break;
    }
  }
}

absl::Status FromBlock(v1::SeriesBlock& b, SeriesPiece* piece) {
  *piece = {};
  switch (b.block_case()) {
    case v1::SeriesBlock::kColumn:
      piece->type = SeriesPiece::Type::kColumn;
      piece->first_row = b.column().first_row();
      piece->column = std::move(*b.mutable_column()->mutable_column());
      piece->data = std::move(*b.mutable_column()->mutable_encoded());
      return absl::OkStatus();
    case v1::SeriesBlock::kCycle:
      piece->type = SeriesPiece::Type::kCycle;
      piece->data = b.cycle().SerializeAsString();
      return absl::OkStatus();
    case v1::SeriesBlock::kRawFile: {
      piece->type = SeriesPiece::Type::kRawFile;
      piece->sha256 = b.raw_file().sha256();
      storage::BlobMeta meta;
      meta.set_sha256(b.raw_file().sha256());
      meta.set_size_bytes(b.raw_file().size_bytes());
      meta.set_file_name(b.raw_file().file_name());
      meta.set_parts(b.raw_file().parts());
      piece->data = meta.SerializeAsString();
      return absl::OkStatus();
    }
    case v1::SeriesBlock::kRawFilePart:
      piece->type = SeriesPiece::Type::kRawFilePart;
      piece->sha256 = b.raw_file_part().sha256();
      piece->part = b.raw_file_part().part();
      piece->data = std::move(*b.mutable_raw_file_part()->mutable_data());
      return absl::OkStatus();
    case v1::SeriesBlock::BLOCK_NOT_SET:
      break;
  }
  return InvalidField("blocks", "a block that is none of column, cycle, raw_file, raw_file_part");
}

std::vector<std::string> RawFilesOf(const v1::CellTest& test) {
  std::vector<std::string> out;
  for (const v1::SourceFile& f : test.series().sources()) {
    if (!f.sha256().empty()) out.push_back(f.sha256());
  }
  return out;
}

}  // namespace

absl::Status StreamSeries(const HubContext& hub, const Principal& p, const std::string& name_text,
                          const std::function<bool(const v1::SeriesBlocks&)>& send) {
  ASSIGN_OR_RETURN(RecordName name, ParseRecordName(name_text, "cellTests", "name", false));
  ASSIGN_OR_RETURN(storage::StoredRecord record,
                   LoadVisibleRecord(hub, p, storage::v1::RECORD_KIND_CELL_TEST, name, "cell test",
                                     nullptr, v1::TIER_FULL));
  if (!record.origin_hub().empty()) return NotVisible(name.Name());  // never sent on
  v1::CellTest test;
  if (!test.ParseFromString(record.resource())) return absl::DataLossError("corrupt cell test");
  std::unique_ptr<storage::ReadView> view = hub.store->View();
  v1::SeriesBlocks message;
  size_t bytes = 0;
  auto flush = [&]() -> absl::Status {
    if (message.blocks_size() == 0) return absl::OkStatus();
    if (!send(message)) return absl::CancelledError("the caller went away");
    message.Clear();
    bytes = 0;
    return absl::OkStatus();
  };
  // The test's current series revision only.
  RETURN_IF_ERROR(storage::ExportSeries(*view, storage::SeriesIdOf(test), RawFilesOf(test),
                                        [&](SeriesPiece& piece) -> absl::Status {
                                          bytes += piece.data.size() + 64;
                                          ToBlock(piece, message.add_blocks());
                                          if (bytes >= (1 << 20)) return flush();
                                          return absl::OkStatus();
                                        }));
  return flush();
}

absl::Status ApplySeries(const HubContext& hub, const MessageSource<v1::ApplySeriesRequest>& next,
                         v1::ApplySeriesResponse* out) {
  v1::ApplySeriesRequest msg;
  if (!next(&msg)) return InvalidField("name", "the first message must name the replica");
  absl::StatusOr<storage::StoredRecord> record =
      hub.store->Get(storage::v1::RECORD_KIND_CELL_TEST, msg.name());
  if (!record.ok() || record->origin_hub().empty() || record->origin_hub() != msg.origin_hub()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "no replica '", msg.name(), "' from hub '", msg.origin_hub(),
                          "' here: apply its change first")),
                      "NO_REPLICA");
  }
  v1::CellTest test;
  if (!test.ParseFromString(record->resource())) return absl::DataLossError("corrupt replica");
  const std::string name = msg.name();
  ASSIGN_OR_RETURN(std::unique_ptr<storage::ReplicaSeriesLoad> load,
                   storage::ReplicaSeriesLoad::Begin(hub.store, name, test.series().generation(),
                                                     RawFilesOf(test)));
  SeriesPiece piece;
  do {
    for (v1::SeriesBlock& b : *msg.mutable_blocks()) {
      out->set_blocks(out->blocks() + 1);
      out->set_bytes(out->bytes() + static_cast<int64_t>(b.ByteSizeLong()));
      if (absl::Status read = FromBlock(b, &piece); !read.ok()) {
        RETURN_IF_ERROR(load->Undo());
        return read;
      }
      RETURN_IF_ERROR(load->Add(piece));
    }
  } while (next(&msg));
  RETURN_IF_ERROR(load->Finish(test.series(), test.series().digest(), record->revision()));
  out->set_rows(test.series().row_count());
  return absl::OkStatus();
}

}  // namespace batteryhub
