#include "parsers/byte_reader.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace batteryhub::parsers {

double Float32Decimal(float v) {
  if (!std::isfinite(v)) return v;
  char text[32];
  std::to_chars_result end = std::to_chars(text, text + sizeof(text), v);
  double d = v;
  std::from_chars(text, end.ptr, d);
  return d;
}

double ScaledDecimal(double raw, double scale) {
  const double v = raw * scale;
  if (!std::isfinite(v) || scale == 1) return v;
  char text[32];
  std::snprintf(text, sizeof(text), "%.15g", v);
  return std::strtod(text, nullptr);
}

}  // namespace batteryhub::parsers
