#include "storage/keys.h"

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace batteryhub::storage {

void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void AppendI64(std::string* out, int64_t v) {
  AppendU64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

void AppendF64(std::string* out, double v) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  bits ^= (bits >> 63) ? ~uint64_t{0} : (uint64_t{1} << 63);
  AppendU64(out, bits);
}

void AppendStrPrefix(std::string* out, absl::string_view s) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
}

void AppendStr(std::string* out, absl::string_view s) {
  AppendStrPrefix(out, s);
  out->push_back('\0');
  out->push_back('\x01');
}

bool ConsumeU64(absl::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r = (r << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(8);
  *v = r;
  return true;
}

bool ConsumeI64(absl::string_view* in, int64_t* v) {
  uint64_t u;
  if (!ConsumeU64(in, &u)) return false;
  *v = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  return true;
}

bool ConsumeF64(absl::string_view* in, double* v) {
  uint64_t bits;
  if (!ConsumeU64(in, &bits)) return false;
  bits ^= (bits >> 63) ? (uint64_t{1} << 63) : ~uint64_t{0};
  *v = std::bit_cast<double>(bits);
  return true;
}

bool ConsumeStr(absl::string_view* in, std::string* s) {
  s->clear();
  for (size_t i = 0; i < in->size(); ++i) {
    char c = (*in)[i];
    if (c != '\0') {
      s->push_back(c);
      continue;
    }
    if (i + 1 >= in->size()) return false;
    char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xff') return false;
    s->push_back('\0');
    ++i;
  }
  return false;
}

std::string RecordPrefix(RecordKind kind) { return std::string(1, static_cast<char>(kind)); }

std::string RecordKey(RecordKind kind, absl::string_view name) {
  std::string k = RecordPrefix(kind);
  AppendStr(&k, name);
  return k;
}

std::string RevisionPrefix(RecordKind kind, absl::string_view name) {
  return RecordKey(kind, name);
}

std::string RevisionKey(RecordKind kind, absl::string_view name, uint64_t revision) {
  std::string k = RevisionPrefix(kind, name);
  AppendU64(&k, revision);
  return k;
}

std::string IndexPrefix(IndexTag tag, RecordKind kind) {
  return {static_cast<char>(tag), static_cast<char>(kind)};
}

std::string LabelIndexPrefix(RecordKind kind, absl::string_view key, absl::string_view value) {
  std::string k = IndexPrefix(IndexTag::kLabel, kind);
  AppendStr(&k, key);
  AppendStr(&k, value);
  return k;
}

std::string LabelIndexKey(RecordKind kind, absl::string_view key, absl::string_view value,
                          absl::string_view name) {
  std::string k = LabelIndexPrefix(kind, key, value);
  AppendStr(&k, name);
  return k;
}

std::string TimeIndexKey(IndexTag tag, RecordKind kind, int64_t micros, absl::string_view name) {
  std::string k = IndexPrefix(tag, kind);
  AppendI64(&k, micros);
  AppendStr(&k, name);
  return k;
}

std::string ChangeKey(uint64_t sequence) {
  std::string k;
  AppendU64(&k, sequence);
  return k;
}

std::string LedgerHeadKey() { return "h"; }

std::string AuditHeadKey() { return "a"; }

std::string IndexVersionKey() { return "v"; }
std::string IndexSchemaKey() { return "x"; }
std::string PageTokenKeyKey() { return "k"; }

std::string ReplicaSeriesKey(absl::string_view cell_test) {
  std::string key = "s";
  AppendStr(&key, cell_test);
  return key;
}

std::string SyncCursorKey(absl::string_view origin_hub) {
  std::string key = "c";
  AppendStr(&key, origin_hub);
  return key;
}

std::string SyncPositionKey(absl::string_view origin_hub) {
  std::string key = "p";
  AppendStr(&key, origin_hub);
  return key;
}

std::string RequestKey(absl::string_view principal, absl::string_view request_id) {
  std::string k = "r";
  AppendStr(&k, principal);
  AppendStr(&k, request_id);
  return k;
}

std::string TokenKey(absl::string_view token_sha256_hex) {
  std::string k = "t";
  AppendStr(&k, token_sha256_hex);
  return k;
}

namespace {

// `prefix` kind:u8 str(name).
std::string WithRecord(std::string prefix, RecordKind kind, absl::string_view name) {
  prefix.push_back(static_cast<char>(kind));
  AppendStr(&prefix, name);
  return prefix;
}

std::string Tagged(char tag, absl::string_view s) {
  std::string k(1, tag);
  AppendStr(&k, s);
  return k;
}

}  // namespace

std::string SeriesId(absl::string_view cell_test, int64_t generation) {
  return generation == 0 ? std::string(cell_test) : absl::StrCat(cell_test, "@s", generation);
}

std::string SeriesChunkPrefix(absl::string_view cell_test) { return Tagged('k', cell_test); }

std::string SeriesChunkKey(absl::string_view cell_test, uint64_t first_row,
                           absl::string_view column) {
  std::string k = SeriesChunkPrefix(cell_test);
  AppendU64(&k, first_row);
  AppendStr(&k, column);
  return k;
}

bool ParseSeriesChunkKey(absl::string_view key, uint64_t* first_row, std::string* column) {
  if (key.empty() || key[0] != 'k') return false;
  key.remove_prefix(1);
  std::string name;
  return ConsumeStr(&key, &name) && ConsumeU64(&key, first_row) && ConsumeStr(&key, column) &&
         key.empty();
}

std::string CyclePrefix(absl::string_view cell_test) { return Tagged('y', cell_test); }

std::string CycleKey(absl::string_view cell_test, int64_t cycle) {
  std::string k = CyclePrefix(cell_test);
  AppendI64(&k, cycle);
  return k;
}

std::string SeriesStateKey(absl::string_view cell_test) { return Tagged('a', cell_test); }

std::string UploadKey(absl::string_view cell_test, absl::string_view upload_id) {
  std::string k = Tagged('u', cell_test);
  AppendStr(&k, upload_id);
  return k;
}

std::string BlobMetaKey(absl::string_view sha256_hex) { return Tagged('m', sha256_hex); }

std::string BlobPartPrefix(absl::string_view sha256_hex) { return Tagged('d', sha256_hex); }

std::string BlobPartKey(absl::string_view sha256_hex, uint64_t part) {
  std::string k = BlobPartPrefix(sha256_hex);
  AppendU64(&k, part);
  return k;
}

std::string FieldIndexPrefix(RecordKind kind, uint32_t field) {
  return {static_cast<char>(IndexTag::kField), static_cast<char>(kind), static_cast<char>(field)};
}

std::string FieldIndexValuePrefix(RecordKind kind, uint32_t field,
                                  const batteryhub::storage::v1::IndexedValue& value) {
  std::string k = FieldIndexPrefix(kind, field);
  if (value.missing()) {
    k.push_back(kFieldMissing);
  } else if (value.text().empty()) {
    k.push_back(kFieldNumber);
    AppendF64(&k, value.number());
  } else {
    k.push_back(kFieldText);
    AppendStr(&k, value.text());
  }
  return k;
}

std::string FieldIndexKey(RecordKind kind, const batteryhub::storage::v1::IndexedValue& value,
                          absl::string_view name) {
  std::string k = FieldIndexValuePrefix(kind, value.field(), value);
  AppendStr(&k, name);
  return k;
}

std::string ReferencePrefix(absl::string_view target) {
  return Tagged(static_cast<char>(IndexTag::kReference), target);
}

std::string ReferenceKey(absl::string_view target, RecordKind kind, absl::string_view name) {
  return WithRecord(ReferencePrefix(target), kind, name);
}

namespace {

// tag str(target) kind:u8 str(name): the record `name` of a target key.
bool ParseTargetKey(char tag, absl::string_view key, RecordKind* kind, std::string* name) {
  if (key.empty() || key[0] != tag) return false;
  key.remove_prefix(1);
  std::string target;
  if (!ConsumeStr(&key, &target) || key.empty()) return false;
  *kind = static_cast<RecordKind>(static_cast<unsigned char>(key[0]));
  key.remove_prefix(1);
  return ConsumeStr(&key, name) && key.empty();
}

}  // namespace

bool ParseReferenceKey(absl::string_view key, RecordKind* kind, std::string* name) {
  return ParseTargetKey(static_cast<char>(IndexTag::kReference), key, kind, name);
}

std::string OpeningsFrom(int64_t micros) {
  std::string k(1, static_cast<char>(IndexTag::kOpening));
  AppendI64(&k, micros);
  return k;
}

std::string OpeningKey(int64_t micros, RecordKind kind, absl::string_view name) {
  return WithRecord(OpeningsFrom(micros), kind, name);
}

bool ParseOpeningKey(absl::string_view key, int64_t* micros, RecordKind* kind, std::string* name) {
  if (key.empty() || key[0] != static_cast<char>(IndexTag::kOpening)) return false;
  key.remove_prefix(1);
  if (!ConsumeI64(&key, micros) || key.empty()) return false;
  *kind = static_cast<RecordKind>(static_cast<unsigned char>(key[0]));
  key.remove_prefix(1);
  return ConsumeStr(&key, name) && key.empty();
}

std::string AgreementRecordPrefix(absl::string_view agreement) {
  return Tagged(static_cast<char>(IndexTag::kAgreement), agreement);
}

std::string AgreementRecordKey(absl::string_view agreement, RecordKind kind,
                               absl::string_view name) {
  return WithRecord(AgreementRecordPrefix(agreement), kind, name);
}

bool ParseAgreementRecordKey(absl::string_view key, RecordKind* kind, std::string* name) {
  return ParseTargetKey(static_cast<char>(IndexTag::kAgreement), key, kind, name);
}

std::string BlobReferencePrefix(absl::string_view sha256_hex) {
  return Tagged(static_cast<char>(IndexTag::kBlobReference), sha256_hex);
}

std::string BlobReferenceKey(absl::string_view sha256_hex, RecordKind kind,
                             absl::string_view name) {
  return WithRecord(BlobReferencePrefix(sha256_hex), kind, name);
}

bool ParseBlobReferenceKey(absl::string_view key, RecordKind* kind, std::string* name) {
  return ParseTargetKey(static_cast<char>(IndexTag::kBlobReference), key, kind, name);
}

bool NameFromIndexKey(absl::string_view key, std::string* name) {
  if (key.size() < 2) return false;
  const char tag = key[0];
  key.remove_prefix(2);
  std::string skip;
  if (tag == static_cast<char>(IndexTag::kLabel)) {
    if (!ConsumeStr(&key, &skip) || !ConsumeStr(&key, &skip)) return false;
  } else if (tag == static_cast<char>(IndexTag::kField)) {
    if (key.size() < 2) return false;
    const char type = key[1];
    key.remove_prefix(2);  // field id, value type
    double number;
    if (type == kFieldText ? !ConsumeStr(&key, &skip)
                           : type == kFieldNumber ? !ConsumeF64(&key, &number) : type != kFieldMissing) {
      return false;
    }
  } else {
    int64_t micros;
    if (!ConsumeI64(&key, &micros)) return false;
  }
  return ConsumeStr(&key, name) && key.empty();
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace batteryhub::storage
