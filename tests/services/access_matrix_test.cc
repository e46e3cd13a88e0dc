// The generated access matrix: records under every combination of
// visibility (with releases before and after their time), agreement in and
// out of scope (by label and by kind, beside an expired agreement), the
// tier of open access, a per-partner grant at each tier with its embargo
// before and after and with or without restricted fields, for two owners
// and three kinds; read by 4 institutions x 3 roles and a hub admin through
// every read method, and written through every write method by every role.
//
// The expected outcome of each cell comes from Expected() below, written
// from the case's parameters (not from the stored access, not through the
// engine). Every response and error message is scanned for values the
// reader must not see: restricted values are "SECRET-…", summary-tier
// values "TIERS-…", full-tier values "TIERF-…".
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/digest.h"
#include "core/sha256.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;

enum Kind { kSample, kCharacterization, kCellTest };
constexpr const char* kCollections[] = {"samples", "characterizations", "cellTests"};
const char* kInstitutions[] = {"aist", "nedo", "libtec", "nrc"};
const char* kRoles[] = {"viewer", "submitter", "steward"};

// One way of opening a record: the visibility, the tier of open access and
// the release (0 none, 1 passed, 2 still to come).
struct Opening {
  v1::Visibility visibility;
  v1::Tier open_tier;  // UNSPECIFIED: FULL
  int release;
};

struct GrantCase {
  v1::Tier tier;
  bool embargo_passed;
  bool restricted;
};

struct Case {
  int id;
  std::string owner;
  Kind kind;
  Opening opening;
  bool in_scope;
  std::optional<GrantCase> grant;
  std::string grantee;
  std::string name;
};

// What a reader must see: tier (UNSPECIFIED: nothing), restricted fields.
struct Expect {
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  bool restricted = false;
  bool owner = false;
  bool visible() const { return tier != v1::TIER_UNSPECIFIED; }
};

// The agreements of the hub under test: the one an owner's AGREEMENT records
// name, its members, its tier and the kinds it covers.
struct AgreementCase {
  std::string name;
  std::set<std::string> members;
  v1::Tier tier;
  std::set<Kind> kinds;
  std::pair<std::string, std::string> label;
};
const AgreementCase kJpProject{"agreements/jp-project", {"aist", "nedo", "libtec"},
                               v1::TIER_SUMMARY, {kSample, kCharacterization, kCellTest},
                               {"project", "nmc-next"}};
const AgreementCase kMou{"agreements/mou", {"aist", "nedo", "libtec", "nrc"}, v1::TIER_FULL,
                         {kCharacterization, kCellTest}, {"mou", "2024"}};
const AgreementCase& AgreementOf(const std::string& owner) {
  return owner == "aist" ? kJpProject : kMou;
}

v1::Tier Max(v1::Tier a, v1::Tier b) { return a > b ? a : b; }

// The oracle. `reader` is an institution id, "" for the hub admin.
Expect Expected(const Case& c, const std::string& reader) {
  Expect e;
  if (reader == c.owner) return {v1::TIER_FULL, true, true};
  const bool member = !reader.empty();
  const v1::Tier open =
      c.opening.open_tier == v1::TIER_UNSPECIFIED ? v1::TIER_FULL : c.opening.open_tier;
  auto admits = [&](v1::Visibility v) {
    return v == v1::VISIBILITY_PUBLIC || (v == v1::VISIBILITY_CONSORTIUM && member);
  };
  if (admits(c.opening.visibility)) e.tier = open;
  if (c.opening.release == 1 && admits(v1::VISIBILITY_CONSORTIUM)) e.tier = Max(e.tier, open);
  const AgreementCase& a = AgreementOf(c.owner);
  if (c.opening.visibility == v1::VISIBILITY_AGREEMENT && c.in_scope && a.kinds.count(c.kind) &&
      a.members.count(reader) && a.members.count(c.owner)) {
    e.tier = Max(e.tier, a.tier);
  }
  if (c.grant && reader == c.grantee && c.grant->embargo_passed) {
    e.tier = Max(e.tier, c.grant->tier);
    e.restricted = c.grant->restricted;
  }
  return e;
}

google::protobuf::Timestamp Days(int days) {
  return TimeUtil::MicrosecondsToTimestamp(NowMicros() + int64_t{days} * 86400 * 1000000);
}

class AccessMatrixTest : public HubFixture {
 protected:
  void SetUp() override {
    HubFixture::SetUp();
    admin_ = Client("admin");
    for (const char* inst : kInstitutions) {
      for (const char* role : kRoles) {
        readers_.push_back({std::string(inst) + "-" + role, inst});
      }
    }
    readers_.push_back({"admin", ""});
    for (auto& [token, inst] : readers_) clients_[token] = Client(token);
  }

