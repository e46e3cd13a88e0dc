// Key decoders over arbitrary keys: never read past the key, and a decoded
// value re-encodes to the bytes it was read from.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/keys.h"

namespace s = batteryhub::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view key(reinterpret_cast<const char*>(data), size);
  s::RecordKind kind;
  std::string name, column;
  uint64_t row;
  int64_t micros;
  s::ParseSeriesChunkKey(key, &row, &column);
  s::ParseReferenceKey(key, &kind, &name);
  s::ParseOpeningKey(key, &micros, &kind, &name);
  s::ParseAgreementRecordKey(key, &kind, &name);
  s::ParseBlobReferenceKey(key, &kind, &name);
  absl::string_view in = key;
  std::string str;
  if (s::ConsumeStr(&in, &str)) {
    std::string again;
    s::AppendStr(&again, str);
    if (key.substr(0, again.size()) != again) std::abort();
  }
  in = key;
  uint64_t u;
  if (s::ConsumeU64(&in, &u)) {
    std::string again;
    s::AppendU64(&again, u);
    if (key.substr(0, again.size()) != again) std::abort();
  }
  in = key;
  int64_t i;
  if (s::ConsumeI64(&in, &i)) {
    std::string again;
    s::AppendI64(&again, i);
    if (key.substr(0, again.size()) != again) std::abort();
  }
  in = key;
  double d;
  s::ConsumeF64(&in, &d);
  return 0;
}
