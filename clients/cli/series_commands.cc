// bhub upload | series | summary.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/cli.h"
#include "clients/cli/record_io.h"
#include "core/bdf_columns.h"
#include "core/series_checks.h"
#include "core/sha256.h"
#include "parsers/parse_export.h"
#include "parsers/time_zone.h"

namespace batteryhub::cli {
namespace {

namespace v1 = ::batteryhub::v1;
constexpr int64_t kChunkRows = 32768;

std::string Num(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : "nan";
}

int ReadFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bhub: cannot read '%s': no such file or not readable\n", path.c_str());
    return kExitNoInput;
  }
  in.seekg(0, std::ios::end);
  bytes->resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  return kExitOk;
}

// What the reader warns about, assumed or derived ("batteryhub.*" metadata),
// as "warning: …" lines.
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

// The hub's checks, run here on the parsed rows before anything is sent.
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

// "WARNING time-backwards, rows 12-12 (3 rows): test time goes back ..."
std::string FindingLine(const v1::SeriesFinding& f) {
  return absl::StrCat(SeverityName(f.severity()), " ", f.check(), ", rows ", f.first_row(), "-",
                      f.last_row(), " (", f.row_count(), f.row_count() == 1 ? " row" : " rows",
                      "): ", f.message());
}

void PrintParsed(const Cli& cli, const std::string& path, const parsers::ParsedSeries& s) {
  if (cli.json) {
    std::printf("{\"file\":\"%s\",\"format\":\"%s\",\"rows\":%zu,\"columns\":[", path.c_str(),
                parsers::FormatName(s.format), s.rows());
    for (size_t i = 0; i < s.columns.size(); ++i) {
      std::printf("%s{\"name\":\"%s\",\"sourceName\":\"%s\",\"sourceUnit\":\"%s\"}", i ? "," : "",
                  s.columns[i].name.c_str(), s.columns[i].source_name.c_str(),
                  s.columns[i].source_unit.c_str());
    }
    std::printf("],\"findings\":[");
    const std::vector<v1::SeriesFinding> findings = CheckParsed(s);
    for (size_t i = 0; i < findings.size(); ++i) {
      std::printf("%s%s", i ? "," : "", ToJson(findings[i], false).c_str());
    }
    std::printf("]}\n");
    return;
  }
  std::printf("%s: %s export, %zu rows\n", path.c_str(), parsers::FormatName(s.format), s.rows());
  for (const auto& c : s.columns) {
    std::printf("  %-34s <- %s [%s]\n", c.name.c_str(), c.source_name.c_str(), c.source_unit.c_str());
  }
  for (const std::string& note : ParseNotes(s)) std::printf("  %s\n", note.c_str());
  for (const v1::SeriesFinding& f : CheckParsed(s)) std::printf("  %s\n", FindingLine(f).c_str());
}

// A progress bar on a terminal, a line per 10 % otherwise (stderr).
class Progress {
 public:
  explicit Progress(int64_t total) : total_(total), tty_(isatty(2)) {}
  void Update(int64_t done) {
    const int percent = total_ ? static_cast<int>(done * 100 / total_) : 100;
    if (tty_) {
      std::string bar(percent / 4, '#');
      bar.resize(25, ' ');
      std::fprintf(stderr, "\r[%s] %3d%% %lld/%lld rows", bar.c_str(), percent,
                   static_cast<long long>(done), static_cast<long long>(total_));
      if (done >= total_) std::fprintf(stderr, "\n");
    } else if (percent / 10 > last_decile_ || done >= total_) {
      last_decile_ = percent / 10;
      std::fprintf(stderr, "uploaded %lld of %lld rows (%d%%)\n", static_cast<long long>(done),
                   static_cast<long long>(total_), percent);
    }
  }

 private:
  int64_t total_;
  bool tty_;
  int last_decile_ = -1;
};

void PrintTestSummary(const v1::CellTest& t) {
  const auto& s = t.summary();
  std::printf("%s: %lld rows, %d cycles\n", t.name().c_str(),
              static_cast<long long>(t.series().row_count()), s.cycle_count());
  if (s.has_initial_discharge_capacity()) {
    std::printf("  initial discharge capacity %.6g Ah, retention %.4f, cycles to 80%% %s, mean CE %.5f\n",
                s.initial_discharge_capacity().value(), s.capacity_retention(),
                s.cycles_to_80_percent() ? std::to_string(s.cycles_to_80_percent()).c_str()
                                         : "not reached",
                s.mean_coulombic_efficiency());
  }
}