  void CreateAgreements() {
    for (const AgreementCase* a : {&kJpProject, &kMou}) {
      v1::CreateAgreementRequest req;
      req.set_agreement_id(a->name.substr(11));
      for (const auto& m : a->members) req.mutable_agreement()->add_members("institutions/" + m);
      for (Kind k : a->kinds) req.mutable_agreement()->add_kinds(kCollections[k]);
      (*req.mutable_agreement()->mutable_labels())[a->label.first] = a->label.second;
      req.mutable_agreement()->set_tier(a->tier);
      *req.mutable_agreement()->mutable_start_time() = Days(-30);
      v1::Agreement out;
      ASSERT_TRUE(admin_->CreateAgreement(req, &out).ok());
    }
    // Expired: names every institution at FULL, and must open nothing.
    v1::CreateAgreementRequest req;
    req.set_agreement_id("expired");
    for (const char* m : kInstitutions) {
      req.mutable_agreement()->add_members(std::string("institutions/") + m);
    }
    req.mutable_agreement()->set_tier(v1::TIER_FULL);
    *req.mutable_agreement()->mutable_start_time() = Days(-60);
    *req.mutable_agreement()->mutable_end_time() = Days(-1);
    v1::Agreement out;
    ASSERT_TRUE(admin_->CreateAgreement(req, &out).ok());
  }

  v1::Access AccessOf(const Case& c) {
    v1::Access a;
    a.set_visibility(c.opening.visibility);
    a.set_tier(c.opening.open_tier);
    if (c.opening.visibility == v1::VISIBILITY_AGREEMENT) {
      a.add_agreements(AgreementOf(c.owner).name);
      a.add_agreements("agreements/expired");
    }
    if (c.opening.release != 0) {
      a.mutable_release()->set_visibility(v1::VISIBILITY_CONSORTIUM);
      *a.mutable_release()->mutable_time() = Days(c.opening.release == 1 ? -1 : 30);
    }
    if (c.grant) {
      v1::Grant* g = a.add_grants();
      g->set_institution("institutions/" + c.grantee);
      g->set_tier(c.grant->tier);
      *g->mutable_start_time() = Days(c.grant->embargo_passed ? -1 : 30);
      g->set_restricted_fields(c.grant->restricted);
    }
    a.add_restricted_fields("description");
    return a;
  }

  void CreateRecord(Case& c) {
    const std::string id = "r-" + std::to_string(c.id);
    auto& client = *clients_[c.owner + "-submitter"];
    const std::string parent = "institutions/" + c.owner;
    c.name = parent + "/" + kCollections[c.kind] + "/" + id;
    const AgreementCase& a = AgreementOf(c.owner);
    std::map<std::string, std::string> labels = {
        {a.label.first, c.in_scope ? a.label.second : "other"}};
    const std::string secret = "SECRET-D-" + std::to_string(c.id);
    grpc::Status s;
    if (c.kind == kSample) {
      v1::CreateSampleRequest req;
      req.set_parent(parent);
      req.set_sample_id(id);
      v1::Sample* r = req.mutable_sample();
      r->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
      r->set_description(secret);
      auto* lot = r->mutable_material_lot();
      lot->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
      lot->set_material("NMC811 precursor");
      auto* ni = lot->add_composition();
      ni->set_species("Ni");
      ni->set_mass_fraction(1.0);
      lot->mutable_origin()->set_country("CA");
      lot->mutable_origin()->set_supplier("SECRET-S-" + std::to_string(c.id));
      lot->mutable_origin()->set_mine_or_refiner("SECRET-M-" + std::to_string(c.id));
      r->mutable_labels()->insert(labels.begin(), labels.end());
      *r->mutable_access() = AccessOf(c);
      v1::Sample out;
      s = client.CreateSample(req, &out);
    } else if (c.kind == kCharacterization) {
      v1::CreateCharacterizationRequest req;
      req.set_parent(parent);
      req.set_characterization_id(id);
      v1::Characterization* r = req.mutable_characterization();
      r->set_sample(parent + "/samples/base");
      r->set_technique(v1::TECHNIQUE_BET);
      r->set_description(secret);
      auto* result = r->add_results();
      result->set_name("TIERS-" + std::to_string(c.id));
      result->mutable_value()->set_value(1.5);
      result->mutable_value()->set_unit("Ah");
      auto* curve = r->add_curves();
      curve->set_name("TIERF-" + std::to_string(c.id));
      curve->set_x_unit("s");
      curve->set_y_unit("V");
      curve->add_x(1);
      curve->add_y(2);
      r->mutable_labels()->insert(labels.begin(), labels.end());
      *r->mutable_access() = AccessOf(c);
      v1::Characterization out;
      s = client.CreateCharacterization(req, &out);
    } else {
      v1::CreateCellTestRequest req;
      req.set_parent(parent);
      req.set_cell_test_id(id);
      v1::CellTest* r = req.mutable_cell_test();
      r->set_description(secret);
      r->mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
      r->mutable_cell()->set_chemistry("NMC811/graphite");
      r->mutable_cell()->mutable_nominal_capacity()->set_value(1);
      r->mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
      r->mutable_protocol()->mutable_temperature()->set_value(25);
      r->mutable_protocol()->mutable_temperature()->set_unit("degC");
      r->mutable_labels()->insert(labels.begin(), labels.end());
      *r->mutable_access() = AccessOf(c);
      v1::CellTest out;
      s = client.CreateCellTest(req, &out);
      if (s.ok()) s = UploadSeries(client, c);
    }
    ASSERT_TRUE(s.ok()) << c.name << ": " << s.error_message();
  }

