// What every bhub command shares: error reporting, TLS files, request ids.
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "clients/cli/cli.h"

namespace batteryhub::cli {

std::string StatusText(const grpc::Status& status) {
  static const std::map<grpc::StatusCode, const char*> kNames = {
      {grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
      {grpc::StatusCode::NOT_FOUND, "NOT_FOUND"},
      {grpc::StatusCode::ALREADY_EXISTS, "ALREADY_EXISTS"},
      {grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"},
      {grpc::StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED"},
      {grpc::StatusCode::ABORTED, "ABORTED"},
      {grpc::StatusCode::UNAVAILABLE, "UNAVAILABLE"},
      {grpc::StatusCode::DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, "RESOURCE_EXHAUSTED"},
      {grpc::StatusCode::FAILED_PRECONDITION, "FAILED_PRECONDITION"},
  };
  auto it = kNames.find(status.error_code());
  return std::string(it == kNames.end() ? "ERROR" : it->second) + ": " + status.error_message();
}

int ReportError(const grpc::Status& status) {
  std::fprintf(stderr, "bhub: %s\n", StatusText(status).c_str());
  client::ErrorDetails details = client::ParseErrorDetails(status);
  if (details.field_violations.size() > 1) {
    for (const auto& [field, description] : details.field_violations) {
      std::fprintf(stderr, "  %s: %s\n", field.c_str(), description.c_str());
    }
  }
  return ExitCodeFor(status);
}

int LoadTls(const Args& args, const std::string& prefix, const std::string& env_prefix,
            client::ClientOptions* options) {
  for (auto [flag, env, pem] : {std::make_tuple("ca", "CA", &options->tls_ca_pem),
                                std::make_tuple("cert", "CERT", &options->tls_cert_pem),
                                std::make_tuple("key", "KEY", &options->tls_key_pem)}) {
    const char* from_env = std::getenv((env_prefix + env).c_str());
    const std::string path = args.Get(prefix + flag, from_env ? from_env : "");
    if (path.empty()) continue;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    if (in) text << in.rdbuf();
    if (!in || text.str().find("-----BEGIN ") == std::string::npos) {
      std::fprintf(stderr, "bhub: --%s%s: '%s' is not a readable PEM file\n", prefix.c_str(), flag,
                   path.c_str());
      return kExitNoInput;
    }
    *pem = text.str();
  }
  if (options->tls_ca_pem.empty() && !(options->tls_cert_pem.empty() && options->tls_key_pem.empty())) {
    return UsageError("--" + prefix + "cert and --" + prefix + "key need --" + prefix +
                      "ca (the CA of the hub's certificate)");
  }
  return kExitOk;
}

void DryRunNote(const Cli& cli) {
  if (cli.validate_only && !cli.json) std::printf("(dry run: the hub validated it; nothing stored)\n");
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "bhub: %s\n", message.c_str());
  return kExitUsage;
}

std::string RandomRequestId() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

}  // namespace batteryhub::cli
