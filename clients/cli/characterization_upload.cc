#include "clients/cli/characterization_upload.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "batteryhub/v1/characterization_service.pb.h"
#include "clients/cli/file_upload.h"
#include "clients/cli/record_io.h"
#include "core/sha256.h"

namespace batteryhub::cli {
namespace {

std::string UnitWord(const std::string& unit) {
  static const std::pair<const char*, const char*> kWords[] = {
      {"deg", "degree"},        {"counts", "count"},     {"counts/s", "count_per_second"},
      {"um", "micrometre"},     {"%", "percent"},        {"mmol/g", "millimole_per_gram"},
      {"degC", "celsius"},      {"mW", "milliwatt"},     {"min", "minute"},
      {"s", "second"},          {"mg", "milligram"},     {"W/g", "watt_per_gram"},
      {"m2/g", "square_metre_per_gram"},                 {"K", "kelvin"}};
  for (const auto& [u, w] : kWords) {
    if (unit == u) return w;
  }
  std::string out;
  for (char c : unit) out += absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string MediaType(absl::string_view b) {
  if (absl::StartsWith(b, "PK\x03\x04")) return "application/zip";
  if (absl::StartsWith(b, "\xD0\xCF\x11\xE0")) return "application/vnd.ms-excel";
  if (absl::StartsWith(b, "\x1f\x8b")) return "application/gzip";
  if (absl::StartsWith(b, "BZh")) return "application/x-bzip2";
  if (absl::StartsWith(b, "\xFF\xFE") || absl::StartsWith(b, "\xFE\xFF")) return "text/plain; charset=utf-16";
  if (absl::StartsWith(b, "<?xml") || absl::StartsWith(b, "<")) return "application/xml";
  return "text/plain";
}

void SetTime(double unix_seconds, google::protobuf::Timestamp* t) {
  const double whole = std::floor(unix_seconds);
  t->set_seconds(static_cast<int64_t>(whole));
  t->set_nanos(static_cast<int32_t>(std::round((unix_seconds - whole) * 1e9)) % 1000000000);
}

std::string Number(double v) { return absl::StrFormat("%.10g", v); }

// One line of the per-file summary.
std::string Summary(const parsers::ParsedCharacterization& p) {
  return absl::StrCat(parsers::CharTechniqueName(p.technique), " (", p.reader, "), ", p.curves.size(),
                      p.curves.size() == 1 ? " curve, " : " curves, ", p.points(), " points, ",
                      p.results.size(), p.results.size() == 1 ? " result" : " results");
}

}  // namespace

std::string ColumnName(const std::string& quantity, const std::string& unit) {
  if (unit == "1" || unit.empty()) return quantity;
  return absl::StrCat(quantity, "_", UnitWord(unit));
}

v1::Characterization CharacterizationOf(const parsers::ParsedCharacterization& p,
                                        const std::string& file_name, absl::string_view bytes) {
  v1::Characterization c;
  v1::Technique t = v1::TECHNIQUE_UNSPECIFIED;
  v1::Technique_Parse(absl::StrCat("TECHNIQUE_", parsers::CharTechniqueName(p.technique)), &t);
  c.set_technique(t);
  if (p.measure_time) SetTime(*p.measure_time, c.mutable_measure_time());
  for (const parsers::CharCondition& k : p.conditions) {
    v1::Condition* cond = c.add_conditions();
    cond->set_name(k.name);
    if (k.value) {
      cond->mutable_quantity()->set_value(*k.value);
      cond->mutable_quantity()->set_unit(k.unit);
    } else {
      cond->set_text(k.text);
    }
  }
  if (!p.sample_name.empty()) {
    v1::Condition* cond = c.add_conditions();
    cond->set_name("sample_name_in_file");
    cond->set_text(p.sample_name.substr(0, 500));
  }
  for (const parsers::CharResult& r : p.results) {
    v1::ScalarResult* out = c.add_results();
    out->set_name(r.name);
    out->mutable_value()->set_value(r.value);
    out->mutable_value()->set_unit(r.unit);
    if (r.computed) out->set_method(absl::StrCat("computed by batteryhub: ", r.method).substr(0, 500));
  }
  for (const parsers::CharCurve& k : p.curves) {
    v1::Curve* out = c.add_curves();
    out->set_name(k.name);
    out->set_x_name(k.x_name);
    out->set_x_unit(k.x_unit);
    out->set_y_name(k.y_name);
    out->set_y_unit(k.y_unit);
    out->mutable_x()->Add(k.x.begin(), k.x.end());
    out->mutable_y()->Add(k.y.begin(), k.y.end());
  }
  const std::string sha = Sha256Hex(bytes);
  const std::string base = std::filesystem::path(file_name).filename().string();
  v1::Attachment* a = c.add_attachments();
  a->set_file_name(base);
  a->set_media_type(MediaType(bytes));
  a->set_sha256(sha);
  a->set_size_bytes(static_cast<int64_t>(bytes.size()));
  a->set_description(absl::StrCat("the instrument file this revision was read from (", p.reader, ")"));
  // What the reader noted (an assumption, rows left out, why no BET) goes
  // with the record: in its description (only a new record's: a revision
  // keeps the description its owner wrote).
  std::string notes = absl::StrCat("Read from ", base, " by batteryhub (", p.reader, ").");
  for (const auto& [k, v] : p.metadata) {
    if (k == "batteryhub.reader" || k == "spreadsheet.sheet") continue;
    absl::StrAppend(&notes, " ", k, ": ", v, ".");
  }
  c.set_description(notes.substr(0, 10000));
  v1::Source* s = c.mutable_provenance()->mutable_source();
  s->set_instrument(p.instrument);
  s->set_software(p.software);
  s->set_software_version(p.software_version);
  s->set_operator_(p.operator_name);
  s->set_file_name(base);
  s->set_file_size_bytes(static_cast<int64_t>(bytes.size()));
  s->set_file_sha256(sha);
  return c;
}

int PrintParsedCharacterization(const parsers::ParsedCharacterization& p, const v1::Characterization& record,
                                const std::string& format) {
  if (format == "json") {
    std::printf("%s\n", ToJson(record, false).c_str());
    return kExitOk;
  }
  std::printf("# characterization: %s\n", Summary(p).c_str());
  for (const parsers::CharResult& r : p.results) {
    std::printf("# result: %s = %s %s%s\n", r.name.c_str(), Number(r.value).c_str(), r.unit.c_str(),
                r.computed ? absl::StrCat(" (computed: ", r.method, ")").c_str() : "");
  }
  for (const parsers::CharCondition& k : p.conditions) {
    if (k.value) {
      std::printf("# condition: %s = %s %s\n", k.name.c_str(), Number(*k.value).c_str(), k.unit.c_str());
    } else {
      std::printf("# condition: %s = %s\n", k.name.c_str(), k.text.c_str());
    }
  }
  for (const auto& [k, v] : p.metadata) std::printf("# note: %s = %s\n", k.c_str(), v.c_str());
  for (size_t i = 1; i < p.curves.size(); ++i) {
    std::printf("# curve: %s, %zu points (%s against %s)\n", p.curves[i].name.c_str(), p.curves[i].x.size(),
                p.curves[i].y_name.c_str(), p.curves[i].x_name.c_str());
  }
  if (p.curves.empty()) return kExitOk;
  const parsers::CharCurve& main = p.curves[0];
  std::printf("%s,%s\n", ColumnName(main.x_name, main.x_unit).c_str(), ColumnName(main.y_name, main.y_unit).c_str());
  for (size_t i = 0; i < main.x.size(); ++i) {
    std::printf("%s,%s\n", Number(main.x[i]).c_str(), Number(main.y[i]).c_str());
  }
  return kExitOk;
}

namespace {

int Refuse(const std::string& message) {
  std::string m = message;
  for (char& ch : m) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  std::fprintf(stderr, "bhub: %s\n", m.c_str());
  return kExitDataErr;
}

// One file: parse, then create or revise the record.
int UploadOneCharacterization(Cli& cli, const Args& args, const std::string& path) {
  std::string bytes, problem;
  if (int code = ReadWholeFile(path, &bytes, &problem); code != kExitOk) {
    std::fprintf(stderr, "bhub: %s\n", problem.c_str());
    return code;
  }
  absl::StatusOr<parsers::ParsedCharacterization> parsed = parsers::ParseCharacterization(path, bytes);
  if (!parsed.ok()) return Refuse(std::string(parsed.status().message()));
  v1::Characterization record = CharacterizationOf(*parsed, path, bytes);
  // One record is one message: above the hub's default limit it cannot be sent.
  constexpr size_t kMaxRecordBytes = size_t{15} << 20;
  if (record.ByteSizeLong() > kMaxRecordBytes) {
    return Refuse(absl::StrCat(path, ": ", parsed->points(), " points make a record of ", record.ByteSizeLong() >> 20,
                               " MiB, more than one message to the hub carries (15 MiB); curves of this size "
                               "are not kept in the series store yet"));
  }
  if (args.Has("dry-run")) {
    if (cli.json) {
      std::printf("%s\n", ToJson(record, false).c_str());
    } else {
      std::printf("parsed    %s: %s (dry run: nothing sent)\n", path.c_str(), Summary(*parsed).c_str());
    }
    return kExitOk;
  }
  v1::Characterization out;
  grpc::Status st;
  if (args.Has("characterization")) {
    const std::string name = args.Get("characterization");
    v1::Characterization current;
    st = cli.client->GetCharacterization(name, &current);
    if (!st.ok()) return ReportError(st);
    if (current.technique() != v1::TECHNIQUE_UNSPECIFIED && current.technique() != record.technique()) {
      return Refuse(absl::StrCat(path, ": the file is ", v1::Technique_Name(record.technique()), " but ", name,
                                 " is ", v1::Technique_Name(current.technique()),
                                 "; upload it to a characterization of that technique"));
    }
    v1::UpdateCharacterizationRequest req;
    *req.mutable_characterization() = record;
    req.mutable_characterization()->set_name(name);
    req.mutable_characterization()->set_etag(current.etag());
    for (const char* f : {"technique", "measure_time", "conditions", "results", "curves", "attachments",
                          "provenance"}) {
      req.mutable_update_mask()->add_paths(f);
    }
    req.set_request_id(RandomRequestId());
    req.set_validate_only(cli.validate_only);
    st = cli.client->UpdateCharacterization(req, &out);
  } else {
    if (!args.Has("sample") || !args.Has("institution") || !args.Has("id")) {
      return UsageError("bhub upload FILE needs --characterization NAME, or --sample S --institution I --id ID "
                        "to create one");
    }
    v1::CreateCharacterizationRequest req;
    req.set_parent("institutions/" + args.Get("institution"));
    req.set_characterization_id(args.Get("id"));
    *req.mutable_characterization() = record;
    req.mutable_characterization()->set_sample(args.Get("sample"));
    req.mutable_characterization()->set_display_name(std::filesystem::path(path).filename().string());
    req.set_request_id(RandomRequestId());
    req.set_validate_only(cli.validate_only);
    st = cli.client->CreateCharacterization(req, &out);
  }
  if (!st.ok()) return ReportError(st);
  if (!cli.validate_only) {
    // The instrument file itself, kept beside the record: the hub checks its
    // SHA-256 and size, and serves it to those who see the record at FULL.
    v1::SourceFile header;
    header.set_file_name(record.attachments(0).file_name());
    header.set_sha256(record.attachments(0).sha256());
    header.set_size_bytes(record.attachments(0).size_bytes());
    header.set_format(parsed->reader);
    v1::SourceFile stored;
    st = cli.client->UploadRawFile(out.name(), header, bytes, &stored);
    if (!st.ok()) {
      std::fprintf(stderr, "bhub: %s: the record was written (revision %s) but the raw file was not: run the "
                   "same upload again\n", path.c_str(), out.revision_id().c_str());
      return ReportError(st);
    }
  }
  if (cli.json) {
    std::printf("%s\n", ToJson(out, false).c_str());
  } else {
    std::printf("uploaded  %s -> %s (revision %s): %s\n", path.c_str(), out.name().c_str(), out.revision_id().c_str(),
                Summary(*parsed).c_str());
  }
  return kExitOk;
}

}  // namespace

int RunUploadCharacterization(Cli& cli, const Args& args, const std::vector<std::string>& paths) {
  if (args.Has("cell-test") || args.Has("map")) {
    return UsageError("give --characterization (or --sample/--institution/--id) or --cell-test/--map, not both");
  }
  std::error_code ec;
  const bool many = paths.size() > 1 || args.Has("recursive") || std::filesystem::is_directory(paths[0], ec);
  if (!many) return UploadOneCharacterization(cli, args, paths[0]);
  if (!args.Has("dry-run")) {
    return UsageError("one characterization holds one measurement: upload one file (several files or a "
                      "folder only with --dry-run, to see what each would give)");
  }
  std::vector<std::string> problems;
  int exit_code = kExitOk;
  for (const FoundFile& f : FindFiles(paths, args.Has("recursive"), &problems)) {
    std::string bytes, problem;
    if (ReadWholeFile(f.path, &bytes, &problem) != kExitOk) {
      std::printf("refused   %s: %s\n", f.path.c_str(), problem.c_str());
      if (exit_code == kExitOk) exit_code = kExitNoInput;
      continue;
    }
    absl::StatusOr<parsers::ParsedCharacterization> p = parsers::ParseCharacterization(f.path, bytes);
    if (p.ok()) {
      std::printf("parsed    %s: %s\n", f.path.c_str(), Summary(*p).c_str());
    } else {
      std::printf("refused   %s\n", std::string(p.status().message()).c_str());
      if (exit_code == kExitOk) exit_code = kExitDataErr;
    }
  }
  for (const std::string& p : problems) {
    std::fprintf(stderr, "bhub: %s\n", p.c_str());
    exit_code = kExitNoInput;
  }
  return exit_code;
}

}  // namespace batteryhub::cli
