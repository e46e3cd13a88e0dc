#include "domain/access_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "batteryhub/v1/policy_service.pb.h"
#include "core/errors.h"
#include "core/names.h"
#include "policy/field_policy.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

bool ValidTier(v1::Tier t) { return v1::Tier_IsValid(t) && t != v1::TIER_UNSPECIFIED; }

}  // namespace

std::string AccessDefaultsName(const std::string& institution_id) {
  return absl::StrCat("institutions/", institution_id, "/accessDefaults");
}

absl::Status ValidateAccess(const HubContext& hub, const google::protobuf::Descriptor* resource,
                            const std::string& owner_id, const v1::Access& access,
                            const std::string& field) {
  Violations v;
  const std::string f = field.empty() ? "" : field + ".";
  if (!v1::Visibility_IsValid(access.visibility()) ||
      access.visibility() == v1::VISIBILITY_UNSPECIFIED) {
    v.Add(f + "visibility", "must be VISIBILITY_PRIVATE, _AGREEMENT, _CONSORTIUM or _PUBLIC");
  }
  if (access.visibility() == v1::VISIBILITY_AGREEMENT && access.agreements_size() == 0) {
    v.Add(f + "agreements", "VISIBILITY_AGREEMENT needs at least one agreement");
  }
  if (access.visibility() != v1::VISIBILITY_AGREEMENT && access.agreements_size() > 0) {
    v.Add(f + "agreements", "agreements apply only with VISIBILITY_AGREEMENT");
  }
  auto rules = hub.policy->agreements();
  for (int i = 0; i < access.agreements_size(); ++i) {
    auto it = rules->find(access.agreements(i));
    if (it == rules->end()) {
      v.Add(absl::StrCat(f, "agreements[", i, "]"),
            absl::StrCat("'", access.agreements(i), "' is not an agreement of this hub"));
    } else if (!it->second.members.count(owner_id)) {
      v.Add(absl::StrCat(f, "agreements[", i, "]"),
            absl::StrCat("institutions/", owner_id, " is not a member of ", access.agreements(i)));
    }
  }
  if (!v1::Tier_IsValid(access.tier())) v.Add(f + "tier", "unknown tier");
  std::set<std::string> granted;
  for (int i = 0; i < access.grants_size(); ++i) {
    const v1::Grant& g = access.grants(i);
    const std::string gf = absl::StrCat(f, "grants[", i, "]");
    const std::string id = InstitutionIdOf(g.institution());
    if (!hub.policy->IsMember(id)) {
      v.Add(gf + ".institution", absl::StrCat("'", g.institution(),
                                              "' is not a member institution (institutions/{i})"));
    } else if (id == owner_id) {
      v.Add(gf + ".institution", "the owner needs no grant");
    } else if (!granted.insert(id).second) {
      v.Add(gf + ".institution", absl::StrCat(g.institution(), " is granted twice"));
    }
    if (!ValidTier(g.tier())) v.Add(gf + ".tier", "must be TIER_METADATA, TIER_SUMMARY or TIER_FULL");
  }
  const FieldPolicy& fields = FieldPolicy::For(resource);
  for (int i = 0; i < access.restricted_fields_size(); ++i) {
    if (absl::Status s = fields.CheckPath(access.restricted_fields(i)); !s.ok()) {
      v.Add(absl::StrCat(f, "restricted_fields[", i, "]"), std::string(s.message()));
    } else {
      // What identifies, orders or governs a record stays visible.
      for (const char* never : {"name", "owner", "access", "provenance", "etag", "labels",
                                "create_time", "update_time", "revision_id",
                                "revision_create_time"}) {
        if (PathsOverlap(access.restricted_fields(i), never)) {
          v.Add(absl::StrCat(f, "restricted_fields[", i, "]"),
                absl::StrCat("'", never, "' cannot be restricted"));
        }
      }
    }
  }
  if (access.has_release()) {
    const v1::Visibility rv = access.release().visibility();
    if (rv != v1::VISIBILITY_CONSORTIUM && rv != v1::VISIBILITY_PUBLIC) {
      v.Add(f + "release.visibility", "must be VISIBILITY_CONSORTIUM or VISIBILITY_PUBLIC");
    } else if (rv <= access.visibility()) {
      v.Add(f + "release.visibility", "must be wider than the visibility it follows");
    }
    if (!access.release().has_time()) v.Add(f + "release.time", "required");
  }
  return v.ToStatus("access");
}

void FillAccessDefaults(const v1::Access& defaults, v1::Access* access) {
  if (access->visibility() == v1::VISIBILITY_UNSPECIFIED) {
    access->set_visibility(defaults.visibility());
    if (access->agreements_size() == 0) *access->mutable_agreements() = defaults.agreements();
  }
  if (access->tier() == v1::TIER_UNSPECIFIED) access->set_tier(defaults.tier());
  if (access->grants_size() == 0) *access->mutable_grants() = defaults.grants();
  if (access->restricted_fields_size() == 0) {
    *access->mutable_restricted_fields() = defaults.restricted_fields();
  }
  if (!access->has_release() && defaults.has_release()) *access->mutable_release() = defaults.release();
}

absl::StatusOr<v1::Access> DefaultAccess(const HubContext& hub, const std::string& owner_id,
                                         const google::protobuf::Descriptor* resource) {
  absl::StatusOr<storage::StoredRecord> stored =
      hub.store->Get(storage::v1::RECORD_KIND_ACCESS_DEFAULTS, AccessDefaultsName(owner_id));
  v1::Access out;
  if (absl::IsNotFound(stored.status())) {
    out.set_visibility(v1::VISIBILITY_PRIVATE);
    return out;
  }
  if (!stored.ok()) return stored.status();
  v1::AccessDefaults defaults;
  if (!defaults.ParseFromString(stored->resource())) {
    return absl::DataLossError("stored access defaults are corrupt");
  }
  out = defaults.access();
  if (resource != nullptr) {
    auto* paths = out.mutable_restricted_fields();
    const FieldPolicy& fields = FieldPolicy::For(resource);
    paths->erase(std::remove_if(paths->begin(), paths->end(),
                                [&](const std::string& p) { return !fields.CheckPath(p).ok(); }),
                 paths->end());
  }
  return out;
}

}  // namespace batteryhub
