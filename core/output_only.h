// Output-only fields by declaration: a field marked `(output_only) = true`
// in the API (common.proto) is set by the hub alone. Requests never carry
// one into a stored record, whatever kind of record, whatever method.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

namespace batteryhub {

// The dotted paths of the output-only fields of `type`, reached through
// singular message fields ("summary", "provenance.content_digest"), sorted.
// Computed once per type; thread-safe.
const std::vector<std::string>& OutputOnlyPaths(const google::protobuf::Descriptor* type);

// Clears every output-only field of `message`.
void ClearOutputOnly(google::protobuf::Message* message);

// Sets every output-only field of `to` to its value in `from` (same type):
// an update keeps what the hub computed (summary, series, provenance).
void KeepOutputOnly(const google::protobuf::Message& from, google::protobuf::Message* to);

// True when the field-mask path `path` is, or lies inside, an output-only
// field of `type`.
bool IsOutputOnlyPath(const google::protobuf::Descriptor* type, const std::string& path);

}  // namespace batteryhub
