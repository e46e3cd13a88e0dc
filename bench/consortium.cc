#include "bench/consortium.h"

#include <cmath>
#include <map>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace batteryhub::bench {
namespace {

template <typename T>
struct Weighted {
  T value;
  double weight;
};

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<Weighted<T>>& choices) {
  double total = 0;
  for (const auto& c : choices) total += c.weight;
  double x = std::uniform_real_distribution<double>(0, total)(rng);
  for (const auto& c : choices) {
    if ((x -= c.weight) < 0) return c.value;
  }
  return choices.back().value;
}

const std::vector<Weighted<std::string>> kInstitutions = {
    {"aist", 0.30}, {"nedo", 0.15}, {"libtec", 0.20}, {"nrc", 0.35}};
const std::vector<Weighted<v1::Visibility>> kVisibility = {
    {v1::VISIBILITY_CONSORTIUM, 0.6}, {v1::VISIBILITY_PRIVATE, 0.3}, {v1::VISIBILITY_PUBLIC, 0.1}};
const std::vector<Weighted<std::string>> kProjects = {
    {"jp-ca-ssb", 0.3}, {"nedo-li-ion-next", 0.25}, {"nrc-recycling", 0.2},
    {"libtec-ssb", 0.15}, {"aist-sodium", 0.1}};
const std::vector<Weighted<std::string>> kCountries = {
    {"CA", 0.25}, {"JP", 0.2}, {"AU", 0.15}, {"CL", 0.1}, {"ID", 0.1},
    {"CN", 0.1},  {"CD", 0.05}, {"US", 0.05}};
const std::vector<Weighted<std::string>> kChemistries = {
    {"NMC811/graphite", 0.3}, {"LFP/graphite", 0.3}, {"NMC622/graphite", 0.15},
    {"NCA/Si-C", 0.1},        {"LMFP/graphite", 0.1}, {"LNMO/LTO", 0.05}};
const std::vector<Weighted<v1::FormFactor>> kFormFactors = {
    {v1::FORM_FACTOR_COIN, 0.5}, {v1::FORM_FACTOR_POUCH, 0.25}, {v1::FORM_FACTOR_CYLINDRICAL, 0.15},
    {v1::FORM_FACTOR_PRISMATIC, 0.05}, {v1::FORM_FACTOR_THREE_ELECTRODE, 0.05}};
const std::vector<Weighted<double>> kTemperatures = {
    {25, 0.6}, {45, 0.2}, {0, 0.05}, {-10, 0.05}, {60, 0.05}, {35, 0.05}};
const std::vector<Weighted<double>> kCRates = {
    {0.1, 0.1}, {0.2, 0.1}, {0.5, 0.3}, {1, 0.3}, {2, 0.15}, {3, 0.05}};
const std::vector<Weighted<v1::Technique>> kTechniques = {
    {v1::TECHNIQUE_XRD, 0.25}, {v1::TECHNIQUE_PSD, 0.15}, {v1::TECHNIQUE_BET, 0.1},
    {v1::TECHNIQUE_ICP_OES, 0.1}, {v1::TECHNIQUE_SEM, 0.1}, {v1::TECHNIQUE_EIS, 0.15},
    {v1::TECHNIQUE_HALF_CELL, 0.1}, {v1::TECHNIQUE_XPS, 0.05}};

struct LotKind {
  v1::MaterialClass material_class;
  std::vector<Weighted<std::string>> materials;
  std::string mineral;
};
const std::vector<Weighted<LotKind>> kLots = {
    {{v1::MATERIAL_CLASS_CATHODE_ACTIVE,
      {{"NMC811", 0.3}, {"LFP", 0.3}, {"NMC622", 0.15}, {"NCA", 0.1}, {"LMFP", 0.1}, {"LNMO", 0.05}},
      "nickel"}, 0.35},
    {{v1::MATERIAL_CLASS_ANODE_ACTIVE, {{"graphite", 0.6}, {"Si-C", 0.3}, {"LTO", 0.1}}, "graphite"},
     0.2},
    {{v1::MATERIAL_CLASS_PRECURSOR, {{"NiSO4", 0.5}, {"Li2CO3", 0.3}, {"CoSO4", 0.2}}, "lithium"}, 0.15},
    {{v1::MATERIAL_CLASS_MINERAL_CONCENTRATE, {{"spodumene", 0.6}, {"nickel laterite", 0.4}}, "lithium"},
     0.1},
    {{v1::MATERIAL_CLASS_RECYCLED_BLACK_MASS, {{"black mass", 1}}, "nickel"}, 0.05},
    {{v1::MATERIAL_CLASS_ELECTROLYTE, {{"LiPF6 in EC/EMC", 1}}, "lithium"}, 0.05},
    {{v1::MATERIAL_CLASS_BINDER, {{"PVDF", 0.7}, {"CMC/SBR", 0.3}}, ""}, 0.1},
};

