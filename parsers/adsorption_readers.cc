// Gas adsorption isotherms: MicrotracBEL BELSORP .DAT and BELMaster/BELMAX
// CSV, Quantachrome ASiQwin raw-data reports, AIF (adsorption information
// file). Amounts in mmol/g, relative pressure p/p0; BET computed when the
// file does not report it.
#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "parsers/characterization_readers.h"
#include "parsers/spreadsheet.h"

namespace batteryhub::parsers {
namespace {

// cm3 of gas at STP (273.15 K, 101.325 kPa) per mmol.
constexpr double kStpCm3PerMmol = 22.413969545;

std::optional<double> Num(absl::string_view s) { return CharNumber(s); }

std::string Unquote(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return std::string(absl::StripAsciiWhitespace(s));
}

ParsedCharacterization NewIsotherm(const char* reader) {
  ParsedCharacterization out;
  out.technique = CharTechnique::kGasAdsorption;
  out.reader = reader;
  return out;
}

CharCurve Branch(const char* name) { return {name, "relative_pressure", "1", "amount_adsorbed", "mmol/g", {}, {}}; }

// Adds the branches (when not empty), conditions and BET.
void Finish(ParsedCharacterization* out, CharCurve ads, CharCurve des, const std::string& adsorptive,
            std::optional<double> kelvin, std::optional<double> mass_g) {
  if (!ads.x.empty()) out->curves.push_back(std::move(ads));
  if (!des.x.empty()) out->curves.push_back(std::move(des));
  AddText(out, "adsorptive", adsorptive);
  if (kelvin) AddQuantity(out, "temperature", *kelvin, "K");
  if (mass_g) AddQuantity(out, "sample_mass", *mass_g, "g");
  if (!out->curves.empty() && out->curves[0].name == "adsorption") AddComputedBet(adsorptive, out);
}

// ---- MicrotracBEL BELSORP .DAT -----------------------------------------

bool LooksBelDat(const CharInput& in) {
  return AnyLineStartsWith(in, 3, "=====") && AnyLineContains(in, 60, "\"Adsorptive:\"");
}

absl::StatusOr<ParsedCharacterization> ReadBelDat(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewIsotherm("microtracbel-dat");
  out.instrument = "MicrotracBEL BELSORP";
  std::map<std::string, std::string> kv;
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  CharCurve* branch = nullptr;
  int pe = -1, p0 = -1, amount = -1;
  for (size_t i = 0; i < f.lines.size(); ++i) {
    absl::string_view line = absl::StripAsciiWhitespace(f.lines[i]);
    if (line.empty() || absl::StartsWith(line, "====")) continue;
    if (line == "Adsorption data") { branch = &ads; continue; }
    if (line == "Desorption data") { branch = &des; continue; }
    std::vector<std::string> fields = SplitFields(f.lines[i], '\t');
    if (!fields.empty() && absl::StartsWith(fields[0], "\"No.\"")) {
      pe = p0 = amount = -1;
      for (size_t j = 0; j < fields.size(); ++j) {
        const std::string h = Unquote(fields[j]);
        if (h == "Pe/kPa") pe = static_cast<int>(j);
        if (h == "P0/kPa") p0 = static_cast<int>(j);
        if (h == "V/ml(STP) g-1" || h == "Va/ml(STP) g-1" || h == "V/cm3(STP) g-1") amount = static_cast<int>(j);
      }
      if (pe < 0 || p0 < 0 || amount < 0) {
        return CharLineError(in.name, i, "expected columns \"Pe/kPa\", \"P0/kPa\" and \"V/ml(STP) g-1\"");
      }
      continue;
    }
    if (fields.size() >= 2 && absl::StartsWith(fields[0], "\"")) {
      kv[Unquote(fields[0])] = Unquote(fields[1]);
      continue;
    }
    std::optional<std::vector<double>> v = LineNumbers(line);
    if (!v && branch == nullptr) continue;  // a section title (" System property Ver1.2.6")
    if (branch == nullptr || pe < 0) return CharLineError(in.name, i, "data outside an adsorption or desorption block");
    if (!v) return CharLineError(in.name, i, "expected numbers");
    if (std::all_of(v->begin(), v->end(), [](double x) { return x == 0; })) continue;  // block terminator
    const size_t need = static_cast<size_t>(std::max({pe, p0, amount}));
    if (v->size() <= need) return CharLineError(in.name, i, absl::StrCat("expected ", need + 1, " numbers"));
    if ((*v)[p0] <= 0) return CharLineError(in.name, i, "saturation pressure P0 is not positive");
    branch->x.push_back((*v)[pe] / (*v)[p0]);
    branch->y.push_back((*v)[amount] / kStpCm3PerMmol);
  }
  out.sample_name = kv["Comment1:"];
  if (std::string sn = kv["Instrument S/N:"]; !sn.empty()) out.metadata["instrument_serial"] = sn;
  if (auto as = Num(kv["as/m2 g-1:"]); as && *as > 0) out.results.push_back({"bet_surface_area", *as, "m2/g", false, ""});
  {
    absl::Time t;
    std::string err;
    if (absl::ParseTime("%y/%m/%d %H:%M:%S", absl::StrCat(kv["Date of measurement:"], " ", kv["Time of measurement:"]),
                        absl::UTCTimeZone(), &t, &err)) {
      out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
    }
  }
  Finish(&out, std::move(ads), std::move(des), kv["Adsorptive:"], Num(kv["Meas. Temp./K:"]), Num(kv["Sample weight/g:"]));
  return out;
}

// ---- MicrotracBEL BELMaster / BELMAX CSV, and the same in a workbook ---

struct BelTable {
  size_t header = 0;
  char sep = ',';
};

std::optional<BelTable> FindBelTable(const CharInput& in) {
  if (!in.text) return std::nullopt;
  for (size_t i = 0; i + 1 < in.text->lines.size() && i < 80; ++i) {
    absl::string_view l = in.text->lines[i];
    if (!absl::StartsWith(l, "No,") && !absl::StartsWith(l, "No\t")) continue;
    if (absl::StrContains(l, "p/p0") && absl::StripAsciiWhitespace(in.text->lines[i + 1]) == "ADS") {
      return BelTable{i, l[2]};
    }
  }
  return std::nullopt;
}

bool LooksBelCsv(const CharInput& in) { return FindBelTable(in).has_value(); }

absl::StatusOr<ParsedCharacterization> ReadBelCsv(const CharInput& in) {
  const TextFile& f = *in.text;
  const BelTable table = *FindBelTable(in);
  const size_t head = table.header;
  ParsedCharacterization out = NewIsotherm(table.sep == ',' ? "microtracbel-csv" : "microtracbel-workbook");
  out.instrument = "MicrotracBEL";
  std::map<std::string, std::string> kv;
  std::optional<double> kelvin, mass;
  for (size_t i = 0; i < head; ++i) {
    // "key,value[,unit]" pairs, two to a line in the workbook (blank cells between).
    std::vector<std::string> cells;
    for (std::string& c : SplitFields(f.lines[i], table.sep)) {
      if (!c.empty()) cells.push_back(std::move(c));
    }
    for (size_t k = 0; k + 1 < cells.size();) {
      const std::string& key = cells[k];
      const std::string& value = cells[k + 1];
      const bool unit = k + 2 < cells.size() && cells[k + 2].size() >= 2 && cells[k + 2].front() == '[';
      kv[key] = value;
      // The adsorption temperature is the one quantity given in [K]; the key
      // may be in Japanese (Shift-JIS read as Latin-1), the unit never is.
      if (unit && cells[k + 2] == "[K]") kelvin = Num(value);
      if (unit && cells[k + 2] == "[g]" && !mass) mass = Num(value);
      k += unit ? 3 : 2;
    }
  }
  std::vector<std::string> h = SplitFields(f.lines[head], table.sep);
  int rel = -1, amount = -1;
  for (size_t j = 0; j < h.size(); ++j) {
    std::string n = NormalizeHeader(h[j]);
    n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
    if (n == "p/p0") rel = static_cast<int>(j);
    if (n == "va/cm^3(stp)g^-1" || n == "v/cm^3(stp)g^-1" || n == "va/cm3(stp)g-1" || n == "v/cm3(stp)g-1") {
      amount = static_cast<int>(j);
    }
  }
  if (rel < 0 || amount < 0) return CharLineError(in.name, head, "expected columns p/p0 and Va/cm^3(STP) g^-1");
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  CharCurve* branch = nullptr;
  for (size_t i = head + 1; i < f.lines.size(); ++i) {
    absl::string_view line = absl::StripAsciiWhitespace(f.lines[i]);
    if (line.empty()) continue;
    if (line == "ADS") { branch = &ads; continue; }
    if (line == "DES") { branch = &des; continue; }
    if (branch == nullptr) return CharLineError(in.name, i, "data before ADS");
    std::vector<std::string> v = SplitFields(f.lines[i], table.sep);
    const std::string x = static_cast<size_t>(rel) < v.size() ? v[rel] : "";
    const std::string y = static_cast<size_t>(amount) < v.size() ? v[amount] : "";
    if (!Num(x) || !Num(y)) return CharLineError(in.name, i, "expected p/p0 and amount numbers");
    branch->x.push_back(Num(x).value_or(0));
    branch->y.push_back(Num(y).value_or(0) / kStpCm3PerMmol);
  }
  out.software_version = kv["Software version"];
  if (!kelvin) kelvin = Num(kv["Adsorption temperature"]);
  if (auto as = Num(kv["Sample surface area"]); as && *as > 0) {
    out.results.push_back({"bet_surface_area", *as, "m2/g", false, ""});
  }
  out.sample_name = kv["COMMENT1"];
  Finish(&out, std::move(ads), std::move(des), kv["Adsorptive"], kelvin, mass);
  return out;
}

// ---- Micromeritics report workbook (ASAP, TriStar, 3Flex) ---------------
//
// Report pages stand side by side, each a block of columns closed by a "|"
// column: the isotherm is the "Isotherm Tabular Report" page's table.

struct MicPage {
  size_t title_line = 0;
  size_t first_col = 0, end_col = 0;
};

std::optional<MicPage> FindMicIsotherm(const CharInput& in) {
  if (!in.text) return std::nullopt;
  for (size_t i = 0; i < in.text->lines.size() && i < 200; ++i) {
    std::vector<std::string> cells = SplitFields(in.text->lines[i], '\t');
    for (size_t j = 0; j < cells.size(); ++j) {
      if (cells[j] != "Isotherm Tabular Report") continue;
      MicPage page{i, j, j};
      while (page.end_col < cells.size() && cells[page.end_col] != "|") ++page.end_col;
      if (page.end_col == j || page.end_col == cells.size()) page.end_col = j + 8;
      return page;
    }
  }
  return std::nullopt;
}

bool LooksMicromeritics(const CharInput& in) {
  return FindMicIsotherm(in).has_value() && AnyLineContains(in, 200, "Quantity Adsorbed (");
}

// "594.9649 m²/g" / "194.7493 ± 0.5313 m²/g" -> 594.9649, when in m²/g.
std::optional<double> AreaValue(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ' ', absl::SkipEmpty());
  if (parts.empty() || (parts.back() != "m²/g" && parts.back() != "m2/g")) return std::nullopt;
  return Num(parts[0]);
}

absl::StatusOr<ParsedCharacterization> ReadMicromeritics(const CharInput& in) {
  const TextFile& f = *in.text;
  const MicPage page = *FindMicIsotherm(in);
  ParsedCharacterization out = NewIsotherm("micromeritics-report");
  std::string adsorptive;
  std::optional<double> kelvin, mass, bet;
  // Header facts: in the first page's columns, "Key:<TAB>value".
  for (size_t i = 0; i < f.lines.size() && i < 400; ++i) {
    std::vector<std::string> c = SplitFields(f.lines[i], '\t');
    // "3Flex 5.02" / "TriStar II 3020 3.02": the model, then the software version.
    if (out.instrument.empty() && !c.empty() && i < 4 && c[0].find(' ') != std::string::npos &&
        !absl::StartsWith(c[0], "Micromeritics")) {
      const size_t sp = c[0].rfind(' ');
      if (Num(c[0].substr(sp + 1))) {
        out.instrument = "Micromeritics " + c[0].substr(0, sp);
        out.software_version = c[0].substr(sp + 1);
      }
    }
    for (size_t j = 0; j + 1 < c.size() && j < page.first_col; ++j) {
      const std::string key = absl::AsciiStrToLower(c[j]);
      if (key == "analysis adsorptive:" && adsorptive.empty()) adsorptive = c[j + 1];
      if (key == "sample:" && out.sample_name.empty()) out.sample_name = c[j + 1];
      if (key == "operator:" && out.operator_name.empty()) out.operator_name = c[j + 1];
      if (key == "analysis bath temp.:" && !kelvin) {
        std::vector<std::string> v = absl::StrSplit(c[j + 1], ' ', absl::SkipEmpty());
        if (v.size() == 2 && v[1] == "K") kelvin = Num(v[0]);
        if (v.size() == 2 && v[1] == "°C" && Num(v[0])) kelvin = *Num(v[0]) + 273.15;
      }
      if (key == "sample mass:" && !mass) {
        std::vector<std::string> v = absl::StrSplit(c[j + 1], ' ', absl::SkipEmpty());
        if (v.size() == 2 && v[1] == "g") mass = Num(v[0]);
      }
      if (key == "bet surface area:" && !bet) bet = AreaValue(c[j + 1]);
    }
  }
  // The table: header row with Relative Pressure and Quantity Adsorbed.
  size_t head = page.title_line + 1;
  int rel = -1, qty = -1;
  double to_mmol = 0;
  for (; head < f.lines.size() && head < page.title_line + 10 && rel < 0; ++head) {
    std::vector<std::string> c = SplitFields(f.lines[head], '\t');
    for (size_t j = page.first_col; j < c.size() && j < page.end_col; ++j) {
      if (absl::StartsWith(c[j], "Relative Pressure (")) rel = static_cast<int>(j);
      if (absl::StartsWith(c[j], "Quantity Adsorbed (")) {
        qty = static_cast<int>(j);
        const std::string unit = c[j].substr(19, c[j].size() - 20);
        if (unit == "cm³/g STP" || unit == "cm3/g STP") to_mmol = 1 / kStpCm3PerMmol;
        else if (unit == "mmol/g") to_mmol = 1;
        else return CharLineError(in.name, head, absl::StrCat("Quantity Adsorbed in '", unit, "': expected cm³/g STP or mmol/g"));
      }
    }
  }
  if (rel < 0 || qty < 0) return CharLineError(in.name, page.title_line, "the isotherm page has no Relative Pressure and Quantity Adsorbed columns");
  // Rows run until a text cell or the end; blank rows (where another page's
  // lines break) are skipped, a row with one number of the two is an error.
  std::vector<double> x, y;
  for (size_t i = head; i < f.lines.size(); ++i) {
    std::vector<std::string> c = SplitFields(f.lines[i], '\t');
    const std::string a = static_cast<size_t>(rel) < c.size() ? c[rel] : "";
    const std::string b = static_cast<size_t>(qty) < c.size() ? c[qty] : "";
    if (a.empty() && b.empty()) continue;
    if (!Num(a) && !x.empty() && !Num(b)) break;  // the next table on the page
    if (!Num(a) || !Num(b)) {
      if (x.empty()) continue;
      return CharLineError(in.name, i, absl::StrCat("isotherm row: '", a, "', '", b,
                                                    "': expected relative pressure and quantity adsorbed"));
    }
    x.push_back(Num(a).value_or(0));
    y.push_back(Num(b).value_or(0) * to_mmol);
  }
  if (x.empty()) return CharLineError(in.name, head, "the isotherm table has no rows");
  const size_t top = static_cast<size_t>(std::max_element(x.begin(), x.end()) - x.begin());
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  for (size_t i = 0; i < x.size(); ++i) {
    CharCurve& c = i <= top ? ads : des;
    c.x.push_back(x[i]);
    c.y.push_back(y[i]);
  }
  if (bet) out.results.push_back({"bet_surface_area", *bet, "m2/g", false, ""});
  const std::string formula = adsorptive == "Nitrogen" ? "N2" : adsorptive == "Argon" ? "Ar" : adsorptive;
  Finish(&out, std::move(ads), std::move(des), formula, kelvin, mass);
  return out;
}

// ---- 3P Instruments workbook (an Isotherm sheet, facts on an Info sheet) --

bool Looks3P(const CharInput& in) {
  return in.workbook != nullptr && AnyLineStartsWith(in, 1, "ID\tp (kPa)\tp/p0\tV (cm³/g STP)");
}

absl::StatusOr<ParsedCharacterization> Read3P(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewIsotherm("3p-workbook");
  out.instrument = "3P Instruments";
  // Adsorption rows, a "---" row, then desorption rows (numbered from 1 again).
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  CharCurve* branch = &ads;
  for (size_t i = 1; i < f.lines.size(); ++i) {
    std::vector<std::string> v = SplitFields(f.lines[i], '\t');
    if (v.size() < 4 || (v[0].empty() && v[2].empty())) continue;
    if (v[0] == "---") {
      if (branch == &des) return CharLineError(in.name, i, "a third block: expected adsorption, ---, desorption");
      branch = &des;
      continue;
    }
    if (!Num(v[2]) || !Num(v[3])) return CharLineError(in.name, i, "expected p/p0 and V (cm³/g STP) numbers");
    branch->x.push_back(Num(v[2]).value_or(0));
    branch->y.push_back(Num(v[3]).value_or(0) / kStpCm3PerMmol);
  }
  if (ads.x.empty()) return CharError(in.name, "the Isotherm sheet has no adsorption rows");
  // Facts from the Info sheet: "Key<TAB>value[<TAB>unit]".
  std::string adsorptive;
  std::optional<double> mass, bet;
  for (const Sheet& s : *in.workbook) {
    if (s.name != "Info") continue;
    for (absl::string_view line : absl::StrSplit(s.text, '\n')) {
      std::vector<std::string> v = SplitFields(line, '\t');
      if (v.size() < 2) continue;
      if (v[0] == "Adsorbate") adsorptive = v[1];
      if (v[0] == "Charge Name") out.sample_name = v[1];
      if (v[0] == "Sample Weight" && absl::EndsWith(v[1], "(g)")) mass = Num(v[1].substr(0, v[1].size() - 3));
      if (v[0] == "BET Surface Area" && v.size() >= 3 && v[2] == "m²/g") bet = Num(v[1]);
      if (v[0] == "Started Time") {
        absl::Time t;
        std::string err;
        if (absl::ParseTime("%Y-%m-%d %H:%M:%S", v[1], absl::UTCTimeZone(), &t, &err)) {
          out.measure_time = absl::ToDoubleSeconds(t - absl::UnixEpoch());
        }
      }
    }
  }
  if (bet) out.results.push_back({"bet_surface_area", *bet, "m2/g", false, ""});
  Finish(&out, std::move(ads), std::move(des), adsorptive, std::nullopt, mass);
  return out;
}

// ---- Quantachrome ASiQwin raw analysis data ------------------------------

bool LooksQuantachrome(const CharInput& in) {
  return AnyLineContains(in, 3, "Quantachrome") && AnyLineContains(in, 30, "Volume @ STP");
}

// The value after `key` (any case) on a fixed-width report line: up to two
// spaces or the next key, since long values run into the next field
// ("nk_DUT-6_LP_N2_114pktFilename:").
std::string FieldAfter(absl::string_view line, absl::string_view key) {
  const std::string lower = absl::AsciiStrToLower(line);
  size_t at = lower.find(absl::AsciiStrToLower(key));
  if (at == std::string::npos) return "";
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(line.substr(at + key.size()));
  size_t end = rest.find("  ");
  rest = rest.substr(0, end);
  for (absl::string_view next : {"Filename:", "Operator:", "Date:", "Comment:", "Instrument:", "Outgas",
                                 "Sample Weight:", "Bath", "End of run:", "Molec. Wt:", "Non-ideality:"}) {
    if (size_t k = rest.find(next); k != absl::string_view::npos && k > 0) rest = rest.substr(0, k);
  }
  return std::string(absl::StripAsciiWhitespace(rest));
}

absl::StatusOr<ParsedCharacterization> ReadQuantachrome(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewIsotherm("quantachrome-asiqwin");
  out.software = "ASiQwin";
  std::string gas, mass_text, bath, sample;
  size_t head = 0;
  for (; head < f.lines.size(); ++head) {
    absl::string_view l = f.lines[head];
    if (absl::StrContains(l, "Press") && absl::StrContains(l, "Volume @ STP")) break;
    if (gas.empty()) gas = FieldAfter(l, "Analysis gas:");
    if (mass_text.empty()) mass_text = FieldAfter(l, "Sample Weight:");
    if (bath.empty()) bath = FieldAfter(l, "Bath temp.:");
    if (bath.empty()) bath = FieldAfter(l, "Bath temp:");
    if (sample.empty()) sample = FieldAfter(l, "Sample ID:");
    if (out.instrument.empty()) out.instrument = FieldAfter(l, "Instrument:");
    if (absl::StrContains(l, "version") && out.software_version.empty()) {
      out.software_version = std::string(absl::StripAsciiWhitespace(absl::StripPrefix(absl::StripAsciiWhitespace(l), "version")));
    }
  }
  if (head >= f.lines.size()) return CharError(in.name, "no 'Press ... Volume @ STP' column line");
  // Units line: the next non-blank line.
  size_t units = head + 1;
  while (units < f.lines.size() && absl::StripAsciiWhitespace(f.lines[units]).empty()) ++units;
  std::vector<std::string> u = absl::StrSplit(f.lines[units < f.lines.size() ? units : head], ' ', absl::SkipEmpty());
  // Only p/p0 is kept, so any pressure unit serves if both columns share it.
  if (u.size() < 3 || (u[0] != "Torr" && u[0] != "mmHg" && u[0] != "kPa" && u[0] != "mbar") || u[1] != u[0] ||
      u[2] != "cc") {
    return CharLineError(in.name, units, "expected the units 'Torr Torr cc' (or mmHg, kPa, mbar) under Press, P0, Volume @ STP");
  }
  std::vector<std::string> m = absl::StrSplit(mass_text, ' ', absl::SkipEmpty());
  std::optional<double> mass = m.size() == 2 && m[1] == "g" ? Num(m[0]) : std::nullopt;
  if (!mass || *mass <= 0) {
    return CharError(in.name, absl::StrCat("'Sample Weight: ", mass_text, "': expected a mass in g (the volumes are per sample, not per gram)"));
  }
  std::vector<std::string> b = absl::StrSplit(bath, ' ', absl::SkipEmpty());
  std::optional<double> kelvin = b.size() == 2 && b[1] == "K" ? Num(b[0]) : std::nullopt;
  std::vector<double> x, y;
  for (size_t i = units + 1; i < f.lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(f.lines[i]).empty()) continue;
    std::optional<std::vector<double>> v = LineNumbers(f.lines[i]);
    if (!v || v->size() < 3) return CharLineError(in.name, i, "expected Press, P0 and Volume @ STP numbers");
    if ((*v)[1] <= 0) return CharLineError(in.name, i, "P0 is not positive");
    x.push_back((*v)[0] / (*v)[1]);
    y.push_back((*v)[2] / *mass / kStpCm3PerMmol);
  }
  // One table: adsorption up to the highest pressure, desorption after.
  const size_t top = x.empty() ? 0 : static_cast<size_t>(std::max_element(x.begin(), x.end()) - x.begin());
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  for (size_t i = 0; i < x.size(); ++i) {
    CharCurve& c = i <= top ? ads : des;
    c.x.push_back(x[i]);
    c.y.push_back(y[i]);
  }
  out.sample_name = sample;
  std::string adsorptive = gas == "Nitrogen" ? "N2" : gas == "Argon" ? "Ar" : gas == "Krypton" ? "Kr" : gas;
  Finish(&out, std::move(ads), std::move(des), adsorptive, kelvin, mass);
  return out;
}

