// bhub: the batteryhub command-line client. See DESIGN.md section 11.
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "clients/cli/cli.h"

namespace batteryhub::cli {

namespace {

constexpr const char* kUsage =
    "usage: bhub [--hub HOST:PORT] [--token TOKEN] [--ca F --cert F --key F]\n"
    "            [--output table|json] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  create sample|characterization|cell-test --institution I --id ID --file F\n"
    "  get NAME                      (NAME@N for revision N)\n"
    "  list samples|characterizations|cell-tests [--institution I] [--filter F]\n"
    "       [--order-by O] [--page-size N] [--page-token T] [--all]\n"
    "  update NAME --file F [--update-mask f1,f2] [--etag E]\n"
    "  revisions NAME\n"
    "  admin token create --institution I --role viewer|submitter|steward\n"
    "  admin token list --institution I | admin token revoke TOKEN_NAME\n"
    "  audit [--institution I] [--page-size N] [--all]   (stewards: their institution)\n"
    "  upload FILE --cell-test NAME [--format auto|arbin|maccor|biologic|neware|novonix|\n"
    "       basytec|pec|bdf|batteryarchive|table] [--timezone TZ] [--append] [--complete]\n"
    "       [--dry-run] [--strict]   (--complete: a last line without a line break is a row)\n"
    "       (a file that grows one uploaded before appends its new rows; the same file\n"
    "       nothing; another file only with --append, when its test time continues)\n"
    "       (.mpr .nda .ndax .res .xlsx .xls and text exports; --timezone: the zone the\n"
    "       file's wall-clock times were written in, default UTC; --strict: refuse a file\n"
    "       the checks find errors in)\n"
    "  parse FILE [--format csv|bdf|json] [--rows A:B] [--timezone TZ] [--vendor auto|...]\n"
    "       (no hub: the rows an upload would store, with notes and check findings as # lines;\n"
    "       exit 65 with the reason for a file it refuses)\n"
    "  series NAME [--columns c1,c2] [--cycles A:B | --rows A:B] [--format csv|bdf|json]\n"
    "  summary NAME\n"
    "  raw-file NAME SHA256 --out FILE\n"
    "  verify                        (ledger, digests, series; as the hub's admin)\n"
    "  lineage NAME [--up|--down] [--depth N]\n"
    "  access show NAME [--as I] | access grant NAME I --tier T [--from DATE] [--restricted]\n"
    "  access revoke NAME I | access embargo NAME [I] --until DATE [--then V]\n"
    "  access restrict|unrestrict NAME FIELD... | access visibility NAME V\n"
    "  access defaults [set] --institution I ... | access agreement create|update|list|show\n"
    "                                (bhub access for the details)\n"
    "  sync --from PEER --to LOCAL [--once|--follow [--interval S]] [--full] [--batch N]\n"
    "       [--from-token T | --from-ca F --from-cert F --from-key F]  (local: as its admin)\n"
    "  whoami | institutions\n"
    "  demo load                     (as the hub's admin)\n"
    "\n"
    "The hub also comes from BATTERYHUB_HUB, the token from BATTERYHUB_TOKEN.\n"
    "Mutual TLS: --ca CA.pem --cert INSTITUTION.pem --key INSTITUTION.key (or\n"
    "BATTERYHUB_CA, BATTERYHUB_CERT, BATTERYHUB_KEY); deploy/pki.sh makes them.\n"
    "Exit codes: 0 ok, 2 usage, 65 bad input, 66 missing file, 69 hub unavailable,\n"
    "77 unauthenticated/denied/not found, 1 other.\n";

}  // namespace

int ReportError(const grpc::Status& status) {
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
  std::fprintf(stderr, "bhub: %s: %s\n", it == kNames.end() ? "ERROR" : it->second,
               status.error_message().c_str());
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

int main(int argc, char** argv) {
  using namespace batteryhub::cli;
  Args args(argc, argv, 1,
            {"all", "validate-only", "help", "dry-run", "up", "down", "restricted", "once",
             "follow", "full", "strict", "append", "complete"});
  if (!args.error().empty()) return UsageError(args.error());
  for (const std::string& flag :
       args.Unknown({"hub", "token", "output", "all", "validate-only", "help", "dry-run", "strict", "append", "complete",
                     "institution", "id", "file", "request-id", "filter", "order-by",
                     "page-size", "page-token", "update-mask", "etag", "role", "principal",
                     "cell-test", "format", "vendor", "timezone", "columns", "cycles", "rows", "out", "up", "down",
                     "depth", "ca", "cert", "key", "as", "tier", "from", "until", "then",
                     "restricted", "agreement", "visibility", "restrict", "members",
                     "add-member", "remove-member", "kinds",
                     "label", "to", "from-token", "from-ca", "from-cert", "from-key", "once",
                     "follow", "full", "interval", "batch"})) {
    return UsageError("unknown flag --" + flag + " (see bhub --help)");
  }
  if (args.Has("help") || args.positionals().empty()) {
    std::fprintf(args.Has("help") ? stdout : stderr, "%s", kUsage);
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  Cli cli;
  const char* env_hub = std::getenv("BATTERYHUB_HUB");
  const char* env_token = std::getenv("BATTERYHUB_TOKEN");
  cli.options.hub = args.Get("hub", env_hub ? env_hub : "127.0.0.1:50051");
  cli.options.token = args.Get("token", env_token ? env_token : "");
  if (int code = LoadTls(args, "", "BATTERYHUB_", &cli.options); code != kExitOk) return code;
  const std::string output = args.Get("output", "table");
  if (output != "table" && output != "json") return UsageError("--output must be table or json");
  cli.json = output == "json";
  cli.client = std::make_unique<batteryhub::client::HubClient>(cli.options);

  const std::string command = args.positionals()[0];
  static const std::map<std::string, int (*)(Cli&, const Args&)> kCommands = {
      {"create", RunCreate},   {"get", RunGet},           {"list", RunList},
      {"revisions", RunRevisions}, {"update", RunUpdate}, {"admin", RunAdmin},
      {"whoami", RunWhoami},   {"institutions", RunInstitutions}, {"demo", RunDemo},
      {"upload", RunUpload},   {"series", RunSeries},     {"summary", RunSummary},
      {"parse", RunParse},
      {"raw-file", RunRawFile}, {"verify", RunVerify},       {"lineage", RunLineage},
      {"audit", RunAudit},     {"access", RunAccess},   {"sync", RunSync},
  };
  auto it = kCommands.find(command);
  if (it == kCommands.end()) return UsageError("unknown command '" + command + "'\n" + kUsage);
  return it->second(cli, args);
}
