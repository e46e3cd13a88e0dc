// Characterisation files at a real hub: a characterization's raw file is
// served from its attachments at FULL tier only; a record (cell test or
// characterization) can name only bytes streamed to it, whatever SHA-256 a
// partner learns; results filter by name with units, and a List answer
// equals the filter applied by a model to every record.
#include <cmath>
#include <random>
#include <set>

#include "core/sha256.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

class CharacterizationFilesTest : public HubFixture {
 protected:
  void MakeSample(client::HubClient& c, const std::string& inst, const std::string& id) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/" + inst);
    req.set_sample_id(id);
    req.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    req.mutable_sample()->mutable_material_lot()->set_material("NMC811");
    req.mutable_sample()->mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
    v1::Sample out;
    ASSERT_TRUE(c.CreateSample(req, &out).ok());
  }

  // A characterization of `inst`'s sample `lot` listing `bytes` as its file.
  grpc::Status MakeCharacterization(client::HubClient& c, const std::string& inst, const std::string& id,
                                    const std::string& sha, int64_t size, v1::Visibility vis,
                                    v1::Tier tier = v1::TIER_UNSPECIFIED) {
    v1::CreateCharacterizationRequest req;
    req.set_parent("institutions/" + inst);
    req.set_characterization_id(id);
    v1::Characterization* ch = req.mutable_characterization();
    ch->set_sample("institutions/" + inst + "/samples/lot");
    ch->set_technique(v1::TECHNIQUE_XRD);
    v1::Attachment* a = ch->add_attachments();
    a->set_file_name("scan.xrdml");
    a->set_sha256(sha);
    a->set_size_bytes(size);
    ch->mutable_access()->set_visibility(vis);
    if (tier != v1::TIER_UNSPECIFIED) ch->mutable_access()->set_tier(tier);
    v1::Characterization out;
    return c.CreateCharacterization(req, &out);
  }

  grpc::Status Stream(client::HubClient& c, const std::string& record, const std::string& bytes) {
    v1::SourceFile header, stored;
    header.set_file_name("scan.xrdml");
    header.set_sha256(Sha256Hex(bytes));
    header.set_size_bytes(static_cast<int64_t>(bytes.size()));
    return c.UploadRawFile(record, header, bytes, &stored);
  }
};

