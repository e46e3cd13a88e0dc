#include "parsers/parse_export.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "parsers/biologic_mpr.h"
#include "parsers/biologic_vocabulary.h"
#include "parsers/decompress.h"
#include "parsers/dialects.h"
#include "parsers/neware_levels.h"
#include "parsers/arbin_res.h"
#include "parsers/named_columns.h"
#include "parsers/spreadsheet.h"
#include "parsers/neware_nda.h"
#include "parsers/neware_ndax.h"

namespace batteryhub::parsers {
namespace {

absl::Status Unsupported(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

enum class ZipContent { kNotZip, kXlsx, kNdax, kXrd, kUnknown };

// What a ZIP container holds, by the names of its members.
ZipContent ZipContentOf(absl::string_view b) {
  if (!absl::StartsWith(b, "PK\x03\x04")) return ZipContent::kNotZip;
  // Member names stand in the local headers and in the central directory
  // at the end: the first and last 64 KiB hold them for any usual file.
  constexpr size_t kWindow = 1 << 16;
  const absl::string_view head = b.substr(0, kWindow);
  const absl::string_view tail = b.size() > kWindow ? b.substr(b.size() - kWindow) : b;
  auto member = [&](absl::string_view s) {
    return absl::StrContains(head, s) || absl::StrContains(tail, s);
  };
  if (member("xl/workbook") || (member("[Content_Types].xml") && member("xl/"))) {
    return ZipContent::kXlsx;
  }
  if (member(".ndc")) return ZipContent::kNdax;
  if (member("Experiment0/") || member("Data0/Profile") || member("RawData0")) {
    return ZipContent::kXrd;
  }
  return ZipContent::kUnknown;
}

// Binary vendor formats, by magic bytes.
absl::Status CheckBinary(const std::string& name, absl::string_view b) {
  // Workbooks and .ndax are read before this; these ZIPs are not.
  switch (ZipContentOf(b)) {
    case ZipContent::kXrd:
      return Unsupported(name, "an X-ray diffraction scan (Bruker .brml / Rigaku .rasx), not a "
                               "cycler time series: add it to a characterization (technique XRD)");
    case ZipContent::kUnknown:
      return Unsupported(name, "unsupported: ZIP container of unknown content; export the data "
                               "as CSV");
    default: break;
  }
  if (absl::StartsWith(b, "\xFF\xFE") || absl::StartsWith(b, "\xFE\xFF")) {
    return Unsupported(name, "unsupported: UTF-16 text (PalmSens .pssession, Camsizer .xle?); "
                             "export it as UTF-8 or ASCII CSV");
  }
  if (absl::StartsWith(b, "PAR1")) {
    return Unsupported(name, "unsupported: Apache Parquet file; write it out as CSV");
  }
  if (absl::StartsWith(b, "ARROW1")) {
    return Unsupported(name, "unsupported: Arrow/Feather file; write it out as CSV");
  }
  if (absl::StartsWith(b, "BZh")) {
    return Unsupported(name, "unsupported: bzip2-compressed file; decompress it first");
  }
  if (absl::StartsWith(b, "RAW1.01") || absl::StartsWith(b, "RAW4.00") ||
      absl::StartsWith(b, "RAW ")) {
    return Unsupported(name, "an X-ray diffraction scan (Bruker .raw), not a cycler time series: "
                             "add it to a characterization (technique XRD)");
  }
  // A loose .ndc member of a Neware .ndax: pages of 4096 bytes, a file type
  // and a version in the first four bytes.
  if (b.size() >= 8192 && b.size() % 4096 == 0 && b[1] == 0 && b[3] == 0 &&
      std::string("\x01\x05\x07\x09\x10\x12").find(b[0]) != std::string::npos &&
      std::string("\x02\x05\x0b\x0e\x10\x11").find(b[2]) != std::string::npos) {
    return Unsupported(name, "a Neware .ndc member on its own (data, step or runInfo part of an "
                             ".ndax): upload the .ndax it came from");
  }
  if (absl::StartsWith(b, "\x89HDF")) {
    return Unsupported(name, "unsupported: HDF5 file (Indigo/pandas .h5); export it as CSV");
  }
  return absl::OkStatus();
}

// Text files that are recognisably not cycler time series.
absl::Status CheckNotSeries(const TextFile& f) {
  const std::string first = f.lines.empty() ? std::string() : std::string(f.lines[0]);
  auto has = [&](const char* s) { return absl::StrContains(first, s); };
  if (absl::StrContains(first, "LOG FILE") && (has("BT-Lab") || has("EC-Lab") || has("EC-LAB"))) {
    return Unsupported(f.name, "a BioLogic log file (.mpl): it holds the settings, not the "
                               "data; upload the .mpr or .mpt of the same run");
  }
  if (has("Device Name") && has("Cell Mass") && has("Nominal Capacity")) {
    return Unsupported(f.name, "a table of device metadata (Voltaiq), not a time series: put "
                               "its values in the cell test record");
  }
  if (absl::StartsWith(first, "ZPLOT") || has("ZPlot") || has("Z60W Data File")) {
    return Unsupported(f.name, "unsupported: ZPlot/ZView impedance file; export the spectrum as "
                               "CSV with frequency, Z' and Z'' columns");
  }
  if (absl::StartsWith(first, "MACCOR, INC.") && absl::StrContains(first, "Impedance")) {
    return Unsupported(f.name, "unsupported: Maccor AC impedance (EDA) file; export the spectrum "
                               "as CSV with frequency, Z' and Z'' columns");
  }
  for (size_t i = 0; i < f.lines.size() && i < 40; ++i) {
    bool freq = false, real = false;
    for (char sep : {'\t', ',', ';'}) {
      for (const std::string& field : SplitFields(f.lines[i], sep)) {
        const std::string n = NormalizeHeader(field);
        freq |= n == "f" || absl::StartsWith(n, "f/hz") || absl::StartsWith(n, "freq");
        real |= absl::StartsWith(n, "z'") || absl::StartsWith(n, "zreal") ||
                absl::StartsWith(n, "re(z)") || absl::StartsWith(n, "z_re");
      }
    }
    if (freq && real) {
      return Unsupported(f.name, absl::StrCat("an impedance spectrum (line ", i + 1, " names "
                                              "frequency and impedance columns), not a cycler "
                                              "time series: add it to a characterization "
                                              "(technique EIS)"));
    }
  }
  if (has("Cycle_Index") && !has("Current") && !has("Voltage") &&
      (has(",CE,") || has("Efficiency") || has("Q_dis") || has("Throughput"))) {
    return Unsupported(f.name, "a per-cycle summary table, not a time series: upload the "
                               "timeseries file; the hub computes cycle summaries itself");
  }
  if (absl::StartsWith(first, "<?xml") || absl::StartsWith(first, "[Measurement conditions]")) {
    return Unsupported(f.name, "an X-ray diffraction scan, not a cycler time series: add it to a "
                               "characterization (technique XRD) as a curve");
  }
  if (has("Sample Name") && has("Particle")) {
    return Unsupported(f.name, "a particle-size report, not a cycler time series: add it to a "
                               "characterization (technique PSD)");
  }
  if (has("test_id") && has("schedule_file_name")) {
    return Unsupported(f.name, "an Arbin metadata sidecar, not a time series: upload the data CSV "
                               "it describes");
  }
  if (has("Cycle_Index") && has("Start_Time") && has("End_Time")) {
    return Unsupported(f.name, "a per-cycle summary table, not a time series: upload the "
                               "timeseries CSV; the hub computes cycle summaries itself");
  }
  std::vector<std::string> two = SplitFields(first, first.find('\t') != std::string::npos ? '\t' : ' ');
  if (two.size() == 2 && ParseNumber(two[0], false) && ParseNumber(two[1], false)) {
    return Unsupported(f.name, "two-column x/y data (an XRD .xy scan?), not a cycler time series: "
                               "add it to a characterization as a curve");
  }
  return absl::OkStatus();
}

struct Entry {
  Format format;
  bool (*looks)(const TextFile&);
  absl::StatusOr<Dialect> (*make)(const TextFile&);
};

const Entry kEntries[] = {
    {Format::kBiologic, LooksLikeBiologic, MakeBiologicDialect},
    {Format::kGamry, LooksLikeGamry, MakeGamryDialect},
    {Format::kMaccor, LooksLikeMaccor, MakeMaccorDialect},
    {Format::kNovonix, LooksLikeNovonix, MakeNovonixDialect},
    {Format::kBasytec, LooksLikeBasytec, MakeBasytecDialect},
    {Format::kPec, LooksLikePec, MakePecDialect},
    {Format::kArbin, LooksLikeArbin, MakeArbinDialect},
    {Format::kNeware, LooksLikeNeware, MakeNewareDialect},
    {Format::kBdf, LooksLikeBdf, MakeBdfDialect},
    {Format::kBatteryArchive, LooksLikeBatteryArchive, MakeBatteryArchiveDialect},
    {Format::kEisCsv, LooksLikeEisCsv, nullptr},
    {Format::kTable, LooksLikeNamedColumns, MakeNamedColumnsDialect},
};

absl::StatusOr<ParsedSeries> ParseEisCsv(TextFile f) {
  f.lines.insert(f.lines.begin(), "frequency,zreal,zimag");
  Dialect d;
  d.format = Format::kEisCsv;
  d.rules = {{"frequency", kFrequency, "Hz"}, {"zreal", kZReal, "ohm"}, {"zimag", kZImag, "ohm"}};
  d.required = {kFrequency, kZReal, kZImag};
  absl::StatusOr<ParsedSeries> out = ReadTable(f, d);
  if (!out.ok()) {  // line numbers of the file, not of the copy with a header
    return absl::InvalidArgumentError(std::string(out.status().message()));
  }
  return out;
}

// Timestamps only (BT-Lab absolute time): test time from the first stamp.
void DeriveTestTime(ParsedSeries* s) {
  if (s->Find(kTimeColumn) != nullptr) return;
  const SeriesColumn* unix_time = s->Find(kUnixTime);
  if (unix_time == nullptr || unix_time->values.empty()) return;
  SeriesColumn t{kTimeColumn, unix_time->source_name, "derived from timestamps", {}};
  // Stamps resolve at most microseconds; round away the binary noise of
  // subtracting two 1.7e9-second doubles.
  for (double v : unix_time->values) {
    t.values.push_back(std::round((v - unix_time->values[0]) * 1e6) / 1e6);
  }
  s->columns.insert(s->columns.begin(), std::move(t));
}

void CollectMetadata(const TextFile& f, size_t header_line, ParsedSeries* s) {
  for (size_t i = 0; i < header_line && i < f.lines.size() && s->metadata.size() < 64; ++i) {
    std::string key, value;
    if (SplitKeyValue(f.lines[i], &key, &value) && !value.empty() && key.size() < 80 &&
        value.size() < 200) {
      s->metadata.emplace(key, value);
    }
  }
}

bool IsXlsx(absl::string_view b) { return ZipContentOf(b) == ZipContent::kXlsx; }

bool IsNdax(absl::string_view b) { return ZipContentOf(b) == ZipContent::kNdax; }

bool IsOle2(absl::string_view b) {
  return absl::StartsWith(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
}

// Record-level sheets first, summaries last.
int SheetRank(const std::string& sheet) {
  const std::string n = absl::AsciiStrToLower(sheet);
  for (const char* s : {"record", "detail", "channel", "data", "raw"}) {
    if (absl::StrContains(n, s)) return 0;
  }
  for (const char* s : {"cycle", "statis", "step", "info", "global", "summary"}) {
    if (absl::StrContains(n, s)) return 2;
  }
  return 1;
}

// The first sheet, in rank order, that reads as a series.
absl::StatusOr<ParsedSeries> ParseWorkbook(const std::string& name,
                                           absl::StatusOr<std::vector<Sheet>> sheets,
                                           Format format) {
  if (!sheets.ok()) return sheets.status();
  std::stable_sort(sheets->begin(), sheets->end(), [](const Sheet& a, const Sheet& b) {
    return SheetRank(a.name) < SheetRank(b.name);
  });
  std::vector<std::string> reasons;
  for (const Sheet& sheet : *sheets) {
    const std::string label = absl::StrCat(name, "[", sheet.name, "]");
    absl::StatusOr<ParsedSeries> s = ParseExport(label, sheet.text, format);
    if (s.ok()) {
      s->metadata["spreadsheet.sheet"] = sheet.name;
      return s;
    }
    // "name[sheet]: why" -> "sheet 'S': why", cut short.
    std::string why(s.status().message());
    if (absl::StartsWith(why, label)) why = why.substr(label.size());
    why = std::string(absl::StripPrefix(why, ": "));
    if (absl::StartsWith(why, "unrecognised export")) why = "not a table this reader recognises";
    if (why.size() > 120) why = why.substr(0, 120) + "...";
    reasons.push_back(absl::StrCat("sheet '", sheet.name, "': ", why));
  }
  return Unsupported(name, absl::StrCat("no sheet of the workbook reads as a time series (",
                                        absl::StrJoin(reasons, "; "), ")"));
}

const Entry* EntryFor(Format format) {
  for (const Entry& e : kEntries) {
    if (e.format == format) return &e;
  }
  return nullptr;
}

}  // namespace

namespace {
absl::StatusOr<Format> DetectText(const TextFile& f);
}  // namespace

absl::StatusOr<Format> DetectFormat(const std::string& name, absl::string_view bytes) {
  if (absl::StartsWith(bytes, kMprMagic)) return Format::kBiologic;
  if (LooksLikeAccessDatabase(bytes)) return Format::kArbin;
  if (IsGzip(bytes)) {
    absl::StatusOr<std::string> inflated = Gunzip(name, bytes);
    if (!inflated.ok()) return inflated.status();
    return DetectFormat(name, *inflated);
  }
  if (IsXlsx(bytes) || IsOle2(bytes)) {
    absl::StatusOr<ParsedSeries> s = ParseExport(name, bytes);
    if (!s.ok()) return s.status();
    return s->format;
  }
  if (absl::StartsWith(bytes, kNdaMagic) || IsNdax(bytes)) return Format::kNeware;
  if (absl::Status s = CheckBinary(name, bytes); !s.ok()) return s;
  absl::StatusOr<TextFile> f = LoadText(name, bytes);
  if (!f.ok()) return f.status();
  return DetectText(*f);
}

namespace {

absl::StatusOr<Format> DetectText(const TextFile& f) {
  const std::string& name = f.name;
  if (LooksLikeNewareLayered(f)) return Format::kNeware;
  for (const Entry& e : kEntries) {
    if (e.format != Format::kTable && e.looks(f)) return e.format;
  }
  // A table naming time, voltage and current is a series, whatever else it
  // holds (an impedance column beside them, say).
  if (LooksLikeNamedColumns(f)) return Format::kTable;
  if (absl::Status s = CheckNotSeries(f); !s.ok()) return s;
  if (std::string missing = MissingUnits(f); !missing.empty()) {
    return absl::InvalidArgumentError(missing);
  }
  return Unsupported(name, "unrecognised export: expected Arbin, Maccor, BioLogic, Neware, "
                           "Novonix, BaSyTec, PEC, BDF or Battery Archive CSV/text, a table whose "
                           "header names time, voltage and current with units, or an "
                           "impedance table (Gamry .DTA, frequency/Z'/Z'' CSV); use --format "
                           "to name one");
}

}  // namespace

absl::StatusOr<ParsedSeries> ParseExport(const std::string& name, absl::string_view bytes,
                                         Format format) {
  if (IsGzip(bytes)) {
    absl::StatusOr<std::string> inflated = Gunzip(name, bytes);
    if (!inflated.ok()) return inflated.status();
    return ParseExport(name, *inflated, format);
  }
  if (LooksLikeAccessDatabase(bytes)) {
    if (format != Format::kUnknown && format != Format::kArbin) {
      return Unsupported(name, absl::StrCat("an Access database (Arbin .res?), not ", FormatName(format)));
    }
    return ParseArbinRes(name, bytes);
  }
  if (IsNdax(bytes)) {
    if (format != Format::kUnknown && format != Format::kNeware) {
      return Unsupported(name, absl::StrCat("a Neware .ndax, not ", FormatName(format)));
    }
    return ParseNewareNdax(name, bytes);
  }
  // A workbook: each sheet is a text file of its own, detected as one.
  if (IsXlsx(bytes)) return ParseWorkbook(name, ReadXlsx(name, bytes), format);
  if (IsOle2(bytes)) {
    absl::StatusOr<std::vector<Sheet>> sheets = ReadXls(name, bytes);
    if (!sheets.ok()) return sheets.status();
    return ParseWorkbook(name, std::move(sheets), format);
  }
  const bool binary = absl::StartsWith(bytes, kMprMagic) || absl::StartsWith(bytes, kNdaMagic);
  if (format == Format::kUnknown && binary) {
    absl::StatusOr<Format> detected = DetectFormat(name, bytes);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  if (absl::StartsWith(bytes, kMprMagic)) {
    if (format != Format::kBiologic) {
      return Unsupported(name, absl::StrCat("a BioLogic .mpr, not ", FormatName(format)));
    }
    return ParseBiologicMpr(name, bytes);
  }
  if (absl::StartsWith(bytes, kNdaMagic)) {
    if (format != Format::kNeware) {
      return Unsupported(name, absl::StrCat("a Neware .nda, not ", FormatName(format)));
    }
    return ParseNewareNda(name, bytes);
  }
  if (absl::Status s = CheckBinary(name, bytes); !s.ok()) return s;
  absl::StatusOr<TextFile> f = LoadText(name, bytes);  // decoded once, for detection and reading
  if (!f.ok()) return f.status();
  if (format == Format::kUnknown) {
    absl::StatusOr<Format> detected = DetectText(*f);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  if (format == Format::kEisCsv) return ParseEisCsv(*f);
  if (format == Format::kGamry) return ParseGamryCurves(*f);
  if (format == Format::kNeware && LooksLikeNewareLayered(*f)) return ParseNewareLayered(*f);
  const Entry* entry = EntryFor(format);
  if (entry == nullptr) return Unsupported(name, "no parser for this format");
  absl::StatusOr<Dialect> dialect = entry->make(*f);
  if (!dialect.ok()) return dialect.status();
  absl::StatusOr<ParsedSeries> series = ReadTable(*f, *dialect);
  if (!series.ok()) return series.status();
  CollectMetadata(*f, dialect->header_line, &*series);
  if (!dialect->technique.empty()) series->metadata["technique"] = dialect->technique;
  if (!dialect->note.empty()) series->metadata["batteryhub.left_out"] = dialect->note;
  if (series->Find(kCurrentColumn) == nullptr && IsRestTechnique(dialect->technique)) {
    AssumeZeroCurrent(dialect->technique, &*series);
  }
  DeriveTestTime(&*series);
  return series;
}

const char* FormatName(Format f) {
  switch (f) {
    case Format::kArbin: return "arbin";
    case Format::kMaccor: return "maccor";
    case Format::kBiologic: return "biologic";
    case Format::kNeware: return "neware";
    case Format::kNovonix: return "novonix";
    case Format::kBasytec: return "basytec";
    case Format::kPec: return "pec";
    case Format::kBdf: return "bdf";
    case Format::kBatteryArchive: return "batteryarchive";
    case Format::kGamry: return "gamry";
    case Format::kEisCsv: return "eis-csv";
    case Format::kTable: return "table";
    case Format::kUnknown: return "unknown";
  }
  return "unknown";
}

Format ParseFormatName(const std::string& name) {
  for (Format f : {Format::kArbin, Format::kMaccor, Format::kBiologic, Format::kNeware,
                   Format::kNovonix, Format::kBasytec, Format::kPec, Format::kBdf,
                   Format::kBatteryArchive, Format::kGamry, Format::kEisCsv, Format::kTable}) {
    if (name == FormatName(f)) return f;
  }
  return Format::kUnknown;
}

const SeriesColumn* ParsedSeries::Find(const std::string& name) const {
  for (const SeriesColumn& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace batteryhub::parsers
