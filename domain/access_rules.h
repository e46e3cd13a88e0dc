// Checks of an `Access` as a steward or submitter writes it, and the
// institution defaults that a new record without one receives.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "batteryhub/v1/common.pb.h"
#include "domain/hub_context.h"

namespace batteryhub {

// Every problem of `access` for a record of `resource` type owned by
// `owner_id`, as field violations under `field` ("sample.access"):
// visibility set; agreements only with VISIBILITY_AGREEMENT, known, with the
// owner a member; grants to other member institutions, once each, with a
// tier; restricted paths that name fields; a release wider than the
// visibility, with a time.
absl::Status ValidateAccess(const HubContext& hub, const google::protobuf::Descriptor* resource,
                            const std::string& owner_id, const ::batteryhub::v1::Access& access,
                            const std::string& field);

// The institution's defaults for new records of `resource` type: its
// stored defaults (without restricted paths that are not fields of
// `resource`; null keeps them all), or PRIVATE.
absl::StatusOr<::batteryhub::v1::Access> DefaultAccess(
    const HubContext& hub, const std::string& owner_id,
    const google::protobuf::Descriptor* resource = nullptr);

// Sets each part of `access` the client left unset from `defaults`: the
// visibility (with its agreements), the open tier, the grants, the
// restricted fields and the release.
void FillAccessDefaults(const ::batteryhub::v1::Access& defaults, ::batteryhub::v1::Access* access);

// `institutions/{i}/accessDefaults`.
std::string AccessDefaultsName(const std::string& institution_id);

}  // namespace batteryhub
