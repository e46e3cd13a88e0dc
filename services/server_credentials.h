// The credentials batteryhubd listens with: mutual TLS from the [tls]
// config, plaintext without it (dev hubs).
#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "absl/status/statusor.h"
#include "domain/hub_config.h"

namespace batteryhub {

// FAILED_PRECONDITION naming the file when a PEM file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsConfig& tls);

}  // namespace batteryhub
