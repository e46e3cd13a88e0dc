#include "parsers/neware_ndax.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "parsers/byte_reader.h"
#include "parsers/dialects.h"
#include "parsers/neware_nda.h"
#include "parsers/zip_archive.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": Neware .ndax: ", what));
}

constexpr size_t kPage = 4096;   // .ndc files are pages of 4096 bytes
constexpr size_t kBody = 132;    // a page's records start here
constexpr size_t kMaxMember = size_t{1} << 30;

struct Ndc {
  int filetype = 0;
  int version = 0;
  std::string bytes;
};

absl::StatusOr<Ndc> ReadNdc(const std::string& name, const ZipArchive& zip,
                            const std::string& member) {
  absl::StatusOr<std::string> b = zip.Read(member, kMaxMember);
  if (!b.ok()) return b.status();
  if (b->size() < 3) return Error(name, absl::StrCat(member, " is too short for an .ndc header"));
  Ndc n;
  n.filetype = static_cast<unsigned char>((*b)[0]);
  n.version = static_cast<unsigned char>((*b)[2]);
  n.bytes = std::move(*b);
  return n;
}

// Fixed-size records in the page bodies: `fn(record)` for each whole one.
template <typename Fn>
void ForEachRecord(const std::string& b, size_t stride, size_t tail, Fn fn) {
  for (size_t page = kPage; page + kPage <= b.size(); page += kPage) {
    for (size_t at = page + kBody; at + stride <= page + kPage - tail; at += stride) {
      fn(absl::string_view(b).substr(at, stride));
    }
  }
}

struct RunInfo {
  double time = NAN;  // s
  double charge_capacity = NAN, discharge_capacity = NAN;  // Ah
  double charge_energy = NAN, discharge_energy = NAN;      // Wh
  double unix_time = NAN;
  uint32_t step = 0;
};

struct StepInfo {
  double cycle = NAN;
  double step_index = NAN;
  int type = 0;
};

// Per version: data records (V, I), runInfo and step record strides.
struct Layout {
  double volt_scale;     // raw float -> V
  double current_scale;  // raw float -> A
  size_t run_stride, run_tail;    // runInfo records, and the bytes at a page's end they leave
  size_t step_stride, step_tail;
};

std::optional<Layout> LayoutFor(int version) {
  switch (version) {
    case 14: return Layout{1, 1, 55, 59, 37, 5};          // V in V, I in A
    case 16: return Layout{1e-4, 1e-3, 100, 64, 100, 64};  // V in 0.1 mV, I in mA
  }
  return std::nullopt;
}

// TestInfo.xml's auxiliary channels in order: ChlType 103 is temperature.
std::vector<int> AuxTypes(const ZipArchive& zip) {
  std::vector<int> out;
  absl::StatusOr<std::string> xml = zip.Read("TestInfo.xml", 16 << 20);
  if (!xml.ok()) return out;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml->data(), xml->size())) return out;
  pugi::xml_node info = doc.select_node("//TestInfo").node();
  for (pugi::xml_node child : info.children()) {
    if (absl::StartsWith(child.name(), "Aux") && std::string(child.name()) != "AuxCount") {
      out.push_back(child.attribute("ChlType").as_int());
    }
  }
  return out;
}

