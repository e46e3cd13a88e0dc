// Output-only fields of a record revision, set by the hub at commit.
#pragma once

#include <google/protobuf/util/time_util.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/digest.h"
#include "core/names.h"
#include "policy/principal.h"
#include "storage/record_store.h"

namespace batteryhub {

// The etag of a revision: changes with every revision and with content.
inline std::string Etag(uint64_t revision, const std::string& digest) {
  return absl::StrCat(revision, "-", digest.substr(0, 12));
}

inline google::protobuf::Timestamp MicrosToTimestamp(int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

// The fields of a stored record that follow from its resource `r`: the
// resource bytes, labels and lineage references (the store adds the
// indexed values, storage/index_schema.h).
template <typename Resource>
void StoreResource(const Resource& r, storage::StoredRecord* stored) {
  stored->mutable_labels()->insert(r.labels().begin(), r.labels().end());
  for (const std::string& ref : r.provenance().derived_from_revisions()) {
    stored->add_references(ref.substr(0, ref.find('@')));
  }
  stored->set_delete_time_micros(
      r.has_delete_time() ? google::protobuf::util::TimeUtil::TimestampToMicroseconds(r.delete_time())
                          : 0);
  stored->set_resource(DeterministicBytes(r));
}

// Sets every output-only field of `r` for the commit `info`, then computes
// its digest and etag, and fills `next` (the stored form).
template <typename Resource>
void StampRevision(Resource* r, const Principal& p, const RecordName& name,
                   const storage::StoredRecord* current, const storage::CommitInfo& info,
                   const std::vector<std::string>& derived_from_revisions,
                   storage::StoredRecord* next) {
  const int64_t create_micros = current ? current->create_time_micros() : info.commit_micros;
  r->set_name(name.Name());
  r->set_owner(name.Owner());
  *r->mutable_create_time() = MicrosToTimestamp(create_micros);
  *r->mutable_update_time() = MicrosToTimestamp(info.commit_micros);
  *r->mutable_revision_create_time() = MicrosToTimestamp(info.commit_micros);
  r->set_revision_id(absl::StrCat(info.revision));
  auto* prov = r->mutable_provenance();
  prov->set_submitted_by(p.name);
  prov->set_institution(p.InstitutionName());
  *prov->mutable_receive_time() = MicrosToTimestamp(info.commit_micros);
  prov->clear_derived_from_revisions();
  for (const std::string& ref : derived_from_revisions) prov->add_derived_from_revisions(ref);
  prov->set_ledger_sequence(info.sequence);
  const std::string digest = ContentDigest(*r);
  prov->set_content_digest(digest);
  r->set_etag(Etag(info.revision, digest));

  next->set_owner(name.Owner());
  *next->mutable_access() = r->access();
  next->set_content_digest(digest);
  next->set_create_time_micros(create_micros);
  next->set_update_time_micros(info.commit_micros);
  StoreResource(*r, next);
}

}  // namespace batteryhub
