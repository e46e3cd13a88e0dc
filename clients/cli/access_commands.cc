// bhub access …: who may see what (stewards: their records and defaults;
// admins: agreements). Each change reads the record's access, edits it and
// writes it back under its etag, so concurrent changes are refused, not lost.
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/cli.h"
#include "clients/cli/record_io.h"

namespace batteryhub::cli {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

constexpr const char* kAccessUsage =
    "usage: bhub access show NAME [--as INSTITUTION]\n"
    "       bhub access visibility NAME private|agreement|consortium|public\n"
    "            [--agreement agreements/ID,...] [--tier metadata|summary|full]\n"
    "       bhub access grant NAME INSTITUTION --tier metadata|summary|full\n"
    "            [--from DATE] [--restricted]\n"
    "       bhub access revoke NAME INSTITUTION\n"
    "       bhub access embargo NAME INSTITUTION --until DATE\n"
    "       bhub access embargo NAME --until DATE --then consortium|public\n"
    "       bhub access restrict|unrestrict NAME FIELD [FIELD...]\n"
    "       bhub access defaults [--institution I]\n"
    "       bhub access defaults set --institution I --visibility V [--tier T]\n"
    "            [--restrict FIELD,...]\n"
    "       bhub access agreement create ID --members I,I[,...] --tier T\n"
    "            [--kinds samples,characterizations,cellTests] [--label K=V,...]\n"
    "            [--from DATE] [--until DATE]\n"
    "       bhub access agreement update agreements/ID [--members I,...]\n"
    "            [--add-member I,...] [--remove-member I,...] [--tier T] [--kinds ...]\n"
    "            [--label K=V,...] [--from DATE] [--until DATE]\n"
    "       bhub access agreement list | agreement show agreements/ID\n"
    "DATE is YYYY-MM-DD (00:00 UTC) or RFC 3339.";

// The comma-separated values of --flag.
std::vector<std::string> Items(const Args& args, const std::string& flag) {
  return absl::StrSplit(args.Get(flag), ',', absl::SkipEmpty());
}

std::string Institution(const std::string& text) {
  return absl::StartsWith(text, "institutions/") ? text : "institutions/" + text;
}

bool ParseTier(const std::string& text, v1::Tier* out) {
  return v1::Tier_Parse("TIER_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::TIER_UNSPECIFIED;
}

bool ParseVisibility(const std::string& text, v1::Visibility* out) {
  return v1::Visibility_Parse("VISIBILITY_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::VISIBILITY_UNSPECIFIED;
}

bool ParseDate(const std::string& text, google::protobuf::Timestamp* out) {
  const std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
  return TimeUtil::FromString(full, out);
}

std::string Short(const std::string& enum_name) {
  return enum_name.substr(enum_name.find('_') + 1);
}

void PrintAccess(const v1::Access& a) {
  const v1::Tier open = a.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_FULL : a.tier();
  std::printf("visibility:  %s", Short(v1::Visibility_Name(a.visibility())).c_str());
  if (a.visibility() >= v1::VISIBILITY_CONSORTIUM) {
    std::printf(" (at %s)", Short(v1::Tier_Name(open)).c_str());
  }
  std::printf("\n");
  if (a.agreements_size() > 0) {
    std::printf("agreements:  %s\n", absl::StrJoin(a.agreements(), ", ").c_str());
  }
  if (a.has_release()) {
    std::printf("release:     %s at %s from %s\n",
                Short(v1::Visibility_Name(a.release().visibility())).c_str(),
                Short(v1::Tier_Name(open)).c_str(), TimeUtil::ToString(a.release().time()).c_str());
  }
  for (const v1::Grant& g : a.grants()) {
    std::printf("grant:       %-22s %-8s %s%s\n", g.institution().c_str(),
                Short(v1::Tier_Name(g.tier())).c_str(),
                g.has_start_time() ? ("from " + TimeUtil::ToString(g.start_time())).c_str() : "now",
                g.restricted_fields() ? "  + restricted fields" : "");
  }
  std::printf("restricted:  %s\n",
              a.restricted_fields().empty()
                  ? "(the kind's defaults: supplier, composition, origin details)"
                  : (absl::StrJoin(a.restricted_fields(), ", ") + " + the kind's defaults").c_str());
}

int PrintRecordAccess(Cli& cli, const v1::RecordAccess& ra) {
  if (cli.json) {
    std::printf("%s\n", ToJson(ra, false).c_str());
    return kExitOk;
  }
  std::printf("name:        %s (revision %llu)\n", ra.name().c_str(),
              static_cast<unsigned long long>(ra.revision()));
  PrintAccess(ra.access());
  return kExitOk;
}

// Reads the access of `name`, applies `edit` (a usage error stops it), and
// writes it back under the etag it read.
int EditAccess(Cli& cli, const std::string& name,
               const std::function<std::string(v1::Access*)>& edit) {
  v1::RecordAccess current;
  grpc::Status s = cli.client->GetRecordAccess(name, &current);
  if (!s.ok()) return ReportError(s);
  v1::UpdateRecordAccessRequest req;
  req.set_name(name);
  *req.mutable_access() = current.access();
  if (std::string problem = edit(req.mutable_access()); !problem.empty()) {
    return UsageError(problem);
  }
  req.set_etag(current.etag());
  req.set_request_id(RandomRequestId());
  req.set_validate_only(cli.validate_only);
  v1::RecordAccess updated;
  s = cli.client->UpdateRecordAccess(req, &updated);
  if (!s.ok()) return ReportError(s);
  PrintRecordAccess(cli, updated);
  DryRunNote(cli);
  return kExitOk;
}

v1::Grant* FindGrant(v1::Access* a, const std::string& institution) {
  for (v1::Grant& g : *a->mutable_grants()) {
    if (g.institution() == institution) return &g;
  }
  return nullptr;
}

int RunShow(Cli& cli, const Args& args, const std::string& name) {
  if (!args.Has("as")) {
    v1::RecordAccess ra;
    grpc::Status s = cli.client->GetRecordAccess(name, &ra);
    if (!s.ok()) return ReportError(s);
    return PrintRecordAccess(cli, ra);
  }
  v1::CheckAccessRequest req;
  req.set_name(name);
  req.set_institution(Institution(args.Get("as")));
  v1::AccessDecision d;
  grpc::Status s = cli.client->CheckAccess(req, &d);
  if (!s.ok()) return ReportError(s);
  if (cli.json) {
    std::printf("%s\n", ToJson(d, false).c_str());
  } else if (!d.visible()) {
    std::printf("%s does not see %s\n", req.institution().c_str(), name.c_str());
  } else {
    std::printf("%s sees %s at %s%s (via %s)\n", req.institution().c_str(), name.c_str(),
                Short(v1::Tier_Name(d.tier())).c_str(),
                d.restricted_fields() ? ", restricted fields included" : "",
                absl::StrJoin(d.routes(), ", ").c_str());
    if (d.hidden_fields_size() > 0) {
      std::printf("hidden: %s\n", absl::StrJoin(d.hidden_fields(), ", ").c_str());
    }
  }
  return kExitOk;
}

int RunDefaults(Cli& cli, const Args& args) {
  const auto& pos = args.positionals();
  const std::string name = Institution(args.Get("institution")) + "/accessDefaults";
  if (!args.Has("institution")) return UsageError(kAccessUsage);
  if (pos.size() == 2) {
    v1::AccessDefaults d;
    grpc::Status s = cli.client->GetAccessDefaults(name, &d);
    if (!s.ok()) return ReportError(s);
    if (cli.json) {
      std::printf("%s\n", ToJson(d, false).c_str());
    } else {
      std::printf("defaults of %s for new records:\n", args.Get("institution").c_str());
      PrintAccess(d.access());
    }
    return kExitOk;
  }
  if (pos.size() != 3 || pos[2] != "set") return UsageError(kAccessUsage);
  v1::UpdateAccessDefaultsRequest req;
  req.mutable_access_defaults()->set_name(name);
  v1::Access* a = req.mutable_access_defaults()->mutable_access();
  v1::Visibility v;
  if (!ParseVisibility(args.Get("visibility"), &v)) {
    return UsageError("--visibility must be private, agreement, consortium or public");
  }
  a->set_visibility(v);
  v1::Tier t;
  if (args.Has("tier") && !ParseTier(args.Get("tier"), &t)) {
    return UsageError("--tier must be metadata, summary or full");
  }
  if (args.Has("tier")) a->set_tier(t);
  for (const std::string& agreement :
       Items(args, "agreement")) {
    a->add_agreements(agreement);
  }
  for (const std::string& f : Items(args, "restrict")) {
    a->add_restricted_fields(f);
  }
  req.set_request_id(RandomRequestId());
  req.set_validate_only(cli.validate_only);
  v1::AccessDefaults out;
  grpc::Status s = cli.client->UpdateAccessDefaults(req, &out);
  if (!s.ok()) return ReportError(s);
  if (cli.json) std::printf("%s\n", ToJson(out, false).c_str());
  else PrintAccess(out.access());
  DryRunNote(cli);
  return kExitOk;
}

void PrintAgreement(Cli& cli, const v1::Agreement& a) {
  if (cli.json) {
    std::printf("%s\n", ToJson(a, true).c_str());
    return;
  }
  std::vector<std::string> labels;
  for (const auto& [k, v] : a.labels()) labels.push_back(k + "=" + v);
  std::printf("%-28s %-8s members %s; kinds %s; labels %s; %s to %s\n", a.name().c_str(),
              Short(v1::Tier_Name(a.tier())).c_str(), absl::StrJoin(a.members(), ",").c_str(),
              a.kinds().empty() ? "all" : absl::StrJoin(a.kinds(), ",").c_str(),
              labels.empty() ? "any" : absl::StrJoin(labels, ",").c_str(),
              a.has_start_time() ? TimeUtil::ToString(a.start_time()).c_str() : "creation",
              a.has_end_time() ? TimeUtil::ToString(a.end_time()).c_str() : "open end");
}

int RunAgreement(Cli& cli, const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() == 3 && pos[2] == "list") {
    v1::ListAgreementsResponse resp;
    grpc::Status s = cli.client->ListAgreements({}, &resp);
    if (!s.ok()) return ReportError(s);
    for (const auto& a : resp.agreements()) PrintAgreement(cli, a);
    return kExitOk;
  }
  if (pos.size() == 4 && pos[2] == "show") {
    v1::Agreement a;
    grpc::Status s = cli.client->GetAgreement(pos[3], &a);
    if (!s.ok()) return ReportError(s);
    PrintAgreement(cli, a);
    return kExitOk;
  }
  const bool create = pos.size() == 4 && pos[2] == "create";
  if (!create && !(pos.size() == 4 && pos[2] == "update")) return UsageError(kAccessUsage);
  v1::Agreement a;
  if (!create) {
    // Read, edit, write back under the etag read: a concurrent change is
    // refused (ABORTED), not lost.
    grpc::Status s = cli.client->GetAgreement(pos[3], &a);
    if (!s.ok()) return ReportError(s);
  }
  if (args.Has("members")) {
    a.clear_members();
    for (const std::string& m : Items(args, "members")) a.add_members(Institution(m));
  }
  for (const std::string& m : Items(args, "add-member")) a.add_members(Institution(m));
  for (const std::string& m : Items(args, "remove-member")) {
    auto* members = a.mutable_members();
    members->erase(std::remove(members->begin(), members->end(), Institution(m)), members->end());
  }
  if (create || args.Has("tier")) {
    v1::Tier t;
    if (!ParseTier(args.Get("tier"), &t)) return UsageError("--tier must be metadata, summary or full");
    a.set_tier(t);
  }
  if (args.Has("kinds")) {
    a.clear_kinds();
    for (const std::string& k : Items(args, "kinds")) a.add_kinds(k);
  }
  if (args.Has("label")) {
    a.clear_labels();
    for (const std::string& kv : Items(args, "label")) {
      std::pair<std::string, std::string> p = absl::StrSplit(kv, absl::MaxSplits('=', 1));
      (*a.mutable_labels())[p.first] = p.second;
    }
  }
  if (args.Has("from") && !ParseDate(args.Get("from"), a.mutable_start_time())) {
    return UsageError("--from must be YYYY-MM-DD or RFC 3339");
  }
  if (args.Has("until") && !ParseDate(args.Get("until"), a.mutable_end_time())) {
    return UsageError("--until must be YYYY-MM-DD or RFC 3339");
  }
  v1::Agreement out;
  grpc::Status s;
  if (create) {
    v1::CreateAgreementRequest req;
    req.set_agreement_id(pos[3]);
    *req.mutable_agreement() = std::move(a);
    req.set_request_id(RandomRequestId());
    req.set_validate_only(cli.validate_only);
    s = cli.client->CreateAgreement(req, &out);
  } else {
    v1::UpdateAgreementRequest req;
    *req.mutable_agreement() = std::move(a);
    req.set_request_id(RandomRequestId());
    req.set_validate_only(cli.validate_only);
    s = cli.client->UpdateAgreement(req, &out);
  }
  if (!s.ok()) return ReportError(s);
  PrintAgreement(cli, out);
  DryRunNote(cli);
  return kExitOk;
}

}  // namespace

int RunAccess(Cli& cli, const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() < 2) return UsageError(kAccessUsage);
  const std::string& verb = pos[1];
  if (verb == "defaults") return RunDefaults(cli, args);
  if (verb == "agreement") return RunAgreement(cli, args);
  if (pos.size() < 3) return UsageError(kAccessUsage);
  const std::string& name = pos[2];
  if (verb == "show" && pos.size() == 3) return RunShow(cli, args, name);
  if (verb == "visibility" && pos.size() == 4) {
    v1::Visibility v;
    if (!ParseVisibility(pos[3], &v)) {
      return UsageError("visibility must be private, agreement, consortium or public");
    }
    v1::Tier t = v1::TIER_UNSPECIFIED;
    if (args.Has("tier") && !ParseTier(args.Get("tier"), &t)) {
      return UsageError("--tier must be metadata, summary or full");
    }
    return EditAccess(cli, name, [&](v1::Access* a) {
      a->set_visibility(v);
      if (args.Has("tier")) a->set_tier(t);
      a->clear_agreements();
      for (const std::string& ag : Items(args, "agreement")) {
        a->add_agreements(ag);
      }
      return std::string();
    });
  }
  if (verb == "grant" && pos.size() == 4) {
    v1::Tier t;
    if (!ParseTier(args.Get("tier"), &t)) return UsageError("--tier must be metadata, summary or full");
    google::protobuf::Timestamp from;
    if (args.Has("from") && !ParseDate(args.Get("from"), &from)) {
      return UsageError("--from must be YYYY-MM-DD or RFC 3339");
    }
    return EditAccess(cli, name, [&](v1::Access* a) {
      v1::Grant* g = FindGrant(a, Institution(pos[3]));
      if (g == nullptr) g = a->add_grants();
      g->set_institution(Institution(pos[3]));
      g->set_tier(t);
      if (args.Has("from")) *g->mutable_start_time() = from;
      g->set_restricted_fields(args.Has("restricted"));
      return std::string();
    });
  }
  if (verb == "revoke" && pos.size() == 4) {
    return EditAccess(cli, name, [&](v1::Access* a) {
      auto* grants = a->mutable_grants();
      const int before = grants->size();
      grants->erase(std::remove_if(grants->begin(), grants->end(),
                                   [&](const v1::Grant& g) {
                                     return g.institution() == Institution(pos[3]);
                                   }),
                    grants->end());
      return grants->size() == before ? Institution(pos[3]) + " has no grant on " + name
                                      : std::string();
    });
  }
  if (verb == "embargo" && args.Has("until")) {
    google::protobuf::Timestamp until;
    if (!ParseDate(args.Get("until"), &until)) {
      return UsageError("--until must be YYYY-MM-DD or RFC 3339");
    }
    if (pos.size() == 4) {
      return EditAccess(cli, name, [&](v1::Access* a) {
        v1::Grant* g = FindGrant(a, Institution(pos[3]));
        if (g == nullptr) return Institution(pos[3]) + " has no grant on " + name + " (grant first)";
        *g->mutable_start_time() = until;
        return std::string();
      });
    }
    v1::Visibility then;
    if (pos.size() != 3 || !ParseVisibility(args.Get("then"), &then)) {
      return UsageError("embargo NAME --until DATE needs --then consortium|public");
    }
    return EditAccess(cli, name, [&](v1::Access* a) {
      a->mutable_release()->set_visibility(then);
      *a->mutable_release()->mutable_time() = until;
      return std::string();
    });
  }
  if ((verb == "restrict" || verb == "unrestrict") && pos.size() >= 4) {
    return EditAccess(cli, name, [&](v1::Access* a) {
      auto* fields = a->mutable_restricted_fields();
      for (size_t i = 3; i < pos.size(); ++i) {
        auto it = std::find(fields->begin(), fields->end(), pos[i]);
        if (verb == "restrict" && it == fields->end()) *a->add_restricted_fields() = pos[i];
        if (verb == "unrestrict" && it != fields->end()) fields->erase(it);
      }
      return std::string();
    });
  }
  return UsageError(kAccessUsage);
}

}  // namespace batteryhub::cli