// Auxiliary members in the order TestInfo.xml lists their channels: by the
// numbers in their names (data_AUX_9_3_1.ndc before data_AUX_10_3_1.ndc).
std::vector<std::string> AuxMembers(const ZipArchive& zip) {
  std::vector<std::pair<std::vector<int>, std::string>> found;
  for (const std::string& m : zip.Members()) {
    if (!absl::EndsWith(m, ".ndc") || m == "data.ndc") continue;
    std::string stem = m.substr(0, m.size() - 4);
    if (absl::StartsWith(stem, "data_AUX_")) {
      stem = stem.substr(9);
    } else if (absl::StartsWith(stem, "data_")) {
      stem = stem.substr(5);
    } else {
      continue;
    }
    std::vector<int> key;
    bool numeric = true;
    for (absl::string_view part : absl::StrSplit(stem, '_')) {
      int v = 0;
      numeric &= absl::SimpleAtoi(part, &v);
      key.push_back(v);
    }
    if (numeric) found.emplace_back(key, m);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

}  // namespace

absl::StatusOr<ParsedSeries> ParseNewareNdax(const std::string& name, absl::string_view bytes) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(name, bytes);
  if (!zip.ok()) return zip.status();
  if (!zip->Has("data.ndc")) return Error(name, "no data.ndc member");
  absl::StatusOr<Ndc> data = ReadNdc(name, *zip, "data.ndc");
  if (!data.ok()) return data.status();
  std::optional<Layout> layout = LayoutFor(data->version);
  if (data->filetype != 1 || !layout) {
    return Error(name, absl::StrCat("data.ndc is ndc version ", data->version, " file type ",
                                    data->filetype, ", which this reader does not know (it reads "
                                    "versions 14 and 16); export the test as CSV from BTSDA"));
  }
  if (!zip->Has("data_runInfo.ndc") || !zip->Has("data_step.ndc")) {
    return Error(name, "data.ndc without data_runInfo.ndc and data_step.ndc (an older ndax that "
                       "keeps time in data.ndc): not read yet; export the test as CSV from BTSDA");
  }

  // Voltage and current, one record per index (1, 2, ...).
  std::vector<double> volts, amps;
  ForEachRecord(data->bytes, 8, 4, [&](absl::string_view r) {
    ByteReader x(r);
    const float v = *x.Get<float>(0), i = *x.Get<float>(4);
    if (v == 0) return;  // an empty slot
    volts.push_back(ScaledDecimal(Float32Decimal(v), layout->volt_scale));
    amps.push_back(ScaledDecimal(Float32Decimal(i), layout->current_scale));
  });
  if (volts.empty()) return Error(name, "data.ndc holds no records");

  absl::StatusOr<Ndc> run = ReadNdc(name, *zip, "data_runInfo.ndc");
  if (!run.ok()) return run.status();
  if (run->version != data->version) {
    return Error(name, absl::StrCat("data_runInfo.ndc is version ", run->version, ", data.ndc ",
                                    data->version));
  }
  std::map<uint32_t, RunInfo> runs;  // by record index
  ForEachRecord(run->bytes, layout->run_stride, layout->run_tail, [&](absl::string_view r) {
    ByteReader x(r);
    const uint32_t index = *x.U32(41);
    if (index == 0 || index > volts.size() || runs.count(index)) return;
    RunInfo info;
    info.time = ScaledDecimal(*x.Get<int32_t>(0), 1e-3);
    info.charge_capacity = ScaledDecimal(Float32Decimal(*x.Get<float>(5)), 1);
    info.discharge_capacity = ScaledDecimal(Float32Decimal(*x.Get<float>(9)), 1);
    info.charge_energy = ScaledDecimal(Float32Decimal(*x.Get<float>(13)), 1);
    info.discharge_energy = ScaledDecimal(Float32Decimal(*x.Get<float>(17)), 1);
    info.unix_time = *x.U32(33) + *x.Get<uint16_t>(45) / 1000.0;
    info.step = *x.U32(37);
    runs.emplace(index, info);
  });
  if (runs.empty()) return Error(name, "data_runInfo.ndc holds no records: no times");

  absl::StatusOr<Ndc> steps_file = ReadNdc(name, *zip, "data_step.ndc");
  if (!steps_file.ok()) return steps_file.status();
  std::vector<StepInfo> steps;  // by step number - 1
  ForEachRecord(steps_file->bytes, layout->step_stride, layout->step_tail, [&](absl::string_view r) {
    ByteReader x(r);
    const int32_t index = *x.Get<int32_t>(4);
    if (index == 0) return;
    steps.push_back({*x.Get<int32_t>(0) + 1.0, static_cast<double>(index), *x.U8(24)});
  });

  // Rows: every data record; time from its runInfo record, or interpolated
  // by index between the records around it that carry one (BTS 8 writes
  // runInfo only where something changes). Capacities and energies only
  // where recorded; the hub integrates its own.
  const size_t n = volts.size();
  std::vector<double> time(n, NAN), unix_time(n, NAN), qin(n, NAN), qout(n, NAN), ein(n, NAN),
      eout(n, NAN), step(n, NAN), cycle(n, NAN), step_index(n, NAN);
  std::set<int> types;
  size_t interpolated = 0;
  uint32_t current_step = 0;
  for (size_t r = 0; r < n; ++r) {
    auto it = runs.find(static_cast<uint32_t>(r + 1));
    if (it != runs.end()) {
      const RunInfo& info = it->second;
      time[r] = info.time;
      unix_time[r] = info.unix_time;
      qin[r] = info.charge_capacity;
      qout[r] = info.discharge_capacity;
      ein[r] = info.charge_energy;
      eout[r] = info.discharge_energy;
      current_step = info.step;
    } else {
      auto after = runs.upper_bound(static_cast<uint32_t>(r + 1));
      auto before = after == runs.begin() ? runs.end() : std::prev(after);
      if (before != runs.end() && after != runs.end()) {
        const double f = (r + 1.0 - before->first) / (after->first - before->first);
        time[r] = ScaledDecimal(before->second.time + f * (after->second.time - before->second.time), 1);
        unix_time[r] = std::round((before->second.unix_time +
                                   f * (after->second.unix_time - before->second.unix_time)) * 1e3) / 1e3;
      } else if (before != runs.end() && before != runs.begin()) {
        // After the last runInfo record: continue at the last interval.
        auto prev = std::prev(before);
        const double per = (before->second.time - prev->second.time) / (before->first - prev->first);
        const double per_unix = (before->second.unix_time - prev->second.unix_time) /
                                (before->first - prev->first);
        time[r] = ScaledDecimal(before->second.time + per * (r + 1.0 - before->first), 1);
        unix_time[r] = std::round((before->second.unix_time + per_unix * (r + 1.0 - before->first)) * 1e3) / 1e3;
      }
      ++interpolated;
    }
    if (current_step >= 1 && current_step <= steps.size()) {
      const StepInfo& s = steps[current_step - 1];
      cycle[r] = s.cycle;
      step_index[r] = s.step_index;
      types.insert(s.type);
    }
    step[r] = current_step;
    if (!std::isfinite(time[r])) {
      return Error(name, absl::StrCat("record ", r + 1, " has no time: data_runInfo.ndc gives "
                                      "none before it"));
    }
  }

  // runInfo times restart with each step: the test time is the timestamps'
  // distance from the first (they resolve milliseconds).
  ParsedSeries out;
  out.format = Format::kNeware;
  if (std::all_of(unix_time.begin(), unix_time.end(), [](double t) { return std::isfinite(t); })) {
    for (size_t r = 0; r < n; ++r) time[r] = std::round((unix_time[r] - unix_time[0]) * 1e3) / 1e3;
    out.columns.push_back({kTimeColumn, "Timestamp", "s since the first record", std::move(time)});
  } else {
    out.metadata["batteryhub.warning"] = "records without a timestamp: test time is the step time "
                                         "data_runInfo.ndc gives, which restarts with each step";
    out.columns.push_back({kTimeColumn, "Time", "ms", std::move(time)});
  }
  out.columns.push_back({kVoltageColumn, "Voltage", data->version == 16 ? "0.1 mV" : "V",
                         std::move(volts)});
  out.columns.push_back({kCurrentColumn, "Current", data->version == 16 ? "mA" : "A", std::move(amps)});
  out.columns.push_back({kStep, "Step_Index", "", std::move(step_index)});
  out.columns.push_back({kCycle, "Cycle", "", std::move(cycle)});
  out.columns.push_back({kChargeCapacity, "Charge_Capacity", "Ah", std::move(qin)});
  out.columns.push_back({kDischargeCapacity, "Discharge_Capacity", "Ah", std::move(qout)});
  out.columns.push_back({kChargeEnergy, "Charge_Energy", "Wh", std::move(ein)});
  out.columns.push_back({kDischargeEnergy, "Discharge_Energy", "Wh", std::move(eout)});
  out.columns.push_back({kUnixTime, "Timestamp", "", std::move(unix_time)});

  // The first temperature channel.
  const std::vector<int> aux_types = AuxTypes(*zip);
  const std::vector<std::string> aux_members = AuxMembers(*zip);
  for (size_t a = 0; a < aux_members.size(); ++a) {
    absl::StatusOr<Ndc> aux = ReadNdc(name, *zip, aux_members[a]);
    if (!aux.ok() || aux->filetype != 5) continue;
    std::vector<double> t;
    if (aux->version == 14) {
      if (a >= aux_types.size() || aux_types[a] != 103) continue;
      ForEachRecord(aux->bytes, 4, 4, [&](absl::string_view r) {
        t.push_back(Float32Decimal(*ByteReader(r).Get<float>(0)));
      });
    } else if (aux->version == 16) {
      ForEachRecord(aux->bytes, 7, 2, [&](absl::string_view r) {
        ByteReader x(r);
        if (*x.U8(0) == 0x65) t.push_back(ScaledDecimal(*x.Get<int16_t>(5), 0.1));
      });
    }
    if (t.size() < n) continue;
    t.resize(n);
    out.columns.push_back({kSurfaceTemperature, aux_members[a], "degC", std::move(t)});
    break;
  }

  std::vector<std::string> names;
  for (int t : types) {
    const char* s = NewareStepType(t);
    names.push_back(s ? s : absl::StrCat("code ", t));
  }
  out.metadata["neware.ndc_version"] = absl::StrCat(data->version);
  out.metadata["neware.step_types"] = absl::StrJoin(names, ", ");
  if (interpolated > 0) {
    out.metadata["batteryhub.derived"] = absl::StrCat(
        "test time and timestamp of ", interpolated, " of ", n, " records interpolated by record "
        "number between the records data_runInfo.ndc gives them for (BTS writes those only where "
        "something changes); their capacities and energies are left missing");
  }
  return out;
}

}  // namespace batteryhub::parsers
