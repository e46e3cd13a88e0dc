// The policy engine against its own clock (embargoes, releases and
// agreement validity end by themselves), and the PolicyService over a real
// gRPC server: stewards share, restrict and revoke, every change is a
// ledgered, audited revision; institution defaults; agreements survive a
// restart of the hub.
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include "policy/field_policy.h"
#include "policy/policy_engine.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;

constexpr int64_t kT = 1'800'000'000'000'000;  // 2027-01-15, in microseconds

google::protobuf::Timestamp At(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

TEST(PolicyEngineTest, EmbargoesReleasesAndAgreementsFollowTheHubClock) {
  int64_t now = kT;
  PolicyEngine engine({"aist", "nedo", "libtec", "nrc"}, [&] { return now; });
  AgreementRule rule;
  rule.members = {"nrc", "libtec"};
  rule.tier = v1::TIER_SUMMARY;
  rule.start_micros = kT + 50;
  rule.end_micros = kT + 300;
  engine.SetAgreements({{"agreements/recycling", rule}});

  storage::StoredRecord r;
  r.set_kind(storage::v1::RECORD_KIND_CELL_TEST);
  r.set_owner("institutions/nrc");
  v1::Access& a = *r.mutable_access();
  a.set_visibility(v1::VISIBILITY_AGREEMENT);
  a.add_agreements("agreements/recycling");
  a.set_tier(v1::TIER_METADATA);
  v1::Grant* g = a.add_grants();
  g->set_institution("institutions/aist");
  g->set_tier(v1::TIER_FULL);
  g->set_restricted_fields(true);
  *g->mutable_start_time() = At(kT + 100);
  a.mutable_release()->set_visibility(v1::VISIBILITY_CONSORTIUM);
  *a.mutable_release()->mutable_time() = At(kT + 200);

  auto tier = [&](const std::string& inst) { return engine.DecideFor(inst, r).tier; };
  // Before anything opens: only the owner.
  EXPECT_EQ(tier("nrc"), v1::TIER_FULL);
  EXPECT_EQ(tier("aist"), v1::TIER_UNSPECIFIED);
  EXPECT_EQ(tier("libtec"), v1::TIER_UNSPECIFIED);
  now = kT + 50;  // the agreement starts
  EXPECT_EQ(tier("libtec"), v1::TIER_SUMMARY);
  EXPECT_EQ(tier("nedo"), v1::TIER_UNSPECIFIED);
  now = kT + 100;  // aist's embargo ends
  EXPECT_EQ(tier("aist"), v1::TIER_FULL);
  EXPECT_TRUE(engine.DecideFor("aist", r).restricted);
  EXPECT_FALSE(engine.DecideFor("libtec", r).restricted);
  now = kT + 200;  // released to the consortium at the open tier
  EXPECT_EQ(tier("nedo"), v1::TIER_METADATA);
  EXPECT_EQ(tier(""), v1::TIER_UNSPECIFIED) << "admins are no member";
  now = kT + 300;  // the agreement ends; the release remains
  EXPECT_EQ(tier("libtec"), v1::TIER_METADATA);
  const ReadDecision d = engine.DecideFor("aist", r, true);
  EXPECT_EQ(d.routes, (std::vector<std::string>{"release", "grant"}));
}

TEST(FieldPolicyTest, HiddenPathsComeFromFieldOptionsAndTheRecord) {
  const FieldPolicy& sample = FieldPolicy::For(v1::Sample::descriptor());
  v1::Access access;
  access.add_restricted_fields("cell.manufacturer");
  ReadDecision metadata;
  metadata.tier = v1::TIER_METADATA;
  EXPECT_EQ(sample.HiddenPaths(metadata, access),
            (std::vector<std::string>{"cell.manufacturer", "material_lot.composition",
                                      "material_lot.origin.mine_or_refiner",
                                      "material_lot.origin.supplier"}));
  EXPECT_TRUE(sample.Hides("material_lot.origin", metadata, access));
  EXPECT_TRUE(sample.Hides("material_lot.origin.supplier", metadata, access));
  EXPECT_FALSE(sample.Hides("material_lot.origin.country", metadata, access));
  EXPECT_FALSE(sample.Hides("cell.chemistry", metadata, access));
  const FieldPolicy& test = FieldPolicy::For(v1::CellTest::descriptor());
  EXPECT_EQ(test.HiddenPaths(metadata, {}), (std::vector<std::string>{"series", "summary"}));
  EXPECT_FALSE(test.CheckPath("cell.colour").ok());
  EXPECT_FALSE(test.CheckPath("").ok());
  EXPECT_TRUE(test.CheckPath("cycler.serial_number").ok());
}

class PolicyServiceTest : public HubFixture {
 protected:
  v1::Sample CreateLot(const std::string& id, std::optional<v1::Visibility> visibility) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/nrc");
    req.set_sample_id(id);
    v1::Sample& s = *req.mutable_sample();
    s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    s.set_description("precursor from the pilot line");
    s.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
    s.mutable_material_lot()->set_material("NMC811 hydroxide");
    s.mutable_material_lot()->mutable_origin()->set_supplier("Acme Precursors");
    if (visibility) s.mutable_access()->set_visibility(*visibility);
    v1::Sample out;
    grpc::Status st = Client("nrc-submitter")->CreateSample(req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  std::vector<v1::AuditEntry> Trail(const std::string& parent) {
    v1::ListAuditEntriesRequest req;
    req.set_parent(parent);
    v1::ListAuditEntriesResponse resp;
    EXPECT_TRUE(Client("admin")->ListAuditEntries(req, &resp).ok());
    return {resp.entries().begin(), resp.entries().end()};
  }
};

TEST_F(PolicyServiceTest, StewardsGrantRestrictAndRevokeAsLedgeredRevisions) {
  const v1::Sample lot = CreateLot("lot-1", v1::VISIBILITY_PRIVATE);
  auto steward = Client("nrc-steward");
  auto aist = Client("aist-viewer");
  v1::Sample seen;
  EXPECT_EQ(aist->GetSample(lot.name(), &seen).error_code(), StatusCode::PERMISSION_DENIED);

  v1::RecordAccess current;
  ASSERT_TRUE(steward->GetRecordAccess(lot.name(), &current).ok());
  EXPECT_EQ(current.etag(), lot.etag());
  v1::UpdateRecordAccessRequest req;
  req.set_name(lot.name());
  *req.mutable_access() = current.access();
  v1::Grant* g = req.mutable_access()->add_grants();
  g->set_institution("institutions/aist");
  g->set_tier(v1::TIER_SUMMARY);
  req.set_etag(current.etag());
  v1::RecordAccess updated;
  // A submitter may not share; a steward may, once per etag.
  EXPECT_EQ(Client("nrc-submitter")->UpdateRecordAccess(req, &updated).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(steward->UpdateRecordAccess(req, &updated).ok());
  EXPECT_EQ(updated.revision(), 2u);
  EXPECT_EQ(steward->UpdateRecordAccess(req, &updated).error_code(), StatusCode::ABORTED);

  ASSERT_TRUE(aist->GetSample(lot.name(), &seen).ok());
  EXPECT_EQ(seen.material_lot().material(), "NMC811 hydroxide");
  EXPECT_EQ(seen.material_lot().origin().supplier(), "") << "restricted by default";
  EXPECT_EQ(seen.description(), "precursor from the pilot line");

  // Restrict the description too, and open the restricted fields to aist.
  req.mutable_access()->add_restricted_fields("description");
  req.set_etag(updated.etag());
  ASSERT_TRUE(steward->UpdateRecordAccess(req, &updated).ok());
  ASSERT_TRUE(aist->GetSample(lot.name(), &seen).ok());
  EXPECT_EQ(seen.description(), "");
  req.mutable_access()->mutable_grants(0)->set_restricted_fields(true);
  req.set_etag(updated.etag());
  ASSERT_TRUE(steward->UpdateRecordAccess(req, &updated).ok());
  ASSERT_TRUE(aist->GetSample(lot.name(), &seen).ok());
  EXPECT_EQ(seen.material_lot().origin().supplier(), "Acme Precursors");
  EXPECT_EQ(seen.description(), "precursor from the pilot line");

  // Revoke: aist is back to not knowing the record exists.
  req.mutable_access()->clear_grants();
  req.set_etag(updated.etag());
  ASSERT_TRUE(steward->UpdateRecordAccess(req, &updated).ok());
  grpc::Status st = aist->GetSample(lot.name(), &seen);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("might not exist"), std::string::npos);

  // Each change is a revision in the ledger and an audited call, and the
  // content (supplier included) never changed.
  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_EQ(report.entries(), 5u);
  v1::Sample mine;
  ASSERT_TRUE(steward->GetSample(lot.name(), &mine).ok());
  EXPECT_EQ(mine.revision_id(), "5");
  EXPECT_EQ(mine.material_lot().origin().supplier(), "Acme Precursors");
  int changes = 0, refused = 0, stale = 0;
  for (const v1::AuditEntry& e : Trail("institutions/nrc")) {
    if (e.method() != "UpdateRecordAccess") continue;
    if (!e.allowed()) ++refused;
    if (e.code() == grpc::StatusCode::OK) ++changes;
    if (e.code() == grpc::StatusCode::ABORTED) ++stale;
  }
  EXPECT_EQ(changes, 4);
  EXPECT_EQ(refused, 1) << "the submitter's attempt";
  EXPECT_EQ(stale, 1) << "the stale etag";
}

TEST_F(PolicyServiceTest, NewRecordsTakeTheInstitutionDefaults) {
  auto steward = Client("nrc-steward");
  v1::UpdateAccessDefaultsRequest req;
  req.mutable_access_defaults()->set_name("institutions/nrc/accessDefaults");
  req.mutable_access_defaults()->mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
  req.mutable_access_defaults()->mutable_access()->set_tier(v1::TIER_SUMMARY);
  req.mutable_access_defaults()->mutable_access()->add_restricted_fields("description");
  req.mutable_access_defaults()->mutable_access()->add_restricted_fields("cycler.serial_number");
  v1::AccessDefaults out;
  EXPECT_EQ(Client("nrc-submitter")->UpdateAccessDefaults(req, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(steward->UpdateAccessDefaults(req, &out).ok());
  v1::AccessDefaults read;
  ASSERT_TRUE(Client("nrc-viewer")->GetAccessDefaults("institutions/nrc/accessDefaults", &read).ok());
  EXPECT_EQ(read.access().visibility(), v1::VISIBILITY_CONSORTIUM);
  EXPECT_EQ(Client("aist-steward")->GetAccessDefaults("institutions/nrc/accessDefaults", &read)
                .error_code(),
            StatusCode::PERMISSION_DENIED);

  const v1::Sample lot = CreateLot("lot-2", std::nullopt);
  EXPECT_EQ(lot.access().visibility(), v1::VISIBILITY_CONSORTIUM);
  EXPECT_EQ(lot.access().tier(), v1::TIER_SUMMARY);
  // Paths of other kinds are left out of a sample's access.
  EXPECT_EQ(lot.access().restricted_fields_size(), 1);
  v1::Sample seen;
  ASSERT_TRUE(Client("nedo-viewer")->GetSample(lot.name(), &seen).ok());
  EXPECT_EQ(seen.description(), "");
  EXPECT_EQ(seen.material_lot().material(), "NMC811 hydroxide");
  // A record that says otherwise keeps its own choice.
  const v1::Sample own = CreateLot("lot-3", v1::VISIBILITY_PRIVATE);
  EXPECT_EQ(own.access().visibility(), v1::VISIBILITY_PRIVATE);
  EXPECT_EQ(Client("nedo-viewer")->GetSample(own.name(), &seen).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(PolicyServiceTest, AgreementsAreSeenByTheirMembersAndSurviveARestart) {
  auto admin = Client("admin");
  v1::CreateAgreementRequest req;
  req.set_agreement_id("nedo-project");
  for (const char* m : {"institutions/nedo", "institutions/aist", "institutions/nrc"}) {
    req.mutable_agreement()->add_members(m);
  }
  req.mutable_agreement()->add_kinds("samples");
  req.mutable_agreement()->set_tier(v1::TIER_FULL);
  v1::Agreement out;
  ASSERT_TRUE(admin->CreateAgreement(req, &out).ok());
  EXPECT_EQ(admin->CreateAgreement(req, &out).error_code(), StatusCode::ALREADY_EXISTS);
  req.set_agreement_id("bad");
  req.mutable_agreement()->set_members(0, "institutions/mit");
  EXPECT_EQ(admin->CreateAgreement(req, &out).error_code(), StatusCode::INVALID_ARGUMENT);

  v1::ListAgreementsResponse list;
  ASSERT_TRUE(Client("libtec-viewer")->ListAgreements({}, &list).ok());
  EXPECT_EQ(list.agreements_size(), 0);
  ASSERT_TRUE(Client("aist-viewer")->ListAgreements({}, &list).ok());
  ASSERT_EQ(list.agreements_size(), 1);
  EXPECT_EQ(Client("libtec-viewer")->GetAgreement("agreements/nedo-project", &out).error_code(),
            StatusCode::PERMISSION_DENIED);

  v1::CreateSampleRequest lot;
  lot.set_parent("institutions/nrc");
  lot.set_sample_id("shared");
  lot.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  lot.mutable_sample()->mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_BINDER);
  lot.mutable_sample()->mutable_material_lot()->set_material("PVDF");
  lot.mutable_sample()->mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
  lot.mutable_sample()->mutable_access()->add_agreements("agreements/nedo-project");
  v1::Sample created, seen;
  ASSERT_TRUE(Client("nrc-submitter")->CreateSample(lot, &created).ok());
  // libtec may not name an agreement it is not a member of.
  lot.set_parent("institutions/libtec");
  grpc::Status st = Client("libtec-submitter")->CreateSample(lot, &created);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("access.agreements[0]"), std::string::npos);

  hub_.reset();
  auto hub = HubServer::Start(config_);
  ASSERT_TRUE(hub.ok()) << hub.status();
  hub_ = std::move(*hub);
  ASSERT_TRUE(Client("aist-viewer")->GetSample("institutions/nrc/samples/shared", &seen).ok());
  EXPECT_EQ(Client("libtec-viewer")->GetSample("institutions/nrc/samples/shared", &seen).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::CheckAccessRequest check;
  check.set_name("institutions/nrc/samples/shared");
  check.set_institution("institutions/nedo");
  v1::AccessDecision d;
  ASSERT_TRUE(Client("nrc-steward")->CheckAccess(check, &d).ok());
  EXPECT_EQ(d.tier(), v1::TIER_FULL);
  EXPECT_EQ(d.routes(0), "agreements/nedo-project");
  EXPECT_EQ(d.hidden_fields_size(), 3) << "the restricted fields of a material lot";
}

}  // namespace
}  // namespace batteryhub::testing
