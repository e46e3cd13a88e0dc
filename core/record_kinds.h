// The record kinds of the hub, each declared once (DESIGN.md section 4):
// its resource message, collection id, noun, id field, validation, the
// samples it references and the fields it is indexed on. Everything that
// acts on "a record of some kind" (the record handler, policy, lineage, the
// sync, the ledger verifier, the index, the CLI) asks this table; nothing
// guesses a kind it does not know.
//
// Adding a kind: its proto, a Traits struct here, its line in kRecordKinds
// (record_kinds.cc), its validation (core/validation.h), and its gRPC
// service (services/record_services.h).
#pragma once

#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "batteryhub/storage/v1/stored.pb.h"
#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "core/index_fields.h"
#include "core/validation.h"

namespace batteryhub {

// A reference from a record to a sample, checked to exist and be visible.
struct SampleReference {
  std::string field;
  std::string name;
  // When set, the referenced sample must be of this kind.
  ::batteryhub::v1::SampleKind required_kind = ::batteryhub::v1::SAMPLE_KIND_UNSPECIFIED;
};

// The typed face of a kind, for the templates (RecordHandler<Traits>).
struct SampleTraits {
  using Resource = ::batteryhub::v1::Sample;
  static constexpr storage::v1::RecordKind kKind = storage::v1::RECORD_KIND_SAMPLE;
  static constexpr const char* kCollection = "samples";
  static constexpr const char* kNoun = "sample";
  static constexpr const char* kIdField = "sample_id";
  static absl::Status Validate(Resource* r) { return ValidateSample(r); }
  static std::vector<SampleReference> References(const Resource& r);
  // Field ids are on disk (index keys): DO NOT CHANGE them; add fields with
  // new ids (existing records are indexed on them when the hub opens).
  static std::vector<IndexField> IndexFields();
};

struct CharacterizationTraits {
  using Resource = ::batteryhub::v1::Characterization;
  static constexpr storage::v1::RecordKind kKind = storage::v1::RECORD_KIND_CHARACTERIZATION;
  static constexpr const char* kCollection = "characterizations";
  static constexpr const char* kNoun = "characterization";
  static constexpr const char* kIdField = "characterization_id";
  static absl::Status Validate(Resource* r) { return ValidateCharacterization(r); }
  static std::vector<SampleReference> References(const Resource& r);
  static std::vector<IndexField> IndexFields();
};

struct CellTestTraits {
  using Resource = ::batteryhub::v1::CellTest;
  static constexpr storage::v1::RecordKind kKind = storage::v1::RECORD_KIND_CELL_TEST;
  static constexpr const char* kCollection = "cellTests";
  static constexpr const char* kNoun = "cell test";
  static constexpr const char* kIdField = "cell_test_id";
  static absl::Status Validate(Resource* r) { return ValidateCellTest(r); }
  static std::vector<SampleReference> References(const Resource& r);
  static std::vector<IndexField> IndexFields();
};

// One kind, as code that does not know its type sees it.
struct RecordKindInfo {
  storage::v1::RecordKind kind;
  // Data records have names institutions/{i}/{collection}/{id}; policy
  // objects (agreements, access defaults) are committed like records but
  // are not listed, filtered or replicated as data.
  bool data_record;
  const char* collection;  // data records
  const char* noun;
  const char* id_field;  // data records
  // The resource's default instance: its descriptor, New() to parse one.
  const google::protobuf::Message* prototype;
  std::vector<IndexField> index_fields;
  // Validates (and normalises) a resource of this kind; data records.
  absl::Status (*validate)(google::protobuf::Message* resource);
  std::vector<SampleReference> (*references)(const google::protobuf::Message& resource);

  const google::protobuf::Descriptor* descriptor() const { return prototype->GetDescriptor(); }
};

// Every kind, data records first, in RecordKind order.
absl::Span<const RecordKindInfo> RecordKinds();
// The kind `kind`, or null for a value no kind has.
const RecordKindInfo* FindRecordKind(storage::v1::RecordKind kind);
// The data-record kind whose collection is `collection` ("samples", ...).
const RecordKindInfo* FindCollection(absl::string_view collection);

// The kinds of data records, in RecordKind order.
const std::vector<storage::v1::RecordKind>& DataRecordKinds();
// True for a kind of data record.
bool IsDataRecordKind(storage::v1::RecordKind kind);
// The collections of data records, for messages: "samples, characterizations or cellTests".
std::string CollectionList();

// The kind of a collection ("samples", ...); nullopt for anything else.
inline std::optional<storage::v1::RecordKind> KindOfCollection(absl::string_view collection) {
  const RecordKindInfo* info = FindCollection(collection);
  if (info == nullptr) return std::nullopt;
  return info->kind;
}

}  // namespace batteryhub
