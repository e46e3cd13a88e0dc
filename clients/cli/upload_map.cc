#include "clients/cli/upload_map.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace batteryhub::cli {

namespace {

// "institutions/{i}/cellTests/{id}", where the parts may still hold {stem}
// and {parent}.
absl::Status CheckCellTest(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != "cellTests" ||
      parts[1].empty() || parts[3].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", name, "' is not a cell test name (institutions/{i}/cellTests/{id})"));
  }
  std::string rest = absl::StrReplaceAll(name, {{"{stem}", ""}, {"{parent}", ""}});
  if (rest.find_first_of("{}*?") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", name, "': a cell test may use only {stem} and {parent}"));
  }
  return absl::OkStatus();
}

bool Match(const char* g, const char* p) {
  for (; *g; ++g) {
    if (g[0] == '*' && g[1] == '*' && g[2] == '/') {
      // "**/": no folder, or any folders.
      for (const char* q = p;; ++q) {
        if ((q == p || q[-1] == '/') && Match(g + 3, q)) return true;
        if (!*q) return false;
      }
    }
    if (g[0] == '*' && g[1] == '*') {
      for (const char* q = p;; ++q) {
        if (Match(g + 2, q)) return true;
        if (!*q) return false;
      }
    }
    if (*g == '*') {
      for (const char* q = p;; ++q) {
        if (Match(g + 1, q)) return true;
        if (!*q || *q == '/') return false;
      }
    }
    if (!*p) return false;
    if (*g == '?' ? *p == '/' : *g != *p) return false;
    ++p;
  }
  return !*p;
}

}  // namespace

bool GlobMatch(const std::string& glob, const std::string& path) {
  return Match(glob.c_str(), path.c_str());
}

std::string IdOf(const std::string& name) {
  std::string id;
  for (char c : name) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c));
    if (ok) id.push_back(c);
    else if (!id.empty() && id.back() != '-') id.push_back('-');
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  if (id.size() > 63) id.resize(63);
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id;
}

absl::StatusOr<UploadMap> UploadMap::Parse(const std::string& text, const std::string& path) {
  UploadMap map;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": expected 'GLOB CELL_TEST', found ", fields.size(),
          " fields"));
    }
    // Each '*' may try every position: a bound keeps matching cheap.
    if (std::count(fields[0].begin(), fields[0].end(), '*') > 8 || fields[0].size() > 512) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": a glob may have at most 8 '*' and 512 characters"));
    }
    if (absl::Status s = CheckCellTest(fields[1]); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": ", s.message()));
    }
    map.rules_.push_back({fields[0], fields[1]});
  }
  if (map.rules_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no rules (lines 'GLOB CELL_TEST')"));
  }
  return map;
}

absl::StatusOr<UploadMap> UploadMap::Single(const std::string& cell_test) {
  if (absl::Status s = CheckCellTest(cell_test); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--cell-test: ", s.message()));
  }
  UploadMap map;
  map.rules_.push_back({"**", cell_test});
  return map;
}

std::string UploadMap::CellTestOf(const std::string& relative_path) const {
  const size_t slash = relative_path.rfind('/');
  const std::string file = slash == std::string::npos ? relative_path : relative_path.substr(slash + 1);
  const std::string folder = slash == std::string::npos ? "" : relative_path.substr(0, slash);
  for (const Rule& rule : rules_) {
    const bool by_path = rule.glob.find('/') != std::string::npos || rule.glob == "**";
    if (!GlobMatch(rule.glob, by_path ? relative_path : file)) continue;
    const std::string stem = file.substr(0, file.find('.', 1));
    const std::string parent = folder.substr(folder.rfind('/') + 1);
    return absl::StrReplaceAll(rule.cell_test, {{"{stem}", IdOf(stem)}, {"{parent}", IdOf(parent)}});
  }
  return "";
}

std::vector<FoundFile> FindFiles(const std::vector<std::string>& paths, bool recursive,
                                 std::vector<std::string>* problems) {
  namespace fs = std::filesystem;
  std::vector<FoundFile> found;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (fs::is_regular_file(st)) {
      found.push_back({path, fs::path(path).filename().string()});
      continue;
    }
    if (!fs::is_directory(st)) {
      problems->push_back(absl::StrCat(path, ": ", ec ? ec.message() : "not a file or a folder"));
      continue;
    }
    std::vector<FoundFile> here;
    const fs::path root(path);
    auto take = [&](const fs::directory_entry& e) {
      std::error_code file_ec;
      if (!e.is_regular_file(file_ec)) return;
      const std::string rel = fs::relative(e.path(), root, file_ec).generic_string();
      if (file_ec) return;
      for (absl::string_view part : absl::StrSplit(rel, '/')) {
        if (absl::StartsWith(part, ".")) return;
      }
      here.push_back({e.path().string(), rel});
    };
    if (recursive) {
      fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->is_directory() && absl::StartsWith(it->path().filename().string(), ".")) {
          it.disable_recursion_pending();
          continue;
        }
        take(*it);
      }
    } else {
      fs::directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) take(*it);
    }
    if (ec) problems->push_back(absl::StrCat(path, ": ", ec.message()));
    std::sort(here.begin(), here.end(),
              [](const FoundFile& a, const FoundFile& b) { return a.relative < b.relative; });
    found.insert(found.end(), here.begin(), here.end());
  }
  return found;
}

}  // namespace batteryhub::cli
