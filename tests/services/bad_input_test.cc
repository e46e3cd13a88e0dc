// Every bad input gets a precise error over the wire and stores nothing.
// Prints the table of inputs and answers (used in docs and issue notes).
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>

#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

v1::CreateSampleRequest GoodCell() {
  v1::CreateSampleRequest req;
  req.set_parent("institutions/nrc");
  req.set_sample_id("cell-1");
  v1::Sample* s = req.mutable_sample();
  s->set_kind(v1::SAMPLE_KIND_CELL);
  s->add_derived_from("institutions/nrc/samples/lot-1");
  auto* cell = s->mutable_cell();
  cell->set_form_factor(v1::FORM_FACTOR_COIN);
  cell->set_chemistry("NMC811/graphite");
  cell->mutable_nominal_capacity()->set_value(4.2);
  cell->mutable_nominal_capacity()->set_unit("mAh");
  return req;
}

struct Case {
  const char* what;
  std::function<void(v1::CreateSampleRequest*)> mutate;
  StatusCode code;
  const char* field;  // expected field violation ("" for none)
};

class BadInputTest : public HubFixture {};

TEST_F(BadInputTest, EachIsRefusedPreciselyAndStoresNothing) {
  auto nrc = Client("nrc-submitter");
  {
    v1::CreateSampleRequest lot;
    lot.set_parent("institutions/nrc");
    lot.set_sample_id("lot-1");
    lot.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    lot.mutable_sample()->mutable_material_lot()->set_material_class(
        v1::MATERIAL_CLASS_CATHODE_ACTIVE);
    lot.mutable_sample()->mutable_material_lot()->set_material("NMC811");
    v1::Sample out;
    ASSERT_TRUE(nrc->CreateSample(lot, &out).ok());
    v1::Sample cell;
    ASSERT_TRUE(nrc->CreateSample(GoodCell(), &cell).ok()) << "the baseline must be valid";
  }
  const uint64_t sequence = hub_->store()->LastSequence();
  auto cap = [](v1::CreateSampleRequest* r) {
    return r->mutable_sample()->mutable_cell()->mutable_nominal_capacity();
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Case> cases = {
      {"id with upper case and underscore", [](auto* r) { r->set_sample_id("Cell_1"); },
       StatusCode::INVALID_ARGUMENT, "sample_id"},
      {"id of 64 characters", [](auto* r) { r->set_sample_id(std::string(64, 'a')); },
       StatusCode::INVALID_ARGUMENT, "sample_id"},
      {"kind missing", [](auto* r) { r->mutable_sample()->set_kind(v1::SAMPLE_KIND_UNSPECIFIED); },
       StatusCode::INVALID_ARGUMENT, "kind"},
      {"kind cell without cell details",
       [](auto* r) { r->mutable_sample()->mutable_material_lot()->set_material("x"); },
       StatusCode::INVALID_ARGUMENT, "cell"},
      {"NaN nominal capacity", [&](auto* r) { cap(r)->set_value(nan); },
       StatusCode::INVALID_ARGUMENT, "cell.nominal_capacity.value"},
      {"negative nominal capacity", [&](auto* r) { cap(r)->set_value(-4.2); },
       StatusCode::INVALID_ARGUMENT, "cell.nominal_capacity.value"},
      {"unknown unit 'furlong'", [&](auto* r) { cap(r)->set_unit("furlong"); },
       StatusCode::INVALID_ARGUMENT, "cell.nominal_capacity.unit"},
      {"capacity given in volts", [&](auto* r) { cap(r)->set_unit("V"); },
       StatusCode::INVALID_ARGUMENT, "cell.nominal_capacity.unit"},
      {"capacity without unit", [&](auto* r) { cap(r)->clear_unit(); },
       StatusCode::INVALID_ARGUMENT, "cell.nominal_capacity.unit"},
      {"form factor missing",
       [](auto* r) { r->mutable_sample()->mutable_cell()->set_form_factor(v1::FORM_FACTOR_UNSPECIFIED); },
       StatusCode::INVALID_ARGUMENT, "cell.form_factor"},
      {"enum value out of range (99)",
       [](auto* r) { r->mutable_sample()->mutable_cell()->set_form_factor(static_cast<v1::FormFactor>(99)); },
       StatusCode::INVALID_ARGUMENT, "cell.form_factor"},
      {"dangling derived_from",
       [](auto* r) { r->mutable_sample()->set_derived_from(0, "institutions/nrc/samples/nope"); },
       StatusCode::INVALID_ARGUMENT, "derived_from[0]"},
      {"malformed derived_from name",
       [](auto* r) { r->mutable_sample()->set_derived_from(0, "lot-1"); },
       StatusCode::INVALID_ARGUMENT, "derived_from[0]"},
      {"electrode reference to a lot",
       [](auto* r) {
         r->mutable_sample()->mutable_cell()->set_positive_electrode("institutions/nrc/samples/lot-1");
       },
       StatusCode::INVALID_ARGUMENT, "cell.positive_electrode"},
      {"self reference",
       [](auto* r) {
         r->set_sample_id("self");
         r->mutable_sample()->add_derived_from("institutions/nrc/samples/self");
       },
       StatusCode::INVALID_ARGUMENT, "derived_from[1]"},
      {"label key with upper case",
       [](auto* r) { (*r->mutable_sample()->mutable_labels())["Project"] = "x"; },
       StatusCode::INVALID_ARGUMENT, "labels.Project"},
      {"visibility AGREEMENT without an agreement",
       [](auto* r) { r->mutable_sample()->mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT); },
       StatusCode::INVALID_ARGUMENT, "access.agreements"},
      {"an agreement the hub does not have",
       [](auto* r) {
         r->mutable_sample()->mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
         r->mutable_sample()->mutable_access()->add_agreements("agreements/none");
       },
       StatusCode::INVALID_ARGUMENT, "access.agreements[0]"},
      {"a grant to an institution outside the consortium",
       [](auto* r) {
         auto* g = r->mutable_sample()->mutable_access()->add_grants();
         g->set_institution("institutions/mit");
         g->set_tier(v1::TIER_FULL);
       },
       StatusCode::INVALID_ARGUMENT, "access.grants[0].institution"},
      {"a grant without a tier",
       [](auto* r) {
         r->mutable_sample()->mutable_access()->add_grants()->set_institution("institutions/aist");
       },
       StatusCode::INVALID_ARGUMENT, "access.grants[0].tier"},
      {"a restricted field that does not exist",
       [](auto* r) { r->mutable_sample()->mutable_access()->add_restricted_fields("cell.colour"); },
       StatusCode::INVALID_ARGUMENT, "access.restricted_fields[0]"},
      {"a release narrower than the visibility",
       [](auto* r) {
         r->mutable_sample()->mutable_access()->set_visibility(v1::VISIBILITY_PUBLIC);
         r->mutable_sample()->mutable_access()->mutable_release()->set_visibility(
             v1::VISIBILITY_CONSORTIUM);
       },
       StatusCode::INVALID_ARGUMENT, "access.release.visibility"},
      {"control character in display_name",
       [](auto* r) { r->mutable_sample()->set_display_name("cell\x07"); },
       StatusCode::INVALID_ARGUMENT, "display_name"},
      {"raw file SHA-256 of 3 characters",
       [](auto* r) { r->mutable_sample()->mutable_provenance()->mutable_source()->set_file_sha256("abc"); },
       StatusCode::INVALID_ARGUMENT, "provenance.source.file_sha256"},
      {"negative raw file size",
       [](auto* r) { r->mutable_sample()->mutable_provenance()->mutable_source()->set_file_size_bytes(-1); },
       StatusCode::INVALID_ARGUMENT, "provenance.source.file_size_bytes"},
      {"composition not summing to 1",
       [](auto* r) {
         auto* lot = r->mutable_sample()->mutable_material_lot();
         r->mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
         lot->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
         lot->set_material("Ni(OH)2");
         auto* c = lot->add_composition();
         c->set_species("Ni");
         c->set_mass_fraction(0.63);
       },
       StatusCode::INVALID_ARGUMENT, "material_lot.composition"},
      {"country code 'XX'",
       [](auto* r) {
         r->mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
         auto* lot = r->mutable_sample()->mutable_material_lot();
         lot->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
         lot->set_material("Ni(OH)2");
         lot->mutable_origin()->set_country("XX");
       },
       StatusCode::INVALID_ARGUMENT, "material_lot.origin.country"},
      {"recycled content 25 (a percentage, not a fraction)",
       [](auto* r) {
         r->mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
         auto* lot = r->mutable_sample()->mutable_material_lot();
         lot->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
         lot->set_material("Ni(OH)2");
         lot->mutable_origin()->set_recycled_content_fraction(25);
       },
       StatusCode::INVALID_ARGUMENT, "material_lot.origin.recycled_content_fraction"},
      {"parent of another institution", [](auto* r) { r->set_parent("institutions/aist"); },
       StatusCode::PERMISSION_DENIED, ""},
      {"parent malformed", [](auto* r) { r->set_parent("nrc"); }, StatusCode::INVALID_ARGUMENT,
       "parent"},
      {"message over the 4 MiB limit",
       [](auto* r) { r->mutable_sample()->set_description(std::string(5 << 20, 'x')); },
       StatusCode::RESOURCE_EXHAUSTED, ""},
      {"description over 10000 bytes",
       [](auto* r) { r->mutable_sample()->set_description(std::string(10001, 'x')); },
       StatusCode::INVALID_ARGUMENT, "description"},
  };
  std::printf("| input | code | field: message |\n|---|---|---|\n");
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    v1::CreateSampleRequest req = GoodCell();
    req.set_sample_id("cell-" + std::to_string(100 + i));
    c.mutate(&req);
    v1::Sample out;
    grpc::Status s = nrc->CreateSample(req, &out);
    EXPECT_EQ(s.error_code(), c.code) << c.what << ": " << s.error_message();
    client::ErrorDetails details = client::ParseErrorDetails(s);
    if (*c.field) {
      bool named = false;
      for (const auto& [field, description] : details.field_violations) named |= field == c.field;
      EXPECT_TRUE(named) << c.what << ": expected a violation of " << c.field << ", got "
                         << s.error_message();
    }
    std::string shown = s.error_message();
    if (shown.size() > 160) shown = shown.substr(0, 157) + "...";
    std::printf("| %s | %d | %s |\n", c.what, static_cast<int>(s.error_code()), shown.c_str());
  }
  EXPECT_EQ(hub_->store()->LastSequence(), sequence) << "a bad input stored something";
}

