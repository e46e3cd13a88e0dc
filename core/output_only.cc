#include "core/output_only.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "batteryhub/v1/common.pb.h"

namespace batteryhub {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// API messages nest a few levels; the bound only guards a recursive type.
constexpr int kMaxDepth = 8;

void Collect(const Descriptor* d, const std::string& prefix, int depth,
             std::vector<std::string>* out) {
  if (depth > kMaxDepth) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->options().GetExtension(::batteryhub::v1::output_only)) {
      out->push_back(path);
    } else if (f->message_type() != nullptr && !f->is_repeated()) {
      Collect(f->message_type(), path, depth + 1, out);
    }
  }
}

// The message at `path` minus its last name, or null when a step is unset
// (`create`: made on the way).
Message* Parent(Message* m, const std::string& path, bool create, const FieldDescriptor** leaf) {
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (f == nullptr) return nullptr;
    if (dot == std::string::npos) {
      *leaf = f;
      return m;
    }
    if (!create && !m->GetReflection()->HasField(*m, f)) return nullptr;
    m = m->GetReflection()->MutableMessage(m, f);
    start = dot + 1;
  }
}

}  // namespace

const std::vector<std::string>& OutputOnlyPaths(const Descriptor* type) {
  static std::mutex mu;
  static auto* cache = new std::map<const Descriptor*, std::vector<std::string>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(type);
  if (it == cache->end()) {
    std::vector<std::string> paths;
    Collect(type, "", 0, &paths);
    std::sort(paths.begin(), paths.end());
    it = cache->emplace(type, std::move(paths)).first;
  }
  return it->second;
}

void ClearOutputOnly(Message* message) {
  for (const std::string& path : OutputOnlyPaths(message->GetDescriptor())) {
    const FieldDescriptor* leaf = nullptr;
    Message* parent = Parent(message, path, false, &leaf);
    if (parent != nullptr) parent->GetReflection()->ClearField(parent, leaf);
  }
}

void KeepOutputOnly(const Message& from, Message* to) {
  ClearOutputOnly(to);
  google::protobuf::FieldMask mask;
  for (const std::string& path : OutputOnlyPaths(from.GetDescriptor())) mask.add_paths(path);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(from, mask, options, to);
}

bool IsOutputOnlyPath(const Descriptor* type, const std::string& path) {
  for (const std::string& p : OutputOnlyPaths(type)) {
    if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 &&
                      path[p.size()] == '.')) {
      return true;
    }
  }
  return false;
}

}  // namespace batteryhub
