#include "services/policy_service.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/digest.h"
#include "core/errors.h"
#include "core/request_bounds.h"
#include "core/names.h"
#include "core/sha256.h"
#include "core/record_kinds.h"
#include "core/status_macros.h"
#include "domain/access_rules.h"
#include "policy/field_policy.h"
#include "domain/lineage.h"
#include "services/record_calls.h"
#include "domain/record_stamp.h"
#include "storage/read_view.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
using storage::RecordKind;

constexpr absl::string_view kAgreementsPrefix = "agreements/";

bool IsAdmin(const Principal& p) { return p.AtLeast(v1::ROLE_ADMIN); }

absl::Status AdminOnly(const Principal& p, absl::string_view what) {
  if (IsAdmin(p)) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        p.name, " may not ", what, ": agreements are managed by hub admins")),
                    "ADMIN_ONLY");
}

const google::protobuf::Descriptor* DescriptorOf(RecordKind kind) {
  const RecordKindInfo* info = FindRecordKind(kind);
  return info == nullptr ? nullptr : info->descriptor();
}

absl::StatusOr<std::string> AgreementId(const std::string& name, const std::string& field) {
  const std::string id =
      absl::StartsWith(name, kAgreementsPrefix) ? name.substr(kAgreementsPrefix.size()) : "";
  if (!IsValidId(id)) {
    return InvalidField(field, absl::StrCat("'", name, "' is not an agreement name (agreements/{id})"));
  }
  return id;
}

absl::Status CheckAgreement(const ServiceContext& hub, const v1::Agreement& a) {
  RETURN_IF_ERROR(CheckRequestBounds(a, "agreement"));
  Violations v;
  std::set<std::string> seen;
  for (int i = 0; i < a.members_size(); ++i) {
    const std::string& m = a.members(i);
    const std::string id = InstitutionIdOf(m);
    if (!hub.policy->IsMember(id)) {
      v.Add(absl::StrCat("agreement.members[", i, "]"),
            absl::StrCat("'", m, "' is not a member institution (institutions/{i})"));
    } else if (!seen.insert(id).second) {
      v.Add(absl::StrCat("agreement.members[", i, "]"), absl::StrCat(m, " is listed twice"));
    }
  }
  if (a.members_size() < 2) v.Add("agreement.members", "an agreement needs at least two members");
  for (int i = 0; i < a.kinds_size(); ++i) {
    const std::string& k = a.kinds(i);
    if (!KindOfCollection(k)) {
      v.Add(absl::StrCat("agreement.kinds[", i, "]"),
            absl::StrCat("'", k, "': expected ", CollectionList()));
    }
  }
  if (!v1::Tier_IsValid(a.tier()) || a.tier() == v1::TIER_UNSPECIFIED) {
    v.Add("agreement.tier", "must be TIER_METADATA, TIER_SUMMARY or TIER_FULL");
  }
  if (a.has_start_time() && a.has_end_time() &&
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(a.end_time()) <=
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(a.start_time())) {
    v.Add("agreement.end_time", "must be after start_time");
  }
  return v.ToStatus("agreement");
}

// When the records naming an agreement may open to more readers by it: at
// its start and at each of its changes (members, kinds, labels, tier).
std::vector<int64_t> OpeningTimes(const v1::Agreement& a, int64_t commit_micros) {
  std::vector<int64_t> times = {commit_micros};
  if (a.has_start_time()) {
    times.push_back(google::protobuf::util::TimeUtil::TimestampToMicroseconds(a.start_time()));
  }
  return times;
}
std::vector<int64_t> OpeningTimes(const v1::AccessDefaults&, int64_t) { return {}; }

