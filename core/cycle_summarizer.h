// Per-cycle and per-test summaries of a cycler time series, computed by
// coulomb counting (trapezoidal integration of current and power over time).
// Incremental: Feed() continues from a saved state, and feeding a series in
// any number of pieces gives exactly the summaries of feeding it whole.
//
// Cycles: the file's cycle_count column when present; otherwise a new cycle
// starts when the current turns positive (charge) after a discharge.
#pragma once

#include <cstdint>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"
#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/series_service.pb.h"

namespace batteryhub {

inline constexpr const char* kSummaryDerivation = "batteryhub.coulomb-count/1";

struct SeriesRows {
  int64_t first_row = 0;  // series row of index 0
  size_t count = 0;
  const double* time = nullptr;         // s, required
  const double* current = nullptr;      // A, positive = charge, required
  const double* voltage = nullptr;      // V, required
  const double* cycle = nullptr;        // optional
  const double* temperature = nullptr;  // degC, optional
};

class CycleSummarizer {
 public:
  explicit CycleSummarizer(storage::v1::SummaryState state = {}) : state_(std::move(state)) {}

  // Adds rows; cycles that end inside them are appended to `closed`.
  void Feed(const SeriesRows& rows, std::vector<batteryhub::v1::CycleSummary>* closed);

  // The state to save; includes the cycle still open.
  const storage::v1::SummaryState& state() const { return state_; }

  // The open cycle, finished as it stands (for a test that may continue).
  bool HasOpenCycle() const { return state_.has_open(); }
  batteryhub::v1::CycleSummary OpenCycle() const;

  // Test-level figures from every cycle, in order.
  static batteryhub::v1::CellTestSummary TestSummary(
      const std::vector<batteryhub::v1::CycleSummary>& cycles);

 private:
  void StartCycle(int64_t cycle, int64_t row, double time);
  static void Finish(batteryhub::v1::CycleSummary* c);

  storage::v1::SummaryState state_;
};

}  // namespace batteryhub
