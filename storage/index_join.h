// Index intersection: the record names present under every one of several
// index key prefixes (labels, field values), walked in name order with one
// cursor per prefix that leapfrogs to the largest name any of them is at.
// Reads about min(size) * prefixes keys, not the sum of the sizes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/read_view.h"

namespace batteryhub::storage {

class IndexJoin {
 public:
  // Names in every `prefixes[i]` (keys prefix + str(name)) that start with
  // `name_prefix`, ascending or descending.
  IndexJoin(const ReadView& view, const std::vector<std::string>& prefixes,
            absl::string_view name_prefix, bool descending);

  // Positions at the first common name strictly after `after` in the join's
  // direction ("" : from the start). False when there is none.
  bool Start(const std::string& after);
  // The next common name; false at the end.
  bool Next();
  const std::string& name() const { return name_; }
  absl::Status status() const { return status_; }

 private:
  // Aligns every cursor on the first common encoded name at or after
  // `target` (strictly after when `exclusive`).
  bool Align(std::string target, bool exclusive);
  // The encoded name ending cursor i's key; false when it is exhausted.
  bool SuffixAt(size_t i, absl::string_view* suffix);

  std::vector<std::string> prefixes_;
  std::vector<std::unique_ptr<KeyCursor>> cursors_;
  bool descending_;
  std::string target_;  // str(name_)
  std::string name_;
  absl::Status status_;
};

}  // namespace batteryhub::storage
