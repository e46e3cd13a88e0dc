// bhub's command line: what each command accepts, and the suggestions and
// config profiles around it.
#include "clients/cli/command_line.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "clients/cli/exit_codes.h"
#include "absl/strings/str_split.h"
#include "clients/cli/profile.h"

namespace batteryhub::cli {
namespace {

CommandLine Parse(std::vector<std::string> words) {
  words.insert(words.begin(), "bhub");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  CommandLine line = ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  testing::internal::GetCapturedStdout();
  testing::internal::GetCapturedStderr();
  return line;
}

TEST(CommandLine, CommandWordsAndPositionalsThenFlagsFromAnywhere) {
  CommandLine line = Parse({"--hub", "h:1", "access", "grant", "institutions/nrc/samples/s",
                            "nedo", "--tier", "full", "--dry-run", "--output=json"});
  ASSERT_EQ(line.exit_code, -1);
  EXPECT_EQ(line.args.positionals(),
            (std::vector<std::string>{"access", "grant", "institutions/nrc/samples/s", "nedo"}));
  EXPECT_EQ(line.args.Get("tier"), "full");
  EXPECT_EQ(line.args.Get("hub"), "h:1");
  EXPECT_EQ(line.args.Get("output"), "json");
  EXPECT_TRUE(line.args.Has("dry-run"));
  EXPECT_FALSE(line.args.Has("restricted"));
}

TEST(CommandLine, EveryCommandRefusesAFlagItDoesNotTake) {
  // Each command's own flags parse; the flag of another command is a usage
  // error, never ignored.
  std::set<std::string> all_flags;
  for (const CommandSpec& c : Commands()) {
    for (const FlagSpec& f : c.flags) all_flags.insert(f.name);
  }
  for (const CommandSpec& c : Commands()) {
    std::set<std::string> own;
    for (const FlagSpec& f : c.flags) own.insert(f.name);
    for (const std::string& flag : all_flags) {
      if (own.count(flag)) continue;
      std::vector<std::string> words = absl::StrSplit(c.path, ' ');
      words.push_back("--" + flag + "=x");
      EXPECT_EQ(Parse(words).exit_code, kExitUsage) << c.path << " took --" << flag;
    }
  }
}

TEST(CommandLine, HelpAndVersionExitZero) {
  EXPECT_EQ(Parse({"upload", "--help"}).exit_code, kExitOk);
  EXPECT_EQ(Parse({"help", "access", "grant"}).exit_code, kExitOk);
  EXPECT_EQ(Parse({"--version"}).exit_code, kExitOk);
  EXPECT_EQ(Parse({}).exit_code, kExitUsage);
  EXPECT_EQ(Parse({"uplaod", "f"}).exit_code, kExitUsage);
  EXPECT_EQ(Parse({"get"}).exit_code, kExitUsage);  // NAME is required
  EXPECT_EQ(Parse({"get", "a", "b"}).exit_code, kExitUsage);
}

TEST(Suggest, TheCloseOneOrNone) {
  const std::vector<std::string> commands = {"upload", "update", "parse", "series", "summary"};
  EXPECT_EQ(Suggest("uplaod", commands), "upload");
  EXPECT_EQ(Suggest("sumary", commands), "summary");
  EXPECT_EQ(Suggest("par", commands), "parse");  // a prefix
  EXPECT_EQ(Suggest("frobnicate", commands), "");
  EXPECT_EQ(Suggest("--cel-test", {"--cell-test", "--map"}), "--cell-test");
}

class ProfileTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("bhub_profile_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ProfileTest, TopLevelKeysUnderTheProfilesKeys) {
  const std::string path = Write("config.toml",
                                 "hub = \"127.0.0.1:1\"\noutput = \"json\"\n"
                                 "[profiles.prod]\nhub = \"hub.nrc.example:443\"\n"
                                 "token_file = \"/etc/t\"\n");
  absl::StatusOr<Profile> top = LoadProfile(path, "", true);
  ASSERT_TRUE(top.ok()) << top.status();
  EXPECT_EQ(top->hub, "127.0.0.1:1");
  EXPECT_EQ(top->token_file, "");
  absl::StatusOr<Profile> prod = LoadProfile(path, "prod", true);
  ASSERT_TRUE(prod.ok()) << prod.status();
  EXPECT_EQ(prod->hub, "hub.nrc.example:443");
  EXPECT_EQ(prod->output, "json");
  EXPECT_EQ(prod->token_file, "/etc/t");
  EXPECT_EQ(LoadProfile(path, "test", true).status().message(),
            path + ": no profile 'test' (it has prod; a profile is a [profiles.NAME] table)");
}

TEST_F(ProfileTest, RefusesTokensInTheConfigUnknownKeysAndMissingFiles) {
  const std::string with_token = Write("a.toml", "[profiles.x]\ntoken = \"secret\"\n");
  EXPECT_NE(LoadProfile(with_token, "x", true).status().message().find(
                "a token does not belong in the config file"),
            std::string::npos);
  const std::string typo = Write("b.toml", "hubb = \"x\"\n");
  EXPECT_EQ(LoadProfile(typo, "", true).status().message(),
            typo + ":1: unknown key 'hubb' in the top level (expected hub, ca, cert, key, "
                   "token_file or output)");
  EXPECT_TRUE(LoadProfile((dir_ / "none.toml").string(), "", false).ok());
  EXPECT_TRUE(absl::IsNotFound(LoadProfile((dir_ / "none.toml").string(), "", true).status()));
  EXPECT_TRUE(absl::IsNotFound(LoadProfile((dir_ / "none.toml").string(), "p", false).status()));
}

TEST_F(ProfileTest, TokenFilesMustBePrivateAndHoldOneToken) {
  EXPECT_EQ(*ReadTokenFile(Write("t1", "  abc123\n")), "abc123");
  const std::string open = Write("t2", "abc\n", 0644);
  EXPECT_EQ(ReadTokenFile(open).status().message(),
            "token file '" + open + "' may be read by others (mode 644): chmod 600 '" + open + "'");
  EXPECT_FALSE(ReadTokenFile(Write("t3", "abc def\n")).ok());
  EXPECT_FALSE(ReadTokenFile(Write("t4", "\n")).ok());
  EXPECT_TRUE(absl::IsNotFound(ReadTokenFile((dir_ / "none").string()).status()));
}

}  // namespace
}  // namespace batteryhub::cli
