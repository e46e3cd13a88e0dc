#include "parsers/byte_reader.h"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace batteryhub::parsers {

double Float32Decimal(float v) {
  if (!std::isfinite(v) || v == 0) return v;
  char text[32];
  std::to_chars_result end = std::to_chars(text, text + sizeof(text), v);
  double d = v;
  fast_float::from_chars(text, end.ptr, d);
  return d;
}

double ScaledDecimal(double raw, double scale) {
  const double v = raw * scale;
  if (!std::isfinite(v) || scale == 1 || v == 0) return v;
  char text[32];
  std::to_chars_result end =
      std::to_chars(text, text + sizeof(text), v, std::chars_format::general, 15);
  double d = v;
  fast_float::from_chars(text, end.ptr, d);
  return d;
}

}  // namespace batteryhub::parsers
