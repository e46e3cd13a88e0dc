#include "domain/series_ingest.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/bdf_columns.h"
#include "core/cycle_summarizer.h"
#include "core/series_checks.h"
#include "core/digest.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "domain/call_audit.h"
#include "domain/record_access.h"
#include "domain/record_stamp.h"
#include "absl/strings/match.h"

namespace batteryhub {
namespace {

using storage::RawWrite;
using storage::SeriesState;
using storage::UploadState;

constexpr int64_t kMaxChunkRows = 1 << 18;
constexpr const char* kNoun = "cell test";

bool HoldsBlob(const storage::BlobMeta& meta, const std::string& record) {
  for (const std::string& h : meta.holders()) {
    if (h == record) return true;
  }
  return false;
}
constexpr int64_t kMaxRawFileBytes = int64_t{8} << 30;

absl::Status CheckHeader(const v1::UploadHeader& h) {
  Violations v;
  if (h.upload_id().empty() || h.upload_id().size() > 128) {
    v.Add("header.upload_id", "is required: 1-128 characters");
  }
  if (h.row_count() <= 0 || h.row_count() > (int64_t{1} << 40)) {
    v.Add("header.row_count", "must be > 0");
  }
  std::set<std::string> names;
  for (int i = 0; i < h.columns_size(); ++i) {
    const std::string& name = h.columns(i).name();
    if (FindBdfColumn(name) == nullptr) {
      v.Add(absl::StrCat("header.columns[", i, "].name"),
            absl::StrCat("'", name, "' is not a BDF column name the hub knows (e.g. voltage_volt)"));
    }
    if (!names.insert(name).second) v.Add(absl::StrCat("header.columns[", i, "].name"), "appears twice");
  }
  for (const char* required : {"test_time_second", "voltage_volt", "current_ampere"}) {
    if (!names.count(required)) v.Add("header.columns", absl::StrCat("must include ", required));
  }
  if (!h.source().sha256().empty() && !IsSha256Hex(h.source().sha256())) {
    v.Add("header.source.sha256", "must be 64 hex characters");
  }
  return v.ToStatus("upload header");
}

// Column index by name in the header order.
int IndexOf(const v1::UploadHeader& h, const std::string& name) {
  for (int i = 0; i < h.columns_size(); ++i) {
    if (h.columns(i).name() == name) return i;
  }
  return -1;
}

absl::Status CheckChunk(const v1::UploadHeader& h, const v1::SeriesChunk& chunk) {
  if (chunk.columns_size() != h.columns_size()) {
    return InvalidField("chunk.columns", absl::StrCat("has ", chunk.columns_size(),
                                                 " columns; the header announced ", h.columns_size()));
  }
  const int rows = chunk.columns(0).values_size();
  if (rows == 0 || rows > kMaxChunkRows) {
    return InvalidField("chunk.columns", absl::StrCat("a chunk holds 1 to ", kMaxChunkRows, " rows"));
  }
  for (int i = 0; i < chunk.columns_size(); ++i) {
    const auto& c = chunk.columns(i);
    if (c.name() != h.columns(i).name()) {
      return InvalidField(absl::StrCat("chunk.columns[", i, "].name"),
                     absl::StrCat("expected '", h.columns(i).name(), "' (header order)"));
    }
    if (c.values_size() != rows) {
      return InvalidField(absl::StrCat("chunk.columns[", i, "].values"),
                     absl::StrCat("has ", c.values_size(), " values; column 0 has ", rows));
    }
    const bool required = c.name() == "test_time_second" || c.name() == "voltage_volt" ||
                          c.name() == "current_ampere";
    for (int k = 0; required && k < rows; ++k) {
      if (!std::isfinite(c.values(k))) {
        return InvalidField(absl::StrCat("chunk.columns[", i, "].values[", k, "]"),
                       absl::StrCat("row ", chunk.first_row() + k, ": ", c.name(),
                                    " must be a finite number"));
      }
    }
    // Counters become integers: NaN is "missing", anything else must be a
    // number an int32 holds (no out-of-range float-to-int conversion).
    const bool counter = c.name() == "cycle_count" || c.name() == "step_count" ||
                         c.name() == "step_index";
    for (int k = 0; counter && k < rows; ++k) {
      const double v = c.values(k);
      if (std::isnan(v)) continue;
      if (!(v >= -2147483648.0 && v <= 2147483647.0)) {
        return InvalidField(absl::StrCat("chunk.columns[", i, "].values[", k, "]"),
                            absl::StrCat("row ", chunk.first_row() + k, ": ", c.name(),
                                         " must be a count within +-2^31"));
      }
    }
  }
  return absl::OkStatus();
}

std::string HeaderDigest(const v1::UploadHeader& h) { return Sha256Hex(DeterministicBytes(h)); }

// Records in `upload` that it writes cycle `cycle`'s summary, with the value
// that summary had before the upload (once), so that an abort can undo it.
absl::Status NoteCycleWrite(const storage::SeriesStore& series, const std::string& test,
                            int64_t cycle, UploadState* upload) {
  for (int64_t c : upload->written_cycles()) {
    if (c == cycle) return absl::OkStatus();
  }
  upload->add_written_cycles(cycle);
  ASSIGN_OR_RETURN(std::vector<v1::CycleSummary> found, series.ListCycles(test, cycle, 1));
  if (!found.empty() && found[0].cycle() == cycle) *upload->add_replaced() = found[0];
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SeriesIngest::HeldLock> SeriesIngest::TryHold(
    const std::string& key, const std::string& busy, absl::string_view reason) {
  HeldLock held;
  {
    std::lock_guard<std::mutex> lock(locks_mu_);
    auto& m = locks_[key];
    if (!m) m = std::make_shared<std::mutex>();
    held.mutex = m;
  }
  held.lock = std::unique_lock<std::mutex>(*held.mutex, std::try_to_lock);
  if (!held.lock.owns_lock()) return WithReason(absl::FailedPreconditionError(busy), reason);
  return held;
}

absl::Status SeriesIngest::Upload(const Principal& p,
                                  const MessageSource<v1::UploadSeriesRequest>& next,
                                  v1::UploadSeriesResponse* out) {
  v1::UploadSeriesRequest msg;
  if (!next(&msg) || !msg.has_header()) {
    return InvalidField("header", "the first message of an upload must be its header");
  }
  v1::UploadHeader header = msg.header();
  header.mutable_source()->set_sha256(absl::AsciiStrToLower(header.source().sha256()));
  ASSIGN_OR_RETURN(RecordName name, ParseRecordName(header.cell_test(), "cellTests",
                                                    "header.cell_test", false));
  ASSIGN_OR_RETURN(storage::StoredRecord record,
                   LoadWritableRecord(hub_, p, storage::v1::RECORD_KIND_CELL_TEST, name, kNoun));
  RETURN_IF_ERROR(CheckHeader(header));
  v1::CellTest current;
  if (!current.ParseFromString(record.resource())) return absl::DataLossError("corrupt cell test");
  // A replacing upload writes the next series revision, which becomes the
  // test's series when it completes; until then the old one is read.
  const int64_t generation = current.series().generation() + (header.replace() ? 1 : 0);
  const std::string series_id = storage::SeriesId(name.Name(), generation);
  if (!header.source().sha256().empty()) {
    // The series may name a raw file this test holds (streamed to it), or one
    // its series names already; never another record's file by its hash.
    ASSIGN_OR_RETURN(std::optional<storage::BlobMeta> blob, series_.LoadBlob(header.source().sha256()));
    bool named = false;
    for (const v1::SourceFile& s : current.series().sources()) named |= s.sha256() == header.source().sha256();
    if (!blob || (!HoldsBlob(*blob, name.Name()) && !named)) {
      return InvalidField("header.source.sha256",
                          absl::StrCat("no raw file with this SHA-256 was uploaded to ", name.Name(),
                                       ": upload it first (UploadRawFile with this cell_test)"));
    }
  }
  const std::string test = name.Name();
  ASSIGN_OR_RETURN(HeldLock held,
                   TryHold(test, absl::StrCat("another upload into ", test,
                                              " is streaming now: retry once it ends"),
                           "UPLOAD_STREAMING"));
  ASSIGN_OR_RETURN(SeriesState state, series_.LoadState(series_id));
  state.mutable_info()->set_generation(generation);
  ASSIGN_OR_RETURN(std::optional<UploadState> existing,
                   series_.LoadUpload(series_id, header.upload_id()));
  UploadState upload;
  if (existing) {
    if (existing->header_digest() != HeaderDigest(header)) {
      return InvalidField("header.upload_id", "was used for a different upload (other header)");
    }
    upload = *existing;
  } else {
    if (!state.open_upload().empty()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "upload '", state.open_upload(), "' into ", test,
                            " is unfinished: resume it first (bhub upload resumes)")),
                        "UPLOAD_IN_PROGRESS");
    }
    upload.set_upload_id(header.upload_id());
    upload.set_first_row(state.info().row_count());
    upload.set_row_count(header.row_count());
    upload.set_header_digest(HeaderDigest(header));
    *upload.mutable_source() = header.source();
    *upload.mutable_before() = state;
    state.set_open_upload(header.upload_id());
    RETURN_IF_ERROR(series_.Write({storage::SeriesStore::StateWrite(series_id, state),
                                   storage::SeriesStore::UploadWrite(series_id, upload)}));
  }
  absl::Status taken = TakeChunks(next, header, series_id, &state, &upload);
  if (!taken.ok()) {
    // Refused input aborts the upload: nothing of it stays, the test is free.
    if (absl::IsInvalidArgument(taken) || absl::IsFailedPrecondition(taken)) {
      RETURN_IF_ERROR(AbortOpenUpload(series_id, upload));
      return absl::Status(taken.code(), absl::StrCat(taken.message(),
                                                     " (the upload was aborted: nothing of it "
                                                     "was kept; send it again)"));
    }
    return taken;
  }
  out->set_cell_test(test);
  out->set_committed_rows(upload.committed_rows());
  if (upload.committed_rows() < upload.row_count()) return absl::OkStatus();
  if (!upload.complete()) RETURN_IF_ERROR(Finalize(p, name, series_id, header.replace(), state, &upload));
  out->set_complete(true);
  ASSIGN_OR_RETURN(storage::StoredRecord after, hub_.store->Get(storage::v1::RECORD_KIND_CELL_TEST, test));
  if (!out->mutable_cell_test_record()->ParseFromString(after.resource())) {
    return absl::DataLossError("stored cell test is corrupt");
  }
  return absl::OkStatus();
}

