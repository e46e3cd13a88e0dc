#include "storage/index_walks.h"

#include "absl/strings/match.h"

namespace batteryhub::storage {

ReferrerWalk::ReferrerWalk(const ReadView& view)
    : cursor_(view.PrefixCursor(ColumnFamily::kIndex,
                                std::string(1, static_cast<char>(IndexTag::kReference)), false)) {}

absl::Status ReferrerWalk::Referrers(absl::string_view target,
                                     const std::function<void(IndexedRecord)>& visit) {
  const std::string prefix = ReferencePrefix(target);
  // A target just after the last one is usually a few keys on: step
  // there instead of seeking.
  constexpr int kStepsBeforeSeek = 4;
  for (int step = 0; sought_ && step < kStepsBeforeSeek && cursor_->Valid() &&
                     cursor_->key() < prefix;
       ++step) {
    cursor_->Next();
  }
  // Seek when the walk starts, falls short, or goes back (a target before
  // the last one: the cursor may be past its entries).
  if (!sought_ || target < last_target_ || !cursor_->Valid() || cursor_->key() < prefix) {
    cursor_->Seek(prefix);
  }
  sought_ = true;
  last_target_ = std::string(target);
  for (; cursor_->Valid() && absl::StartsWith(cursor_->key(), prefix); cursor_->Next()) {
    IndexedRecord r;
    if (!ParseReferenceKey(cursor_->key(), &r.kind, &r.name)) {
      return absl::DataLossError("corrupt reference index key");
    }
    visit(std::move(r));
  }
  return cursor_->status();
}

OpeningsWalk::OpeningsWalk(const ReadView& view, int64_t after_micros, int64_t until_micros)
    : cursor_(view.Cursor(ColumnFamily::kIndex, OpeningsFrom(after_micros + 1),
                          OpeningsFrom(until_micros + 1), false)) {}

void OpeningsWalk::Resume(absl::string_view position) {
  cursor_->Rewind();
  if (!position.empty()) cursor_->Seek(position);
}

absl::Status OpeningsWalk::Current(int64_t* micros, IndexedRecord* record) const {
  if (!ParseOpeningKey(cursor_->key(), micros, &record->kind, &record->name)) {
    return absl::DataLossError("corrupt openings index key");
  }
  return absl::OkStatus();
}

AgreementRecordsWalk::AgreementRecordsWalk(const ReadView& view, absl::string_view agreement)
    : cursor_(view.PrefixCursor(ColumnFamily::kIndex, AgreementRecordPrefix(agreement), false)) {}

void AgreementRecordsWalk::ResumeAfter(absl::string_view position) {
  cursor_->Rewind();
  if (position.empty()) return;
  cursor_->Seek(position);
  if (cursor_->Valid() && cursor_->key() == position) cursor_->Next();
}

absl::Status AgreementRecordsWalk::Current(IndexedRecord* record) const {
  if (!ParseAgreementRecordKey(cursor_->key(), &record->kind, &record->name)) {
    return absl::DataLossError("corrupt agreement index key");
  }
  return absl::OkStatus();
}

}  // namespace batteryhub::storage
