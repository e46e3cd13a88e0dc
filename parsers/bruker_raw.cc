// Bruker DIFFRAC RAW binaries: version 3 ("RAW1.01", DIFFRAC plus) and
// version 4 ("RAW4.00", DIFFRAC.SUITE), the layouts of the DIFFRAC plus XCH
// manual's appendix A as xylib documents them. Every read is bounds-checked
// (ByteReader); a range that does not fit, a step that is not positive or a
// count that is not finite is refused, never read past.
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "parsers/byte_reader.h"
#include "parsers/characterization_readers.h"

namespace batteryhub::parsers {
namespace {

// A fixed-width, NUL-padded text field.
std::string Text(const ByteReader& r, uint64_t at, uint64_t n) {
  std::optional<absl::string_view> b = r.Bytes(at, n);
  if (!b) return "";
  std::string s(b->substr(0, b->find('\0')));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = ' ';
  }
  return std::string(absl::StripAsciiWhitespace(s));
}

absl::Status Broken(const std::string& name, absl::string_view what) {
  return CharError(name, absl::StrCat("Bruker RAW: ", what));
}

// One range's counts: `steps` data points of `stride` bytes at `at`, each
// starting with its float32 count; x from start and step.
absl::Status ReadCounts(const std::string& name, const ByteReader& r, uint64_t at, uint32_t steps,
                        uint32_t stride, double start, double step, size_t index, ParsedCharacterization* out) {
  if (steps == 0 || steps > kMaxCharacterizationPoints) {
    return Broken(name, absl::StrCat("range ", index, " declares ", steps, " steps"));
  }
  if (!std::isfinite(start) || !std::isfinite(step) || step <= 0 || std::abs(start) > 360 ||
      std::abs(start + step * steps) > 360) {
    return Broken(name, absl::StrCat("range ", index, ": start ", start, "°, step ", step,
                                     "°: not a 2θ scan"));
  }
  if (!r.Bytes(at, uint64_t{steps} * stride)) {
    return Broken(name, absl::StrCat("range ", index, ": ", steps, " counts at byte ", at,
                                     " run past the end of the file (", r.size(), " bytes)"));
  }
  CharCurve c{absl::StrCat("range ", index), "two_theta", "deg", "intensity", "counts", {}, {}};
  size_t negative = 0;
  for (uint32_t i = 0; i < steps; ++i) {
    const float y = *r.Get<float>(at + uint64_t{i} * stride);
    if (!std::isfinite(y)) return Broken(name, absl::StrCat("range ", index, " point ", i + 1, ": not a number"));
    if (y < 0) ++negative;
    // Positions as the instrument computes them: start + i * step, rounded
    // to the step's decimals (no float drift across thousands of steps).
    c.x.push_back(std::round((start + step * i) * 1e8) / 1e8);
    c.y.push_back(Float32Decimal(y));
  }
  // Raw detector counts are not negative; processed (background-subtracted)
  // ones can be. Kept as stored, and said.
  if (negative > 0) {
    out->metadata[absl::StrCat("raw.range", index, ".negative_counts")] =
        absl::StrCat(negative, " of ", steps, " points below zero: processed data, or a damaged file");
  }
  out->curves.push_back(std::move(c));
  return absl::OkStatus();
}

absl::Status ReadVersion3(const std::string& name, const ByteReader& r, ParsedCharacterization* out) {
  constexpr uint64_t kHeader = 712, kRangeHeader = 304;
  std::optional<uint32_t> ranges = r.U32(12);
  if (!ranges || *ranges == 0 || *ranges > 1000) return Broken(name, "no range count at byte 12");
  out->metadata["raw.measure_date"] = Text(r, 16, 10);
  out->operator_name = Text(r, 36, 72);
  out->sample_name = Text(r, 326, 60);
  AddText(out, "anode", Text(r, 608, 4));
  if (auto a1 = r.F64(624); a1 && *a1 > 0 && *a1 < 10) AddQuantity(out, "wavelength_k_alpha1", *a1, "angstrom");
  if (auto a2 = r.F64(632); a2 && *a2 > 0 && *a2 < 10) AddQuantity(out, "wavelength_k_alpha2", *a2, "angstrom");
  if (auto q = r.F64(648); q && *q >= 0 && *q <= 1) AddQuantity(out, "ratio_k_alpha2_k_alpha1", *q, "1");
  uint64_t at = kHeader;
  for (uint32_t k = 0; k < *ranges; ++k) {
    std::optional<uint32_t> len = r.U32(at), steps = r.U32(at + 4), extra = r.U32(at + 256);
    std::optional<double> start = r.F64(at + 16), step = r.F64(at + 176);
    if (!len || *len != kRangeHeader || !steps || !extra || !start || !step) {
      return Broken(name, absl::StrCat("range ", k + 1, " header at byte ", at, " is not a 304-byte range header"));
    }
    if (k == 0) {
      if (auto t = r.Get<float>(at + 192); t && *t > 0) AddQuantity(out, "counting_time", Float32Decimal(*t), "s");
      if (auto kv = r.U32(at + 224); kv && *kv > 0 && *kv < 1000) AddQuantity(out, "tube_voltage", *kv, "kV");
      if (auto ma = r.U32(at + 228); ma && *ma > 0 && *ma < 10000) AddQuantity(out, "tube_current", *ma, "mA");
    }
    const uint64_t data = at + kRangeHeader + *extra;
    if (absl::Status s = ReadCounts(name, r, data, *steps, 4, *start, *step, k + 1, out); !s.ok()) return s;
    at = data + uint64_t{*steps} * 4;
  }
  return absl::OkStatus();
}

absl::Status ReadVersion4(const std::string& name, const ByteReader& r, ParsedCharacterization* out) {
  out->metadata["raw.measure_date"] = Text(r, 12, 12);
  uint64_t at = 61;
  std::optional<uint32_t> type = r.U32(at);
  // File-wide segments until the first range (type 0 or 160).
  for (int guard = 0; type && *type != 0 && *type != 160; ++guard) {
    std::optional<uint32_t> len = r.U32(at + 4);
    if (!len || *len < 8 || guard > 10000 || !r.Bytes(at, *len)) {
      return Broken(name, absl::StrCat("segment at byte ", at, " has no valid length"));
    }
    if (*type == 30 && *len >= 120) {  // hardware configuration
      if (auto a1 = r.F64(at + 80); a1 && *a1 > 0 && *a1 < 10) AddQuantity(out, "wavelength_k_alpha1", *a1, "angstrom");
      if (auto a2 = r.F64(at + 88); a2 && *a2 > 0 && *a2 < 10) AddQuantity(out, "wavelength_k_alpha2", *a2, "angstrom");
      if (auto q = r.F64(at + 104); q && *q >= 0 && *q <= 1) AddQuantity(out, "ratio_k_alpha2_k_alpha1", *q, "1");
      AddText(out, "anode", Text(r, at + 116, 4));
    }
    if (*type == 10 && *len >= 36) {  // a named text value
      const std::string tag = Text(r, at + 12, 24);
      const std::string value = Text(r, at + 36, *len - 36);
      if (absl::EqualsIgnoreCase(tag, "SampleID") || absl::EqualsIgnoreCase(tag, "SAMPLE_NAME")) out->sample_name = value;
      if (absl::EqualsIgnoreCase(tag, "USER") || absl::EqualsIgnoreCase(tag, "OPERATOR")) out->operator_name = value;
    }
    at += *len;
    type = r.U32(at);
  }
  if (!type) return Broken(name, "no measurement range");
  for (size_t k = 1; type && (*type == 0 || *type == 160); ++k) {
    const std::string scan = Text(r, at + 32, 24);
    std::optional<double> start = r.F64(at + 72), step = r.F64(at + 80);
    std::optional<uint32_t> steps = r.U32(at + 88), datum = r.U32(at + 136), extra = r.U32(at + 140);
    if (!start || !step || !steps || !datum || !extra) {
      return Broken(name, absl::StrCat("range ", k, " header at byte ", at, " is cut short"));
    }
    if (scan != "Locked Coupled" && scan != "Unlocked Coupled") {
      return Broken(name, absl::StrCat("range ", k, " is a '", scan,
                                       "' scan: only coupled 2θ scans are read (export others as .brml)"));
    }
    // A point is its float32 count, then (8-byte points) a 32-bit field beside it.
    if (*datum != 4 && *datum != 8) {
      return Broken(name, absl::StrCat("range ", k, ": ", *datum, "-byte data points, expected 4 or 8"));
    }
    if (k == 1) {
      if (auto t = r.Get<float>(at + 92); t && *t > 0) AddQuantity(out, "counting_time", Float32Decimal(*t), "s");
      if (auto kv = r.Get<float>(at + 100); kv && *kv > 0 && *kv < 1000) AddQuantity(out, "tube_voltage", Float32Decimal(*kv), "kV");
      if (auto ma = r.Get<float>(at + 104); ma && *ma > 0 && *ma < 10000) AddQuantity(out, "tube_current", Float32Decimal(*ma), "mA");
    }
    const uint64_t data = at + 160 + *extra;
    if (absl::Status s = ReadCounts(name, r, data, *steps, *datum, *start, *step, k, out); !s.ok()) return s;
    at = data + uint64_t{*steps} * *datum;
    type = r.U32(at);  // the next range, or the end
  }
  return absl::OkStatus();
}

}  // namespace

