// Every RocksDB key the hub writes is built here. Grammar (one column family
// per first line; see column_families.h):
//
//   records   : kind:u8 str(name)                          -> StoredRecord
//   revisions : kind:u8 str(name) u64(revision)            -> StoredRecord
//   index     : 'l' kind:u8 str(key) str(value) str(name)  -> ""   label
//               'c' kind:u8 i64(create_micros) str(name)   -> ""   create time
//               'u' kind:u8 i64(update_micros) str(name)   -> ""   update time
//               'r' str(target) kind:u8 str(name)          -> ""   name references target
//               'f' kind:u8 field:u8 ('n' f64(number) | 's' str(text) | 'z') str(name)
//                                                          -> ""   field ('z': no value)
//               'w' i64(micros) kind:u8 str(name)          -> ""   may open to more readers
//                                                                  then (grant start, release,
//                                                                  agreement start or change)
//               'g' str(agreement) kind:u8 str(name)       -> ""   access names agreement
//               'b' str(sha256_hex) kind:u8 str(name)      -> ""   record names raw file
//   changes   : u64(sequence)                              -> ChangeEntry
//   meta      : 'h'                                        -> ChangeEntry (ledger head)
//               'r' str(principal) str(request_id)         -> RequestOutcome
//               't' str(token_sha256_hex)                  -> StoredToken
//               'a'                                        -> AuditEntry (audit head)
//               'c' str(origin_hub)                        -> u64 sync cursor (before 'p')
//               'p' str(origin_hub)                        -> SyncPosition
//               'v'                                        -> u64 index version
//               'x'                                        -> index schema fingerprint
//               's' str(cell_test)                         -> u64 replica series revision
//               'k'                                        -> 32 random bytes: page-token key
//   series    : 'k' str(cell_test) u64(first_row) str(column) -> encoded column
//               'y' str(cell_test) i64(cycle)              -> CycleSummary
//               'a' str(cell_test)                         -> SeriesState
//               'u' str(cell_test) str(upload_id)          -> UploadState
//   audit     : u64(sequence)                              -> AuditEntry
//   blobs     : 'm' str(sha256_hex)                        -> BlobMeta
//               'd' str(sha256_hex) u64(part)              -> bytes (<= 1 MiB)
//
//   u64(v)  = 8 bytes big-endian
//   i64(v)  = u64(v XOR 2^63)            (negative before positive)
//   f64(v)  = u64(bits XOR (v<0 ? ~0 : 2^63))   (IEEE total order, -0 < +0)
//   str(s)  = s with 0x00 -> 0x00 0xFF, then 0x00 0x01  (prefix-free, and
//             byte order of encodings == byte order of strings)
//
// kind values and the one-letter tags are on disk: DO NOT CHANGE them.
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "batteryhub/storage/v1/stored.pb.h"

