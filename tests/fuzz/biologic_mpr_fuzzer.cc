// Any bytes as the modules of a BioLogic .mpr (the file magic is put in
// front when missing, so every input reaches the module reader).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "parsers/biologic_mpr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (!absl::StartsWith(bytes, batteryhub::parsers::kMprMagic)) {
    std::string header(batteryhub::parsers::kMprMagic);
    header.resize(52, ' ');
    bytes = header + bytes;
  }
  auto parsed = batteryhub::parsers::ParseBiologicMpr("fuzz.mpr", bytes);
  if (!parsed.ok()) return 0;
  for (const auto& c : parsed->columns) {
    if (c.values.size() != parsed->rows()) std::abort();
  }
  return 0;
}
