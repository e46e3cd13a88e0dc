// Any bytes as a characterisation file: recognise and read; every curve's x
// and y paired and finite, every result finite, the point bound kept.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "parsers/characterization.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  using batteryhub::parsers::ParseCharacterization;
  (void)batteryhub::parsers::LooksLikeCharacterization(bytes);
  auto parsed = ParseCharacterization("fuzz", bytes);
  if (!parsed.ok()) return 0;
  if (parsed->points() > batteryhub::parsers::kMaxCharacterizationPoints) std::abort();
  for (const auto& c : parsed->curves) {
    if (c.x.size() != c.y.size()) std::abort();
    for (size_t i = 0; i < c.x.size(); ++i) {
      if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i])) std::abort();
    }
  }
  for (const auto& r : parsed->results) {
    if (!std::isfinite(r.value)) std::abort();
  }
  return 0;
}
