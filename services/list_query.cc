#include "services/list_query.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "core/index_fields.h"
#include "core/status_macros.h"

namespace batteryhub {
namespace {

using storage::ScanOptions;
using storage::ScanSource;
using storage::StoredRecord;

constexpr size_t kFingerprintBytes = 16;

absl::StatusOr<ScanOptions> ParseOrderBy(absl::string_view order_by) {
  ScanOptions o;
  std::vector<std::string> words = absl::StrSplit(order_by, ' ', absl::SkipWhitespace());
  if (words.size() > 2 || (words.size() == 2 && words[1] != "desc" && words[1] != "asc")) {
    return InvalidField("order_by", "expected a field optionally followed by 'desc'");
  }
  const std::string field = words.empty() ? "name" : words[0];
  o.descending = words.size() == 2 && words[1] == "desc";
  if (field == "name") o.source = ScanSource::kByName;
  else if (field == "create_time") o.source = ScanSource::kByCreateTime;
  else if (field == "update_time") o.source = ScanSource::kByUpdateTime;
  else return InvalidField("order_by", "expected name, create_time or update_time");
  return o;
}

// Picks the narrowest scan for a name-ordered List: the equality on an
// indexed field or label with the fewest index keys (counted up to a cap),
// else the owner's key range, else the whole kind.
absl::Status Plan(const storage::RecordStore& store, storage::RecordKind kind,
                  const FilterNode* filter, const google::protobuf::Descriptor* descriptor,
                  std::string* owner, ScanOptions* scan) {
  constexpr uint64_t kCountCap = 100000;
  uint64_t best = kCountCap + 1;
  for (const TopLevelRestriction& r : TopLevelRestrictions(filter)) {
    if (r.op != "=") continue;
    if (r.path == "owner") {
      if (owner->empty()) *owner = absl::StartsWith(r.value, "institutions/") ? r.value.substr(13) : r.value;
      continue;
    }
    std::string prefix;
    ScanSource source;
    if (absl::StartsWith(r.path, "labels.")) {
      if (!r.value.empty() && r.value.back() == '*') continue;
      prefix = storage::LabelIndexPrefix(kind, r.path.substr(7), r.value);
      source = ScanSource::kByLabel;
    } else if (const IndexField* field = FindIndexField(kind, r.path)) {
      std::optional<storage::v1::IndexedValue> value = IndexLiteral(descriptor, *field, r.value);
      if (!value) continue;
      prefix = storage::FieldIndexValuePrefix(kind, field->id, *value);
      source = ScanSource::kByField;
    } else {
      continue;
    }
    ASSIGN_OR_RETURN(uint64_t count, store.CountIndexKeys(prefix, kCountCap));
    if (count < best) {
      best = count;
      scan->source = source;
      scan->prefix = prefix;
    }
  }
  if (scan->prefix.empty() && !owner->empty()) {
    scan->prefix = storage::RecordPrefix(kind);
    storage::AppendStrPrefix(&scan->prefix, absl::StrCat("institutions/", *owner, "/"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string EncodePageToken(absl::string_view fingerprint, absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(fingerprint.substr(0, kFingerprintBytes), position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view fingerprint) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < kFingerprintBytes ||
      raw.substr(0, kFingerprintBytes) != fingerprint.substr(0, kFingerprintBytes)) {
    return InvalidField("page_token",
                    "not a token of this query: repeat the request that produced it unchanged");
  }
  return raw.substr(kFingerprintBytes);
}

absl::StatusOr<ListPage> RunListQuery(
    const storage::RecordStore& store, const PolicyEngine& policy, const Principal& caller,
    storage::RecordKind kind, const ListQuery& q, int max_page_size, const FilterNode* filter,
    const std::function<bool(const StoredRecord&)>& matches,
    const google::protobuf::Descriptor* descriptor) {
  if (q.page_size < 0) return InvalidField("page_size", "must be >= 0");
  const int page_size = q.page_size == 0 ? kDefaultPageSize : std::min(q.page_size, max_page_size);
  ASSIGN_OR_RETURN(ScanOptions scan, ParseOrderBy(q.order_by));
  std::string owner = q.institution == "-" ? "" : q.institution;
  const std::string fingerprint = Sha256Bytes(absl::StrCat(
      static_cast<int>(kind), "\n", q.institution, "\n", q.filter, "\n", q.order_by, "\n",
      caller.name));
  if (!q.page_token.empty()) {
    // The plan is part of the token: later pages scan what the first did.
    ASSIGN_OR_RETURN(std::string raw, DecodePageToken(q.page_token, fingerprint));
    absl::string_view in(raw);
    std::string prefix;
    if (in.empty() || !storage::ConsumeStr(&in, &prefix) || in.empty()) {
      return InvalidField("page_token", "malformed");
    }
    const int source = in[0];
    if (source < static_cast<int>(ScanSource::kByName) || source > static_cast<int>(ScanSource::kByField) ||
        !absl::StartsWith(prefix, storage::ScanSourcePrefix(kind, static_cast<ScanSource>(source)))) {
      return InvalidField("page_token", "malformed");
    }
    scan.source = static_cast<ScanSource>(source);
    scan.prefix = prefix;
    scan.start_after = std::string(in.substr(1));
  } else if (scan.source == ScanSource::kByName) {
    RETURN_IF_ERROR(Plan(store, kind, filter, descriptor, &owner, &scan));
  }
  const std::string parent_owner = q.institution == "-" ? "" : "institutions/" + q.institution;
  ListPage page;
  std::string last_position;
  bool more = false;
  RETURN_IF_ERROR(store.Scan(kind, scan, [&](absl::string_view position, const StoredRecord& r) {
    if (!policy.CanRead(caller, r)) return true;
    if (!parent_owner.empty() && r.owner() != parent_owner) return true;
    if (filter != nullptr && !matches(r)) return true;
    if (static_cast<int>(page.records.size()) == page_size) {
      more = true;
      return false;
    }
    page.records.push_back(r);
    last_position = std::string(position);
    return true;
  }));
  if (more) {
    std::string position;
    storage::AppendStr(&position, scan.prefix.empty() ? storage::ScanSourcePrefix(kind, scan.source) : scan.prefix);
    position.push_back(static_cast<char>(scan.source));
    page.next_page_token = EncodePageToken(fingerprint, position + last_position);
  }
  return page;
}

}  // namespace batteryhub
