// Any bytes as the hub's TOML config file.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "domain/hub_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/bhub-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)batteryhub::LoadHubConfig(path);
  return 0;
}
