// What every bhub command gets: the client, output mode, parsed args, and
// error reporting that maps a gRPC status to an exit code.
#pragma once

#include <memory>
#include <string>

#include "clients/cli/args.h"
#include "clients/cli/exit_codes.h"
#include "clients/cpp/hub_client.h"

namespace batteryhub::cli {

struct Cli {
  client::ClientOptions options;
  bool json = false;
  // --dry-run on a change: the hub validates only (AIP-163), stores nothing.
  bool validate_only = false;
  std::unique_ptr<client::HubClient> client;
};

// "CODE: message" of a gRPC status.
std::string StatusText(const grpc::Status& status);

// Prints "bhub: CODE: message" and every field violation to stderr; returns
// the exit code of `status`.
int ReportError(const grpc::Status& status);

// Reads the PEM files of --{prefix}ca, --{prefix}cert, --{prefix}key (or
// the environment variables {env_prefix}CA, _CERT, _KEY) into `options`;
// kExitOk, or the exit code of the problem (reported).
int LoadTls(const Args& args, const std::string& prefix, const std::string& env_prefix,
            client::ClientOptions* options);

// After a change made with --dry-run: says on stdout (table output) that
// nothing was stored.
void DryRunNote(const Cli& cli);

// Prints a usage error; returns kExitUsage.
int UsageError(const std::string& message);

// A random id for request_id (32 hex characters).
std::string RandomRequestId();

int RunCreate(Cli& cli, const Args& args);
int RunGet(Cli& cli, const Args& args);
int RunList(Cli& cli, const Args& args);
int RunRevisions(Cli& cli, const Args& args);
int RunUpdate(Cli& cli, const Args& args);
int RunDelete(Cli& cli, const Args& args);
int RunAdmin(Cli& cli, const Args& args);
int RunWhoami(Cli& cli, const Args& args);
int RunInstitutions(Cli& cli, const Args& args);
int RunDemo(Cli& cli, const Args& args);
int RunUpload(Cli& cli, const Args& args);
int RunWatch(Cli& cli, const Args& args);
int RunParse(Cli& cli, const Args& args);
int RunSeries(Cli& cli, const Args& args);
int RunSummary(Cli& cli, const Args& args);
int RunRawFile(Cli& cli, const Args& args);
int RunVerify(Cli& cli, const Args& args);
int RunAudit(Cli& cli, const Args& args);
int RunLineage(Cli& cli, const Args& args);
int RunAccess(Cli& cli, const Args& args);
int RunSync(Cli& cli, const Args& args);

}  // namespace batteryhub::cli
