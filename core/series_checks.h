// Checks on the rows of a cycler series, after the Battery Data Format's
// validation: test time going back, repeated rows, gaps, voltages and
// currents outside physical ranges, millivolts under a volt label, a
// current sign that contradicts the capacity columns. One finding per check
// (severity, first occurrence, rows concerned in all, message).
//
// Incremental like CycleSummarizer: Feed() continues from a saved state, and
// feeding a series in any number of pieces gives exactly the findings of
// feeding it whole. The hub runs it on every upload (SeriesInfo.findings);
// bhub runs the same code on a file before it uploads it.
#pragma once

#include <cstdint>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"
#include "batteryhub/v1/cell_test.pb.h"

namespace batteryhub {

struct CheckRows {
  int64_t first_row = 0;  // series row of index 0
  size_t count = 0;
  const double* time = nullptr;     // s, required
  const double* voltage = nullptr;  // V, required
  const double* current = nullptr;  // A, positive = charge, required
  const double* charge_capacity = nullptr;     // Ah, optional
  const double* discharge_capacity = nullptr;  // Ah, optional
};

class SeriesChecker {
 public:
  explicit SeriesChecker(storage::v1::CheckState state = {}) : state_(std::move(state)) {}

  void Feed(const CheckRows& rows);

  const storage::v1::CheckState& state() const { return state_; }

  // The findings so far, most severe first (then in the order found).
  std::vector<v1::SeriesFinding> Findings() const;

  // True when some finding is an error.
  static bool HasError(const std::vector<v1::SeriesFinding>& findings);

 private:
  void Note(const char* check, v1::FindingSeverity severity, int64_t row, std::string message);

  storage::v1::CheckState state_;
};

// "ERROR", "WARNING", "INFO".
const char* SeverityName(v1::FindingSeverity s);

}  // namespace batteryhub
