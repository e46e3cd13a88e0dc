// A ZIP container read from memory (libzip), for the readers of formats
// that are ZIPs: .xlsx workbooks, Neware .ndax. Members inflate to at most
// the limit a caller gives; damaged members are errors, never crashes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct zip;

namespace batteryhub::parsers {

class ZipArchive {
 public:
  // `bytes` must outlive the archive.
  static absl::StatusOr<ZipArchive> Open(const std::string& name, absl::string_view bytes);
  bool Has(const std::string& member) const;
  std::vector<std::string> Members() const;
  absl::StatusOr<std::string> Read(const std::string& member, size_t limit) const;

 private:
  struct Closer {
    void operator()(zip* z) const;
  };
  ZipArchive(std::string name, zip* z) : name_(std::move(name)), zip_(z) {}
  std::string name_;
  std::unique_ptr<zip, Closer> zip_;
};

}  // namespace batteryhub::parsers
