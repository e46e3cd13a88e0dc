#include "core/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/field_checks.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

constexpr double kCompositionTolerance = 0.01;

template <typename Record>
void CheckCommon(const Record& r, Violations* v) {
  CheckText(r.display_name(), 200, false, "display_name", v);
  CheckText(r.description(), 10000, false, "description", v);
  CheckLabels(r.labels(), v);
  CheckProvenanceInput(r.provenance(), v);
}

void CheckComposition(const google::protobuf::RepeatedPtrField<v1::Component>& composition,
                      const std::string& path, Violations* v) {
  if (composition.empty()) return;
  double sum = 0;
  std::set<std::string> seen;
  for (int i = 0; i < composition.size(); ++i) {
    const std::string p = absl::StrCat(path, "[", i, "]");
    CheckText(composition[i].species(), 50, true, p + ".species", v);
    if (!seen.insert(composition[i].species()).second) {
      v->Add(p + ".species", absl::StrCat("'", composition[i].species(), "' appears twice"));
    }
    CheckFraction(composition[i].mass_fraction(), p + ".mass_fraction", v);
    sum += composition[i].mass_fraction();
  }
  if (std::isfinite(sum) && std::fabs(sum - 1.0) > kCompositionTolerance) {
    v->Add(path, absl::StrCat("mass fractions sum to ", sum, ", expected 1 within ",
                              kCompositionTolerance));
  }
}

void CheckMaterialLot(v1::MaterialLot* lot, Violations* v) {
  CheckEnum(lot->material_class(), v1::MaterialClass_IsValid(lot->material_class()),
            "MATERIAL_CLASS_CATHODE_ACTIVE", "material_lot.material_class", v);
  CheckText(lot->material(), 200, true, "material_lot.material", v);
  CheckText(lot->formula(), 200, false, "material_lot.formula", v);
  CheckText(lot->lot_number(), 100, false, "material_lot.lot_number", v);
  CheckComposition(lot->composition(), "material_lot.composition", v);
  const v1::Origin& origin = lot->origin();
  CheckText(origin.mineral(), 100, false, "material_lot.origin.mineral", v);
  CheckCountry(origin.country(), "material_lot.origin.country", v);
  CheckText(origin.mine_or_refiner(), 200, false, "material_lot.origin.mine_or_refiner", v);
  CheckFraction(origin.recycled_content_fraction(),
                "material_lot.origin.recycled_content_fraction", v);
  CheckText(origin.supplier(), 200, false, "material_lot.origin.supplier", v);
}

void CheckElectrode(v1::Electrode* e, Violations* v) {
  CheckEnum(e->polarity(), v1::ElectrodePolarity_IsValid(e->polarity()),
            "ELECTRODE_POLARITY_POSITIVE", "electrode.polarity", v);
  CheckFraction(e->active_material_fraction(), "electrode.active_material_fraction", v);
  CheckQuantity(e->mutable_mass_loading(), e->has_mass_loading(), Dimension::kArealMass,
                {0, 1, true}, false, "electrode.mass_loading", v);
  CheckQuantity(e->mutable_thickness(), e->has_thickness(), Dimension::kLength, {0, 0.01, true},
                false, "electrode.thickness", v);
  CheckFraction(e->porosity(), "electrode.porosity", v);
  CheckText(e->current_collector(), 200, false, "electrode.current_collector", v);
  CheckText(e->binder(), 200, false, "electrode.binder", v);
}

void CheckCellSpec(v1::CellSpec* c, const std::string& path, Violations* v) {
  CheckEnum(c->form_factor(), v1::FormFactor_IsValid(c->form_factor()), "FORM_FACTOR_COIN",
            path + ".form_factor", v);
  CheckText(c->format(), 100, false, path + ".format", v);
  CheckText(c->chemistry(), 200, true, path + ".chemistry", v);
  CheckQuantity(c->mutable_nominal_capacity(), c->has_nominal_capacity(), Dimension::kCharge,
                {0, 10000, true}, true, path + ".nominal_capacity", v);
  CheckQuantity(c->mutable_nominal_voltage(), c->has_nominal_voltage(), Dimension::kVoltage,
                {0, 1000, true}, false, path + ".nominal_voltage", v);
  CheckReference(c->positive_electrode(), "samples", false, path + ".positive_electrode", v);
  CheckReference(c->negative_electrode(), "samples", false, path + ".negative_electrode", v);
  CheckText(c->electrolyte(), 500, false, path + ".electrolyte", v);
  CheckText(c->separator(), 200, false, path + ".separator", v);
  CheckText(c->manufacturer(), 200, false, path + ".manufacturer", v);
}

