#include "clients/cli/record_io.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include "core/toml.h"

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "clients/cli/exit_codes.h"
#include "core/toml_text.h"

namespace batteryhub::cli {
namespace {

namespace v1 = ::batteryhub::v1;

bool LooksLikeToml(const std::string& path, const std::string& text) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".toml") == 0) return true;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c != '{';
  }
  return false;
}

// TOML text -> JSON text, or an error with line and column.
bool TomlToJson(const std::string& path, const std::string& text, std::string* json,
                std::string* error) {
  absl::StatusOr<toml::table> parsed = ParseTomlText(text, path);
  if (!parsed.ok()) {
    *error = std::string(parsed.status().message());
    return false;
  }
  std::ostringstream out;
  out << toml::json_formatter{*parsed};
  *json = out.str();
  return true;
}

std::string Time(const google::protobuf::Timestamp& t) {
  return t.seconds() == 0 ? "-" : google::protobuf::util::TimeUtil::ToString(t).substr(0, 19) + "Z";
}

std::string Visibility(const v1::Access& a) {
  std::string v = v1::Visibility_Name(a.visibility());
  return v.rfind("VISIBILITY_", 0) == 0 ? v.substr(11) : v;
}

std::string Detail(const google::protobuf::Message& m) {
  if (auto* s = dynamic_cast<const v1::Sample*>(&m)) {
    std::string kind = v1::SampleKind_Name(s->kind()).substr(12);
    if (s->has_material_lot()) return kind + " " + s->material_lot().material();
    if (s->has_cell()) return kind + " " + s->cell().chemistry();
    if (s->has_electrode()) return kind + " " + v1::ElectrodePolarity_Name(s->electrode().polarity()).substr(19);
    return kind;
  }
  if (auto* c = dynamic_cast<const v1::Characterization*>(&m)) {
    return v1::Technique_Name(c->technique()).substr(10) + " of " + c->sample();
  }
  if (auto* t = dynamic_cast<const v1::CellTest*>(&m)) {
    char temp[32];
    std::snprintf(temp, sizeof(temp), " @ %g degC", t->protocol().temperature().value());
    return t->cell().chemistry() + temp;
  }
  return "";
}

template <typename R>
bool Common(const google::protobuf::Message& m, std::string* name, std::string* vis,
            std::string* rev, std::string* updated) {
  auto* r = dynamic_cast<const R*>(&m);
  if (r == nullptr) return false;
  *name = r->name();
  *vis = Visibility(r->access());
  *rev = r->revision_id();
  *updated = Time(r->update_time());
  return true;
}

void Columns(const google::protobuf::Message& m, std::string* name, std::string* vis,
             std::string* rev, std::string* updated) {
  Common<v1::Sample>(m, name, vis, rev, updated) ||
      Common<v1::Characterization>(m, name, vis, rev, updated) ||
      Common<v1::CellTest>(m, name, vis, rev, updated);
}

}  // namespace

int LoadRecordFile(const std::string& path, google::protobuf::Message* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read '" + path + "': no such file or not readable";
    return kExitNoInput;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (LooksLikeToml(path, text)) {
    std::string json;
    if (!TomlToJson(path, text, &json, error)) return kExitDataErr;
    text = std::move(json);
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(text, out, options);
  if (!status.ok()) {
    *error = path + ": not a valid " + out->GetDescriptor()->name() + ": " +
             std::string(status.message());
    return kExitDataErr;
  }
  return kExitOk;
}

std::string ToJson(const google::protobuf::Message& m, bool compact) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = !compact;
  options.preserve_proto_field_names = false;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void PrintTable(const std::vector<const google::protobuf::Message*>& rows) {
  std::printf("%-52s %-44s %-11s %4s %s\n", "NAME", "DETAIL", "VISIBILITY", "REV", "UPDATED");
  for (const auto* m : rows) {
    std::string name, vis, rev, updated;
    Columns(*m, &name, &vis, &rev, &updated);
    std::string detail = Detail(*m);
    if (detail.size() > 44) detail = detail.substr(0, 41) + "...";
    std::printf("%-52s %-44s %-11s %4s %s\n", name.c_str(), detail.c_str(), vis.c_str(),
                rev.c_str(), updated.c_str());
  }
}

void PrintSummary(const google::protobuf::Message& m) {
  std::string name, vis, rev, updated;
  Columns(m, &name, &vis, &rev, &updated);
  std::printf("name:       %s\ndetail:     %s\nvisibility: %s\nrevision:   %s\nupdated:    %s\n",
              name.c_str(), Detail(m).c_str(), vis.c_str(), rev.c_str(), updated.c_str());
  const auto* prov_field = m.GetDescriptor()->FindFieldByName("provenance");
  if (prov_field != nullptr) {
    const auto& prov =
        static_cast<const v1::Provenance&>(m.GetReflection()->GetMessage(m, prov_field));
    std::printf("submitted:  %s\ndigest:     %s\n", prov.submitted_by().c_str(),
                prov.content_digest().c_str());
  }
}

}  // namespace batteryhub::cli
