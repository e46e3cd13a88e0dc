// Bearer-token authentication. Tokens are known only by their SHA-256: from
// the config (or dev tokens) and from tokens issued through AdminService,
// which live in the store. Thread-safe.
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "services/hub_config.h"
#include "services/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

class Authenticator {
 public:
  Authenticator(const HubConfig& config, storage::RecordStore* store);

  // The principal behind the `authorization: Bearer <token>` metadata.
  // UNAUTHENTICATED when it is missing, malformed or unknown.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

  // The principal of a raw token.
  absl::StatusOr<Principal> FromToken(absl::string_view token) const;

 private:
  std::unordered_map<std::string, Principal> config_tokens_;  // sha256 hex -> principal
  storage::RecordStore* store_;
};

}  // namespace batteryhub
