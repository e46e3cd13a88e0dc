#include "clients/cli/profile.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/toml_text.h"

namespace batteryhub::cli {

namespace {

// Reads the known string keys of `table` into `out`; an unknown key or a
// value that is not a string is an error naming its line.
absl::Status ReadKeys(const std::string& path, const toml::table& table, const std::string& where,
                      bool top, Profile* out) {
  const std::map<std::string, std::string*> keys = {
      {"hub", &out->hub},   {"ca", &out->ca},         {"cert", &out->cert},
      {"key", &out->key},   {"token_file", &out->token_file}, {"output", &out->output}};
  for (const auto& [key_view, node] : table) {
    const std::string key(key_view.str());
    const std::string line = absl::StrCat(path, ":", node.source().begin.line, ": ");
    if (top && key == "profiles") continue;
    if (key == "token") {
      return absl::InvalidArgumentError(absl::StrCat(
          line, "a token does not belong in the config file: put it in a file of its own "
                "(mode 0600) and name that file with token_file"));
    }
    auto it = keys.find(key);
    if (it == keys.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          line, "unknown key '", key, "' in ", where,
          " (expected hub, ca, cert, key, token_file or output)"));
    }
    std::optional<std::string> value = node.value<std::string>();
    if (!value) return absl::InvalidArgumentError(absl::StrCat(line, "'", key, "' must be a string"));
    *it->second = key == "hub" || key == "output" ? *value : ExpandHome(*value);
  }
  return absl::OkStatus();
}

}  // namespace

std::string ExpandHome(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (home != nullptr && (path == "~" || path.rfind("~/", 0) == 0)) return home + path.substr(1);
  return path;
}

std::string ConfigPath(const Args& args, bool* explicitly_given) {
  const char* env = std::getenv("BATTERYHUB_CONFIG");
  *explicitly_given = args.Has("config") || (env != nullptr && *env);
  if (args.Has("config")) return ExpandHome(args.Get("config"));
  if (env != nullptr && *env) return ExpandHome(env);
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg) return std::string(xdg) + "/batteryhub/config.toml";
  return ExpandHome("~/.config/batteryhub/config.toml");
}

absl::StatusOr<Profile> LoadProfile(const std::string& path, const std::string& name,
                                    bool must_exist) {
  Profile profile;
  profile.name = name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (must_exist || !name.empty()) {
      return absl::NotFoundError(absl::StrCat("config file '", path, "' cannot be read",
                                              name.empty() ? "" : " (--profile needs it)"));
    }
    return profile;
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<toml::table> root = ParseTomlText(text.str(), path);
  if (!root.ok()) return root.status();
  if (absl::Status s = ReadKeys(path, *root, "the top level", true, &profile); !s.ok()) return s;
  const toml::node* profiles_node = root->get("profiles");
  const toml::table* profiles = profiles_node ? profiles_node->as_table() : nullptr;
  if (profiles_node != nullptr && profiles == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": 'profiles' must be tables "
                                                   "([profiles.NAME])"));
  }
  if (name.empty()) return profile;
  const toml::node* node = profiles ? profiles->get(name) : nullptr;
  if (node == nullptr || node->as_table() == nullptr) {
    std::vector<std::string> names;
    if (profiles) {
      for (const auto& [key, value] : *profiles) names.emplace_back(key.str());
    }
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": no profile '", name, "' (", names.empty() ? "it has none"
                                                            : "it has " + absl::StrJoin(names, ", "),
        "; a profile is a [profiles.NAME] table)"));
  }
  if (absl::Status s = ReadKeys(path, *node->as_table(), "[profiles." + name + "]", false, &profile);
      !s.ok()) {
    return s;
  }
  return profile;
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat("token file '", path, "' cannot be read"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "token file '", path, "' may be read by others (mode ",
        absl::StrCat(absl::Dec((st.st_mode >> 6) & 7), absl::Dec((st.st_mode >> 3) & 7),
                     absl::Dec(st.st_mode & 7)),
        "): chmod 600 '", path, "'"));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return absl::NotFoundError(absl::StrCat("token file '", path, "' cannot be read"));
  const std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty() || token.size() > 4096 ||
      token.find_first_of(" \t\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token file '", path, "' must hold one token on one line"));
  }
  return token;
}

}  // namespace batteryhub::cli