// Rows as `bhub series` and `bhub parse` print them: csv (a header of BDF
// machine names), bdf (a header of BDF labels) or json (an object a row);
// a missing value (NaN) is an empty field, or null in json.
bool IsRowFormat(const std::string& format) {
  return format == "csv" || format == "bdf" || format == "json";
}

void PrintHeader(const std::string& format, const std::vector<std::string>& names) {
  if (format == "json") return;
  std::string line;
  for (size_t i = 0; i < names.size(); ++i) {
    const BdfColumn* column = FindBdfColumn(names[i]);
    if (i) line += ",";
    line += format == "bdf" && column != nullptr ? std::string(column->label) : names[i];
  }
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// `value(i)` is the row's value of column i.
template <typename Value>
void PrintRow(const std::string& format, const std::vector<std::string>& names, Value&& value,
              std::string* line) {
  line->clear();
  if (format == "json") *line += "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) *line += ",";
    if (format == "json") *line += "\"" + names[i] + "\":";
    const double v = value(i);
    *line += std::isfinite(v) ? Num(v) : (format == "json" ? "null" : "");
  }
  if (format == "json") *line += "}";
  *line += "\n";
  std::fwrite(line->data(), 1, line->size(), stdout);
}

// A refusal on one line of stderr, whatever the parser's message holds.
int Refused(const absl::Status& status) {
  std::string message(status.message());
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "bhub: %s\n", message.c_str());
  return kExitDataErr;
}

bool IsGzip(const std::string& b) { return b.size() >= 2 && b[0] == '\x1f' && b[1] == '\x8b'; }

// --timezone, then --rows: what both parse and upload do to the rows read.
int ApplyRowOptions(const Args& args, const std::string& path, parsers::ParsedSeries* s) {
  if (args.Has("timezone")) {
    absl::Status st = parsers::ApplyTimeZone(path, args.Get("timezone"), s);
    if (!st.ok()) {
      if (absl::StartsWith(st.message(), "--timezone")) return UsageError(std::string(st.message()));
      return Refused(st);
    }
  }
  if (args.Has("rows")) {
    long long a = 0, b = 0;
    if (std::sscanf(args.Get("rows").c_str(), "%lld:%lld", &a, &b) != 2 || a < 0 || b < a) {
      return UsageError("--rows takes START:END (end exclusive), e.g. 0:1000");
    }
    const size_t first = std::min<size_t>(static_cast<size_t>(a), s->rows());
    const size_t last = std::min<size_t>(static_cast<size_t>(b), s->rows());
    for (auto& c : s->columns) {
      c.values = std::vector<double>(c.values.begin() + first, c.values.begin() + last);
    }
  }
  return kExitOk;
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

int RunParse(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) {
    return UsageError("usage: bhub parse FILE [--format csv|bdf|json] [--rows A:B] [--timezone TZ] "
                      "[--vendor auto|arbin|maccor|biologic|neware|novonix|basytec|pec|bdf|"
                      "batteryarchive|table]");
  }
  const std::string format = args.Get("format", cli.json ? "json" : "csv");
  if (!IsRowFormat(format)) return UsageError("--format must be csv, bdf or json");
  const std::string vendor_name = args.Get("vendor", "auto");
  const parsers::Format vendor = parsers::ParseFormatName(vendor_name);
  if (vendor == parsers::Format::kUnknown && vendor_name != "auto") {
    return UsageError("--vendor: unknown format '" + vendor_name + "'");
  }
  const std::string path = args.positionals()[1];
  std::string bytes;
  if (int code = ReadFile(path, &bytes); code != kExitOk) return code;
  absl::StatusOr<parsers::ParsedSeries> parsed = parsers::ParseExport(path, bytes, vendor);
  if (!parsed.ok()) return Refused(parsed.status());
  if (int code = ApplyRowOptions(args, path, &*parsed); code != kExitOk) return code;
  if (format != "json") {
    for (const std::string& note : ParseNotes(*parsed)) std::printf("# %s\n", note.c_str());
    for (const v1::SeriesFinding& f : CheckParsed(*parsed)) {
      std::printf("# finding: %s\n", FindingLine(f).c_str());
    }
  }
  std::vector<std::string> names;
  for (const auto& c : parsed->columns) names.push_back(c.name);
  PrintHeader(format, names);
  std::string line;
  for (size_t r = 0; r < parsed->rows(); ++r) {
    PrintRow(format, names, [&](size_t i) { return parsed->columns[i].values[r]; }, &line);
  }
  return kExitOk;
}

