// Hub configuration: TOML file (production) or the dev default.
//
//   [hub]      id, listen, data_dir
//   [limits]   max_message_bytes, max_threads, max_page_size, max_streams,
//              max_streams_per_caller, stream_idle_seconds
//   [[institutions]]  id, display_name, country
//   [[principals]]    id, institution ("" for hub admins), role, token_sha256
//   [http]     listen, web_root, threads
//   [tls]      cert, key, client_ca: PEM files. With it the hub serves
//              mutual TLS only: every client presents a certificate signed
//              by client_ca (deploy/pki.sh makes them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/principal.h"

namespace batteryhub {

struct InstitutionConfig {
  std::string id;
  std::string display_name;
  std::string country;
};

struct PrincipalConfig {
  std::string id;
  std::string institution;
  Role role = ::batteryhub::v1::ROLE_UNSPECIFIED;
  std::string token_sha256;
};

struct Limits {
  int64_t max_message_bytes = 16 << 20;
  int max_threads = 32;
  int max_page_size = 1000;
  // Streaming calls open at once on the hub (0: half of max_threads) and
  // per principal; a stream idle this long is cancelled.
  int max_streams = 0;
  int max_streams_per_caller = 4;
  int stream_idle_seconds = 30;
};

// Mutual TLS: the hub's certificate chain and key, and the CA that signs
// client certificates (PEM file paths; empty: plaintext, dev only).
struct TlsConfig {
  std::string cert;
  std::string key;
  std::string client_ca;
  bool enabled() const { return !cert.empty(); }
};

// The HTTP/JSON listener and web view (http/http_gateway.h): empty listen
// means none. The dev hub (no config file) listens on 127.0.0.1:8080.
struct HttpConfig {
  std::string listen;
  std::string web_root;  // empty: the web view built with this binary
  int threads = 8;
};

struct HubConfig {
  std::string hub_id = "dev-hub";
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./var/batteryhub";
  Limits limits;
  std::vector<InstitutionConfig> institutions;
  std::vector<PrincipalConfig> principals;
  TlsConfig tls;
  HttpConfig http;
};

// Parses a TOML config. INVALID_ARGUMENT with the file, line and key on any
// error, including unknown keys and principals of unknown institutions.
absl::StatusOr<HubConfig> LoadHubConfig(const std::string& path);

// The four default institutions of the consortium.
std::vector<InstitutionConfig> DefaultInstitutions();

// Dev principals for `config.data_dir`: reads `dev-tokens.toml` there, or
// creates it (mode 0600) with fresh random tokens, and adds a viewer,
// submitter and steward per default institution and one hub admin.
// Returns the path of the tokens file.
absl::StatusOr<std::string> SetUpDevPrincipals(HubConfig* config);

// A new random bearer token (URL-safe, 256 bits).
std::string NewToken();

}  // namespace batteryhub
