#include "http/stream_encoding.h"

#include <google/protobuf/util/json_util.h>

#include <limits>

#include "absl/strings/str_cat.h"
#include "batteryhub/v1/series_service.pb.h"
#include "core/errors.h"
#include "core/row_text.h"
#include "http/json_status.h"

namespace batteryhub::http {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

class JsonLines final : public StreamEncoding {
 public:
  const char* content_type() const override { return "application/x-ndjson"; }
  void Append(const Message& message, std::string* out) override {
    *out += MessageJson(message);
    *out += "\n";
  }
  bool AppendFailure(const grpc::Status& status, std::string* out) override {
    // A last line {"error": Status}: a reader of JSON lines sees why it ended.
    std::string error = StatusJson(status);
    while (!error.empty() && error.back() == '\n') error.pop_back();
    absl::StrAppend(out, "{\"error\":", error, "}\n");
    return true;
  }
};

class RawBytes final : public StreamEncoding {
 public:
  explicit RawBytes(std::string field) : field_(std::move(field)) {}
  const char* content_type() const override { return "application/octet-stream"; }
  void Append(const Message& message, std::string* out) override {
    const FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(field_);
    if (f != nullptr) *out += message.GetReflection()->GetString(message, f);
  }
  bool AppendFailure(const grpc::Status&, std::string*) override { return false; }

 private:
  std::string field_;
};

class SeriesRows final : public StreamEncoding {
 public:
  explicit SeriesRows(std::string format) : format_(std::move(format)) {}
  const char* content_type() const override {
    return format_ == "jsonl" ? "application/x-ndjson" : "text/csv; charset=utf-8";
  }
  void Append(const Message& message, std::string* out) override {
    const auto& chunk = static_cast<const v1::SeriesChunk&>(message);
    if (names_.empty()) {
      for (const auto& c : chunk.columns()) names_.push_back(c.name());
      *out += RowHeader(row_format(), names_);
    }
    const int rows = chunk.columns_size() ? chunk.columns(0).values_size() : 0;
    for (int r = 0; r < rows; ++r) {
      AppendRow(row_format(), names_, [&](size_t i) {
        const auto& values = chunk.columns(static_cast<int>(i)).values();
        return r < values.size() ? values[r] : std::numeric_limits<double>::quiet_NaN();
      }, out);
    }
  }
  bool AppendFailure(const grpc::Status& status, std::string* out) override {
    if (format_ == "jsonl") return JsonLines().AppendFailure(status, out);
    // CSV has no place for it: a comment line, then the connection is cut
    // so that no reader mistakes the rows for the whole series.
    absl::StrAppend(out, "# error: ", status.error_message(), "\n");
    return false;
  }

 private:
  std::string row_format() const { return format_ == "jsonl" ? "json" : format_; }
  std::string format_;
  std::vector<std::string> names_;
};

}  // namespace

std::string MessageJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

absl::StatusOr<std::unique_ptr<StreamEncoding>> EncodingFor(const Route& route,
                                                            absl::string_view alt) {
  const bool series = route.method->full_name() == "batteryhub.v1.SeriesService.ReadSeries";
  if (!route.response_body.empty()) {
    if (!alt.empty() && alt != "media") return InvalidField("alt", "this method answers bytes only");
    return std::unique_ptr<StreamEncoding>(new RawBytes(route.response_body));
  }
  if (alt.empty() || alt == "json") return std::unique_ptr<StreamEncoding>(new JsonLines());
  if (series && (alt == "csv" || alt == "bdf" || alt == "jsonl")) {
    return std::unique_ptr<StreamEncoding>(new SeriesRows(std::string(alt)));
  }
  return InvalidField("alt", series ? "must be json (chunks), csv, bdf or jsonl (rows)"
                                    : "must be json");
}

}  // namespace batteryhub::http
