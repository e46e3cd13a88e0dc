// rocksdb::Status -> absl::Status, once, at the storage boundary.
#pragma once

#include <rocksdb/status.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace batteryhub::storage {

inline absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(message);
  }
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

}  // namespace batteryhub::storage
