#include "core/record_kinds.h"

#include "batteryhub/v1/policy_service.pb.h"

#include "absl/strings/str_cat.h"

namespace batteryhub {
namespace {

void AddCellSpecReferences(const ::batteryhub::v1::CellSpec& cell,
                           std::vector<SampleReference>* refs) {
  if (!cell.positive_electrode().empty()) {
    refs->push_back({"cell.positive_electrode", cell.positive_electrode(),
                     ::batteryhub::v1::SAMPLE_KIND_ELECTRODE});
  }
  if (!cell.negative_electrode().empty()) {
    refs->push_back({"cell.negative_electrode", cell.negative_electrode(),
                     ::batteryhub::v1::SAMPLE_KIND_ELECTRODE});
  }
}

}  // namespace

std::vector<SampleReference> SampleTraits::References(const Resource& r) {
  std::vector<SampleReference> refs;
  for (int i = 0; i < r.derived_from_size(); ++i) {
    refs.push_back({absl::StrCat("derived_from[", i, "]"), r.derived_from(i)});
  }
  if (r.has_cell()) AddCellSpecReferences(r.cell(), &refs);
  return refs;
}

std::vector<SampleReference> CharacterizationTraits::References(const Resource& r) {
  return {{"sample", r.sample()}};
}

std::vector<SampleReference> CellTestTraits::References(const Resource& r) {
  std::vector<SampleReference> refs;
  if (!r.cell_sample().empty()) {
    refs.push_back({"cell_sample", r.cell_sample(), ::batteryhub::v1::SAMPLE_KIND_CELL});
  }
  AddCellSpecReferences(r.cell(), &refs);
  return refs;
}

std::vector<IndexField> SampleTraits::IndexFields() {
  return {
      {1, "kind", false},
      {2, "material_lot.material_class", false},
      {3, "material_lot.material", false},
      {4, "material_lot.origin.country", false},
      {5, "material_lot.origin.mineral", false},
      {6, "cell.chemistry", false},
      {7, "cell.form_factor", false},
  };
}

std::vector<IndexField> CharacterizationTraits::IndexFields() {
  return {
      {1, "technique", false},
      {2, "sample", false},
      // Scalar results by name (`results.d50 < 12 um`), canonical units.
      {3, "results.d10", true},
      {4, "results.d50", true},
      {5, "results.d90", true},
      {6, "results.span", true},
      {7, "results.bet_surface_area", true},
      {8, "results.specific_surface_area", true},
  };
}

std::vector<IndexField> CellTestTraits::IndexFields() {
  return {
      {1, "cell.chemistry", false},
      {2, "cell.form_factor", false},
      {3, "protocol.temperature", true},
      {4, "protocol.charge_c_rate", true},
      {5, "protocol.discharge_c_rate", true},
      {6, "cell.nominal_capacity", true},
      {7, "summary.cycles_to_80_percent", true},
      {8, "state", false},
  };
}

namespace {

template <typename Traits>
RecordKindInfo DataKind() {
  using Resource = typename Traits::Resource;
  return {Traits::kKind,
          true,
          Traits::kCollection,
          Traits::kNoun,
          Traits::kIdField,
          &Resource::default_instance(),
          Traits::IndexFields(),
          [](google::protobuf::Message* r) {
            return Traits::Validate(static_cast<Resource*>(r));
          },
          [](const google::protobuf::Message& r) {
            return Traits::References(static_cast<const Resource&>(r));
          }};
}

RecordKindInfo PolicyObject(storage::v1::RecordKind kind, const char* noun,
                            const google::protobuf::Message& prototype) {
  return {kind, false, "", noun, "", &prototype, {}, nullptr, nullptr};
}

const std::vector<RecordKindInfo>& Table() {
  static const std::vector<RecordKindInfo> kRecordKinds = {
      DataKind<SampleTraits>(),
      DataKind<CharacterizationTraits>(),
      DataKind<CellTestTraits>(),
      PolicyObject(storage::v1::RECORD_KIND_AGREEMENT, "agreement",
                   ::batteryhub::v1::Agreement::default_instance()),
      PolicyObject(storage::v1::RECORD_KIND_ACCESS_DEFAULTS, "access defaults",
                   ::batteryhub::v1::AccessDefaults::default_instance()),
  };
  return kRecordKinds;
}

}  // namespace

absl::Span<const RecordKindInfo> RecordKinds() { return Table(); }

const RecordKindInfo* FindRecordKind(storage::v1::RecordKind kind) {
  for (const RecordKindInfo& info : Table()) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

const std::vector<storage::v1::RecordKind>& DataRecordKinds() {
  static const std::vector<storage::v1::RecordKind> kKinds = [] {
    std::vector<storage::v1::RecordKind> out;
    for (const RecordKindInfo& info : Table()) {
      if (info.data_record) out.push_back(info.kind);
    }
    return out;
  }();
  return kKinds;
}

bool IsDataRecordKind(storage::v1::RecordKind kind) {
  const RecordKindInfo* info = FindRecordKind(kind);
  return info != nullptr && info->data_record;
}

std::string CollectionList() {
  std::vector<std::string> names;
  for (const RecordKindInfo& info : Table()) {
    if (info.data_record) names.push_back(info.collection);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return out;
}

const RecordKindInfo* FindCollection(absl::string_view collection) {
  for (const RecordKindInfo& info : Table()) {
    if (info.data_record && collection == info.collection) return &info;
  }
  return nullptr;
}

}  // namespace batteryhub
