#include "storage/index_join.h"

namespace batteryhub::storage {
namespace {

constexpr int kStepsBeforeSeek = 4;

}  // namespace

// The join compares the encoded names (str(name), keys.h) that end every
// key: their byte order is the order of the names, so nothing is decoded
// until a name is common to every prefix.

IndexJoin::IndexJoin(const ReadView& view, const std::vector<std::string>& prefixes,
                     absl::string_view name_prefix, bool descending)
    : prefixes_(prefixes), descending_(descending) {
  for (const std::string& p : prefixes_) {
    std::string lower = p;
    AppendStrPrefix(&lower, name_prefix);
    cursors_.push_back(view.PrefixCursor(ColumnFamily::kIndex, lower, descending));
  }
}

bool IndexJoin::SuffixAt(size_t i, absl::string_view* suffix) {
  if (!cursors_[i]->Valid()) {
    status_ = cursors_[i]->status();
    return false;
  }
  *suffix = cursors_[i]->key().substr(prefixes_[i].size());
  return true;
}

bool IndexJoin::Align(std::string target, bool exclusive) {
  std::string key;
  for (;;) {
    bool aligned = true;
    for (size_t i = 0; i < cursors_.size() && aligned; ++i) {
      absl::string_view suffix;
      auto reached = [&] { return descending_ ? suffix <= target : suffix >= target; };
      // A cursor already at or past the target in the walk's direction
      // stays; one a few keys short steps (much cheaper than a seek, and
      // the usual case for common values); others seek.
      bool placed = cursors_[i]->Valid() && SuffixAt(i, &suffix) && reached();
      for (int step = 0; !placed && step < kStepsBeforeSeek && cursors_[i]->Valid(); ++step) {
        cursors_[i]->Next();
        if (!cursors_[i]->Valid()) break;
        SuffixAt(i, &suffix);
        placed = reached();
      }
      if (!placed) {
        key.assign(prefixes_[i]).append(target);
        cursors_[i]->Seek(key);
        if (!SuffixAt(i, &suffix)) return false;
      }
      if (exclusive && suffix == target) {
        cursors_[i]->Next();
        if (!SuffixAt(i, &suffix)) return false;
      }
      if (suffix != target) {
        target.assign(suffix.data(), suffix.size());
        exclusive = false;
        aligned = i == 0;  // cursor 0 only sets the target
      }
    }
    if (aligned) {
      target_ = std::move(target);
      absl::string_view in(target_);
      if (!ConsumeStr(&in, &name_) || !in.empty()) {
        status_ = absl::DataLossError("corrupt index key in the store");
        return false;
      }
      return true;
    }
  }
}

bool IndexJoin::Start(const std::string& after) {
  if (cursors_.empty()) return false;
  if (!after.empty()) {
    std::string encoded;
    AppendStr(&encoded, after);
    return Align(std::move(encoded), true);
  }
  cursors_[0]->Rewind();
  absl::string_view first;
  if (!SuffixAt(0, &first)) return false;
  return Align(std::string(first), false);
}

bool IndexJoin::Next() { return Align(target_, true); }

}  // namespace batteryhub::storage
