// CheckFilter and MatchesFilter: field paths resolved by protobuf reflection.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <cmath>
#include <cstdlib>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/errors.h"
#include "core/filter.h"

namespace batteryhub {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr const char* kQuantity = "batteryhub.v1.Quantity";
constexpr const char* kTimestamp = "google.protobuf.Timestamp";

// One value found at a path.
struct Value {
  enum class Type { kString, kNumber, kBool, kEnum, kPresence };
  explicit Value(Type t, std::string s = "", double n = 0,
                 const google::protobuf::EnumDescriptor* e = nullptr)
      : type(t), text(std::move(s)), number(n), enum_type(e) {}
  Type type;
  std::string text;  // string, enum name
  double number;
  const google::protobuf::EnumDescriptor* enum_type;
};

}  // namespace

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

namespace {

bool IsLeafMessage(const Descriptor* d) {
  return d->full_name() == kQuantity || d->full_name() == kTimestamp;
}

Value FromMessage(const Message& m) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  if (d->full_name() == kQuantity) {
    return Value(Value::Type::kNumber, "", r->GetDouble(m, d->FindFieldByName("value")));
  }
  const auto& ts = static_cast<const google::protobuf::Timestamp&>(m);
  return Value(Value::Type::kNumber, "", static_cast<double>(ts.seconds()) + ts.nanos() * 1e-9);
}

Value FromScalar(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return Value(Value::Type::kString, rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Value(Value::Type::kNumber, "", rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Value(Value::Type::kNumber, "", rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_INT32:
      return Value(Value::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f)));
    case FieldDescriptor::CPPTYPE_INT64:
      return Value(Value::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f)));
    case FieldDescriptor::CPPTYPE_UINT32:
      return Value(Value::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f)));
    case FieldDescriptor::CPPTYPE_UINT64:
      return Value(Value::Type::kNumber, "", static_cast<double>(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f)));
    case FieldDescriptor::CPPTYPE_BOOL:
      return Value(Value::Type::kBool, "", (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? 1.0 : 0.0);
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f);
      return Value(Value::Type::kEnum, e->name(), static_cast<double>(e->number()), f->enum_type());
    }
    default:
      return Value(Value::Type::kPresence);
  }
}

