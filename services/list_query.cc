#include "services/list_query.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"
#include "core/sha256.h"
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
    const std::function<bool(const StoredRecord&)>& matches) {
  if (q.page_size < 0) return InvalidField("page_size", "must be >= 0");
  const int page_size = q.page_size == 0 ? kDefaultPageSize : std::min(q.page_size, max_page_size);
  ASSIGN_OR_RETURN(ScanOptions scan, ParseOrderBy(q.order_by));
  std::string owner = q.institution == "-" ? "" : q.institution;
  std::optional<std::pair<std::string, std::string>> label;
  for (const auto& [path, value] : TopLevelEqualities(filter)) {
    if (!value.empty() && value.back() == '*') continue;  // prefix match: not an index term
    if (path == "owner" && owner.empty()) {
      owner = absl::StartsWith(value, "institutions/") ? value.substr(13) : value;
    } else if (absl::StartsWith(path, "labels.") && !label) {
      label.emplace(path.substr(7), value);
    }
  }
  // Plan: narrow the name-ordered scan by label index or owner prefix.
  if (scan.source == ScanSource::kByName && label) {
    scan.source = ScanSource::kByLabel;
    scan.prefix = storage::LabelIndexPrefix(kind, label->first, label->second);
  } else if (scan.source == ScanSource::kByName && !owner.empty()) {
    scan.prefix = storage::RecordPrefix(kind);
    storage::AppendStrPrefix(&scan.prefix, absl::StrCat("institutions/", owner, "/"));
  }
  const std::string parent_owner = q.institution == "-" ? "" : "institutions/" + q.institution;
  const std::string fingerprint = Sha256Bytes(absl::StrCat(
      static_cast<int>(kind), "\n", q.institution, "\n", q.filter, "\n", q.order_by, "\n",
      caller.name));
  if (!q.page_token.empty()) {
    ASSIGN_OR_RETURN(scan.start_after, DecodePageToken(q.page_token, fingerprint));
  }
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
  if (more) page.next_page_token = EncodePageToken(fingerprint, last_position);
  return page;
}

}  // namespace batteryhub
