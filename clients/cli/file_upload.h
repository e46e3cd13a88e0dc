// One export file to one cell test: read, parse, check, and append what the
// series does not hold yet. Shared by `bhub upload` (one file, many files,
// folders) and the harvester `bhub watch`; it prints nothing but progress,
// and says what happened in its outcome.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "batteryhub/v1/cell_test.pb.h"
#include "clients/cli/cli.h"
#include "clients/cli/upload_map.h"
#include "parsers/parse_export.h"

namespace batteryhub::cli {

struct UploadRequest {
  std::string path;
  std::string cell_test;
  parsers::Format format = parsers::Format::kUnknown;  // kUnknown: recognise
  std::string timezone;                                // "": UTC
  bool append = false;    // the file continues the test (time must go on)
  bool replace = false;   // the file replaces the test's series (a new series revision)
  bool complete = false;  // a last line without a line break is a row
  bool strict = false;    // refuse a file with check errors; send nothing before
  bool dry_run = false;   // parse and check only; no hub
  bool progress = true;   // a progress line on stderr
};

struct UploadOutcome {
  enum class Kind {
    kAppended,   // new rows stored
    kUnchanged,  // the series holds every row of the file already
    kParsed,     // dry run: parsed and checked
    kRefused,    // the file is not one this test takes (parse, checks, growth rule)
    kFailed,     // the hub or the machine failed; trying again may succeed
  };
  Kind kind = Kind::kFailed;
  int exit_code = kExitOther;
  std::string message;             // why refused or failed; what was done
  std::vector<std::string> notes;  // warnings, findings, held-back lines
  int64_t file_rows = 0;           // rows the file gave
  int64_t new_rows = 0;            // rows appended
  int64_t series_rows = 0;         // the series' rows after
  std::string format;              // the dialect read
  v1::CellTest test;               // the cell test after (not for a dry run)
  std::shared_ptr<parsers::ParsedSeries> parsed;  // the rows read, for a dry run
};

const char* OutcomeName(UploadOutcome::Kind kind);

// The flags of `bhub upload` and `bhub watch` that apply to each file
// (--format, --timezone, --append, --complete, --strict, --dry-run); an
// error is a usage error.
absl::StatusOr<UploadRequest> UploadRequestOf(const Args& args);
// --cell-test or --map: which cell test each file goes to. NOT_FOUND for a
// mapping file that cannot be read, INVALID_ARGUMENT for a bad one.
absl::StatusOr<UploadMap> UploadMapOf(const Args& args);

UploadOutcome UploadFile(Cli& cli, const UploadRequest& request);

// Reads a regular file whole; a folder, a device or a missing file is an
// error (kExitNoInput) with its reason in `problem`.
int ReadWholeFile(const std::string& path, std::string* bytes, std::string* problem);

// Reader notes ("batteryhub.*" metadata) as "kind: text" lines.
std::vector<std::string> ParseNotes(const parsers::ParsedSeries& s);
// The hub's checks, run on the parsed rows.
std::vector<v1::SeriesFinding> CheckParsed(const parsers::ParsedSeries& s);
// "WARNING time-backwards, rows 12-12 (1 row): ..."
std::string FindingLine(const v1::SeriesFinding& f);

// Applies --timezone to parsed rows: OK, INVALID_ARGUMENT for a zone name
// that is not one (a usage error: message starts "--timezone"), or the
// reason the rows cannot take it.
absl::Status ApplyZone(const std::string& path, const std::string& timezone,
                       parsers::ParsedSeries* s);

}  // namespace batteryhub::cli
