// bhub demo load: a realistic consortium dataset, created through the API as
// each institute's own submitter (tokens issued by the admin running it).
// Idempotent: every create carries a fixed request_id, so a second run
// replays instead of duplicating.
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "clients/cli/characterization_upload.h"
#include "clients/cli/cli.h"
#include "clients/cli/demo_files.h"
#include "parsers/characterization.h"
#include "clients/cli/record_kinds.h"

namespace batteryhub::cli {
namespace {

struct Lot {
  const char* id;
  v1::MaterialClass material_class;
  const char* material;
  const char* formula;
  std::vector<std::pair<const char*, double>> composition;
  const char* mineral;
  const char* country;
  const char* refiner;
  double recycled;
  const char* supplier;
  v1::Visibility visibility;
};

struct Institute {
  const char* id;
  Lot cathode;
  Lot anode;
  const char* chemistry;
  double coin_mah;
  double pouch_ah;
  double temperature_c;
  const char* cycler_vendor;
  const char* cycler_model;
};

const std::vector<Institute>& Institutes() {
  static const std::vector<Institute> kInstitutes = {
      {"aist",
       {"nmc811-lot-a1", v1::MATERIAL_CLASS_CATHODE_ACTIVE, "NMC811", "LiNi0.8Mn0.1Co0.1O2",
        {{"Li", 0.0719}, {"Ni", 0.4866}, {"Mn", 0.0569}, {"Co", 0.0611}, {"O", 0.3235}},
        "nickel", "JP", "Niihama nickel refinery", 0.0, "confidential supplier A",
        v1::VISIBILITY_CONSORTIUM},
       {"graphite-lot-a1", v1::MATERIAL_CLASS_ANODE_ACTIVE, "artificial graphite", "C",
        {{"C", 1.0}}, "graphite", "JP", "synthetic (needle coke)", 0.0, "", v1::VISIBILITY_PUBLIC},
       "NMC811/graphite", 4.2, 1.0, 25, "Arbin", "LBT21084"},
      {"nedo",
       {"lfp-lot-n1", v1::MATERIAL_CLASS_CATHODE_ACTIVE, "LFP", "LiFePO4",
        {{"Li", 0.0440}, {"Fe", 0.3540}, {"P", 0.1963}, {"O", 0.4057}},
        "lithium", "AU", "Greenbushes spodumene, Kwinana hydroxide", 0.0, "confidential supplier B",
        v1::VISIBILITY_PRIVATE},
       {"graphite-lot-n1", v1::MATERIAL_CLASS_ANODE_ACTIVE, "natural spherical graphite", "C",
        {{"C", 1.0}}, "graphite", "MZ", "Balama", 0.0, "", v1::VISIBILITY_CONSORTIUM},
       "LFP/graphite", 3.5, 2.5, 45, "Maccor", "Series 4000"},
      {"libtec",
       {"nmc622-lot-l1", v1::MATERIAL_CLASS_CATHODE_ACTIVE, "NMC622", "LiNi0.6Mn0.2Co0.2O2",
        {{"Li", 0.0722}, {"Ni", 0.3664}, {"Mn", 0.1143}, {"Co", 0.1226}, {"O", 0.3245}},
        "cobalt", "CD", "Kolwezi, refined in Finland", 0.1, "confidential supplier C",
        v1::VISIBILITY_CONSORTIUM},
       {"si-graphite-lot-l1", v1::MATERIAL_CLASS_ANODE_ACTIVE, "SiOx/graphite blend", "SiOx-C",
        {{"C", 0.9}, {"Si", 0.06}, {"O", 0.04}}, "graphite", "CN", "Heilongjiang", 0.0, "",
        v1::VISIBILITY_PRIVATE},
       "NMC622/SiOx-graphite", 4.0, 5.0, 25, "BioLogic", "BCS-815"},
      {"nrc",
       {"nmc811-lot-c1", v1::MATERIAL_CLASS_CATHODE_ACTIVE, "NMC811", "LiNi0.8Mn0.1Co0.1O2",
        {{"Li", 0.0719}, {"Ni", 0.4866}, {"Mn", 0.0569}, {"Co", 0.0611}, {"O", 0.3235}},
        "nickel", "CA", "Sudbury basin smelter and refinery", 0.25, "confidential supplier D",
        v1::VISIBILITY_CONSORTIUM},
       {"graphite-lot-c1", v1::MATERIAL_CLASS_ANODE_ACTIVE, "natural flake graphite", "C",
        {{"C", 1.0}}, "graphite", "CA", "Lac-des-Iles", 0.0, "", v1::VISIBILITY_PUBLIC},
       "NMC811/graphite", 4.4, 2.0, 25, "Neware", "BTS4000"},
  };
  return kInstitutes;
}

v1::Quantity Q(double value, const char* unit) {
  v1::Quantity q;
  q.set_value(value);
  q.set_unit(unit);
  return q;
}

std::string Name(const Institute& in, const char* collection, const std::string& id) {
  return std::string("institutions/") + in.id + "/" + collection + "/" + id;
}

v1::Sample LotSample(const Lot& lot) {
  v1::Sample s;
  s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  s.set_display_name(std::string(lot.material) + " lot " + lot.id);
  auto* m = s.mutable_material_lot();
  m->set_material_class(lot.material_class);
  m->set_material(lot.material);
  m->set_formula(lot.formula);
  m->set_lot_number(lot.id);
  for (const auto& [species, fraction] : lot.composition) {
    auto* c = m->add_composition();
    c->set_species(species);
    c->set_mass_fraction(fraction);
  }
  auto* o = m->mutable_origin();
  o->set_mineral(lot.mineral);
  o->set_country(lot.country);
  o->set_mine_or_refiner(lot.refiner);
  o->set_recycled_content_fraction(lot.recycled);
  o->set_supplier(lot.supplier);
  s.mutable_access()->set_visibility(lot.visibility);
  (*s.mutable_labels())["project"] = "jp-ca-supply-chain";
  (*s.mutable_labels())["stage"] = "material";
  return s;
}

v1::Sample ElectrodeSample(const Institute& in, bool positive) {
  v1::Sample s;
  s.set_kind(v1::SAMPLE_KIND_ELECTRODE);
  s.add_derived_from(Name(in, "samples", positive ? in.cathode.id : in.anode.id));
  auto* e = s.mutable_electrode();
  e->set_polarity(positive ? v1::ELECTRODE_POLARITY_POSITIVE : v1::ELECTRODE_POLARITY_NEGATIVE);
  e->set_active_material_fraction(positive ? 0.94 : 0.96);
  *e->mutable_mass_loading() = Q(positive ? 18.5 : 10.2, "mg/cm2");
  *e->mutable_thickness() = Q(positive ? 62 : 75, "um");
  e->set_porosity(positive ? 0.30 : 0.35);
  e->set_current_collector(positive ? "Al foil 15 um" : "Cu foil 10 um");
  e->set_binder(positive ? "PVDF" : "CMC/SBR");
  s.mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
  (*s.mutable_labels())["project"] = "jp-ca-supply-chain";
  return s;
}

v1::CellSpec Cell(const Institute& in, bool coin) {
  v1::CellSpec c;
  c.set_form_factor(coin ? v1::FORM_FACTOR_COIN : v1::FORM_FACTOR_POUCH);
  c.set_format(coin ? "CR2032" : "single-layer pouch");
  c.set_chemistry(in.chemistry);
  *c.mutable_nominal_capacity() = coin ? Q(in.coin_mah, "mAh") : Q(in.pouch_ah, "Ah");
  *c.mutable_nominal_voltage() = Q(std::string(in.chemistry).rfind("LFP", 0) == 0 ? 3.2 : 3.6, "V");
  c.set_positive_electrode(Name(in, "samples", "pe-1"));
  c.set_negative_electrode(Name(in, "samples", "ne-1"));
  c.set_electrolyte("1 M LiPF6 in EC:EMC 3:7 (w/w) + 2 wt% VC");
  c.set_separator("Celgard 2325");
  return c;
}

v1::Sample CellSample(const Institute& in, bool coin) {
  v1::Sample s;
  s.set_kind(v1::SAMPLE_KIND_CELL);
  s.add_derived_from(Name(in, "samples", "pe-1"));
  s.add_derived_from(Name(in, "samples", "ne-1"));
  *s.mutable_cell() = Cell(in, coin);
  s.mutable_access()->set_visibility(coin ? v1::VISIBILITY_CONSORTIUM : v1::VISIBILITY_PRIVATE);
  (*s.mutable_labels())["project"] = "jp-ca-supply-chain";
  return s;
}

struct DemoCharacterization {
  std::string id;
  v1::Characterization record;
  std::optional<DemoFile> file;  // the instrument file it was read from
};

// The record an instrument file gives, through the readers an upload uses.
v1::Characterization FromFile(const DemoFile& f) {
  absl::StatusOr<parsers::ParsedCharacterization> parsed = parsers::ParseCharacterization(f.name, f.bytes);
  if (!parsed.ok()) {  // the demo's own files always read; say so loudly if not
    std::fprintf(stderr, "bhub: demo file %s: %s\n", f.name.c_str(), std::string(parsed.status().message()).c_str());
    return {};
  }
  return CharacterizationOf(*parsed, f.name, f.bytes);
}

std::vector<DemoCharacterization> Characterizations(const Institute& in, int index) {
  const std::string lot = Name(in, "samples", in.cathode.id);
  std::vector<DemoCharacterization> out;
  auto add = [&](const char* id, v1::Technique t, v1::Visibility vis, std::optional<DemoFile> file) {
    DemoCharacterization d{id, file ? FromFile(*file) : v1::Characterization{}, file};
    d.record.set_sample(lot);
    d.record.set_technique(t);
    d.record.mutable_access()->set_visibility(vis);
    (*d.record.mutable_labels())["project"] = "jp-ca-supply-chain";
    if (file) d.record.set_display_name(file->name);
    out.push_back(std::move(d));
    return &out.back().record;
  };
  // XRD, particle size and BET come from instrument files (a different XRD
  // layout at each institute); ICP as a lab would type its results in.
  add("xrd-cam-1", v1::TECHNIQUE_XRD, v1::VISIBILITY_PUBLIC, DemoXrdFile(in.cathode.id, index));
  add("psd-cam-1", v1::TECHNIQUE_PSD, v1::VISIBILITY_CONSORTIUM, DemoPsdFile(in.cathode.id, 9.5 + 1.5 * index));
  add("bet-cam-1", v1::TECHNIQUE_BET, v1::VISIBILITY_CONSORTIUM, DemoBetFile(in.cathode.id, 0.35 + 0.05 * index));
  v1::Characterization* icp = add("icp-cam-1", v1::TECHNIQUE_ICP_OES, v1::VISIBILITY_PRIVATE, std::nullopt);
  for (const auto& [species, fraction] : in.cathode.composition) {
    if (std::string(species) == "O") continue;
    auto* r = icp->add_results();
    r->set_name(species);
    *r->mutable_value() = Q(fraction * 100, "wt%");
  }
  return out;
}

v1::CellTest CellTest(const Institute& in, bool coin) {
  v1::CellTest t;
  t.set_display_name(std::string(coin ? "coin" : "pouch") + " cycle life, " + in.chemistry);
  t.set_cell_sample(Name(in, "samples", coin ? "cell-001" : "cell-002"));
  *t.mutable_cell() = Cell(in, coin);
  auto* p = t.mutable_protocol();
  p->set_name(coin ? "C/2 charge, 1C discharge cycle life" : "1C/1C cycle life");
  *p->mutable_temperature() = Q(coin ? in.temperature_c : in.temperature_c + 273.15, coin ? "degC" : "K");
  p->set_charge_c_rate(coin ? 0.5 : 1.0);
  p->set_discharge_c_rate(1.0);
  p->set_charge_mode(v1::CHARGE_MODE_CCCV);
  const bool lfp = std::string(in.chemistry).rfind("LFP", 0) == 0;
  *p->mutable_lower_voltage_limit() = Q(lfp ? 2.5 : 2.8, "V");
  *p->mutable_upper_voltage_limit() = Q(lfp ? 3650 : 4200, "mV");
  p->set_target_cycles(1000);
  auto* c = t.mutable_cycler();
  c->set_vendor(in.cycler_vendor);
  c->set_model(in.cycler_model);
  c->set_channel(coin ? "3" : "12");
  t.set_state(coin ? v1::CELL_TEST_STATE_COMPLETED : v1::CELL_TEST_STATE_RUNNING);
  t.mutable_access()->set_visibility(coin ? v1::VISIBILITY_CONSORTIUM : v1::VISIBILITY_PRIVATE);
  (*t.mutable_labels())["project"] = "jp-ca-supply-chain";
  return t;
}

// Creates one record unless it exists (from an earlier run), with a fixed
// request_id so that a retried create cannot apply twice.
template <typename K>
bool Create(HubClient& client, const Institute& in, const std::string& id,
            const typename K::Resource& body, int* created, int* existed) {
  typename K::Resource existing;
  if (K::Get(client, Name(in, K::kCollection, id), &existing).ok()) {
    ++*existed;
    return true;
  }
  typename K::CreateRequest req;
  req.set_parent(std::string("institutions/") + in.id);
  K::SetId(&req, id);
  *K::Body(&req) = body;
  req.set_request_id("demo-" + id);
  typename K::Resource out;
  grpc::Status s = K::Create(client, req, &out);
  if (s.ok()) {
    ++*created;
    std::printf("  %s\n", out.name().c_str());
    return true;
  }
  if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    ++*existed;
    return true;
  }
  ReportError(s);
  return false;
}

// A cycle-life series for a demo cell: 1C/1C cycling sampled every 30 s,
// capacity fading by `fade` per cycle, so every test has summaries to show.
v1::UploadHeader DemoSeries(const std::string& test, double capacity_ah, double fade,
                            std::vector<std::vector<double>>* columns) {
  const int cycles = 60, points = 120;  // 60 min charge + 60 min discharge at 1C
  columns->assign(5, {});
  double t = 0;
  for (int c = 1; c <= cycles; ++c) {
    const double cap = capacity_ah * (1 - fade * (c - 1));
    for (int k = 0; k < 2 * points; ++k, t += 30) {
      const bool charge = k < points;
      const double soc = charge ? static_cast<double>(k) / points : 1 - static_cast<double>(k - points) / points;
      const double v = 3.0 + 1.1 * soc + 0.08 * std::log1p(9 * soc) + (charge ? 0.05 : -0.05);
      (*columns)[0].push_back(t);
      (*columns)[1].push_back(std::round(v * 1e4) / 1e4);
      (*columns)[2].push_back(std::round((charge ? cap : -cap) * 1e5) / 1e5);
      (*columns)[3].push_back(c);
      (*columns)[4].push_back(std::round((25 + (charge ? 1.5 : 3.0) * soc) * 100) / 100);
    }
  }
  v1::UploadHeader h;
  h.set_cell_test(test);
  h.set_upload_id("demo-series");
  h.set_row_count(static_cast<int64_t>((*columns)[0].size()));
  for (const char* name : {"test_time_second", "voltage_volt", "current_ampere", "cycle_count",
                           "surface_temperature_celsius"}) {
    auto* col = h.add_columns();
    col->set_name(name);
    col->set_source_name(name);
  }
  return h;
}

}  // namespace

