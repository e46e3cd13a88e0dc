// The mapping of export files to cell tests, and the glob matching it uses:
// rules checked against a simple model of the glob language on random
// names.
#include "clients/cli/upload_map.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

namespace batteryhub::cli {
namespace {

TEST(GlobMatch, StarStaysInsideAFolderNameAndDoubleStarCrossesFolders) {
  EXPECT_TRUE(GlobMatch("*.mpr", "run1.mpr"));
  EXPECT_FALSE(GlobMatch("*.mpr", "a/run1.mpr"));
  EXPECT_TRUE(GlobMatch("**/*.mpr", "run1.mpr"));
  EXPECT_TRUE(GlobMatch("**/*.mpr", "a/b/run1.mpr"));
  EXPECT_TRUE(GlobMatch("a/**/x?.txt", "a/b/c/x1.txt"));
  EXPECT_FALSE(GlobMatch("a/**/x?.txt", "b/c/x1.txt"));
  EXPECT_FALSE(GlobMatch("x?.txt", "x/.txt"));
  EXPECT_TRUE(GlobMatch("**", "anything/at/all"));
  EXPECT_FALSE(GlobMatch("cell01_*", "cell02_a"));
}

// The model: the glob as a regular expression.
std::string AsRegex(const std::string& glob) {
  std::string re;
  for (size_t i = 0; i < glob.size(); ++i) {
    if (glob.compare(i, 3, "**/") == 0) {
      re += "(.*/)?";
      i += 2;
    } else if (glob.compare(i, 2, "**") == 0) {
      re += ".*";
      ++i;
    } else if (glob[i] == '*') {
      re += "[^/]*";
    } else if (glob[i] == '?') {
      re += "[^/]";
    } else {
      re += std::isalnum(static_cast<unsigned char>(glob[i])) ? std::string(1, glob[i])
                                                              : std::string("\\") + glob[i];
    }
  }
  return re;
}

TEST(GlobMatch, AgreesWithARegexModelOnRandomNames) {
  std::mt19937 rng(20261202);
  const std::string alphabet = "ab/.";
  const std::vector<std::string> pieces = {"a", "b", "/", ".", "*", "?", "**", "**/"};
  for (int trial = 0; trial < 20000; ++trial) {
    std::string glob, path;
    for (int i = std::uniform_int_distribution<int>(0, 5)(rng); i > 0; --i) {
      glob += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(rng)];
    }
    for (int i = std::uniform_int_distribution<int>(0, 7)(rng); i > 0; --i) {
      path += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    }
    const bool model = std::regex_match(path, std::regex(AsRegex(glob)));
    ASSERT_EQ(GlobMatch(glob, path), model) << "glob '" << glob << "' path '" << path << "'";
  }
}

TEST(UploadMap, FirstMatchingRuleWinsAndNamesAreMadeIntoIds) {
  absl::StatusOr<UploadMap> map = UploadMap::Parse(
      "# exports of cycler A\n"
      "cyclerA/**/*.mpr   institutions/nrc/cellTests/{stem}\n"
      "cell07_*.txt       institutions/nrc/cellTests/cell07-formation   # the formation\n"
      "\n"
      "*.csv*  institutions/aist/cellTests/{parent}-{stem}\n",
      "exports.map");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->size(), 3u);
  EXPECT_EQ(map->CellTestOf("cyclerA/2026/Cell 12_B.mpr"), "institutions/nrc/cellTests/cell-12-b");
  EXPECT_EQ(map->CellTestOf("deep/cell07_x.txt"), "institutions/nrc/cellTests/cell07-formation");
  EXPECT_EQ(map->CellTestOf("lab/Run_3.csv.gz"), "institutions/aist/cellTests/lab-run-3");
  EXPECT_EQ(map->CellTestOf("cyclerB/x.mpr"), "");  // the first rule wants cyclerA/
}

TEST(UploadMap, BadRulesNameTheirLine) {
  EXPECT_EQ(UploadMap::Parse("*.mpr institutions/nrc/cellTests/a\n*.txt\n", "m").status().message(),
            "m:2: expected 'GLOB CELL_TEST', found 1 fields");
  EXPECT_EQ(UploadMap::Parse("*.mpr institutions/nrc/samples/a\n", "m").status().message(),
            "m:1: 'institutions/nrc/samples/a' is not a cell test name "
            "(institutions/{i}/cellTests/{id})");
  EXPECT_FALSE(UploadMap::Parse("*.mpr institutions/nrc/cellTests/{name}\n", "m").ok());
  EXPECT_EQ(UploadMap::Parse("# nothing\n\n", "m").status().message(),
            "m: no rules (lines 'GLOB CELL_TEST')");
  EXPECT_FALSE(UploadMap::Single("c01").ok());
  EXPECT_EQ(UploadMap::Single("institutions/nrc/cellTests/c01")->CellTestOf("x/y.mpr"),
            "institutions/nrc/cellTests/c01");
}

TEST(IdOf, LowerCaseDashesAndAtMost63Characters) {
  EXPECT_EQ(IdOf("Cell 07__A"), "cell-07-a");
  EXPECT_EQ(IdOf("--x--"), "x");
  EXPECT_EQ(IdOf(std::string(100, 'a')).size(), 63u);
  EXPECT_EQ(IdOf("µ"), "");
}

TEST(FindFiles, WalksFoldersInOrderLeavingHiddenOnesOut) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("bhub_find_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "b" / "c");
  fs::create_directories(root / ".hidden");
  for (const char* f : {"z.txt", "b/a.txt", "b/c/x.mpr", ".state.json", ".hidden/y.txt"}) {
    std::ofstream(root / f) << "x";
  }
  std::vector<std::string> problems;
  std::vector<FoundFile> flat = FindFiles({root.string()}, false, &problems);
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(flat[0].relative, "z.txt");
  std::vector<FoundFile> all = FindFiles({root.string(), (root / "missing").string()}, true, &problems);
  std::vector<std::string> names;
  for (const FoundFile& f : all) names.push_back(f.relative);
  EXPECT_EQ(names, (std::vector<std::string>{"b/a.txt", "b/c/x.mpr", "z.txt"}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("missing"), std::string::npos);
  fs::remove_all(root);
}

}  // namespace
}  // namespace batteryhub::cli