  // Two cycles of rows naming the raw file (shared by every cell test).
  grpc::Status UploadSeries(client::HubClient& client, const Case& c) {
    v1::SourceFile file;
    file.set_file_name("TIERF-cycler.csv");
    file.set_size_bytes(static_cast<int64_t>(raw_.size()));
    file.set_sha256(Sha256Hex(raw_));
    v1::SourceFile stored;
    grpc::Status s = client.UploadRawFile(c.name, file, raw_, &stored);
    if (!s.ok()) return s;
    v1::UploadHeader h;
    h.set_cell_test(c.name);
    h.set_upload_id("u-1");
    h.set_row_count(8);
    *h.mutable_source() = file;
    for (const char* col : {"test_time_second", "voltage_volt", "current_ampere", "cycle_count"}) {
      h.add_columns()->set_name(col);
    }
    v1::UploadSeriesResponse resp;
    return client.UploadSeries(
        h, 64,
        [](int64_t, int64_t, v1::SeriesChunk* chunk) {
          const std::vector<std::vector<double>> cols = {
              {0, 10, 20, 30, 40, 50, 60, 70},
              {3.5, 3.6, 3.4, 3.3, 3.5, 3.6, 3.4, 3.3},
              {0.1, 0.1, -0.1, -0.1, 0.1, 0.1, -0.1, -0.1},
              {1, 1, 1, 1, 2, 2, 2, 2}};
          const char* names[] = {"test_time_second", "voltage_volt", "current_ampere",
                                 "cycle_count"};
          for (size_t k = 0; k < cols.size(); ++k) {
            auto* col = chunk->add_columns();
            col->set_name(names[k]);
            col->mutable_values()->Add(cols[k].begin(), cols[k].end());
          }
        },
        nullptr, &resp);
  }

  void CreateBases() {
    for (const char* owner : {"aist", "nrc"}) {
      v1::CreateSampleRequest req;
      req.set_parent(std::string("institutions/") + owner);
      req.set_sample_id("base");
      req.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
      req.mutable_sample()->mutable_material_lot()->set_material("base powder");
      req.mutable_sample()->mutable_material_lot()->set_material_class(
          v1::MATERIAL_CLASS_CATHODE_ACTIVE);
      v1::Sample out;
      ASSERT_TRUE(clients_[std::string(owner) + "-submitter"]->CreateSample(req, &out).ok());
    }
  }

  std::vector<Case> GenerateCases() {
    std::vector<Opening> openings = {{v1::VISIBILITY_PRIVATE, v1::TIER_UNSPECIFIED, 0},
                                     {v1::VISIBILITY_AGREEMENT, v1::TIER_UNSPECIFIED, 0},
                                     {v1::VISIBILITY_PRIVATE, v1::TIER_SUMMARY, 1},
                                     {v1::VISIBILITY_PRIVATE, v1::TIER_SUMMARY, 2}};
    for (v1::Visibility v : {v1::VISIBILITY_CONSORTIUM, v1::VISIBILITY_PUBLIC}) {
      for (v1::Tier t : {v1::TIER_METADATA, v1::TIER_SUMMARY, v1::TIER_UNSPECIFIED}) {
        openings.push_back({v, t, 0});
      }
    }
    std::vector<std::optional<GrantCase>> grants = {std::nullopt};
    for (v1::Tier t : {v1::TIER_METADATA, v1::TIER_SUMMARY, v1::TIER_FULL}) {
      for (bool passed : {false, true}) {
        for (bool restricted : {false, true}) grants.push_back(GrantCase{t, passed, restricted});
      }
    }
    std::vector<Case> cases;
    for (const char* owner : {"aist", "nrc"}) {
      for (Kind kind : {kSample, kCharacterization, kCellTest}) {
        for (const Opening& o : openings) {
          for (bool scope : {true, false}) {
            for (const auto& g : grants) {
              Case c{static_cast<int>(cases.size()), owner, kind, o, scope, g,
                     std::string(owner) == "aist" ? "nrc" : "libtec", ""};
              cases.push_back(c);
            }
          }
        }
      }
    }
    return cases;
  }

  // Counts a case; fails when the response or error leaks what `e` hides.
  void Scan(const std::string& what, const Expect& e, const std::string& bytes) {
    ++cases_;
    auto leaks = [&](const char* marker) { return bytes.find(marker) != std::string::npos; };
    if (!e.restricted) {
      EXPECT_FALSE(leaks("SECRET-")) << what << ": restricted value in the response";
    }
    if (e.tier < v1::TIER_SUMMARY) {
      EXPECT_FALSE(leaks("TIERS-")) << what << ": summary value";
    }
    if (e.tier < v1::TIER_FULL) {
      EXPECT_FALSE(leaks("TIERF-")) << what << ": full-tier value";
    }
  }

