// What every handler needs of the hub; owned by the server, outlives calls.
#pragma once

#include "services/authenticator.h"
#include "services/hub_config.h"
#include "services/policy_engine.h"
#include "services/stream_gate.h"
#include "storage/record_store.h"

namespace batteryhub {

struct HubContext {
  storage::RecordStore* store;
  PolicyEngine* policy;
  const Authenticator* authenticator;
  const HubConfig* config;
  // Admission of streaming calls (RunStreamCall).
  StreamGate* streams = nullptr;
};

}  // namespace batteryhub
