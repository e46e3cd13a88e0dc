// What the parser tests share: reading files, the project's fixtures, the
// dev set when it is present, and checks every parse result must pass.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

inline std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file of tests/parsers/fixtures.
inline std::string Fixture(const std::string& name) {
  return Read(std::filesystem::path(BATTERYHUB_SOURCE_DIR) / "tests" / "parsers" / "fixtures" / name);
}

// ../shared/data/real, or an empty path when it is absent.
inline std::filesystem::path RealDataDir() {
  namespace fs = std::filesystem;
  for (fs::path p : {fs::path(BATTERYHUB_SOURCE_DIR) / ".." / "shared" / "data" / "real",
                     fs::path(BATTERYHUB_SOURCE_DIR) / "shared" / "data" / "real"}) {
    if (fs::is_directory(p)) return p;
  }
  return {};
}

// The values of a BDF column, empty when it is absent.
inline std::vector<double> Values(const ParsedSeries& s, const std::string& column) {
  const SeriesColumn* c = s.Find(column);
  return c == nullptr ? std::vector<double>{} : c->values;
}

// Equal at the precision of a float32 reference table.
inline bool CloseAtFloat32(double a, double b) {
  return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b)) + 1e-9;
}

// A parse of mangled bytes: a short INVALID_ARGUMENT, or columns as long as
// the row count.
inline void ExpectSane(const absl::StatusOr<ParsedSeries>& s) {
  if (!s.ok()) {
    ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
    ASSERT_LT(s.status().message().size(), 1000u);
    return;
  }
  for (const SeriesColumn& c : s->columns) ASSERT_EQ(c.values.size(), s->rows()) << c.name;
}

}  // namespace batteryhub::parsers
