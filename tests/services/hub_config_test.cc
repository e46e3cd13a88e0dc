#include "domain/hub_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace batteryhub {
namespace {

class HubConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("bhub-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(HubConfigTest, ReadsAFullConfig) {
  const std::string hash(64, 'a');
  auto config = LoadHubConfig(Write(R"(
[hub]
id = "aist-hub"
listen = "0.0.0.0:6000"
data_dir = "/srv/bhub"
[limits]
max_message_bytes = 1048576
max_threads = 8
max_streams = 6
max_streams_per_caller = 2
stream_idle_seconds = 5
[[institutions]]
id = "aist"
display_name = "AIST"
country = "JP"
[[principals]]
id = "alice"
institution = "aist"
role = "submitter"
token_sha256 = ")" + hash + "\"\n"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hub_id, "aist-hub");
  EXPECT_EQ(config->limits.max_streams, 6);
  EXPECT_EQ(config->limits.max_streams_per_caller, 2);
  EXPECT_EQ(config->limits.stream_idle_seconds, 5);
  EXPECT_EQ(config->listen, "0.0.0.0:6000");
  EXPECT_EQ(config->limits.max_threads, 8);
  ASSERT_EQ(config->institutions.size(), 1u);
  ASSERT_EQ(config->principals.size(), 1u);
  EXPECT_EQ(config->principals[0].role, ::batteryhub::v1::ROLE_SUBMITTER);
}

TEST(ExampleConfigTest, ShippedExampleLoads) {
  auto config = LoadHubConfig(std::string(BATTERYHUB_SOURCE_DIR) + "/deploy/hub.example.toml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->institutions.size(), 4u);
  EXPECT_EQ(config->principals.size(), 2u);
}

TEST_F(HubConfigTest, ErrorsNameFileLineAndProblem) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"[hub]\nlisten = \n", ":2:"},
      {"[hub]\nlistn = \"x\"\n", "unknown key 'listn' in [hub]"},
      {"[limits]\nmax_threads = 0\n", "limits out of range"},
      {"[limits]\nmax_threads = 8\nmax_streams = 8\n", "max_streams below max_threads"},
      {"[limits]\nstream_idle_seconds = 0\n", "stream_idle_seconds 1-86400"},
      {"[hub]\nid = \"h\" \xC3\xA9\n", ":2: a non-ASCII character outside a string"},
      {"[hub]\nlisten = 5\n", "'listen' has the wrong type"},
      {"[[principals]]\nid = \"bob\"\ninstitution = \"mars\"\nrole = \"viewer\"\n"
       "token_sha256 = \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "\"\n",
       "unknown institution 'mars'"},
      {"[[principals]]\nid = \"bob\"\ninstitution = \"nrc\"\nrole = \"king\"\n", "role must be"},
      {"[[principals]]\nid = \"bob\"\ninstitution = \"nrc\"\nrole = \"viewer\"\n"
       "token_sha256 = \"plain-token\"\n",
       "token_sha256 must be 64 hex"},
      {"[tls]\ncert = \"s.pem\"\nkey = \"s.key\"\n", "[tls] needs cert, key and client_ca"},
      {"[tls]\ncert = \"s.pem\"\nkey = \"s.key\"\nclient_ca = \"ca.pem\"\nverify = false\n",
       "unknown key 'verify' in [tls]"},
  };
  for (const Case& c : cases) {
    auto config = LoadHubConfig(Write(c.text));
    ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(config.status().message().find(c.expected), std::string::npos)
        << config.status().message();
    EXPECT_NE(config.status().message().find(path_.string()), std::string::npos);
  }
}

TEST(DevPrincipalsTest, WritesPrivateTokensOnceAndReusesThem) {
  HubConfig config;
  config.data_dir = std::filesystem::temp_directory_path() / ("bhub-dev-" + std::to_string(::getpid()));
  std::filesystem::remove_all(config.data_dir);
  auto path = SetUpDevPrincipals(&config);
  ASSERT_TRUE(path.ok()) << path.status();
  struct stat st;
  ASSERT_EQ(::stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(config.principals.size(), 13u);  // 4 x (viewer, submitter, steward) + admin
  HubConfig again;
  again.data_dir = config.data_dir;
  ASSERT_TRUE(SetUpDevPrincipals(&again).ok());
  for (size_t i = 0; i < config.principals.size(); ++i) {
    EXPECT_EQ(again.principals[i].token_sha256, config.principals[i].token_sha256);
  }
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
}  // namespace batteryhub