void SetQuantity(v1::Quantity* q, double value, const char* unit) {
  q->set_value(value);
  q->set_unit(unit);
}

class Generator {
 public:
  Generator(const ConsortiumSize& size, uint64_t seed) : size_(size), rng_(seed) {}

  std::vector<GeneratedRecord> Run() {
    // The lineage tree first, then the rest around it.
    AddLot("nrc", "lot-l7", kLots[0].value, "NMC811", "CA", v1::VISIBILITY_CONSORTIUM);
    std::vector<std::string> tree_electrodes, tree_cells;
    for (int e = 0; e < 10; ++e) {
      tree_electrodes.push_back(AddElectrode("nrc", absl::StrFormat("el-l7-%02d", e), kLineageRoot,
                                             v1::ELECTRODE_POLARITY_POSITIVE, v1::VISIBILITY_CONSORTIUM));
    }
    for (int c = 0; c < 200; ++c) {
      tree_cells.push_back(AddCell("nrc", absl::StrFormat("cell-l7-%03d", c), tree_electrodes[c % 10], "",
                                   v1::VISIBILITY_CONSORTIUM));
    }
    for (int t = 0; t < 790; ++t) {
      const int cell = t < 760 ? t / 4 : 190 + (t - 760) / 3;
      AddCellTest("nrc", absl::StrFormat("t-l7-%03d", t), cell_index_.at(tree_cells[cell]),
                  v1::VISIBILITY_CONSORTIUM);
    }
    const int remaining_samples = size_.samples - 211;
    const int lots = remaining_samples / 5, electrodes = remaining_samples * 3 / 10;
    const int cells = remaining_samples - lots - electrodes;
    for (int i = 0; i < lots; ++i) {
      const LotKind& kind = Pick(rng_, kLots);
      AddLot(Pick(rng_, kInstitutions), absl::StrFormat("lot-%06d", i), kind,
             Pick(rng_, kind.materials), Pick(rng_, kCountries), Pick(rng_, kVisibility));
    }
    for (int i = 0; i < electrodes; ++i) {
      const bool positive = i % 2 == 0;
      const std::vector<std::string>& from = positive ? cathode_lots_ : anode_lots_;
      electrodes_[positive].push_back(AddElectrode(
          Pick(rng_, kInstitutions), absl::StrFormat("el-%06d", i), from[Index(from.size())],
          positive ? v1::ELECTRODE_POLARITY_POSITIVE : v1::ELECTRODE_POLARITY_NEGATIVE,
          Pick(rng_, kVisibility)));
    }
    for (int i = 0; i < cells; ++i) {
      AddCell(Pick(rng_, kInstitutions), absl::StrFormat("cell-%06d", i),
              electrodes_[1][Index(electrodes_[1].size())],
              electrodes_[0][Index(electrodes_[0].size())], Pick(rng_, kVisibility));
    }
    for (int i = 0; i < size_.characterizations; ++i) {
      AddCharacterization(Pick(rng_, kInstitutions), absl::StrFormat("c-%06d", i),
                          samples_[Index(samples_.size())], Pick(rng_, kVisibility));
    }
    for (int i = 0; i < size_.cell_tests - 790; ++i) {
      AddCellTest(Pick(rng_, kInstitutions), absl::StrFormat("t-%06d", i),
                  random_cells_[Index(random_cells_.size())], Pick(rng_, kVisibility));
    }
    return std::move(out_);
  }

 private:
  size_t Index(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  double Uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }

  template <typename R>
  void Common(R* r, const std::string& institution, v1::Visibility visibility) {
    r->mutable_access()->set_visibility(visibility);
    (*r->mutable_labels())["project"] = Pick(rng_, kProjects);
    (*r->mutable_labels())["campaign"] =
        absl::StrCat(2024 + Index(3), "q", 1 + Index(4));
    (void)institution;
  }

  static std::string Name(const std::string& institution, const char* collection,
                          const std::string& id) {
    return absl::StrCat("institutions/", institution, "/", collection, "/", id);
  }

  GeneratedRecord& Add(const std::string& institution, const std::string& id) {
    out_.emplace_back();
    out_.back().institution = institution;
    out_.back().id = id;
    return out_.back();
  }

  void AddLot(const std::string& institution, const std::string& id, const LotKind& kind,
              const std::string& material, const std::string& country, v1::Visibility visibility) {
    GeneratedRecord& g = Add(institution, id);
    g.sample = std::make_unique<v1::Sample>();
    v1::Sample& s = *g.sample;
    s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    auto* lot = s.mutable_material_lot();
    lot->set_material_class(kind.material_class);
    lot->set_material(material);
    lot->set_lot_number(absl::StrCat("L", 10000 + Index(90000)));
    lot->mutable_origin()->set_country(country);
    lot->mutable_origin()->set_mineral(kind.mineral);
    lot->mutable_origin()->set_recycled_content_fraction(std::round(Uniform(0, 0.3) * 100) / 100);
    lot->mutable_origin()->set_supplier(absl::StrCat("supplier-", Index(40)));
    Common(&s, institution, visibility);
    const std::string name = Name(institution, "samples", id);
    if (id == "lot-l7") return;
    samples_.push_back(name);
    if (kind.material_class == v1::MATERIAL_CLASS_CATHODE_ACTIVE) cathode_lots_.push_back(name);
    if (kind.material_class == v1::MATERIAL_CLASS_ANODE_ACTIVE) anode_lots_.push_back(name);
  }

  std::string AddElectrode(const std::string& institution, const std::string& id,
                           const std::string& lot, v1::ElectrodePolarity polarity,
                           v1::Visibility visibility) {
    GeneratedRecord& g = Add(institution, id);
    g.sample = std::make_unique<v1::Sample>();
    v1::Sample& s = *g.sample;
    s.set_kind(v1::SAMPLE_KIND_ELECTRODE);
    s.add_derived_from(lot);
    g.references.push_back(lot);
    s.mutable_electrode()->set_polarity(polarity);
    s.mutable_electrode()->set_active_material_fraction(std::round(Uniform(0.9, 0.97) * 100) / 100);
    SetQuantity(s.mutable_electrode()->mutable_mass_loading(), std::round(Uniform(8, 25) * 10) / 10,
                "mg/cm2");
    Common(&s, institution, visibility);
    const std::string name = Name(institution, "samples", id);
    if (id.rfind("el-l7", 0) != 0) samples_.push_back(name);
    return name;
  }

  std::string AddCell(const std::string& institution, const std::string& id,
                      const std::string& positive, const std::string& negative,
                      v1::Visibility visibility) {
    GeneratedRecord& g = Add(institution, id);
    g.sample = std::make_unique<v1::Sample>();
    v1::Sample& s = *g.sample;
    s.set_kind(v1::SAMPLE_KIND_CELL);
    auto* cell = s.mutable_cell();
    cell->set_form_factor(Pick(rng_, kFormFactors));
    cell->set_chemistry(Pick(rng_, kChemistries));
    const double capacity = cell->form_factor() == v1::FORM_FACTOR_COIN    ? 0.004
                            : cell->form_factor() == v1::FORM_FACTOR_POUCH ? 1.0 + Index(40) / 10.0
                                                                           : 2.5 + Index(50) / 10.0;
    SetQuantity(cell->mutable_nominal_capacity(), capacity, "Ah");
    cell->set_positive_electrode(positive);
    g.references.push_back(positive);
    if (!negative.empty()) {
      cell->set_negative_electrode(negative);
      g.references.push_back(negative);
    }
    Common(&s, institution, visibility);
    const std::string name = Name(institution, "samples", id);
    if (id.rfind("cell-l7", 0) != 0) samples_.push_back(name);
    cell_index_[name] = cell_specs_.size();
    cell_specs_.emplace_back(name, *cell);
    if (id.rfind("cell-l7", 0) != 0) random_cells_.push_back(cell_specs_.size() - 1);
    return name;
  }

