// The hash chain over the change feed: h_n = SHA-256(h_{n-1} || entry_n).
#include "absl/strings/str_cat.h"
#include "core/digest.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "storage/record_store.h"

namespace batteryhub::storage {

namespace {

template <typename Entry>
std::string HashAfter(const std::string& previous_hash, const Entry& entry) {
  Entry copy = entry;
  copy.clear_hash();
  return Sha256Hex(previous_hash + DeterministicBytes(copy));
}

}  // namespace

std::string ChainHash(const std::string& previous_hash, const ChangeEntry& entry) {
  return HashAfter(previous_hash, entry);
}

std::string ChainHash(const std::string& previous_hash, const AuditEntry& entry) {
  return HashAfter(previous_hash, entry);
}

absl::StatusOr<LedgerReport> RecordStore::VerifyLedger(const DigestFunction& digest) const {
  LedgerReport report;
  std::string previous;
  constexpr int kBatch = 1000;
  for (uint64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<ChangeEntry> entries, ReadChanges(after, kBatch));
    for (const ChangeEntry& e : entries) {
      ++report.entries;
      if (e.sequence() != after + 1) {
        report.first_break = absl::StrCat("sequence ", after + 1, " is missing");
        return report;
      }
      if (e.previous_hash() != previous || ChainHash(previous, e) != e.hash()) {
        report.first_break = absl::StrCat("hash chain broken at sequence ", e.sequence());
        return report;
      }
      if (digest) {
        absl::StatusOr<StoredRecord> record = Get(e.kind(), e.name(), e.revision());
        if (!record.ok()) {
          report.first_break = absl::StrCat("sequence ", e.sequence(), ": revision ",
                                            e.revision(), " of ", e.name(), " is missing");
          return report;
        }
        absl::StatusOr<std::string> recomputed = digest(*record);
        if (!recomputed.ok() || *recomputed != e.content_digest() ||
            record->content_digest() != e.content_digest()) {
          report.first_break = absl::StrCat("sequence ", e.sequence(), ": content of ", e.name(),
                                            "@", e.revision(), " does not match its digest");
          return report;
        }
        ++report.revisions_checked;
      }
      previous = e.hash();
      after = e.sequence();
    }
    if (static_cast<int>(entries.size()) < kBatch) break;
  }
  return report;
}

}  // namespace batteryhub::storage
