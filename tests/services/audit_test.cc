// The audit trail over a real gRPC server: one entry per call, allowed or
// refused, the writes' entries in their commits; who may read which part.
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

class AuditTest : public HubFixture {
 protected:
  std::vector<v1::AuditEntry> Trail(client::HubClient& c, const std::string& parent,
                                    int page_size = 0, grpc::Status* status = nullptr) {
    v1::ListAuditEntriesRequest req;
    req.set_parent(parent);
    req.set_page_size(page_size);
    std::vector<v1::AuditEntry> out;
    do {
      v1::ListAuditEntriesResponse resp;
      grpc::Status s = c.ListAuditEntries(req, &resp);
      if (status != nullptr) *status = s;
      if (!s.ok()) break;
      out.insert(out.end(), resp.entries().begin(), resp.entries().end());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  grpc::Status CreateLot(client::HubClient& c, const std::string& id, v1::Visibility visibility,
                         bool validate_only = false) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/nrc");
    req.set_sample_id(id);
    req.set_validate_only(validate_only);
    v1::Sample& s = *req.mutable_sample();
    s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    s.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
    s.mutable_material_lot()->set_material("NMC811");
    s.mutable_access()->set_visibility(visibility);
    v1::Sample out;
    return c.CreateSample(req, &out);
  }
};

TEST_F(AuditTest, EveryCallLeavesOneEntryAndStewardsSeeTheirInstitutions) {
  auto nrc = Client("nrc-submitter");
  ASSERT_TRUE(CreateLot(*nrc, "secret", v1::VISIBILITY_PRIVATE).ok());
  ASSERT_TRUE(CreateLot(*nrc, "draft", v1::VISIBILITY_PRIVATE, true).ok());  // validate_only
  v1::Sample out;
  EXPECT_EQ(Client("aist-viewer")->GetSample("institutions/nrc/samples/secret", &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Client("forged")->GetSample("institutions/nrc/samples/secret", &out).error_code(),
            StatusCode::UNAUTHENTICATED);
  v1::Identity me;
  ASSERT_TRUE(Client("aist-steward")->GetIdentity(&me).ok());

  const std::vector<v1::AuditEntry> all = Trail(*Client("admin"), "institutions/-");
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].sequence(), i + 1);
  EXPECT_EQ(all[0].method(), "CreateSample");  // written in the create's own commit
  EXPECT_EQ(all[0].principal(), "institutions/nrc/principals/nrc-submitter");
  EXPECT_TRUE(all[0].allowed());
  EXPECT_EQ(all[1].method(), "CreateSample");  // validate_only: nothing committed, still audited
  EXPECT_EQ(all[2].principal(), "institutions/aist/principals/aist-viewer");
  EXPECT_FALSE(all[2].allowed());
  EXPECT_EQ(all[2].code(), static_cast<int>(StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(all[2].resource(), "institutions/nrc/samples/secret");
  EXPECT_EQ(all[3].principal(), "");  // unauthenticated: a constant-size entry
  EXPECT_EQ(all[3].resource(), "");
  EXPECT_FALSE(all[3].allowed());
  EXPECT_EQ(all[4].method(), "GetIdentity");

  // NRC's steward: calls by NRC's principals and calls on NRC's records,
  // not AIST's own identity check, nor the unauthenticated call (its entry
  // names no resource). The admin's listing above is entry 6.
  const std::vector<v1::AuditEntry> nrc_trail = Trail(*Client("nrc-steward"), "institutions/nrc", 2);
  std::vector<uint64_t> sequences;
  for (const auto& e : nrc_trail) {
    if (e.sequence() > 6) {  // the steward's own listing, page by page
      EXPECT_EQ(e.method(), "ListAuditEntries");
      EXPECT_EQ(e.principal(), "institutions/nrc/principals/nrc-steward");
    } else {
      sequences.push_back(e.sequence());
    }
  }
  EXPECT_EQ(sequences, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_GT(nrc_trail.size(), 3u);

  grpc::Status denied;
  Trail(*Client("nrc-submitter"), "institutions/nrc", 0, &denied);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  Trail(*Client("nrc-steward"), "institutions/-", 0, &denied);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  Trail(*Client("aist-steward"), "institutions/nrc", 0, &denied);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);

  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.audit_first_break(), "");
  EXPECT_GE(report.audit_entries(), 10u);  // the listings above are calls too
}

}  // namespace
}  // namespace batteryhub::testing