void CheckDerivedFrom(const v1::Sample& s, Violations* v) {
  if (s.derived_from_size() > 100) v->Add("derived_from", "at most 100 parents allowed");
  std::set<std::string> seen;
  for (int i = 0; i < s.derived_from_size(); ++i) {
    const std::string path = absl::StrCat("derived_from[", i, "]");
    CheckReference(s.derived_from(i), "samples", true, path, v);
    if (!seen.insert(s.derived_from(i)).second) v->Add(path, "appears twice");
  }
}

// A quantity of any known unit, converted; temperatures not below absolute zero.
void CheckAnyQuantity(v1::Quantity* q, const std::string& path, Violations* v) {
  if (!NormalizeAnyQuantity(q, path, v)) return;
  if (q->unit() == CanonicalUnit(Dimension::kTemperature) && q->value() < -273.15) {
    v->Add(path + ".value", "is below absolute zero");
  }
}

void CheckConditions(v1::Characterization* c, Violations* v) {
  for (int i = 0; i < c->conditions_size(); ++i) {
    v1::Condition* cond = c->mutable_conditions(i);
    const std::string p = absl::StrCat("conditions[", i, "]");
    CheckText(cond->name(), 100, true, p + ".name", v);
    switch (cond->value_case()) {
      case v1::Condition::kQuantity: CheckAnyQuantity(cond->mutable_quantity(), p + ".quantity", v); break;
      case v1::Condition::kText: CheckText(cond->text(), 500, true, p + ".text", v); break;
      default: v->Add(p, "needs a quantity or a text value");
    }
  }
}

void CheckResults(v1::Characterization* c, Violations* v) {
  if (c->results_size() > 1000) v->Add("results", "at most 1000 results allowed");
  for (int i = 0; i < c->results_size(); ++i) {
    v1::ScalarResult* r = c->mutable_results(i);
    const std::string p = absl::StrCat("results[", i, "]");
    CheckText(r->name(), 100, true, p + ".name", v);
    CheckText(r->method(), 500, false, p + ".method", v);
    if (!r->has_value()) {
      v->Add(p + ".value", "is required");
      continue;
    }
    std::optional<UnitInfo> unit = LookupUnit(r->value().unit());
    CheckAnyQuantity(r->mutable_value(), p + ".value", v);
    if (!r->has_uncertainty() || !unit) continue;
    std::optional<UnitInfo> u = LookupUnit(r->uncertainty().unit());
    if (!u || u->dimension != unit->dimension) {
      v->Add(p + ".uncertainty.unit", "must have the dimension of value");
    } else if (!std::isfinite(r->uncertainty().value()) || r->uncertainty().value() < 0) {
      v->Add(p + ".uncertainty.value", "must be a finite number >= 0");
    } else {
      // An uncertainty is a difference: scale only, no offset.
      r->mutable_uncertainty()->set_value(ToCanonical(UnitInfo{u->dimension, u->scale, 0}, r->uncertainty().value()));
      r->mutable_uncertainty()->set_unit(std::string(CanonicalUnit(u->dimension)));
    }
  }
}

void CheckCurveAxis(google::protobuf::RepeatedField<double>* values, std::string* unit,
                    const std::string& path, Violations* v) {
  std::optional<UnitInfo> info = LookupUnit(*unit);
  if (!info) {
    v->Add(path + "_unit", absl::StrCat("unknown unit '", *unit, "'"));
    return;
  }
  for (int k = 0; k < values->size(); ++k) {
    if (!std::isfinite(values->Get(k))) {
      v->Add(absl::StrCat(path, "[", k, "]"), "must be a finite number");
      return;
    }
    values->Set(k, ToCanonical(*info, values->Get(k)));
  }
  *unit = std::string(CanonicalUnit(info->dimension));
}

void CheckCurves(v1::Characterization* c, Violations* v) {
  if (c->curves_size() > 100) v->Add("curves", "at most 100 curves allowed");
  for (int i = 0; i < c->curves_size(); ++i) {
    v1::Curve* curve = c->mutable_curves(i);
    const std::string p = absl::StrCat("curves[", i, "]");
    CheckText(curve->name(), 100, true, p + ".name", v);
    if (curve->x_size() != curve->y_size()) {
      v->Add(p + ".y", absl::StrCat("has ", curve->y_size(), " points but x has ", curve->x_size()));
    }
    if (curve->x_size() == 0) v->Add(p + ".x", "needs at least one point");
    CheckCurveAxis(curve->mutable_x(), curve->mutable_x_unit(), p + ".x", v);
    CheckCurveAxis(curve->mutable_y(), curve->mutable_y_unit(), p + ".y", v);
  }
}