  void AddCharacterization(const std::string& institution, const std::string& id,
                           const std::string& sample, v1::Visibility visibility) {
    GeneratedRecord& g = Add(institution, id);
    g.characterization = std::make_unique<v1::Characterization>();
    v1::Characterization& c = *g.characterization;
    c.set_technique(Pick(rng_, kTechniques));
    c.set_sample(sample);
    g.references.push_back(sample);
    auto* result = c.add_results();
    result->set_name("d50");
    SetQuantity(result->mutable_value(), std::round(Uniform(2, 20) * 100) / 100, "um");
    Common(&c, institution, visibility);
  }

  void AddCellTest(const std::string& institution, const std::string& id, size_t cell,
                   v1::Visibility visibility) {
    GeneratedRecord& g = Add(institution, id);
    g.cell_test = std::make_unique<v1::CellTest>();
    v1::CellTest& t = *g.cell_test;
    const auto& [cell_name, spec] = cell_specs_[cell];
    t.set_cell_sample(cell_name);
    g.references.push_back(cell_name);
    *t.mutable_cell() = spec;
    t.mutable_cell()->clear_positive_electrode();
    t.mutable_cell()->clear_negative_electrode();
    SetQuantity(t.mutable_protocol()->mutable_temperature(), Pick(rng_, kTemperatures), "degC");
    t.mutable_protocol()->set_charge_c_rate(Pick(rng_, kCRates));
    t.mutable_protocol()->set_discharge_c_rate(Pick(rng_, kCRates));
    t.mutable_protocol()->set_charge_mode(v1::CHARGE_MODE_CCCV);
    const double r = Uniform(0, 1);
    t.set_state(r < 0.7 ? v1::CELL_TEST_STATE_COMPLETED
                        : r < 0.9 ? v1::CELL_TEST_STATE_RUNNING
                                  : r < 0.95 ? v1::CELL_TEST_STATE_PLANNED
                                             : v1::CELL_TEST_STATE_ABORTED);
    if (t.state() == v1::CELL_TEST_STATE_COMPLETED || t.state() == v1::CELL_TEST_STATE_RUNNING) {
      // Cycle life: log-normal around a chemistry's typical life, shortened
      // by heat and by fast charging.
      const bool lfp = spec.chemistry().find("LFP") != std::string::npos;
      double life = (lfp ? 2000 : 700) * std::exp(std::normal_distribution<double>(0, 0.4)(rng_));
      life /= 1 + std::max(0.0, t.protocol().temperature().value() - 25) / 20;
      life /= 1 + std::max(0.0, t.protocol().charge_c_rate() - 1) / 2;
      const int cycles = static_cast<int>(std::round(life * Uniform(0.6, 1.4)));
      auto* summary = t.mutable_summary();
      summary->set_cycle_count(cycles);
      if (cycles >= life) summary->set_cycles_to_80_percent(static_cast<int>(std::round(life)));
      summary->set_capacity_retention(
          std::round(std::max(0.5, 1 - 0.2 * cycles / life) * 1000) / 1000);
      SetQuantity(summary->mutable_initial_discharge_capacity(), spec.nominal_capacity().value(),
                  "Ah");
      summary->set_derivation("batteryhub.coulomb-count/1");
    }
    Common(&t, institution, visibility);
  }

  ConsortiumSize size_;
  std::mt19937_64 rng_;
  std::vector<GeneratedRecord> out_;
  // Outside the lineage tree, which keeps exactly its 1000 descendants.
  std::vector<std::string> samples_, cathode_lots_, anode_lots_;
  std::vector<std::string> electrodes_[2];  // [0] negative, [1] positive
  std::vector<std::pair<std::string, v1::CellSpec>> cell_specs_;
  std::map<std::string, size_t> cell_index_;
  std::vector<size_t> random_cells_;
};

}  // namespace

std::vector<GeneratedRecord> GenerateConsortium(const ConsortiumSize& size, uint64_t seed) {
  return Generator(size, seed).Run();
}

}  // namespace batteryhub::bench
