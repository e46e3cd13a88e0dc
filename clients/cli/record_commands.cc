// bhub create | get | list | revisions | update.
#include <cstdio>
#include <sstream>

#include "clients/cli/cli.h"
#include "clients/cli/record_io.h"
#include "clients/cli/record_kinds.h"

namespace batteryhub::cli {
namespace {

constexpr const char* kKinds = "sample, characterization or cell-test";

template <typename Resource>
void PrintOne(const Cli& cli, const Resource& r) {
  if (cli.json) std::printf("%s\n", ToJson(r, false).c_str());
  else PrintSummary(r);
}

// Prints a page; in JSON, items go to a JSON array (or one compact object per
// line when `lines`).
template <typename Items>
void PrintPage(const Cli& cli, const Items& items, bool lines, bool header) {
  if (cli.json && lines) {
    for (const auto& r : items) std::printf("%s\n", ToJson(r, true).c_str());
    return;
  }
  if (cli.json) {
    std::printf("[");
    bool first = true;
    for (const auto& r : items) {
      std::printf("%s\n%s", first ? "" : ",", ToJson(r, false).c_str());
      first = false;
    }
    std::printf("%s]\n", first ? "" : "\n");
    return;
  }
  std::vector<const google::protobuf::Message*> rows;
  for (const auto& r : items) rows.push_back(&r);
  if (header || !rows.empty()) PrintTable(rows);
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace

int RunCreate(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2 || !args.Has("institution") || !args.Has("id") ||
      !args.Has("file")) {
    return UsageError(std::string("usage: bhub create ") + kKinds +
                      " --institution I --id ID --file F [--request-id R] [--validate-only]");
  }
  return WithKind(args.positionals()[1], std::string(std::string("create what? ") + kKinds),
                  [&]<typename K>() {
    typename K::CreateRequest req;
    std::string error;
    if (int code = LoadRecordFile(args.Get("file"), K::Body(&req), &error); code != 0) {
      std::fprintf(stderr, "bhub: %s\n", error.c_str());
      return code;
    }
    req.set_parent("institutions/" + args.Get("institution"));
    K::SetId(&req, args.Get("id"));
    req.set_request_id(args.Get("request-id", RandomRequestId()));
    req.set_validate_only(cli.validate_only);
    typename K::Resource out;
    grpc::Status s = K::Create(*cli.client, req, &out);
    if (!s.ok()) return ReportError(s);
    PrintOne(cli, out);
    DryRunNote(cli);
    return kExitOk;
  });
}

int RunGet(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) return UsageError("usage: bhub get NAME");
  const std::string name = args.positionals()[1];
  return WithKind(CollectionOf(name), std::string("'" + name + "' is not a record name "
                             "(institutions/{i}/samples|characterizations|cellTests/{id})"),
                  [&]<typename K>() {
    typename K::Resource out;
    grpc::Status s = K::Get(*cli.client, name, &out);
    if (!s.ok()) return ReportError(s);
    PrintOne(cli, out);
    return kExitOk;
  });
}

int RunList(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) {
    return UsageError(
        "usage: bhub list samples|characterizations|cell-tests [--institution I] [--filter F] "
        "[--order-by O] [--page-size N] [--page-token T] [--all]");
  }
  return WithKind(args.positionals()[1], std::string("list what? samples, characterizations or "
                                                    "cell-tests"),
                  [&]<typename K>() {
    typename K::ListRequest req;
    req.set_parent("institutions/" + args.Get("institution", "-"));
    req.set_filter(args.Get("filter"));
    req.set_order_by(args.Get("order-by"));
    req.set_page_size(std::atoi(args.Get("page-size", "0").c_str()));
    req.set_page_token(args.Get("page-token"));
    req.set_show_deleted(args.Has("show-deleted"));
    const bool all = args.Has("all");
    for (bool first = true;; first = false) {
      typename K::ListResponse resp;
      grpc::Status s = K::List(*cli.client, req, &resp);
      if (!s.ok()) return ReportError(s);
      PrintPage(cli, K::Items(resp), all, first);
      if (resp.next_page_token().empty()) break;
      if (!all) {
        std::fflush(stdout);
        std::fprintf(stderr, "more: --page-token %s\n", resp.next_page_token().c_str());
        break;
      }
      req.set_page_token(resp.next_page_token());
    }
    return kExitOk;
  });
}

int RunRevisions(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2) return UsageError("usage: bhub revisions NAME");
  const std::string name = args.positionals()[1];
  return WithKind(CollectionOf(name), std::string("'" + name + "' is not a record name"),
                  [&]<typename K>() {
    typename K::RevisionsRequest req;
    req.set_name(name);
    req.set_page_size(std::atoi(args.Get("page-size", "0").c_str()));
    for (bool first = true;; first = false) {
      typename K::RevisionsResponse resp;
      grpc::Status s = K::Revisions(*cli.client, req, &resp);
      if (!s.ok()) return ReportError(s);
      PrintPage(cli, K::Items(resp), !first || !resp.next_page_token().empty(), first);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return kExitOk;
  });
}

int RunUpdate(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2 || !args.Has("file")) {
    return UsageError(
        "usage: bhub update NAME --file F [--update-mask f1,f2] [--etag E] [--request-id R] "
        "[--validate-only]");
  }
  const std::string name = args.positionals()[1];
  return WithKind(CollectionOf(name), std::string("'" + name + "' is not a record name"),
                  [&]<typename K>() {
    typename K::UpdateRequest req;
    std::string error;
    if (int code = LoadRecordFile(args.Get("file"), K::Body(&req), &error); code != 0) {
      std::fprintf(stderr, "bhub: %s\n", error.c_str());
      return code;
    }
    K::Body(&req)->set_name(name);
    if (args.Has("etag")) K::Body(&req)->set_etag(args.Get("etag"));
    for (const std::string& path : Split(args.Get("update-mask"), ',')) {
      req.mutable_update_mask()->add_paths(path);
    }
    req.set_request_id(args.Get("request-id", RandomRequestId()));
    req.set_validate_only(cli.validate_only);
    typename K::Resource out;
    grpc::Status s = K::Update(*cli.client, req, &out);
    if (!s.ok()) return ReportError(s);
    PrintOne(cli, out);
    DryRunNote(cli);
    return kExitOk;
  });
}

// bhub delete NAME | bhub undelete NAME: withdraw or restore a record.
int RunDelete(Cli& cli, const Args& args) {
  const bool restore = args.positionals()[0] == "undelete";
  const std::string name = args.positionals()[1];
  return WithKind(CollectionOf(name), std::string("'" + name + "' is not a record name"),
                  [&]<typename K>() {
    // Delete and Undelete requests have the same fields.
    auto fill = [&](auto* req) {
      req->set_name(name);
      req->set_etag(args.Get("etag"));
      req->set_request_id(args.Get("request-id", RandomRequestId()));
      req->set_validate_only(cli.validate_only);
    };
    typename K::Resource out;
    grpc::Status s;
    if (restore) {
      typename K::UndeleteRequest req;
      fill(&req);
      s = K::Undelete(*cli.client, req, &out);
    } else {
      typename K::DeleteRequest req;
      fill(&req);
      s = K::Delete(*cli.client, req, &out);
    }
    if (!s.ok()) return ReportError(s);
    if (cli.json) {
      std::printf("%s\n", ToJson(out, false).c_str());
    } else {
      std::printf("%s %s (revision %s)\n", restore ? "restored" : "withdrew", out.name().c_str(),
                  out.revision_id().c_str());
    }
    DryRunNote(cli);
    return kExitOk;
  });
}

}  // namespace batteryhub::cli
