#include "core/index_fields.h"

#include <google/protobuf/descriptor.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "core/field_paths.h"
#include "core/record_kinds.h"

namespace batteryhub {

const std::vector<IndexField>& IndexFieldsOf(storage::v1::RecordKind kind) {
  static const std::vector<IndexField> kNone;
  const RecordKindInfo* info = FindRecordKind(kind);
  return info == nullptr ? kNone : info->index_fields;
}

const IndexField* FindIndexField(storage::v1::RecordKind kind, const std::string& path) {
  for (const IndexField& f : IndexFieldsOf(kind)) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

std::vector<storage::v1::IndexedValue> IndexedValues(const std::vector<IndexField>& fields,
                                                     const google::protobuf::Message& resource) {
  std::vector<storage::v1::IndexedValue> out;
  for (const IndexField& f : fields) {
    const std::vector<std::string> path = absl::StrSplit(f.path, '.');
    bool any = false;
    for (const PathValue& v : ValuesAtPath(resource, path)) {
      if (v.is_number != f.is_number) continue;
      if (!v.is_number && v.text.empty()) continue;
      storage::v1::IndexedValue iv;
      iv.set_field(f.id);
      if (v.is_number) iv.set_number(v.number == 0 ? 0.0 : v.number);  // -0 sorts as +0
      else iv.set_text(v.text);
      out.push_back(std::move(iv));
      any = true;
    }
    if (!any) {
      storage::v1::IndexedValue iv;
      iv.set_field(f.id);
      iv.set_missing(true);
      out.push_back(std::move(iv));
    }
  }
  return out;
}

std::optional<storage::v1::IndexedValue> IndexLiteral(const google::protobuf::Descriptor* d,
                                                      const IndexField& field,
                                                      const std::string& literal) {
  if (literal.empty() || literal.back() == '*') return std::nullopt;
  const google::protobuf::FieldDescriptor* f = nullptr;
  bool keyed = false;  // results.d50: a named quantity, a number
  for (absl::string_view part : absl::StrSplit(field.path, '.')) {
    if (d == nullptr) return std::nullopt;
    const google::protobuf::FieldDescriptor* next = d->FindFieldByName(std::string(part));
    if (next == nullptr && f != nullptr && f->is_repeated() && IsNamedQuantity(d)) {
      keyed = true;
      break;
    }
    f = next;
    if (f == nullptr) return std::nullopt;
    d = f->message_type();
  }
  if (keyed && !field.is_number) return std::nullopt;
  storage::v1::IndexedValue v;
  v.set_field(field.id);
  if (field.is_number) {
    double number;
    if (!absl::SimpleAtod(literal, &number) || std::isnan(number)) return std::nullopt;
    v.set_number(number == 0 ? 0.0 : number);
    return v;
  }
  if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
    const google::protobuf::EnumDescriptor* e = f->enum_type();
    if (e->FindValueByName(literal) != nullptr) {
      v.set_text(literal);
      return v;
    }
    // Without its prefix: usable only when one value ends that way (the
    // filter matches every value that does).
    int found = -1;
    for (int k = 0; k < e->value_count(); ++k) {
      if (absl::EndsWith(e->value(k)->name(), "_" + literal)) {
        if (found >= 0) return std::nullopt;
        found = k;
      }
    }
    if (found < 0) return std::nullopt;
    v.set_text(e->value(found)->name());
    return v;
  }
  v.set_text(literal);
  return v;
}

}  // namespace batteryhub
