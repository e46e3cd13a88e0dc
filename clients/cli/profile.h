// Where bhub finds its hub and credentials when the command line does not
// say: the environment, then a profile of the config file
// (~/.config/batteryhub/config.toml, or $XDG_CONFIG_HOME/batteryhub/...):
//
//   hub = "127.0.0.1:50051"          # keys at the top apply to every profile
//   [profiles.nrc-prod]
//   hub = "hub.nrc.example:443"
//   ca = "/etc/batteryhub/ca.pem"
//   cert = "~/.config/batteryhub/nrc.pem"
//   key = "~/.config/batteryhub/nrc.key"
//   token_file = "~/.config/batteryhub/nrc.token"
//   output = "json"
//
// Tokens live in files (mode 0600), never in the config or on the command
// line of a scheduled job: the command line shows in `ps` and the history.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/args.h"

namespace batteryhub::cli {

struct Profile {
  std::string name;  // "" for the top-level keys only
  std::string hub, ca, cert, key, token_file, output;
};

// The profile `name` ("" for none: the top-level keys) of the config file
// at `path`; a missing file is an empty profile unless `must_exist`.
absl::StatusOr<Profile> LoadProfile(const std::string& path, const std::string& name,
                                    bool must_exist);

// The config file's path: --config, BATTERYHUB_CONFIG, then the XDG default.
std::string ConfigPath(const Args& args, bool* explicitly_given);

// The token in `path`: one line, whitespace trimmed. Refuses a file that
// others may read (like ssh does a key) and one that is not one token.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// "~/x" -> "$HOME/x".
std::string ExpandHome(const std::string& path);

}  // namespace batteryhub::cli