// Collects the values at path[i..] of `m`.
void Collect(const Message& m, const std::vector<std::string>& path, size_t i, std::vector<Value>* out) {
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
        out->push_back(Value(Value::Type::kString, entry_key));  // labels:key
      } else if (i + 2 == path.size() && entry_key == path[i + 1]) {
        out->push_back(Value(Value::Type::kString, entry.GetReflection()->GetString(entry, value)));
      }
    }
    return;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const int n = f->is_repeated() ? r->FieldSize(m, f) : (r->HasField(m, f) ? 1 : 0);
    for (int k = 0; k < n; ++k) {
      const Message& sub = f->is_repeated() ? r->GetRepeatedMessage(m, f, k) : r->GetMessage(m, f);
      if (last) {
        out->push_back(IsLeafMessage(f->message_type()) ? FromMessage(sub) : Value(Value::Type::kPresence));
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

bool EnumMatches(const Value& v, const std::string& literal) {
  if (v.text == literal) return true;
  // Without the enum's prefix: CELL for SAMPLE_KIND_CELL.
  return absl::EndsWith(v.text, "_" + literal) && v.enum_type != nullptr &&
         v.enum_type->FindValueByName(v.text) != nullptr &&
         v.text.size() > literal.size() &&
         v.enum_type->FindValueByName(v.text.substr(0, v.text.size() - literal.size() - 1) + "_" + literal) != nullptr;
}

int Compare(const Value& v, const FilterNode& n, bool* comparable) {
  *comparable = true;
  switch (v.type) {
    case Value::Type::kNumber: {
      double lit;
      if (!absl::SimpleAtod(n.value, &lit)) {
        std::optional<double> t = ParseFilterTime(n.value);
        if (!t) {
          *comparable = false;
          return 0;
        }
        lit = *t;
      }
      return v.number < lit ? -1 : (v.number > lit ? 1 : 0);
    }
    case Value::Type::kBool: {
      const double lit = n.value == "true" ? 1 : 0;
      return v.number < lit ? -1 : (v.number > lit ? 1 : 0);
    }
    case Value::Type::kEnum:
      return EnumMatches(v, n.value) ? 0 : (v.text < n.value ? -1 : 1);
    case Value::Type::kString: {
      std::string lit = n.value;
      if (n.path.size() == 1 && n.path[0] == "owner" && !absl::StartsWith(lit, "institutions/")) {
        lit = "institutions/" + lit;
      }
      if (n.op == "=" || n.op == "!=") {
        if (!lit.empty() && lit.back() == '*') {
          return absl::StartsWith(v.text, lit.substr(0, lit.size() - 1)) ? 0 : 1;
        }
      }
      return v.text.compare(lit) < 0 ? -1 : (v.text == lit ? 0 : 1);
    }
    case Value::Type::kPresence:
      *comparable = false;
      return 0;
  }
  return 0;
}

bool MatchRestriction(const FilterNode& n, const Message& m) {
  std::vector<Value> values;
  Collect(m, n.path, 0, &values);
  if (n.op == ":") {
    if (n.value == "*") {
      for (const Value& v : values) {
        if (v.type == Value::Type::kPresence || !v.text.empty() || v.number != 0) return true;
      }
      return false;
    }
  }
  if (n.op == "!=") {
    for (const Value& v : values) {
      bool comparable;
      if (Compare(v, n, &comparable) == 0 && comparable) return false;
    }
    return true;
  }
  for (const Value& v : values) {
    bool comparable;
    const int c = Compare(v, n, &comparable);
    if (!comparable) continue;
    if ((n.op == "=" || n.op == ":") && c == 0) return true;
    if (n.op == "<" && c < 0) return true;
    if (n.op == "<=" && c <= 0) return true;
    if (n.op == ">" && c > 0) return true;
    if (n.op == ">=" && c >= 0) return true;
  }
  return false;
}

absl::Status PathError(const FilterNode& n, absl::string_view what) {
  return InvalidField("filter", absl::StrCat("column ", n.column, ": ", what), "filter");
}

absl::Status CheckRestriction(const FilterNode& n, const Descriptor* d) {
  for (size_t i = 0; i < n.path.size(); ++i) {
    const FieldDescriptor* f = d->FindFieldByName(n.path[i]);
    if (f == nullptr) {
      return PathError(n, absl::StrCat("'", n.path[i], "' is not a field of ", d->name()));
    }
    const bool last = i + 1 == n.path.size();
    if (f->is_map()) {
      if (i + 2 < n.path.size()) return PathError(n, "a map key ends the path (labels.project)");
      return absl::OkStatus();
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (last) {
        if (IsLeafMessage(f->message_type())) {
          double lit;
          if (n.value != "*" && !absl::SimpleAtod(n.value, &lit) && !ParseFilterTime(n.value)) {
            return PathError(n, absl::StrCat("'", n.value, "' is not a number or an RFC 3339 time"));
          }
        } else if (!(n.op == ":" && n.value == "*")) {
          return PathError(n, absl::StrCat("'", n.path[i], "' is a message: compare one of its fields"));
        }
        return absl::OkStatus();
      }
      if (IsLeafMessage(f->message_type())) return PathError(n, absl::StrCat("'", n.path[i], "' has no subfields here"));
      d = f->message_type();
      continue;
    }
    if (!last) return PathError(n, absl::StrCat("'", n.path[i], "' has no subfields"));
    if (n.op == ":" && n.value == "*") return absl::OkStatus();
    double lit;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_ENUM: {
        bool known = f->enum_type()->FindValueByName(n.value) != nullptr;
        for (int k = 0; !known && k < f->enum_type()->value_count(); ++k) {
          known = absl::EndsWith(f->enum_type()->value(k)->name(), "_" + n.value);
        }
        if (!known) return PathError(n, absl::StrCat("'", n.value, "' is not a value of ", f->enum_type()->name()));
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        if (n.value != "true" && n.value != "false") return PathError(n, "expected true or false");
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        break;
      default:
        if (!absl::SimpleAtod(n.value, &lit)) {
          return PathError(n, absl::StrCat("'", n.value, "' is not a number"));
        }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<PathValue> ValuesAtPath(const Message& message, const std::vector<std::string>& path) {
  std::vector<Value> values;
  if (!path.empty()) Collect(message, path, 0, &values);
  std::vector<PathValue> out;
  for (const Value& v : values) {
    if (v.type == Value::Type::kPresence) continue;
    PathValue pv;
    pv.is_number = v.type == Value::Type::kNumber || v.type == Value::Type::kBool;
    pv.text = v.text;
    pv.number = v.number;
    out.push_back(std::move(pv));
  }
  return out;
}

absl::Status CheckFilter(const FilterNode& node, const Descriptor* descriptor) {
  if (node.kind == FilterNode::Kind::kRestriction) return CheckRestriction(node, descriptor);
  if (node.kind == FilterNode::Kind::kFunction) {
    if (node.path[0] != "descends_from") {
      return PathError(node, absl::StrCat("unknown function '", node.path[0],
                                          "': expected descends_from(\"record name\")"));
    }
    return absl::OkStatus();
  }
  for (const auto& child : node.children) {
    absl::Status s = CheckFilter(*child, descriptor);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

bool MatchesFilter(const FilterNode* node, const Message& message, const FilterFunction& functions) {
  if (node == nullptr) return true;
  switch (node->kind) {
    case FilterNode::Kind::kAnd:
      for (const auto& child : node->children) {
        if (!MatchesFilter(child.get(), message, functions)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const auto& child : node->children) {
        if (MatchesFilter(child.get(), message, functions)) return true;
      }
      return false;
    case FilterNode::Kind::kNot:
      return !MatchesFilter(node->children[0].get(), message, functions);
    case FilterNode::Kind::kRestriction:
      return MatchRestriction(*node, message);
    case FilterNode::Kind::kFunction:
      return functions && functions(*node, message);
  }
  return false;
}

}  // namespace batteryhub