void CheckAttachments(const v1::Characterization& c, Violations* v) {
  for (int i = 0; i < c.attachments_size(); ++i) {
    const v1::Attachment& a = c.attachments(i);
    const std::string p = absl::StrCat("attachments[", i, "]");
    CheckText(a.file_name(), 500, true, p + ".file_name", v);
    CheckText(a.media_type(), 100, false, p + ".media_type", v);
    CheckSha256(a.sha256(), true, p + ".sha256", v);
    if (a.size_bytes() < 0) v->Add(p + ".size_bytes", "must be >= 0");
    CheckText(a.description(), 1000, false, p + ".description", v);
  }
}

void CheckProtocol(v1::Protocol* p, Violations* v) {
  CheckText(p->name(), 200, false, "protocol.name", v);
  CheckQuantity(p->mutable_temperature(), p->has_temperature(), Dimension::kTemperature,
                {-100, 200}, true, "protocol.temperature", v);
  CheckNumber(p->charge_c_rate(), {0, 100}, "protocol.charge_c_rate", v);
  CheckNumber(p->discharge_c_rate(), {0, 100}, "protocol.discharge_c_rate", v);
  if (!v1::ChargeMode_IsValid(p->charge_mode())) {
    v->Add("protocol.charge_mode", "unknown charge mode");
  }
  CheckQuantity(p->mutable_lower_voltage_limit(), p->has_lower_voltage_limit(),
                Dimension::kVoltage, {-10, 1000}, false, "protocol.lower_voltage_limit", v);
  CheckQuantity(p->mutable_upper_voltage_limit(), p->has_upper_voltage_limit(),
                Dimension::kVoltage, {-10, 1000}, false, "protocol.upper_voltage_limit", v);
  if (p->has_lower_voltage_limit() && p->has_upper_voltage_limit() &&
      p->lower_voltage_limit().unit() == "V" && p->upper_voltage_limit().unit() == "V" &&
      p->lower_voltage_limit().value() >= p->upper_voltage_limit().value()) {
    v->Add("protocol.lower_voltage_limit", "must be below protocol.upper_voltage_limit");
  }
  if (p->target_cycles() < 0) v->Add("protocol.target_cycles", "must be >= 0");
  CheckText(p->description(), 2000, false, "protocol.description", v);
}

}  // namespace

absl::Status ValidateSample(v1::Sample* s) {
  Violations v;
  CheckCommon(*s, &v);
  CheckDerivedFrom(*s, &v);
  switch (s->kind()) {
    case v1::SAMPLE_KIND_MATERIAL_LOT:
      if (!s->has_material_lot()) v.Add("material_lot", "is required for a material lot");
      else CheckMaterialLot(s->mutable_material_lot(), &v);
      break;
    case v1::SAMPLE_KIND_ELECTRODE:
      if (!s->has_electrode()) v.Add("electrode", "is required for an electrode");
      else CheckElectrode(s->mutable_electrode(), &v);
      break;
    case v1::SAMPLE_KIND_CELL:
      if (!s->has_cell()) v.Add("cell", "is required for a cell");
      else CheckCellSpec(s->mutable_cell(), "cell", &v);
      break;
    default:
      v.Add("kind", "is required: SAMPLE_KIND_MATERIAL_LOT, SAMPLE_KIND_ELECTRODE or "
                    "SAMPLE_KIND_CELL");
  }
  return v.ToStatus("sample");
}

absl::Status ValidateCharacterization(v1::Characterization* c) {
  Violations v;
  CheckCommon(*c, &v);
  CheckReference(c->sample(), "samples", true, "sample", &v);
  CheckEnum(c->technique(), v1::Technique_IsValid(c->technique()), "TECHNIQUE_XRD", "technique",
            &v);
  CheckConditions(c, &v);
  CheckResults(c, &v);
  CheckCurves(c, &v);
  CheckAttachments(*c, &v);
  return v.ToStatus("characterization");
}

absl::Status ValidateCellTest(v1::CellTest* t) {
  Violations v;
  CheckCommon(*t, &v);
  CheckReference(t->cell_sample(), "samples", false, "cell_sample", &v);
  if (!t->has_cell()) v.Add("cell", "is required: chemistry, form factor, nominal capacity");
  else CheckCellSpec(t->mutable_cell(), "cell", &v);
  if (!t->has_protocol()) v.Add("protocol", "is required: at least its temperature");
  else CheckProtocol(t->mutable_protocol(), &v);
  CheckText(t->cycler().vendor(), 100, false, "cycler.vendor", &v);
  CheckText(t->cycler().model(), 100, false, "cycler.model", &v);
  CheckText(t->cycler().channel(), 50, false, "cycler.channel", &v);
  CheckText(t->cycler().serial_number(), 100, false, "cycler.serial_number", &v);
  if (!v1::CellTestState_IsValid(t->state())) v.Add("state", "unknown state");
  if (t->has_start_time() && t->has_end_time() &&
      t->end_time().seconds() < t->start_time().seconds()) {
    v.Add("end_time", "is before start_time");
  }
  return v.ToStatus("cell test");
}

}  // namespace batteryhub
