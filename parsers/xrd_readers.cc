// X-ray diffraction: PANalytical XRDML and CSV, Bruker BRML and UXD,
// Rigaku RAS and RASX, headerless 2θ/intensity .xy/.xye.
#include <algorithm>
#include <cmath>
#include <map>

#include <pugixml.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "parsers/characterization_readers.h"
#include "parsers/zip_archive.h"

namespace batteryhub::parsers {
namespace {

constexpr size_t kMaxXmlMember = size_t{256} << 20;

ParsedCharacterization NewXrd(const char* reader) {
  ParsedCharacterization out;
  out.technique = CharTechnique::kXrd;
  out.reader = reader;
  return out;
}

std::optional<double> Number(absl::string_view s) { return CharNumber(s); }

// An intensity unit as the hub spells it, or empty when unknown.
std::string IntensityUnit(absl::string_view u) {
  const std::string l = absl::AsciiStrToLower(absl::StripAsciiWhitespace(u));
  if (l == "counts" || l == "count" || l == "cts") return "counts";
  if (l == "counts/s" || l == "cps" || l == "counts per second" || l == "counts/sec") return "counts/s";
  return "";
}

// The wavelength block every XRD reader fills the same way.
void AddWavelengths(ParsedCharacterization* out, std::optional<double> a1, std::optional<double> a2,
                    std::optional<double> beta, std::optional<double> ratio) {
  if (a1 && *a1 > 0) AddQuantity(out, "wavelength_k_alpha1", *a1, "angstrom");
  if (a2 && *a2 > 0) AddQuantity(out, "wavelength_k_alpha2", *a2, "angstrom");
  if (beta && *beta > 0) AddQuantity(out, "wavelength_k_beta", *beta, "angstrom");
  if (ratio && *ratio >= 0) AddQuantity(out, "ratio_k_alpha2_k_alpha1", *ratio, "1");
}

// Range, step and point count of the main curve, from the points.
void AddRange(ParsedCharacterization* out) {
  if (out->curves.empty() || out->curves[0].x.size() < 2) return;
  const CharCurve& c = out->curves[0];
  const std::string unit = c.x_unit;
  AddQuantity(out, "scan_start", c.x.front(), unit);
  AddQuantity(out, "scan_end", c.x.back(), unit);
  const double step = (c.x.back() - c.x.front()) / static_cast<double>(c.x.size() - 1);
  AddQuantity(out, "scan_step", std::round(step * 1e8) / 1e8, unit);
  AddQuantity(out, "scan_points", static_cast<double>(c.x.size()), "1");
  if (out->curves.size() > 1) AddQuantity(out, "scans", static_cast<double>(out->curves.size()), "1");
}

CharCurve Pattern(std::string name, std::string x_name, std::string y_unit) {
  CharCurve c;
  c.name = std::move(name);
  c.x_name = std::move(x_name);
  c.x_unit = "deg";
  c.y_name = "intensity";
  c.y_unit = std::move(y_unit);
  return c;
}

// "2Theta" / "2-Theta/Omega" / "TwoTheta" -> "two_theta"; "Omega" -> "omega".
std::string AxisName(absl::string_view axis) {
  const std::string l = absl::AsciiStrToLower(axis);
  if (absl::StrContains(l, "2theta") || absl::StrContains(l, "2-theta") ||
      absl::StrContains(l, "twotheta") || l == "gonio") {
    return "two_theta";
  }
  if (l == "omega" || l == "theta") return "omega";
  if (l == "phi" || l == "chi") return l;
  return "";
}

// ---- PANalytical XRDML --------------------------------------------------

bool LooksXrdml(const CharInput& in) {
  if (!in.text) return false;
  const std::string& t = *in.text->text;
  const size_t root = t.find("<xrdMeasurements");
  return root != std::string::npos && root < 4096;
}

std::vector<double> NumberList(const char* text, bool* ok) {
  std::vector<double> out;
  *ok = true;
  for (absl::string_view f : absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    std::optional<double> v = Number(f);
    if (!v) {
      *ok = false;
      return {};
    }
    out.push_back(*v);
  }
  return out;
}

absl::StatusOr<ParsedCharacterization> ReadXrdml(const CharInput& in) {
  pugi::xml_document doc;
  const std::string& text = *in.text->text;
  pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) return CharError(in.name, absl::StrCat("not well-formed XML at byte ", r.offset, ": ", r.description()));
  pugi::xml_node root = doc.child("xrdMeasurements");
  if (!root) return CharError(in.name, "XML without an <xrdMeasurements> root: not an XRDML file");
  ParsedCharacterization out = NewXrd("panalytical-xrdml");
  const std::string ns = root.attribute("xmlns").value();
  if (size_t at = ns.rfind('/'); at != std::string::npos) out.metadata["xrdml.schema"] = ns.substr(at + 1);
  pugi::xml_node sample = root.child("sample");
  out.sample_name = sample.child_value("name");
  if (out.sample_name.empty()) out.sample_name = sample.child_value("id");
  size_t scan_index = 0;
  for (pugi::xml_node m : root.children("xrdMeasurement")) {
    pugi::xml_node wl = m.child("usedWavelength");
    auto wnum = [&](const char* tag) { return Number(wl.child_value(tag)); };
    AddWavelengths(&out, wnum("kAlpha1"), wnum("kAlpha2"), wnum("kBeta"), wnum("ratioKAlpha2KAlpha1"));
    pugi::xml_node tube = m.child("incidentBeamPath").child("xRayTube");
    AddText(&out, "anode", tube.child_value("anodeMaterial"));
    if (auto kv = Number(tube.child_value("tension"))) AddQuantity(&out, "tube_voltage", *kv, "kV");
    if (auto ma = Number(tube.child_value("current"))) AddQuantity(&out, "tube_current", *ma, "mA");
    AddText(&out, "sample_mode", m.attribute("sampleMode").value());
    for (pugi::xml_node scan : m.children("scan")) {
      ++scan_index;
      const std::string where = absl::StrCat("scan ", scan_index);
      pugi::xml_node header = scan.child("header");
      if (!out.measure_time) out.measure_time = ParseIsoTimestamp(header.child_value("startTimeStamp"));
      if (auto end = ParseIsoTimestamp(header.child_value("endTimeStamp")); end && out.measure_time) {
        AddQuantity(&out, "scan_time", *end - *out.measure_time, "s");
      }
      if (out.operator_name.empty()) out.operator_name = header.child("author").child_value("name");
      pugi::xml_node src = header.child("source");
      if (out.software.empty()) {
        out.software = src.child_value("applicationSoftware");
        out.software_version = src.child("applicationSoftware").attribute("version").value();
        out.instrument = absl::StrCat("PANalytical ", src.child_value("instrumentControlSoftware"));
        if (std::string id = src.child_value("instrumentID"); !id.empty()) out.metadata["instrument_id"] = id;
      }
      pugi::xml_node points = scan.child("dataPoints");
      const std::string scan_axis = scan.attribute("scanAxis").value();
      // The axis curves are drawn against: 2θ when it moves, else the scan axis.
      pugi::xml_node axis_node;
      std::string axis;
      for (pugi::xml_node p : points.children("positions")) {
        const std::string a = AxisName(p.attribute("axis").value());
        const bool moves = p.child("listPositions") || p.child("startPosition");
        if (!moves || a.empty()) continue;
        if (a == "two_theta" || (!axis_node && a == AxisName(scan_axis))) {
          axis_node = p;
          axis = a;
          if (a == "two_theta") break;
        }
      }
      if (!axis_node) {
        return CharError(in.name, absl::StrCat(where, ": no moving 2Theta or scan-axis <positions>"));
      }
      if (std::string u = axis_node.attribute("unit").value(); !u.empty() && u != "deg") {
        return CharError(in.name, absl::StrCat(where, ": positions in '", u, "', expected deg"));
      }
      pugi::xml_node counts = points.child("intensities");
      if (!counts) counts = points.child("counts");
      if (!counts) return CharError(in.name, absl::StrCat(where, ": no <intensities> or <counts>"));
      const std::string unit = IntensityUnit(counts.attribute("unit").value());
      if (unit.empty()) {
        return CharError(in.name, absl::StrCat(where, ": intensity unit '", counts.attribute("unit").value(),
                                               "' unknown (expected counts or counts/s)"));
      }
      bool ok = true;
      CharCurve c = Pattern(absl::StrCat("scan ", scan_index), axis, unit);
      c.y = NumberList(counts.child_value(), &ok);
      if (!ok) return CharError(in.name, absl::StrCat(where, ": <", counts.name(), "> holds a non-number"));
      if (c.y.empty()) return CharError(in.name, absl::StrCat(where, ": no intensities"));
      if (pugi::xml_node list = axis_node.child("listPositions")) {
        c.x = NumberList(list.child_value(), &ok);
        if (!ok) return CharError(in.name, absl::StrCat(where, ": <listPositions> holds a non-number"));
      } else {
        std::optional<double> a = Number(axis_node.child_value("startPosition"));
        std::optional<double> b = Number(axis_node.child_value("endPosition"));
        if (!a || !b) return CharError(in.name, absl::StrCat(where, ": startPosition/endPosition not numbers"));
        const size_t n = c.y.size();
        for (size_t i = 0; i < n; ++i) {
          c.x.push_back(n == 1 ? *a : *a + (*b - *a) * static_cast<double>(i) / static_cast<double>(n - 1));
        }
      }
      if (c.x.size() != c.y.size()) {
        return CharError(in.name, absl::StrCat(where, ": ", c.x.size(), " positions but ", c.y.size(),
                                               " intensities"));
      }
      if (auto t = Number(points.child_value("commonCountingTime"))) AddQuantity(&out, "counting_time", *t, "s");
      if (out.points() + c.x.size() > kMaxCharacterizationPoints) {
        return CharError(in.name, absl::StrCat("more than ", kMaxCharacterizationPoints, " points"));
      }
      out.curves.push_back(std::move(c));
    }
  }
  if (out.curves.empty()) return CharError(in.name, "XRDML without a <scan>");
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  AddRange(&out);
  return out;
}

// ---- PANalytical CSV ----------------------------------------------------

bool LooksPanalyticalCsv(const CharInput& in) {
  return AnyLineStartsWith(in, 2, "[Measurement conditions]") && AnyLineContains(in, 200, "[Scan points]");
}

absl::StatusOr<ParsedCharacterization> ReadPanalyticalCsv(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewXrd("panalytical-csv");
  out.instrument = "PANalytical";
  std::map<std::string, std::string> kv;
  size_t i = 0;
  for (; i < f.lines.size() && !absl::StartsWith(f.lines[i], "[Scan points]"); ++i) {
    std::vector<std::string> fields = SplitFields(f.lines[i], ',');
    if (fields.size() >= 2) kv[fields[0]] = fields[1];
  }
  if (i + 2 > f.lines.size()) return CharLineError(in.name, i, "[Scan points] without a header line");
  std::vector<std::string> head = SplitFields(f.lines[i + 1], ',');
  if (head.size() < 2 || NormalizeHeader(head[0]) != "angle") {
    return CharLineError(in.name, i + 1, "expected the header 'Angle,Intensity'");
  }
  auto num = [&](const char* k) -> std::optional<double> {
    auto it = kv.find(k);
    return it == kv.end() ? std::nullopt : Number(it->second);
  };
  AddText(&out, "anode", kv["Anode material"]);
  AddWavelengths(&out, num("K-Alpha1 wavelength"), num("K-Alpha2 wavelength"), num("K-Beta wavelength"),
                 num("Ratio K-Alpha2/K-Alpha1"));
  if (auto v = num("Generator voltage")) AddQuantity(&out, "tube_voltage", *v, "kV");
  if (auto v = num("Tube current")) AddQuantity(&out, "tube_current", *v, "mA");
  if (auto v = num("Time per step")) AddQuantity(&out, "counting_time", *v, "s");
  out.sample_name = kv["Sample identification"];
  if (auto t = ParseTimestamp(kv["File date and time"])) out.measure_time = *t;
  CharCurve c = Pattern("pattern", "two_theta", "counts");
  for (size_t k = i + 2; k < f.lines.size(); ++k) {
    if (absl::StripAsciiWhitespace(f.lines[k]).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(f.lines[k], ',');
    if (!v || v->size() < 2) return CharLineError(in.name, k, "expected 'angle,intensity' numbers");
    c.x.push_back((*v)[0]);
    c.y.push_back((*v)[1]);
  }
  if (auto n = num("No. of points"); n && *n != static_cast<double>(c.x.size())) {
    out.metadata["panalytical.declared_points"] = kv["No. of points"];
  }
  out.curves.push_back(std::move(c));
  AddRange(&out);
  return out;
}

// ---- Bruker UXD ---------------------------------------------------------

bool LooksUxd(const CharInput& in) {
  return AnyLineStartsWith(in, 40, "_FILEVERSION") && AnyLineContains(in, 2000, "_2THETA");
}

absl::StatusOr<ParsedCharacterization> ReadUxd(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewXrd("bruker-uxd");
  out.instrument = "Bruker";
  std::map<std::string, std::string> kv;  // of the current range
  CharCurve* c = nullptr;
  bool counts_per_second = false;
  for (size_t i = 0; i < f.lines.size(); ++i) {
    absl::string_view line = absl::StripAsciiWhitespace(f.lines[i]);
    if (line.empty() || line[0] == ';') continue;
    if (line[0] == '_') {
      std::pair<absl::string_view, absl::string_view> p = absl::StrSplit(line, absl::MaxSplits('=', 1));
      const std::string key(absl::StripAsciiWhitespace(p.first));
      std::string value(absl::StripAsciiWhitespace(p.second));
      if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
      if (key == "_2THETACOUNTS" || key == "_2THETACPS" || key == "_COUNTS" || key == "_CPS") {
        counts_per_second = absl::EndsWith(key, "CPS");
        out.curves.push_back(Pattern(absl::StrCat("range ", out.curves.size() + 1), "two_theta",
                                     counts_per_second ? "counts/s" : "counts"));
        c = &out.curves.back();
        c->x_name = "two_theta";
        c->name = absl::StrCat("range ", out.curves.size());
        if (key == "_COUNTS" || key == "_CPS") c->x_name = "";  // x from _START and _STEPSIZE
        continue;
      }
      kv[key] = value;
      c = nullptr;
      continue;
    }
    if (c == nullptr) return CharLineError(in.name, i, "data before a _2THETACOUNTS/_COUNTS line");
    std::optional<std::vector<double>> v = LineNumbers(line);
    if (!v) return CharLineError(in.name, i, "expected numbers (2θ and intensity)");
    if (c->x_name.empty()) {  // intensities only
      std::optional<double> start = Number(kv["_START"]), step = Number(kv["_STEPSIZE"]);
      if (!start || !step) return CharLineError(in.name, i, "intensities without _START and _STEPSIZE");
      for (double y : *v) {
        c->x.push_back(*start + *step * static_cast<double>(c->y.size()));
        c->y.push_back(y);
      }
      continue;
    }
    if (v->size() != 2) return CharLineError(in.name, i, "expected two numbers (2θ and intensity)");
    c->x.push_back((*v)[0]);
    c->y.push_back((*v)[1]);
  }
  for (CharCurve& curve : out.curves) curve.x_name = "two_theta";
  if (out.curves.empty()) return CharError(in.name, "UXD without a _2THETACOUNTS or _COUNTS block");
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  out.sample_name = kv["_SAMPLE"];
  if (out.sample_name.empty()) out.sample_name = kv["_SAMPLE"];
  AddText(&out, "anode", kv["_ANODE"]);
  if (kv.count("_WL_UNIT") && kv["_WL_UNIT"] != "A") {
    return CharError(in.name, absl::StrCat("_WL_UNIT '", kv["_WL_UNIT"], "': expected A (angstrom)"));
  }
  AddWavelengths(&out, Number(kv["_WL1"]), Number(kv["_WL2"]), Number(kv["_WL3"]), Number(kv["_WLRATIO"]));
  if (auto v = Number(kv["_KV"])) AddQuantity(&out, "tube_voltage", *v, "kV");
  if (auto v = Number(kv["_MA"])) AddQuantity(&out, "tube_current", *v, "mA");
  if (auto v = Number(kv["_STEPTIME"])) AddQuantity(&out, "counting_time", *v, "s");
  if (auto t = ParseTimestamp(kv["_DATEMEASURED"])) out.measure_time = *t;
  AddRange(&out);
  return out;
}

// ---- Rigaku RAS ---------------------------------------------------------

bool LooksRas(const CharInput& in) { return AnyLineStartsWith(in, 3, "*RAS_DATA_START"); }

absl::StatusOr<ParsedCharacterization> ReadRas(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewXrd("rigaku-ras");
  out.instrument = "Rigaku";
  std::map<std::string, std::string> kv;
  bool in_data = false;
  CharCurve* c = nullptr;
  for (size_t i = 0; i < f.lines.size(); ++i) {
    absl::string_view line = absl::StripAsciiWhitespace(f.lines[i]);
    if (line.empty()) continue;
    if (line == "*RAS_INT_START") {
      const std::string unit = IntensityUnit(kv["*MEAS_SCAN_UNIT_Y"]);
      if (unit.empty()) {
        return CharLineError(in.name, i, absl::StrCat("*MEAS_SCAN_UNIT_Y '", kv["*MEAS_SCAN_UNIT_Y"],
                                                      "' unknown (expected counts or cps)"));
      }
      if (std::string u = kv["*MEAS_SCAN_UNIT_X"]; !u.empty() && u != "deg") {
        return CharLineError(in.name, i, absl::StrCat("*MEAS_SCAN_UNIT_X '", u, "': expected deg"));
      }
      std::string axis = AxisName(kv["*MEAS_SCAN_AXIS_X"]);
      out.curves.push_back(Pattern(absl::StrCat("scan ", out.curves.size() + 1),
                                   axis.empty() ? "two_theta" : axis, unit));
      c = &out.curves.back();
      in_data = true;
      continue;
    }
    if (line == "*RAS_INT_END") {
      in_data = false;
      continue;
    }
    if (in_data) {
      std::optional<std::vector<double>> v = LineNumbers(line);
      if (!v || v->size() < 2 || v->size() > 3) {
        return CharLineError(in.name, i, "expected 2θ, intensity and (optionally) attenuation factor");
      }
      c->x.push_back((*v)[0]);
      c->y.push_back(v->size() == 3 ? (*v)[1] * (*v)[2] : (*v)[1]);
      continue;
    }
    if (line[0] == '*') {
      std::pair<absl::string_view, absl::string_view> p = absl::StrSplit(line, absl::MaxSplits(' ', 1));
      std::string value(absl::StripAsciiWhitespace(p.second));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (!kv.count(std::string(p.first)) || !absl::StartsWith(p.first, "*HW_")) kv[std::string(p.first)] = value;
      if (p.first == "*MEAS_SCAN_START_TIME" && !out.measure_time) {
        // "12/05/15 22:01:01": MM/DD/YY.
        std::vector<std::string> parts = absl::StrSplit(value, absl::ByAnyChar("/ "));
        if (parts.size() == 4 && parts[2].size() == 2) {
          if (auto t = ParseTimestamp(absl::StrCat(parts[0], "/", parts[1], "/20", parts[2], " ", parts[3]))) {
            out.measure_time = *t;
          }
        }
      }
    }
  }
  if (out.curves.empty()) return CharError(in.name, "RAS without a *RAS_INT_START block");
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  AddText(&out, "anode", kv["*HW_XG_TARGET_NAME"]);
  AddWavelengths(&out, Number(kv["*HW_XG_WAVE_LENGTH_ALPHA1"]), Number(kv["*HW_XG_WAVE_LENGTH_ALPHA2"]),
                 Number(kv["*HW_XG_WAVE_LENGTH_BETA"]), std::nullopt);
  if (auto v = Number(kv["*MEAS_COND_XG_VOLTAGE"])) AddQuantity(&out, "tube_voltage", *v, "kV");
  if (auto v = Number(kv["*MEAS_COND_XG_CURRENT"])) AddQuantity(&out, "tube_current", *v, "mA");
  out.operator_name = kv["*FILE_OPERATOR"];
  out.sample_name = std::string(absl::StripAsciiWhitespace(kv["*FILE_SAMPLE"]));
  out.metadata["intensity"] = "counts multiplied by the attenuation factor of each point";
  AddRange(&out);
  return out;
}

// ---- Rigaku RASX (ZIP) --------------------------------------------------

bool IsZip(const CharInput& in) { return absl::StartsWith(in.bytes, "PK\x03\x04"); }

bool LooksRasx(const CharInput& in) {
  return IsZip(in) && absl::StrContains(in.bytes, "Data0/Profile0.txt");
}

std::string XmlValue(const pugi::xml_document& doc, const char* tag) {
  return doc.select_node((std::string("//") + tag).c_str()).node().child_value();
}

absl::StatusOr<ParsedCharacterization> ReadRasx(const CharInput& in) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(in.name, in.bytes);
  if (!zip.ok()) return zip.status();
  ParsedCharacterization out = NewXrd("rigaku-rasx");
  out.instrument = "Rigaku";
  out.software = "SmartLab Studio II";
  for (int k = 0; k < 64; ++k) {
    const std::string profile = absl::StrCat("Data", k, "/Profile", k, ".txt");
    if (!zip->Has(profile)) break;
    // Rigaku spells the member "MesurementConditions"; accept the dictionary spelling too.
    std::string cond_name = absl::StrCat("Data", k, "/MesurementConditions", k, ".xml");
    if (!zip->Has(cond_name)) cond_name = absl::StrCat("Data", k, "/MeasurementConditions", k, ".xml");
    pugi::xml_document doc;
    if (zip->Has(cond_name)) {
      absl::StatusOr<std::string> xml = zip->Read(cond_name, kMaxXmlMember);
      if (!xml.ok()) return xml.status();
      if (!doc.load_buffer(xml->data(), xml->size())) return CharError(in.name, absl::StrCat(cond_name, ": not well-formed XML"));
    }
    std::string unit = IntensityUnit(XmlValue(doc, "IntensityUnit"));
    if (unit.empty() && !XmlValue(doc, "IntensityUnit").empty()) {
      return CharError(in.name, absl::StrCat(cond_name, ": IntensityUnit '", XmlValue(doc, "IntensityUnit"),
                                             "' unknown (expected counts or cps)"));
    }
    if (unit.empty()) unit = "counts";
    absl::StatusOr<std::string> text = zip->Read(profile, kMaxXmlMember);
    if (!text.ok()) return text.status();
    absl::StatusOr<TextFile> f = LoadText(absl::StrCat(in.name, "[", profile, "]"), *text);
    if (!f.ok()) return f.status();
    std::string axis = AxisName(XmlValue(doc, "AxisName"));
    CharCurve c = Pattern(absl::StrCat("scan ", k + 1), axis.empty() ? "two_theta" : axis, unit);
    for (size_t i = 0; i < f->lines.size(); ++i) {
      if (absl::StripAsciiWhitespace(f->lines[i]).empty()) continue;
      std::optional<std::vector<double>> v = LineNumbers(f->lines[i]);
      if (!v || v->size() < 2 || v->size() > 3) {
        return CharLineError(f->name, i, "expected 2θ, intensity and attenuation factor");
      }
      c.x.push_back((*v)[0]);
      c.y.push_back(v->size() == 3 ? (*v)[1] * (*v)[2] : (*v)[1]);
    }
    out.curves.push_back(std::move(c));
    if (k == 0) {
      AddText(&out, "anode", XmlValue(doc, "TargetName"));
      AddWavelengths(&out, Number(XmlValue(doc, "WavelengthKalpha1")), Number(XmlValue(doc, "WavelengthKalpha2")),
                     Number(XmlValue(doc, "WavelengthKbeta")), std::nullopt);
      if (auto v = Number(XmlValue(doc, "Voltage")); v && XmlValue(doc, "VoltageUnit") == "kV") {
        AddQuantity(&out, "tube_voltage", *v, "kV");
      }
      if (auto v = Number(XmlValue(doc, "Current")); v && XmlValue(doc, "CurrentUnit") == "mA") {
        AddQuantity(&out, "tube_current", *v, "mA");
      }
      if (auto v = Number(XmlValue(doc, "Speed")); v && XmlValue(doc, "SpeedUnit") == "deg/min") {
        AddQuantity(&out, "scan_speed", *v, "deg/min");
      }
      out.operator_name = XmlValue(doc, "Operator");
      out.sample_name = XmlValue(doc, "SampleName");
      out.measure_time = ParseIsoTimestamp(XmlValue(doc, "StartTime"));
    }
  }
  if (out.curves.empty()) return CharError(in.name, "RASX without Data0/Profile0.txt");
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  out.metadata["intensity"] = "counts multiplied by the attenuation factor of each point";
  AddRange(&out);
  return out;
}

// ---- Bruker BRML (ZIP of XML) --------------------------------------------

bool LooksBrml(const CharInput& in) {
  return IsZip(in) && absl::StrContains(in.bytes, "Experiment0/RawData");
}

absl::StatusOr<ParsedCharacterization> ReadBrml(const CharInput& in) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(in.name, in.bytes);
  if (!zip.ok()) return zip.status();
  ParsedCharacterization out = NewXrd("bruker-brml");
  out.instrument = "Bruker";
  out.software = "DIFFRAC.SUITE";
  for (int k = 0; k < 256; ++k) {
    const std::string member = absl::StrCat("Experiment0/RawData", k, ".xml");
    if (!zip->Has(member)) break;
    absl::StatusOr<std::string> xml = zip->Read(member, kMaxXmlMember);
    if (!xml.ok()) return xml.status();
    pugi::xml_document doc;
    if (!doc.load_buffer(xml->data(), xml->size())) return CharError(in.name, absl::StrCat(member, ": not well-formed XML"));
    pugi::xml_node raw = doc.child("RawData");
    // Which Datum field holds what: the data views say.
    int two_theta = -1, counts = -1, absorption = -1, time_field = -1;
    // The first route is the measured data; later ones are processed copies.
    pugi::xml_node route = raw.child("DataRoutes").child("DataRoute");
    for (pugi::xml_node v : route.child("DataViews").children("RawDataView")) {
      const int start = v.attribute("Start").as_int(-1);
      const std::string type = v.attribute("xsi:type").value();
      const std::string logic = v.attribute("LogicName").value();
      if (type == "RecordedRawDataView" && counts < 0) counts = start;
      if (logic == "AbsorptionFactor") absorption = start;
      if (logic == "MeasuredTime") time_field = start;
      int offset = 0;
      for (pugi::xpath_node fd : v.select_nodes(".//FieldDefinitions")) {
        if (std::string(fd.node().attribute("AxisId").value()) == "TwoTheta" && start >= 0) two_theta = start + offset;
        ++offset;
      }
    }
    if (two_theta < 0 || counts < 0) {
      return CharError(in.name, absl::StrCat(member, ": no TwoTheta field or no recorded counts in the data views"));
    }
    CharCurve c = Pattern(absl::StrCat("scan ", k + 1), "two_theta", "counts");
    size_t index = 0;
    for (pugi::xml_node d : route.children("Datum")) {
      ++index;
      std::vector<absl::string_view> fields = absl::StrSplit(d.child_value(), ',');
      auto field = [&](int at) -> std::optional<double> {
        if (at < 0 || static_cast<size_t>(at) >= fields.size()) return std::nullopt;
        return Number(fields[static_cast<size_t>(at)]);
      };
      std::optional<double> x = field(two_theta), y = field(counts);
      if (!x || !y) {
        return CharError(in.name, absl::StrCat(member, " <Datum> ", index, ": expected numbers in fields ",
                                               two_theta + 1, " (2θ) and ", counts + 1, " (counts)"));
      }
      std::optional<double> factor = field(absorption);
      c.x.push_back(*x);
      c.y.push_back(factor && *factor > 0 ? *y * *factor : *y);
      if (c.x.size() > kMaxCharacterizationPoints) return CharError(in.name, "too many points");
    }
    if (k == 0) {
      out.measure_time = ParseIsoTimestamp(raw.child_value("TimeStampStarted"));
      if (auto end = ParseIsoTimestamp(raw.child_value("TimeStampFinished")); end && out.measure_time) {
        AddQuantity(&out, "scan_time", *end - *out.measure_time, "s");
      }
      auto wl = [&](const char* tag) { return Number(doc.select_node((std::string("//") + tag).c_str()).node().attribute("Value").value()); };
      AddWavelengths(&out, wl("WaveLengthAlpha1"), wl("WaveLengthAlpha2"), wl("WaveLengthBeta"), wl("WaveLengthRatio"));
      AddText(&out, "anode", XmlValue(doc, "TubeMaterial"));
      if (auto t = Number(XmlValue(doc, "TimePerStep"))) AddQuantity(&out, "counting_time", *t, "s");
      const std::string scan = doc.select_node("//ScanInformation").node().attribute("VisibleName").value();
      AddText(&out, "scan_type", scan);
      (void)time_field;
    }
    out.curves.push_back(std::move(c));
  }
  if (out.curves.empty()) return CharError(in.name, "BRML without Experiment0/RawData0.xml");
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  AddRange(&out);
  return out;
}

