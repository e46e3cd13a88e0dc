#include "services/admin_service.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/errors.h"
#include "core/names.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "services/ledger_verifier.h"
#include "services/record_calls.h"
#include "services/record_stamp.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

absl::Status CheckMayIssue(const Principal& p, const std::string& institution, Role role) {
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role) || role == v1::ROLE_ADMIN) {
    return InvalidField("role", "must be ROLE_VIEWER, ROLE_SUBMITTER or ROLE_STEWARD",
                        "token request");
  }
  if (p.AtLeast(v1::ROLE_ADMIN)) return absl::OkStatus();
  if (p.AtLeast(v1::ROLE_STEWARD) && p.institution == institution) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        p.name, " may not issue tokens for institutions/", institution,
                        ": an admin, or a steward of that institution, may")),
                    "TOKEN_DENIED");
}

}  // namespace

grpc::Status AdminServiceImpl::GetIdentity(grpc::ServerContext* c, const v1::GetIdentityRequest*,
                                           v1::Identity* out) {
  return RunCall(hub_, *c, "GetIdentity", "", [&](const Principal& p) {
    out->set_principal(p.name);
    if (!p.institution.empty()) out->set_institution(p.InstitutionName());
    out->set_role(p.role);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListInstitutions(grpc::ServerContext* c,
                                                const v1::ListInstitutionsRequest*,
                                                v1::ListInstitutionsResponse* out) {
  return RunCall(hub_, *c, "ListInstitutions", "institutions", [&](const Principal&) {
    for (const InstitutionConfig& i : hub_.config->institutions) {
      v1::Institution* inst = out->add_institutions();
      inst->set_name("institutions/" + i.id);
      inst->set_display_name(i.display_name);
      inst->set_country(i.country);
    }
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::CreateToken(grpc::ServerContext* c,
                                           const v1::CreateTokenRequest* r, v1::Token* out) {
  return RunCall(hub_, *c, "CreateToken", r->parent(), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(std::string institution, ParseInstitutionName(r->parent(), "parent", false));
    if (!hub_.policy->IsMember(institution)) {
      return InvalidField("parent", absl::StrCat("'", r->parent(), "' is not an institution of this hub"),
                          "token request");
    }
    RETURN_IF_ERROR(CheckMayIssue(p, institution, r->role()));
    std::string id = r->principal_id();
    const std::string secret = NewToken();
    const std::string hash = Sha256Hex(secret);
    if (id.empty()) id = absl::StrCat(RoleText(r->role()), "-", hash.substr(0, 8));
    if (!IsValidId(id)) {
      return InvalidField("principal_id", "must be 1-63 characters [a-z0-9-]", "token request");
    }
    storage::StoredToken token;
    token.set_principal(absl::StrCat("institutions/", institution, "/principals/", id));
    token.set_institution(institution);
    token.set_role(r->role());
    token.set_create_time_micros(NowMicros());
    RETURN_IF_ERROR(hub_.store->PutToken(hash, token));
    out->set_name(absl::StrCat("institutions/", institution, "/tokens/", hash.substr(0, 16)));
    out->set_principal(token.principal());
    out->set_role(r->role());
    out->set_secret(secret);
    *out->mutable_create_time() = MicrosToTimestamp(token.create_time_micros());
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::VerifyLedger(grpc::ServerContext* c, const v1::VerifyLedgerRequest*,
                                            v1::LedgerReport* out) {
  return RunCall(hub_, *c, "VerifyLedger", "ledger", [&](const Principal& p) -> absl::Status {
    if (!p.AtLeast(v1::ROLE_ADMIN)) {
      return WithReason(absl::PermissionDeniedError("verifying the whole hub needs the admin role"),
                        "ADMIN_ONLY");
    }
    ASSIGN_OR_RETURN(*out, VerifyHub(hub_));
    return absl::OkStatus();
  });
}

}  // namespace batteryhub