  // The answer for a record that does not exist, with its name replaced.
  static std::string Normalized(const grpc::Status& s, const std::string& name) {
    std::string m = s.error_message();
    for (size_t at; (at = m.find(name)) != std::string::npos;) m.replace(at, name.size(), "NAME");
    return std::to_string(s.error_code()) + " " + m;
  }

  // A hidden record answers exactly like a missing one; `missing` asks for
  // one (once per reader, method and collection: `cache`).
  void ExpectAbsent(const std::string& what, const grpc::Status& hidden, const std::string& name,
                    const std::string& method, const std::string& missing_name,
                    const std::function<grpc::Status()>& missing,
                    std::map<std::string, std::string>* cache) {
    EXPECT_FALSE(hidden.ok()) << what << ": a hidden record was served";
    const std::string key = method + " " + missing_name;
    auto it = cache->find(key);
    if (it == cache->end()) it = cache->emplace(key, Normalized(missing(), missing_name)).first;
    EXPECT_EQ(Normalized(hidden, name), it->second) << what;
  }

  // Fields of a served record against the expectation.
  template <typename Resource>
  void CheckView(const std::string& what, const Case& c, const Expect& e, const Resource& r,
                 const std::string& reader) {
    Scan(what, e, r.SerializeAsString());
    EXPECT_EQ(!r.description().empty(), e.restricted) << what;
    if (e.owner) {
      EXPECT_FALSE(r.provenance().content_digest().empty()) << what;
      EXPECT_EQ(r.access().grants_size(), c.grant ? 1 : 0) << what;
    } else {
      // A digest is served only with everything it covers: one of a cut
      // view would let the reader test guesses of what was cut.
      if (!r.provenance().content_digest().empty()) {
        EXPECT_EQ(ContentDigest(r), r.provenance().content_digest()) << what << ": digest of a cut view";
      }
      for (const auto& g : r.access().grants()) {
        EXPECT_EQ(g.institution(), "institutions/" + reader) << what << ": another's grant";
      }
      EXPECT_EQ(r.access().agreements_size(), 0) << what;
    }
  }
  void CheckFields(const std::string& what, const Case& c, const Expect& e, const v1::Sample& r,
                   const std::string& reader) {
    CheckView(what, c, e, r, reader);
    const auto& lot = r.material_lot();
    EXPECT_EQ(!lot.origin().supplier().empty(), e.restricted) << what;
    EXPECT_EQ(!lot.origin().mine_or_refiner().empty(), e.restricted) << what;
    EXPECT_EQ(lot.composition_size() > 0, e.restricted) << what;
    EXPECT_EQ(lot.origin().country(), "CA") << what << ": unrestricted field lost";
  }
  void CheckFields(const std::string& what, const Case& c, const Expect& e,
                   const v1::Characterization& r, const std::string& reader) {
    CheckView(what, c, e, r, reader);
    EXPECT_EQ(r.results_size() > 0, e.tier >= v1::TIER_SUMMARY) << what;
    EXPECT_EQ(r.curves_size() > 0, e.tier >= v1::TIER_FULL) << what;
    EXPECT_EQ(r.technique(), v1::TECHNIQUE_BET) << what << ": metadata lost";
  }
  void CheckFields(const std::string& what, const Case& c, const Expect& e, const v1::CellTest& r,
                   const std::string& reader) {
    CheckView(what, c, e, r, reader);
    EXPECT_EQ(r.has_summary(), e.tier >= v1::TIER_SUMMARY) << what;
    EXPECT_EQ(r.has_series(), e.tier >= v1::TIER_FULL) << what;
    EXPECT_EQ(r.cell().chemistry(), "NMC811/graphite") << what << ": metadata lost";
  }

