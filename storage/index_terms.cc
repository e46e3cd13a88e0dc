#include "storage/index_terms.h"

#include <google/protobuf/util/time_util.h>

#include "batteryhub/v1/cell_test.pb.h"
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
  for (const std::string& sha256 : RawFilesOf(record)) {
    terms.push_back(BlobReferenceKey(sha256, record.kind(), record.name()));
  }
  if (!record.origin_hub().empty()) return terms;  // replicas are never sent on
  // When the record may open to more readers by itself (change feed).
  using google::protobuf::util::TimeUtil;
  const auto& access = record.access();
  auto opens = [&](int64_t micros) {
    if (micros > 0) terms.push_back(OpeningKey(micros, record.kind(), record.name()));
  };
  for (const auto& grant : access.grants()) {
    if (grant.has_start_time()) opens(TimeUtil::TimestampToMicroseconds(grant.start_time()));
  }
  if (access.has_release()) opens(TimeUtil::TimestampToMicroseconds(access.release().time()));
  for (int64_t micros : record.opens_micros()) opens(micros);
  for (const std::string& agreement : access.agreements()) {
    terms.push_back(AgreementRecordKey(agreement, record.kind(), record.name()));
  }
  return terms;
}

std::vector<std::string> RawFilesOf(const batteryhub::storage::v1::StoredRecord& record) {
  std::vector<std::string> files;
  if (record.kind() != v1::RECORD_KIND_CELL_TEST) return files;
  batteryhub::v1::CellTest test;
  if (!test.ParseFromString(record.resource())) return files;
  for (const auto& source : test.series().sources()) {
    if (!source.sha256().empty()) files.push_back(source.sha256());
  }
  return files;
}

}  // namespace batteryhub::storage
