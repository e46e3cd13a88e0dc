// The fields each kind of record is indexed on, as the store computes them
// from the record itself. The store fills StoredRecord.indexed at every
// commit and replica write, and keeps a fingerprint of the schema in meta
// ('x'): when the hub opens with another schema (a field was added), every
// current record is indexed again from its resource, so old records are
// found by equality filters and order_by on the new field.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"
#include "core/index_fields.h"

namespace batteryhub::storage {

class IndexSchema {
 public:
  // The fields each kind declares (core/record_kinds.h).
  static IndexSchema Declared();
  // Only these fields, by kind (tests: a data directory of an earlier
  // release that indexed fewer fields).
  explicit IndexSchema(std::map<v1::RecordKind, std::vector<IndexField>> fields)
      : fields_(std::move(fields)) {}

  // Replaces record->indexed with the values its resource has for the
  // fields of its kind. Bytes that do not parse as the kind's resource are
  // indexed on no field (no reader can be shown them either).
  void Fill(v1::StoredRecord* record) const;

  // Changes whenever a field is added, removed or changes type or path.
  std::string Fingerprint() const;

 private:
  std::map<v1::RecordKind, std::vector<IndexField>> fields_;
};

}  // namespace batteryhub::storage
