#include "parsers/neware_nda.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "parsers/byte_reader.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, uint64_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": Neware .nda, byte ", offset, ": ", what));
}

}  // namespace

const char* NewareStepType(int code) {
  switch (code) {
    case 1: return "CC_Chg";
    case 2: return "CC_DChg";
    case 3: return "CV_Chg";
    case 4: return "Rest";
    case 5: return "Cycle";
    case 7: return "CCCV_Chg";
    case 8: return "CP_DChg";
    case 9: return "CP_Chg";
    case 10: return "CR_DChg";
    case 13: return "Pause";
    case 16: return "Pulse";
    case 17: return "SIM";
    case 19: return "CV_DChg";
    case 20: return "CCCV_DChg";
    case 21: return "Control";
    case 22: return "OCV";
    case 26: return "CPCV_DChg";
    case 27: return "CPCV_Chg";
  }
  return nullptr;
}

namespace {

// BTS 7/8 store current, capacity and energy as integers in a unit set by
// the channel's current range (its full scale, in mA; negative codes are
// the µA ranges). The factor gives mA (mAs, mWs for capacity and energy).
std::optional<double> RangeFactor(int32_t range) {
  static const std::map<int32_t, double> kFactors = {
      {-100000000, 10}, {-200000, 1e-2}, {-100000, 1e-2}, {-60000, 1e-2}, {-50000, 1e-2},
      {-40000, 1e-2},   {-30000, 1e-2},  {-20000, 1e-2},  {-12000, 1e-2}, {-10000, 1e-2},
      {-6000, 1e-2},    {-5000, 1e-2},   {-3000, 1e-2},   {-2000, 1e-2},  {-1000, 1e-2},
      {-500, 1e-3},     {-100, 1e-3},    {-50, 1e-4},     {-25, 1e-4},    {-20, 1e-4},
      {-10, 1e-4},      {-5, 1e-5},      {-2, 1e-5},      {-1, 1e-5},     {0, 0},
      {1, 1e-4},        {2, 1e-4},       {5, 1e-4},       {10, 1e-3},     {20, 1e-3},
      {25, 1e-3},       {50, 1e-3},      {100, 1e-2},     {200, 1e-2},    {250, 1e-2},
      {500, 1e-2},      {1000, 1e-1},    {6000, 1e-1},    {10000, 1e-1},  {12000, 1e-1},
      {20000, 1e-1},    {30000, 1e-1},   {40000, 1e-1},   {50000, 1e-1},  {60000, 1e-1},
      {100000, 1e-1},   {200000, 1e-1},
  };
  auto it = kFactors.find(range);
  if (it == kFactors.end()) return std::nullopt;
  return it->second;
}

// One record in BDF units.
struct Row {
  uint32_t index = 0;
  double time = 0, voltage = 0, current = 0;  // s, V, A
  double charge_capacity = 0, discharge_capacity = 0;  // Ah
  double charge_energy = 0, discharge_energy = 0;      // Wh
  double unix_time = NAN;
  double step = 0;
  double cycle = NAN;
  double temperature = NAN;
  int step_type = 0;
};

// Charge and discharge from one signed quantity (BTS 9.1 writes the
// discharge with a negative sign), in mAs or mWs.
void Split(double signed_value, double* charge, double* discharge) {
  *charge = signed_value > 0 ? signed_value : 0;
  *discharge = signed_value < 0 ? -signed_value : 0;
}

struct Records {
  std::vector<Row> rows;
  size_t skipped = 0;  // records of other kinds (step ends, aux, padding)
  size_t unread_aux = 0;
  bool has_cycle = false, has_temperature = false;
};

// Before version 130: find where the 86-byte records start (a data record,
// 0x55 0x00, with a non-zero state, followed by another record).
absl::Status ReadBts8(const std::string& name, absl::string_view b, Records* out) {
  constexpr size_t kLen = 86;
  ByteReader r(b);
  constexpr absl::string_view kMark("\0\0\0\0\x55\x00", 6);
  size_t start = absl::string_view::npos;
  for (size_t at = b.find(kMark); at != absl::string_view::npos; at = b.find(kMark, at + 1)) {
    const size_t p = at + 4;
    const bool state = r.U8(p + 12).value_or(0) != 0;
    const std::optional<uint8_t> next = r.U8(p + kLen);
    if (state && (!next || *next == 0x55 || *next == 0x65 || *next == 0xAA)) {
      start = p;
      break;
    }
  }
  if (start == absl::string_view::npos) return Error(name, 0, "no data records");
  for (size_t p = start; p + kLen <= b.size(); p += kLen) {
    const absl::string_view rec = b.substr(p, kLen);
    const bool closed = rec.substr(82, 4) == absl::string_view("\0\0\0\0", 4);
    if (rec[0] == 0x65 && closed) {
      ++out->unread_aux;
      continue;
    }
    if (rec[0] != 0x55 || rec[1] != 0 || !closed) {
      ++out->skipped;
      continue;
    }
    ByteReader x(rec);
    Row row;
    row.index = *x.U32(2);
    row.step = *x.U16(10);
    row.step_type = *x.U8(12);
    if (row.index == 0 || row.step_type == 0) {
      ++out->skipped;
      continue;
    }
    const int32_t range = *x.Get<int32_t>(78);
    std::optional<double> factor = RangeFactor(range);
    if (!factor) {
      return Error(name, p, absl::StrCat("record ", row.index, ": current range ", range,
                                         " is not one this reader knows, so its current "
                                         "cannot be scaled"));
    }
    const double mA = *factor;
    row.time = ScaledDecimal(static_cast<double>(*x.Get<uint64_t>(14)), 1e-3);
    row.voltage = ScaledDecimal(*x.Get<int32_t>(22), 1e-4);
    row.current = ScaledDecimal(*x.Get<int32_t>(26), mA * 1e-3);
    // Capacity in mAs and energy in mWs, as counts of the range unit.
    row.charge_capacity = ScaledDecimal(static_cast<double>(*x.Get<int64_t>(38)), mA / 3.6e6);
    row.discharge_capacity = ScaledDecimal(static_cast<double>(*x.Get<int64_t>(46)), mA / 3.6e6);
    row.charge_energy = ScaledDecimal(static_cast<double>(*x.Get<int64_t>(54)), mA / 3.6e6);
    row.discharge_energy = ScaledDecimal(static_cast<double>(*x.Get<int64_t>(62)), mA / 3.6e6);
    absl::CivilSecond civil(*x.U16(70), *x.U8(72), *x.U8(73), *x.U8(74), *x.U8(75), *x.U8(76));
    if (civil.year() >= 1990 && civil.year() <= 2100) {
      row.unix_time = static_cast<double>(absl::ToUnixSeconds(absl::FromCivil(
          civil, absl::UTCTimeZone())));
    }
    out->rows.push_back(row);
  }
  return absl::OkStatus();
}

// Version 130, BTS 9.1: records from byte 1024, each starting with the same
// two bytes; the distance to the next gives the record length.
absl::Status ReadBts91(const std::string& name, absl::string_view b, Records* out) {
  constexpr size_t kStart = 1024;
  const size_t next = b.find(b.substr(kStart, 2), kStart + 2);
  if (next == absl::string_view::npos) return Error(name, kStart, "no second record");
  const size_t len = next - kStart;
  if (len < 52 || len > 512) {
    return Error(name, kStart, absl::StrCat("records of ", len, " bytes; expected 52 to 512"));
  }
  out->has_cycle = true;
  out->has_temperature = len >= 56;
  for (size_t p = kStart; p + len <= b.size(); p += len) {
    ByteReader x(b.substr(p, len));
    Row row;
    row.index = *x.U32(8);
    if (*x.U8(0) != 0x55 || row.index == 0) {
      ++out->skipped;
      continue;
    }
    row.step = *x.U8(2);
    row.step_type = *x.U8(3);
    row.time = ScaledDecimal(*x.U32(12) * 1e9 + *x.U32(16), 1e-9);
    row.current = ScaledDecimal(Float32Decimal(*x.Get<float>(20)), 1e-3);
    row.voltage = Float32Decimal(*x.Get<float>(24));
    double c = 0, d = 0;
    Split(Float32Decimal(*x.Get<float>(28)), &c, &d);
    row.charge_capacity = ScaledDecimal(c, 1 / 3.6e6);
    row.discharge_capacity = ScaledDecimal(d, 1 / 3.6e6);
    Split(Float32Decimal(*x.Get<float>(32)), &c, &d);
    row.charge_energy = ScaledDecimal(c, 1 / 3.6e6);
    row.discharge_energy = ScaledDecimal(d, 1 / 3.6e6);
    row.cycle = *x.U32(36) + 1.0;
    const uint32_t seconds = *x.U32(44);
    if (seconds != 0) row.unix_time = std::round((seconds + *x.U32(48) * 1e-9) * 1e6) / 1e6;
    if (out->has_temperature) row.temperature = Float32Decimal(*x.Get<float>(52));
    out->rows.push_back(row);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ParsedSeries> ParseNewareNda(const std::string& name, absl::string_view bytes) {
  if (!absl::StartsWith(bytes, kNdaMagic)) return Error(name, 0, "expected 'NEWARE'");
  ByteReader r(bytes);
  const std::optional<uint8_t> version = r.U8(14);
  if (!version) return Error(name, 14, "file shorter than its header");
  Records records;
  if (*version == 130) {
    if (r.U8(1024) != 0x55) {
      return Error(name, 1024, "nda version 130 in the BTS 9.0 record layout, which this reader "
                               "does not read yet; export the test as CSV from BTSDA");
    }
    if (absl::Status s = ReadBts91(name, bytes, &records); !s.ok()) return s;
  } else if (*version >= 20 && *version < 130) {
    if (absl::Status s = ReadBts8(name, bytes, &records); !s.ok()) return s;
  } else {
    return Error(name, 14, absl::StrCat("nda version ", *version, " is not one this reader knows "
                                        "(BTS 7/8 files of versions 20-129, BTS 9.1 of 130); "
                                        "export the test as CSV from BTSDA"));
  }
  if (records.rows.empty()) return Error(name, bytes.size(), "no data records");
  // Records are numbered; BTS repeats some and may write them out of order.
  std::stable_sort(records.rows.begin(), records.rows.end(),
                   [](const Row& a, const Row& b) { return a.index < b.index; });
  records.rows.erase(std::unique(records.rows.begin(), records.rows.end(),
                                 [](const Row& a, const Row& b) { return a.index == b.index; }),
                     records.rows.end());

  ParsedSeries out;
  out.format = Format::kNeware;
  auto column = [&](const char* bdf, const char* source, const char* unit, double Row::*field) {
    SeriesColumn c{bdf, source, unit, {}};
    c.values.reserve(records.rows.size());
    for (const Row& row : records.rows) c.values.push_back(row.*field);
    out.columns.push_back(std::move(c));
  };
  column(kTimeColumn, "Time", "s", &Row::time);
  column(kVoltageColumn, "Voltage", "V", &Row::voltage);
  column(kCurrentColumn, "Current", "mA", &Row::current);
  column(kStep, "Step", "", &Row::step);
  if (records.has_cycle) column(kCycle, "Cycle", "", &Row::cycle);
  column(kChargeCapacity, "Charge capacity", "mAs", &Row::charge_capacity);
  column(kDischargeCapacity, "Discharge capacity", "mAs", &Row::discharge_capacity);
  column(kChargeEnergy, "Charge energy", "mWs", &Row::charge_energy);
  column(kDischargeEnergy, "Discharge energy", "mWs", &Row::discharge_energy);
  if (std::all_of(records.rows.begin(), records.rows.end(),
                  [](const Row& row) { return std::isfinite(row.unix_time); })) {
    // BTS 7/8 write the local wall clock; BTS 9.1 Unix time.
    column(kUnixTime, "Timestamp", *version < 130 ? "datetime" : "", &Row::unix_time);
  }
  if (records.has_temperature) column(kSurfaceTemperature, "T1", "degC", &Row::temperature);
  std::set<std::string> types;
  for (const Row& row : records.rows) {
    const char* t = NewareStepType(row.step_type);
    types.insert(t ? t : absl::StrCat("code ", row.step_type));
  }
  out.metadata["neware.nda_version"] = absl::StrCat(*version);
  out.metadata["neware.step_types"] = absl::StrJoin(types, ", ");
  if (records.unread_aux > 0) {
    out.metadata["batteryhub.warning"] = absl::StrCat(
        records.unread_aux, " auxiliary-channel records (temperature, voltage) were not read");
  }
  return out;
}

}  // namespace batteryhub::parsers