// ---- Headerless 2θ / intensity (/ σ) ------------------------------------

// Every non-blank line two or three numbers, x rising within 0-180°, at
// least 20 points, intensities not negative.
bool LooksXy(const CharInput& in) {
  if (!in.text || in.text->lines.size() < 20) return false;
  double last = -1;
  size_t n = 0, width = 0;
  for (absl::string_view line : in.text->lines) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(line);
    if (!v || v->size() < 2 || v->size() > 3 || (width != 0 && v->size() != width)) return false;
    width = v->size();
    const double x = (*v)[0];
    if (x <= last || x <= 0 || x >= 180 || (*v)[1] < 0) return false;
    last = x;
    if (++n >= 400) break;  // enough to tell
  }
  return n >= 20;
}

absl::StatusOr<ParsedCharacterization> ReadXy(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewXrd("two-theta-xy");
  CharCurve c = Pattern("pattern", "two_theta", "counts");
  CharCurve sigma = Pattern("uncertainty", "two_theta", "counts");
  sigma.y_name = "intensity_uncertainty";
  for (size_t i = 0; i < f.lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(f.lines[i]).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(f.lines[i]);
    if (!v || v->size() < 2 || v->size() > 3) return CharLineError(in.name, i, "expected 2θ and intensity (and σ)");
    if (!c.x.empty() && (*v)[0] <= c.x.back()) {
      return CharLineError(in.name, i, "2θ does not rise: expected one scan, in order");
    }
    if ((*v)[0] <= 0 || (*v)[0] >= 180) return CharLineError(in.name, i, "2θ outside 0-180°");
    c.x.push_back((*v)[0]);
    c.y.push_back((*v)[1]);
    if (v->size() == 3) {
      sigma.x.push_back((*v)[0]);
      sigma.y.push_back((*v)[2]);
    }
  }
  if (!sigma.x.empty() && sigma.x.size() != c.x.size()) {
    return CharError(in.name, "some lines have an uncertainty column and some do not");
  }
  out.metadata["xy.assumed"] =
      "no header: column 1 read as 2θ in degrees, column 2 as counts (3: their σ); the file "
      "states no wavelength";
  out.curves.push_back(std::move(c));
  if (!sigma.x.empty()) out.curves.push_back(std::move(sigma));
  AddRange(&out);
  return out;
}