absl::Status SeriesIngest::TakeChunks(const MessageSource<v1::UploadSeriesRequest>& next,
                                      const v1::UploadHeader& header, const std::string& test,
                                      SeriesState* state, UploadState* upload) {
  const int time_i = IndexOf(header, "test_time_second"), current_i = IndexOf(header, "current_ampere");
  const int voltage_i = IndexOf(header, "voltage_volt"), cycle_i = IndexOf(header, "cycle_count");
  const int charge_i = IndexOf(header, "charging_capacity_ampere_hour");
  const int discharge_i = IndexOf(header, "discharging_capacity_ampere_hour");
  int temp_i = IndexOf(header, "surface_temperature_celsius");
  if (temp_i < 0) temp_i = IndexOf(header, "ambient_temperature_celsius");
  v1::UploadSeriesRequest msg;
  while (!upload->complete() && next(&msg)) {
    if (!msg.has_chunk()) return InvalidField("chunk", "only chunks may follow the header");
    const v1::SeriesChunk& chunk = msg.chunk();
    RETURN_IF_ERROR(CheckChunk(header, chunk));
    const int64_t rows = chunk.columns(0).values_size();
    if (chunk.first_row() + rows <= upload->committed_rows()) continue;  // sent twice
    if (chunk.first_row() != upload->committed_rows()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "expected the chunk starting at row ", upload->committed_rows(),
                            ", got row ", chunk.first_row())),
                        "CHUNK_OUT_OF_ORDER");
    }
    if (upload->committed_rows() + rows > upload->row_count()) {
      return InvalidField("chunk", absl::StrCat("more rows than the header's row_count ", upload->row_count()));
    }
    const int64_t series_row = upload->first_row() + chunk.first_row();
    CycleSummarizer summarizer(state->summary());
    SeriesRows input{series_row, static_cast<size_t>(rows),
                     chunk.columns(time_i).values().data(), chunk.columns(current_i).values().data(),
                     chunk.columns(voltage_i).values().data(),
                     cycle_i >= 0 ? chunk.columns(cycle_i).values().data() : nullptr,
                     temp_i >= 0 ? chunk.columns(temp_i).values().data() : nullptr};
    std::vector<v1::CycleSummary> closed;
    summarizer.Feed(input, &closed);
    SeriesChecker checker(state->checks());
    checker.Feed({series_row, static_cast<size_t>(rows), input.time, input.voltage, input.current,
                  charge_i >= 0 ? chunk.columns(charge_i).values().data() : nullptr,
                  discharge_i >= 0 ? chunk.columns(discharge_i).values().data() : nullptr});
    *state->mutable_checks() = checker.state();
    state->mutable_info()->clear_findings();
    for (v1::SeriesFinding& f : checker.Findings()) *state->mutable_info()->add_findings() = std::move(f);
    storage::ChunkColumns columns;
    for (const auto& c : chunk.columns()) {
      columns.emplace_back(c.name(), absl::MakeConstSpan(c.values().data(), c.values().size()));
    }
    std::string digest = state->info().digest();
    std::vector<RawWrite> writes = series_.ChunkWrites(test, series_row, columns, &digest);
    for (const v1::CycleSummary& c : closed) {
      RETURN_IF_ERROR(NoteCycleWrite(series_, test, c.cycle(), upload));
      writes.push_back(storage::SeriesStore::CycleWrite(test, c));
    }
    state->mutable_info()->set_digest(digest);
    state->mutable_info()->set_row_count(series_row + rows);
    // The series' columns are the union of what its uploads sent; rows of an
    // upload without some column read back as missing (NaN) there.
    for (const auto& col : header.columns()) {
      bool known = false;
      for (const auto& have : state->info().columns()) known |= have.name() == col.name();
      if (!known) *state->mutable_info()->add_columns() = col;
    }
    *state->mutable_summary() = summarizer.state();
    state->set_closed_cycles(state->closed_cycles() + static_cast<int64_t>(closed.size()));
    upload->set_committed_rows(upload->committed_rows() + rows);
    writes.push_back(storage::SeriesStore::StateWrite(test, *state));
    writes.push_back(storage::SeriesStore::UploadWrite(test, *upload));
    RETURN_IF_ERROR(series_.Write(writes));
  }
  return absl::OkStatus();
}

