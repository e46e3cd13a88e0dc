// SHA-256 through OpenSSL 3's EVP API.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

namespace batteryhub {

// The 32-byte digest of `data`.
std::string Sha256Bytes(absl::string_view data);

// HMAC-SHA256 of `data` under `key`: 32 bytes.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// The digest as 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view data);

// Lowercase hex of arbitrary bytes.
std::string HexEncode(absl::string_view bytes);

// True when `s` is 64 lowercase or uppercase hex characters.
bool IsSha256Hex(absl::string_view s);

// Incremental SHA-256 for streams.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(absl::string_view data);
  // Hex digest; the stream is finished afterwards.
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace batteryhub
