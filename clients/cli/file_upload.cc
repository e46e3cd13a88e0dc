#include "clients/cli/file_upload.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <future>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/profile.h"
#include "clients/cli/upload_progress.h"
#include "core/series_checks.h"
#include "core/sha256.h"
#include "parsers/characterization.h"
#include "parsers/time_zone.h"

namespace batteryhub::cli {

namespace v1 = ::batteryhub::v1;

namespace {

constexpr int64_t kChunkRows = 32768;

bool IsGzip(const std::string& b) { return b.size() >= 2 && b[0] == '\x1f' && b[1] == '\x8b'; }

// The parser's or the rule's message on one line.
std::string OneLine(absl::string_view text) {
  std::string message(text);
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return message;
}

UploadOutcome Outcome(UploadOutcome::Kind kind, int exit_code, std::string message) {
  UploadOutcome o;
  o.kind = kind;
  o.exit_code = exit_code;
  o.message = std::move(message);
  return o;
}

// Only bad input is a refusal (the harvester does not try it again until
// the file changes). Everything else may pass later: a hub that is down, a
// cell test not yet created or withdrawn for now, another upload streaming
// into the test (FAILED_PRECONDITION).
UploadOutcome FromStatus(const grpc::Status& s) {
  return Outcome(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT
                     ? UploadOutcome::Kind::kRefused
                     : UploadOutcome::Kind::kFailed,
                 ExitCodeFor(s), StatusText(s));
}

// Rows of `parsed` the series already holds. The series' sources whose
// bytes are a prefix of this file are earlier states of it (a growing
// export; an old last line may have been cut): their rows run from the
// first such source to the end of the series, and the hub's last row must
// be the file's row there. The same file gives all its rows. A file that is
// neither is refused unless `append` (a continuation: its test time must
// go on from the series' last).
absl::StatusOr<int64_t> RowsAlreadyTaken(Cli& cli, const std::string& cell_test,
                                         const v1::CellTest& test, const std::string& bytes,
                                         const parsers::ParsedSeries& parsed, bool append,
                                         const std::string& path, const std::string& file_name) {
  const v1::SeriesInfo& info = test.series();
  if (info.row_count() == 0) return 0;
  int64_t lineage_start = -1;
  int checked = 0;
  for (const v1::SourceFile& src : info.sources()) {
    if (src.size_bytes() <= 0 || static_cast<uint64_t>(src.size_bytes()) > bytes.size()) continue;
    if (++checked > 64) break;
    if (Sha256Hex(absl::string_view(bytes).substr(0, static_cast<size_t>(src.size_bytes()))) !=
        absl::AsciiStrToLower(src.sha256())) {
      continue;
    }
    if (lineage_start < 0 || src.first_row() < lineage_start) lineage_start = src.first_row();
  }
  // A file rewritten as it grows (a native binary exported again, a text
  // export whose preamble changed): the series' last sources carry its name,
  // and its rows up to the series' end must be the ones taken.
  bool rewritten = false;
  if (lineage_start < 0 && !append) {
    for (int i = info.sources_size() - 1; i >= 0 && info.sources(i).file_name() == file_name; --i) {
      lineage_start = info.sources(i).first_row();
      rewritten = true;
    }
  }
  // The hub's last row: time, voltage, current.
  v1::ReadSeriesRequest req;
  req.set_name(cell_test);
  req.set_start_row(info.row_count() - 1);
  req.set_end_row(info.row_count());
  for (const char* c : {parsers::kTimeColumn, parsers::kVoltageColumn, parsers::kCurrentColumn}) {
    req.add_columns(c);
  }
  std::vector<double> last;
  grpc::Status st = cli.client->ReadSeries(req, [&](const v1::SeriesChunk& chunk) {
    for (const auto& col : chunk.columns()) {
      if (col.values_size() > 0) last.push_back(col.values(col.values_size() - 1));
    }
    return true;
  });
  if (!st.ok() || last.size() != 3) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot read the series' last row: ",
                                               st.error_message()));
  }
  const auto value = [&](const char* column, int64_t row) {
    return parsed.Find(column)->values[static_cast<size_t>(row)];
  };
  if (lineage_start >= 0) {
    const int64_t taken = info.row_count() - lineage_start;
    if (taken > static_cast<int64_t>(parsed.rows())) {
      if (rewritten) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": has the name of the file the series took last but fewer rows (", parsed.rows(),
            " < ", taken, "): it neither repeats nor extends it; --append if it continues the test"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": the series holds ", taken, " rows of this file, which now has ",
          parsed.rows(), ": it shrank; nothing appended"));
    }
    const int64_t r = taken - 1;
    if (value(parsers::kTimeColumn, r) != last[0] || value(parsers::kVoltageColumn, r) != last[1] ||
        value(parsers::kCurrentColumn, r) != last[2]) {
      if (rewritten) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": has the name of the file the series took last, but its row ", taken,
            " is not the series' last row: it neither repeats nor extends it; upload it with "
            "--append if it continues the test"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": row ", taken, " of the file differs from the series' last row, though the "
                "file extends one the series took (another file was appended after it?); "
                "nothing appended"));
    }
    if (rewritten) {
      // Not checked by a hash: every row taken must be the file's row.
      v1::ReadSeriesRequest all;
      all.set_name(cell_test);
      all.set_start_row(lineage_start);
      all.set_end_row(info.row_count());
      for (const char* c : {parsers::kTimeColumn, parsers::kVoltageColumn, parsers::kCurrentColumn}) {
        all.add_columns(c);
      }
      int64_t row = 0;
      bool same = true;
      const parsers::SeriesColumn* cols[] = {parsed.Find(parsers::kTimeColumn),
                                             parsed.Find(parsers::kVoltageColumn),
                                             parsed.Find(parsers::kCurrentColumn)};
      grpc::Status read = cli.client->ReadSeries(all, [&](const v1::SeriesChunk& chunk) {
        const int n = chunk.columns_size() == 3 ? chunk.columns(0).values_size() : 0;
        for (int k = 0; k < n && same; ++k, ++row) {
          for (int c = 0; c < 3; ++c) {
            same &= chunk.columns(c).values(k) == cols[c]->values[static_cast<size_t>(row)];
          }
        }
        return same;
      });
      if (!same || (read.ok() && row != taken)) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": has the name of the file the series took last, but its row ", row + 1,
            " is not the series' row there: it neither repeats nor extends it; upload it with "
            "--append if it continues the test"));
      }
      if (!read.ok()) {
        return absl::UnavailableError(absl::StrCat(path, ": cannot read the series: ",
                                                   read.error_message()));
      }
    }
    return taken;
  }
  if (!append) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": the cell test's series already holds ", info.row_count(), " rows from other "
              "files, and this file neither repeats nor extends any of them: upload it with "
              "--append if it continues the test (a continuation file)"));
  }
  const double first = value(parsers::kTimeColumn, 0);
  if (!(first >= last[0])) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": --append: the file starts at test time ", first, " s, before the series' last "
              "row (", last[0], " s): not a continuation of this test"));
  }
  return 0;
}

}  // namespace

