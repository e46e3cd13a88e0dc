// Thermal analysis (TA Instruments Universal Analysis text export) and the
// ICP-OES run exports, which are recognised and refused precisely: a run
// holds many solutions, a characterisation one sample.
#include <cmath>
#include <map>
#include <set>

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

// ---- TA Instruments Universal Analysis (DSC, TGA) -----------------------

bool LooksTaUniversal(const CharInput& in) {
  return AnyLineStartsWith(in, 60, "StartOfData") && AnyLineStartsWith(in, 40, "Sig1\t") &&
         AnyLineStartsWith(in, 40, "Instrument\t");
}

// "Temperature (°C)" -> {"temperature", "degC"}; empty unit when unknown.
std::pair<std::string, std::string> Signal(absl::string_view s) {
  std::string name(s), unit;
  if (size_t open = s.rfind('('); open != absl::string_view::npos && absl::EndsWith(s, ")")) {
    name = std::string(absl::StripAsciiWhitespace(s.substr(0, open)));
    const std::string u(s.substr(open + 1, s.size() - open - 2));
    // The degree sign as code page 437 (0xF8, read as ø) or Latin-1.
    if (u == "°C" || u == "øC" || u == "\xEF\xBF\xBD" "C") unit = "degC";
    else if (u == "min" || u == "s" || u == "mW" || u == "mg" || u == "%" || u == "W/g" || u == "mW/mg") unit = u;
    else unit = "?" + u;
  }
  std::string key = absl::AsciiStrToLower(name);
  for (char& c : key) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return {key, unit};
}

absl::StatusOr<ParsedCharacterization> ReadTaUniversal(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out;
  out.reader = "ta-universal-analysis";
  out.software = "TA Universal Analysis";
  std::map<std::string, std::string> kv;
  std::vector<std::pair<std::string, std::string>> signals;
  size_t i = 0;
  for (; i < f.lines.size() && absl::StripAsciiWhitespace(f.lines[i]) != "StartOfData"; ++i) {
    std::vector<std::string> v = absl::StrSplit(f.lines[i], absl::MaxSplits('\t', 1));
    if (v.size() == 2) kv[v[0]] = std::string(absl::StripAsciiWhitespace(v[1]));
    if (v.size() == 2 && absl::StartsWith(v[0], "Sig") && v[0] != "Sig") {
      signals.push_back(Signal(absl::StripAsciiWhitespace(v[1])));
      if (signals.back().second.empty() || signals.back().second[0] == '?') {
        return CharLineError(in.name, i, absl::StrCat("signal '", v[1], "': unit unknown (expected min, s, °C, mW, mg, %)"));
      }
    }
  }
  const std::string instrument = kv["Instrument"];
  const std::string module = kv["Module"];
  if (absl::StrContains(instrument, "DSC") || absl::StrContains(module, "DSC")) {
    out.technique = CharTechnique::kDsc;
  } else if (absl::StrContains(instrument, "TGA") || absl::StrContains(module, "TGA")) {
    out.technique = CharTechnique::kTga;
  } else {
    return CharError(in.name, absl::StrCat("instrument '", instrument, "' / module '", module,
                                           "': neither DSC nor TGA"));
  }
  out.instrument = absl::StrCat("TA Instruments ", instrument);
  int time = -1, temp = -1, main = -1;
  for (size_t k = 0; k < signals.size(); ++k) {
    if (signals[k].first == "time") time = static_cast<int>(k);
    else if (signals[k].first == "temperature") temp = static_cast<int>(k);
    else if (main < 0) main = static_cast<int>(k);
  }
  if (temp < 0 || main < 0) return CharError(in.name, "expected a Temperature signal and a measured signal (Sig1..)");
  CharCurve vs_temp{signals[main].first, "temperature", "degC", signals[main].first, signals[main].second, {}, {}};
  CharCurve vs_time{absl::StrCat(signals[main].first, "_vs_time"), "time", time >= 0 ? signals[time].second : "min",
                    signals[main].first, signals[main].second, {}, {}};
  size_t placeholders = 0;
  for (size_t k = i + 1; k < f.lines.size(); ++k) {
    if (absl::StripAsciiWhitespace(f.lines[k]).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(f.lines[k]);
    if (!v || v->size() != signals.size()) {
      return CharLineError(in.name, k, absl::StrCat("expected ", signals.size(), " numbers (Sig1..Sig", signals.size(), ")"));
    }
    if (time >= 0 && (*v)[time] < 0) {  // the exporter writes rows at time -1 before the run
      ++placeholders;
      continue;
    }
    vs_temp.x.push_back((*v)[temp]);
    vs_temp.y.push_back((*v)[main]);
    if (time >= 0) {
      vs_time.x.push_back((*v)[time]);
      vs_time.y.push_back((*v)[main]);
    }
  }
  if (placeholders > 0) out.metadata["ta.left_out"] = absl::StrCat(placeholders, " rows at negative time (before the run)");
  out.curves.push_back(std::move(vs_temp));
  if (!vs_time.x.empty()) out.curves.push_back(std::move(vs_time));
  out.sample_name = kv["Sample"];
  out.operator_name = kv["Operator"];
  std::vector<std::string> size = absl::StrSplit(kv["Size"], '\t');
  double mass;
  if (size.size() == 2 && size[1] == "mg" && absl::SimpleAtod(size[0], &mass)) AddQuantity(&out, "sample_mass", mass, "mg");
  AddText(&out, "method", kv["Method"]);
  AddText(&out, "atmosphere", kv["Xcomment"]);
  absl::Time t;
  std::string err;
  if (absl::ParseTime("%d-%b-%y %H:%M", absl::StrCat(kv["Date"], " ", kv["Time"]), absl::UTCTimeZone(), &t, &err)) {
    out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
  }
  return out;
}

// ---- ICP-OES run exports: recognised, refused --------------------------

bool LooksVarianIcp(const CharInput& in) {
  return AnyLineStartsWith(in, 1, "\"Solution Label\"") && AnyLineContains(in, 1, "\"Element\"") &&
         AnyLineContains(in, 1, "\"Soln Conc\"");
}

bool LooksHoribaIcp(const CharInput& in) {
  return AnyLineContains(in, 40, "Sample:,") && AnyLineContains(in, 60, "LineName");
}

absl::StatusOr<ParsedCharacterization> RefuseIcpRun(const CharInput& in) {
  std::set<std::string> solutions;
  for (size_t i = 1; in.text && i < in.text->lines.size(); ++i) {
    std::vector<std::string> v = SplitFields(in.text->lines[i], ',');
    if (!v.empty() && !v[0].empty()) solutions.insert(v[0].substr(0, 60));
    if (v.size() >= 2 && v[0] == "Sample:") solutions.insert(v[1].substr(0, 60));
  }
  return CharError(in.name, absl::StrCat("an ICP-OES run report of ", solutions.size(),
                                         " solutions (blanks, standards and samples): not read yet; "
                                         "submit each sample's element concentrations as results of "
                                         "its own characterization (technique ICP_OES)"));
}

}  // namespace

const std::vector<CharReader>& IcpThermalReaders() {
  static const std::vector<CharReader> readers = {
      {"a thermal analysis (TA Instruments Universal Analysis)", LooksTaUniversal, ReadTaUniversal},
      {"an ICP-OES run report (Agilent/Varian Vista)", LooksVarianIcp, RefuseIcpRun},
      {"an ICP-OES run report (Horiba Jobin Yvon)", LooksHoribaIcp, RefuseIcpRun},
  };
  return readers;
}

}  // namespace batteryhub::parsers
