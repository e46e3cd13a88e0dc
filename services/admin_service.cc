#include "services/admin_service.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/clock.h"
#include "core/errors.h"
#include "core/names.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "domain/ledger_verifier.h"
#include "services/record_calls.h"
#include "domain/record_stamp.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

// Admins, and the stewards of `institution`, manage its tokens.
absl::Status CheckManagesTokens(const Principal& p, const std::string& institution,
                                absl::string_view verb) {
  if (p.AtLeast(v1::ROLE_ADMIN)) return absl::OkStatus();
  if (p.AtLeast(v1::ROLE_STEWARD) && p.institution == institution) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        p.name, " may not ", verb, " tokens of institutions/", institution,
                        ": an admin, or a steward of that institution, may")),
                    "TOKEN_DENIED");
}

absl::Status CheckMayIssue(const Principal& p, const std::string& institution, Role role) {
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role) || role == v1::ROLE_ADMIN) {
    return InvalidField("role", "must be ROLE_VIEWER, ROLE_SUBMITTER or ROLE_STEWARD",
                        "token request");
  }
  return CheckManagesTokens(p, institution, "issue");
}

// The public form of a stored token (no secret).
v1::Token TokenOf(const std::string& hash, const storage::StoredToken& t) {
  v1::Token out;
  out.set_name(absl::StrCat("institutions/", t.institution(), "/tokens/", hash.substr(0, 16)));
  out.set_principal(t.principal());
  out.set_role(static_cast<Role>(t.role()));
  *out.mutable_create_time() = MicrosToTimestamp(t.create_time_micros());
  return out;
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
    const std::string principal = absl::StrCat("institutions/", institution, "/principals/", id);
    // One principal, one name: audit and provenance must tell them apart.
    bool taken = false;
    for (const PrincipalConfig& c : hub_.config->principals) {
      taken |= c.institution == institution && c.id == id;
    }
    ASSIGN_OR_RETURN(auto existing, hub_.store->ListTokens());
    for (const auto& [stored_hash, stored] : existing) taken |= stored.principal() == principal;
    if (taken) {
      return WithReason(absl::AlreadyExistsError(absl::StrCat(
                            "principal '", principal, "' exists already: choose another "
                            "principal_id, or delete its token first")),
                        "PRINCIPAL_EXISTS");
    }
    storage::StoredToken token;
    token.set_principal(principal);
    token.set_institution(institution);
    token.set_role(r->role());
    token.set_create_time_micros(NowMicros());
    RETURN_IF_ERROR(hub_.store->PutToken(hash, token));
    *out = TokenOf(hash, token);
    out->set_secret(secret);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListTokens(grpc::ServerContext* c, const v1::ListTokensRequest* r,
                                          v1::ListTokensResponse* out) {
  return RunCall(hub_, *c, "ListTokens", r->parent(), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(std::string institution, ParseInstitutionName(r->parent(), "parent", false));
    RETURN_IF_ERROR(CheckManagesTokens(p, institution, "list"));
    ASSIGN_OR_RETURN(auto tokens, hub_.store->ListTokens());
    std::vector<v1::Token> listed;
    for (const auto& [hash, token] : tokens) {
      if (token.institution() == institution) listed.push_back(TokenOf(hash, token));
    }
    std::stable_sort(listed.begin(), listed.end(), [](const v1::Token& a, const v1::Token& b) {
      return std::make_pair(a.create_time().seconds(), a.create_time().nanos()) <
             std::make_pair(b.create_time().seconds(), b.create_time().nanos());
    });
    for (v1::Token& t : listed) *out->add_tokens() = std::move(t);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::DeleteToken(grpc::ServerContext* c, const v1::DeleteTokenRequest* r,
                                           v1::DeleteTokenResponse*) {
  return RunCall(hub_, *c, "DeleteToken", r->name(), [&](const Principal& p) -> absl::Status {
    const std::vector<std::string> parts = absl::StrSplit(r->name(), '/');
    if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != "tokens" ||
        parts[3].size() != 16) {
      return InvalidField("name", absl::StrCat("'", r->name(), "' is not a token name "
                                               "(institutions/{institution}/tokens/{id})"));
    }
    RETURN_IF_ERROR(CheckManagesTokens(p, parts[1], "revoke"));
    ASSIGN_OR_RETURN(auto tokens, hub_.store->ListTokens());
    for (const auto& [hash, token] : tokens) {
      if (token.institution() == parts[1] && absl::StartsWith(hash, parts[3])) {
        return hub_.store->DeleteToken(hash);
      }
    }
    return absl::NotFoundError(absl::StrCat("token '", r->name(), "' does not exist"));
  });
}

grpc::Status AdminServiceImpl::ListAuditEntries(grpc::ServerContext* c,
                                                const v1::ListAuditEntriesRequest* r,
                                                v1::ListAuditEntriesResponse* out) {
  return RunCall(hub_, *c, "ListAuditEntries", r->parent(), [&](const Principal& p) -> absl::Status {
    absl::StatusOr<std::string> parent = ParseInstitutionName(r->parent(), "parent", true);
    if (!parent.ok()) return parent.status();
    const std::string institution = *parent;
    const bool everything = institution == "-";
    if (everything ? !p.AtLeast(v1::ROLE_ADMIN)
                   : !(p.AtLeast(v1::ROLE_ADMIN) ||
                       (p.AtLeast(v1::ROLE_STEWARD) && p.institution == institution))) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " may not read the audit trail of ", r->parent(),
                            ": admins may read all of it, stewards their institution's")),
                        "AUDIT_DENIED");
    }
    if (r->page_size() < 0) return InvalidField("page_size", "must be >= 0");
    const int size = r->page_size() == 0 ? 100 : std::min(r->page_size(), 1000);
    uint64_t after = 0;
    const std::string fingerprint = Sha256Bytes(absl::StrCat("audit\n", r->parent(), "\n", p.name));
    if (!r->page_token().empty()) {
      ASSIGN_OR_RETURN(std::string position, DecodePageToken(hub_.store->page_token_key(), r->page_token(), fingerprint));
      if (!absl::SimpleAtoi(position, &after)) return InvalidField("page_token", "malformed");
    }
    const std::string own = absl::StrCat("institutions/", institution, "/");
    auto keep = [&](const storage::AuditEntry& e) {
      return everything || e.institution() == institution ||
             absl::StartsWith(e.resource(), own) || e.resource() == absl::StrCat("institutions/", institution);
    };
    uint64_t scanned_to = 0;
    ASSIGN_OR_RETURN(std::vector<storage::AuditEntry> entries,
                     hub_.store->ReadAudit(after, size + 1, keep, &scanned_to));
    for (size_t i = 0; i < entries.size() && static_cast<int>(i) < size; ++i) {
      const storage::AuditEntry& e = entries[i];
      v1::AuditEntry* a = out->add_entries();
      a->set_sequence(e.sequence());
      *a->mutable_time() = MicrosToTimestamp(e.time_micros());
      a->set_principal(e.principal());
      a->set_method(e.method());
      a->set_resource(e.resource());
      a->set_allowed(e.allowed());
      a->set_code(e.code());
    }
    if (static_cast<int>(entries.size()) > size) {
      out->set_next_page_token(
          EncodePageToken(hub_.store->page_token_key(), fingerprint,
                          absl::StrCat(entries[size - 1].sequence())));
    }
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