int RunUpload(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2 || (!args.Has("cell-test") && !args.Has("dry-run"))) {
    return UsageError("usage: bhub upload FILE --cell-test NAME [--format auto|arbin|maccor|"
                      "biologic|neware|novonix|basytec|pec|bdf|batteryarchive|table] [--timezone TZ] [--append] [--complete] [--dry-run] [--strict]");
  }
  const std::string path = args.positionals()[1];
  const std::string format_name = args.Get("format", "auto");
  parsers::Format format = parsers::ParseFormatName(format_name);
  if (format == parsers::Format::kUnknown && format_name != "auto") {
    return UsageError("--format: unknown format '" + format_name + "'");
  }
  std::string bytes;
  if (int code = ReadFile(path, &bytes); code != kExitOk) return code;
  const std::string cell_test = args.Get("cell-test");
  v1::SourceFile source;
  source.set_file_name(path.substr(path.find_last_of('/') + 1));
  source.set_size_bytes(static_cast<int64_t>(bytes.size()));
  // The raw file travels while the rows are parsed (a file that then fails
  // to parse leaves an unreferenced blob behind; there is no blob GC yet),
  // except with --strict, where nothing is sent before the checks pass.
  v1::SourceFile stored;  // before the future, which writes it
  std::future<grpc::Status> raw_upload;
  auto start_raw_upload = [&] {
    source.set_sha256(Sha256Hex(bytes));
    raw_upload = std::async(std::launch::async, [&] {
      return cli.client->UploadRawFile(cell_test, source, bytes, &stored);
    });
  };
  const bool dry_run = args.Has("dry-run"), strict = args.Has("strict");
  if (!dry_run && !strict) start_raw_upload();
  absl::StatusOr<parsers::ParsedSeries> parsed = parsers::ParseExport(path, bytes, format);
  grpc::Status raw_status = raw_upload.valid() ? raw_upload.get() : grpc::Status::OK;
  if (!parsed.ok()) return Refused(parsed.status());
  if (args.Has("rows")) return UsageError("--rows is for bhub parse; an upload takes the whole file");
  if (int code = ApplyRowOptions(args, path, &*parsed); code != kExitOk) return code;
  // A cell test takes cycling series: an impedance spectrum (a frequency in
  // every row, as PEIS tables and Gamry ZCURVEs have) belongs in a
  // characterization, even when it carries time, voltage and current too.
  const parsers::SeriesColumn* freq = parsed->Find("frequency_hertz");
  const bool spectrum = freq != nullptr && !freq->values.empty() &&
                        std::all_of(freq->values.begin(), freq->values.end(),
                                    [](double f) { return f > 0; });
  if (spectrum || !parsed->Find(parsers::kTimeColumn) || !parsed->Find(parsers::kVoltageColumn) ||
      !parsed->Find(parsers::kCurrentColumn)) {
    std::fprintf(stderr, "bhub: %s: %s: add it to a characterization (technique EIS) instead\n",
                 path.c_str(), spectrum ? "an impedance spectrum (a frequency in every row)"
                                        : "no time, voltage and current columns (an impedance "
                                          "spectrum?)");
    return kExitDataErr;
  }
  const std::vector<v1::SeriesFinding> findings = CheckParsed(*parsed);
  if (strict && SeriesChecker::HasError(findings)) {
    for (const v1::SeriesFinding& f : findings) {
      std::fprintf(stderr, "bhub: %s: %s\n", path.c_str(), FindingLine(f).c_str());
    }
    std::fprintf(stderr, "bhub: %s: refused (--strict): the checks found errors\n", path.c_str());
    return kExitDataErr;
  }
  if (dry_run) {
    PrintParsed(cli, path, *parsed);
    return kExitOk;
  }
  if (strict) {
    start_raw_upload();
    raw_status = raw_upload.get();
  }
  if (!cli.json) {
    for (const v1::SeriesFinding& f : findings) {
      std::fprintf(stderr, "bhub: %s: %s\n", path.c_str(), FindingLine(f).c_str());
    }
  }
  if (!raw_status.ok()) return ReportError(raw_status);
  // What the series already holds of this file: a growing file appends only
  // its new rows, the same file nothing; another file only with --append.
  // A text export whose last line has no line break may still be being
  // written (a cycler mid-row): that row waits for the next upload of the
  // grown file, unless --complete says the file is finished. Stored rows are
  // never rewritten, so a cut row must not be stored.
  const bool text = !IsGzip(bytes) && bytes.substr(0, 4096).find('\0') == std::string::npos;
  if (text && !bytes.empty() && bytes.back() != '\n' && !args.Has("complete") &&
      parsed->rows() > 0) {
    for (auto& c : parsed->columns) c.values.pop_back();
    std::fprintf(stderr, "bhub: %s: the last line has no line break and may still be being "
                         "written: its row waits for the grown file (--complete if the file "
                         "is finished)\n", path.c_str());
  }
  v1::CellTest before;
  if (grpc::Status got = cli.client->GetCellTest(cell_test, &before); !got.ok()) {
    return ReportError(got);
  }
  absl::StatusOr<int64_t> skip = RowsAlreadyTaken(cli, cell_test, before, bytes, *parsed,
                                                  args.Has("append"), path, source.file_name());
  if (!skip.ok()) return Refused(skip.status());
  if (*skip == static_cast<int64_t>(parsed->rows())) {
    std::fprintf(stderr, "bhub: %s: unchanged: the series holds all its %zu rows already\n",
                 path.c_str(), parsed->rows());
    if (cli.json) std::printf("%s\n", ToJson(before, false).c_str());
    else PrintTestSummary(before);
    return kExitOk;
  }
  if (*skip > 0) {
    std::fprintf(stderr, "bhub: %s: grows the file the series took %lld rows of: appending %lld "
                         "new rows\n", path.c_str(), static_cast<long long>(*skip),
                 static_cast<long long>(parsed->rows() - *skip));
    for (auto& c : parsed->columns) c.values.erase(c.values.begin(), c.values.begin() + *skip);
  }
  source.set_format(parsers::FormatName(parsed->format));
  grpc::Status s;
  v1::UploadHeader header;
  header.set_cell_test(cell_test);
  header.set_upload_id(source.sha256().substr(0, 32));
  header.set_row_count(static_cast<int64_t>(parsed->rows()));
  *header.mutable_source() = source;
  for (const auto& c : parsed->columns) {
    auto* col = header.add_columns();
    col->set_name(c.name);
    col->set_source_name(c.source_name);
    col->set_source_unit(c.source_unit);
  }
  Progress progress(header.row_count());
  v1::UploadSeriesResponse response;
  s = cli.client->UploadSeries(
      header, kChunkRows,
      [&](int64_t first, int64_t rows, v1::SeriesChunk* chunk) {
        for (const auto& c : parsed->columns) {
          auto* col = chunk->add_columns();
          col->set_name(c.name);
          col->mutable_values()->Add(c.values.begin() + first, c.values.begin() + first + rows);
        }
      },
      [&](int64_t done) { progress.Update(done); }, &response);
  if (!s.ok()) return ReportError(s);
  if (!response.complete()) {
    std::fprintf(stderr, "bhub: upload stopped at row %lld of %lld; run the same command to resume\n",
                 static_cast<long long>(response.committed_rows()),
                 static_cast<long long>(header.row_count()));
    return kExitUnavailable;
  }
  if (cli.json) std::printf("%s\n", ToJson(response.cell_test_record(), false).c_str());
  else PrintTestSummary(response.cell_test_record());
  return kExitOk;
}

