// Whole-hub integrity check behind AdminService.VerifyLedger and `bhub verify`.
#pragma once

#include "absl/status/statusor.h"
#include "batteryhub/v1/admin_service.pb.h"
#include "domain/hub_context.h"

namespace batteryhub {

// Walks the ledger (hash chain, each revision's content digest), then checks
// the chunk digest of every cell test's current series. Stops at the first
// break and names it.
absl::StatusOr<batteryhub::v1::LedgerReport> VerifyHub(const HubContext& hub);

}  // namespace batteryhub
