#include "query/list_plan.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"
#include "core/field_paths.h"

namespace batteryhub::query_plan {

using storage::IndexTag;
using storage::StoredRecord;

absl::StatusOr<Order> ParseOrderBy(storage::RecordKind kind, absl::string_view order_by) {
  std::vector<std::string> words = absl::StrSplit(order_by, ' ', absl::SkipWhitespace());
  if (words.size() > 2 || (words.size() == 2 && words[1] != "desc" && words[1] != "asc") ||
      (!words.empty() && absl::StrContains(words[0], ','))) {
    return InvalidField("order_by", "expected one field, optionally followed by 'asc' or 'desc'");
  }
  Order o;
  o.descending = words.size() == 2 && words[1] == "desc";
  const std::string field = words.empty() ? "name" : words[0];
  if (field == "name") return o;
  o.by_name = false;
  if (field == "create_time" || field == "update_time") {
    o.time_tag = field == "create_time" ? IndexTag::kCreateTime : IndexTag::kUpdateTime;
    o.index_prefix = storage::IndexPrefix(o.time_tag, kind);
    return o;
  }
  o.field = FindIndexField(kind, field);
  if (o.field == nullptr) {
    return InvalidField("order_by", absl::StrCat("cannot order by '", field, "': expected one of ",
                                                 absl::StrJoin(OrderableFields(kind), ", ")));
  }
  o.index_prefix = storage::FieldIndexPrefix(kind, o.field->id);
  return o;
}

std::string OrderKey(storage::RecordKind kind, const StoredRecord& r, const Order& o) {
  if (o.field == nullptr) {
    return storage::TimeIndexKey(
        o.time_tag, kind,
        o.time_tag == IndexTag::kCreateTime ? r.create_time_micros() : r.update_time_micros(),
        r.name());
  }
  std::string best;
  for (const auto& v : r.indexed()) {
    if (v.field() != o.field->id) continue;
    std::string k = storage::FieldIndexKey(kind, v, r.name());
    if (best.empty() || (o.descending ? k > best : k < best)) best = std::move(k);
  }
  if (best.empty()) {
    storage::v1::IndexedValue missing;
    missing.set_field(o.field->id);
    missing.set_missing(true);
    best = storage::FieldIndexKey(kind, missing, r.name());
  }
  return best;
}



bool Passes(const RecordCheck& c, const StoredRecord& r) {
  if (c.is_label) {
    auto it = r.labels().find(c.label_key);
    return it != r.labels().end() && it->second == c.label_value;
  }
  for (const auto& v : r.indexed()) {
    if (v.field() != c.value.field() || v.missing()) continue;
    if (!c.value.text().empty()) {
      if (v.text() == c.value.text()) return true;
      continue;
    }
    const double x = v.number(), lit = c.value.number();
    if ((c.op == "=" && x == lit) || (c.op == "<" && x < lit) || (c.op == "<=" && x <= lit) ||
        (c.op == ">" && x > lit) || (c.op == ">=" && x >= lit)) {
      return true;
    }
  }
  return false;
}


// Narrows `range` (within `section`) by `op` against the keys starting
// with `at` (a value's prefix).
namespace {

void NarrowRange(const std::string& section, const std::string& op, const std::string& at,
                 std::map<std::string, KeyRange>* ranges) {
  auto [it, inserted] = ranges->try_emplace(section, KeyRange{section, storage::PrefixEnd(section)});
  KeyRange& r = it->second;
  std::string lower = section, upper = storage::PrefixEnd(section);
  if (op == "=" || op == ">=") lower = at;
  if (op == ">") lower = storage::PrefixEnd(at);
  if (op == "=" || op == "<=") upper = storage::PrefixEnd(at);
  if (op == "<") upper = at;
  r.lower = std::max(r.lower, lower);
  r.upper = std::min(r.upper, upper);
}

std::string InstitutionPrefix(absl::string_view owner) {
  return absl::StrCat(absl::StartsWith(owner, "institutions/") ? "" : "institutions/", owner, "/");
}

}  // namespace

Narrowing Narrow(storage::RecordKind kind, const std::string& institution, const FilterNode* filter,
                 const google::protobuf::Descriptor* descriptor, const NameSets* sets) {
  Narrowing n;
  if (institution != "-") n.name_prefix = InstitutionPrefix(institution);
  const std::vector<TopLevelRestriction> terms = TopLevelRestrictions(filter);
  size_t decided = 0;  // terms whose checks below are exactly the filter's
  for (const TopLevelRestriction& r : terms) {
    if (r.op == "()") {
      if (sets != nullptr && sets->count(r.node)) {
        n.sets.push_back(&sets->at(r.node));
        ++decided;
      }
      continue;
    }
    const bool comparison = r.op == "=" || r.op == "<" || r.op == "<=" || r.op == ">" || r.op == ">=";
    const bool wildcard = !r.value.empty() && r.value.back() == '*';
    if (!comparison || wildcard) continue;
    if (r.path == "owner") {
      if (r.op != "=") continue;
      const std::string prefix = InstitutionPrefix(r.value);
      if (n.name_prefix.empty()) n.name_prefix = prefix;
      else if (n.name_prefix != prefix) n.nothing = true;
      ++decided;
    } else if (absl::StartsWith(r.path, "labels.")) {
      if (r.op != "=") continue;
      n.equalities.push_back(storage::LabelIndexPrefix(kind, r.path.substr(7), r.value));
      n.checks.push_back({true, r.path.substr(7), r.value, "=", {}});
      ++decided;
    } else if (r.path == "create_time" || r.path == "update_time") {
      std::optional<double> seconds = ParseFilterTime(r.value);
      if (!seconds) continue;
      const IndexTag tag = r.path == "create_time" ? IndexTag::kCreateTime : IndexTag::kUpdateTime;
      const std::string section = storage::IndexPrefix(tag, kind);
      // Whole microseconds around the literal: a superset, the filter decides.
      std::string low = section, high = section;
      storage::AppendI64(&low, static_cast<int64_t>(std::floor(*seconds * 1e6)));
      storage::AppendI64(&high, static_cast<int64_t>(std::ceil(*seconds * 1e6)));
      if (r.op != "<" && r.op != "<=") NarrowRange(section, ">=", low, &n.ranges);
      if (r.op != ">" && r.op != ">=") NarrowRange(section, "<=", high, &n.ranges);
    } else if (const IndexField* field = FindIndexField(kind, r.path)) {
      std::optional<storage::v1::IndexedValue> value = IndexLiteral(descriptor, *field, r.value);
      if (!value) continue;
      const std::string at = storage::FieldIndexValuePrefix(kind, field->id, *value);
      if (r.op == "=") {
        n.equalities.push_back(at);
      } else if (field->is_number) {
        std::string section = storage::FieldIndexPrefix(kind, field->id);
        section.push_back(storage::kFieldNumber);
        NarrowRange(section, r.op, at, &n.ranges);
      } else {
        continue;
      }
      n.checks.push_back({false, "", "", r.op, *value});
      // With a unit the filter decides too: the index holds numbers, not
      // their dimension (a length literal must not match an area).
      if (r.node == nullptr || r.node->unit.empty()) ++decided;
    }
  }
  n.exact = IsConjunction(filter) && decided == terms.size();
  for (const auto& [section, range] : n.ranges) {
    if (range.lower >= range.upper) n.nothing = true;
  }
  return n;
}

std::vector<std::string> OrderableFields(storage::RecordKind kind) {
  std::vector<std::string> out = {"name", "create_time", "update_time"};
  for (const IndexField& f : IndexFieldsOf(kind)) out.push_back(f.path);
  return out;
}

}  // namespace batteryhub::query_plan