int RunSeries(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) {
    return UsageError("usage: bhub series NAME [--columns c1,c2] [--cycles A:B] [--rows A:B] "
                      "[--format csv|bdf|json]");
  }
  v1::ReadSeriesRequest req;
  req.set_name(args.positionals()[1]);
  std::stringstream cols(args.Get("columns"));
  for (std::string c; std::getline(cols, c, ',');) {
    if (!c.empty()) req.add_columns(c);
  }
  long long a = 0, b = 0;
  if (args.Has("cycles")) {
    if (std::sscanf(args.Get("cycles").c_str(), "%lld:%lld", &a, &b) != 2 || b < a) {
      return UsageError("--cycles takes FIRST:LAST, e.g. 1:10");
    }
    req.set_start_cycle(a);
    req.set_end_cycle(b);
  } else if (args.Has("rows")) {
    if (std::sscanf(args.Get("rows").c_str(), "%lld:%lld", &a, &b) != 2 || b < a || a < 0) {
      return UsageError("--rows takes START:END (end exclusive), e.g. 0:1000");
    }
    req.set_start_row(a);
    req.set_end_row(b);
  }
  const std::string format = args.Get("format", cli.json ? "json" : "csv");
  if (!IsRowFormat(format)) return UsageError("--format must be csv, bdf or json");
  bool header_done = false;
  std::vector<std::string> names;
  std::string line;
  grpc::Status s = cli.client->ReadSeries(req, [&](const v1::SeriesChunk& chunk) {
    if (!header_done) {
      for (const auto& c : chunk.columns()) names.push_back(c.name());
      PrintHeader(format, names);
      header_done = true;
    }
    const int rows = chunk.columns_size() ? chunk.columns(0).values_size() : 0;
    for (int r = 0; r < rows; ++r) {
      PrintRow(format, names, [&](size_t i) { return chunk.columns(static_cast<int>(i)).values(r); },
               &line);
    }
    return true;
  });
  if (!s.ok()) return ReportError(s);
  return kExitOk;
}

