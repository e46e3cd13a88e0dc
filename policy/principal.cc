#include "policy/principal.h"

namespace batteryhub {

Role ParseRole(const std::string& text) {
  if (text == "viewer") return ::batteryhub::v1::ROLE_VIEWER;
  if (text == "submitter") return ::batteryhub::v1::ROLE_SUBMITTER;
  if (text == "steward") return ::batteryhub::v1::ROLE_STEWARD;
  if (text == "admin") return ::batteryhub::v1::ROLE_ADMIN;
  return ::batteryhub::v1::ROLE_UNSPECIFIED;
}

std::string RoleText(Role role) {
  switch (role) {
    case ::batteryhub::v1::ROLE_VIEWER: return "viewer";
    case ::batteryhub::v1::ROLE_SUBMITTER: return "submitter";
    case ::batteryhub::v1::ROLE_STEWARD: return "steward";
    case ::batteryhub::v1::ROLE_ADMIN: return "admin";
    default: return "unspecified";
  }
}

}  // namespace batteryhub
