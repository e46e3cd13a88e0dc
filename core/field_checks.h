// Field-level checks shared by the record validators. Each appends a
// violation naming the field path and what was expected; none stops early.
#pragma once

#include <google/protobuf/map.h>

#include <string>
#include "absl/strings/string_view.h"

#include "batteryhub/v1/common.pb.h"
#include "core/errors.h"
#include "core/units.h"

namespace batteryhub {

struct Range {
  double min;
  double max;
  bool min_exclusive = false;
};

// Converts `q` in place to the canonical unit of `dimension` and checks it is
// finite and within `range` (in canonical units). An unset quantity (no unit
// and value 0) is a violation only when `required`.
void CheckQuantity(batteryhub::v1::Quantity* q, bool present, Dimension dimension, Range range,
                   bool required, const std::string& path, Violations* v);

// Converts `q` to the canonical unit of whatever known dimension its unit has.
// Returns false (with a violation) for unknown units or non-finite values.
bool NormalizeAnyQuantity(batteryhub::v1::Quantity* q, const std::string& path, Violations* v);

// Finite and within [0, 1].
void CheckFraction(double value, const std::string& path, Violations* v);

// Finite and within the range.
void CheckNumber(double value, Range range, const std::string& path, Violations* v);

// At most `max_len` bytes of valid UTF-8 without control characters other
// than newline and tab; non-empty when `required`.
void CheckText(absl::string_view text, size_t max_len, bool required, const std::string& path,
               Violations* v);

// A required enum: known (`valid`) and not the zero value.
void CheckEnum(int value, bool valid, absl::string_view example, const std::string& path,
               Violations* v);

// ISO 3166-1 alpha-2 (upper case), empty allowed.
void CheckCountry(absl::string_view code, const std::string& path, Violations* v);

// 64 hex characters; empty allowed unless `required`.
void CheckSha256(absl::string_view hex, bool required, const std::string& path, Violations* v);

// A reference to a record of `collection`; empty allowed unless `required`.
void CheckReference(absl::string_view name, absl::string_view collection, bool required,
                    const std::string& path, Violations* v);

// AIP-style labels: at most 64, keys [a-z][a-z0-9_-]{0,62}, values at most
// 63 of [a-z0-9_-].
void CheckLabels(const google::protobuf::Map<std::string, std::string>& labels, Violations* v);

// The input part of provenance (source); output-only parts are ignored.
void CheckProvenanceInput(const batteryhub::v1::Provenance& provenance, Violations* v);

}  // namespace batteryhub
