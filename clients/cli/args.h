// A parsed command line (command_line.h): the command words and
// positionals, and the flags given.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace batteryhub::cli {

class Args {
 public:
  Args() = default;
  // What a parser found: the command words and positionals, and the flags
  // given (a boolean flag's value is "").
  Args(std::vector<std::string> positionals, std::map<std::string, std::string> flags)
      : positionals_(std::move(positionals)), flags_(std::move(flags)) {}
  // Sets a flag (a default from the config file or environment).
  void Set(const std::string& flag, const std::string& value) { flags_[flag] = value; }

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool Has(const std::string& flag) const { return flags_.count(flag) > 0; }
  // The flag's value, or `fallback`.
  std::string Get(const std::string& flag, const std::string& fallback = "") const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> flags_;
};

}  // namespace batteryhub::cli
