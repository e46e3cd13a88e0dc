// What a gRPC service needs of the hub: the domain layer's context, and how
// calls are authenticated and streams admitted. Owned by the server.
#pragma once

#include "domain/hub_context.h"
#include "services/authenticator.h"
#include "services/stream_gate.h"

namespace batteryhub {

struct ServiceContext : HubContext {
  const Authenticator* authenticator = nullptr;
  // Admission of streaming calls (RunStreamCall).
  StreamGate* streams = nullptr;
};

}  // namespace batteryhub
