// Particle size: Malvern Mastersizer wide exports (CSV or a workbook sheet),
// Beckman Coulter Multisizer .#M3.CSV, Retsch/Microtrac Camsizer .xle.
#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "parsers/characterization_readers.h"

namespace batteryhub::parsers {
namespace {

ParsedCharacterization NewPsd(const char* reader) {
  ParsedCharacterization out;
  out.technique = CharTechnique::kPsd;
  out.reader = reader;
  return out;
}

std::optional<double> Num(absl::string_view s) { return CharNumber(s); }

// The distribution curves from class edges (n + 1, rising) and the share of
// each class (n, in %), plus the computed mode and percentiles.
absl::Status AddDistribution(const std::string& name, const std::vector<double>& edges,
                             const std::vector<double>& percent, const char* basis,
                             ParsedCharacterization* out) {
  if (edges.size() != percent.size() + 1 || percent.empty()) {
    return CharError(name, absl::StrCat(edges.size(), " class edges for ", percent.size(), " classes"));
  }
  for (size_t i = 1; i < edges.size(); ++i) {
    if (!(edges[i] > edges[i - 1])) {
      return CharError(name, absl::StrCat("size class edges do not rise at class ", i, " (", edges[i - 1],
                                          " then ", edges[i], " um)"));
    }
  }
  for (size_t i = 0; i < percent.size(); ++i) {
    if (percent[i] < 0) return CharError(name, absl::StrCat("class ", i + 1, ": negative share ", percent[i]));
  }
  CharCurve freq{"distribution", "size", "um", absl::StrCat(basis, "_fraction"), "%", {}, {}};
  CharCurve cum{"cumulative", "size", "um", absl::StrCat("cumulative_", basis, "_undersize"), "%", {}, {}};
  double total = 0, sum = 0;
  for (double p : percent) total += p;
  if (total <= 0) return CharError(name, "the distribution is empty (all classes 0)");
  size_t mode = 0;
  for (size_t i = 0; i < percent.size(); ++i) {
    const double lo = edges[i], hi = edges[i + 1];
    freq.x.push_back(lo > 0 ? std::sqrt(lo * hi) : (lo + hi) / 2);
    freq.y.push_back(percent[i]);
    sum += percent[i];
    cum.x.push_back(hi);
    cum.y.push_back(std::round(sum / total * 100 * 1e6) / 1e6);
    if (percent[i] > percent[mode]) mode = i;
  }
  std::vector<double> upper(edges.begin() + 1, edges.end());
  AddComputedPercentiles(edges[0], upper, percent, out);
  if (out->FindResult("mode") == nullptr) {
    out->results.push_back({"mode", freq.x[mode], "um", true,
                            "geometric centre of the size class with the largest share"});
  }
  out->curves.push_back(std::move(freq));
  out->curves.push_back(std::move(cum));
  return absl::OkStatus();
}

// ---- Malvern Mastersizer (wide: one row per measurement) ----------------

struct MastersizerLayout {
  size_t header = 0;
  char sep = ',';
};

std::optional<MastersizerLayout> FindMastersizer(const CharInput& in) {
  if (!in.text) return std::nullopt;
  const TextFile& f = *in.text;
  for (size_t i = 0; i < f.lines.size() && i < 5; ++i) {
    for (char sep : {',', '\t', ';'}) {
      bool d50 = false, sample = false;
      for (const std::string& h : SplitFields(f.lines[i], sep)) {
        const std::string n = NormalizeHeader(h);
        d50 |= n == "d (0.5)" || n == "dx (50)" || n == "d(0.5)" || n == "dv (50)" || n == "dv(50)";
        sample |= n == "sample name";
      }
      if (d50 && sample) return MastersizerLayout{i, sep};
    }
  }
  return std::nullopt;
}

bool LooksMastersizer(const CharInput& in) { return FindMastersizer(in).has_value(); }

// Result columns by header (normalised, trailing text after " - " dropped).
struct ResultColumn {
  const char* header;
  const char* name;
  const char* unit;
};
constexpr ResultColumn kMalvernResults[] = {
    {"d (0.1)", "d10", "um"},   {"dx (10)", "d10", "um"},   {"dv (10)", "d10", "um"},
    {"d (0.5)", "d50", "um"},   {"dx (50)", "d50", "um"},   {"dv (50)", "d50", "um"},
    {"d (0.9)", "d90", "um"},   {"dx (90)", "d90", "um"},   {"dv (90)", "d90", "um"},
    {"span", "span", "1"},      {"uniformity", "uniformity", "1"},
    {"d [4, 3]", "d43", "um"},  {"d [3, 2]", "d32", "um"},
    {"obscuration", "obscuration", "%"}, {"laser obscuration", "obscuration", "%"},
    {"residual", "residual", "%"}, {"weighted residual", "residual", "%"},
    {"concentration", "concentration", "%"},
};

absl::StatusOr<ParsedCharacterization> ReadMastersizer(const CharInput& in) {
  const TextFile& f = *in.text;
  const MastersizerLayout layout = *FindMastersizer(in);
  std::vector<std::string> head = SplitFields(f.lines[layout.header], layout.sep);
  // The class-edge row: the next line with numbers where the header is blank.
  size_t edge_line = layout.header + 1;
  if (edge_line >= f.lines.size()) return CharLineError(in.name, layout.header, "header without rows");
  std::vector<std::string> edge_fields = SplitFields(f.lines[edge_line], layout.sep);
  std::vector<size_t> edge_cols;
  std::vector<double> edges;
  for (size_t j = 0; j < edge_fields.size(); ++j) {
    std::optional<double> v = Num(edge_fields[j]);
    const std::string h = j < head.size() ? NormalizeHeader(head[j]) : "";
    if (v && (h.empty() || absl::StartsWith(h, "result between") || absl::StartsWith(h, "size classes"))) {
      edge_cols.push_back(j);
      edges.push_back(*v);
    }
  }
  if (edges.size() < 3) {
    return CharLineError(in.name, edge_line, "expected the row of size-class edges below the header");
  }
  std::string size_unit = "um";
  for (const std::string& h : head) {
    if (absl::StrContains(h, "Sizes in mm")) size_unit = "mm";
  }
  const double to_um = size_unit == "mm" ? 1000 : 1;
  for (double& e : edges) e *= to_um;
  // The measurement rows: every later non-blank row.
  std::vector<size_t> rows;
  for (size_t i = edge_line + 1; i < f.lines.size(); ++i) {
    if (!absl::StripAsciiWhitespace(f.lines[i]).empty()) rows.push_back(i);
  }
  if (rows.empty()) return CharLineError(in.name, edge_line, "no measurement row after the class edges");
  if (rows.size() > 1) {
    return CharError(in.name, absl::StrCat(rows.size(), " measurement rows (lines ", rows.front() + 1, "-",
                                           rows.back() + 1, "): one characterisation is one measurement; "
                                           "export them one per file"));
  }
  const size_t row = rows[0];
  std::vector<std::string> v = SplitFields(f.lines[row], layout.sep);
  ParsedCharacterization out = NewPsd("malvern-mastersizer");
  out.instrument = "Malvern Mastersizer";
  out.software = "Mastersizer";
  auto cell = [&](const char* header) -> std::string {
    for (size_t j = 0; j < head.size() && j < v.size(); ++j) {
      if (NormalizeHeader(head[j]) == header) return v[j];
    }
    return "";
  };
  for (size_t j = 0; j < head.size() && j < v.size(); ++j) {
    std::string h = NormalizeHeader(head[j]);
    if (size_t dash = h.find(" - "); dash != std::string::npos) h = h.substr(0, dash);
    for (const ResultColumn& rc : kMalvernResults) {
      if (h != rc.header || v[j].empty()) continue;
      std::optional<double> x = Num(v[j]);
      if (!x) {
        return CharLineError(in.name, row, absl::StrCat("column '", head[j], "': '", v[j], "' is not a number"));
      }
      if (out.FindResult(rc.name) == nullptr) {
        out.results.push_back({rc.name, std::string(rc.unit) == "um" ? *x * to_um : *x, rc.unit, false, ""});
      }
    }
    if (absl::StartsWith(h, "specific surface area") && !v[j].empty()) {
      std::optional<double> x = Num(v[j]);
      if (!x) return CharLineError(in.name, row, absl::StrCat("column '", head[j], "' is not a number"));
      // Mastersizer 2000 reports m²/g; 3000 names its unit (m²/kg).
      const bool per_kg = absl::StrContains(h, "m²/kg") || absl::StrContains(h, "m2/kg");
      out.results.push_back({"specific_surface_area", per_kg ? *x / 1000 : *x, "m2/g", false, ""});
    }
  }
  std::vector<double> percent;
  for (size_t k = 1; k < edge_cols.size(); ++k) {
    const size_t j = edge_cols[k];
    std::optional<double> x = j < v.size() ? Num(v[j]) : std::nullopt;
    if (!x) {
      return CharLineError(in.name, row, absl::StrCat("size class ", k, " (column ", j + 1,
                                                      "): expected a volume %, found '",
                                                      j < v.size() ? v[j] : "", "'"));
    }
    percent.push_back(*x);
  }
  if (absl::Status s = AddDistribution(in.name, edges, percent, "volume", &out); !s.ok()) return s;
  out.sample_name = cell("sample name");
  out.operator_name = cell("operator name");
  for (const char* k : {"particle name", "dispersant name", "accessory name", "analysis model",
                        "result transform type", "sop name"}) {
    std::string key(k);
    std::replace(key.begin(), key.end(), ' ', '_');
    AddText(&out, key, cell(k));
  }
  for (const char* k : {"particle refractive index", "particle absorption index", "dispersant refractive index"}) {
    std::string key(k);
    std::replace(key.begin(), key.end(), ' ', '_');
    if (auto x = Num(cell(k))) AddQuantity(&out, key, *x, "1");
  }
  const std::string when = cell("measurement date and time");
  if (!when.empty()) {
    // "22/08/2011 09:49" (DD/MM/YYYY) or "22 August 2011 09:49:26".
    absl::Time t;
    std::string err;
    for (const char* layout : {"%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d %B %Y %H:%M:%S", "%d %B %Y %H:%M",
                               "%Y-%m-%d %H:%M:%S"}) {
      if (absl::ParseTime(layout, when, absl::UTCTimeZone(), &t, &err)) {
        out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
        break;
      }
    }
  }
  return out;
}

// ---- Beckman Coulter Multisizer 3 ---------------------------------------

bool LooksMultisizer(const CharInput& in) {
  return AnyLineStartsWith(in, 2, "Multisizer") && AnyLineStartsWith(in, 80, "Bin Number");
}

absl::StatusOr<ParsedCharacterization> ReadMultisizer(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewPsd("beckman-multisizer");
  out.instrument = "Beckman Coulter Multisizer 3";
  size_t head = 0;
  std::optional<double> to;
  for (; head < f.lines.size() && !absl::StartsWith(f.lines[head], "Bin Number"); ++head) {
    std::vector<std::string> kv = SplitFields(f.lines[head], ',');
    if (kv.size() < 2) continue;
    const std::string k(absl::StripSuffix(kv[0], ":"));
    if (k == "Sample ID") out.sample_name = kv[1];
    if (k == "Operator") out.operator_name = kv[1];
    if (k == "To") to = Num(kv[1]);
    if (k == "Electrolyte") AddText(&out, "electrolyte", kv[1]);
    if (k == "Aperture diameter") {
      if (auto x = Num(kv[1])) AddQuantity(&out, "aperture_diameter", *x, "um");
    }
    if (k == "Kd") {
      if (auto x = Num(kv[1])) AddQuantity(&out, "kd", *x, "1");
    }
    if (k == "Total pulses") {
      if (auto x = Num(kv[1])) AddQuantity(&out, "total_pulses", *x, "1");
    }
    if (k == "Acquired" && !out.measure_time) {
      absl::Time t;
      std::string err;
      if (absl::ParseTime("%y-%m-%d %H:%M", kv[1], absl::UTCTimeZone(), &t, &err)) {
        out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
      }
    }
  }
  // Three header lines: names, qualifiers, units.
  if (head + 3 >= f.lines.size()) return CharLineError(in.name, head, "bin table without rows");
  std::vector<std::string> h1 = SplitFields(f.lines[head], ','), h2 = SplitFields(f.lines[head + 1], ',');
  std::vector<std::string> h3 = SplitFields(f.lines[head + 2], ',');
  int lower = -1, center = -1, volume = -1, number = -1;
  for (size_t j = 0; j < h1.size(); ++j) {
    const std::string a = NormalizeHeader(h1[j]), b = j < h2.size() ? NormalizeHeader(h2[j]) : "";
    if (a == "bin diameter" && b == "(lower)") lower = static_cast<int>(j);
    if (a == "bin diameter" && b == "(center)") center = static_cast<int>(j);
    if (a == "diff." && b == "volume") volume = static_cast<int>(j);
    if (a == "diff." && b == "number") number = static_cast<int>(j);
  }
  if (lower < 0 || volume < 0) {
    return CharLineError(in.name, head, "expected 'Bin Diameter (Lower)' and 'Diff. Volume' columns");
  }
  if (static_cast<size_t>(lower) >= h3.size() || NormalizeHeader(h3[lower]) != "um") {
    return CharLineError(in.name, head + 2, "bin diameters: expected the unit um");
  }
  std::vector<double> edges, percent, counts, centers;
  for (size_t i = head + 3; i < f.lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(f.lines[i]).empty()) continue;
    std::vector<std::string> v = SplitFields(f.lines[i], ',');
    auto at = [&](int j) { return j >= 0 && static_cast<size_t>(j) < v.size() ? Num(v[j]) : std::nullopt; };
    std::optional<double> lo = at(lower), vol = at(volume);
    if (lo && !vol && !v.empty() && v[0].empty() && to) {  // ",27.1,,,": the upper edge of the last bin
      to = *lo;
      continue;
    }
    if (!lo || !vol) return CharLineError(in.name, i, "expected the bin's lower diameter and volume %");
    edges.push_back(*lo);
    percent.push_back(*vol);
    if (auto n = at(number)) counts.push_back(*n);
    if (auto c = at(center)) centers.push_back(*c);
  }
  if (!to) return CharError(in.name, "no 'To' line: the upper edge of the last bin is unknown");
  edges.push_back(*to);
  if (absl::Status s = AddDistribution(in.name, edges, percent, "volume", &out); !s.ok()) return s;
  if (counts.size() == percent.size() && centers.size() == percent.size()) {
    out.curves.push_back({"number", "size", "um", "count", "1", centers, counts});
  }
  return out;
}

// ---- Retsch / Microtrac Camsizer .xle ------------------------------------

int CamsizerTable(const CharInput& in) {
  if (!in.text) return -1;
  for (size_t i = 0; i < in.text->lines.size() && i < 400; ++i) {
    std::vector<std::string> h = SplitFields(in.text->lines[i], '\t');
    if (h.size() >= 4 && h[1] == "[µm]" && absl::StartsWith(h[2], "p3 [%]") && absl::StartsWith(h[3], "Q3 [%]")) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool LooksCamsizer(const CharInput& in) { return CamsizerTable(in) >= 0; }

absl::StatusOr<ParsedCharacterization> ReadCamsizer(const CharInput& in) {
  const TextFile& f = *in.text;
  const size_t table = static_cast<size_t>(CamsizerTable(in));
  ParsedCharacterization out = NewPsd("retsch-camsizer");
  out.instrument = "Retsch/Microtrac CAMSIZER";
  if (AnyLineContains(in, 20, "CAMSIZER X2") || absl::StrContains(in.name, "X2")) out.instrument += " X2";
  for (size_t i = 0; i < table; ++i) {
    // "x(Q3=50.00 %) [µm] =<TAB>367.27"
    absl::string_view line = f.lines[i];
    if (absl::ConsumePrefix(&line, "x(Q3=")) {
      std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
      std::optional<double> p = Num(std::string(line.substr(0, line.find(' '))));
      if (parts.size() == 2 && p && absl::StrContains(parts[0], "[µm]")) {
        if (auto x = Num(parts[1])) {
          const std::string n = *p == 10 ? "d10" : *p == 50 ? "d50" : *p == 90 ? "d90" : absl::StrCat("d", *p);
          if (out.FindResult(n) == nullptr) out.results.push_back({n, *x, "um", false, ""});
        }
      }
    }
    std::vector<std::string> kv = SplitFields(f.lines[i], '\t');
    if (kv.size() == 2 && kv[0] == "SPAN3") {
      if (auto x = Num(kv[1])) out.results.push_back({"span", *x, "1", false, ""});
    }
    if (kv.size() == 2 && kv[0] == "Mv3(x) [µm]") {
      if (auto x = Num(kv[1])) out.results.push_back({"d43", *x, "um", false, ""});
    }
    if (i == 0 && kv.size() >= 5) {
      absl::Time t;
      std::string err;
      if (absl::ParseTime("%Y/%m/%d %H:%M", absl::StrCat(kv[3], " ", kv[4]), absl::UTCTimeZone(), &t, &err)) {
        out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
      }
      AddText(&out, "size_definition", kv[2]);
      out.sample_name = kv[0];
    }
  }
  std::vector<double> edges, percent;
  for (size_t i = table + 1; i < f.lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(f.lines[i]).empty()) break;
    std::vector<std::string> v = SplitFields(f.lines[i], '\t');
    if (v.size() < 3 || !Num(v[0]) || !Num(v[1]) || !Num(v[2])) {
      return CharLineError(in.name, i, "expected class bounds (µm) and p3 (%)");
    }
    const double lo = Num(v[0]).value_or(0), hi = Num(v[1]).value_or(0), p3 = Num(v[2]).value_or(0);
    if (!edges.empty() && edges.back() != lo) {
      return CharLineError(in.name, i, "size classes are not contiguous");
    }
    if (edges.empty()) edges.push_back(lo);
    edges.push_back(hi);
    percent.push_back(p3);
  }
  if (absl::Status s = AddDistribution(in.name, edges, percent, "volume", &out); !s.ok()) return s;
  return out;
}

}  // namespace

const std::vector<CharReader>& PsdReaders() {
  static const std::vector<CharReader> readers = {
      {"a particle-size report (Malvern Mastersizer)", LooksMastersizer, ReadMastersizer},
      {"a particle-size report (Beckman Coulter Multisizer)", LooksMultisizer, ReadMultisizer},
      {"a particle-size report (Retsch/Microtrac Camsizer)", LooksCamsizer, ReadCamsizer},
  };
  return readers;
}

}  // namespace batteryhub::parsers