namespace batteryhub::storage {

using RecordKind = ::batteryhub::storage::v1::RecordKind;

void AppendU64(std::string* out, uint64_t v);
void AppendI64(std::string* out, int64_t v);
void AppendF64(std::string* out, double v);
void AppendStr(std::string* out, absl::string_view s);
// str(s) without its terminator: a prefix of str(s + anything).
void AppendStrPrefix(std::string* out, absl::string_view s);

// Decoders advance `*in` past what they read; false on malformed input.
bool ConsumeU64(absl::string_view* in, uint64_t* v);
bool ConsumeI64(absl::string_view* in, int64_t* v);
bool ConsumeF64(absl::string_view* in, double* v);
bool ConsumeStr(absl::string_view* in, std::string* s);

enum class IndexTag : char {
  kLabel = 'l',
  kCreateTime = 'c',
  kUpdateTime = 'u',
  kReference = 'r',
  kField = 'f',
  kOpening = 'w',
  kAgreement = 'g',
  kBlobReference = 'b',
};

// Value types of field index keys, in their sort order.
inline constexpr char kFieldNumber = 'n';
inline constexpr char kFieldText = 's';
inline constexpr char kFieldMissing = 'z';

std::string RecordKey(RecordKind kind, absl::string_view name);
std::string RecordPrefix(RecordKind kind);
std::string RevisionKey(RecordKind kind, absl::string_view name, uint64_t revision);
std::string RevisionPrefix(RecordKind kind, absl::string_view name);
std::string LabelIndexKey(RecordKind kind, absl::string_view key, absl::string_view value,
                          absl::string_view name);
std::string LabelIndexPrefix(RecordKind kind, absl::string_view key, absl::string_view value);
std::string TimeIndexKey(IndexTag tag, RecordKind kind, int64_t micros, absl::string_view name);
std::string IndexPrefix(IndexTag tag, RecordKind kind);
std::string ChangeKey(uint64_t sequence);
std::string LedgerHeadKey();
std::string RequestKey(absl::string_view principal, absl::string_view request_id);
std::string TokenKey(absl::string_view token_sha256_hex);
std::string AuditHeadKey();
std::string IndexVersionKey();
std::string IndexSchemaKey();
// meta 'k' -> the hub's secret key for page-token MACs (made at first open).
std::string PageTokenKeyKey();
// meta 'c' str(origin_hub) -> fixed64 sequence: how far the sync from that
// hub had applied its change feed, as written before SyncPosition ('p').
std::string SyncCursorKey(absl::string_view origin_hub);
// meta 'p' str(origin_hub) -> SyncPosition.
std::string SyncPositionKey(absl::string_view origin_hub);
// meta 's' str(cell_test) -> u64 revision: the replica's series is stored
// here complete (digest checked) for that revision.
std::string ReplicaSeriesKey(absl::string_view cell_test);

std::string SeriesChunkPrefix(absl::string_view cell_test);
// The name a series' keys are stored under: the cell test's name for its
// first series (generation 0), "NAME@sG" for series revision G ('@' is in
// no record name).
std::string SeriesId(absl::string_view cell_test, int64_t generation);
std::string SeriesChunkKey(absl::string_view cell_test, uint64_t first_row,
                           absl::string_view column);
// Parses a chunk key back; false if malformed.
bool ParseSeriesChunkKey(absl::string_view key, uint64_t* first_row, std::string* column);
std::string CyclePrefix(absl::string_view cell_test);
std::string CycleKey(absl::string_view cell_test, int64_t cycle);
std::string SeriesStateKey(absl::string_view cell_test);
std::string UploadKey(absl::string_view cell_test, absl::string_view upload_id);
std::string BlobMetaKey(absl::string_view sha256_hex);
std::string BlobPartPrefix(absl::string_view sha256_hex);
std::string BlobPartKey(absl::string_view sha256_hex, uint64_t part);

// Field index: all entries of one field, or those with one value.
std::string FieldIndexPrefix(RecordKind kind, uint32_t field);
std::string FieldIndexValuePrefix(RecordKind kind, uint32_t field,
                                  const batteryhub::storage::v1::IndexedValue& value);
std::string FieldIndexKey(RecordKind kind, const batteryhub::storage::v1::IndexedValue& value,
                          absl::string_view name);

std::string ReferencePrefix(absl::string_view target);
std::string ReferenceKey(absl::string_view target, RecordKind kind, absl::string_view name);
// The referencing record of a reference key; false if malformed.
bool ParseReferenceKey(absl::string_view key, RecordKind* kind, std::string* name);

// Openings: the records (and agreements) that may open to more readers at
// `micros` by themselves; OpeningsFrom(t) is the first key at or after t.
std::string OpeningKey(int64_t micros, RecordKind kind, absl::string_view name);
std::string OpeningsFrom(int64_t micros);
bool ParseOpeningKey(absl::string_view key, int64_t* micros, RecordKind* kind, std::string* name);

// Records whose access names `agreement` (`agreements/{id}`).
std::string AgreementRecordPrefix(absl::string_view agreement);
std::string AgreementRecordKey(absl::string_view agreement, RecordKind kind,
                               absl::string_view name);
bool ParseAgreementRecordKey(absl::string_view key, RecordKind* kind, std::string* name);

// Records (cell tests) whose series names the raw file `sha256_hex`.
std::string BlobReferencePrefix(absl::string_view sha256_hex);
std::string BlobReferenceKey(absl::string_view sha256_hex, RecordKind kind, absl::string_view name);
bool ParseBlobReferenceKey(absl::string_view key, RecordKind* kind, std::string* name);

// The record name at the end of an index key; false if malformed.
bool NameFromIndexKey(absl::string_view key, std::string* name);

// The smallest key greater than every key starting with `prefix`
// ("" when none exists: the prefix is all 0xFF).
std::string PrefixEnd(absl::string_view prefix);

}  // namespace batteryhub::storage
