#include "clients/cli/command_line.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/exit_codes.h"
#include "core/version.h"

namespace batteryhub::cli {

namespace {

constexpr const char* kGlobalFooter =
    "Global flags (before or after the command): --hub --token-file --token --profile --config\n"
    "--output --ca --cert --key (bhub --help). Exit codes: 0 ok, 2 usage, 65 bad input,\n"
    "66 missing file, 69 hub unavailable, 77 unauthenticated/denied/not found, 1 other.";

// "Usage: bhub access grant NAME INSTITUTION --tier T [FLAGS]" from the
// command table, for each command's help.
class UsageFormatter : public CLI::Formatter {
 public:
  std::map<const CLI::App*, std::string> usage;
  std::string make_usage(const CLI::App* app, std::string name) const override {
    auto it = usage.find(app);
    return it == usage.end() ? CLI::Formatter::make_usage(app, std::move(name)) : it->second;
  }
};

std::string UsageLine(const CommandSpec& c) {
  std::string line = std::string("Usage: bhub ") + c.path;
  if (*c.positionals) line += std::string(" ") + c.positionals;
  for (const FlagSpec& f : c.flags) {
    if (f.required) line += std::string(" --") + f.name + " " + f.value;
  }
  bool optional = false;
  for (const FlagSpec& f : c.flags) optional |= !f.required;
  if (optional) line += " [FLAGS]";
  return line + "\n";
}

// The CLI11 app of one command path, with the options that became flags.
struct BuiltFlag {
  std::string name;
  CLI::Option* option;
  bool boolean;
};
struct Built {
  CLI::App* app;
  std::vector<BuiltFlag> flags;
  std::vector<CLI::Option*> positionals;
  const CommandSpec* spec = nullptr;
};

void AddFlags(CLI::App* app, const std::vector<FlagSpec>& flags, Built* built) {
  for (const FlagSpec& f : flags) {
    const std::string name = std::string("--") + f.name;
    CLI::Option* opt = f.value == nullptr ? app->add_flag(name)->description(f.help)
                                          : app->add_option(name, CLI::callback_t{}, f.help);
    if (f.value != nullptr) opt->type_name(f.value)->take_last();
    if (f.required) opt->required();
    built->flags.push_back({f.name, opt, f.value == nullptr});
  }
}

std::string ParentPath(const std::string& path) {
  const size_t space = path.rfind(' ');
  return space == std::string::npos ? "" : path.substr(0, space);
}

std::string Footer(const CommandSpec& c) {
  std::string footer;
  if (*c.details) footer += std::string(c.details) + "\n\n";
  if (*c.examples) {
    footer += "Examples:\n";
    for (absl::string_view line : absl::StrSplit(c.examples, '\n')) {
      footer += "  " + std::string(line) + "\n";
    }
    footer += "\n";
  }
  return footer + kGlobalFooter;
}

// The apps of every command path, built on `root`.
std::map<std::string, Built> BuildApps(CLI::App* root) {
  auto formatter = std::make_shared<UsageFormatter>();
  root->formatter(formatter);
  std::map<std::string, Built> apps;
  apps[""] = Built{root, {}, {}, nullptr};
  AddFlags(root, GlobalFlags(), &apps[""]);
  for (const CommandSpec& c : Commands()) {
    const std::string path = c.path;
    const std::string parent = ParentPath(path);
    const std::string word = parent.empty() ? path : path.substr(parent.size() + 1);
    CLI::App* sub = apps.at(parent).app->add_subcommand(word, c.summary);
    sub->fallthrough();
    sub->footer(Footer(c));
    formatter->usage[sub] = UsageLine(c);
    Built built{sub, {}, {}, &c};
    AddFlags(sub, c.flags, &built);
    for (absl::string_view token : absl::StrSplit(c.positionals, ' ', absl::SkipEmpty())) {
      std::string name(token);
      const bool optional = name.front() == '[';
      if (optional) name = name.substr(1, name.size() - 2);
      const bool many = name.size() > 3 && name.compare(name.size() - 3, 3, "...") == 0;
      if (many) name.resize(name.size() - 3);
      CLI::Option* opt = sub->add_option(name, CLI::callback_t{}, optional ? "optional" : "");
      if (many) opt->expected(1, 1 << 20);
      if (!optional) opt->required();
      built.positionals.push_back(opt);
    }
    apps[path] = std::move(built);
  }
  // A parent that is only a group of commands needs one of them.
  for (auto& [path, built] : apps) {
    if (path.empty() || built.app->get_subcommands({}).empty()) continue;
    if (path != "access defaults") built.app->require_subcommand(1);
  }
  root->require_subcommand(1);
  return apps;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The deepest command that was parsed, as its path.
std::string ParsedPath(const CLI::App& root) {
  std::string path;
  const CLI::App* app = &root;
  for (;;) {
    std::vector<CLI::App*> subs = app->get_subcommands();
    if (subs.empty()) return path;
    app = subs.front();
    path += (path.empty() ? "" : " ") + app->get_name();
  }
}

// A usage error with a suggestion for the word that was not understood.
int UsageFailure(const CLI::ParseError& e, const std::map<std::string, Built>& apps,
                 const CLI::App& root) {
  const std::string path = ParsedPath(root);
  const Built& at = apps.at(path);
  std::vector<std::string> extras = root.remaining(true);
  for (CLI::App* sub = at.app; sub != nullptr && extras.empty(); sub = sub->get_parent()) {
    extras = sub->remaining(false);
  }
  const std::string where = path.empty() ? "bhub" : "bhub " + path;
  std::string message = e.what();
  if (!extras.empty()) {
    std::string word = extras.front();
    std::vector<std::string> candidates;
    if (word.rfind("--", 0) == 0) {
      word = word.substr(0, word.find('='));
      for (std::string p = path;; p = ParentPath(p)) {
        for (const BuiltFlag& f : apps.at(p).flags) candidates.push_back("--" + f.name);
        if (p.empty()) break;
      }
      message = "unknown flag " + word + " for '" + where + "'";
    } else if (word.front() == '-') {
      message = "unknown flag " + word + " for '" + where + "'";
    } else if (!at.app->get_subcommands({}).empty()) {
      for (const CLI::App* sub : at.app->get_subcommands({})) candidates.push_back(sub->get_name());
      message = "unknown command '" + word + "'" + (path.empty() ? "" : " for '" + where + "'");
    } else {
      message = "unexpected argument '" + word + "' for '" + where + "'";
    }
    if (std::string s = Suggest(word, candidates); !s.empty()) message += "; did you mean " + s + "?";
  }
  std::fprintf(stderr, "bhub: %s (see %s --help)\n", message.c_str(), where.c_str());
  return kExitUsage;
}

}  // namespace

std::string Suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(word, c);
    if (c.size() > word.size() && c.compare(0, word.size(), word) == 0 && word.size() >= 3) d = 1;
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

CommandLine ParseCommandLine(int argc, char** argv) {
  CommandLine out;
  CLI::App root{"bhub: the batteryhub command-line client", "bhub"};
  root.set_version_flag("--version", std::string("bhub ") + kVersion, "print the version and exit");
  root.footer(std::string("bhub COMMAND --help shows a command's flags and examples.\n\n") +
              kGlobalFooter);
  std::map<std::string, Built> apps = BuildApps(&root);
  // "bhub help CMD..." is "bhub CMD... --help".
  std::vector<std::string> words(argv + 1, argv + argc);
  if (!words.empty() && words.front() == "help") {
    words.erase(words.begin());
    words.push_back("--help");
  }
  if (words.empty()) {
    std::fprintf(stderr, "%s", root.help().c_str());
    out.exit_code = kExitUsage;
    return out;
  }
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  try {
    root.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    const CLI::App* app = &root;
    for (std::vector<CLI::App*> subs = root.get_subcommands(); !subs.empty();
         subs = app->get_subcommands()) {
      app = subs.front();
    }
    std::printf("%s", app->help().c_str());
    out.exit_code = kExitOk;
    return out;
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    out.exit_code = kExitOk;
    return out;
  } catch (const CLI::ParseError& e) {
    out.exit_code = UsageFailure(e, apps, root);
    return out;
  }
  const std::string path = ParsedPath(root);
  std::vector<std::string> positionals = absl::StrSplit(path, ' ');
  std::map<std::string, std::string> flags;
  for (std::string p = path;; p = ParentPath(p)) {
    const Built& built = apps.at(p);
    for (const BuiltFlag& f : built.flags) {
      if (f.option->count() == 0 || flags.count(f.name)) continue;
      flags[f.name] = f.boolean || f.option->results().empty() ? "" : f.option->results().back();
    }
    if (p == path) {
      for (CLI::Option* opt : built.positionals) {
        for (const std::string& v : opt->results()) positionals.push_back(v);
      }
    }
    if (p.empty()) break;
  }
  out.args = Args(std::move(positionals), std::move(flags));
  return out;
}

std::string BashCompletion() {
  std::map<std::string, std::vector<std::string>> subcommands, flags;
  for (const FlagSpec& f : GlobalFlags()) flags[""].push_back(std::string("--") + f.name);
  for (const CommandSpec& c : Commands()) {
    const std::string path = c.path, parent = ParentPath(path);
    subcommands[parent].push_back(parent.empty() ? path : path.substr(parent.size() + 1));
    for (const FlagSpec& f : c.flags) flags[path].push_back(std::string("--") + f.name);
    flags[path].push_back("--help");
  }
  std::ostringstream s;
  s << "# bash completion for bhub " << kVersion << " (bhub completion bash)\n"
    << "_bhub_subcommands() {\n  case \"$1\" in\n";
  for (const auto& [path, words] : subcommands) {
    s << "    \"" << path << "\") echo \"" << absl::StrJoin(words, " ") << "\" ;;\n";
  }
  s << "  esac\n}\n_bhub_flags() {\n  case \"$1\" in\n";
  for (const auto& [path, words] : flags) {
    s << "    \"" << path << "\") echo \"" << absl::StrJoin(words, " ") << "\" ;;\n";
  }
  s << "  esac\n}\n"
    << "_bhub() {\n"
    << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" word i subs\n"
    << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
    << "    word=\"${COMP_WORDS[i]}\"\n"
    << "    subs=\" $(_bhub_subcommands \"$path\") \"\n"
    << "    if [[ \"$word\" != -* && \"$subs\" == *\" $word \"* ]]; then\n"
    << "      path=\"${path:+$path }$word\"\n"
    << "    fi\n"
    << "  done\n"
    << "  if [[ \"$cur\" == -* ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"$(_bhub_flags \"$path\") $(_bhub_flags \"\")\" -- \"$cur\"))\n"
    << "  elif [[ -n \"$(_bhub_subcommands \"$path\")\" ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"$(_bhub_subcommands \"$path\")\" -- \"$cur\"))\n"
    << "  else\n"
    << "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    << "  fi\n"
    << "}\n"
    << "complete -o filenames -F _bhub bhub\n";
  return s.str();
}

}  // namespace batteryhub::cli