absl::Status SeriesIngest::AbortOpenUpload(const std::string& test, const UploadState& upload) {
  if (!upload.has_before()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "upload '", upload.upload_id(), "' into ", test,
                          " began before this hub could abort uploads: resume it")),
                      "UPLOAD_NOT_ABORTABLE");
  }
  ASSIGN_OR_RETURN(std::vector<RawWrite> writes, series_.ChunkErasesFrom(test, upload.first_row()));
  for (int64_t cycle : upload.written_cycles()) {
    const v1::CycleSummary* old = nullptr;
    for (const auto& r : upload.replaced()) {
      if (r.cycle() == cycle) old = &r;
    }
    if (old != nullptr) {
      writes.push_back(storage::SeriesStore::CycleWrite(test, *old));
    } else {
      writes.push_back(storage::SeriesStore::CycleErase(test, cycle));
    }
  }
  SeriesState before = upload.before();
  before.clear_open_upload();
  writes.push_back(storage::SeriesStore::StateWrite(test, before));
  writes.push_back(storage::SeriesStore::UploadErase(test, upload.upload_id()));
  return series_.Write(writes);
}

absl::Status SeriesIngest::Finalize(const Principal& p, const RecordName& name,
                                    const std::string& series_id, bool replace,
                                    SeriesState& state, UploadState* upload) {
  const std::string test = series_id;
  CycleSummarizer summarizer(state.summary());
  ASSIGN_OR_RETURN(std::vector<v1::CycleSummary> cycles,
                   series_.ListCycles(test, std::numeric_limits<int64_t>::min(), INT32_MAX));
  std::vector<RawWrite> extra;
  if (summarizer.HasOpenCycle()) {
    v1::CycleSummary open = summarizer.OpenCycle();
    extra.push_back(storage::SeriesStore::CycleWrite(test, open));
    if (cycles.empty() || cycles.back().cycle() != open.cycle()) cycles.push_back(open);
    else cycles.back() = open;
  }
  v1::SourceFile* source = state.mutable_info()->add_sources();
  *source = upload->source();
  source->set_first_row(upload->first_row());
  source->set_row_count(upload->row_count());
  state.clear_open_upload();
  upload->set_complete(true);
  extra.push_back(storage::SeriesStore::StateWrite(test, state));
  extra.push_back(storage::SeriesStore::UploadWrite(test, *upload));
  storage::Mutation m{storage::v1::RECORD_KIND_CELL_TEST, name.Name(),
                      replace ? storage::v1::CHANGE_OPERATION_SERIES_REPLACE
                              : storage::v1::CHANGE_OPERATION_SERIES_APPEND, p.name, "", "", std::move(extra),
                      std::nullopt};
  const v1::CellTestSummary summary = CycleSummarizer::TestSummary(cycles);
  return CommitAudited(hub_.store, m,
               [&](const storage::StoredRecord* current, const storage::CommitInfo& info,
                   storage::StoredRecord* next) -> absl::Status {
                 if (current == nullptr) return NotVisible(name.Name());
                 // Under the commit lock: a withdrawn replica naming the same
                 // raw file may have removed it since the upload began.
                 const std::string& sha256 = upload->source().sha256();
                 if (!sha256.empty()) {
                   ASSIGN_OR_RETURN(std::optional<storage::BlobMeta> blob, series_.LoadBlob(sha256));
                   if (!blob) {
                     return WithReason(absl::AbortedError(absl::StrCat(
                                           "raw file ", sha256, " was removed meanwhile (no "
                                           "record named it): upload it again, then retry")),
                                       "RAW_FILE_GONE");
                   }
                 }
                 v1::CellTest record;
                 if (!record.ParseFromString(current->resource())) {
                   return absl::DataLossError("stored cell test is corrupt");
                 }
                 // Another upload replaced the series meanwhile: this one's
                 // rows belong to a series that is no longer the test's.
                 if (record.series().generation() != state.info().generation() - (replace ? 1 : 0)) {
                   return WithReason(absl::AbortedError(absl::StrCat(
                                         "the series of ", name.Name(), " was replaced while this "
                                         "upload ran: upload the file again")),
                                     "SERIES_REPLACED");
                 }
                 *record.mutable_series() = state.info();
                 *record.mutable_summary() = summary;
                 record.mutable_provenance()->set_derivation(kSummaryDerivation);
                 std::vector<std::string> refs(record.provenance().derived_from_revisions().begin(),
                                               record.provenance().derived_from_revisions().end());
                 StampRevision(&record, p, name, current, info, refs, next);
                 return absl::OkStatus();
               })
      .status();
}

