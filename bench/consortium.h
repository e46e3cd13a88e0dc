// A generated consortium for the query benchmark: samples (material lots,
// electrodes, cells), characterisations and cell tests across AIST, NEDO,
// LIBTEC and NRC, with skewed, field-like distributions (most tests at
// 25 degC, a few chemistries dominating, LFP outliving NMC811, ...), and one
// nickel lot, institutions/nrc/samples/lot-l7, with exactly 1000
// descendants (10 electrodes, 200 cells, 790 cell tests). Deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"

namespace batteryhub::bench {

struct GeneratedRecord {
  std::string institution;
  std::string id;
  // Exactly one is set, by kind.
  std::unique_ptr<v1::Sample> sample;
  std::unique_ptr<v1::Characterization> characterization;
  std::unique_ptr<v1::CellTest> cell_test;
  // Names of the records it references (all created before it).
  std::vector<std::string> references;
};

struct ConsortiumSize {
  int samples = 100000;
  int characterizations = 50000;
  int cell_tests = 50000;
};

inline constexpr const char* kLineageRoot = "institutions/nrc/samples/lot-l7";

// Records in creation order (references point backwards).
std::vector<GeneratedRecord> GenerateConsortium(const ConsortiumSize& size, uint64_t seed);

}  // namespace batteryhub::bench
