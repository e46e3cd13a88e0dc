// The caller's view of a record: the one cut every read path answers from
// (Get, revisions, List filtering, lineage, descends_from, series, raw
// files, the change feed). A field the view does not hold behaves, in a
// filter, exactly as an absent field.
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "policy/policy_engine.h"
#include "storage/record_store.h"

namespace batteryhub {

// A new, empty API message of a data record kind (Sample, Characterization,
// CellTest); null for any other kind.
std::unique_ptr<google::protobuf::Message> NewResource(storage::RecordKind kind);

// Cuts `resource`, a current revision parsed from the store (its own access
// is the record's), to what `d` shows a reader of `reader_institution`; the
// etag and content digest stay only when nothing was cut (otherwise they
// would let a reader test guesses of what was).
void CutResource(const ReadDecision& d, const std::string& reader_institution,
                 google::protobuf::Message* resource);

// As CutResource for `resource` — parsed from `revision`, a revision of `current` — to
// what `d` shows: a past revision is cut by today's access; a replica keeps
// the access its origin sent.
void CutToView(const ReadDecision& d, const std::string& reader_institution,
               const storage::StoredRecord& current, const storage::StoredRecord& revision,
               google::protobuf::Message* resource);

// The names the caller's view of `record` (the current revision, which `d`
// admits) references: its visible lineage edges.
std::vector<std::string> VisibleReferences(const ReadDecision& d,
                                           const std::string& reader_institution,
                                           const storage::StoredRecord& record);

}  // namespace batteryhub
