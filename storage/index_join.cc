#include "storage/index_join.h"

namespace batteryhub::storage {

IndexJoin::IndexJoin(const ReadView& view, const std::vector<std::string>& prefixes,
                     absl::string_view name_prefix, bool descending)
    : prefixes_(prefixes), descending_(descending) {
  for (const std::string& p : prefixes_) {
    std::string lower = p;
    AppendStrPrefix(&lower, name_prefix);
    cursors_.push_back(view.PrefixCursor(ColumnFamily::kIndex, lower, descending));
  }
}

bool IndexJoin::NameAt(size_t i, std::string* name) {
  if (!cursors_[i]->Valid()) {
    status_ = cursors_[i]->status();
    return false;
  }
  absl::string_view rest = cursors_[i]->key().substr(prefixes_[i].size());
  if (!ConsumeStr(&rest, name) || !rest.empty()) {
    status_ = absl::DataLossError("corrupt index key in the store");
    return false;
  }
  return true;
}

bool IndexJoin::Align(std::string target, bool exclusive) {
  for (;;) {
    bool aligned = true;
    for (size_t i = 0; i < cursors_.size() && aligned; ++i) {
      std::string name;
      // A cursor already at or past the target in the walk's direction
      // stays; others seek.
      const bool placed = cursors_[i]->Valid() && NameAt(i, &name) &&
                          (descending_ ? name <= target : name >= target);
      if (!placed) {
        std::string key = prefixes_[i];
        AppendStr(&key, target);
        cursors_[i]->Seek(key);
        if (!NameAt(i, &name)) return false;
      }
      if (exclusive && name == target) {
        cursors_[i]->Next();
        if (!NameAt(i, &name)) return false;
      }
      if (name != target) {
        target = std::move(name);
        exclusive = false;
        aligned = i == 0;  // cursor 0 only sets the target
      }
    }
    if (aligned) {
      name_ = std::move(target);
      return true;
    }
  }
}

bool IndexJoin::Start(const std::string& after) {
  if (cursors_.empty()) return false;
  if (!after.empty()) return Align(after, true);
  cursors_[0]->Rewind();
  std::string first;
  if (!NameAt(0, &first)) return false;
  return Align(std::move(first), false);
}

bool IndexJoin::Next() { return Align(name_, true); }

}  // namespace batteryhub::storage