const char* OutcomeName(UploadOutcome::Kind kind) {
  switch (kind) {
    case UploadOutcome::Kind::kAppended: return "appended";
    case UploadOutcome::Kind::kUnchanged: return "unchanged";
    case UploadOutcome::Kind::kParsed: return "parsed";
    case UploadOutcome::Kind::kRefused: return "refused";
    case UploadOutcome::Kind::kFailed: return "failed";
  }
  return "failed";
}

int ReadWholeFile(const std::string& path, std::string* bytes, std::string* problem) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    *problem = absl::StrCat("cannot read '", path, "': ", std::strerror(errno));
    return kExitNoInput;
  }
  if (S_ISDIR(st.st_mode)) {
    *problem = absl::StrCat("'", path, "' is a folder: name its files, or give --recursive");
    return kExitNoInput;
  }
  if (!S_ISREG(st.st_mode)) {
    *problem = absl::StrCat("'", path, "' is not a regular file");
    return kExitNoInput;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *problem = absl::StrCat("cannot read '", path, "': not readable");
    return kExitNoInput;
  }
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    *problem = absl::StrCat("cannot read '", path, "': read error");
    return kExitNoInput;
  }
  return kExitOk;
}

std::vector<std::string> ParseNotes(const parsers::ParsedSeries& s) {
  std::vector<std::string> notes;
  for (const auto& [key, value] : s.metadata) {
    if (key.rfind("batteryhub.", 0) != 0) continue;
    std::string kind = key.substr(11);
    kind = kind.substr(0, kind.find('.'));
    notes.push_back(kind + ": " + value);
  }
  return notes;
}