absl::StatusOr<std::pair<std::string, std::optional<UploadState>>> SeriesIngest::FindUpload(
    const storage::StoredRecord& record, const std::string& upload_id) const {
  v1::CellTest test;
  if (!test.ParseFromString(record.resource())) return absl::DataLossError("corrupt cell test");
  std::pair<std::string, std::optional<UploadState>> found;
  for (int64_t g : {test.series().generation(), test.series().generation() + 1}) {
    found.first = storage::SeriesId(record.name(), g);
    ASSIGN_OR_RETURN(found.second, series_.LoadUpload(found.first, upload_id));
    if (found.second) break;
  }
  return found;
}

absl::Status SeriesIngest::UploadStatus(const Principal& p, const v1::GetUploadStatusRequest& r,
                                      v1::UploadStatus* out) const {
  ASSIGN_OR_RETURN(RecordName name, ParseRecordName(r.cell_test(), "cellTests", "cell_test", false));
  ASSIGN_OR_RETURN(storage::StoredRecord record,
                   LoadWritableRecord(hub_, p, storage::v1::RECORD_KIND_CELL_TEST, name, kNoun));
  ASSIGN_OR_RETURN(auto found, FindUpload(record, r.upload_id()));
  const std::optional<UploadState>& upload = found.second;
  if (!upload) {
    return WithReason(absl::NotFoundError(absl::StrCat("no upload '", r.upload_id(), "' into ",
                                                       name.Name())),
                      "NOT_FOUND");
  }
  out->set_committed_rows(upload->committed_rows());
  out->set_row_count(upload->row_count());
  out->set_complete(upload->complete());
  out->set_first_row(upload->first_row());
  return absl::OkStatus();
}

