// bhub: the batteryhub command-line client. See DESIGN.md section 11.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <tuple>

#include "clients/cli/cli.h"
#include "clients/cli/command_line.h"
#include "clients/cli/profile.h"

namespace batteryhub::cli {
namespace {

// The hub, credentials and output: flags first, then the environment, then
// the config file's profile. kExitOk or the exit code of the problem.
int Configure(Args& args, Cli* cli) {
  bool config_given = false;
  const std::string config = ConfigPath(args, &config_given);
  const char* env_profile = std::getenv("BATTERYHUB_PROFILE");
  const std::string profile_name = args.Get("profile", env_profile ? env_profile : "");
  absl::StatusOr<Profile> profile = LoadProfile(config, profile_name, config_given);
  if (!profile.ok()) {
    std::fprintf(stderr, "bhub: %s\n", std::string(profile.status().message()).c_str());
    return absl::IsNotFound(profile.status()) ? kExitNoInput : kExitUsage;
  }
  const auto pick = [&](const char* flag, const char* env, const std::string& from_profile,
                        const std::string& fallback) {
    if (args.Has(flag)) return args.Get(flag);
    const char* e = env ? std::getenv(env) : nullptr;
    if (e != nullptr && *e) return std::string(e);
    return from_profile.empty() ? fallback : from_profile;
  };
  cli->options.hub = pick("hub", "BATTERYHUB_HUB", profile->hub, "127.0.0.1:50051");
  // TLS files from the profile where neither a flag nor the environment says.
  for (auto [flag, env, value] : {std::make_tuple("ca", "BATTERYHUB_CA", profile->ca),
                                  std::make_tuple("cert", "BATTERYHUB_CERT", profile->cert),
                                  std::make_tuple("key", "BATTERYHUB_KEY", profile->key)}) {
    const char* e = std::getenv(env);
    if (!args.Has(flag) && (e == nullptr || !*e) && !value.empty()) args.Set(flag, value);
  }
  if (int code = LoadTls(args, "", "BATTERYHUB_", &cli->options); code != kExitOk) return code;
  // The token: --token, --token-file, BATTERYHUB_TOKEN, BATTERYHUB_TOKEN_FILE,
  // the profile's token_file.
  const char* env_token = std::getenv("BATTERYHUB_TOKEN");
  const char* env_token_file = std::getenv("BATTERYHUB_TOKEN_FILE");
  std::string token_file;
  if (args.Has("token")) {
    cli->options.token = args.Get("token");
  } else if (args.Has("token-file")) {
    token_file = ExpandHome(args.Get("token-file"));
  } else if (env_token != nullptr && *env_token) {
    cli->options.token = env_token;
  } else if (env_token_file != nullptr && *env_token_file) {
    token_file = ExpandHome(env_token_file);
  } else {
    token_file = profile->token_file;
  }
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = ReadTokenFile(token_file);
    if (!token.ok()) {
      std::fprintf(stderr, "bhub: %s\n", std::string(token.status().message()).c_str());
      return absl::IsNotFound(token.status()) ? kExitNoInput : kExitUsage;
    }
    cli->options.token = *token;
  }
  const std::string output = pick("output", "BATTERYHUB_OUTPUT", profile->output, "table");
  if (output != "table" && output != "json") return UsageError("--output must be table or json");
  cli->json = output == "json";
  return kExitOk;
}

int RunCompletion(Cli&, const Args& args) {
  if (args.positionals().size() != 2 || args.positionals()[1] != "bash") {
    return UsageError("completion: only bash is supported (bhub completion bash)");
  }
  std::printf("%s", BashCompletion().c_str());
  return kExitOk;
}

}  // namespace
}  // namespace batteryhub::cli

int main(int argc, char** argv) {
  using namespace batteryhub::cli;
  CommandLine line = ParseCommandLine(argc, argv);
  if (line.exit_code >= 0) return line.exit_code;
  Args& args = line.args;
  const std::string command = args.positionals()[0];
  Cli cli;
  if (command == "completion") return RunCompletion(cli, args);
  if (int code = Configure(args, &cli); code != kExitOk) return code;
  // --dry-run on a change asks the hub to validate only (AIP-163).
  if (args.Has("validate-only")) args.Set("dry-run", "");
  cli.validate_only = args.Has("dry-run");
  cli.client = std::make_unique<batteryhub::client::HubClient>(cli.options);
  static const std::map<std::string, int (*)(Cli&, const Args&)> kCommands = {
      {"create", RunCreate},   {"get", RunGet},           {"list", RunList},
      {"revisions", RunRevisions}, {"update", RunUpdate},
      {"delete", RunDelete},   {"undelete", RunDelete}, {"admin", RunAdmin},
      {"whoami", RunWhoami},   {"institutions", RunInstitutions}, {"demo", RunDemo},
      {"upload", RunUpload},   {"series", RunSeries},     {"summary", RunSummary},
      {"parse", RunParse},     {"watch", RunWatch},
      {"raw-file", RunRawFile}, {"verify", RunVerify},       {"lineage", RunLineage},
      {"audit", RunAudit},     {"access", RunAccess},   {"sync", RunSync},
  };
  auto it = kCommands.find(command);
  if (it == kCommands.end()) return UsageError("unknown command '" + command + "'");
  return it->second(cli, args);
}
