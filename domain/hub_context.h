// What the domain layer needs of the hub: its store, policy engine and
// configuration; owned by the server, outlives calls.
#pragma once

#include "domain/hub_config.h"
#include "policy/policy_engine.h"
#include "storage/record_store.h"

namespace batteryhub {

struct HubContext {
  storage::RecordStore* store;
  PolicyEngine* policy;
  const HubConfig* config;
};

}  // namespace batteryhub
