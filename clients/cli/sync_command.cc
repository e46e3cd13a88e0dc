// bhub sync --from PEER --to LOCAL [--once | --follow [--interval S]] [--full]
// Pulls what this institution may see at the peer hub (credentials
// --from-token / --from-ca --from-cert --from-key, or BATTERYHUB_FROM_TOKEN,
// _FROM_CA, ...) and applies it to the local hub as its admin (--token /
// --ca --cert --key, or BATTERYHUB_TOKEN, ...). One summary line per run
// (JSON with --output json).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "clients/cli/cli.h"
#include "clients/cli/json_text.h"
#include "clients/cli/profile.h"
#include "clients/cpp/sync_job.h"

namespace batteryhub::cli {
namespace {

void PrintSummary(const Cli& cli, const client::SyncSummary& s, const grpc::Status& status) {
  if (cli.json) {
    const nlohmann::json line = {
        {"origin_hub", s.origin_hub},       {"ok", status.ok()},
        {"cursor_before", s.cursor_before}, {"cursor_after", s.cursor_after},
        {"applied", s.applied},             {"unchanged", s.unchanged},
        {"withdrawn", s.withdrawn},         {"series", s.series},
        {"rows", s.rows},                   {"bytes", s.bytes},
        {"seconds", s.seconds}};
    std::printf("%s\n", JsonText(line).c_str());
  } else {
    std::printf("sync %s: %lld records applied, %lld unchanged, %lld withdrawn, %lld series "
                "(%lld rows); cursor %llu -> %llu; %.1f kB in %.2f s\n",
                s.origin_hub.empty() ? "?" : s.origin_hub.c_str(), static_cast<long long>(s.applied),
                static_cast<long long>(s.unchanged), static_cast<long long>(s.withdrawn),
                static_cast<long long>(s.series), static_cast<long long>(s.rows),
                static_cast<unsigned long long>(s.cursor_before),
                static_cast<unsigned long long>(s.cursor_after), s.bytes / 1000.0, s.seconds);
  }
  std::fflush(stdout);
}

}  // namespace

int RunSync(Cli& cli, const Args& args) {
  if (args.positionals().size() != 1 || !args.Has("from") || (args.Has("once") && args.Has("follow"))) {
    return UsageError(
        "usage: bhub sync --from PEER --to LOCAL [--once | --follow [--interval S]] [--full]\n"
        "       [--batch N] [--from-token T] [--from-ca F --from-cert F --from-key F]");
  }
  client::ClientOptions peer_options = cli.options;
  peer_options.hub = args.Get("from");
  peer_options.tls_ca_pem.clear();
  peer_options.tls_cert_pem.clear();
  peer_options.tls_key_pem.clear();
  const char* env_token = std::getenv("BATTERYHUB_FROM_TOKEN");
  peer_options.token = args.Get("from-token", env_token ? env_token : "");
  if (args.Has("from-token-file")) {
    absl::StatusOr<std::string> token = ReadTokenFile(ExpandHome(args.Get("from-token-file")));
    if (!token.ok()) {
      std::fprintf(stderr, "bhub: %s\n", std::string(token.status().message()).c_str());
      return absl::IsNotFound(token.status()) ? kExitNoInput : kExitUsage;
    }
    peer_options.token = *token;
  }
  if (int code = LoadTls(args, "from-", "BATTERYHUB_FROM_", &peer_options); code != kExitOk) {
    return code;
  }
  client::ClientOptions local_options = cli.options;
  local_options.hub = args.Get("to", cli.options.hub);
  if (args.Has("to-token")) local_options.token = args.Get("to-token");
  client::SyncOptions options;
  options.full = args.Has("full");
  if (args.Has("batch") && (!absl::SimpleAtoi(args.Get("batch"), &options.batch) ||
                            options.batch < 1 || options.batch > 5000)) {
    return UsageError("--batch must be 1 to 5000");
  }
  int interval = 30;
  if (args.Has("interval") && (!absl::SimpleAtoi(args.Get("interval"), &interval) || interval < 1)) {
    return UsageError("--interval must be a number of seconds >= 1");
  }
  // A peer across an ocean restarts and drops connections: retry longer
  // than one interactive call would.
  for (client::ClientOptions* o : {&peer_options, &local_options}) {
    o->max_attempts = 8;
    o->initial_backoff = std::chrono::milliseconds(200);
    o->max_backoff = std::chrono::seconds(30);
  }
  client::HubClient peer(peer_options);
  client::HubClient local(local_options);
  for (;;) {
    client::SyncSummary summary;
    grpc::Status s = client::SyncOnce(peer, local, options, &summary);
    PrintSummary(cli, summary, s);
    if (!args.Has("follow")) return s.ok() ? kExitOk : ReportError(s);
    if (!s.ok()) ReportError(s);  // keep following; the next run resumes at the cursor
    options.full = false;
    std::this_thread::sleep_for(std::chrono::seconds(interval));
  }
}

}  // namespace batteryhub::cli
