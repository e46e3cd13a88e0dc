// The fields each kind of record is indexed on, besides labels, times and
// references, as declared by its kind (core/record_kinds.h). Field ids are on
// disk (index keys): DO NOT CHANGE them; add new fields with new ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"

namespace google::protobuf {
class Descriptor;
class Message;
}

namespace batteryhub {

struct IndexField {
  uint32_t id;
  std::string path;  // dot-separated, as in filters
  bool is_number;
};

// The indexed fields of `kind`.
const std::vector<IndexField>& IndexFieldsOf(storage::v1::RecordKind kind);

// The field of `kind` indexed under `path`, or nullptr.
const IndexField* FindIndexField(storage::v1::RecordKind kind, const std::string& path);

// The values `resource` has for `fields` (a field it has no value for is
// `missing`). The store computes these (storage/index_schema.h).
std::vector<storage::v1::IndexedValue> IndexedValues(const std::vector<IndexField>& fields,
                                                     const google::protobuf::Message& resource);

// The index value a filter literal stands for on `field` of messages of
// `descriptor` (enum literals with or without prefix, numbers parsed), or
// nullopt when it cannot use the index (wildcards, bad literals).
std::optional<storage::v1::IndexedValue> IndexLiteral(const google::protobuf::Descriptor* descriptor,
                                                      const IndexField& field,
                                                      const std::string& literal);

}  // namespace batteryhub
