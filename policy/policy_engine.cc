#include "policy/policy_engine.h"

#include <google/protobuf/util/time_util.h>

#include <utility>

#include "absl/strings/match.h"
#include "core/clock.h"
#include "core/names.h"
#include "core/record_kinds.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

int64_t MicrosOf(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

// Readers admitted by a visibility: PUBLIC everyone, CONSORTIUM members.
bool Admits(v1::Visibility v, bool member) {
  return v == v1::VISIBILITY_PUBLIC || (v == v1::VISIBILITY_CONSORTIUM && member);
}

}  // namespace

AgreementRule RuleOf(const v1::Agreement& agreement) {
  AgreementRule rule;
  for (const std::string& m : agreement.members()) {
    if (std::string id = InstitutionIdOf(m); !id.empty()) rule.members.insert(std::move(id));
  }
  for (const std::string& k : agreement.kinds()) {
    std::optional<storage::RecordKind> kind = KindOfCollection(k);
    rule.kinds.insert(kind ? *kind : -1);  // -1 matches no record
  }
  rule.labels.insert(agreement.labels().begin(), agreement.labels().end());
  rule.tier = agreement.tier();
  if (agreement.has_start_time()) rule.start_micros = MicrosOf(agreement.start_time());
  if (agreement.has_end_time()) rule.end_micros = MicrosOf(agreement.end_time());
  return rule;
}

PolicyEngine::PolicyEngine(std::set<std::string> member_institutions, Clock clock)
    : members_(std::move(member_institutions)),
      clock_(clock ? std::move(clock) : Clock(NowMicros)),
      agreements_(std::make_shared<const std::map<std::string, AgreementRule>>()) {}

ReadDecision PolicyEngine::Decide(const Principal& p, const storage::StoredRecord& record,
                                  bool why) const {
  return DecideFor(p.institution, record, why);
}

ReadDecision PolicyEngine::DecideFor(const std::string& institution,
                                     const storage::StoredRecord& record, bool why) const {
  ReadDecision d;
  const std::string& owner = record.owner();
  if (NamesInstitution(owner, institution)) {
    d.tier = v1::TIER_FULL;
    d.owner = d.restricted = true;
    if (why) d.routes.push_back("owner");
    return d;
  }
  const v1::Access& access = record.access();
  const bool member = !institution.empty() && IsMember(institution);
  auto widen = [&](Tier t, const char* route) {
    if (t > d.tier) d.tier = t;
    if (why) d.routes.push_back(route);
  };
  const Tier open_tier = access.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_FULL : access.tier();
  if (Admits(access.visibility(), member)) widen(open_tier, "visibility");
  int64_t now = -1;  // read once, only when a date matters
  auto Now = [&] {
    if (now < 0) now = clock_();
    return now;
  };
  if (access.has_release() && Admits(access.release().visibility(), member) &&
      Now() >= MicrosOf(access.release().time())) {
    widen(open_tier, "release");
  }
  if (access.visibility() == v1::VISIBILITY_AGREEMENT && member && access.agreements_size() > 0) {
    std::shared_ptr<const std::map<std::string, AgreementRule>> rules = agreements();
    const std::string owner_id = InstitutionIdOf(owner);
    for (const std::string& name : access.agreements()) {
      auto it = rules->find(name);
      if (it == rules->end()) continue;
      const AgreementRule& rule = it->second;
      if (!rule.members.count(institution) || !rule.members.count(owner_id)) continue;
      if (!rule.kinds.empty() && !rule.kinds.count(record.kind())) continue;
      if (Now() < rule.start_micros || (rule.end_micros != 0 && Now() >= rule.end_micros)) continue;
      bool labelled = true;
      for (const auto& [key, value] : rule.labels) {
        auto l = record.labels().find(key);
        if (l == record.labels().end() || l->second != value) labelled = false;
      }
      if (!labelled) continue;
      if (rule.tier > d.tier) d.tier = rule.tier;
      if (why) d.routes.push_back(name);
    }
  }
  if (!institution.empty()) {
    for (const v1::Grant& g : access.grants()) {
      if (!NamesInstitution(g.institution(), institution)) continue;
      if (g.has_start_time() && Now() < MicrosOf(g.start_time())) continue;
      widen(g.tier(), "grant");
      if (g.restricted_fields() && g.tier() != v1::TIER_UNSPECIFIED) d.restricted = true;
    }
  }
  return d;
}

bool PolicyEngine::CanWrite(const Principal& p, const std::string& owner_institution_id) const {
  return !p.institution.empty() && p.institution == owner_institution_id &&
         p.AtLeast(v1::ROLE_SUBMITTER);
}

bool PolicyEngine::CanChangeAccess(const Principal& p,
                                   const std::string& owner_institution_id) const {
  return !p.institution.empty() && p.institution == owner_institution_id &&
         p.AtLeast(v1::ROLE_STEWARD);
}

void PolicyEngine::SetAgreements(std::map<std::string, AgreementRule> rules) {
  auto table = std::make_shared<const std::map<std::string, AgreementRule>>(std::move(rules));
  std::lock_guard<std::mutex> lock(mu_);
  agreements_ = std::move(table);
}

std::shared_ptr<const std::map<std::string, AgreementRule>> PolicyEngine::agreements() const {
  std::lock_guard<std::mutex> lock(mu_);
  return agreements_;
}

}  // namespace batteryhub
