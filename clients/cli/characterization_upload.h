// Characterisation files in bhub: `bhub parse FILE` prints what would be
// stored, `bhub upload FILE --characterization NAME` (or --sample S
// --institution I --id ID) writes it as a new revision of the record.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "batteryhub/v1/characterization.pb.h"
#include "clients/cli/cli.h"
#include "parsers/characterization.h"

namespace batteryhub::cli {

// The record fields a parsed file fills: technique, measure time,
// conditions, results (with their method when computed), curves, the file
// as an attachment (name, media type, size, SHA-256) and provenance.source.
v1::Characterization CharacterizationOf(const parsers::ParsedCharacterization& parsed,
                                        const std::string& file_name, absl::string_view bytes);

// `bhub parse` for a characterisation file: csv (the main curve under
// `quantity_unit` names, after `# result:` and `# condition:` lines), bdf
// (the same), or json (the record as it would be stored).
int PrintParsedCharacterization(const parsers::ParsedCharacterization& parsed,
                                const v1::Characterization& record, const std::string& format);

// `bhub upload PATH... --characterization NAME | --sample S --institution I
// --id ID [--dry-run]`.
int RunUploadCharacterization(Cli& cli, const Args& args, const std::vector<std::string>& paths);

// "two_theta_degree" for x name "two_theta" in "deg": the CSV header name.
std::string ColumnName(const std::string& quantity, const std::string& unit);

}  // namespace batteryhub::cli
