// Walks over the index family that the domain layer needs, by meaning:
// who references a record (lineage), which records may open to more
// readers in a time window (the change feed's openings) and which records
// name an agreement. The keys stay here; positions leave as opaque strings
// that only these walks read back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/keys.h"
#include "storage/read_view.h"

namespace batteryhub::storage {

// The records that reference a target, for one target after another. Cheap
// to move forward: targets visited in name order step instead of seeking.
class ReferrerWalk {
 public:
  explicit ReferrerWalk(const ReadView& view);
  // Visits the records referencing `target`; DATA_LOSS for a corrupt key.
  absl::Status Referrers(absl::string_view target,
                         const std::function<void(IndexedRecord)>& visit);

 private:
  std::unique_ptr<KeyCursor> cursor_;
  bool sought_ = false;
  std::string last_target_;
};

// The openings index over (after_micros, until_micros], in time order: each
// record that may open to more readers then by itself, and each agreement
// whose start or change may open the records naming it.
class OpeningsWalk {
 public:
  OpeningsWalk(const ReadView& view, int64_t after_micros, int64_t until_micros);
  // Places the walk at `position` (a position() of an earlier walk) or at
  // the start when empty.
  void Resume(absl::string_view position);
  bool Valid() const { return cursor_->Valid(); }
  void Next() { cursor_->Next(); }
  // The opening here; DATA_LOSS for a corrupt key.
  absl::Status Current(int64_t* micros, IndexedRecord* record) const;
  // Where the walk is (opaque).
  std::string position() const { return std::string(cursor_->key()); }
  absl::Status status() const { return cursor_->status(); }

 private:
  std::unique_ptr<KeyCursor> cursor_;
};

// The records whose access names `agreement`, in key order.
class AgreementRecordsWalk {
 public:
  AgreementRecordsWalk(const ReadView& view, absl::string_view agreement);
  // Starts after `position` (a position() of an earlier walk), or at the
  // first record when empty.
  void ResumeAfter(absl::string_view position);
  bool Valid() const { return cursor_->Valid(); }
  void Next() { cursor_->Next(); }
  absl::Status Current(IndexedRecord* record) const;
  std::string position() const { return std::string(cursor_->key()); }
  absl::Status status() const { return cursor_->status(); }

 private:
  std::unique_ptr<KeyCursor> cursor_;
};

}  // namespace batteryhub::storage