TEST_F(CharacterizationFilesTest, TheRawFileIsServedFromTheAttachmentsAtFullTierOnly) {
  auto nrc = Client("nrc-submitter");
  MakeSample(*nrc, "nrc", "lot");
  const std::string bytes = "<xrdMeasurements>scan</xrdMeasurements>";
  const std::string sha = Sha256Hex(bytes);
  ASSERT_TRUE(MakeCharacterization(*nrc, "nrc", "full", sha, bytes.size(), v1::VISIBILITY_CONSORTIUM).ok());
  ASSERT_TRUE(MakeCharacterization(*nrc, "nrc", "meta", sha, bytes.size(), v1::VISIBILITY_CONSORTIUM,
                                   v1::TIER_METADATA).ok());
  ASSERT_TRUE(MakeCharacterization(*nrc, "nrc", "private", sha, bytes.size(), v1::VISIBILITY_PRIVATE).ok());
  for (const char* id : {"full", "meta", "private"}) {
    ASSERT_TRUE(Stream(*nrc, std::string("institutions/nrc/characterizations/") + id, bytes).ok()) << id;
  }
  // A wrong size or hash keeps nothing.
  v1::SourceFile bad, stored;
  bad.set_sha256(sha);
  bad.set_size_bytes(static_cast<int64_t>(bytes.size()) + 1);
  EXPECT_EQ(nrc->UploadRawFile("institutions/nrc/characterizations/full", bad, bytes, &stored).error_code(),
            StatusCode::INVALID_ARGUMENT);

  std::string got;
  ASSERT_TRUE(nrc->ReadRawFile("institutions/nrc/characterizations/private", sha, &got).ok());
  EXPECT_EQ(got, bytes);
  auto nedo = Client("nedo-viewer");
  ASSERT_TRUE(nedo->ReadRawFile("institutions/nrc/characterizations/full", sha, &got).ok());
  EXPECT_EQ(got, bytes);
  got.clear();
  EXPECT_EQ(nedo->ReadRawFile("institutions/nrc/characterizations/meta", sha, &got).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(got.empty());
  // A private record answers as one that does not exist.
  grpc::Status hidden = nedo->ReadRawFile("institutions/nrc/characterizations/private", sha, &got);
  grpc::Status absent = nedo->ReadRawFile("institutions/nrc/characterizations/never", sha, &got);
  EXPECT_NE(hidden.error_code(), StatusCode::OK);
  EXPECT_EQ(hidden.error_code(), absent.error_code());
  std::string hidden_text = hidden.error_message(), absent_text = absent.error_message();
  hidden_text.replace(hidden_text.find("private"), 7, "X");
  absent_text.replace(absent_text.find("never"), 5, "X");
  EXPECT_EQ(hidden_text, absent_text);
  EXPECT_TRUE(got.empty());
  // Only writers stream files to a record.
  EXPECT_EQ(Stream(*nedo, "institutions/nrc/characterizations/full", bytes).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(CharacterizationFilesTest, KnowingAHashReadsNoOtherRecordsFile) {
  auto nedo = Client("nedo-submitter");
  auto nrc = Client("nrc-submitter");
  MakeSample(*nedo, "nedo", "lot");
  MakeSample(*nrc, "nrc", "lot");
  const std::string secret = "NEDO's private diffractogram";
  const std::string sha = Sha256Hex(secret);
  ASSERT_TRUE(MakeCharacterization(*nedo, "nedo", "secret", sha, secret.size(), v1::VISIBILITY_PRIVATE).ok());
  ASSERT_TRUE(Stream(*nedo, "institutions/nedo/characterizations/secret", secret).ok());

  // NRC lists NEDO's hash (learnt, say, from a provenance) in its own record.
  ASSERT_TRUE(MakeCharacterization(*nrc, "nrc", "forged", sha, secret.size(), v1::VISIBILITY_PRIVATE).ok());
  const std::string never = Sha256Hex("never uploaded anywhere");
  ASSERT_TRUE(MakeCharacterization(*nrc, "nrc", "nothing", never, 5, v1::VISIBILITY_PRIVATE).ok());
  std::string got;
  grpc::Status forged = nrc->ReadRawFile("institutions/nrc/characterizations/forged", sha, &got);
  grpc::Status nothing = nrc->ReadRawFile("institutions/nrc/characterizations/nothing", never, &got);
  EXPECT_EQ(forged.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(nothing.error_code(), StatusCode::NOT_FOUND);
  EXPECT_TRUE(got.empty());

  // Nor through a cell test's series: the series may name only a file
  // streamed to that test, and says so as it would for a hash never seen.
  v1::CreateCellTestRequest ct;
  ct.set_parent("institutions/nrc");
  ct.set_cell_test_id("ct");
  v1::CellTest* t = ct.mutable_cell_test();
  t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
  t->mutable_cell()->set_chemistry("NMC811/graphite");
  t->mutable_cell()->mutable_nominal_capacity()->set_value(0.1);
  t->mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
  t->mutable_protocol()->mutable_temperature()->set_value(25);
  t->mutable_protocol()->mutable_temperature()->set_unit("degC");
  v1::CellTest test;
  ASSERT_TRUE(nrc->CreateCellTest(ct, &test).ok());
  auto upload = [&](const std::string& hash) {
    v1::UploadHeader h;
    h.set_cell_test("institutions/nrc/cellTests/ct");
    h.set_upload_id("u-" + hash.substr(0, 8));
    h.set_row_count(1);
    h.mutable_source()->set_sha256(hash);
    h.mutable_source()->set_file_name("run.csv");
    for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) h.add_columns()->set_name(name);
    v1::UploadSeriesResponse out;
    return nrc->UploadSeries(
        h, 1,
        [](int64_t, int64_t, v1::SeriesChunk* c) {
          for (int k = 0; k < 3; ++k) c->add_columns()->add_values(k == 1 ? 3.7 : 0);
        },
        {}, &out);
  };
  grpc::Status a = upload(sha), b = upload(never);
  EXPECT_EQ(a.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(b.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(a.error_message(), b.error_message());

  // Whoever holds the bytes may stream them: then the file is theirs to name.
  ASSERT_TRUE(Stream(*nrc, "institutions/nrc/characterizations/forged", secret).ok());
  ASSERT_TRUE(nrc->ReadRawFile("institutions/nrc/characterizations/forged", sha, &got).ok());
  EXPECT_EQ(got, secret);
}

struct Model {
  std::string name;
  v1::Technique technique;
  std::optional<double> d50_m;    // canonical
  std::optional<double> area;     // m2/g
};

TEST_F(CharacterizationFilesTest, ResultFiltersWithUnitsEqualTheModel) {
  auto nrc = Client("nrc-submitter");
  MakeSample(*nrc, "nrc", "lot");
  std::mt19937 rng(11);
  std::vector<Model> records;
  const std::pair<const char*, double> kLength[] = {{"um", 1e-6}, {"nm", 1e-9}, {"mm", 1e-3}, {"m", 1}};
  for (int i = 0; i < 40; ++i) {
    v1::CreateCharacterizationRequest req;
    req.set_parent("institutions/nrc");
    req.set_characterization_id("c" + std::to_string(i));
    v1::Characterization* ch = req.mutable_characterization();
    ch->set_sample("institutions/nrc/samples/lot");
    Model m{"institutions/nrc/characterizations/c" + std::to_string(i), v1::TECHNIQUE_PSD, {}, {}};
    if (i % 3 != 2) {
      const auto& [unit, scale] = kLength[rng() % 4];
      const double um = std::uniform_real_distribution<double>(1, 30)(rng);
      v1::ScalarResult* r = ch->add_results();
      r->set_name("d50");
      r->mutable_value()->set_value(um * 1e-6 / scale);
      r->mutable_value()->set_unit(unit);
      m.d50_m = um * 1e-6;
    } else {
      m.technique = v1::TECHNIQUE_BET;
      const double area = std::uniform_real_distribution<double>(0.1, 3)(rng);
      v1::ScalarResult* r = ch->add_results();
      r->set_name("bet_surface_area");
      const bool cm2 = rng() % 2;
      r->mutable_value()->set_value(cm2 ? area * 1e4 : area);
      r->mutable_value()->set_unit(cm2 ? "cm2/g" : "m2/g");
      m.area = area;
    }
    ch->set_technique(m.technique);
    v1::Characterization out;
    ASSERT_TRUE(nrc->CreateCharacterization(req, &out).ok()) << i;
    records.push_back(m);
  }
  auto list = [&](const std::string& filter) {
    std::set<std::string> names;
    v1::ListCharacterizationsRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    req.set_page_size(100);
    v1::ListCharacterizationsResponse resp;
    grpc::Status st = nrc->ListCharacterizations(req, &resp);
    EXPECT_TRUE(st.ok()) << filter << ": " << st.error_message();
    for (const auto& c : resp.characterizations()) names.insert(c.name());
    return names;
  };
  for (int k = 0; k < 60; ++k) {
    const auto& [unit, scale] = kLength[rng() % 3];
    const double um = std::uniform_real_distribution<double>(0, 32)(rng);
    const double literal = um * 1e-6 / scale;
    const char* ops[] = {"<", "<=", ">", ">="};
    const std::string op = ops[rng() % 4];
    const bool with_technique = rng() % 2;
    char text[64];
    std::snprintf(text, sizeof(text), "%.9g", literal);
    std::string filter = "results.d50 " + op + " " + text + " " + unit;
    if (with_technique) filter += " AND technique = PSD";
    std::set<std::string> want;
    for (const Model& m : records) {
      if (!m.d50_m) continue;
      const double v = *m.d50_m, lit = std::strtod(text, nullptr) * scale;
      const bool pass = op == "<" ? v < lit : op == "<=" ? v <= lit : op == ">" ? v > lit : v >= lit;
      // Within rounding of the literal's 9 digits, leave the case out.
      if (std::abs(v - lit) < 1e-12) continue;
      if (pass) want.insert(m.name);
    }
    std::set<std::string> got = list(filter);
    for (const Model& m : records) {
      if (m.d50_m && std::abs(*m.d50_m - std::strtod(text, nullptr) * scale) < 1e-12) got.erase(m.name);
    }
    EXPECT_EQ(got, want) << filter;
  }
  // A literal of another dimension matches nothing; an area filter finds areas.
  EXPECT_TRUE(list("results.d50 < 5 m2/g").empty());
  std::set<std::string> want_area;
  for (const Model& m : records) {
    if (m.area && *m.area >= 0.5) want_area.insert(m.name);
  }
  EXPECT_EQ(list("results.bet_surface_area >= 0.5 m2/g"), want_area);
  EXPECT_EQ(list("results.bet_surface_area >= 5000 cm2/g"), want_area);
  // A bad literal is an error naming the column.
  v1::ListCharacterizationsRequest bad;
  bad.set_parent("institutions/-");
  bad.set_filter("results.d50 < small");
  v1::ListCharacterizationsResponse resp;
  grpc::Status st = nrc->ListCharacterizations(bad, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("not a number"), std::string::npos) << st.error_message();
}

}  // namespace
}  // namespace batteryhub::testing
