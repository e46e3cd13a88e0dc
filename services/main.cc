// batteryhubd: the hub server. See DESIGN.md section 11 for the contract.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "core/version.h"
#include "http/http_gateway.h"
#include "services/hub_server.h"

namespace {

void Usage() {
  std::fprintf(stderr,
               "usage: batteryhubd [--config FILE] [--listen HOST:PORT] [--data_dir DIR]\n"
               "                   [--http_listen HOST:PORT|off] [--web_root DIR] [--version]\n"
               "Without --config: a dev hub (data in ./var/batteryhub, gRPC on 127.0.0.1:50051,\n"
               "HTTP/JSON and the web view on 127.0.0.1:8080, dev tokens written to\n"
               "DATA_DIR/dev-tokens.toml).\n");
}

// "--name=value" or "--name value"; advances *i for the latter.
bool Flag(int argc, char** argv, int* i, const char* name, std::string* out) {
  const std::string arg = argv[*i];
  const std::string prefix = std::string("--") + name;
  if (arg == prefix && *i + 1 < argc) {
    *out = argv[++*i];
    return true;
  }
  if (arg.rfind(prefix + "=", 0) == 0) {
    *out = arg.substr(prefix.size() + 1);
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, listen, data_dir, http_listen, web_root;
  bool http_flag = false;
  for (int i = 1; i < argc; ++i) {
    if (Flag(argc, argv, &i, "config", &config_path) || Flag(argc, argv, &i, "listen", &listen) ||
        Flag(argc, argv, &i, "data_dir", &data_dir) || Flag(argc, argv, &i, "data-dir", &data_dir) ||
        Flag(argc, argv, &i, "web_root", &web_root)) {
      continue;
    }
    if (Flag(argc, argv, &i, "http_listen", &http_listen)) {
      http_flag = true;
      continue;
    }
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      Usage();
      return 0;
    }
    if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("batteryhubd %s\n", batteryhub::kVersion);
      return 0;
    }
    std::fprintf(stderr, "batteryhubd: unknown argument '%s'\n", argv[i]);
    Usage();
    return 2;
  }

  batteryhub::HubConfig config;
  if (!config_path.empty()) {
    absl::StatusOr<batteryhub::HubConfig> loaded = batteryhub::LoadHubConfig(config_path);
    if (!loaded.ok()) {
      std::fprintf(stderr, "batteryhubd: %s\n", std::string(loaded.status().message()).c_str());
      return 1;
    }
    config = *loaded;
  }
  if (!listen.empty()) config.listen = listen;
  if (!data_dir.empty()) config.data_dir = data_dir;
  // The dev hub serves HTTP too: on 8080, or on a free port when gRPC asked
  // for one (tests and scripts that run several hubs at once).
  if (config_path.empty()) {
    const bool free_port = config.listen.size() > 2 && config.listen.substr(config.listen.size() - 2) == ":0";
    config.http.listen = free_port ? "127.0.0.1:0" : "127.0.0.1:8080";
  }
  if (http_flag) config.http.listen = http_listen == "off" ? "" : http_listen;
  if (!web_root.empty()) config.http.web_root = web_root;
  if (config.http.web_root.empty()) config.http.web_root = BATTERYHUB_WEB_ROOT;
  if (config_path.empty()) {
    absl::StatusOr<std::string> tokens = batteryhub::SetUpDevPrincipals(&config);
    if (!tokens.ok()) {
      std::fprintf(stderr, "batteryhubd: %s\n", std::string(tokens.status().message()).c_str());
      return 1;
    }
    std::printf("batteryhubd dev hub: tokens in %s\n", tokens->c_str());
  }

  // SIGTERM/SIGINT are waited for on a thread of our own.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<batteryhub::HubServer>> hub = batteryhub::HubServer::Start(config);
  if (!hub.ok()) {
    std::fprintf(stderr, "batteryhubd: %s\n", std::string(hub.status().message()).c_str());
    return 1;
  }
  std::printf("batteryhubd listening on %s\n", (*hub)->address().c_str());
  std::unique_ptr<batteryhub::http::HttpGateway> http;
  if (!config.http.listen.empty() && config.tls.enabled() &&
      config.http.listen.rfind("127.0.0.1:", 0) != 0 && config.http.listen.rfind("[::1]:", 0) != 0 &&
      config.http.listen.rfind("localhost:", 0) != 0) {
    // The HTTP listener speaks plaintext: with TLS on it serves loopback
    // only, behind a TLS-terminating proxy on the same machine.
    std::fprintf(stderr,
                 "batteryhubd: [http] listen %s: with [tls] on, HTTP listens on loopback only "
                 "(put a TLS proxy in front of it)\n",
                 config.http.listen.c_str());
    (*hub)->Shutdown();
    return 1;
  }
  if (!config.http.listen.empty()) {
    batteryhub::http::HttpOptions options;
    options.listen = config.http.listen;
    options.threads = config.http.threads;
    options.max_body_bytes = static_cast<size_t>(config.limits.max_message_bytes);
    // The web view is optional: a hub built without npm serves the API alone.
    struct stat st;
    if (stat(config.http.web_root.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      options.web_root = config.http.web_root;
    } else {
      std::fprintf(stderr, "batteryhubd: no web view at %s; HTTP serves the API only\n",
                   config.http.web_root.c_str());
    }
    absl::StatusOr<std::unique_ptr<batteryhub::http::HttpGateway>> started =
        batteryhub::http::HttpGateway::Start(options, (*hub)->InProcessChannel());
    if (!started.ok()) {
      std::fprintf(stderr, "batteryhubd: %s\n", std::string(started.status().message()).c_str());
      (*hub)->Shutdown();
      return 1;
    }
    http = *std::move(started);
    std::printf("batteryhubd http listening on %s\n", http->address().c_str());
  }
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "batteryhubd: %s, draining calls and closing the store\n",
               strsignal(signal_number));
  if (http) http->Shutdown();
  (*hub)->Shutdown();
  hub->reset();
  return 0;
}
