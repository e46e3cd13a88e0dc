// bhub admin token create|list|revoke | whoami | institutions.
#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "absl/strings/numbers.h"

#include "clients/cli/cli.h"
#include "clients/cli/record_io.h"

namespace batteryhub::cli {

namespace {

int RunTokenList(Cli& cli, const Args& args) {
  ::batteryhub::v1::ListTokensResponse resp;
  grpc::Status s = cli.client->ListTokens("institutions/" + args.Get("institution"), &resp);
  if (!s.ok()) return ReportError(s);
  for (const auto& t : resp.tokens()) {
    if (cli.json) {
      std::printf("%s\n", ToJson(t, true).c_str());  // one per line
    } else {
      std::printf("%s  %s  %s\n", t.name().c_str(), t.principal().c_str(),
                  ::batteryhub::v1::Role_Name(t.role()).c_str());
    }
  }
  return kExitOk;
}

int RunTokenRevoke(Cli& cli, const std::string& name) {
  grpc::Status s = cli.client->DeleteToken(name);
  if (!s.ok()) return ReportError(s);
  if (!cli.json) std::printf("revoked %s\n", name.c_str());
  return kExitOk;
}

}  // namespace

int RunAdmin(Cli& cli, const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() == 3 && pos[1] == "token" && pos[2] == "list" && args.Has("institution")) {
    return RunTokenList(cli, args);
  }
  if (pos.size() == 4 && pos[1] == "token" && pos[2] == "revoke") return RunTokenRevoke(cli, pos[3]);
  if (pos.size() != 3 || pos[1] != "token" || pos[2] != "create" || !args.Has("institution") ||
      !args.Has("role")) {
    return UsageError(
        "usage: bhub admin token create --institution I --role viewer|submitter|steward "
        "[--principal ID]\n       bhub admin token list --institution I\n"
        "       bhub admin token revoke institutions/I/tokens/ID");
  }
  ::batteryhub::v1::CreateTokenRequest req;
  req.set_parent("institutions/" + args.Get("institution"));
  const std::string role = args.Get("role");
  if (role == "viewer") req.set_role(::batteryhub::v1::ROLE_VIEWER);
  else if (role == "submitter") req.set_role(::batteryhub::v1::ROLE_SUBMITTER);
  else if (role == "steward") req.set_role(::batteryhub::v1::ROLE_STEWARD);
  else return UsageError("--role must be viewer, submitter or steward");
  req.set_principal_id(args.Get("principal"));
  ::batteryhub::v1::Token token;
  grpc::Status s = cli.client->CreateToken(req, &token);
  if (!s.ok()) return ReportError(s);
  if (cli.json) {
    std::printf("%s\n", ToJson(token, false).c_str());
  } else {
    std::printf("principal: %s\nrole:      %s\ntoken:     %s\n(shown once; the hub keeps only "
                "its SHA-256)\n",
                token.principal().c_str(), role.c_str(), token.secret().c_str());
  }
  return kExitOk;
}

int RunWhoami(Cli& cli, const Args&) {
  ::batteryhub::v1::Identity id;
  grpc::Status s = cli.client->GetIdentity(&id);
  if (!s.ok()) return ReportError(s);
  if (cli.json) std::printf("%s\n", ToJson(id, false).c_str());
  else std::printf("%s (%s)\n", id.principal().c_str(), ::batteryhub::v1::Role_Name(id.role()).c_str());
  return kExitOk;
}

int RunInstitutions(Cli& cli, const Args&) {
  ::batteryhub::v1::ListInstitutionsResponse resp;
  grpc::Status s = cli.client->ListInstitutions(&resp);
  if (!s.ok()) return ReportError(s);
  if (cli.json) {
    std::printf("%s\n", ToJson(resp, false).c_str());
    return kExitOk;
  }
  for (const auto& i : resp.institutions()) {
    std::printf("%-22s %-3s %s\n", i.name().c_str(), i.country().c_str(), i.display_name().c_str());
  }
  return kExitOk;
}

