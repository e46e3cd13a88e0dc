// Reading record files (proto3 JSON, or the same structure in TOML) and
// printing resources (JSON or a table).
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <vector>

namespace batteryhub::cli {

// Fills `out` from the file at `path`: JSON, or TOML when the name ends in
// .toml or the content does not start with '{'. Returns an exit code: 0,
// kExitNoInput when the file is missing, kExitDataErr (with `*error` saying
// where and what) when it cannot be parsed or has unknown fields.
int LoadRecordFile(const std::string& path, google::protobuf::Message* out, std::string* error);

// Proto3 JSON of `m`; pretty unless `compact`.
std::string ToJson(const google::protobuf::Message& m, bool compact);

// One table row per message: NAME, DETAIL, VISIBILITY, REV, UPDATED.
void PrintTable(const std::vector<const google::protobuf::Message*>& rows);

// A readable summary of one resource (table output of get/create/update).
void PrintSummary(const google::protobuf::Message& m);

}  // namespace batteryhub::cli