TEST_F(BadInputTest, BadUpdatesStoreNothing) {
  auto nrc = Client("nrc-submitter");
  v1::Sample cell;
  v1::CreateSampleRequest create = GoodCell();
  create.mutable_sample()->clear_derived_from();
  ASSERT_TRUE(nrc->CreateSample(create, &cell).ok());
  const uint64_t sequence = hub_->store()->LastSequence();
  v1::UpdateSampleRequest update;
  *update.mutable_sample() = cell;
  update.mutable_update_mask()->add_paths("no_such_field");
  v1::Sample out;
  EXPECT_EQ(nrc->UpdateSample(update, &out).error_code(), StatusCode::INVALID_ARGUMENT);
  update.mutable_update_mask()->Clear();
  update.mutable_sample()->mutable_cell()->mutable_nominal_capacity()->set_unit("C");
  grpc::Status s = nrc->UpdateSample(update, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(client::ParseErrorDetails(s).field_violations.at(0).first, "cell.nominal_capacity.unit");
  update.mutable_sample()->set_name("institutions/nrc/samples/BAD");
  EXPECT_EQ(nrc->UpdateSample(update, &out).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hub_->store()->LastSequence(), sequence);
  v1::Sample still;
  ASSERT_TRUE(nrc->GetSample(cell.name(), &still).ok());
  EXPECT_EQ(still.revision_id(), "1");
}

}  // namespace
}  // namespace batteryhub::testing
