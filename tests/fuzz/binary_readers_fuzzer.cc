// Any bytes as a vendor binary: a BioLogic .mpr, a Neware .nda, an Excel
// .xls (OLE2) or a ZIP (.xlsx, .ndax). An input that starts with none of
// their magics gets the .mpr or .nda one put in front (its first byte picks
// which, and the header is padded), so every input reaches a record reader.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "parsers/biologic_mpr.h"
#include "parsers/neware_nda.h"
#include "parsers/neware_ndax.h"
#include "parsers/spreadsheet.h"

namespace {

void Check(const absl::StatusOr<batteryhub::parsers::ParsedSeries>& parsed) {
  if (!parsed.ok()) return;
  for (const auto& c : parsed->columns) {
    if (c.values.size() != parsed->rows()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace batteryhub::parsers;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (absl::StartsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    (void)ReadXls("fuzz.xls", bytes);
  } else if (absl::StartsWith(bytes, "PK\x03\x04")) {
    (void)ReadXlsx("fuzz.xlsx", bytes);
    Check(ParseNewareNdax("fuzz.ndax", bytes));
  } else if (absl::StartsWith(bytes, kMprMagic)) {
    Check(ParseBiologicMpr("fuzz.mpr", bytes));
  } else if (absl::StartsWith(bytes, kNdaMagic)) {
    Check(ParseNewareNda("fuzz.nda", bytes));
  } else if (size > 0 && data[0] % 2 == 0) {
    std::string header(kMprMagic);
    header.resize(52, ' ');
    Check(ParseBiologicMpr("fuzz.mpr", header + bytes.substr(1)));
  } else if (size > 0) {
    std::string header(kNdaMagic);
    header.resize(14, '\0');
    Check(ParseNewareNda("fuzz.nda", header + bytes.substr(1)));
  }
  return 0;
}
