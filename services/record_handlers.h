// The record handlers of the three kinds, for services that act on a
// record of any kind (policy, sync).
#pragma once

#include "services/record_handler.h"

namespace batteryhub {

struct RecordHandlers {
  explicit RecordHandlers(const HubContext& hub)
      : samples(hub), characterizations(hub), cell_tests(hub) {}

  // `fn(handler)` with the handler of `kind` (a record kind).
  template <typename Fn>
  auto Visit(storage::RecordKind kind, Fn&& fn) const {
    switch (kind) {
      case storage::v1::RECORD_KIND_SAMPLE: return fn(samples);
      case storage::v1::RECORD_KIND_CHARACTERIZATION: return fn(characterizations);
      default: return fn(cell_tests);
    }
  }

  RecordHandler<SampleTraits> samples;
  RecordHandler<CharacterizationTraits> characterizations;
  RecordHandler<CellTestTraits> cell_tests;
};

}  // namespace batteryhub