// ---- A 2θ/intensity table with a header naming its columns -------------
//
// "2Theta,Intensity", "# 2theta counts", "Angle (deg);Intensity (cps)":
// the first line names an angle and an intensity (units in brackets or
// parentheses), the rest are their numbers.

struct HeadedTable {
  char sep = 0;  // 0: blanks
  std::string y_unit;
};

std::optional<HeadedTable> FindHeadedTable(const CharInput& in) {
  if (!in.text || in.text->lines.size() < 21) return std::nullopt;
  std::string head(absl::StripAsciiWhitespace(in.text->lines[0]));
  if (absl::StartsWith(head, "#")) head = std::string(absl::StripAsciiWhitespace(head.substr(1)));
  HeadedTable t;
  for (char c : {',', ';', '\t'}) {
    if (head.find(c) != std::string::npos) t.sep = c;
  }
  std::vector<std::string> names;
  if (t.sep != 0) {
    names = SplitFields(head, t.sep);
  } else {
    names = absl::StrSplit(head, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  }
  if (names.size() < 2 || names.size() > 3) return std::nullopt;
  const std::string x = absl::AsciiStrToLower(names[0]), y = absl::AsciiStrToLower(names[1]);
  const bool angle = absl::StartsWith(x, "2theta") || absl::StartsWith(x, "2θ") || absl::StartsWith(x, "2-theta") ||
                     absl::StartsWith(x, "two_theta") || absl::StartsWith(x, "twotheta") || absl::StartsWith(x, "angle") ||
                     absl::StartsWith(x, "pos. [°2th") || absl::StartsWith(x, "2th");
  if (!angle) return std::nullopt;
  if (absl::StrContains(x, "rad") || absl::StrContains(x, "q (") || absl::StrContains(x, "nm")) return std::nullopt;
  if (absl::StrContains(y, "cps") || absl::StrContains(y, "counts/s") || absl::StrContains(y, "cts/s")) {
    t.y_unit = "counts/s";
  } else if (absl::StrContains(y, "intens") || absl::StrContains(y, "count") || absl::StrContains(y, "cts") ||
             y == "i" || y == "y") {
    t.y_unit = "counts";
  } else {
    return std::nullopt;
  }
  // The next line must be numbers.
  std::optional<std::vector<double>> first = LineNumbers(in.text->lines[1], t.sep);
  if (!first || first->size() != names.size()) return std::nullopt;
  return t;
}

bool LooksHeadedXrd(const CharInput& in) { return FindHeadedTable(in).has_value(); }

absl::StatusOr<ParsedCharacterization> ReadHeadedXrd(const CharInput& in) {
  const TextFile& f = *in.text;
  const HeadedTable t = *FindHeadedTable(in);
  ParsedCharacterization out = NewXrd("two-theta-table");
  CharCurve c = Pattern("pattern", "two_theta", t.y_unit);
  for (size_t i = 1; i < f.lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(f.lines[i]).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(f.lines[i], t.sep);
    if (!v || v->size() < 2) return CharLineError(in.name, i, "expected 2θ and intensity numbers");
    if (!c.x.empty() && (*v)[0] <= c.x.back()) return CharLineError(in.name, i, "2θ does not rise: expected one scan");
    if ((*v)[0] <= 0 || (*v)[0] >= 180) return CharLineError(in.name, i, "2θ outside 0-180°");
    c.x.push_back((*v)[0]);
    c.y.push_back((*v)[1]);
  }
  out.metadata["table.header"] = std::string(f.lines[0].substr(0, 200));
  out.curves.push_back(std::move(c));
  AddRange(&out);
  return out;
}

}  // namespace

const std::vector<CharReader>& XrdReaders() {
  static const std::vector<CharReader> readers = {
      {"an X-ray diffraction scan (PANalytical XRDML)", LooksXrdml, ReadXrdml},
      {"an X-ray diffraction scan (PANalytical CSV)", LooksPanalyticalCsv, ReadPanalyticalCsv},
      {"an X-ray diffraction scan (Bruker UXD)", LooksUxd, ReadUxd},
      {"an X-ray diffraction scan (Rigaku RAS)", LooksRas, ReadRas},
      {"an X-ray diffraction scan (Rigaku RASX)", LooksRasx, ReadRasx},
      {"an X-ray diffraction scan (Bruker BRML)", LooksBrml, ReadBrml},
      {"an X-ray diffraction scan (Bruker RAW)", LooksBrukerRaw, ReadBrukerRaw},
      {"an X-ray diffraction scan (2θ/intensity .xy)", LooksXy, ReadXy},
      {"an X-ray diffraction scan (a 2θ/intensity table)", LooksHeadedXrd, ReadHeadedXrd},
  };
  return readers;
}

}  // namespace batteryhub::parsers
