// Any bytes as a vendor export: detect and parse; every column as long as
// the row count.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "parsers/parse_export.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = batteryhub::parsers::ParseExport("fuzz.txt", bytes);
  if (!parsed.ok()) return 0;
  for (const auto& c : parsed->columns) {
    if (c.values.size() != parsed->rows()) std::abort();
  }
  return 0;
}