  // Get, ListRevisions, GetRecordAccess, GetLineage and, for cell tests,
  // ReadSeries, ListCycleSummaries and ReadRawFile.
  template <typename Resource, typename GetFn, typename RevFn>
  void ReadOne(client::HubClient& cl, const std::string& token, const std::string& reader,
               const Case& c, GetFn get, RevFn revisions,
               std::map<std::string, std::string>* cache) {
    const Expect e = Expected(c, reader);
    const std::string what = token + " " + c.name;
    const std::string missing = c.name.substr(0, c.name.rfind('/')) + "/absent";
    Resource r, absent;
    grpc::Status s = get(c.name, &r);
    Scan(what + " Get", e, s.error_message());
    if (e.visible()) {
      ASSERT_TRUE(s.ok()) << what << ": " << s.error_message();
      CheckFields(what + " Get", c, e, r, reader);
    } else {
      ExpectAbsent(what + " Get", s, c.name, "Get", missing, [&] { return get(missing, &absent); },
                   cache);
    }
    std::vector<Resource> revs;
    s = revisions(c.name, &revs);
    if (e.visible()) {
      ASSERT_TRUE(s.ok()) << what << " revisions: " << s.error_message();
      EXPECT_EQ(revs.size(), c.kind == kCellTest ? 2u : 1u) << what;
      for (const Resource& rev : revs) Scan(what + " ListRevisions", e, rev.SerializeAsString());
    } else {
      std::vector<Resource> none;
      ExpectAbsent(what + " ListRevisions", s, c.name, "ListRevisions", missing,
                   [&] { return revisions(missing, &none); }, cache);
      Scan(what + " ListRevisions", e, s.error_message());
    }
    v1::RecordAccess access, absent_access;
    s = cl.GetRecordAccess(c.name, &access);
    if (e.visible()) {
      ASSERT_TRUE(s.ok()) << what << " access: " << s.error_message();
      Scan(what + " GetRecordAccess", e, access.SerializeAsString());
      for (const auto& g : access.access().grants()) {
        if (!e.owner) {
          EXPECT_EQ(g.institution(), "institutions/" + reader) << what;
        }
      }
    } else {
      ExpectAbsent(what + " GetRecordAccess", s, c.name, "GetRecordAccess", missing,
                   [&] { return cl.GetRecordAccess(missing, &absent_access); }, cache);
      ++cases_;
    }
    v1::GetLineageRequest lr;
    lr.set_name(c.name);
    v1::Lineage lineage;
    s = cl.GetLineage(lr, &lineage);
    EXPECT_EQ(s.ok(), e.visible()) << what << " lineage: " << s.error_message();
    Scan(what + " GetLineage", e, s.ok() ? lineage.SerializeAsString() : s.error_message());
    if (c.kind != kCellTest) return;
    auto expect_tier = [&](const char* method, const grpc::Status& st, v1::Tier needed,
                           const std::string& bytes) {
      Scan(what + " " + method, e, bytes + st.error_message());
      if (e.tier >= needed) {
        EXPECT_TRUE(st.ok()) << what << " " << method << ": " << st.error_message();
      } else if (e.visible()) {
        EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << what << " " << method;
        EXPECT_NE(st.error_message().find("TIER_"), std::string::npos) << st.error_message();
      } else {
        EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << what << " " << method;
        EXPECT_NE(st.error_message().find("might not exist"), std::string::npos) << what;
      }
    };
    v1::ReadSeriesRequest rs;
    rs.set_name(c.name);
    std::string series;
    s = cl.ReadSeries(rs, [&](const v1::SeriesChunk& chunk) {
      series += chunk.SerializeAsString();
      return true;
    });
    expect_tier("ReadSeries", s, v1::TIER_FULL, series);
    if (s.ok()) {
      EXPECT_FALSE(series.empty()) << what;
    }
    v1::ListCycleSummariesRequest lc;
    lc.set_name(c.name);
    v1::ListCycleSummariesResponse cycles;
    s = cl.ListCycleSummaries(lc, &cycles);
    expect_tier("ListCycleSummaries", s, v1::TIER_SUMMARY, cycles.SerializeAsString());
    if (s.ok()) {
      EXPECT_GT(cycles.cycles_size(), 0) << what;
    }
    std::string bytes;
    s = cl.ReadRawFile(c.name, Sha256Hex(raw_), &bytes);
    expect_tier("ReadRawFile", s, v1::TIER_FULL, "");
    if (s.ok()) {
      EXPECT_EQ(bytes, raw_) << what;
    }
  }