absl::Status SeriesIngest::Abort(const Principal& p, const v1::AbortUploadRequest& r,
                               v1::UploadStatus* out) {
  ASSIGN_OR_RETURN(RecordName name, ParseRecordName(r.cell_test(), "cellTests", "cell_test", false));
  ASSIGN_OR_RETURN(storage::StoredRecord record,
                   LoadWritableRecord(hub_, p, storage::v1::RECORD_KIND_CELL_TEST, name, kNoun));
  const std::string test = name.Name();
  ASSIGN_OR_RETURN(HeldLock held,
                   TryHold(test, absl::StrCat("an upload into ", test,
                                              " is streaming now: cancel its client first"),
                           "UPLOAD_STREAMING"));
  ASSIGN_OR_RETURN(auto found, FindUpload(record, r.upload_id()));
  const std::optional<UploadState>& upload = found.second;
  if (!upload) {
    return WithReason(absl::NotFoundError(absl::StrCat("no upload '", r.upload_id(), "' into ",
                                                       test)),
                      "NOT_FOUND");
  }
  if (upload->complete()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "upload '", r.upload_id(), "' into ", test,
                          " is complete: its rows are part of the series")),
                      "UPLOAD_COMPLETE");
  }
  RETURN_IF_ERROR(AbortOpenUpload(found.first, *upload));
  out->set_committed_rows(0);
  out->set_row_count(upload->row_count());
  out->set_first_row(upload->first_row());
  return absl::OkStatus();
}

