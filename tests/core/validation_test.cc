#include "core/validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/errors.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

v1::Sample GoodLot() {
  v1::Sample s;
  s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  auto* lot = s.mutable_material_lot();
  lot->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
  lot->set_material("NMC811");
  auto* c1 = lot->add_composition();
  c1->set_species("Ni");
  c1->set_mass_fraction(0.6);
  auto* c2 = lot->add_composition();
  c2->set_species("O");
  c2->set_mass_fraction(0.4);
  lot->mutable_origin()->set_country("CA");
  lot->mutable_origin()->set_recycled_content_fraction(0.25);
  return s;
}

v1::CellTest GoodCellTest() {
  v1::CellTest t;
  auto* cell = t.mutable_cell();
  cell->set_form_factor(v1::FORM_FACTOR_COIN);
  cell->set_chemistry("NMC811/graphite");
  cell->mutable_nominal_capacity()->set_value(4.2);
  cell->mutable_nominal_capacity()->set_unit("mAh");
  auto* p = t.mutable_protocol();
  p->mutable_temperature()->set_value(298.15);
  p->mutable_temperature()->set_unit("K");
  p->mutable_lower_voltage_limit()->set_value(2800);
  p->mutable_lower_voltage_limit()->set_unit("mV");
  p->mutable_upper_voltage_limit()->set_value(4.2);
  p->mutable_upper_voltage_limit()->set_unit("V");
  return t;
}

// The fields named by the violations of `status`.
std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : ViolationsOf(status)) out.push_back(v.field);
  return out;
}

TEST(ValidationTest, GoodRecordsPassAndAreNormalised) {
  v1::Sample lot = GoodLot();
  EXPECT_TRUE(ValidateSample(&lot).ok());
  v1::CellTest t = GoodCellTest();
  ASSERT_TRUE(ValidateCellTest(&t).ok()) << ValidateCellTest(&t);
  EXPECT_EQ(t.cell().nominal_capacity().unit(), "Ah");
  EXPECT_EQ(t.cell().nominal_capacity().value(), 0.0042);
  EXPECT_EQ(t.protocol().temperature().unit(), "degC");
  EXPECT_EQ(t.protocol().temperature().value(), 25);
  EXPECT_EQ(t.protocol().lower_voltage_limit().value(), 2.8);
}

TEST(ValidationTest, EveryOffendingFieldIsNamed) {
  v1::CellTest t = GoodCellTest();
  t.mutable_cell()->mutable_nominal_capacity()->set_value(-1);
  t.mutable_protocol()->mutable_temperature()->set_unit("C");
  t.mutable_protocol()->set_charge_c_rate(std::numeric_limits<double>::quiet_NaN());
  (*t.mutable_labels())["Bad Key"] = "x";
  absl::Status s = ValidateCellTest(&t);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"labels.Bad Key", "cell.nominal_capacity.value",
                                                 "protocol.temperature.unit",
                                                 "protocol.charge_c_rate"}));
  EXPECT_EQ(ReasonOf(s), "INVALID_FIELD");
}

TEST(ValidationTest, SampleDomainRules) {
  struct Case {
    const char* field;
    void (*mutate)(v1::Sample*);
  } cases[] = {
      {"kind", [](v1::Sample* s) { s->set_kind(v1::SAMPLE_KIND_UNSPECIFIED); }},
      {"material_lot.composition",
       [](v1::Sample* s) { s->mutable_material_lot()->mutable_composition(0)->set_mass_fraction(0.7); }},
      {"material_lot.origin.country",
       [](v1::Sample* s) { s->mutable_material_lot()->mutable_origin()->set_country("XX"); }},
      {"material_lot.origin.recycled_content_fraction",
       [](v1::Sample* s) {
         s->mutable_material_lot()->mutable_origin()->set_recycled_content_fraction(25);
       }},
      {"material_lot.material", [](v1::Sample* s) { s->mutable_material_lot()->clear_material(); }},
      {"derived_from[0]", [](v1::Sample* s) { s->add_derived_from("samples/lot-1"); }},
      {"electrode", [](v1::Sample* s) { s->set_kind(v1::SAMPLE_KIND_ELECTRODE); }},
      {"provenance.source.file_sha256",
       [](v1::Sample* s) { s->mutable_provenance()->mutable_source()->set_file_sha256("abc"); }},
      {"display_name", [](v1::Sample* s) { s->set_display_name(std::string("a\x01", 2)); }},
      {"description", [](v1::Sample* s) { s->set_description(std::string("\xff\xfe", 2)); }},
  };
  for (const Case& c : cases) {
    v1::Sample s = GoodLot();
    c.mutate(&s);
    absl::Status status = ValidateSample(&s);
    ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    auto fields = Fields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << c.field << ": " << status;
  }
}

TEST(ValidationTest, CharacterizationResultsAndCurves) {
  v1::Characterization c;
  c.set_sample("institutions/nrc/samples/lot-1");
  c.set_technique(v1::TECHNIQUE_PSD);
  auto* d50 = c.add_results();
  d50->set_name("D50");
  d50->mutable_value()->set_value(11.2);
  d50->mutable_value()->set_unit("um");
  auto* curve = c.add_curves();
  curve->set_name("distribution");
  curve->set_x_unit("um");
  curve->set_y_unit("%");
  curve->add_x(1);
  curve->add_x(10);
  curve->add_y(50);
  curve->add_y(50);
  ASSERT_TRUE(ValidateCharacterization(&c).ok()) << ValidateCharacterization(&c);
  EXPECT_DOUBLE_EQ(c.results(0).value().value(), 11.2e-6);
  EXPECT_EQ(c.results(0).value().unit(), "m");
  EXPECT_DOUBLE_EQ(c.curves(0).y(0), 0.5);

  curve->add_x(100);  // now 3 x, 2 y
  d50->mutable_value()->set_unit("parsecs");
  auto* att = c.add_attachments();
  att->set_file_name("raw.csv");
  att->set_sha256("not-a-hash");
  absl::Status s = ValidateCharacterization(&c);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"results[0].value.unit", "curves[0].y",
                                                 "attachments[0].sha256"}));
}

TEST(ValidationTest, TemperatureBelowAbsoluteZeroAndInstrumentRange) {
  v1::CellTest t = GoodCellTest();
  t.mutable_protocol()->mutable_temperature()->set_value(-300);
  t.mutable_protocol()->mutable_temperature()->set_unit("degC");
  EXPECT_EQ(Fields(ValidateCellTest(&t)), std::vector<std::string>{"protocol.temperature.value"});
  t = GoodCellTest();
  t.mutable_protocol()->mutable_upper_voltage_limit()->set_value(2.0);
  EXPECT_EQ(Fields(ValidateCellTest(&t)),
            std::vector<std::string>{"protocol.lower_voltage_limit"});
}

}  // namespace
}  // namespace batteryhub
