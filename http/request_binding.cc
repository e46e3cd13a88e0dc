#include "http/request_binding.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"

namespace batteryhub::http {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr size_t kMaxQuoted = 120;

std::string Quote(absl::string_view s) {
  return s.size() <= kMaxQuoted ? std::string(s) : absl::StrCat(s.substr(0, kMaxQuoted), "...");
}

absl::Status Bad(absl::string_view field, std::string why) {
  return InvalidField(std::string(field), std::move(why));
}

const FieldDescriptor* FindField(const Descriptor* d, absl::string_view name) {
  if (const FieldDescriptor* f = d->FindFieldByName(std::string(name))) return f;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->json_name() == name) return d->field(i);
  }
  return nullptr;
}

absl::Status SetScalar(Message* m, const FieldDescriptor* f, absl::string_view value,
                       absl::string_view source) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&](absl::string_view expected) {
    return Bad(source, absl::StrCat("'", Quote(value), "' is not ", expected));
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (f->type() == FieldDescriptor::TYPE_BYTES) return bad("settable from a query (bytes)");
      rep ? r->AddString(m, f, std::string(value)) : r->SetString(m, f, std::string(value));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("a 32-bit integer");
      rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("a 64-bit integer");
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("an unsigned 32-bit integer");
      rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("an unsigned 64-bit integer");
      rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v) || !std::isfinite(v)) return bad("a finite number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      } else {
        rep ? r->AddFloat(m, f, static_cast<float>(v)) : r->SetFloat(m, f, static_cast<float>(v));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::string lower = absl::AsciiStrToLower(value);
      bool v;
      if (lower == "true" || lower == "1") {
        v = true;
      } else if (lower == "false" || lower == "0") {
        v = false;
      } else {
        return bad("true or false");
      }
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* e =
          f->enum_type()->FindValueByName(std::string(value));
      int number;
      if (e == nullptr && absl::SimpleAtoi(value, &number)) e = f->enum_type()->FindValueByNumber(number);
      if (e == nullptr) {
        std::string names;
        for (int i = 0; i < f->enum_type()->value_count(); ++i) {
          absl::StrAppend(&names, i ? ", " : "", f->enum_type()->value(i)->name());
        }
        return bad(absl::StrCat("one of ", names));
      }
      rep ? r->AddEnum(m, f, e) : r->SetEnum(m, f, e);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const std::string& type = f->message_type()->full_name();
      Message* target = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      if (type == "google.protobuf.FieldMask") {
        auto* mask = static_cast<google::protobuf::FieldMask*>(target);
        for (absl::string_view path : absl::StrSplit(value, ',', absl::SkipEmpty())) {
          mask->add_paths(std::string(absl::StripAsciiWhitespace(path)));
        }
        return absl::OkStatus();
      }
      if (type == "google.protobuf.Timestamp") {
        google::protobuf::Timestamp t;
        if (!google::protobuf::util::TimeUtil::FromString(std::string(value), &t)) {
          return bad("an RFC 3339 time (2026-01-31T12:00:00Z)");
        }
        target->CopyFrom(t);
        return absl::OkStatus();
      }
      return Bad(source, absl::StrCat("a message (", type, ") is set in the body, not in the query"));
    }
  }
  return bad("a supported value");
}

}  // namespace

bool IsSystemParameter(absl::string_view name) {
  return name == "alt" || name == "access_token";
}

absl::Status SetFieldFromText(Message* message, absl::string_view path, absl::string_view value,
                              absl::string_view source) {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  Message* m = message;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(m->GetDescriptor(), parts[i]);
    if (f == nullptr) {
      return Bad(source, absl::StrCat("unknown field '", Quote(path), "' of ",
                                      m->GetDescriptor()->full_name()));
    }
    if (i + 1 == parts.size()) {
      if (f->is_map()) return Bad(source, "a map is set in the body, not in the query");
      return SetScalar(m, f, value, source);
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      return Bad(source, absl::StrCat("'", parts[i], "' has no fields"));
    }
    m = m->GetReflection()->MutableMessage(m, f);
  }
  return absl::OkStatus();
}

absl::Status BindRequest(const RouteMatch& match, absl::string_view body, const QueryParams& query,
                         Message* request) {
  const Route& route = *match.route;
  if (!route.body.empty() && !absl::StripAsciiWhitespace(body).empty()) {
    Message* target = request;
    if (route.body != "*") {
      const FieldDescriptor* f = FindField(request->GetDescriptor(), route.body);
      if (f == nullptr || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        return absl::InternalError(absl::StrCat("body field '", route.body, "' is not a message"));
      }
      target = request->GetReflection()->MutableMessage(request, f);
    }
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(std::string(body), target, options);
    if (!parsed.ok()) {
      return Bad("body", absl::StrCat("not a JSON ", target->GetDescriptor()->full_name(), ": ",
                                      Quote(std::string(parsed.message()))));
    }
  } else if (route.body.empty() && !absl::StripAsciiWhitespace(body).empty()) {
    return Bad("body", absl::StrCat(route.verb, " ", route.path.text(), " takes no body"));
  }
  // Path variables win over the body (http.proto).
  for (const auto& [field, value] : match.bindings) {
    if (absl::Status set = SetFieldFromText(request, field, value, field); !set.ok()) return set;
  }
  for (const auto& [name, value] : query) {
    if (IsSystemParameter(name)) continue;
    if (route.body == "*") {
      return Bad(name, "this method takes its fields in the body, not as query parameters");
    }
    for (const auto& [field, unused] : match.bindings) {
      if (field == name) return Bad(name, "set by the path");
    }
    if (!route.body.empty() && (name == route.body || absl::StartsWith(name, route.body + "."))) {
      return Bad(name, "set by the body");
    }
    if (absl::Status set = SetFieldFromText(request, name, value, name); !set.ok()) return set;
  }
  return absl::OkStatus();
}

}  // namespace batteryhub::http