bool LooksBrukerRaw(const CharInput& in) {
  return absl::StartsWith(in.bytes, "RAW1.01") || absl::StartsWith(in.bytes, "RAW4.00") ||
         absl::StartsWith(in.bytes, "RAW2") || absl::StartsWith(in.bytes, "RAW ");
}

absl::StatusOr<ParsedCharacterization> ReadBrukerRaw(const CharInput& in) {
  ParsedCharacterization out;
  out.technique = CharTechnique::kXrd;
  out.instrument = "Bruker";
  const ByteReader r(in.bytes);
  absl::Status s;
  if (absl::StartsWith(in.bytes, "RAW1.01")) {
    out.reader = "bruker-raw-v3";
    out.software = "DIFFRAC plus";
    s = ReadVersion3(in.name, r, &out);
  } else if (absl::StartsWith(in.bytes, "RAW4.00")) {
    out.reader = "bruker-raw-v4";
    out.software = "DIFFRAC.SUITE";
    s = ReadVersion4(in.name, r, &out);
  } else {
    return CharError(in.name, absl::StrCat("a Bruker DIFFRAC-AT RAW binary (", in.bytes.substr(0, 4),
                                           ", versions 1 and 2): not read; export it as .uxd or .xy"));
  }
  if (!s.ok()) return s;
  if (out.curves.size() == 1) out.curves[0].name = "pattern";
  const CharCurve& c = out.curves[0];
  AddQuantity(&out, "scan_start", c.x.front(), "deg");
  AddQuantity(&out, "scan_end", c.x.back(), "deg");
  if (c.x.size() > 1) {
    AddQuantity(&out, "scan_step", std::round((c.x.back() - c.x.front()) / (c.x.size() - 1) * 1e8) / 1e8, "deg");
  }
  AddQuantity(&out, "scan_points", static_cast<double>(c.x.size()), "1");
  return out;
}

}  // namespace batteryhub::parsers
