// bhub's command line: every command with its positionals, flags, help and
// examples, declared once (command_table.cc) and parsed with CLI11, so that
// each command answers --help with its own usage, refuses a flag it does not
// take, and a misspelt command or flag gets a suggestion.
#pragma once

#include <string>
#include <vector>

#include "clients/cli/args.h"

namespace batteryhub::cli {

struct FlagSpec {
  const char* name;   // without the leading "--"
  const char* value;  // the value's placeholder, or nullptr for a boolean flag
  const char* help;
  bool required = false;
};

struct CommandSpec {
  const char* path;         // "upload", "access grant", "admin token create"
  const char* positionals;  // "NAME INSTITUTION", "FILE...", "NAME [INSTITUTION]", ""
  const char* summary;      // one line
  std::vector<FlagSpec> flags;
  const char* details = "";   // paragraphs after the flags
  const char* examples = "";  // lines of examples
};

// Every command; a path's parent ("access" of "access grant") is declared
// before it.
const std::vector<CommandSpec>& Commands();
// The flags every command takes (hub, credentials, output, profile).
const std::vector<FlagSpec>& GlobalFlags();

struct CommandLine {
  // -1: run the command in `args`; otherwise exit with this code (help,
  // --version or a usage error were printed).
  int exit_code = -1;
  Args args;
};

CommandLine ParseCommandLine(int argc, char** argv);

// The closest of `candidates` to `word` by edit distance, or "" if none is
// close enough to be what was meant.
std::string Suggest(const std::string& word, const std::vector<std::string>& candidates);

// A bash completion script for bhub (`bhub completion bash`).
std::string BashCompletion();

}  // namespace batteryhub::cli
