// Which cell test each export file goes to, for `bhub upload` of many files
// and for the harvester: rules "GLOB CELL_TEST", one a line, the first that
// matches wins. GLOB matches the file's path below the folder given ('/'
// between folders) when it holds a '/', else the file name; '*' matches
// within a name, '**' across folders, '?' one character. CELL_TEST may name
// parts of the file: {stem} (the file name without its extensions) and
// {parent} (its folder's name), made into ids: lower case, [a-z0-9-].
//
//   # cycler A: one test per cell, named after the file
//   cyclerA/**/*.mpr    institutions/nrc/cellTests/{stem}
//   cell07_*.txt        institutions/nrc/cellTests/cell07-formation
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace batteryhub::cli {

class UploadMap {
 public:
  // Parses a mapping file's text; an error names the line.
  static absl::StatusOr<UploadMap> Parse(const std::string& text, const std::string& path);
  // Every file to `cell_test` (which may use {stem} and {parent}).
  static absl::StatusOr<UploadMap> Single(const std::string& cell_test);

  // The cell test of the file at `relative_path` ('/'-separated, below the
  // folder given), or "" when no rule matches.
  std::string CellTestOf(const std::string& relative_path) const;
  size_t size() const { return rules_.size(); }

 private:
  struct Rule {
    std::string glob;
    std::string cell_test;
  };
  std::vector<Rule> rules_;
};

// A file to upload: its path, and its path below the folder given (its
// name, for a file given itself).
struct FoundFile {
  std::string path;
  std::string relative;
};

// The files of `paths`: files as given; a folder's files (hidden ones, whose
// name starts with '.', left out), and with `recursive` its folders' too,
// without following links to folders; in path order. A path that is neither
// a file nor a folder is in `problems` as "PATH: why".
std::vector<FoundFile> FindFiles(const std::vector<std::string>& paths, bool recursive,
                                 std::vector<std::string>* problems);

// Glob matching as described above.
bool GlobMatch(const std::string& glob, const std::string& path);

// "Cell 07_A.mpr" -> "cell-07-a": a file or folder name made into an id.
std::string IdOf(const std::string& name);

}  // namespace batteryhub::cli
