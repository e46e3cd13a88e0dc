// Token management over a real gRPC server: stewards issue, list and revoke
// their institution's tokens; a revoked token stops working at once.
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

class TokenTest : public HubFixture {
 protected:
  v1::Token Issue(client::HubClient& by, const std::string& institution, v1::Role role,
                  const std::string& id, grpc::Status* status = nullptr) {
    v1::CreateTokenRequest req;
    req.set_parent("institutions/" + institution);
    req.set_role(role);
    req.set_principal_id(id);
    v1::Token token;
    grpc::Status s = by.CreateToken(req, &token);
    if (status != nullptr) *status = s;
    else EXPECT_TRUE(s.ok()) << s.error_message();
    return token;
  }
};

TEST_F(TokenTest, StewardsIssueListAndRevokeTheirInstitutionsTokens) {
  auto steward = Client("nrc-steward");
  const v1::Token lab = Issue(*steward, "nrc", v1::ROLE_SUBMITTER, "lab-1");
  Issue(*steward, "nrc", v1::ROLE_VIEWER, "dashboard");
  ASSERT_FALSE(lab.secret().empty());
  v1::Identity me;
  ASSERT_TRUE(Client(lab.secret())->GetIdentity(&me).ok());
  EXPECT_EQ(me.principal(), "institutions/nrc/principals/lab-1");
  EXPECT_EQ(me.role(), v1::ROLE_SUBMITTER);

  v1::ListTokensResponse listed;
  ASSERT_TRUE(steward->ListTokens("institutions/nrc", &listed).ok());
  ASSERT_EQ(listed.tokens_size(), 2);
  EXPECT_EQ(listed.tokens(0).name(), lab.name());  // oldest first
  EXPECT_EQ(listed.tokens(1).principal(), "institutions/nrc/principals/dashboard");
  for (const auto& t : listed.tokens()) EXPECT_TRUE(t.secret().empty());
  v1::ListTokensResponse others;
  ASSERT_TRUE(Client("admin")->ListTokens("institutions/nrc", &others).ok());
  EXPECT_EQ(others.tokens_size(), 2);
  EXPECT_EQ(steward->ListTokens("institutions/aist", &others).error_code(),
            StatusCode::PERMISSION_DENIED);

  // Nobody else manages NRC's tokens.
  EXPECT_EQ(Client("aist-steward")->ListTokens("institutions/nrc", &others).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Client("nrc-submitter")->ListTokens("institutions/nrc", &others).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Client("aist-steward")->DeleteToken(lab.name()).error_code(),
            StatusCode::PERMISSION_DENIED);
  grpc::Status s;
  Issue(*Client("aist-steward"), "nrc", v1::ROLE_VIEWER, "x", &s);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  Issue(*steward, "nrc", v1::ROLE_ADMIN, "root", &s);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(steward->DeleteToken("institutions/nrc/tokens/short").error_code(),
            StatusCode::INVALID_ARGUMENT);

  // Revoked: the very next call with it fails; revoking again finds nothing.
  ASSERT_TRUE(steward->DeleteToken(lab.name()).ok());
  EXPECT_EQ(Client(lab.secret())->GetIdentity(&me).error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(steward->ListTokens("institutions/nrc", &listed).ok());
  ASSERT_EQ(listed.tokens_size(), 1);
  EXPECT_EQ(listed.tokens(0).principal(), "institutions/nrc/principals/dashboard");
  EXPECT_EQ(steward->DeleteToken(lab.name()).error_code(), StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace batteryhub::testing
