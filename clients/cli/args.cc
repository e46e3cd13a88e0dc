#include "clients/cli/args.h"

namespace batteryhub::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& booleans) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (!booleans.count(name)) {
      if (i + 1 >= argc) {
        error_ = "flag --" + name + " needs a value";
        return;
      }
      value = argv[++i];
    }
    flags_[name] = value;
  }
}

std::string Args::Get(const std::string& flag, const std::string& fallback) const {
  auto it = flags_.find(flag);
  return it == flags_.end() ? fallback : it->second;
}

std::vector<std::string> Args::Unknown(const std::set<std::string>& known) const {
  std::vector<std::string> out;
  for (const auto& [name, value] : flags_) {
    if (!known.count(name)) out.push_back(name);
  }
  return out;
}

}  // namespace batteryhub::cli
