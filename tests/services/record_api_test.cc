// Integration tests of the record services over a real gRPC server.
#include <atomic>
#include <set>
#include <thread>

#include "core/digest.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

v1::Sample Lot(const std::string& material, v1::Visibility visibility) {
  v1::Sample s;
  s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  s.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
  s.mutable_material_lot()->set_material(material);
  s.mutable_material_lot()->mutable_origin()->set_country("CA");
  s.mutable_access()->set_visibility(visibility);
  (*s.mutable_labels())["project"] = "jp-ca";
  return s;
}

class RecordApiTest : public HubFixture {
 protected:
  grpc::Status CreateLot(client::HubClient& c, const std::string& institution,
                         const std::string& id, const v1::Sample& body, v1::Sample* out,
                         const std::string& request_id = "") {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/" + institution);
    req.set_sample_id(id);
    *req.mutable_sample() = body;
    req.set_request_id(request_id);
    return c.CreateSample(req, out);
  }
};

TEST_F(RecordApiTest, CreateThenGetSetsOutputFieldsFromIdentity) {
  auto nrc = Client("nrc-submitter");
  v1::Sample body = Lot("NMC811", v1::VISIBILITY_CONSORTIUM);
  body.set_owner("institutions/aist");  // output only: ignored
  v1::Sample created;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot-1", body, &created).ok());
  EXPECT_EQ(created.name(), "institutions/nrc/samples/lot-1");
  EXPECT_EQ(created.owner(), "institutions/nrc");
  EXPECT_EQ(created.revision_id(), "1");
  EXPECT_EQ(created.provenance().submitted_by(), "institutions/nrc/principals/nrc-submitter");
  EXPECT_EQ(created.provenance().content_digest(), ContentDigest(created));
  EXPECT_GT(created.provenance().ledger_sequence(), 0u);
  EXPECT_FALSE(created.etag().empty());

  v1::Sample got;
  auto aist = Client("aist-viewer");
  ASSERT_TRUE(aist->GetSample(created.name(), &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
}

TEST_F(RecordApiTest, ListPagesWithoutDuplicatesOrGapsAndBindsTokens) {
  auto nrc = Client("nrc-submitter");
  std::set<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    v1::Sample out;
    const std::string id = "lot-" + std::to_string(100 + i);
    ASSERT_TRUE(CreateLot(*nrc, "nrc", id, Lot("NMC", v1::VISIBILITY_PRIVATE), &out).ok());
    expected.insert(out.name());
  }
  v1::ListSamplesRequest req;
  req.set_parent("institutions/-");
  req.set_page_size(10);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    v1::ListSamplesResponse resp;
    ASSERT_TRUE(nrc->ListSamples(req, &resp).ok());
    for (const auto& s : resp.samples()) seen.push_back(s.name());
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  // A token is bound to its query and caller.
  v1::ListSamplesRequest first;
  first.set_parent("institutions/-");
  first.set_page_size(10);
  v1::ListSamplesResponse resp;
  ASSERT_TRUE(nrc->ListSamples(first, &resp).ok());
  v1::ListSamplesRequest other = first;
  other.set_filter("labels.project = \"jp-ca\"");
  other.set_page_token(resp.next_page_token());
  v1::ListSamplesResponse ignored;
  EXPECT_EQ(nrc->ListSamples(other, &ignored).error_code(), StatusCode::INVALID_ARGUMENT);
  first.set_page_token(resp.next_page_token());
  EXPECT_EQ(Client("nrc-viewer")->ListSamples(first, &ignored).error_code(),
            StatusCode::INVALID_ARGUMENT);
  first.set_page_token("garbage!");
  EXPECT_EQ(nrc->ListSamples(first, &ignored).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecordApiTest, ListOrdersByCreateTimeAndFiltersOnLabels) {
  auto nrc = Client("nrc-submitter");
  for (const char* id : {"zeta", "alpha", "mid"}) {
    v1::Sample body = Lot("NMC", v1::VISIBILITY_PRIVATE), out;
    (*body.mutable_labels())["order"] = id;
    ASSERT_TRUE(CreateLot(*nrc, "nrc", id, body, &out).ok());
  }
  v1::ListSamplesRequest req;
  req.set_parent("institutions/nrc");
  req.set_order_by("create_time desc");
  v1::ListSamplesResponse resp;
  ASSERT_TRUE(nrc->ListSamples(req, &resp).ok());
  ASSERT_EQ(resp.samples_size(), 3);
  EXPECT_EQ(resp.samples(0).name(), "institutions/nrc/samples/mid");
  EXPECT_EQ(resp.samples(2).name(), "institutions/nrc/samples/zeta");
  req.set_order_by("");
  req.set_filter("labels.order = alpha");
  ASSERT_TRUE(nrc->ListSamples(req, &resp).ok());
  ASSERT_EQ(resp.samples_size(), 1);
  EXPECT_EQ(resp.samples(0).name(), "institutions/nrc/samples/alpha");
  req.set_order_by("colour");
  EXPECT_EQ(nrc->ListSamples(req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecordApiTest, ListFiltersWithTheAip160Language) {
  auto nrc = Client("nrc-submitter");
  for (const char* id : {"lot-a", "lot-b", "lot-c"}) {
    v1::Sample body = Lot(id[4] == 'c' ? "LFP" : "NMC811", v1::VISIBILITY_CONSORTIUM), out;
    body.mutable_material_lot()->mutable_origin()->set_country(id[4] == 'a' ? "JP" : "CA");
    ASSERT_TRUE(CreateLot(*nrc, "nrc", id, body, &out).ok());
  }
  auto names = [&](const std::string& filter) {
    v1::ListSamplesRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    v1::ListSamplesResponse resp;
    grpc::Status s = Client("aist-viewer")->ListSamples(req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    std::vector<std::string> out;
    for (const auto& r : resp.samples()) out.push_back(r.name().substr(25));
    return out;
  };
  EXPECT_EQ(names("material_lot.origin.country = CA"), (std::vector<std::string>{"lot-b", "lot-c"}));
  EXPECT_EQ(names("material_lot.material = \"NMC*\" AND NOT material_lot.origin.country = JP"),
            std::vector<std::string>{"lot-b"});
  EXPECT_EQ(names("kind = MATERIAL_LOT AND (material_lot.material = LFP OR owner = aist)"),
            std::vector<std::string>{"lot-c"});
  v1::ListSamplesRequest bad;
  bad.set_parent("institutions/-");
  bad.set_filter("material_lot.colour = red");
  v1::ListSamplesResponse resp;
  grpc::Status s = nrc->ListSamples(bad, &resp);
  ASSERT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("'colour' is not a field of MaterialLot"), std::string::npos);
}

TEST_F(RecordApiTest, LineageUpAndDownOnlyThroughVisibleRecords) {
  auto nrc = Client("nrc-submitter");
  v1::Sample lot, secret, cell;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot", Lot("NMC811", v1::VISIBILITY_CONSORTIUM), &lot).ok());
  v1::Sample electrode = Lot("unused", v1::VISIBILITY_PRIVATE);
  electrode.clear_material_lot();
  electrode.set_kind(v1::SAMPLE_KIND_ELECTRODE);
  electrode.mutable_electrode()->set_polarity(v1::ELECTRODE_POLARITY_POSITIVE);
  electrode.add_derived_from(lot.name());
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "pe", electrode, &secret).ok());  // private
  v1::Sample cell_body = Lot("unused", v1::VISIBILITY_CONSORTIUM);
  cell_body.clear_material_lot();
  cell_body.set_kind(v1::SAMPLE_KIND_CELL);
  cell_body.mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
  cell_body.mutable_cell()->set_chemistry("NMC811/graphite");
  cell_body.mutable_cell()->mutable_nominal_capacity()->set_value(4);
  cell_body.mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
  cell_body.mutable_cell()->set_positive_electrode(secret.name());
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "cell", cell_body, &cell).ok());
  v1::CreateCharacterizationRequest xrd;
  xrd.set_parent("institutions/nrc");
  xrd.set_characterization_id("xrd");
  xrd.mutable_characterization()->set_sample(lot.name());
  xrd.mutable_characterization()->set_technique(v1::TECHNIQUE_XRD);
  xrd.mutable_characterization()->mutable_access()->set_visibility(v1::VISIBILITY_PUBLIC);
  v1::Characterization c;
  ASSERT_TRUE(nrc->CreateCharacterization(xrd, &c).ok());

  auto walk = [&](client::HubClient& client, const std::string& name, v1::LineageDirection dir) {
    v1::GetLineageRequest req;
    req.set_name(name);
    req.set_direction(dir);
    v1::Lineage out;
    EXPECT_TRUE(client.GetLineage(req, &out).ok());
    std::set<std::string> names;
    for (const auto& e : out.entries()) names.insert(e.name().substr(13));
    return names;
  };
  EXPECT_EQ(walk(*nrc, lot.name(), v1::LINEAGE_DIRECTION_DOWN),
            (std::set<std::string>{"nrc/samples/pe", "nrc/samples/cell", "nrc/characterizations/xrd"}));
  EXPECT_EQ(walk(*nrc, cell.name(), v1::LINEAGE_DIRECTION_UP),
            (std::set<std::string>{"nrc/samples/pe", "nrc/samples/lot"}));
  // AIST does not see the private electrode, so the cell is not reached
  // from the lot, and the lot not from the cell.
  auto aist = Client("aist-viewer");
  EXPECT_EQ(walk(*aist, lot.name(), v1::LINEAGE_DIRECTION_DOWN),
            std::set<std::string>{"nrc/characterizations/xrd"});
  EXPECT_TRUE(walk(*aist, cell.name(), v1::LINEAGE_DIRECTION_UP).empty());
  v1::GetLineageRequest hidden;
  hidden.set_name(secret.name());
  v1::Lineage out;
  EXPECT_EQ(aist->GetLineage(hidden, &out).error_code(), StatusCode::PERMISSION_DENIED);

  // The same walk as a List filter function.
  auto listed = [&](client::HubClient& client, const std::string& filter) {
    v1::ListSamplesRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    v1::ListSamplesResponse resp;
    grpc::Status st = client.ListSamples(req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> names;
    for (const auto& r : resp.samples()) names.push_back(r.name().substr(13));
    return names;
  };
  const std::string from_lot = "descends_from(\"" + lot.name() + "\")";
  EXPECT_EQ(listed(*nrc, from_lot), (std::vector<std::string>{"nrc/samples/cell", "nrc/samples/pe"}));
  EXPECT_EQ(listed(*nrc, from_lot + " AND kind = CELL"), std::vector<std::string>{"nrc/samples/cell"});
  EXPECT_TRUE(listed(*aist, from_lot).empty());  // only through what AIST may see
  v1::ListSamplesRequest bad;
  bad.set_parent("institutions/-");
  bad.set_filter("ancestors(x)");
  v1::ListSamplesResponse resp;
  EXPECT_EQ(nrc->ListSamples(bad, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecordApiTest, PagingStaysConsistentUnderConcurrentInserts) {
  auto nrc = Client("nrc-submitter");
  std::set<std::string> before;
  for (int i = 0; i < 40; ++i) {
    v1::Sample out;
    ASSERT_TRUE(CreateLot(*nrc, "nrc", "m-" + std::to_string(1000 + i * 2), Lot("NMC", v1::VISIBILITY_PRIVATE), &out).ok());
    before.insert(out.name());
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto w = Client("nrc-submitter");
    // Odd ids interleave with the even ones being paged through.
    for (int i = 0; i < 40 && !stop; ++i) {
      v1::Sample out;
      CreateLot(*w, "nrc", "m-" + std::to_string(1001 + i * 2), Lot("NMC", v1::VISIBILITY_PRIVATE), &out);
    }
  });
  v1::ListSamplesRequest req;
  req.set_parent("institutions/nrc");
  req.set_page_size(7);
  std::vector<std::string> seen;
  do {
    v1::ListSamplesResponse resp;
    ASSERT_TRUE(nrc->ListSamples(req, &resp).ok());
    for (const auto& s : resp.samples()) seen.push_back(s.name());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  stop = true;
  writer.join();
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a record appeared twice";
  for (const std::string& name : before) EXPECT_TRUE(unique.count(name)) << name << " missing";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(RecordApiTest, UpdateChecksEtagAndKeepsRevisions) {
  auto nrc = Client("nrc-submitter");
  v1::Sample created;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot-1", Lot("NMC811", v1::VISIBILITY_PRIVATE), &created).ok());

  v1::UpdateSampleRequest update;
  *update.mutable_sample() = created;
  update.mutable_sample()->mutable_material_lot()->set_material("NMC811 (washed)");
  update.mutable_update_mask()->add_paths("material_lot");
  v1::Sample updated;
  ASSERT_TRUE(nrc->UpdateSample(update, &updated).ok());
  EXPECT_EQ(updated.revision_id(), "2");
  EXPECT_EQ(updated.material_lot().material(), "NMC811 (washed)");
  EXPECT_EQ(updated.create_time().seconds(), created.create_time().seconds());

  // The first etag is stale now.
  grpc::Status stale = nrc->UpdateSample(update, &updated);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED);
  EXPECT_EQ(client::ParseErrorDetails(stale).reason, "STALE_ETAG");

  v1::Sample past;
  ASSERT_TRUE(nrc->GetSample(created.name() + "@1", &past).ok());
  EXPECT_EQ(past.material_lot().material(), "NMC811");
  EXPECT_EQ(nrc->GetSample(created.name() + "@9", &past).error_code(), StatusCode::NOT_FOUND);

  v1::ListSampleRevisionsRequest revs;
  revs.set_name(created.name());
  revs.set_page_size(1);
  v1::ListSampleRevisionsResponse page;
  ASSERT_TRUE(nrc->ListSampleRevisions(revs, &page).ok());
  ASSERT_EQ(page.samples_size(), 1);
  EXPECT_EQ(page.samples(0).revision_id(), "2");
  revs.set_page_token(page.next_page_token());
  ASSERT_TRUE(nrc->ListSampleRevisions(revs, &page).ok());
  ASSERT_EQ(page.samples_size(), 1);
  EXPECT_EQ(page.samples(0).revision_id(), "1");
  EXPECT_TRUE(page.next_page_token().empty());

  // Output-only fields cannot be masked in; viewers cannot update.
  update.mutable_sample()->set_etag(updated.etag());
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("owner");
  EXPECT_EQ(nrc->UpdateSample(update, &updated).error_code(), StatusCode::INVALID_ARGUMENT);
  update.mutable_update_mask()->Clear();
  EXPECT_EQ(Client("nrc-viewer")->UpdateSample(update, &updated).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(RecordApiTest, RetryWithSameRequestIdCreatesOnce) {
  auto nrc = Client("nrc-submitter");
  v1::Sample first, second;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot-1", Lot("NMC", v1::VISIBILITY_PRIVATE), &first, "r-1").ok());
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot-1", Lot("NMC", v1::VISIBILITY_PRIVATE), &second, "r-1").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  const uint64_t sequence = hub_->store()->LastSequence();
  EXPECT_EQ(sequence, 1u);
  // Same id without the request id: the record exists.
  EXPECT_EQ(CreateLot(*nrc, "nrc", "lot-1", Lot("NMC", v1::VISIBILITY_PRIVATE), &second).error_code(),
            StatusCode::ALREADY_EXISTS);
  // Same request id, different request: refused, nothing stored.
  EXPECT_EQ(CreateLot(*nrc, "nrc", "lot-2", Lot("LFP", v1::VISIBILITY_PRIVATE), &second, "r-1")
                .error_code(),
            StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hub_->store()->LastSequence(), sequence);
}

TEST_F(RecordApiTest, HiddenRecordsAnswerExactlyLikeMissingOnes) {
  auto nrc = Client("nrc-submitter");
  v1::Sample secret, shared;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "secret", Lot("NMC", v1::VISIBILITY_PRIVATE), &secret).ok());
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "shared", Lot("NMC", v1::VISIBILITY_CONSORTIUM), &shared).ok());
  auto aist = Client("aist-steward");
  v1::Sample out;
  grpc::Status hidden = aist->GetSample(secret.name(), &out);
  grpc::Status missing = aist->GetSample("institutions/nrc/samples/nothing", &out);
  EXPECT_EQ(hidden.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(hidden.error_message(),
            "permission denied on resource 'institutions/nrc/samples/secret' (or it might not exist)");
  EXPECT_EQ(client::ParseErrorDetails(hidden).reason, client::ParseErrorDetails(missing).reason);
  EXPECT_EQ(aist->GetSample(secret.name() + "@1", &out).error_code(), StatusCode::PERMISSION_DENIED);
  v1::ListSampleRevisionsRequest revs;
  revs.set_name(secret.name());
  v1::ListSampleRevisionsResponse revs_out;
  EXPECT_EQ(aist->ListSampleRevisions(revs, &revs_out).error_code(), StatusCode::PERMISSION_DENIED);
  // Updating someone else's record: the same answer, for hidden and visible alike.
  v1::UpdateSampleRequest update;
  *update.mutable_sample() = shared;
  EXPECT_EQ(aist->UpdateSample(update, &out).error_code(), StatusCode::PERMISSION_DENIED);
  // Lists leave it out.
  v1::ListSamplesRequest list;
  list.set_parent("institutions/nrc");
  v1::ListSamplesResponse listed;
  ASSERT_TRUE(aist->ListSamples(list, &listed).ok());
  ASSERT_EQ(listed.samples_size(), 1);
  EXPECT_EQ(listed.samples(0).name(), shared.name());
  // Nobody creates in another institution, viewers create nowhere.
  EXPECT_EQ(CreateLot(*aist, "nrc", "x", Lot("NMC", v1::VISIBILITY_PRIVATE), &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CreateLot(*Client("aist-viewer"), "aist", "x", Lot("NMC", v1::VISIBILITY_PRIVATE), &out)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  // A reference to a hidden sample reads like one to a missing sample.
  v1::CreateCharacterizationRequest xrd;
  xrd.set_parent("institutions/aist");
  xrd.set_characterization_id("xrd-1");
  xrd.mutable_characterization()->set_technique(v1::TECHNIQUE_XRD);
  xrd.mutable_characterization()->set_sample(secret.name());
  v1::Characterization c;
  grpc::Status to_hidden = aist->CreateCharacterization(xrd, &c);
  xrd.mutable_characterization()->set_sample("institutions/nrc/samples/nothing");
  grpc::Status to_missing = aist->CreateCharacterization(xrd, &c);
  EXPECT_EQ(to_hidden.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(client::ParseErrorDetails(to_hidden).field_violations,
            (std::vector<std::pair<std::string, std::string>>{
                {"sample", "sample 'institutions/nrc/samples/secret' does not exist or is not "
                           "visible to you"}}));
  EXPECT_EQ(to_missing.error_code(), StatusCode::INVALID_ARGUMENT);
  // ... and to a visible one works, across institutions.
  xrd.mutable_characterization()->set_sample(shared.name());
  ASSERT_TRUE(aist->CreateCharacterization(xrd, &c).ok());
  EXPECT_EQ(c.provenance().derived_from_revisions(0), shared.name() + "@1");
}

TEST_F(RecordApiTest, AuthenticationIsRequired) {
  v1::Sample out;
  grpc::Status none = Client("")->GetSample("institutions/nrc/samples/x", &out);
  EXPECT_EQ(none.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Client("forged")->GetSample("institutions/nrc/samples/x", &out).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(RecordApiTest, CellTestsReferenceCellsOfTheRightKind) {
  auto nrc = Client("nrc-submitter");
  v1::Sample lot;
  ASSERT_TRUE(CreateLot(*nrc, "nrc", "lot-1", Lot("NMC", v1::VISIBILITY_PRIVATE), &lot).ok());
  v1::CreateCellTestRequest req;
  req.set_parent("institutions/nrc");
  req.set_cell_test_id("ct-1");
  auto* t = req.mutable_cell_test();
  t->set_cell_sample(lot.name());  // a lot, not a cell
  t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
  t->mutable_cell()->set_chemistry("NMC811/graphite");
  t->mutable_cell()->mutable_nominal_capacity()->set_value(4.2);
  t->mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
  t->mutable_protocol()->mutable_temperature()->set_value(25);
  t->mutable_protocol()->mutable_temperature()->set_unit("degC");
  t->mutable_summary()->set_cycle_count(999);  // output only
  v1::CellTest out;
  grpc::Status wrong_kind = nrc->CreateCellTest(req, &out);
  ASSERT_EQ(wrong_kind.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(client::ParseErrorDetails(wrong_kind).field_violations.at(0).first, "cell_sample");
  t->clear_cell_sample();
  ASSERT_TRUE(nrc->CreateCellTest(req, &out).ok());
  EXPECT_EQ(out.summary().cycle_count(), 0);
  EXPECT_EQ(out.cell().nominal_capacity().unit(), "Ah");
}

TEST_F(RecordApiTest, ValidateOnlyStoresNothing) {
  auto nrc = Client("nrc-submitter");
  v1::CreateSampleRequest req;
  req.set_parent("institutions/nrc");
  req.set_sample_id("lot-1");
  *req.mutable_sample() = Lot("NMC", v1::VISIBILITY_PRIVATE);
  req.set_validate_only(true);
  v1::Sample out;
  ASSERT_TRUE(nrc->CreateSample(req, &out).ok());
  EXPECT_EQ(hub_->store()->LastSequence(), 0u);
  EXPECT_EQ(nrc->GetSample("institutions/nrc/samples/lot-1", &out).error_code(),
            StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace batteryhub::testing