  // Every page of List over all institutions with `filter` / `order_by`.
  template <typename Request, typename Response, typename ListFn, typename ItemsFn>
  std::vector<std::string> ListNames(ListFn list, ItemsFn items, const std::string& filter,
                                     const std::string& order_by, const std::string& what,
                                     const std::function<void(const std::string&,
                                                              const std::string&)>& each) {
    Request req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(100);
    std::vector<std::string> names;
    do {
      Response resp;
      grpc::Status s = list(req, &resp);
      EXPECT_TRUE(s.ok()) << what << " " << filter << ": " << s.error_message();
      if (!s.ok()) break;
      for (const auto& r : items(resp)) {
        names.push_back(r.name());
        each(r.name(), r.SerializeAsString());
      }
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return names;
  }

  std::vector<std::pair<std::string, std::string>> readers_;  // token, institution
  std::map<std::string, std::unique_ptr<client::HubClient>> clients_;
  std::unique_ptr<client::HubClient> admin_;
  const std::string raw_ = "time,voltage\n0,3.5\nTIERF-raw\n";
  std::atomic<uint64_t> cases_{0};
};

TEST_F(AccessMatrixTest, EveryReaderSeesExactlyWhatThePolicyGrants) {
  CreateAgreements();
  CreateBases();
  std::vector<Case> cases = GenerateCases();
  for (Case& c : cases) {
    CreateRecord(c);
    if (HasFatalFailure()) return;
  }
  std::map<std::string, const Case*> by_name;
  for (const Case& c : cases) by_name[c.name] = &c;

  // Readers are served two at a time (the hub is multi-threaded).
  auto read_as = [&](const std::string& token, const std::string& reader) {
    client::HubClient& cl = *clients_.at(token);
    std::map<std::string, std::string> cache;
    for (const Case& c : cases) {
      if (c.kind == kSample) {
        ReadOne<v1::Sample>(
            cl, token, reader, c, [&](const std::string& n, v1::Sample* r) { return cl.GetSample(n, r); },
            [&](const std::string& n, std::vector<v1::Sample>* out) {
              v1::ListSampleRevisionsRequest req;
              req.set_name(n);
              v1::ListSampleRevisionsResponse resp;
              grpc::Status s = cl.ListSampleRevisions(req, &resp);
              out->assign(resp.samples().begin(), resp.samples().end());
              return s;
            },
            &cache);
      } else if (c.kind == kCharacterization) {
        ReadOne<v1::Characterization>(
            cl, token, reader, c,
            [&](const std::string& n, v1::Characterization* r) { return cl.GetCharacterization(n, r); },
            [&](const std::string& n, std::vector<v1::Characterization>* out) {
              v1::ListCharacterizationRevisionsRequest req;
              req.set_name(n);
              v1::ListCharacterizationRevisionsResponse resp;
              grpc::Status s = cl.ListCharacterizationRevisions(req, &resp);
              out->assign(resp.characterizations().begin(), resp.characterizations().end());
              return s;
            },
            &cache);
      } else {
        ReadOne<v1::CellTest>(
            cl, token, reader, c, [&](const std::string& n, v1::CellTest* r) { return cl.GetCellTest(n, r); },
            [&](const std::string& n, std::vector<v1::CellTest>* out) {
              v1::ListCellTestRevisionsRequest req;
              req.set_name(n);
              v1::ListCellTestRevisionsResponse resp;
              grpc::Status s = cl.ListCellTestRevisions(req, &resp);
              out->assign(resp.cell_tests().begin(), resp.cell_tests().end());
              return s;
            },
            &cache);
      }
      if (HasFatalFailure()) return;
    }

    // Lists: hidden records are filtered before paging; a filter is decided
    // on the reader's view, where a hidden field is absent (so `x:*` fails
    // and `NOT x = v` holds, whatever the stored value); an order on a field
    // the reader cannot see lists none of the records on which it is hidden.
    struct ListCase {
      Kind kind;
      std::string filter, order_by;
      std::function<bool(const Expect&)> admits;
    };
    auto all = [](const Expect& e) { return e.visible(); };
    auto restricted = [](const Expect& e) { return e.visible() && e.restricted; };
    auto summary = [](const Expect& e) { return e.tier >= v1::TIER_SUMMARY; };
    auto full = [](const Expect& e) { return e.tier >= v1::TIER_FULL; };
    const std::vector<ListCase> lists = {
        {kSample, "", "", all},
        {kSample, "description:*", "", restricted},
        {kSample, "NOT material_lot.origin.supplier = \"nobody\"", "", all},
        {kSample, "material_lot.origin.country = \"CA\"", "", all},
        {kSample, "material_lot.composition.species = \"Ni\"", "", restricted},
        {kCharacterization, "", "update_time desc", all},
        {kCharacterization, "results:*", "", summary},
        {kCharacterization, "NOT curves.name = \"x\"", "", all},
        {kCharacterization, "technique = BET", "", all},
        {kCellTest, "", "", all},
        {kCellTest, "", "summary.cycles_to_80_percent", summary},
        {kCellTest, "summary.cycle_count >= 0", "", summary},
        {kCellTest, "series.row_count > 0", "", full},
        {kCellTest, "cell.chemistry = \"NMC811/graphite\" AND NOT description = \"y\"", "", all},
        {kCellTest, "cell.chemistry = \"NMC811/graphite\" AND description:*", "", restricted},
    };
    for (const ListCase& lc : lists) {
      const std::string what = token + " List " + kCollections[lc.kind] + " [" + lc.filter + "]";
      std::set<std::string> expected;
      for (const Case& c : cases) {
        if (c.kind == lc.kind && lc.admits(Expected(c, reader))) expected.insert(c.name);
      }
      auto each = [&](const std::string& name, const std::string& bytes) {
        auto it = by_name.find(name);
        if (it == by_name.end()) return;  // the base samples
        Scan(what, Expected(*it->second, reader), bytes);
      };
      std::vector<std::string> names;
      if (lc.kind == kSample) {
        names = ListNames<v1::ListSamplesRequest, v1::ListSamplesResponse>(
            [&](const auto& q, auto* out) { return cl.ListSamples(q, out); },
            [](const auto& resp) { return resp.samples(); }, lc.filter, lc.order_by, what, each);
      } else if (lc.kind == kCharacterization) {
        names = ListNames<v1::ListCharacterizationsRequest, v1::ListCharacterizationsResponse>(
            [&](const auto& q, auto* out) { return cl.ListCharacterizations(q, out); },
            [](const auto& resp) { return resp.characterizations(); }, lc.filter, lc.order_by, what,
            each);
      } else {
        names = ListNames<v1::ListCellTestsRequest, v1::ListCellTestsResponse>(
            [&](const auto& q, auto* out) { return cl.ListCellTests(q, out); },
            [](const auto& resp) { return resp.cell_tests(); }, lc.filter, lc.order_by, what, each);
      }
      std::set<std::string> got;
      for (const std::string& n : names) {
        if (by_name.count(n)) got.insert(n);
      }
      EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size())
          << what << ": a record listed twice";
      EXPECT_EQ(got, expected) << what;
      ++cases_;
    }
  };
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < readers_.size();) read_as(readers_[i].first, readers_[i].second);
  };
  std::thread other(worker);
  worker();
  other.join();
  if (HasFatalFailure()) return;

  // CheckAccess: the owner's steward and the admin see each institution's
  // decision, equal to the oracle's; nobody else may ask.
  for (const Case& c : cases) {
    for (const std::string& asker : {c.owner + "-steward", std::string("admin"),
                                    c.owner + "-submitter", c.grantee + "-steward"}) {
      for (const char* reader : kInstitutions) {
        v1::CheckAccessRequest req;
        req.set_name(c.name);
        req.set_institution(std::string("institutions/") + reader);
        v1::AccessDecision d;
        grpc::Status s = clients_[asker]->CheckAccess(req, &d);
        ++cases_;
        const bool may = asker == c.owner + "-steward" || asker == "admin";
        if (!may) {
          EXPECT_FALSE(s.ok()) << asker << " inspected " << c.name;
          Scan(asker + " CheckAccess", Expected(c, asker.substr(0, asker.find('-'))), s.error_message());
          continue;
        }
        ASSERT_TRUE(s.ok()) << s.error_message();
        const Expect e = Expected(c, reader);
        EXPECT_EQ(d.tier(), e.tier) << c.name << " for " << reader;
        EXPECT_EQ(d.visible(), e.visible()) << c.name << " for " << reader;
        EXPECT_EQ(d.restricted_fields(), e.restricted) << c.name << " for " << reader;
      }
    }
  }
  std::printf("access matrix: %zu records x %zu readers; %llu cases checked\n", cases.size(),
              readers_.size(), static_cast<unsigned long long>(cases_.load()));
  RecordProperty("cases", std::to_string(cases_.load()));
}