int RunVerify(Cli& cli, const Args&) {
  ::batteryhub::v1::LedgerReport report;
  grpc::Status s = cli.client->VerifyLedger(&report);
  if (!s.ok()) return ReportError(s);
  if (cli.json) {
    std::printf("%s\n", ToJson(report, false).c_str());
  } else {
    std::printf("ledger: %llu entries, %llu revisions and %llu series checked\n",
                static_cast<unsigned long long>(report.entries()),
                static_cast<unsigned long long>(report.revisions_checked()),
                static_cast<unsigned long long>(report.series_checked()));
    std::printf("%s\n", report.first_break().empty() ? "intact"
                                                      : ("BROKEN: " + report.first_break()).c_str());
    std::printf("audit trail: %llu entries checked, %s\n",
                static_cast<unsigned long long>(report.audit_entries()),
                report.audit_first_break().empty() ? "intact"
                                                   : ("BROKEN: " + report.audit_first_break()).c_str());
  }
  return report.first_break().empty() && report.audit_first_break().empty() ? kExitOk : kExitOther;
}

int RunAudit(Cli& cli, const Args& args) {
  ::batteryhub::v1::ListAuditEntriesRequest req;
  const std::string institution = args.Get("institution", "-");
  req.set_parent("institutions/" + institution);
  int page_size = 100;
  if (args.Has("page-size") && !absl::SimpleAtoi(args.Get("page-size"), &page_size)) {
    return UsageError("--page-size must be a number");
  }
  req.set_page_size(page_size);
  do {
    ::batteryhub::v1::ListAuditEntriesResponse resp;
    grpc::Status s = cli.client->ListAuditEntries(req, &resp);
    if (!s.ok()) return ReportError(s);
    for (const auto& e : resp.entries()) {
      if (cli.json) {
        std::printf("%s\n", ToJson(e, true).c_str());
      } else {
        std::printf("%6llu  %s  %-5s %-22s %s  %s\n", static_cast<unsigned long long>(e.sequence()),
                    google::protobuf::util::TimeUtil::ToString(e.time()).c_str(),
                    e.allowed() ? "allow" : "DENY", e.method().c_str(),
                    e.principal().empty() ? "(unauthenticated)" : e.principal().c_str(),
                    e.resource().c_str());
      }
    }
    req.set_page_token(resp.next_page_token());
  } while (args.Has("all") && !req.page_token().empty());
  if (!req.page_token().empty() && !cli.json) {
    std::fprintf(stderr, "more: --all, or --page-token %s\n", req.page_token().c_str());
  }
  return kExitOk;
}

int RunLineage(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2 || (args.Has("up") && args.Has("down"))) {
    return UsageError("usage: bhub lineage NAME [--up|--down] [--depth N]");
  }
  ::batteryhub::v1::GetLineageRequest req;
  req.set_name(args.positionals()[1]);
  req.set_direction(args.Has("up") ? ::batteryhub::v1::LINEAGE_DIRECTION_UP
                                   : ::batteryhub::v1::LINEAGE_DIRECTION_DOWN);
  req.set_max_depth(std::atoi(args.Get("depth", "0").c_str()));
  ::batteryhub::v1::Lineage lineage;
  grpc::Status s = cli.client->GetLineage(req, &lineage);
  if (!s.ok()) return ReportError(s);
  if (cli.json) {
    std::printf("%s\n", ToJson(lineage, false).c_str());
    return kExitOk;
  }
  std::printf("%s\n", lineage.root().c_str());
  for (const auto& e : lineage.entries()) {
    std::printf("%*s%s  (via %s)\n", 2 * e.depth(), "", e.name().c_str(), e.via().c_str());
  }
  if (lineage.truncated()) std::printf("(truncated: raise --depth)\n");
  return kExitOk;
}

}  // namespace batteryhub::cli
