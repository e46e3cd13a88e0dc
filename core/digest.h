// The content digest of a record revision.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace batteryhub {

// SHA-256 (hex) of the deterministic serialisation of `record` with its
// bookkeeping fields cleared: etag, revision_id, create_time, update_time,
// revision_create_time, provenance.content_digest, provenance.ledger_sequence.
// Everything else — content, owner, labels, access, who submitted it and
// when the hub received it — is covered. Stable for a given protobuf build;
// `bhub verify` recomputes it from the stored bytes.
std::string ContentDigest(const google::protobuf::Message& record);

// Deterministic serialisation (map entries sorted).
std::string DeterministicBytes(const google::protobuf::Message& message);

}  // namespace batteryhub
