// Domain validation of records submitted by clients. Each validator checks
// every field against its domain, converts quantities to canonical units in
// place, and returns INVALID_ARGUMENT naming every offending field (with a
// BadRequest payload), or OK. Output-only fields are not looked at; the
// caller overwrites them. References are checked for form only here; their
// existence and visibility need the store and are checked by the services.
#pragma once

#include "absl/status/status.h"
#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"

namespace batteryhub {

absl::Status ValidateSample(batteryhub::v1::Sample* sample);
absl::Status ValidateCharacterization(batteryhub::v1::Characterization* characterization);
absl::Status ValidateCellTest(batteryhub::v1::CellTest* cell_test);

}  // namespace batteryhub
