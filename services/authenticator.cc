#include "services/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/sha256.h"

namespace batteryhub {
namespace {

absl::Status Unauthenticated(absl::string_view why) {
  return WithReason(absl::UnauthenticatedError(why), "UNAUTHENTICATED");
}

std::string PrincipalName(const std::string& institution, const std::string& id) {
  return institution.empty() ? absl::StrCat("principals/", id)
                             : absl::StrCat("institutions/", institution, "/principals/", id);
}

}  // namespace

Authenticator::Authenticator(const HubConfig& config, storage::RecordStore* store)
    : store_(store) {
  for (const PrincipalConfig& p : config.principals) {
    config_tokens_[p.token_sha256] = {PrincipalName(p.institution, p.id), p.institution, p.role};
  }
}

absl::StatusOr<Principal> Authenticator::Authenticate(const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return Unauthenticated("missing 'authorization: Bearer <token>' metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
    return Unauthenticated("the authorization metadata must be 'Bearer <token>'");
  }
  return FromToken(value.substr(7));
}

absl::StatusOr<Principal> Authenticator::FromToken(absl::string_view token) const {
  const std::string hash = Sha256Hex(token);
  if (auto it = config_tokens_.find(hash); it != config_tokens_.end()) return it->second;
  absl::StatusOr<std::optional<storage::StoredToken>> stored = store_->GetToken(hash);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Unauthenticated("unknown or revoked token");
  const storage::StoredToken& t = **stored;
  return Principal{t.principal(), t.institution(), static_cast<Role>(t.role())};
}

}  // namespace batteryhub
