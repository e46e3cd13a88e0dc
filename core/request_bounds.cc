#include "core/request_bounds.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/errors.h"

namespace batteryhub {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxDepth = 12;
constexpr int kMaxViolations = 16;
// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

int RepeatedLimit(const FieldDescriptor* f) {
  const std::string& name = f->name();
  if (f->containing_type()->name() == "Access") {
    if (name == "restricted_fields" || name == "grants") return 64;
    if (name == "agreements") return 32;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE ||
      f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
    return kMaxPoints;
  }
  return kMaxRepeated;
}

// Packed numeric arrays of points may hold NaN (a missing point).
bool MayBeNaN(const FieldDescriptor* f) { return f->is_repeated(); }

class Walker {
 public:
  void Walk(const Message& m, const std::string& prefix, int depth) {
    if (depth > kMaxDepth || full()) return;
    if (m.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
      const auto* t = static_cast<const google::protobuf::Timestamp*>(&m);
      if (t->seconds() < kMinSeconds || t->seconds() > kMaxSeconds || t->nanos() < 0 ||
          t->nanos() > 999999999) {
        Add(prefix, "must be a time from 0001-01-01 to 9999-12-31 (nanos 0 to 999999999)");
      }
      return;
    }
    const Reflection* r = m.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    r->ListFields(m, &fields);
    for (const FieldDescriptor* f : fields) {
      const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
      if (f->is_map()) {
        Map(m, f, path);
      } else if (f->is_repeated()) {
        const int n = r->FieldSize(m, f);
        if (n > RepeatedLimit(f)) {
          Add(path, absl::StrCat("holds ", n, " elements; at most ", RepeatedLimit(f)));
          continue;
        }
        for (int i = 0; i < n && !full(); ++i) Element(m, f, i, absl::StrCat(path, "[", i, "]"), depth);
      } else {
        Element(m, f, -1, path, depth);
      }
    }
  }

  absl::Status Finish(const std::string& what) const { return v_.ToStatus(what); }

 private:
  bool full() const { return count_ >= kMaxViolations; }

  void Map(const Message& m, const FieldDescriptor* f, const std::string& path) {
    const Reflection* r = m.GetReflection();
    const int n = r->FieldSize(m, f);
    if (n > kMaxMapEntries) {
      Add(path, absl::StrCat("holds ", n, " entries; at most ", kMaxMapEntries));
      return;
    }
    const FieldDescriptor* key = f->message_type()->map_key();
    const FieldDescriptor* value = f->message_type()->map_value();
    for (int i = 0; i < n; ++i) {
      const Message& entry = r->GetRepeatedMessage(m, f, i);
      if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
          entry.GetReflection()->GetString(entry, key).size() > 63) {
        Add(path, "keys are at most 63 bytes");
      }
      if (value->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
          entry.GetReflection()->GetString(entry, value).size() > 256) {
        Add(path, "values are at most 256 bytes");
      }
    }
  }

  void Element(const Message& m, const FieldDescriptor* f, int i, const std::string& path,
               int depth) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s = i < 0 ? r->GetStringReference(m, f, &scratch)
                                     : r->GetRepeatedStringReference(m, f, i, &scratch);
        if (s.size() > kMaxStringBytes) {
          Add(path, absl::StrCat("is ", s.size(), " bytes; at most ", kMaxStringBytes));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        const double d = f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE
                             ? (i < 0 ? r->GetDouble(m, f) : r->GetRepeatedDouble(m, f, i))
                             : (i < 0 ? r->GetFloat(m, f) : r->GetRepeatedFloat(m, f, i));
        if (std::isinf(d) || (std::isnan(d) && !MayBeNaN(f))) Add(path, "must be a finite number");
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Walk(i < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, i), path, depth + 1);
        break;
      default:
        break;
    }
  }

  void Add(const std::string& path, const std::string& what) {
    ++count_;
    v_.Add(path, what);
  }

  Violations v_;
  int count_ = 0;
};

}  // namespace

absl::Status CheckRequestBounds(const Message& message, const std::string& what) {
  Walker w;
  w.Walk(message, "", 0);
  return w.Finish(what);
}

}  // namespace batteryhub
