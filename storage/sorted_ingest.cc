#include "storage/sorted_ingest.h"

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>

#include <atomic>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {
namespace {

// Where files wait for ingestion: emptied when the store opens.
std::string IngestDir(rocksdb::DB* db) { return db->GetName() + "/ingest"; }

}  // namespace

absl::StatusOr<std::unique_ptr<SortedIngest>> RecordStore::StartIngest(ColumnFamily cf) {
  static std::atomic<uint64_t> next_file{0};
  std::unique_ptr<SortedIngest> ingest(new SortedIngest());
  ingest->db_ = db_.get();
  ingest->handle_ = Handle(cf);
  std::error_code ec;
  std::filesystem::create_directories(IngestDir(db_.get()), ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", IngestDir(db_.get())));
  ingest->path_ = absl::StrCat(IngestDir(db_.get()), "/", next_file++, ".sst");
  // The family's own options: comparator, table format and checksums.
  const rocksdb::Options options = db_->GetOptions(ingest->handle_);
  rocksdb::EnvOptions env(options);
  // Start writeback every MiB, so the final sync has little left to wait for.
  env.bytes_per_sync = 1 << 20;
  ingest->writer_ = std::make_unique<rocksdb::SstFileWriter>(env, options, ingest->handle_);
  RETURN_IF_ERROR(FromRocks(ingest->writer_->Open(ingest->path_), "starting a bulk load"));
  return ingest;
}

void RecordStore::ClearIngestDir() {
  std::error_code ec;
  std::filesystem::remove_all(IngestDir(db_.get()), ec);
}

SortedIngest::~SortedIngest() {
  if (finished_) return;
  writer_.reset();
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

absl::Status SortedIngest::Add(absl::string_view key, absl::string_view value) {
  rocksdb::Status s = writer_->Put(rocksdb::Slice(key.data(), key.size()),
                                   rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("entries of a bulk load must come in key order: ", s.ToString()));
  }
  ++entries_;
  return absl::OkStatus();
}

absl::Status SortedIngest::Finish() {
  if (entries_ == 0) return absl::OkStatus();
  RETURN_IF_ERROR(FromRocks(writer_->Finish(), "finishing a bulk load"));
  rocksdb::IngestExternalFileOptions options;
  options.move_files = true;
  RETURN_IF_ERROR(
      FromRocks(db_->IngestExternalFile(handle_, {path_}, options), "ingesting a bulk load"));
  finished_ = true;
  return absl::OkStatus();
}

}  // namespace batteryhub::storage