// ---- AIF (adsorption information file) ---------------------------------

bool LooksAif(const CharInput& in) {
  return AnyLineStartsWith(in, 3, "data_") && AnyLineStartsWith(in, 200, "_adsorp_pressure");
}

absl::StatusOr<ParsedCharacterization> ReadAif(const CharInput& in) {
  const TextFile& f = *in.text;
  ParsedCharacterization out = NewIsotherm("aif");
  std::map<std::string, std::string> kv;
  struct Loop {
    std::vector<std::string> names;
    std::vector<std::vector<double>> rows;
  };
  std::vector<Loop> loops;
  Loop* loop = nullptr;
  bool reading_names = false;
  for (size_t i = 0; i < f.lines.size(); ++i) {
    absl::string_view line = absl::StripAsciiWhitespace(f.lines[i]);
    if (line.empty() || line[0] == '#') {
      if (line.empty()) loop = nullptr;
      continue;
    }
    if (line == "loop_") {
      loops.emplace_back();
      loop = &loops.back();
      reading_names = true;
      continue;
    }
    if (line[0] == '_') {
      if (loop != nullptr && reading_names) {
        loop->names.push_back(std::string(line));
        continue;
      }
      loop = nullptr;
      std::pair<absl::string_view, absl::string_view> p = absl::StrSplit(line, absl::MaxSplits(absl::ByAnyChar(" \t"), 1));
      kv[std::string(p.first)] = Unquote(p.second);
      continue;
    }
    if (loop != nullptr) {
      reading_names = false;
      std::optional<std::vector<double>> v = LineNumbers(line);
      if (!v || v->size() != loop->names.size()) {
        return CharLineError(in.name, i, absl::StrCat("expected ", loop->names.size(), " numbers for the loop"));
      }
      loop->rows.push_back(std::move(*v));
    }
  }
  // Units: pressure to kPa (only the ratio p/p0 is kept), loading to mmol/g.
  const std::string loading = kv["_units_loading"];
  double to_mmol = 0;
  if (loading == "mmol/g" || loading == "mmol g-1" || loading == "mol/kg") to_mmol = 1;
  if (loading == "ml(STP) g-1" || loading == "cm3(STP) g-1" || loading == "cm3(STP)/g" || loading == "ml(STP)/g" ||
      loading == "cm3/g STP" || loading == "cc/g") {
    to_mmol = 1 / kStpCm3PerMmol;
  }
  if (to_mmol == 0) {
    return CharError(in.name, absl::StrCat("_units_loading '", loading, "' unknown (expected mmol/g or ml(STP) g-1)"));
  }
  std::optional<double> kelvin = Num(kv["_exptl_temperature"]);
  if (kelvin && kv["_units_temperature"] == "C") *kelvin += 273.15;
  else if (kelvin && kv["_units_temperature"] != "K") {
    return CharError(in.name, absl::StrCat("_units_temperature '", kv["_units_temperature"], "' unknown (expected K or C)"));
  }
  CharCurve ads = Branch("adsorption"), des = Branch("desorption");
  for (const Loop& l : loops) {
    auto col = [&](const char* n) {
      for (size_t j = 0; j < l.names.size(); ++j) {
        if (l.names[j] == n) return static_cast<int>(j);
      }
      return -1;
    };
    const bool is_ads = col("_adsorp_pressure") >= 0;
    const std::string p = is_ads ? "_adsorp_" : "_desorp_";
    const int pr = col((p + "pressure").c_str()), p0 = col((p + "p0").c_str()), am = col((p + "amount").c_str());
    if (pr < 0 || am < 0) continue;
    if (p0 < 0) return CharError(in.name, absl::StrCat("loop ", p, "*: no ", p, "p0 column (relative pressure unknown)"));
    CharCurve& c = is_ads ? ads : des;
    for (const std::vector<double>& r : l.rows) {
      if (r[p0] <= 0) return CharError(in.name, absl::StrCat(p, "p0 is not positive"));
      c.x.push_back(r[pr] / r[p0]);
      c.y.push_back(r[am] * to_mmol);
    }
  }
  out.operator_name = kv["_exptl_operator"];
  out.instrument = kv["_exptl_instrument"];
  out.sample_name = kv["_adsnt_sample_id"];
  if (auto t = ParseIsoTimestamp(kv["_exptl_date"])) out.measure_time = *t;
  std::optional<double> mass = Num(kv["_adsnt_sample_mass"]);
  if (mass && kv["_units_mass"] != "g") mass.reset();
  Finish(&out, std::move(ads), std::move(des), kv["_exptl_adsorptive"], kelvin, mass);
  return out;
}

}  // namespace

const std::vector<CharReader>& AdsorptionReaders() {
  static const std::vector<CharReader> readers = {
      {"a gas adsorption isotherm (MicrotracBEL .DAT)", LooksBelDat, ReadBelDat},
      {"a gas adsorption isotherm (MicrotracBEL CSV)", LooksBelCsv, ReadBelCsv},
      {"a gas adsorption isotherm (Micromeritics report)", LooksMicromeritics, ReadMicromeritics},
      {"a gas adsorption isotherm (3P Instruments workbook)", Looks3P, Read3P},
      {"a gas adsorption isotherm (Quantachrome ASiQwin)", LooksQuantachrome, ReadQuantachrome},
      {"a gas adsorption isotherm (AIF)", LooksAif, ReadAif},
  };
  return readers;
}

}  // namespace batteryhub::parsers
