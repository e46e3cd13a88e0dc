#include "storage/index_terms.h"

#include "storage/keys.h"

namespace batteryhub::storage {

std::vector<std::string> IndexTerms(const batteryhub::storage::v1::StoredRecord& record) {
  std::vector<std::string> terms;
  terms.reserve(record.labels_size() + 2);
  for (const auto& [key, value] : record.labels()) {
    terms.push_back(LabelIndexKey(record.kind(), key, value, record.name()));
  }
  terms.push_back(
      TimeIndexKey(IndexTag::kCreateTime, record.kind(), record.create_time_micros(), record.name()));
  terms.push_back(
      TimeIndexKey(IndexTag::kUpdateTime, record.kind(), record.update_time_micros(), record.name()));
  for (const auto& value : record.indexed()) {
    terms.push_back(FieldIndexKey(record.kind(), value, record.name()));
  }
  for (const std::string& target : record.references()) {
    terms.push_back(ReferenceKey(target, record.kind(), record.name()));
  }
  return terms;
}

}  // namespace batteryhub::storage