std::vector<v1::SeriesFinding> CheckParsed(const parsers::ParsedSeries& s) {
  const parsers::SeriesColumn* t = s.Find(parsers::kTimeColumn);
  const parsers::SeriesColumn* v = s.Find(parsers::kVoltageColumn);
  const parsers::SeriesColumn* a = s.Find(parsers::kCurrentColumn);
  if (t == nullptr || v == nullptr || a == nullptr) return {};
  const parsers::SeriesColumn* qin = s.Find("charging_capacity_ampere_hour");
  const parsers::SeriesColumn* qout = s.Find("discharging_capacity_ampere_hour");
  SeriesChecker checker;
  checker.Feed({0, s.rows(), t->values.data(), v->values.data(), a->values.data(),
                qin ? qin->values.data() : nullptr, qout ? qout->values.data() : nullptr});
  return checker.Findings();
}

std::string FindingLine(const v1::SeriesFinding& f) {
  return absl::StrCat(SeverityName(f.severity()), " ", f.check(), ", rows ", f.first_row(), "-",
                      f.last_row(), " (", f.row_count(), f.row_count() == 1 ? " row" : " rows",
                      "): ", f.message());
}

absl::Status ApplyZone(const std::string& path, const std::string& timezone,
                       parsers::ParsedSeries* s) {
  if (timezone.empty()) return absl::OkStatus();
  return parsers::ApplyTimeZone(path, timezone, s);
}

absl::StatusOr<UploadRequest> UploadRequestOf(const Args& args) {
  UploadRequest r;
  const std::string format_name = args.Get("format", "auto");
  r.format = parsers::ParseFormatName(format_name);
  if (r.format == parsers::Format::kUnknown && format_name != "auto") {
    return absl::InvalidArgumentError("--format: unknown format '" + format_name + "'");
  }
  r.timezone = args.Get("timezone");
  if (!r.timezone.empty()) {
    // A zone that is not one is a usage error before any file is read.
    parsers::ParsedSeries none;
    absl::Status zone = parsers::ApplyTimeZone("", r.timezone, &none);
    if (!zone.ok() && absl::StartsWith(zone.message(), "--timezone")) return zone;
  }
  r.append = args.Has("append");
  r.replace = args.Has("replace");
  if (r.append && r.replace) {
    return absl::InvalidArgumentError("--append and --replace exclude each other");
  }
  r.complete = args.Has("complete");
  r.strict = args.Has("strict");
  r.dry_run = args.Has("dry-run");
  return r;
}

absl::StatusOr<UploadMap> UploadMapOf(const Args& args) {
  if (args.Has("map") && args.Has("cell-test")) {
    return absl::InvalidArgumentError("give --cell-test or --map, not both");
  }
  if (args.Has("cell-test")) return UploadMap::Single(args.Get("cell-test"));
  std::string text, problem;
  if (ReadWholeFile(ExpandHome(args.Get("map")), &text, &problem) != kExitOk) {
    return absl::NotFoundError("--map: " + problem);
  }
  return UploadMap::Parse(text, args.Get("map"));
}

