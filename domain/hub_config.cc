#include "domain/hub_config.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include "core/toml.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/names.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "core/toml_text.h"

namespace batteryhub {
namespace {

absl::Status ConfigError(const std::string& path, const toml::node* node, absl::string_view what) {
  std::string where = path;
  if (node != nullptr && node->source().begin) {
    absl::StrAppend(&where, ":", node->source().begin.line);
  }
  return absl::InvalidArgumentError(absl::StrCat("config ", where, ": ", what));
}

// Rejects keys of `table` outside `allowed`: a typo must not pass silently.
absl::Status CheckKeys(const std::string& path, const toml::table& table, absl::string_view where,
                       std::set<std::string> allowed) {
  for (const auto& [key, node] : table) {
    if (!allowed.count(std::string(key.str()))) {
      return ConfigError(path, &node, absl::StrCat("unknown key '", std::string(key.str()), "' in ", where));
    }
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status Read(const std::string& path, const toml::table& t, const char* key, T* out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return absl::OkStatus();
  std::optional<T> value = node->value<T>();
  if (!value) return ConfigError(path, node, absl::StrCat("'", key, "' has the wrong type"));
  *out = *value;
  return absl::OkStatus();
}

absl::Status ReadInstitutions(const std::string& path, const toml::table& root, HubConfig* c) {
  const toml::array* list = root["institutions"].as_array();
  if (list == nullptr) return absl::OkStatus();
  for (const toml::node& node : *list) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return ConfigError(path, &node, "[[institutions]] entries must be tables");
    RETURN_IF_ERROR(CheckKeys(path, *t, "[[institutions]]", {"id", "display_name", "country"}));
    InstitutionConfig inst;
    RETURN_IF_ERROR(Read(path, *t, "id", &inst.id));
    RETURN_IF_ERROR(Read(path, *t, "display_name", &inst.display_name));
    RETURN_IF_ERROR(Read(path, *t, "country", &inst.country));
    if (!IsValidId(inst.id)) return ConfigError(path, &node, "institution id must be DNS-safe");
    c->institutions.push_back(inst);
  }
  return absl::OkStatus();
}

absl::Status ReadPrincipals(const std::string& path, const toml::table& root, HubConfig* c) {
  const toml::array* list = root["principals"].as_array();
  if (list == nullptr) return absl::OkStatus();
  std::set<std::string> institutions;
  for (const auto& i : c->institutions) institutions.insert(i.id);
  for (const toml::node& node : *list) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return ConfigError(path, &node, "[[principals]] entries must be tables");
    RETURN_IF_ERROR(CheckKeys(path, *t, "[[principals]]", {"id", "institution", "role", "token_sha256"}));
    PrincipalConfig p;
    std::string role;
    RETURN_IF_ERROR(Read(path, *t, "id", &p.id));
    RETURN_IF_ERROR(Read(path, *t, "institution", &p.institution));
    RETURN_IF_ERROR(Read(path, *t, "role", &role));
    RETURN_IF_ERROR(Read(path, *t, "token_sha256", &p.token_sha256));
    p.role = ParseRole(role);
    if (!IsValidId(p.id)) return ConfigError(path, &node, "principal id must be DNS-safe");
    if (p.role == ::batteryhub::v1::ROLE_UNSPECIFIED) {
      return ConfigError(path, &node, "role must be viewer, submitter, steward or admin");
    }
    if (p.role != ::batteryhub::v1::ROLE_ADMIN && !institutions.count(p.institution)) {
      return ConfigError(path, &node,
                         absl::StrCat("principal '", p.id, "' names unknown institution '",
                                      p.institution, "'"));
    }
    if (!IsSha256Hex(p.token_sha256)) {
      return ConfigError(path, &node, "token_sha256 must be 64 hex characters");
    }
    c->principals.push_back(p);
  }
  return absl::OkStatus();
}

absl::Status ReadHubAndLimits(const std::string& path, const toml::table& root, HubConfig* c) {
  RETURN_IF_ERROR(
      CheckKeys(path, root, "the top level", {"hub", "limits", "institutions", "principals", "tls", "http"}));
  if (const toml::table* tls = root["tls"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(path, *tls, "[tls]", {"cert", "key", "client_ca"}));
    RETURN_IF_ERROR(Read(path, *tls, "cert", &c->tls.cert));
    RETURN_IF_ERROR(Read(path, *tls, "key", &c->tls.key));
    RETURN_IF_ERROR(Read(path, *tls, "client_ca", &c->tls.client_ca));
    if (c->tls.cert.empty() || c->tls.key.empty() || c->tls.client_ca.empty()) {
      return ConfigError(path, tls, "[tls] needs cert, key and client_ca (PEM files)");
    }
  }
  if (const toml::table* hub = root["hub"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(path, *hub, "[hub]", {"id", "listen", "data_dir"}));
    RETURN_IF_ERROR(Read(path, *hub, "id", &c->hub_id));
    RETURN_IF_ERROR(Read(path, *hub, "listen", &c->listen));
    RETURN_IF_ERROR(Read(path, *hub, "data_dir", &c->data_dir));
  }
  if (const toml::table* http = root["http"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(path, *http, "[http]", {"listen", "web_root", "threads"}));
    RETURN_IF_ERROR(Read(path, *http, "listen", &c->http.listen));
    RETURN_IF_ERROR(Read(path, *http, "web_root", &c->http.web_root));
    int64_t threads = c->http.threads;
    RETURN_IF_ERROR(Read(path, *http, "threads", &threads));
    if (threads < 1 || threads > 256) return ConfigError(path, http, "[http] threads must be 1-256");
    c->http.threads = static_cast<int>(threads);
  }
  if (const toml::table* limits = root["limits"].as_table()) {
    RETURN_IF_ERROR(CheckKeys(path, *limits, "[limits]",
                         {"max_message_bytes", "max_threads", "max_page_size", "max_streams",
                          "max_streams_per_caller", "stream_idle_seconds"}));
    RETURN_IF_ERROR(Read(path, *limits, "max_message_bytes", &c->limits.max_message_bytes));
    int64_t threads = c->limits.max_threads, page = c->limits.max_page_size;
    int64_t streams = c->limits.max_streams, per_caller = c->limits.max_streams_per_caller;
    int64_t idle = c->limits.stream_idle_seconds;
    RETURN_IF_ERROR(Read(path, *limits, "max_threads", &threads));
    RETURN_IF_ERROR(Read(path, *limits, "max_page_size", &page));
    RETURN_IF_ERROR(Read(path, *limits, "max_streams", &streams));
    RETURN_IF_ERROR(Read(path, *limits, "max_streams_per_caller", &per_caller));
    RETURN_IF_ERROR(Read(path, *limits, "stream_idle_seconds", &idle));
    if (threads < 2 || threads > 1024 || page < 1 || page > 100000 ||
        c->limits.max_message_bytes < 1024 || streams < 0 || streams >= threads ||
        per_caller < 1 || idle < 1 || idle > 86400) {
      return ConfigError(path, limits,
                         "limits out of range (max_streams below max_threads, "
                         "stream_idle_seconds 1-86400)");
    }
    c->limits.max_threads = static_cast<int>(threads);
    c->limits.max_page_size = static_cast<int>(page);
    c->limits.max_streams = static_cast<int>(streams);
    c->limits.max_streams_per_caller = static_cast<int>(per_caller);
    c->limits.stream_idle_seconds = static_cast<int>(idle);
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<InstitutionConfig> DefaultInstitutions() {
  return {
      {"aist", "National Institute of Advanced Industrial Science and Technology", "JP"},
      {"nedo", "New Energy and Industrial Technology Development Organization", "JP"},
      {"libtec", "Lithium Ion Battery Technology and Evaluation Center", "JP"},
      {"nrc", "National Research Council Canada", "CA"},
  };
}

absl::StatusOr<HubConfig> LoadHubConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("config ", path, ": cannot be read"));
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string text = bytes.str();
  absl::StatusOr<toml::table> parsed = ParseTomlText(text, path);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat("config ", parsed.status().message()));
  HubConfig config;
  config.data_dir = "/var/lib/batteryhub";
  const toml::table& root = *parsed;
  RETURN_IF_ERROR(ReadHubAndLimits(path, root, &config));
  RETURN_IF_ERROR(ReadInstitutions(path, root, &config));
  if (config.institutions.empty()) config.institutions = DefaultInstitutions();
  RETURN_IF_ERROR(ReadPrincipals(path, root, &config));
  return config;
}

std::string NewToken() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof(bytes));
  return "bh_" + absl::WebSafeBase64Escape(
                     absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

absl::StatusOr<std::string> SetUpDevPrincipals(HubConfig* config) {
  const std::string path = config->data_dir + "/dev-tokens.toml";
  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data dir '", config->data_dir, "': ", ec.message()));
  }
  toml::table tokens;
  if (std::filesystem::exists(path)) {
    toml::parse_result parsed = toml::parse_file(path);
    if (!parsed) return absl::FailedPreconditionError("unreadable " + path);
    tokens = std::move(parsed.table());
  }
  bool changed = false;
  auto token_for = [&](const std::string& table, const std::string& key) {
    if (!tokens.contains(table)) tokens.insert(table, toml::table{});
    toml::table& t = *tokens[table].as_table();
    if (!t[key].is_string()) {
      t.insert_or_assign(key, NewToken());
      changed = true;
    }
    return *t[key].value<std::string>();
  };
  config->institutions = DefaultInstitutions();
  for (const auto& inst : config->institutions) {
    for (const char* role : {"viewer", "submitter", "steward"}) {
      config->principals.push_back({absl::StrCat(inst.id, "-", role), inst.id, ParseRole(role),
                                    Sha256Hex(token_for(inst.id, role))});
    }
  }
  config->principals.push_back(
      {"admin", "", ::batteryhub::v1::ROLE_ADMIN, Sha256Hex(token_for("hub", "admin"))});
  if (changed) {
    const std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      ::chmod(tmp.c_str(), 0600);
      out << "# Dev bearer tokens of this hub. Keep private.\n" << tokens << "\n";
      if (!out) return absl::FailedPreconditionError("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return absl::FailedPreconditionError("cannot write " + path);
  }
  ::chmod(path.c_str(), 0600);
  return path;
}

}  // namespace batteryhub