// Every write method by every role of every institution and the admin, on
// records of two owners: allowed exactly for the roles DESIGN.md gives it
// (submitters create and change their institution's records, stewards also
// their access and defaults, admins agreements), refused otherwise without
// revealing records the writer cannot see. Refused writes change nothing.
TEST_F(AccessMatrixTest, EveryRoleWritesExactlyWhatItsRoleAllows) {
  CreateAgreements();
  CreateBases();
  std::vector<Case> records;
  for (const char* owner : {"aist", "nrc"}) {
    for (Kind kind : {kSample, kCellTest}) {
      for (v1::Visibility v : {v1::VISIBILITY_CONSORTIUM, v1::VISIBILITY_PRIVATE}) {
        Case c{static_cast<int>(records.size()), owner, kind, {v, v1::TIER_UNSPECIFIED, 0}, true,
               std::nullopt, "", ""};
        CreateRecord(c);
        records.push_back(c);
      }
    }
  }
  v1::LedgerReport before;
  ASSERT_TRUE(admin_->VerifyLedger(&before).ok());
  uint64_t expected_commits = 0;

  enum Need { kSubmitter, kSteward, kAdmin };
  // The oracle: may principal (institution `inst`, `role`) do what needs
  // `need` on a record of `owner`?
  auto allowed = [](Need need, const std::string& inst, const std::string& role,
                    const std::string& owner) {
    if (need == kAdmin) return role == "admin";
    if (inst != owner) return false;
    return need == kSubmitter ? (role == "submitter" || role == "steward") : role == "steward";
  };
  int upload = 0;
  for (const auto& [token, inst] : readers_) {
    client::HubClient& cl = *clients_.at(token);
    const std::string role = token == "admin" ? "admin" : token.substr(token.find('-') + 1);
    for (const Case& c : records) {
      const Expect e = Expected(c, inst);
      const std::string what = token + " on " + c.name;
      // A refusal: hidden records answer like missing ones; visible records
      // of another institution too (no write there is possible); the
      // institution's own records say which role is needed.
      auto refused = [&](const char* method, const grpc::Status& st, bool on_record) {
        ++cases_;
        EXPECT_FALSE(st.ok()) << what << " " << method << " was allowed";
        EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << what << " " << method << ": "
                                                                 << st.error_message();
        if (on_record && !e.visible()) {
          EXPECT_NE(st.error_message().find("might not exist"), std::string::npos) << what;
        }
        Scan(what + " " + method, e, st.error_message());
      };
      // `on_record`: the call names the record (not only its institution).
      auto check = [&](const char* method, Need need, const grpc::Status& st,
                       bool on_record = true) {
        if (allowed(need, inst, role, c.owner)) {
          ++cases_;
          EXPECT_TRUE(st.ok()) << what << " " << method << ": " << st.error_message();
        } else {
          refused(method, st, on_record);
        }
      };
      v1::Access widened;
      widened.set_visibility(v1::VISIBILITY_PUBLIC);
      widened.add_restricted_fields("description");
      v1::UpdateRecordAccessRequest ura;
      ura.set_name(c.name);
      *ura.mutable_access() = widened;
      ura.set_validate_only(true);
      v1::RecordAccess ra;
      check("UpdateRecordAccess", kSteward, cl.UpdateRecordAccess(ura, &ra));
      if (c.kind == kSample) {
        v1::UpdateSampleRequest u;
        u.mutable_sample()->set_name(c.name);
        u.mutable_sample()->set_display_name("renamed");
        u.mutable_update_mask()->add_paths("display_name");
        u.set_validate_only(true);
        v1::Sample out;
        check("UpdateSample", kSubmitter, cl.UpdateSample(u, &out));
        u.mutable_update_mask()->set_paths(0, "access");
        *u.mutable_sample()->mutable_access() = widened;
        check("UpdateSample(access)", kSteward, cl.UpdateSample(u, &out));
        v1::CreateSampleRequest cr;
        cr.set_parent("institutions/" + c.owner);
        cr.set_sample_id("new-one");
        cr.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
        cr.mutable_sample()->mutable_material_lot()->set_material("x");
        cr.mutable_sample()->mutable_material_lot()->set_material_class(
            v1::MATERIAL_CLASS_BINDER);
        cr.set_validate_only(true);
        check("CreateSample", kSubmitter, cl.CreateSample(cr, &out), false);
      } else {
        v1::UpdateCellTestRequest u;
        u.mutable_cell_test()->set_name(c.name);
        u.mutable_cell_test()->set_display_name("renamed");
        u.mutable_update_mask()->add_paths("display_name");
        u.set_validate_only(true);
        v1::CellTest out;
        check("UpdateCellTest", kSubmitter, cl.UpdateCellTest(u, &out));
        v1::SourceFile file;
        file.set_file_name("extra.csv");
        const std::string bytes = "extra " + token;
        file.set_size_bytes(static_cast<int64_t>(bytes.size()));
        file.set_sha256(Sha256Hex(bytes));
        v1::SourceFile stored;
        check("UploadRawFile", kSubmitter, cl.UploadRawFile(c.name, file, bytes, &stored));
        v1::UploadHeader h;
        h.set_cell_test(c.name);
        h.set_upload_id("w-" + std::to_string(++upload));
        h.set_row_count(1);
        for (const char* col : {"test_time_second", "voltage_volt", "current_ampere"}) {
          h.add_columns()->set_name(col);
        }
        v1::UploadSeriesResponse resp;
        grpc::Status st = cl.UploadSeries(
            h, 64,
            [](int64_t, int64_t, v1::SeriesChunk* chunk) {
              for (const char* col : {"test_time_second", "voltage_volt", "current_ampere"}) {
                auto* values = chunk->add_columns();
                values->set_name(col);
                values->add_values(std::string(col) == "voltage_volt" ? 3.4 : 1000.0);
              }
            },
            nullptr, &resp);
        check("UploadSeries", kSubmitter, st);
        if (st.ok()) ++expected_commits;
      }
    }
    // Institution-wide and hub-wide writes.
    for (const char* owner : {"aist", "nrc"}) {
      const Expect e{};
      const std::string what = token + " on institutions/" + owner;
      v1::UpdateAccessDefaultsRequest d;
      d.mutable_access_defaults()->set_name(std::string("institutions/") + owner + "/accessDefaults");
      d.mutable_access_defaults()->mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
      v1::AccessDefaults out;
      grpc::Status st = cl.UpdateAccessDefaults(d, &out);
      ++cases_;
      EXPECT_EQ(st.ok(), allowed(kSteward, inst, role, owner)) << what << ": " << st.error_message();
      if (st.ok()) ++expected_commits;
      Scan(what + " UpdateAccessDefaults", e, st.error_message());
    }
    v1::CreateAgreementRequest ca;
    ca.set_agreement_id("by-" + token);
    ca.mutable_agreement()->add_members("institutions/aist");
    ca.mutable_agreement()->add_members("institutions/nrc");
    ca.mutable_agreement()->set_tier(v1::TIER_METADATA);
    v1::Agreement agreement;
    grpc::Status st = cl.CreateAgreement(ca, &agreement);
    ++cases_;
    EXPECT_EQ(st.ok(), role == "admin") << token << " CreateAgreement: " << st.error_message();
    if (st.ok()) ++expected_commits;
    v1::UpdateAgreementRequest ua;
    *ua.mutable_agreement() = ca.agreement();
    ua.mutable_agreement()->set_name("agreements/mou");
    ua.mutable_agreement()->set_tier(v1::TIER_FULL);
    st = cl.UpdateAgreement(ua, &agreement);
    ++cases_;
    EXPECT_EQ(st.ok(), role == "admin") << token << " UpdateAgreement: " << st.error_message();
    if (st.ok()) ++expected_commits;
  }
  // Refused writes and validate_only changed nothing: the ledger grew by
  // the allowed commits alone, and still verifies.
  v1::LedgerReport after;
  ASSERT_TRUE(admin_->VerifyLedger(&after).ok());
  EXPECT_EQ(after.first_break(), "");
  EXPECT_EQ(after.entries(), before.entries() + expected_commits);
  std::printf("write matrix: %llu cases checked\n", static_cast<unsigned long long>(cases_.load()));
}

}  // namespace
}  // namespace batteryhub::testing
