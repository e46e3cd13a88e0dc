// The column decoder over stored (possibly corrupt) bytes; a decoded column
// re-encodes to a column that decodes to the same values.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "storage/column_codec.h"

namespace {

bool Same(double a, double b) {
  uint64_t x, y;
  std::memcpy(&x, &a, 8);
  std::memcpy(&y, &b, 8);
  return x == y || (std::isnan(a) && std::isnan(b));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = batteryhub::storage::DecodeColumn(bytes);
  if (decoded.ok()) {
    auto again = batteryhub::storage::DecodeColumn(batteryhub::storage::EncodeColumn(*decoded));
    if (!again.ok() || again->size() != decoded->size()) std::abort();
    for (size_t i = 0; i < decoded->size(); ++i) {
      if (!Same((*again)[i], (*decoded)[i])) std::abort();
    }
  }
  // The bytes as doubles round-trip through the encoder.
  std::vector<double> values(size / 8);
  if (!values.empty()) std::memcpy(values.data(), data, values.size() * 8);
  auto round = batteryhub::storage::DecodeColumn(batteryhub::storage::EncodeColumn(values));
  if (!round.ok() || round->size() != values.size()) std::abort();
  for (size_t i = 0; i < values.size(); ++i) {
    if (!Same((*round)[i], values[i])) std::abort();
  }
  return 0;
}