int RunRawFile(Cli& cli, const Args& args) {
  if (args.positionals().size() != 3 || !args.Has("out")) {
    return UsageError("usage: bhub raw-file NAME SHA256 --out FILE   (a source file of the series)");
  }
  std::string bytes;
  grpc::Status s = cli.client->ReadRawFile(args.positionals()[1], args.positionals()[2], &bytes);
  if (!s.ok()) return ReportError(s);
  if (Sha256Hex(bytes) != args.positionals()[2]) {
    std::fprintf(stderr, "bhub: the downloaded bytes do not match SHA-256 %s\n", args.positionals()[2].c_str());
    return kExitOther;
  }
  std::ofstream out(args.Get("out"), std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "bhub: cannot write '%s'\n", args.Get("out").c_str());
    return kExitOther;
  }
  std::printf("%s: %zu bytes, SHA-256 verified\n", args.Get("out").c_str(), bytes.size());
  return kExitOk;
}

int RunSummary(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) return UsageError("usage: bhub summary NAME");
  const std::string name = args.positionals()[1];
  v1::CellTest test;
  grpc::Status s = cli.client->GetCellTest(name, &test);
  if (!s.ok()) return ReportError(s);
  v1::ListCycleSummariesRequest req;
  req.set_name(name);
  std::vector<v1::CycleSummary> cycles;
  do {
    v1::ListCycleSummariesResponse resp;
    s = cli.client->ListCycleSummaries(req, &resp);
    if (!s.ok()) return ReportError(s);
    cycles.insert(cycles.end(), resp.cycles().begin(), resp.cycles().end());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  if (cli.json) {
    std::printf("{\"summary\":%s,\"cycles\":[", ToJson(test.summary(), true).c_str());
    for (size_t i = 0; i < cycles.size(); ++i) {
      std::printf("%s%s", i ? ",\n" : "\n", ToJson(cycles[i], true).c_str());
    }
    std::printf("]}\n");
    return kExitOk;
  }
  PrintTestSummary(test);
  for (const v1::SeriesFinding& f : test.series().findings()) {
    std::printf("  %s\n", FindingLine(f).c_str());
  }
  std::printf("%6s %9s %12s %12s %12s %12s %8s %8s %8s %10s\n", "CYCLE", "ROWS", "CHG_AH",
              "DCHG_AH", "CHG_WH", "DCHG_WH", "CE", "EE", "MAX_T", "DURATION_S");
  for (const auto& c : cycles) {
    std::printf("%6lld %9lld %12.6g %12.6g %12.6g %12.6g %8.5f %8.5f %8s %10.1f\n",
                static_cast<long long>(c.cycle()), static_cast<long long>(c.row_count()),
                c.charge_capacity_ampere_hour(), c.discharge_capacity_ampere_hour(),
                c.charge_energy_watt_hour(), c.discharge_energy_watt_hour(), c.coulombic_efficiency(),
                c.energy_efficiency(),
                c.has_temperature() ? Num(c.max_temperature_celsius()).c_str() : "-",
                c.duration_second());
  }
  return kExitOk;
}

}  // namespace batteryhub::cli
