#include "services/record_traits.h"

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

}  // namespace batteryhub
