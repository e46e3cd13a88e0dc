// CheckFilter and MatchesFilter over the values at field paths (core/field_paths.h).
#include <google/protobuf/descriptor.h>

#include <cmath>
#include <cstdlib>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/field_paths.h"
#include "core/units.h"
#include "query/filter.h"

namespace batteryhub {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

using Value = FieldValue;

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
      // A literal with a unit compares only quantities of its dimension.
      if (!n.unit.empty() && !v.unit.empty()) {
        std::optional<UnitInfo> a = LookupUnit(n.unit), b = LookupUnit(v.unit);
        if (!a || !b || a->dimension != b->dimension) {
          *comparable = false;
          return 0;
        }
      }
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
  const std::vector<Value> values = FieldValuesAt(m, n.path);
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
      if (f->is_repeated() && IsNamedQuantity(f->message_type()) && i + 2 == n.path.size() &&
          f->message_type()->FindFieldByName(n.path[i + 1]) == nullptr) {
        // results.d50: a number (with or without a unit).
        double lit;
        if (n.value != "*" && !absl::SimpleAtod(n.value, &lit)) {
          return PathError(n, absl::StrCat("'", n.value, "' is not a number (a unit may follow: 12 um)"));
        }
        return absl::OkStatus();
      }
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