// Commits a policy object (agreement, access defaults) as a revision of a
// record of `kind`: `create` refuses an existing one, otherwise it must
// exist unless `upsert`; `etag`, when set, must be current. With
// `validate_only` it answers what it would store and stores nothing.
template <typename Message>
absl::StatusOr<Message> CommitPolicyObject(const ServiceContext& hub, const Principal& p,
                                           RecordKind kind, const std::string& name,
                                           const std::string& owner, Message object,
                                           bool create, bool upsert, const std::string& request_id,
                                           bool validate_only) {
  const std::string etag = object.etag();
  absl::StatusOr<storage::StoredRecord> existing = hub.store->Get(kind, name);
  if (!existing.ok() && !absl::IsNotFound(existing.status())) return existing.status();
  const bool exists = existing.ok();
  if (create && exists) {
    return WithReason(absl::AlreadyExistsError(absl::StrCat("'", name, "' already exists")),
                      "ALREADY_EXISTS");
  }
  if (!create && !upsert && !exists) {
    return WithReason(absl::NotFoundError(absl::StrCat("'", name, "' not found")), "NOT_FOUND");
  }
  storage::Mutation m{kind, name,
                      exists ? storage::v1::CHANGE_OPERATION_UPDATE
                             : storage::v1::CHANGE_OPERATION_CREATE,
                      p.name, request_id,
                      request_id.empty() ? "" : Sha256Hex(DeterministicBytes(object)), {},
                      std::nullopt};
  if (validate_only) m.request_id.clear();
  absl::StatusOr<storage::CommitResult> result =
                   CommitAudited(hub.store, m, [&](const storage::StoredRecord* current,
                                                   const storage::CommitInfo& info,
                                                   storage::StoredRecord* next) -> absl::Status {
                     if ((current != nullptr) != exists) {
                       return absl::AbortedError(absl::StrCat(name, " changed meanwhile; retry"));
                     }
                     if (current != nullptr && !etag.empty() &&
                         etag != Etag(current->revision(), current->content_digest())) {
                       return WithReason(
                           absl::AbortedError(absl::StrCat("etag '", etag, "' is stale: ", name,
                                                           " is at revision ",
                                                           current->revision())),
                           "STALE_ETAG");
                     }
                     const int64_t created =
                         current ? current->create_time_micros() : info.commit_micros;
                     object.set_name(name);
                     *object.mutable_update_time() = MicrosToTimestamp(info.commit_micros);
                     const std::string digest = ContentDigest(object);
                     object.set_etag(Etag(info.revision, digest));
                     next->set_owner(owner);
                     next->set_content_digest(digest);
                     next->set_create_time_micros(created);
                     next->set_update_time_micros(info.commit_micros);
                     next->set_resource(DeterministicBytes(object));
                     if (validate_only) return absl::CancelledError("validate_only");
                     for (int64_t micros : OpeningTimes(object, info.commit_micros)) {
                       next->add_opens_micros(micros);
                     }
                     return absl::OkStatus();
                   });
  if (validate_only && absl::IsCancelled(result.status())) return object;
  if (!result.ok()) return result.status();
  Message out;
  if (!out.ParseFromString(result->record.resource())) return absl::DataLossError("corrupt");
  return out;
}

template <typename Message>
absl::StatusOr<Message> ParseStored(const storage::StoredRecord& record) {
  Message m;
  if (!m.ParseFromString(record.resource())) {
    return absl::DataLossError(absl::StrCat("stored ", record.name(), " is corrupt"));
  }
  return m;
}

// Reloads serialised: the last reload reads the newest agreements.
std::mutex reload_mu;

// Every stored agreement, in name order.
absl::Status ForEachAgreement(const ServiceContext& hub,
                              const std::function<void(v1::Agreement)>& visit) {
  absl::Status status;
  RETURN_IF_ERROR(hub.store->View()->ForEachRecord(
      storage::v1::RECORD_KIND_AGREEMENT, [&](const storage::StoredRecord& record) {
        absl::StatusOr<v1::Agreement> a = ParseStored<v1::Agreement>(record);
        if (!a.ok()) status = a.status();
        else visit(*std::move(a));
        return a.ok();
      }));
  return status;
}

}  // namespace

absl::Status LoadAgreements(const ServiceContext& hub) {
  std::lock_guard<std::mutex> lock(reload_mu);
  std::map<std::string, AgreementRule> rules;
  RETURN_IF_ERROR(ForEachAgreement(hub, [&](v1::Agreement a) { rules[a.name()] = RuleOf(a); }));
  hub.policy->SetAgreements(std::move(rules));
  return absl::OkStatus();
}

template <typename Fn>
auto PolicyServiceImpl::WithRecord(const std::string& name, Fn&& fn) const {
  RecordName parsed;
  std::optional<RecordKind> kind = KindOfName(name, &parsed);
  using Result = decltype(fn(handlers_.samples, parsed));
  if (!kind) {
    return Result(InvalidField(
        "name", absl::StrCat("'", name, "' is not a record name "
                                        "(institutions/{i}/samples|characterizations|cellTests/{id})")));
  }
  return handlers_.Visit(*kind, [&](const auto& handler) { return fn(handler, parsed); });
}

