// The standard methods (AIP-131..134, 162) for one kind of record, shared by
// the sample, characterization and cell-test services. Handlers authorise
// first (AIP-211: a record the caller may not see answers exactly like one
// that does not exist), then validate, then commit through the store.
#pragma once

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "core/errors.h"
#include "core/output_only.h"
#include "core/request_bounds.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "domain/access_rules.h"
#include "domain/call_audit.h"
#include "policy/field_policy.h"
#include "domain/hub_context.h"
#include "domain/lineage.h"
#include "query/list_query.h"
#include "domain/record_access.h"
#include "domain/record_stamp.h"
#include "domain/record_view.h"
#include "core/record_kinds.h"

namespace batteryhub {

template <typename Resource>
struct ResourcePage {
  std::vector<Resource> items;
  std::string next_page_token;
};

struct WriteOptions {
  std::string request_id;
  std::string request_digest;
  bool validate_only = false;
};

template <typename Traits>
class RecordHandler {
 public:
  using Resource = typename Traits::Resource;
  using TraitsType = Traits;

  explicit RecordHandler(const HubContext& hub) : hub_(hub) {}

  absl::StatusOr<Resource> Create(const Principal& p, const std::string& parent, Resource r,
                                  const std::string& id, const WriteOptions& w) const {
    ASSIGN_OR_RETURN(std::string institution, ParseInstitutionName(parent, "parent", false));
    if (!hub_.policy->CanWrite(p, institution)) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " may not create records in ", parent,
                            p.institution.empty() ? "" : " (only in its own institution, as "
                                                         "submitter or steward)")),
                        "CREATE_DENIED");
    }
    if (!IsValidId(id)) {
      return InvalidField(Traits::kIdField,
                          absl::StrCat("'", id, "' is not a valid id: 1-63 characters [a-z0-9-], not starting "
                                  "or ending with '-'"));
    }
    const RecordName name{institution, Traits::kCollection, id, 0};
    ClearOutputOnly(&r);
    RETURN_IF_ERROR(CheckRequestBounds(r, Traits::kNoun));
    ASSIGN_OR_RETURN(::batteryhub::v1::Access defaults,
                     DefaultAccess(hub_, institution, Resource::descriptor()));
    FillAccessDefaults(defaults, r.mutable_access());
    RETURN_IF_ERROR(Traits::Validate(&r));
    RETURN_IF_ERROR(
        ValidateAccess(hub_, Resource::descriptor(), institution, r.access(), "access"));
    ASSIGN_OR_RETURN(std::vector<std::string> refs, ResolveReferences(p, r, name.Name()));
    if (w.validate_only) {
      // What a create would answer, short of the stamp: the name, and
      // ALREADY_EXISTS where a create would fail so (the institution's own
      // records, which its members see).
      absl::StatusOr<storage::StoredRecord> existing = hub_.store->Get(Traits::kKind, name.Name());
      if (existing.ok()) {
        return WithReason(absl::AlreadyExistsError(absl::StrCat(Traits::kNoun, " '", name.Name(),
                                                                "' already exists")),
                          "ALREADY_EXISTS");
      }
      if (!absl::IsNotFound(existing.status())) return existing.status();
      r.set_name(name.Name());
      return r;
    }
    storage::Mutation m{Traits::kKind, name.Name(), storage::v1::CHANGE_OPERATION_CREATE, p.name,
                        w.request_id, w.request_digest, {}, std::nullopt};
    ASSIGN_OR_RETURN(storage::CommitResult result,
                     CommitAudited(hub_.store, m, [&](const storage::StoredRecord* current,
                                               const storage::CommitInfo& info,
                                               storage::StoredRecord* next) -> absl::Status {
                       if (current != nullptr) {
                         return WithReason(absl::AlreadyExistsError(absl::StrCat(
                                               Traits::kNoun, " '", name.Name(),
                                               "' already exists")),
                                           "ALREADY_EXISTS");
                       }
                       StampRevision(&r, p, name, current, info, refs, next);
                       return absl::OkStatus();
                     }));
    return Parse(result.record);
  }

  absl::StatusOr<Resource> Get(const Principal& p, const std::string& name_text) const {
    ASSIGN_OR_RETURN(RecordName name, ParseRecordName(name_text, Traits::kCollection, "name", true));
    ReadDecision d;
    ASSIGN_OR_RETURN(storage::StoredRecord current, LoadVisible(p, name, &d));
    if (name.revision == 0 || name.revision == current.revision()) return View(p, d, current);
    absl::StatusOr<storage::StoredRecord> past =
        hub_.store->Get(Traits::kKind, name.Name(), name.revision);
    if (absl::IsNotFound(past.status())) {
      return absl::NotFoundError(absl::StrCat("revision ", name.revision, " of '", name.Name(),
                                              "' does not exist (latest is ",
                                              current.revision(), ")"));
    }
    if (!past.ok()) return past.status();
    return View(p, d, current, &*past);
  }

  absl::StatusOr<ResourcePage<Resource>> List(const Principal& p, const std::string& parent,
                                              ListQuery q) const {
    ASSIGN_OR_RETURN(q.institution, ParseInstitutionName(parent, "parent", true));
    ASSIGN_OR_RETURN(std::unique_ptr<FilterNode> filter, ParseFilter(q.filter));
    if (filter) RETURN_IF_ERROR(CheckFilter(*filter, Resource::descriptor()));
    ASSIGN_OR_RETURN(std::shared_ptr<const NameSets> sets, PrepareFunctions(p, filter.get(), q.cancelled));
    const FilterFunction functions = [sets](const FilterNode& call,
                                            const google::protobuf::Message& m) {
      const auto* field = m.GetDescriptor()->FindFieldByName("name");
      auto it = sets->find(&call);
      return field != nullptr && it != sets->end() &&
             it->second.count(m.GetReflection()->GetString(m, field)) > 0;
    };
    // The filter is a question about the caller's view, never the stored
    // record: a field the view does not hold is absent.
    auto matches = [&](const storage::StoredRecord& record, const ReadDecision& d,
                       google::protobuf::Arena* arena) {
      auto* r = google::protobuf::Arena::CreateMessage<Resource>(arena);
      if (!r->ParseFromString(record.resource())) return false;
      CutResource(d, p.institution, r);
      return MatchesFilter(filter.get(), *r, functions);
    };
    ASSIGN_OR_RETURN(ListPage page,
                     RunListQuery(*hub_.store, *hub_.policy, p, Traits::kKind, q,
                                  hub_.config->limits.max_page_size, filter.get(), matches,
                                  Resource::descriptor(), sets.get()));
    ResourcePage<Resource> out;
    out.items.resize(page.resources.size());
    for (size_t i = 0; i < page.resources.size(); ++i) {
      if (!out.items[i].ParseFromString(page.resources[i])) {
        return absl::DataLossError("a stored record is corrupt");
      }
      CutResource(page.decisions[i], p.institution, &out.items[i]);
    }
    out.next_page_token = std::move(page.next_page_token);
    return out;
  }

  // `revision` (null: `current` itself) as `p` sees it under decision `d`,
  // taken on the `current` revision: a past revision is cut by today's access.
  absl::StatusOr<Resource> View(const Principal& p, const ReadDecision& d,
                                const storage::StoredRecord& current,
                                const storage::StoredRecord* revision = nullptr) const {
    const storage::StoredRecord& record = revision != nullptr ? *revision : current;
    ASSIGN_OR_RETURN(Resource r, Parse(record));
    CutToView(d, p.institution, current, record, &r);
    return r;
  }

  // The access of a record as `p` may know it (policy_service).
  absl::StatusOr<::batteryhub::v1::RecordAccess> GetAccess(const Principal& p,
                                                           const RecordName& name) const {
    ReadDecision d;
    ASSIGN_OR_RETURN(storage::StoredRecord current, LoadVisible(p, name, &d));
    ASSIGN_OR_RETURN(Resource r, View(p, d, current));
    ::batteryhub::v1::RecordAccess out;
    out.set_name(name.Name());
    *out.mutable_access() = r.access();
    out.set_revision(current.revision());
    out.set_etag(r.etag());
    return out;
  }

  // Replaces the access of a record: a new revision (operation
  // ACCESS_CHANGE) by a steward of the owner, nothing else changed.
  absl::StatusOr<::batteryhub::v1::RecordAccess> UpdateAccess(
      const Principal& p, const RecordName& name, const ::batteryhub::v1::Access& access,
      const std::string& etag, const WriteOptions& w) const {
    RETURN_IF_ERROR(LoadVisible(p, name).status());
    RETURN_IF_ERROR(CheckAccessChange(p, name, access));
    RETURN_IF_ERROR(CheckRequestBounds(access, "access"));
    if (w.validate_only) {
      ::batteryhub::v1::RecordAccess out;
      out.set_name(name.Name());
      *out.mutable_access() = access;
      return out;
    }
    storage::Mutation m{Traits::kKind, name.Name(), storage::v1::CHANGE_OPERATION_ACCESS_CHANGE,
                        p.name, w.request_id, w.request_digest, {}, std::nullopt};
    ASSIGN_OR_RETURN(
        storage::CommitResult result,
        CommitAudited(hub_.store, m, [&](const storage::StoredRecord* current,
                                         const storage::CommitInfo& info,
                                         storage::StoredRecord* next) -> absl::Status {
          if (current == nullptr) return NotVisible(name.Name());
          RETURN_IF_ERROR(RefuseReplica(*current));
          if (!etag.empty() && etag != Etag(current->revision(), current->content_digest())) {
            return WithReason(absl::AbortedError(absl::StrCat(
                                  "etag '", etag, "' is stale: ", name.Name(), " is at revision ",
                                  current->revision(), "; get its access and retry")),
                              "STALE_ETAG");
          }
          ASSIGN_OR_RETURN(Resource r, Parse(*current));
          *r.mutable_access() = access;
          StampRevision(&r, p, name, current, info, CurrentReferences(r), next);
          return absl::OkStatus();
        }));
    ::batteryhub::v1::RecordAccess out;
    out.set_name(name.Name());
    *out.mutable_access() = result.record.access();
    out.set_revision(result.record.revision());
    out.set_etag(Etag(result.record.revision(), result.record.content_digest()));
    return out;
  }

  // Withdraws (`deleted`, AIP-164 Delete) or restores (Undelete) a record:
  // a new revision (operation DELETE or UNDELETE) with delete_time set or
  // cleared, by a steward of the owner, nothing else changed.
  absl::StatusOr<Resource> SetDeleted(const Principal& p, const std::string& name_text,
                                      bool deleted, const std::string& etag,
                                      const WriteOptions& w) const {
    ASSIGN_OR_RETURN(RecordName name, ParseRecordName(name_text, Traits::kCollection, "name", false));
    ASSIGN_OR_RETURN(storage::StoredRecord stored, LoadVisible(p, name));
    const char* verb = deleted ? "withdraw" : "restore";
    if (!hub_.policy->CanChangeAccess(p, name.institution)) {
      if (p.institution != name.institution) return NotVisible(name.Name());
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " may not ", verb, " ", name.Name(), ": a steward of ",
                            name.Owner(), " may")),
                        "WITHDRAW_DENIED");
    }
    RETURN_IF_ERROR(RefuseReplica(stored));
    const auto state_error = [&](bool is_deleted) -> absl::Status {
      if (deleted && is_deleted) {
        return WithReason(absl::FailedPreconditionError(absl::StrCat(
                              name.Name(), " is withdrawn already")),
                          "ALREADY_WITHDRAWN");
      }
      if (!deleted && !is_deleted) {
        // AIP-164: undeleting a resource that is not deleted.
        return WithReason(absl::AlreadyExistsError(absl::StrCat(
                              name.Name(), " is not withdrawn: nothing to restore")),
                          "NOT_WITHDRAWN");
      }
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(state_error(stored.delete_time_micros() != 0));
    storage::Mutation m{Traits::kKind, name.Name(),
                        deleted ? storage::v1::CHANGE_OPERATION_DELETE
                                : storage::v1::CHANGE_OPERATION_UNDELETE,
                        p.name, w.validate_only ? "" : w.request_id, w.request_digest, {},
                        std::nullopt};
    Resource r;
    absl::StatusOr<storage::CommitResult> result = CommitAudited(
        hub_.store, m, [&](const storage::StoredRecord* current, const storage::CommitInfo& info,
                           storage::StoredRecord* next) -> absl::Status {
          if (current == nullptr) return NotVisible(name.Name());
          RETURN_IF_ERROR(RefuseReplica(*current));
          RETURN_IF_ERROR(state_error(current->delete_time_micros() != 0));
          if (!etag.empty() && etag != Etag(current->revision(), current->content_digest())) {
            return WithReason(absl::AbortedError(absl::StrCat(
                                  "etag '", etag, "' is stale: ", name.Name(), " is at revision ",
                                  current->revision())),
                              "STALE_ETAG");
          }
          ASSIGN_OR_RETURN(r, Parse(*current));
          if (deleted) *r.mutable_delete_time() = MicrosToTimestamp(info.commit_micros);
          else r.clear_delete_time();
          if (w.validate_only) return absl::CancelledError("validate_only");
          StampRevision(&r, p, name, current, info, CurrentReferences(r), next);
          return absl::OkStatus();
        });
    if (w.validate_only && absl::IsCancelled(result.status())) return r;
    if (!result.ok()) return result.status();
    return Parse(result->record);
  }

  absl::StatusOr<Resource> Update(const Principal& p, Resource incoming,
                                  const google::protobuf::FieldMask& mask,
                                  const WriteOptions& w) const {
    ASSIGN_OR_RETURN(RecordName name,
                     ParseRecordName(incoming.name(), Traits::kCollection, "name", false));
    RETURN_IF_ERROR(LoadVisible(p, name).status());
    if (!hub_.policy->CanWrite(p, name.institution)) return WriteDenied(p, name);
    RETURN_IF_ERROR(CheckMask(mask));
    const std::string etag = incoming.etag();  // the one output-only field a client sends back
    ClearOutputOnly(&incoming);
    RETURN_IF_ERROR(CheckRequestBounds(incoming, Traits::kNoun));
    const bool access_in_mask =
        std::any_of(mask.paths().begin(), mask.paths().end(),
                    [](const std::string& path) { return path.rfind("access", 0) == 0; });
    Resource merged;
    storage::Mutation m{Traits::kKind, name.Name(), storage::v1::CHANGE_OPERATION_UPDATE, p.name,
                        w.request_id, w.request_digest, {}, std::nullopt};
    auto build = [&](const storage::StoredRecord* current, const storage::CommitInfo& info,
                     storage::StoredRecord* next) -> absl::Status {
      if (current == nullptr) return NotVisible(name.Name());
      RETURN_IF_ERROR(RefuseReplica(*current));
      if (!etag.empty() && etag != Etag(current->revision(), current->content_digest())) {
        return WithReason(absl::AbortedError(absl::StrCat(
                              "etag '", etag, "' is stale: ", name.Name(),
                              " is at revision ", current->revision(), "; get it and retry")),
                          "STALE_ETAG");
      }
      RETURN_IF_ERROR(RefuseWithdrawn(*current));
      ASSIGN_OR_RETURN(const Resource stored, Parse(*current));
      merged = stored;
      const ::batteryhub::v1::Access before = merged.access();
      Merge(incoming, mask, &merged);
      KeepOutputOnly(stored, &merged);
      // A full replacement without access keeps the record's access.
      if (!access_in_mask && !merged.has_access()) *merged.mutable_access() = before;
      // Labels decide which agreements a record is in scope of: a change of
      // labels on a record shared by agreement changes who sees it, which
      // only a steward may do.
      bool labels_changed = stored.labels().size() != merged.labels().size();
      for (const auto& [key, value] : stored.labels()) {
        auto it = merged.labels().find(key);
        labels_changed |= it == merged.labels().end() || it->second != value;
      }
      if (!google::protobuf::util::MessageDifferencer::Equals(before, merged.access()) ||
          (labels_changed && merged.access().agreements_size() > 0)) {
        RETURN_IF_ERROR(CheckAccessChange(p, name, merged.access()));
      }
      RETURN_IF_ERROR(Traits::Validate(&merged));
      ASSIGN_OR_RETURN(std::vector<std::string> refs, ResolveReferences(p, merged, name.Name()));
      if (w.validate_only) return absl::CancelledError("validate_only");
      StampRevision(&merged, p, name, current, info, refs, next);
      return absl::OkStatus();
    };
    absl::StatusOr<storage::CommitResult> result = CommitAudited(hub_.store, m, build);
    if (w.validate_only && absl::IsCancelled(result.status())) return merged;
    if (!result.ok()) return result.status();
    return Parse(result->record);
  }

  absl::StatusOr<ResourcePage<Resource>> ListRevisions(const Principal& p,
                                                       const std::string& name_text,
                                                       int page_size,
                                                       const std::string& token) const {
    ASSIGN_OR_RETURN(RecordName name,
                     ParseRecordName(name_text, Traits::kCollection, "name", false));
    ReadDecision d;
    ASSIGN_OR_RETURN(storage::StoredRecord current, LoadVisible(p, name, &d));
    if (page_size < 0) return InvalidField("page_size", "must be >= 0");
    const int size = page_size == 0 ? kDefaultPageSize
                                    : std::min(page_size, hub_.config->limits.max_page_size);
    uint64_t before = 0;
    const std::string fingerprint = absl::StrCat("revisions\n", name.Name(), "\n", p.name);
    if (!token.empty()) {
      ASSIGN_OR_RETURN(std::string position,
                       DecodePageToken(hub_.store->page_token_key(), token, fingerprint));
      if (!absl::SimpleAtoi(position, &before)) return InvalidField("page_token", "malformed");
    }
    ASSIGN_OR_RETURN(std::vector<storage::StoredRecord> revisions,
                     hub_.store->ListRevisions(Traits::kKind, name.Name(), before, size + 1));
    ResourcePage<Resource> out;
    for (size_t i = 0; i < revisions.size() && static_cast<int>(i) < size; ++i) {
      ASSIGN_OR_RETURN(Resource r, View(p, d, current, &revisions[i]));
      out.items.push_back(std::move(r));
    }
    if (static_cast<int>(revisions.size()) > size) {
      out.next_page_token = EncodePageToken(hub_.store->page_token_key(), fingerprint,
                                            absl::StrCat(revisions[size - 1].revision()));
    }
    return out;
  }

 private:
  // descends_from(NAME): the visible descendants of NAME, computed once per
  // query (a hidden or missing NAME has none).
  absl::StatusOr<std::shared_ptr<const NameSets>> PrepareFunctions(const Principal& p,
                                                                    const FilterNode* filter,
                                                                    const CancelledFn& cancelled) const {
    auto sets = std::make_shared<NameSets>();
    for (const FilterNode* call : FilterFunctions(filter)) {
      RecordName root;
      std::optional<storage::RecordKind> kind = KindOfName(call->value, &root);
      if (!kind) {
        return InvalidField("filter", absl::StrCat("column ", call->column, ": '", call->value,
                                                   "' is not a record name"), "filter");
      }
      std::set<std::string>& names = (*sets)[call];
      absl::StatusOr<storage::StoredRecord> r = hub_.store->Get(*kind, root.Name());
      if (!r.ok() || !hub_.policy->CanRead(p, *r)) continue;
      ASSIGN_OR_RETURN(LineageWalk walk, WalkLineage(hub_, p, root.Name(), false, 64, 1000000, cancelled));
      for (const auto& e : walk.entries) names.insert(e.name());
    }
    return std::shared_ptr<const NameSets>(std::move(sets));
  }

  absl::Status CheckAccessChange(const Principal& p, const RecordName& name,
                                 const ::batteryhub::v1::Access& access,
                                 const std::string& field = "access") const {
    if (!hub_.policy->CanChangeAccess(p, name.institution)) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            p.name, " (", RoleText(p.role), ") may not change the access of ",
                            name.Name(), ": a steward of ", name.Owner(), " may")),
                        "ACCESS_CHANGE_DENIED");
    }
    return ValidateAccess(hub_, Resource::descriptor(), name.institution, access, field);
  }

  // The `name@revision` references of the revision being re-stamped.
  static std::vector<std::string> CurrentReferences(const Resource& r) {
    return std::vector<std::string>(r.provenance().derived_from_revisions().begin(),
                                    r.provenance().derived_from_revisions().end());
  }

  static absl::StatusOr<Resource> Parse(const storage::StoredRecord& record) {
    Resource r;
    if (!r.ParseFromString(record.resource())) {
      return absl::DataLossError(absl::StrCat("stored ", record.name(), " is corrupt"));
    }
    return r;
  }

  // The name identifies the record; the rest is declared in the API.
  static bool IsOutputOnly(const std::string& path) {
    return path == "name" || absl::StartsWith(path, "name.") ||
           IsOutputOnlyPath(Resource::descriptor(), path);
  }

  static absl::Status CheckMask(const google::protobuf::FieldMask& mask) {
    Violations v;
    for (const std::string& path : mask.paths()) {
      google::protobuf::FieldMask one;
      one.add_paths(path);
      if (!google::protobuf::util::FieldMaskUtil::IsValidFieldMask<Resource>(one)) {
        v.Add("update_mask", absl::StrCat("'", path, "' is not a field of ", Traits::kNoun));
      } else if (IsOutputOnly(path)) {
        v.Add("update_mask", absl::StrCat("'", path, "' is output only"));
      }
    }
    return v.ToStatus("update");
  }

  // Applies `incoming` (output-only fields cleared) to `merged` (the
  // current revision): the fields in `mask`, or all of them when the mask is
  // empty.
  static void Merge(const Resource& incoming, const google::protobuf::FieldMask& mask,
                    Resource* merged) {
    if (mask.paths_size() == 0) {
      *merged = incoming;
      return;
    }
    google::protobuf::util::FieldMaskUtil::MergeOptions options;
    options.set_replace_message_fields(true);
    options.set_replace_repeated_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(incoming, mask, options, merged);
  }

  absl::StatusOr<storage::StoredRecord> LoadVisible(const Principal& p, const RecordName& name,
                                                    ReadDecision* d = nullptr) const {
    return LoadVisibleRecord(hub_, p, Traits::kKind, name, Traits::kNoun, d);
  }

  // Checks that every referenced sample exists, is visible to `p` and has the
  // required kind; returns them as `name@revision` for provenance.
  absl::StatusOr<std::vector<std::string>> ResolveReferences(const Principal& p, const Resource& r,
                                                             const std::string& self) const {
    Violations v;
    std::vector<std::string> resolved;
    for (const SampleReference& ref : Traits::References(r)) {
      if (ref.name == self) {
        v.Add(ref.field, "a record cannot reference itself");
        continue;
      }
      absl::StatusOr<storage::StoredRecord> target =
          hub_.store->Get(storage::v1::RECORD_KIND_SAMPLE, ref.name);
      if (!target.ok() || !hub_.policy->CanRead(p, *target)) {
        v.Add(ref.field, absl::StrCat("sample '", ref.name,
                                      "' does not exist or is not visible to you"));
        continue;
      }
      ::batteryhub::v1::Sample sample;
      if (ref.required_kind != ::batteryhub::v1::SAMPLE_KIND_UNSPECIFIED &&
          (!sample.ParseFromString(target->resource()) || sample.kind() != ref.required_kind)) {
        v.Add(ref.field, absl::StrCat("sample '", ref.name, "' must be of kind ",
                                      ::batteryhub::v1::SampleKind_Name(ref.required_kind)));
        continue;
      }
      resolved.push_back(absl::StrCat(ref.name, "@", target->revision()));
    }
    RETURN_IF_ERROR(v.ToStatus(Traits::kNoun));
    return resolved;
  }

  HubContext hub_;
};

}  // namespace batteryhub
