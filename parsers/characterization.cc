#include "parsers/characterization.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "parsers/characterization_readers.h"
#include "parsers/decompress.h"
#include "parsers/spreadsheet.h"

namespace batteryhub::parsers {

const char* CharTechniqueName(CharTechnique t) {
  switch (t) {
    case CharTechnique::kXrd: return "XRD";
    case CharTechnique::kPsd: return "PSD";
    case CharTechnique::kGasAdsorption: return "BET";
    case CharTechnique::kIcpOes: return "ICP_OES";
    case CharTechnique::kTga: return "TGA";
    case CharTechnique::kDsc: return "DSC";
  }
  return "UNSPECIFIED";
}

const CharResult* ParsedCharacterization::FindResult(const std::string& n) const {
  for (const CharResult& r : results) {
    if (r.name == n) return &r;
  }
  return nullptr;
}

const CharCondition* ParsedCharacterization::FindCondition(const std::string& n) const {
  for (const CharCondition& c : conditions) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

size_t ParsedCharacterization::points() const {
  size_t n = 0;
  for (const CharCurve& c : curves) n += c.x.size();
  return n;
}

absl::Status CharError(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

absl::Status CharLineError(const std::string& name, size_t line_index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, " line ", line_index + 1, ": ", what));
}

bool AnyLineStartsWith(const CharInput& in, size_t n, absl::string_view prefix) {
  if (!in.text) return false;
  for (size_t i = 0; i < n && i < in.text->lines.size(); ++i) {
    if (absl::StartsWith(in.text->lines[i], prefix)) return true;
  }
  return false;
}

bool AnyLineContains(const CharInput& in, size_t n, absl::string_view needle) {
  if (!in.text) return false;
  for (size_t i = 0; i < n && i < in.text->lines.size(); ++i) {
    if (absl::StrContains(in.text->lines[i], needle)) return true;
  }
  return false;
}

std::optional<std::vector<double>> LineNumbers(absl::string_view line, char sep, bool decimal_comma) {
  std::vector<double> out;
  auto take = [&](absl::string_view f) {
    f = absl::StripAsciiWhitespace(f);
    if (f.empty()) return sep == 0;  // runs of blanks; an empty CSV cell is not a number
    std::optional<double> v = ParseNumber(f, decimal_comma);
    if (!v || std::isnan(*v)) return false;
    out.push_back(*v);
    return true;
  };
  if (sep == 0) {
    for (absl::string_view f : absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
      if (!take(f)) return std::nullopt;
    }
  } else {
    for (absl::string_view f : absl::StrSplit(line, sep)) {
      if (!take(f)) return std::nullopt;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<double> CharNumber(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  double v;
  if (s.empty() || !absl::SimpleAtod(s, &v) || !std::isfinite(v)) return std::nullopt;
  return v;
}

absl::Status CheckCurve(const std::string& name, const CharCurve& c) {
  if (c.x.size() != c.y.size()) {
    return CharError(name, absl::StrCat("curve '", c.name, "': ", c.x.size(), " x values but ",
                                        c.y.size(), " y values"));
  }
  if (c.x.empty()) return CharError(name, absl::StrCat("curve '", c.name, "' has no points"));
  for (size_t i = 0; i < c.x.size(); ++i) {
    if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i])) {
      return CharError(name, absl::StrCat("curve '", c.name, "' point ", i + 1, ": not a finite number"));
    }
  }
  return absl::OkStatus();
}

namespace {

// UTF-16 text (with a BOM) as UTF-8; unpaired surrogates become U+FFFD.
std::optional<std::string> Utf16ToUtf8(absl::string_view b) {
  if (b.size() < 2) return std::nullopt;
  const bool le = static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xFE;
  const bool be = static_cast<unsigned char>(b[0]) == 0xFE && static_cast<unsigned char>(b[1]) == 0xFF;
  if (!le && !be) return std::nullopt;
  std::string out;
  out.reserve(b.size() / 2);
  auto unit = [&](size_t i) -> uint32_t {
    const auto lo = static_cast<unsigned char>(b[i + (le ? 0 : 1)]);
    const auto hi = static_cast<unsigned char>(b[i + (le ? 1 : 0)]);
    return (uint32_t{hi} << 8) | lo;
  };
  for (size_t i = 2; i + 1 < b.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < b.size()) {
      const uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    if (cp == 0) return std::nullopt;  // NUL in text: not a text file
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::vector<const std::vector<CharReader>*> AllReaders() {
  return {&XrdReaders(), &PsdReaders(), &AdsorptionReaders(), &IcpThermalReaders()};
}

// The input for `bytes` decompressed once; `storage` keeps what the views
// point into.
absl::StatusOr<CharInput> MakeInput(const std::string& name, absl::string_view bytes,
                                    std::string* storage) {
  if (IsGzip(bytes) || IsBzip2(bytes)) {
    absl::StatusOr<std::string> raw = IsGzip(bytes) ? Gunzip(name, bytes) : Bunzip2(name, bytes);
    if (!raw.ok()) return raw.status();
    if (IsGzip(*raw) || IsBzip2(*raw)) return CharError(name, "compressed twice; decompress it first");
    *storage = std::move(*raw);
    bytes = *storage;
  }
  CharInput in{name, bytes, std::nullopt};
  std::optional<std::string> utf8 = Utf16ToUtf8(bytes);
  absl::StatusOr<TextFile> text = LoadText(name, utf8 ? absl::string_view(*utf8) : bytes);
  if (text.ok()) in.text = std::move(*text);
  return in;
}

bool IsWorkbook(absl::string_view b) {
  if (absl::StartsWith(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return true;
  if (!absl::StartsWith(b, "PK\x03\x04")) return false;
  const absl::string_view head = b.substr(0, 1 << 16);
  const absl::string_view tail = b.size() > (1 << 16) ? b.substr(b.size() - (1 << 16)) : b;
  return absl::StrContains(head, "xl/workbook") || absl::StrContains(tail, "xl/workbook");
}

const CharReader* FindReader(const CharInput& in) {
  for (const std::vector<CharReader>* set : AllReaders()) {
    for (const CharReader& r : *set) {
      if (r.looks(in)) return &r;
    }
  }
  return nullptr;
}

// A workbook's sheets as text inputs ("NAME[sheet]"), for the same readers.
std::vector<Sheet> WorkbookSheets(const std::string& name, absl::string_view bytes) {
  absl::StatusOr<std::vector<Sheet>> sheets =
      absl::StartsWith(bytes, "PK") ? ReadXlsx(name, bytes) : ReadXls(name, bytes);
  return sheets.ok() ? std::move(*sheets) : std::vector<Sheet>{};
}

// The reader for `bytes` (or, for a workbook, for its first sheet that one
// recognises, whose input lands in `sheet_input`).
// A damaged compressed stream is that error; nothing recognised is nullptr.
absl::StatusOr<const CharReader*> Recognise(const std::string& name, absl::string_view bytes,
                                            std::string* storage, std::vector<Sheet>* sheets,
                                            CharInput* input) {
  absl::StatusOr<CharInput> in = MakeInput(name, bytes, storage);
  if (!in.ok()) return in.status();
  if (IsWorkbook(in->bytes)) {
    *sheets = WorkbookSheets(name, in->bytes);
    for (const Sheet& sheet : *sheets) {
      absl::StatusOr<TextFile> text = LoadText(absl::StrCat(name, "[", sheet.name, "]"), sheet.text);
      if (!text.ok()) continue;
      CharInput sheet_in{text->name, sheet.text, std::move(*text), sheets};
      if (const CharReader* r = FindReader(sheet_in)) {
        *input = std::move(sheet_in);
        return r;
      }
    }
    return nullptr;
  }
  *input = std::move(*in);
  return FindReader(*input);
}

}  // namespace

bool LooksLikeCharacterization(absl::string_view bytes, std::string* what) {
  std::string storage;
  std::vector<Sheet> sheets;
  CharInput in;
  absl::StatusOr<const CharReader*> r = Recognise("", bytes, &storage, &sheets, &in);
  if (!r.ok() || *r == nullptr) return false;
  if (what != nullptr) *what = (*r)->what;
  return true;
}

absl::StatusOr<ParsedCharacterization> ParseCharacterization(const std::string& name,
                                                             absl::string_view bytes) {
  std::string storage;
  std::vector<Sheet> sheets;
  CharInput input;
  absl::StatusOr<const CharReader*> recognised = Recognise(name, bytes, &storage, &sheets, &input);
  if (!recognised.ok()) return recognised.status();  // a damaged compressed stream
  const CharReader* r = *recognised;
  const CharInput* in = &input;
  if (r == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        name, ": not a characterisation file this hub reads: expected an X-ray diffraction scan "
              "(PANalytical .xrdml/.csv, Bruker .brml/.uxd/.raw, Rigaku .ras/.rasx, a 2θ/intensity "
              "table or .xy/.xye), a particle-size report (Malvern Mastersizer, Beckman Multisizer, "
              "Retsch/Microtrac Camsizer), a gas adsorption isotherm (MicrotracBEL, Quantachrome, "
              "Micromeritics, 3P, AIF), an ICP-OES report (Agilent/Varian, Horiba) or a "
              "thermal-analysis export (TA Instruments)"));
  }
  absl::StatusOr<ParsedCharacterization> out = r->read(*in);
  if (out.ok() && in->name != name) out->metadata["spreadsheet.sheet"] = in->name.substr(name.size());
  if (!out.ok()) return out.status();
  if (out->curves.empty() && out->results.empty()) {
    return CharError(name, absl::StrCat("read as ", r->what, " but it holds no curve and no result"));
  }
  if (out->points() > kMaxCharacterizationPoints) {
    return CharError(name, absl::StrCat(out->points(), " points: more than the ",
                                        kMaxCharacterizationPoints, " one characterisation may hold"));
  }
  for (const CharCurve& c : out->curves) {
    if (absl::Status s = CheckCurve(name, c); !s.ok()) return s;
  }
  for (const CharResult& res : out->results) {
    if (!std::isfinite(res.value)) {
      return CharError(name, absl::StrCat("result '", res.name, "' is not a finite number"));
    }
  }
  out->metadata["batteryhub.reader"] = out->reader;
  return out;
}

}  // namespace batteryhub::parsers

#include "absl/time/time.h"

namespace batteryhub::parsers {

std::optional<double> ParseIsoTimestamp(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  if (s.size() < 19 || s.size() > 40) return std::nullopt;
  absl::Time t;
  std::string err;
  for (const char* layout : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%dT%H:%M:%E*S"}) {
    if (absl::ParseTime(layout, s, absl::UTCTimeZone(), &t, &err)) {
      return absl::ToDoubleSeconds(t - absl::UnixEpoch());
    }
  }
  return std::nullopt;
}

void AddQuantity(ParsedCharacterization* out, const std::string& name, double value,
                 const std::string& unit) {
  if (!std::isfinite(value) || out->FindCondition(name) != nullptr) return;
  CharCondition c;
  c.name = name;
  c.value = value;
  c.unit = unit;
  out->conditions.push_back(std::move(c));
}

void AddText(ParsedCharacterization* out, const std::string& name, absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || text.size() > 500 || out->FindCondition(name) != nullptr) return;
  CharCondition c;
  c.name = name;
  c.text = std::string(text);
  out->conditions.push_back(std::move(c));
}

}  // namespace batteryhub::parsers
