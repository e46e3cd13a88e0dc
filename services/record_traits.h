// What differs between the three kinds of record; everything else is shared
// by RecordHandler.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "core/validation.h"
#include "storage/keys.h"

namespace batteryhub {

// A reference from a record to a sample, checked to exist and be visible.
struct SampleReference {
  std::string field;
  std::string name;
  // When set, the referenced sample must be of this kind.
  ::batteryhub::v1::SampleKind required_kind = ::batteryhub::v1::SAMPLE_KIND_UNSPECIFIED;
};

struct SampleTraits {
  using Resource = ::batteryhub::v1::Sample;
  static constexpr storage::RecordKind kKind = storage::v1::RECORD_KIND_SAMPLE;
  static constexpr const char* kCollection = "samples";
  static constexpr const char* kNoun = "sample";
  static constexpr const char* kIdField = "sample_id";
  static absl::Status Validate(Resource* r) { return ValidateSample(r); }
  static std::vector<SampleReference> References(const Resource& r);
};

struct CharacterizationTraits {
  using Resource = ::batteryhub::v1::Characterization;
  static constexpr storage::RecordKind kKind = storage::v1::RECORD_KIND_CHARACTERIZATION;
  static constexpr const char* kCollection = "characterizations";
  static constexpr const char* kNoun = "characterization";
  static constexpr const char* kIdField = "characterization_id";
  static absl::Status Validate(Resource* r) { return ValidateCharacterization(r); }
  static std::vector<SampleReference> References(const Resource& r);
};

struct CellTestTraits {
  using Resource = ::batteryhub::v1::CellTest;
  static constexpr storage::RecordKind kKind = storage::v1::RECORD_KIND_CELL_TEST;
  static constexpr const char* kCollection = "cellTests";
  static constexpr const char* kNoun = "cell test";
  static constexpr const char* kIdField = "cell_test_id";
  static absl::Status Validate(Resource* r) { return ValidateCellTest(r); }
  static std::vector<SampleReference> References(const Resource& r);
};

// The collections of data records and their kinds, in one table.
inline constexpr std::pair<const char*, storage::RecordKind> kCollectionKinds[] = {
    {SampleTraits::kCollection, SampleTraits::kKind},
    {CharacterizationTraits::kCollection, CharacterizationTraits::kKind},
    {CellTestTraits::kCollection, CellTestTraits::kKind}};

// The kind of a collection ("samples", ...); nullopt for anything else.
inline std::optional<storage::RecordKind> KindOfCollection(absl::string_view collection) {
  for (const auto& [name, kind] : kCollectionKinds) {
    if (collection == name) return kind;
  }
  return std::nullopt;
}

}  // namespace batteryhub
