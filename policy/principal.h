// The authenticated caller.
#pragma once

#include <string>

#include "batteryhub/v1/admin_service.pb.h"

namespace batteryhub {

using Role = ::batteryhub::v1::Role;

struct Principal {
  // `institutions/{i}/principals/{p}`, or `principals/{p}` for hub admins.
  std::string name;
  // Institution id ("nrc"); empty for hub admins, who belong to none.
  std::string institution;
  Role role = ::batteryhub::v1::ROLE_UNSPECIFIED;

  bool AtLeast(Role r) const { return role >= r; }
  std::string InstitutionName() const { return "institutions/" + institution; }
};

// "viewer" -> ROLE_VIEWER, ...; ROLE_UNSPECIFIED when unknown.
Role ParseRole(const std::string& text);
std::string RoleText(Role role);

}  // namespace batteryhub