UploadOutcome UploadFile(Cli& cli, const UploadRequest& r) {
  using Kind = UploadOutcome::Kind;
  const std::string& path = r.path;
  std::string bytes, problem;
  if (int code = ReadWholeFile(path, &bytes, &problem); code != kExitOk) {
    return Outcome(Kind::kFailed, code, problem);
  }
  const std::string& cell_test = r.cell_test;
  v1::SourceFile source;
  source.set_file_name(path.substr(path.find_last_of('/') + 1));
  source.set_size_bytes(static_cast<int64_t>(bytes.size()));
  // The raw file travels while the rows are parsed (a file that then fails
  // to parse leaves an unreferenced blob behind; there is no blob GC yet),
  // except with --strict, where nothing is sent before the checks pass.
  // The cell test before the raw file: a file the series holds already (the
  // same file again, a harvester's rescan) is not sent again. With --strict
  // the hub is asked nothing before the checks pass.
  v1::CellTest before;
  bool have_before = false;
  const auto fetch_before = [&]() -> grpc::Status {
    if (have_before) return grpc::Status::OK;
    have_before = true;
    return cli.client->GetCellTest(cell_test, &before);
  };
  if (!r.dry_run && !r.strict) {
    if (grpc::Status got = fetch_before(); !got.ok()) return FromStatus(got);
  }
  UploadProgress progress(r.progress);
  v1::SourceFile stored;  // before the future, which writes it
  std::future<grpc::Status> raw_upload;
  auto start_raw_upload = [&] {
    source.set_sha256(Sha256Hex(bytes));
    for (const v1::SourceFile& held : before.series().sources()) {
      if (absl::AsciiStrToLower(held.sha256()) == source.sha256()) return;  // at the hub already
    }
    raw_upload = std::async(std::launch::async, [&] {
      return cli.client->UploadRawFile(cell_test, source, bytes, &stored,
                                       [&](int64_t sent) { progress.RawBytes(sent, bytes.size()); });
    });
  };
  if (!r.dry_run && !r.strict) start_raw_upload();
  absl::StatusOr<parsers::ParsedSeries> parsed = parsers::ParseExport(path, bytes, r.format);
  grpc::Status raw_status = raw_upload.valid() ? raw_upload.get() : grpc::Status::OK;
  if (!parsed.ok()) {
    std::string what;
    if (parsers::LooksLikeCharacterization(bytes, &what)) {
      return Outcome(Kind::kRefused, kExitDataErr,
                     absl::StrCat(path, ": ", what, ", not a cycler time series: upload it with "
                                  "--characterization NAME (or --sample S --institution I --id ID)"));
    }
    return Outcome(Kind::kRefused, kExitDataErr, OneLine(parsed.status().message()));
  }
  if (absl::Status z = ApplyZone(path, r.timezone, &*parsed); !z.ok()) {
    return Outcome(Kind::kRefused,
                   absl::StartsWith(z.message(), "--timezone") ? kExitUsage : kExitDataErr,
                   OneLine(z.message()));
  }
  UploadOutcome out;
  out.file_rows = static_cast<int64_t>(parsed->rows());
  out.format = parsers::FormatName(parsed->format);
  // A cell test takes cycling series: an impedance spectrum (a frequency in
  // every row, as PEIS tables and Gamry ZCURVEs have) belongs in a
  // characterization, even when it carries time, voltage and current too.
  const parsers::SeriesColumn* freq = parsed->Find("frequency_hertz");
  const bool spectrum = freq != nullptr && !freq->values.empty() &&
                        std::all_of(freq->values.begin(), freq->values.end(),
                                    [](double f) { return f > 0; });
  if (spectrum || !parsed->Find(parsers::kTimeColumn) || !parsed->Find(parsers::kVoltageColumn) ||
      !parsed->Find(parsers::kCurrentColumn)) {
    return Outcome(Kind::kRefused, kExitDataErr,
                   absl::StrCat(spectrum ? "an impedance spectrum (a frequency in every row)"
                                         : "no time, voltage and current columns (an impedance "
                                           "spectrum?)",
                                ": add it to a characterization (technique EIS) instead"));
  }
  for (const std::string& note : ParseNotes(*parsed)) out.notes.push_back(note);
  const std::vector<v1::SeriesFinding> findings = CheckParsed(*parsed);
  for (const v1::SeriesFinding& f : findings) out.notes.push_back(FindingLine(f));
  if (r.strict && SeriesChecker::HasError(findings)) {
    UploadOutcome refused = Outcome(Kind::kRefused, kExitDataErr,
                                    "refused (--strict): the checks found errors");
    refused.notes = out.notes;
    return refused;
  }
  if (r.dry_run) {
    out.kind = Kind::kParsed;
    out.exit_code = kExitOk;
    out.message = absl::StrCat(out.format, " export, ", out.file_rows, " rows");
    out.parsed = std::make_shared<parsers::ParsedSeries>(*std::move(parsed));
    return out;
  }
  if (r.strict) {
    if (grpc::Status got = fetch_before(); !got.ok()) return FromStatus(got);
    start_raw_upload();
    if (raw_upload.valid()) raw_status = raw_upload.get();
  }
  if (!raw_status.ok()) return FromStatus(raw_status);
  // What the series already holds of this file: a growing file appends only
  // its new rows, the same file nothing; another file only with --append.
  // A text export whose last line has no line break may still be being
  // written (a cycler mid-row): that row waits for the next upload of the
  // grown file, unless --complete says the file is finished. Stored rows are
  // never rewritten, so a cut row must not be stored.
  const bool text = !IsGzip(bytes) && bytes.substr(0, 4096).find('\0') == std::string::npos;
  if (text && !bytes.empty() && bytes.back() != '\n' && !r.complete && parsed->rows() > 0) {
    for (auto& c : parsed->columns) c.values.pop_back();
    out.notes.push_back("the last line has no line break and may still be being written: its "
                        "row waits for the grown file (--complete if the file is finished)");
  }
  // A replacing upload takes every row, unless the series is this file's
  // rows already.
  const v1::SeriesInfo& held = before.series();
  const bool same_series = held.sources_size() == 1 &&
                           absl::AsciiStrToLower(held.sources(0).sha256()) == source.sha256() &&
                           held.row_count() == static_cast<int64_t>(parsed->rows());
  absl::StatusOr<int64_t> skip =
      r.replace ? (same_series ? static_cast<int64_t>(parsed->rows()) : 0)
                : RowsAlreadyTaken(cli, cell_test, before, bytes, *parsed, r.append, path,
                                   source.file_name());
  if (!skip.ok()) {
    UploadOutcome refused = Outcome(absl::IsUnavailable(skip.status()) ? Kind::kFailed : Kind::kRefused,
                                    absl::IsUnavailable(skip.status()) ? kExitUnavailable : kExitDataErr,
                                    OneLine(skip.status().message()));
    refused.notes = out.notes;
    return refused;
  }
  out.series_rows = before.series().row_count();
  if (*skip == static_cast<int64_t>(parsed->rows())) {
    out.kind = Kind::kUnchanged;
    out.exit_code = kExitOk;
    out.message = absl::StrCat("unchanged: the series holds all its ", parsed->rows(),
                               " rows already");
    out.test = std::move(before);
    return out;
  }
  if (*skip > 0) {
    out.notes.push_back(absl::StrCat("grows the file the series took ", *skip,
                                     " rows of: appending ", parsed->rows() - *skip, " new rows"));
    for (auto& c : parsed->columns) c.values.erase(c.values.begin(), c.values.begin() + *skip);
  }
  source.set_format(out.format);
  v1::UploadHeader header;
  header.set_cell_test(cell_test);
  header.set_upload_id(source.sha256().substr(0, 32));
  header.set_row_count(static_cast<int64_t>(parsed->rows()));
  header.set_replace(r.replace);
  *header.mutable_source() = source;
  for (const auto& c : parsed->columns) {
    auto* col = header.add_columns();
    col->set_name(c.name);
    col->set_source_name(c.source_name);
    col->set_source_unit(c.source_unit);
  }
  v1::UploadSeriesResponse response;
  grpc::Status s = cli.client->UploadSeries(
      header, kChunkRows,
      [&](int64_t first, int64_t rows, v1::SeriesChunk* chunk) {
        for (const auto& c : parsed->columns) {
          auto* col = chunk->add_columns();
          col->set_name(c.name);
          col->mutable_values()->Add(c.values.begin() + first, c.values.begin() + first + rows);
        }
      },
      [&](int64_t done) { progress.Rows(done, header.row_count()); }, &response);
  if (!s.ok()) {
    UploadOutcome failed = FromStatus(s);
    failed.notes = out.notes;
    return failed;
  }
  if (!response.complete()) {
    UploadOutcome failed = Outcome(
        Kind::kFailed, kExitUnavailable,
        absl::StrCat("upload stopped at row ", response.committed_rows(), " of ",
                     header.row_count(), "; run the same command to resume"));
    failed.notes = out.notes;
    return failed;
  }
  out.kind = Kind::kAppended;
  out.exit_code = kExitOk;
  out.new_rows = header.row_count();
  out.test = response.cell_test_record();
  out.series_rows = out.test.series().row_count();
  out.message = r.replace ? absl::StrCat("replaced the series: ", out.new_rows,
                                        " rows (series revision ", out.test.series().generation(),
                                        "; the old rows stay readable as ", cell_test, "@",
                                        before.revision_id(), ")")
                          : absl::StrCat("appended ", out.new_rows, " rows (", out.series_rows,
                                         " in all)");
  return out;
}

}  // namespace batteryhub::cli
