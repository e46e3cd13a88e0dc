#include "services/authenticator.h"

#include <grpc/grpc_security_constants.h>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "core/status_macros.h"

namespace batteryhub {
namespace {

constexpr absl::string_view kCertificateUriPrefix = "batteryhub://institutions/";

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
  for (const InstitutionConfig& i : config.institutions) institutions_.insert(i.id);
  for (const PrincipalConfig& p : config.principals) {
    config_tokens_[p.token_sha256] = {PrincipalName(p.institution, p.id), p.institution, p.role};
  }
}

Principal Authenticator::CertificatePrincipal(const std::string& institution) {
  return Principal{PrincipalName(institution, "certificate"), institution,
                   ::batteryhub::v1::ROLE_VIEWER};
}

absl::StatusOr<std::optional<std::string>> Authenticator::CertificateInstitution(
    const grpc::ServerContext& context) const {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return std::optional<std::string>();
  std::vector<std::string> named;
  for (const grpc::string_ref& uri : auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    absl::string_view u(uri.data(), uri.size());
    if (absl::ConsumePrefix(&u, kCertificateUriPrefix)) named.emplace_back(u);
  }
  if (named.empty()) {
    for (const grpc::string_ref& cn : auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME)) {
      named.emplace_back(cn.data(), cn.size());
    }
  }
  if (named.size() != 1 || institutions_.count(named[0]) == 0) {
    return Unauthenticated(
        "the client certificate must name exactly one institution of this hub (SAN URI "
        "batteryhub://institutions/{institution})");
  }
  return std::optional<std::string>(named[0]);
}

absl::StatusOr<Principal> Authenticator::Authenticate(const grpc::ServerContext& context) const {
  ASSIGN_OR_RETURN(std::optional<std::string> certified, CertificateInstitution(context));
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    if (certified) return CertificatePrincipal(*certified);
    return Unauthenticated("missing 'authorization: Bearer <token>' metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
    return Unauthenticated("the authorization metadata must be 'Bearer <token>'");
  }
  ASSIGN_OR_RETURN(Principal p, FromToken(value.substr(7)));
  // Hub admins belong to no institution; any certificate of this hub's CA
  // carries their token.
  if (certified && !p.institution.empty() && p.institution != *certified) {
    return Unauthenticated(absl::StrCat("the client certificate is of institutions/", *certified,
                                        " but the token is of institutions/", p.institution));
  }
  return p;
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