grpc::Status PolicyServiceImpl::GetRecordAccess(grpc::ServerContext* c,
                                                const v1::GetRecordAccessRequest* r,
                                                v1::RecordAccess* out) {
  return RunCall(hub_, *c, "GetRecordAccess", r->name(), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(*out, WithRecord(r->name(), [&](const auto& handler, const RecordName& n) {
                       return handler.GetAccess(p, n);
                     }));
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::UpdateRecordAccess(grpc::ServerContext* c,
                                                   const v1::UpdateRecordAccessRequest* r,
                                                   v1::RecordAccess* out) {
  return RunCall(hub_, *c, "UpdateRecordAccess", r->name(), [&](const Principal& p) -> absl::Status {
    WriteOptions w;
    w.request_id = r->request_id();
    if (!w.request_id.empty()) w.request_digest = Sha256Hex(DeterministicBytes(*r));
    w.validate_only = r->validate_only();
    ASSIGN_OR_RETURN(*out, WithRecord(r->name(), [&](const auto& handler, const RecordName& n) {
                       return handler.UpdateAccess(p, n, r->access(), r->etag(), w);
                     }));
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::CheckAccess(grpc::ServerContext* c,
                                            const v1::CheckAccessRequest* r,
                                            v1::AccessDecision* out) {
  return RunCall(hub_, *c, "CheckAccess", r->name(), [&](const Principal& p) -> absl::Status {
    RecordName name;
    std::optional<RecordKind> kind = KindOfName(r->name(), &name);
    if (!kind) return InvalidField("name", absl::StrCat("'", r->name(), "' is not a record name"));
    ASSIGN_OR_RETURN(std::string reader, ParseInstitutionName(r->institution(), "institution", false));
    if (!IsAdmin(p) && !hub_.policy->CanChangeAccess(p, name.institution)) {
      // Whoever may not inspect learns no more than a reader would.
      RETURN_IF_ERROR(LoadVisibleRecord(hub_, p, *kind, name, "record").status());
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " may not inspect the access of ", name.Name(),
                            ": a steward of ", name.Owner(), " or an admin may")),
                        "ACCESS_CHECK_DENIED");
    }
    absl::StatusOr<storage::StoredRecord> record = hub_.store->Get(*kind, name.Name());
    if (absl::IsNotFound(record.status())) return NotVisible(name.Name());
    if (!record.ok()) return record.status();
    const ReadDecision d = hub_.policy->DecideFor(reader, *record, true);
    out->set_visible(d.visible());
    out->set_tier(d.tier);
    out->set_restricted_fields(d.restricted);
    if (d.visible()) {
      for (std::string& path : FieldPolicy::For(DescriptorOf(*kind)).HiddenPaths(d, record->access())) {
        out->add_hidden_fields(std::move(path));
      }
    }
    for (const std::string& route : d.routes) out->add_routes(route);
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::GetAccessDefaults(grpc::ServerContext* c,
                                                  const v1::GetAccessDefaultsRequest* r,
                                                  v1::AccessDefaults* out) {
  return RunCall(hub_, *c, "GetAccessDefaults", r->name(), [&](const Principal& p) -> absl::Status {
    const std::string inst_name = r->name().substr(0, r->name().rfind('/'));
    ASSIGN_OR_RETURN(std::string institution, ParseInstitutionName(inst_name, "name", false));
    if (r->name() != AccessDefaultsName(institution)) {
      return InvalidField("name", "expected institutions/{i}/accessDefaults");
    }
    if (!IsAdmin(p) && p.institution != institution) return NotVisible(r->name());
    absl::StatusOr<storage::StoredRecord> stored =
        hub_.store->Get(storage::v1::RECORD_KIND_ACCESS_DEFAULTS, r->name());
    if (absl::IsNotFound(stored.status())) {
      out->set_name(r->name());
      ASSIGN_OR_RETURN(*out->mutable_access(), DefaultAccess(hub_, institution));
      return absl::OkStatus();
    }
    if (!stored.ok()) return stored.status();
    ASSIGN_OR_RETURN(*out, ParseStored<v1::AccessDefaults>(*stored));
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::UpdateAccessDefaults(grpc::ServerContext* c,
                                                     const v1::UpdateAccessDefaultsRequest* r,
                                                     v1::AccessDefaults* out) {
  const std::string& name = r->access_defaults().name();
  return RunCall(hub_, *c, "UpdateAccessDefaults", name, [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(std::string institution,
                     ParseInstitutionName(name.substr(0, name.rfind('/')), "access_defaults.name",
                                          false));
    if (name != AccessDefaultsName(institution)) {
      return InvalidField("access_defaults.name", "expected institutions/{i}/accessDefaults");
    }
    if (!hub_.policy->CanChangeAccess(p, institution)) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " may not change the access defaults of institutions/",
                            institution, ": a steward of it may")),
                        "ACCESS_CHANGE_DENIED");
    }
    // Restricted paths must name a field of at least one kind; a record of a
    // kind without it ignores the path (DefaultAccess).
    v1::Access checked = r->access_defaults().access();
    checked.clear_restricted_fields();
    RETURN_IF_ERROR(ValidateAccess(hub_, v1::Sample::descriptor(), institution, checked,
                                "access_defaults.access"));
    Violations v;
    for (int i = 0; i < r->access_defaults().access().restricted_fields_size(); ++i) {
      const std::string& path = r->access_defaults().access().restricted_fields(i);
      bool known = false;
      for (RecordKind k : DataRecordKinds()) {
        known = known || FieldPolicy::For(DescriptorOf(k)).CheckPath(path).ok();
      }
      if (!known) {
        v.Add(absl::StrCat("access_defaults.access.restricted_fields[", i, "]"),
              absl::StrCat("'", path, "' is not a field of any record kind"));
      }
    }
    RETURN_IF_ERROR(v.ToStatus("access defaults"));
    v1::AccessDefaults object;
    *object.mutable_access() = r->access_defaults().access();
    object.set_etag(r->access_defaults().etag());
    ASSIGN_OR_RETURN(*out, CommitPolicyObject(hub_, p, storage::v1::RECORD_KIND_ACCESS_DEFAULTS,
                                              name, "institutions/" + institution, object, false,
                                              true, r->request_id(), r->validate_only()));
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::CreateAgreement(grpc::ServerContext* c,
                                                const v1::CreateAgreementRequest* r,
                                                v1::Agreement* out) {
  const std::string name = absl::StrCat(kAgreementsPrefix, r->agreement_id());
  return RunCall(hub_, *c, "CreateAgreement", name, [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AdminOnly(p, "create agreements"));
    if (!IsValidId(r->agreement_id())) {
      return InvalidField("agreement_id", "1-63 characters [a-z0-9-], not starting or ending with '-'");
    }
    v1::Agreement a = r->agreement();
    a.clear_etag();
    a.clear_create_time();
    RETURN_IF_ERROR(CheckAgreement(hub_, a));
    *a.mutable_create_time() = MicrosToTimestamp(NowMicros());
    ASSIGN_OR_RETURN(*out, CommitPolicyObject(hub_, p, storage::v1::RECORD_KIND_AGREEMENT, name, "",
                                              a, true, false, r->request_id(), r->validate_only()));
    return r->validate_only() ? absl::OkStatus() : LoadAgreements(hub_);
  });
}

grpc::Status PolicyServiceImpl::UpdateAgreement(grpc::ServerContext* c,
                                                const v1::UpdateAgreementRequest* r,
                                                v1::Agreement* out) {
  const std::string& name = r->agreement().name();
  return RunCall(hub_, *c, "UpdateAgreement", name, [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AdminOnly(p, "change agreements"));
    RETURN_IF_ERROR(AgreementId(name, "agreement.name").status());
    RETURN_IF_ERROR(CheckAgreement(hub_, r->agreement()));
    absl::StatusOr<storage::StoredRecord> stored =
        hub_.store->Get(storage::v1::RECORD_KIND_AGREEMENT, name);
    if (!stored.ok()) return stored.status();
    ASSIGN_OR_RETURN(v1::Agreement current, ParseStored<v1::Agreement>(*stored));
    v1::Agreement a = r->agreement();
    *a.mutable_create_time() = current.create_time();
    ASSIGN_OR_RETURN(*out, CommitPolicyObject(hub_, p, storage::v1::RECORD_KIND_AGREEMENT, name, "",
                                              a, false, false, r->request_id(), r->validate_only()));
    return r->validate_only() ? absl::OkStatus() : LoadAgreements(hub_);
  });
}

grpc::Status PolicyServiceImpl::GetAgreement(grpc::ServerContext* c,
                                             const v1::GetAgreementRequest* r, v1::Agreement* out) {
  return RunCall(hub_, *c, "GetAgreement", r->name(), [&](const Principal& p) -> absl::Status {
    RETURN_IF_ERROR(AgreementId(r->name(), "name").status());
    absl::StatusOr<storage::StoredRecord> stored =
        hub_.store->Get(storage::v1::RECORD_KIND_AGREEMENT, r->name());
    if (absl::IsNotFound(stored.status())) return NotVisible(r->name());
    if (!stored.ok()) return stored.status();
    ASSIGN_OR_RETURN(*out, ParseStored<v1::Agreement>(*stored));
    if (!IsAdmin(p) && !RuleOf(*out).members.count(p.institution)) {
      out->Clear();
      return NotVisible(r->name());
    }
    return absl::OkStatus();
  });
}

grpc::Status PolicyServiceImpl::ListAgreements(grpc::ServerContext* c,
                                               const v1::ListAgreementsRequest*,
                                               v1::ListAgreementsResponse* out) {
  return RunCall(hub_, *c, "ListAgreements", "agreements", [&](const Principal& p) -> absl::Status {
    return ForEachAgreement(hub_, [&](v1::Agreement a) {
      if (IsAdmin(p) || RuleOf(a).members.count(p.institution)) *out->add_agreements() = std::move(a);
    });
  });
}

}  // namespace batteryhub
