// The record handlers of the three kinds, for services that act on a
// record of any kind (policy, sync).
#pragma once

#include <type_traits>

#include "domain/record_handler.h"

namespace batteryhub {

struct RecordHandlers {
  explicit RecordHandlers(const HubContext& hub)
      : samples(hub), characterizations(hub), cell_tests(hub) {}

  // `fn(handler)` with the handler of `kind`, what it returns (OK when
  // `fn` returns nothing); INTERNAL for a kind no handler serves (a kind of
  // core/record_kinds.h without its handler here).
  template <typename Fn>
  auto Visit(storage::RecordKind kind, Fn&& fn) const {
    using R = decltype(fn(samples));
    std::conditional_t<std::is_void_v<R>, absl::Status, R> status = absl::InternalError(
        absl::StrCat("no record handler serves record kind ", static_cast<int>(kind)));
    auto one = [&](const auto& handler) {
      using Traits = typename std::decay_t<decltype(handler)>::TraitsType;
      if (Traits::kKind != kind) return;
      if constexpr (std::is_void_v<decltype(fn(handler))>) {
        fn(handler);
        status = absl::OkStatus();
      } else {
        status = fn(handler);
      }
    };
    one(samples);
    one(characterizations);
    one(cell_tests);
    return status;
  }

  RecordHandler<SampleTraits> samples;
  RecordHandler<CharacterizationTraits> characterizations;
  RecordHandler<CellTestTraits> cell_tests;
};

}  // namespace batteryhub
