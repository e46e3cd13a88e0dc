#include "storage/index_schema.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/record_kinds.h"
#include "core/sha256.h"

namespace batteryhub::storage {

IndexSchema IndexSchema::Declared() {
  std::map<v1::RecordKind, std::vector<IndexField>> fields;
  for (const RecordKindInfo& info : RecordKinds()) {
    if (!info.index_fields.empty()) fields[info.kind] = info.index_fields;
  }
  return IndexSchema(std::move(fields));
}

void IndexSchema::Fill(v1::StoredRecord* record) const {
  record->clear_indexed();
  auto it = fields_.find(record->kind());
  const RecordKindInfo* info = FindRecordKind(record->kind());
  if (it == fields_.end() || info == nullptr) return;
  std::unique_ptr<google::protobuf::Message> resource(info->prototype->New());
  if (!resource->ParseFromString(record->resource())) return;
  for (auto& value : IndexedValues(it->second, *resource)) {
    *record->add_indexed() = std::move(value);
  }
}

std::string IndexSchema::Fingerprint() const {
  std::string text;
  for (const auto& [kind, fields] : fields_) {
    for (const IndexField& f : fields) {
      absl::StrAppend(&text, static_cast<int>(kind), " ", f.id, " ", f.path, " ",
                      f.is_number ? "number" : "text", "\n");
    }
  }
  return Sha256Hex(text);
}

}  // namespace batteryhub::storage
