// Any bytes as a record file of `bhub create` (JSON or TOML), for each kind.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "clients/cli/record_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string base = "/tmp/bhub-fuzz-record-" + std::to_string(::getpid());
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* ext : {".json", ".toml"}) {
    const std::string path = base + ext;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return 0;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    std::string error;
    batteryhub::v1::Sample s;
    batteryhub::v1::Characterization c;
    batteryhub::v1::CellTest t;
    batteryhub::cli::LoadRecordFile(path, &s, &error);
    batteryhub::cli::LoadRecordFile(path, &c, &error);
    batteryhub::cli::LoadRecordFile(path, &t, &error);
  }
  return 0;
}
