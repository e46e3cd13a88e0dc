#include "query/list_query.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/sha256.h"

// Page tokens (declared in list_query.h).
namespace batteryhub {

namespace {

constexpr size_t kFingerprintBytes = 16;

std::string TokenMac(absl::string_view key, absl::string_view fingerprint,
                     absl::string_view position) {
  return HmacSha256(key, absl::StrCat(fingerprint, "\n", position)).substr(0, kFingerprintBytes);
}

}  // namespace

std::string EncodePageToken(absl::string_view key, absl::string_view fingerprint,
                            absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(TokenMac(key, fingerprint, position), position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view key, absl::string_view token,
                                            absl::string_view fingerprint) {
  std::string raw;
  if (token.size() > 4096 || !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < kFingerprintBytes ||
      raw.substr(0, kFingerprintBytes) !=
          TokenMac(key, fingerprint, absl::string_view(raw).substr(kFingerprintBytes))) {
    return InvalidField("page_token",
                        "not a token of this query: repeat the request that produced it unchanged");
  }
  return raw.substr(kFingerprintBytes);
}

}  // namespace batteryhub
