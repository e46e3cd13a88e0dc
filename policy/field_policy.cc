#include "policy/field_policy.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "batteryhub/v1/common.pb.h"
#include "core/errors.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Resolves `path` through singular message fields; null when it does not
// name a field that way.
std::vector<const FieldDescriptor*> Resolve(const Descriptor* d, absl::string_view path) {
  std::vector<const FieldDescriptor*> out;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (d == nullptr) return {};
    const FieldDescriptor* f = d->FindFieldByName(std::string(part));
    if (f == nullptr) return {};
    out.push_back(f);
    d = (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated()) ? f->message_type()
                                                                           : nullptr;
  }
  return out;
}

// Clears the field at `path` in `m` if every message on the way is present;
// true when something was there.
bool ClearPath(Message* m, const std::vector<const FieldDescriptor*>& path) {
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (!m->GetReflection()->HasField(*m, path[i])) return false;
    m = m->GetReflection()->MutableMessage(m, path[i]);
  }
  const FieldDescriptor* last = path.back();
  const bool present = last->is_repeated() ? m->GetReflection()->FieldSize(*m, last) > 0
                                           : m->GetReflection()->HasField(*m, last);
  m->GetReflection()->ClearField(m, last);
  return present;
}

// Every string value in `m` outside its provenance (references are strings).
void CollectStrings(const Message& m, int depth, std::set<std::string>* out) {
  if (depth > 6) return;
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (depth == 0 && f->name() == "provenance") continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !f->is_map()) {
      if (f->is_repeated()) {
        for (int i = 0; i < m.GetReflection()->FieldSize(m, f); ++i) {
          out->insert(m.GetReflection()->GetRepeatedString(m, f, i));
        }
      } else {
        out->insert(m.GetReflection()->GetString(m, f));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map()) {
      if (f->is_repeated()) {
        for (int i = 0; i < m.GetReflection()->FieldSize(m, f); ++i) {
          CollectStrings(m.GetReflection()->GetRepeatedMessage(m, f, i), depth + 1, out);
        }
      } else {
        CollectStrings(m.GetReflection()->GetMessage(m, f), depth + 1, out);
      }
    }
  }
}

// Drops from the provenance the resolved references (`name@revision`)
// whose field the view no longer holds: a cut reference stays cut.
void DropCutReferences(Message* resource, const FieldDescriptor* prov_field) {
  if (prov_field == nullptr || !resource->GetReflection()->HasField(*resource, prov_field)) return;
  auto* prov =
      static_cast<v1::Provenance*>(resource->GetReflection()->MutableMessage(resource, prov_field));
  if (prov->derived_from_revisions_size() == 0) return;
  std::set<std::string> shown;
  CollectStrings(*resource, 0, &shown);
  auto* refs = prov->mutable_derived_from_revisions();
  refs->erase(std::remove_if(refs->begin(), refs->end(),
                             [&](const std::string& ref) {
                               return shown.count(ref.substr(0, ref.find('@'))) == 0;
                             }),
              refs->end());
}

}  // namespace

bool PathsOverlap(absl::string_view a, absl::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return absl::StartsWith(b, a) && (b.size() == a.size() || b[a.size()] == '.');
}

const FieldPolicy& FieldPolicy::For(const Descriptor* resource) {
  static std::mutex mu;
  static auto* policies = new std::map<const Descriptor*, std::unique_ptr<FieldPolicy>>();
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<FieldPolicy>& p = (*policies)[resource];
  if (!p) p.reset(new FieldPolicy(resource));
  return *p;
}

FieldPolicy::FieldPolicy(const Descriptor* resource) : resource_(resource) {
  Collect(resource, "", 0);
}

void FieldPolicy::Collect(const Descriptor* d, const std::string& prefix, int depth) {
  if (depth > 4) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    const v1::Tier tier = f->options().GetExtension(v1::min_tier);
    const bool restricted = f->options().GetExtension(v1::restricted);
    if (tier != v1::TIER_UNSPECIFIED || restricted) {
      entries_.push_back({path, tier, restricted});
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() &&
               f->message_type()->file()->package() == "batteryhub.v1") {
      Collect(f->message_type(), path, depth + 1);
    }
  }
}

std::vector<std::string> FieldPolicy::HiddenPaths(const ReadDecision& d,
                                                  const v1::Access& access) const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    if (d.tier < e.min_tier || (e.restricted && !d.restricted)) out.push_back(e.path);
  }
  if (!d.restricted) {
    for (const std::string& p : access.restricted_fields()) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool FieldPolicy::Hides(absl::string_view column, const ReadDecision& d,
                        const v1::Access& access) const {
  if (d.whole()) return false;
  for (const Entry& e : entries_) {
    if ((d.tier < e.min_tier || (e.restricted && !d.restricted)) && PathsOverlap(column, e.path)) {
      return true;
    }
  }
  if (!d.restricted) {
    for (const std::string& p : access.restricted_fields()) {
      if (PathsOverlap(column, p)) return true;
    }
  }
  return false;
}

void FieldPolicy::Redact(const ReadDecision& d, const std::string& reader_institution,
                         Message* resource) const {
  if (d.whole()) return;
  const FieldDescriptor* access_field = resource_->FindFieldByName("access");
  auto* access = static_cast<v1::Access*>(
      resource->GetReflection()->MutableMessage(resource, access_field));
  bool cut = false;
  for (const std::string& path : HiddenPaths(d, *access)) {
    std::vector<const FieldDescriptor*> fields = Resolve(resource_, path);
    if (!fields.empty()) cut = ClearPath(resource, fields) || cut;
  }
  if (!d.owner) {
    // A partner learns its own grant, not who else was granted what.
    const std::string mine = "institutions/" + reader_institution;
    auto* grants = access->mutable_grants();
    const int before = grants->size();
    grants->erase(std::remove_if(grants->begin(), grants->end(),
                                 [&](const v1::Grant& g) { return g.institution() != mine; }),
                  grants->end());
    cut = cut || grants->size() != before || access->agreements_size() > 0;
    access->clear_agreements();
  }
  if (cut) {
    DropCutReferences(resource, resource_->FindFieldByName("provenance"));
    WithholdDigests(resource);
  }
}

void FieldPolicy::WithholdDigests(Message* resource) {
  const FieldDescriptor* etag = resource->GetDescriptor()->FindFieldByName("etag");
  const FieldDescriptor* prov = resource->GetDescriptor()->FindFieldByName("provenance");
  if (etag != nullptr) resource->GetReflection()->ClearField(resource, etag);
  if (prov != nullptr && resource->GetReflection()->HasField(*resource, prov)) {
    static_cast<v1::Provenance*>(resource->GetReflection()->MutableMessage(resource, prov))
        ->clear_content_digest();
  }
}

absl::Status FieldPolicy::CheckPath(absl::string_view path) const {
  if (path.empty() || Resolve(resource_, path).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", path, "' is not a field of ", resource_->name(),
        " reached through single messages (e.g. \"cell.manufacturer\")"));
  }
  return absl::OkStatus();
}

}  // namespace batteryhub
