#include "core/field_checks.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/country_codes.h"
#include "core/names.h"
#include "core/sha256.h"

namespace batteryhub {
namespace {

bool InRange(double x, Range r) {
  if (r.min_exclusive ? !(x > r.min) : !(x >= r.min)) return false;
  return x <= r.max;
}

std::string RangeText(Range r, absl::string_view unit) {
  return absl::StrCat(r.min_exclusive ? "> " : ">= ", r.min, " and <= ", r.max,
                      unit.empty() ? "" : " ", unit);
}

// Length of the UTF-8 sequence starting with `c`, or 0 if `c` cannot start one.
int Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return c >= 0xC2 ? 2 : 0;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return c <= 0xF4 ? 4 : 0;
  return 0;
}

bool IsCleanUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\n' && c != '\t') return false;
    int n = Utf8Length(c);
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

void CheckNumber(double value, Range range, const std::string& path, Violations* v) {
  if (!std::isfinite(value)) {
    v->Add(path, "must be a finite number");
  } else if (!InRange(value, range)) {
    v->Add(path, absl::StrCat("is ", value, ", expected ", RangeText(range, "")));
  }
}

void CheckFraction(double value, const std::string& path, Violations* v) {
  CheckNumber(value, {0, 1}, path, v);
}

bool NormalizeAnyQuantity(batteryhub::v1::Quantity* q, const std::string& path, Violations* v) {
  std::optional<UnitInfo> unit = LookupUnit(q->unit());
  if (!unit) {
    v->Add(path + ".unit", absl::StrCat("unknown unit '", q->unit(),
                                        "' (use e.g. s, V, A, Ah, mAh, Wh, degC, K, um, "
                                        "m2/g, mAh/g, wt%, ohm, Hz)"));
    return false;
  }
  if (!std::isfinite(q->value())) {
    v->Add(path + ".value", "must be a finite number");
    return false;
  }
  q->set_value(ToCanonical(*unit, q->value()));
  q->set_unit(std::string(CanonicalUnit(unit->dimension)));
  return true;
}

void CheckQuantity(batteryhub::v1::Quantity* q, bool present, Dimension dimension, Range range,
                   bool required, const std::string& path, Violations* v) {
  if (!present || (q->unit().empty() && q->value() == 0)) {
    if (required) {
      v->Add(path, absl::StrCat("is required: a ", DimensionName(dimension), " in ",
                                CanonicalUnit(dimension), " or a convertible unit"));
    }
    return;
  }
  std::optional<UnitInfo> unit = LookupUnit(q->unit());
  if (q->unit().empty()) {
    v->Add(path + ".unit", absl::StrCat("is required: a unit of ", DimensionName(dimension),
                                        " such as ", CanonicalUnit(dimension)));
    return;
  }
  if (!unit || unit->dimension != dimension) {
    v->Add(path + ".unit",
           absl::StrCat("'", q->unit(), "' is not a unit of ", DimensionName(dimension),
                        " (expected ", CanonicalUnit(dimension), " or a convertible unit)"));
    return;
  }
  if (!std::isfinite(q->value())) {
    v->Add(path + ".value", "must be a finite number");
    return;
  }
  const double canonical = ToCanonical(*unit, q->value());
  if (!InRange(canonical, range)) {
    std::string given = absl::StrCat(q->value(), " ", q->unit());
    if (q->unit() != CanonicalUnit(dimension)) {
      absl::StrAppend(&given, " (", canonical, " ", CanonicalUnit(dimension), ")");
    }
    v->Add(path + ".value", absl::StrCat("is ", given, ", expected ",
                                         RangeText(range, CanonicalUnit(dimension))));
    return;
  }
  q->set_value(canonical);
  q->set_unit(std::string(CanonicalUnit(dimension)));
}

void CheckText(absl::string_view text, size_t max_len, bool required, const std::string& path,
               Violations* v) {
  if (text.empty()) {
    if (required) v->Add(path, "is required");
    return;
  }
  if (text.size() > max_len) {
    v->Add(path, absl::StrCat("is ", text.size(), " bytes, at most ", max_len, " allowed"));
  } else if (!IsCleanUtf8(text)) {
    v->Add(path, "must be UTF-8 text without control characters");
  }
}

void CheckEnum(int value, bool valid, absl::string_view example, const std::string& path,
               Violations* v) {
  if (!valid) {
    v->Add(path, absl::StrCat("unknown value ", value, " (e.g. ", example, ")"));
  } else if (value == 0) {
    v->Add(path, absl::StrCat("is required (e.g. ", example, ")"));
  }
}

void CheckCountry(absl::string_view code, const std::string& path, Violations* v) {
  if (!code.empty() && !IsIsoCountryCode(code)) {
    v->Add(path, absl::StrCat("'", code,
                              "' is not an ISO 3166-1 alpha-2 country code (e.g. CA, JP, AU)"));
  }
}

void CheckSha256(absl::string_view hex, bool required, const std::string& path, Violations* v) {
  if (hex.empty()) {
    if (required) v->Add(path, "is required: a SHA-256 as 64 hex characters");
    return;
  }
  if (!IsSha256Hex(hex)) v->Add(path, "must be a SHA-256 as 64 hex characters");
}

void CheckReference(absl::string_view name, absl::string_view collection, bool required,
                    const std::string& path, Violations* v) {
  if (name.empty()) {
    if (required) {
      v->Add(path, absl::StrCat("is required: institutions/{institution}/", collection, "/{id}"));
    }
    return;
  }
  absl::StatusOr<RecordName> parsed = ParseRecordName(name, collection, path, false);
  if (!parsed.ok()) {
    v->Add(path, absl::StrCat("'", name, "' is not a name of the form institutions/{i}/",
                              collection, "/{id}"));
  }
}

void CheckLabels(const google::protobuf::Map<std::string, std::string>& labels, Violations* v) {
  if (labels.size() > 64) v->Add("labels", "at most 64 labels allowed");
  for (const auto& [key, value] : labels) {
    const std::string path = absl::StrCat("labels.", key);
    bool key_ok = !key.empty() && key.size() <= 63 && key[0] >= 'a' && key[0] <= 'z';
    for (char c : key) key_ok = key_ok && IsLabelChar(c);
    if (!key_ok) {
      v->Add(path, "label keys are 1-63 characters [a-z0-9_-] starting with a letter");
      continue;
    }
    bool value_ok = value.size() <= 63;
    for (char c : value) value_ok = value_ok && IsLabelChar(c);
    if (!value_ok) v->Add(path, "label values are at most 63 characters [a-z0-9_-]");
  }
}

void CheckProvenanceInput(const batteryhub::v1::Provenance& provenance, Violations* v) {
  const auto& source = provenance.source();
  CheckText(source.instrument(), 200, false, "provenance.source.instrument", v);
  CheckText(source.software(), 200, false, "provenance.source.software", v);
  CheckText(source.software_version(), 100, false, "provenance.source.software_version", v);
  CheckText(source.operator_(), 200, false, "provenance.source.operator", v);
  CheckText(source.file_name(), 500, false, "provenance.source.file_name", v);
  CheckSha256(source.file_sha256(), false, "provenance.source.file_sha256", v);
  if (source.file_size_bytes() < 0) {
    v->Add("provenance.source.file_size_bytes", "must be >= 0");
  }
  CheckText(provenance.derivation(), 200, false, "provenance.derivation", v);
}

}  // namespace batteryhub
