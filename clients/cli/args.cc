#include "clients/cli/args.h"

namespace batteryhub::cli {

std::string Args::Get(const std::string& flag, const std::string& fallback) const {
  auto it = flags_.find(flag);
  return it == flags_.end() ? fallback : it->second;
}

}  // namespace batteryhub::cli
