// What both benchmarks need: wall-clock seconds, order statistics and a
// libpq result check.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace batteryhub::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// The element at rank p * (n - 1), rounded down; 0 for no samples.
inline double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<size_t>(p * (v.size() - 1))];
}

// The upper median; 0 for no samples.
inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// True when `r` succeeded (a command, rows, or a COPY under way); prints
// the error with `what` otherwise. Frees `r`.
inline bool PgOk(PGresult* r, const char* what) {
  const auto status = PQresultStatus(r);
  const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
                  status == PGRES_COPY_IN || status == PGRES_COPY_OUT;
  if (!ok) std::fprintf(stderr, "%s: %s\n", what, PQresultErrorMessage(r));
  PQclear(r);
  return ok;
}

}  // namespace batteryhub::bench
