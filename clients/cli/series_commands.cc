// bhub upload | parse | series | summary | raw-file.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/cli.h"
#include "clients/cli/json_text.h"
#include "clients/cli/characterization_upload.h"
#include "clients/cli/file_upload.h"
#include "clients/cli/profile.h"
#include "clients/cli/record_io.h"
#include "clients/cli/upload_map.h"
#include "core/bdf_columns.h"
#include "core/row_text.h"
#include "core/series_checks.h"
#include "core/sha256.h"
#include "parsers/parse_export.h"
#include "parsers/time_zone.h"

namespace batteryhub::cli {
namespace {

namespace v1 = ::batteryhub::v1;



void PrintParsed(const Cli& cli, const std::string& path, const parsers::ParsedSeries& s) {
  if (cli.json) {
    nlohmann::json out = {{"file", path}, {"format", parsers::FormatName(s.format)},
                          {"rows", s.rows()}, {"columns", nlohmann::json::array()},
                          {"findings", nlohmann::json::array()}, {"notes", ParseNotes(s)}};
    for (const auto& c : s.columns) {
      out["columns"].push_back(
          {{"name", c.name}, {"sourceName", c.source_name}, {"sourceUnit", c.source_unit}});
    }
    for (const v1::SeriesFinding& f : CheckParsed(s)) {
      out["findings"].push_back(nlohmann::json::parse(ToJson(f, false), nullptr, false));
    }
    std::printf("%s\n", JsonText(out).c_str());
    return;
  }
  std::printf("%s: %s export, %zu rows\n", path.c_str(), parsers::FormatName(s.format), s.rows());
  for (const auto& c : s.columns) {
    std::printf("  %-34s <- %s [%s]\n", c.name.c_str(), c.source_name.c_str(), c.source_unit.c_str());
  }
  for (const std::string& note : ParseNotes(s)) std::printf("  %s\n", note.c_str());
  for (const v1::SeriesFinding& f : CheckParsed(s)) std::printf("  %s\n", FindingLine(f).c_str());
}

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

void PrintHeader(const std::string& format, const std::vector<std::string>& names) {
  const std::string line = RowHeader(format, names);
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// `value(i)` is the row's value of column i.
template <typename Value>
void PrintRow(const std::string& format, const std::vector<std::string>& names, Value&& value,
              std::string* line) {
  line->clear();
  AppendRow(format, names, value, line);
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

// --timezone, then --rows: what parse does to the rows read.
int ApplyRowOptions(const Args& args, const std::string& path, parsers::ParsedSeries* s) {
  if (absl::Status st = ApplyZone(path, args.Get("timezone"), s); !st.ok()) {
    if (absl::StartsWith(st.message(), "--timezone")) return UsageError(std::string(st.message()));
    return Refused(st);
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

int MapError(const absl::Status& s) {
  std::fprintf(stderr, "bhub: %s\n", std::string(s.message()).c_str());
  return absl::IsNotFound(s) ? kExitNoInput : kExitUsage;
}

void PrintNotes(const std::string& path, const UploadOutcome& o) {
  for (const std::string& note : o.notes) {
    std::fprintf(stderr, "bhub: %s: %s\n", path.c_str(), note.c_str());
  }
}

// One file, as `bhub upload FILE --cell-test NAME` always printed it: notes
// on stderr, the cell test's summary (or the parsed rows' description for
// --dry-run) on stdout.
int UploadOne(Cli& cli, const UploadRequest& request) {
  const std::string& path = request.path;
  UploadOutcome o = UploadFile(cli, request);
  if (o.kind != UploadOutcome::Kind::kParsed && (!cli.json || o.exit_code != kExitOk)) {
    PrintNotes(path, o);
  }
  switch (o.kind) {
    case UploadOutcome::Kind::kParsed:
      PrintParsed(cli, path, *o.parsed);
      return kExitOk;
    case UploadOutcome::Kind::kUnchanged:
      std::fprintf(stderr, "bhub: %s: %s\n", path.c_str(), o.message.c_str());
      [[fallthrough]];
    case UploadOutcome::Kind::kAppended:
      if (cli.json) std::printf("%s\n", ToJson(o.test, false).c_str());
      else PrintTestSummary(o.test);
      return kExitOk;
    default:
      std::fprintf(stderr, "bhub: %s: %s\n", path.c_str(), o.message.c_str());
      return o.exit_code;
  }
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
  std::string bytes, problem;
  if (int code = ReadWholeFile(path, &bytes, &problem); code != kExitOk) {
    std::fprintf(stderr, "bhub: %s\n", problem.c_str());
    return code;
  }
  absl::StatusOr<parsers::ParsedSeries> parsed = parsers::ParseExport(path, bytes, vendor);
  if (!parsed.ok() && vendor == parsers::Format::kUnknown) {
    // Not a time series: a characterisation file, read once (NOT_FOUND: no
    // reader claims it, and the cycler parser's refusal stands).
    absl::StatusOr<parsers::ParsedCharacterization> c = parsers::ParseCharacterization(path, bytes);
    if (c.ok()) return PrintParsedCharacterization(*c, CharacterizationOf(*c, path, bytes), format);
    if (!absl::IsNotFound(c.status())) return Refused(c.status());
  }
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
  const std::vector<std::string> paths(args.positionals().begin() + 1, args.positionals().end());
  if (paths.empty()) {
    return UsageError("usage: bhub upload PATH... --cell-test NAME | --map FILE | --characterization NAME");
  }
  if (args.Has("characterization") || args.Has("sample") || args.Has("id")) {
    return RunUploadCharacterization(cli, args, paths);
  }
  absl::StatusOr<UploadRequest> options = UploadRequestOf(args);
  if (!options.ok()) return UsageError(std::string(options.status().message()));
  if (args.Has("rows")) return UsageError("--rows is for bhub parse; an upload takes the whole file");
  std::error_code ec;
  const bool many = paths.size() > 1 || args.Has("map") || args.Has("recursive") ||
                    std::filesystem::is_directory(paths[0], ec);
  std::optional<UploadMap> map;
  if (args.Has("map") || args.Has("cell-test")) {
    absl::StatusOr<UploadMap> m = UploadMapOf(args);
    if (!m.ok()) return MapError(m.status());
    map = *std::move(m);
  } else if (!options->dry_run) {
    return UsageError("bhub upload needs --cell-test NAME or --map FILE (or --dry-run)");
  }
  if (!many) {
    options->path = paths[0];
    if (map) options->cell_test = map->CellTestOf(std::filesystem::path(paths[0]).filename().string());
    return UploadOne(cli, *options);
  }
  std::vector<std::string> problems;
  const std::vector<FoundFile> files = FindFiles(paths, args.Has("recursive"), &problems);
  int exit_code = kExitOk;
  for (const std::string& p : problems) {
    std::fprintf(stderr, "bhub: %s\n", p.c_str());
    exit_code = kExitNoInput;
  }
  std::map<std::string, int> counts;
  int64_t new_rows = 0;
  for (const FoundFile& f : files) {
    UploadRequest r = *options;
    r.path = f.path;
    if (map) r.cell_test = map->CellTestOf(f.relative);
    const bool skipped = map && r.cell_test.empty();
    UploadOutcome o;
    if (skipped) {
      o.exit_code = kExitOk;  // not an error: the mapping leaves it out
      o.message = "no rule of the mapping matches it";
    } else {
      o = UploadFile(cli, r);
    }
    const std::string outcome = skipped ? "skipped" : OutcomeName(o.kind);
    ++counts[outcome];
    new_rows += o.new_rows;
    if (o.exit_code != kExitOk && exit_code == kExitOk) exit_code = o.exit_code;
    if (cli.json) {
      nlohmann::json line = {{"file", f.path}, {"outcome", outcome}, {"message", o.message}};
      if (!r.cell_test.empty()) line["cellTest"] = r.cell_test;
      if (!o.format.empty()) line["format"] = o.format;
      if (!skipped) {
        line["fileRows"] = o.file_rows;
        line["newRows"] = o.new_rows;
        line["seriesRows"] = o.series_rows;
      }
      if (!o.notes.empty()) line["notes"] = o.notes;
      std::printf("%s\n", JsonText(line).c_str());
    } else {
      PrintNotes(f.path, o);
      std::printf("%-9s %s%s%s: %s\n", outcome.c_str(), f.path.c_str(),
                  r.cell_test.empty() ? "" : " -> ", r.cell_test.c_str(), o.message.c_str());
    }
    std::fflush(stdout);
  }
  std::string summary = absl::StrCat(files.size(), files.size() == 1 ? " file" : " files");
  for (const auto& [kind, n] : counts) absl::StrAppend(&summary, ", ", n, " ", kind);
  absl::StrAppend(&summary, "; ", new_rows, " new rows");
  std::fprintf(stderr, "bhub: %s\n", summary.c_str());
  if (files.empty() && exit_code == kExitOk) {
    std::fprintf(stderr, "bhub: no files found\n");
    exit_code = kExitNoInput;
  }
  return exit_code;
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
                c.has_temperature() ? RowNumber(c.max_temperature_celsius()).c_str() : "-",
                c.duration_second());
  }
  return kExitOk;
}

}  // namespace batteryhub::cli
