// Command-line arguments: positionals and --flags ("--name value" or
// "--name=value"; boolean flags take no value).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace batteryhub::cli {

class Args {
 public:
  // Parses argv[first..]. `booleans` are the flags that take no value.
  // Sets error() on a flag that lacks its value.
  Args(int argc, char** argv, int first, const std::set<std::string>& booleans);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool Has(const std::string& flag) const { return flags_.count(flag) > 0; }
  // The flag's value, or `fallback`.
  std::string Get(const std::string& flag, const std::string& fallback = "") const;
  // Flags given but not in `known`, for a usage error.
  std::vector<std::string> Unknown(const std::set<std::string>& known) const;
  const std::string& error() const { return error_; }

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> flags_;
  std::string error_;
};

}  // namespace batteryhub::cli