absl::Status SeriesIngest::StoreRawFile(const Principal& p,
                                        const MessageSource<v1::UploadRawFileRequest>& next,
                                        v1::SourceFile* out) {
  v1::UploadRawFileRequest msg;
  if (!next(&msg) || !msg.has_header()) {
    return InvalidField("header", "the first message must be the file's header");
  }
  v1::SourceFile header = msg.header();
  // Hashes are canonical (lower case) from the door on: parts, metadata
  // and every later lookup use one spelling.
  header.set_sha256(absl::AsciiStrToLower(header.sha256()));
  const bool for_characterization = !msg.characterization().empty();
  if (for_characterization && !msg.cell_test().empty()) {
    return InvalidField("characterization", "give cell_test or characterization, not both");
  }
  ASSIGN_OR_RETURN(RecordName name,
                   for_characterization
                       ? ParseRecordName(msg.characterization(), "characterizations", "characterization", false)
                       : ParseRecordName(msg.cell_test(), "cellTests", "cell_test", false));
  RETURN_IF_ERROR(LoadWritableRecord(hub_, p,
                                     for_characterization ? storage::v1::RECORD_KIND_CHARACTERIZATION
                                                          : storage::v1::RECORD_KIND_CELL_TEST,
                                     name, for_characterization ? "characterization" : kNoun)
                      .status());
  if (!IsSha256Hex(header.sha256())) return InvalidField("header.sha256", "must be 64 hex characters");
  if (header.size_bytes() < 0 || header.size_bytes() > kMaxRawFileBytes) {
    return InvalidField("header.size_bytes", absl::StrCat("must be 0 to ", kMaxRawFileBytes));
  }
  // One upload of a given file at a time: parts are keyed by its hash, and a
  // refused upload deletes the parts it wrote.
  ASSIGN_OR_RETURN(HeldLock held,
                   TryHold("blob:" + header.sha256(),
                           absl::StrCat("raw file ", header.sha256(),
                                        " is being uploaded now: retry once that upload ends"),
                           "RAW_FILE_UPLOADING"));
  ASSIGN_OR_RETURN(std::optional<storage::BlobMeta> existing, series_.LoadBlob(header.sha256()));
  Sha256Stream sha;
  std::string part;
  int64_t size = 0, parts = 0;
  auto flush = [&]() -> absl::Status {
    if (part.empty() || existing) return absl::OkStatus();
    absl::Status s = series_.Write(
        {storage::SeriesStore::BlobPartWrite(header.sha256(), parts++, std::move(part))}, false);
    part.clear();
    return s;
  };
  while (next(&msg)) {
    if (!msg.has_data()) return InvalidField("data", "only data may follow the header");
    sha.Update(msg.data());
    size += static_cast<int64_t>(msg.data().size());
    if (size > header.size_bytes()) return InvalidField("data", "more bytes than header.size_bytes");
    part += msg.data();
    while (part.size() >= storage::kBlobPartBytes) {
      std::string rest = part.substr(storage::kBlobPartBytes);
      part.resize(storage::kBlobPartBytes);
      RETURN_IF_ERROR(flush());
      part = std::move(rest);
    }
  }
  RETURN_IF_ERROR(flush());
  const std::string digest = sha.FinishHex();
  if (size != header.size_bytes() || digest != absl::AsciiStrToLower(header.sha256())) {
    std::vector<RawWrite> undo;
    for (int64_t i = 0; !existing && i < parts; ++i) {
      undo.push_back(storage::SeriesStore::BlobPartErase(header.sha256(), i));
    }
    if (!undo.empty()) RETURN_IF_ERROR(series_.Write(undo));
    return InvalidField("data", absl::StrCat("received ", size, " bytes with SHA-256 ", digest,
                                        "; the header announced ", header.size_bytes(), " bytes, ",
                                        header.sha256()));
  }
  // The record that streamed the bytes holds the file from now on.
  storage::BlobMeta meta;
  if (existing) {
    meta = *existing;
  } else {
    meta.set_sha256(digest);
    meta.set_size_bytes(size);
    meta.set_file_name(header.file_name());
    meta.set_parts(parts);
  }
  if (!HoldsBlob(meta, name.Name())) {
    meta.add_holders(name.Name());
    RETURN_IF_ERROR(series_.Write({storage::SeriesStore::BlobMetaWrite(meta)}));
  }
  *out = header;
  out->set_sha256(digest);
  return absl::OkStatus();
}

}  // namespace batteryhub
