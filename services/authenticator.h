// Who is calling: the institution named by the client certificate (mutual
// TLS: SAN URI batteryhub://institutions/{i}, or a CN that is an
// institution id) and the principal of the bearer token. Tokens are known
// only by their SHA-256: from the config (or dev tokens) and from tokens
// issued through AdminService, which live in the store. A token and a
// certificate naming different institutions are refused; a certificate
// alone acts as its institution's viewer. Thread-safe.
#pragma once

#include <grpcpp/server_context.h>

#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "domain/hub_config.h"
#include "policy/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

class Authenticator {
 public:
  Authenticator(const HubConfig& config, storage::RecordStore* store);

  // The caller: the token's principal (which must belong to the
  // certificate's institution when there is one), else the certificate's
  // institution as a viewer. UNAUTHENTICATED when neither is there, the
  // token is malformed or unknown, or they disagree.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

  // The principal of a certificate naming `institution` (no token).
  static Principal CertificatePrincipal(const std::string& institution);

  // The principal of a raw token.
  absl::StatusOr<Principal> FromToken(absl::string_view token) const;

 private:
  // The institution the peer's certificate names; nullopt without one,
  // UNAUTHENTICATED when it names none of this hub's institutions.
  absl::StatusOr<std::optional<std::string>> CertificateInstitution(
      const grpc::ServerContext& context) const;

  std::unordered_map<std::string, Principal> config_tokens_;  // sha256 hex -> principal
  std::set<std::string> institutions_;
  storage::RecordStore* store_;
};

}  // namespace batteryhub