int RunDemo(Cli& cli, const Args& args) {
  if (args.positionals().size() != 2 || args.positionals()[1] != "load") {
    return UsageError("usage: bhub demo load   (with the hub's admin token)");
  }
  std::vector<std::unique_ptr<HubClient>> clients;
  for (const Institute& in : Institutes()) {
    v1::CreateTokenRequest req;
    req.set_parent(std::string("institutions/") + in.id);
    req.set_role(v1::ROLE_SUBMITTER);
    req.set_principal_id("demo-loader");
    // One demo loader per institute: the token of an earlier load goes.
    v1::ListTokensResponse listed;
    grpc::Status s = cli.client->ListTokens(req.parent(), &listed);
    if (!s.ok()) return ReportError(s);
    for (const v1::Token& old : listed.tokens()) {
      if (old.principal() == req.parent() + "/principals/demo-loader") {
        s = cli.client->DeleteToken(old.name());
        if (!s.ok()) return ReportError(s);
      }
    }
    v1::Token token;
    s = cli.client->CreateToken(req, &token);
    if (!s.ok()) return ReportError(s);
    client::ClientOptions options = cli.options;
    options.token = token.secret();
    clients.push_back(std::make_unique<HubClient>(options));
  }
  int created = 0, existed = 0;
  bool ok = true;
  const auto& ins = Institutes();
  std::printf("material lots, electrodes and cells:\n");
  for (size_t i = 0; i < ins.size(); ++i) {
    ok = ok && Create<SampleKind>(*clients[i], ins[i], ins[i].cathode.id, LotSample(ins[i].cathode), &created, &existed);
    ok = ok && Create<SampleKind>(*clients[i], ins[i], ins[i].anode.id, LotSample(ins[i].anode), &created, &existed);
    ok = ok && Create<SampleKind>(*clients[i], ins[i], "pe-1", ElectrodeSample(ins[i], true), &created, &existed);
    ok = ok && Create<SampleKind>(*clients[i], ins[i], "ne-1", ElectrodeSample(ins[i], false), &created, &existed);
    ok = ok && Create<SampleKind>(*clients[i], ins[i], "cell-001", CellSample(ins[i], true), &created, &existed);
    ok = ok && Create<SampleKind>(*clients[i], ins[i], "cell-002", CellSample(ins[i], false), &created, &existed);
  }
  std::printf("characterisations:\n");
  for (size_t i = 0; i < ins.size(); ++i) {
    for (const DemoCharacterization& c : Characterizations(ins[i], static_cast<int>(i))) {
      ok = ok && Create<CharacterizationKind>(*clients[i], ins[i], c.id, c.record, &created, &existed);
      if (!ok || !c.file) continue;
      // The instrument file beside the record (again on a rerun: the hub keeps one copy).
      v1::SourceFile header, stored;
      header.set_file_name(c.file->name);
      header.set_sha256(c.record.attachments(0).sha256());
      header.set_size_bytes(static_cast<int64_t>(c.file->bytes.size()));
      grpc::Status s = clients[i]->UploadRawFile(Name(ins[i], "characterizations", c.id), header, c.file->bytes, &stored);
      if (!s.ok()) {
        ReportError(s);
        ok = false;
      }
    }
  }
  std::printf("cell tests:\n");
  for (size_t i = 0; i < ins.size(); ++i) {
    ok = ok && Create<CellTestKind>(*clients[i], ins[i], "ct-001", CellTest(ins[i], true), &created, &existed);
    ok = ok && Create<CellTestKind>(*clients[i], ins[i], "ct-002", CellTest(ins[i], false), &created, &existed);
  }
  std::printf("cycling series:\n");
  for (size_t i = 0; ok && i < ins.size(); ++i) {
    std::vector<std::vector<double>> columns;
    const std::string test = Name(ins[i], "cellTests", "ct-001");
    v1::UploadHeader header = DemoSeries(test, ins[i].coin_mah / 1000, 0.002 + 0.001 * i, &columns);
    v1::UploadSeriesResponse response;
    grpc::Status s = clients[i]->UploadSeries(
        header, 8192,
        [&](int64_t first, int64_t n, v1::SeriesChunk* chunk) {
          for (int c = 0; c < header.columns_size(); ++c) {
            auto* col = chunk->add_columns();
            col->set_name(header.columns(c).name());
            col->mutable_values()->Add(columns[c].begin() + first, columns[c].begin() + first + n);
          }
        },
        nullptr, &response);
    if (!s.ok()) {
      ReportError(s);
      ok = false;
      break;
    }
    std::printf("  %s: %lld rows, %d cycles\n", test.c_str(),
                static_cast<long long>(response.cell_test_record().series().row_count()),
                response.cell_test_record().summary().cycle_count());
  }
  std::printf("demo load: %d records created, %d already there, for %zu institutes%s\n",
              created, existed, ins.size(), ok ? "" : " (stopped at an error)");
  return ok ? kExitOk : kExitOther;
}

}  // namespace batteryhub::cli
