#include "core/field_paths.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"

namespace batteryhub {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {
constexpr const char* kQuantity = "batteryhub.v1.Quantity";
constexpr const char* kTimestamp = "google.protobuf.Timestamp";
}  // namespace

bool IsLeafMessage(const Descriptor* d) {
  return d->full_name() == kQuantity || d->full_name() == kTimestamp;
}

bool IsNamedQuantity(const Descriptor* d) {
  const FieldDescriptor* name = d->FindFieldByName("name");
  const FieldDescriptor* value = d->FindFieldByName("value");
  return name != nullptr && value != nullptr && name->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
         !name->is_repeated() && value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         value->message_type()->full_name() == kQuantity;
}

namespace {

FieldValue FromMessage(const Message& m) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  if (d->full_name() == kQuantity) {
    FieldValue v(FieldValue::Type::kNumber, "", r->GetDouble(m, d->FindFieldByName("value")));
    v.unit = r->GetString(m, d->FindFieldByName("unit"));
    return v;
  }
  const auto& ts = static_cast<const google::protobuf::Timestamp&>(m);
  return FieldValue(FieldValue::Type::kNumber, "", static_cast<double>(ts.seconds()) + ts.nanos() * 1e-9);
}

FieldValue FromScalar(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return FieldValue(FieldValue::Type::kString, rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return FieldValue(FieldValue::Type::kNumber, "", rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return FieldValue(FieldValue::Type::kNumber, "", rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_INT32:
      return FieldValue(FieldValue::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f)));
    case FieldDescriptor::CPPTYPE_INT64:
      return FieldValue(FieldValue::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f)));
    case FieldDescriptor::CPPTYPE_UINT32:
      return FieldValue(FieldValue::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f)));
    case FieldDescriptor::CPPTYPE_UINT64:
      return FieldValue(FieldValue::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f)));
    case FieldDescriptor::CPPTYPE_BOOL:
      return FieldValue(FieldValue::Type::kBool, "", (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? 1.0 : 0.0);
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f);
      return FieldValue(FieldValue::Type::kEnum, e->name(), static_cast<double>(e->number()), f->enum_type());
    }
    default:
      return FieldValue(FieldValue::Type::kPresence);
  }
}

// Collects the values at path[i..] of `m`.
void Collect(const Message& m, const std::vector<std::string>& path, size_t i, std::vector<FieldValue>* out) {
  const Descriptor* d = m.GetDescriptor();
  const FieldDescriptor* f = d->FindFieldByName(path[i]);
  if (f == nullptr) return;
  const Reflection* r = m.GetReflection();
  const bool last = i + 1 == path.size();
  if (f->is_map()) {
    const FieldDescriptor* key = f->message_type()->FindFieldByName("key");
    const FieldDescriptor* value = f->message_type()->FindFieldByName("value");
    for (int k = 0; k < r->FieldSize(m, f); ++k) {
      const Message& entry = r->GetRepeatedMessage(m, f, k);
      const std::string entry_key = entry.GetReflection()->GetString(entry, key);
      if (last) {
        out->push_back(FieldValue(FieldValue::Type::kString, entry_key));  // labels:key
      } else if (i + 2 == path.size() && entry_key == path[i + 1]) {
        out->push_back(FieldValue(FieldValue::Type::kString, entry.GetReflection()->GetString(entry, value)));
      }
    }
    return;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && f->is_repeated() && i + 2 == path.size() &&
      IsNamedQuantity(f->message_type()) && f->message_type()->FindFieldByName(path[i + 1]) == nullptr) {
    // results.d50: the value of each element named d50.
    const Descriptor* e = f->message_type();
    for (int k = 0; k < r->FieldSize(m, f); ++k) {
      const Message& sub = r->GetRepeatedMessage(m, f, k);
      const Reflection* sr = sub.GetReflection();
      if (sr->GetString(sub, e->FindFieldByName("name")) != path[i + 1]) continue;
      const FieldDescriptor* value = e->FindFieldByName("value");
      if (sr->HasField(sub, value)) out->push_back(FromMessage(sr->GetMessage(sub, value)));
    }
    return;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const int n = f->is_repeated() ? r->FieldSize(m, f) : (r->HasField(m, f) ? 1 : 0);
    for (int k = 0; k < n; ++k) {
      const Message& sub = f->is_repeated() ? r->GetRepeatedMessage(m, f, k) : r->GetMessage(m, f);
      if (last) {
        out->push_back(IsLeafMessage(f->message_type()) ? FromMessage(sub) : FieldValue(FieldValue::Type::kPresence));
      } else {
        Collect(sub, path, i + 1, out);
      }
    }
    return;
  }
  if (!last) return;
  if (f->is_repeated()) {
    for (int k = 0; k < r->FieldSize(m, f); ++k) out->push_back(FromScalar(m, f, k));
  } else {
    out->push_back(FromScalar(m, f, 0));
  }
}

}  // namespace

std::vector<FieldValue> FieldValuesAt(const Message& m, const std::vector<std::string>& path) {
  std::vector<FieldValue> out;
  if (!path.empty()) Collect(m, path, 0, &out);
  return out;
}

std::optional<double> ParseFilterTime(const std::string& text) {
  absl::Time t;
  std::string err;
  for (const char* layout : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%d"}) {
    if (absl::ParseTime(layout, text, absl::UTCTimeZone(), &t, &err)) {
      return absl::ToDoubleSeconds(t - absl::UnixEpoch());
    }
  }
  return std::nullopt;
}

std::vector<PathValue> ValuesAtPath(const Message& message, const std::vector<std::string>& path) {
  std::vector<FieldValue> values;
  if (!path.empty()) Collect(message, path, 0, &values);
  std::vector<PathValue> out;
  for (const FieldValue& v : values) {
    if (v.type == FieldValue::Type::kPresence) continue;
    PathValue pv;
    pv.is_number = v.type == FieldValue::Type::kNumber || v.type == FieldValue::Type::kBool;
    pv.text = v.text;
    pv.number = v.number;
    out.push_back(std::move(pv));
  }
  return out;
}

}  // namespace batteryhub
