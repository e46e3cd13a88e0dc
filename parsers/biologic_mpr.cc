#include "parsers/biologic_mpr.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "parsers/biologic_vocabulary.h"
#include "parsers/byte_reader.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

enum class Cell : uint8_t { kU8, kU16, kU32, kF32, kF64 };

size_t Width(Cell c) {
  switch (c) {
    case Cell::kU8: return 1;
    case Cell::kU16: return 2;
    case Cell::kU32: return 4;
    case Cell::kF32: return 4;
    case Cell::kF64: return 8;
  }
  return 0;
}

struct MprColumn {
  uint16_t id;
  Cell cell;
  const char* name;  // as the .mpt export of the same column heads it
};

// Column ids of the data module. Checked against the .mpt twins of the dev
// set (GCPL, CA, CP, CV, CVA, LSV, OCV, PEIS, GEIS, MB, BCD, COC, COV, ZIR).
constexpr MprColumn kColumns[] = {
    {4, Cell::kF64, "time/s"},
    {5, Cell::kF32, "control/V/mA"},
    {6, Cell::kF32, "Ewe/V"},
    {7, Cell::kF64, "dq/mA.h"},
    {8, Cell::kF32, "I/mA"},
    {9, Cell::kF32, "Ece/V"},
    {11, Cell::kF64, "<I>/mA"},
    {13, Cell::kF64, "(Q-Qo)/mA.h"},
    {16, Cell::kF32, "Analog IN 1/V"},
    {17, Cell::kF32, "Analog IN 2/V"},
    {19, Cell::kF32, "control/V"},
    {20, Cell::kF32, "control/mA"},
    {23, Cell::kF64, "dQ/mA.h"},
    {24, Cell::kF64, "cycle number"},
    {32, Cell::kF32, "freq/Hz"},
    {33, Cell::kF32, "|Ewe|/V"},
    {34, Cell::kF32, "|I|/A"},
    {35, Cell::kF32, "Phase(Z)/deg"},
    {36, Cell::kF32, "|Z|/Ohm"},
    {37, Cell::kF32, "Re(Z)/Ohm"},
    {38, Cell::kF32, "-Im(Z)/Ohm"},
    {39, Cell::kU16, "I Range"},
    {69, Cell::kF32, "R/Ohm"},
    {70, Cell::kF32, "P/W"},
    {74, Cell::kF64, "|Energy|/W.h"},
    {75, Cell::kF32, "Analog OUT/V"},
    {76, Cell::kF32, "<I>/mA"},
    {77, Cell::kF32, "<Ewe>/V"},
    {78, Cell::kF32, "Cs-2/µF-2"},
    {96, Cell::kF32, "|Ece|/V"},
    {98, Cell::kF32, "Phase(Zce)/deg"},
    {99, Cell::kF32, "|Zce|/Ohm"},
    {100, Cell::kF32, "Re(Zce)/Ohm"},
    {101, Cell::kF32, "-Im(Zce)/Ohm"},
    {123, Cell::kF64, "Energy charge/W.h"},
    {124, Cell::kF64, "Energy discharge/W.h"},
    {125, Cell::kF64, "Capacitance charge/µF"},
    {126, Cell::kF64, "Capacitance discharge/µF"},
    {131, Cell::kU16, "Ns"},
    {163, Cell::kF32, "|Estack|/V"},
    {168, Cell::kF32, "Rcmp/Ohm"},
    {169, Cell::kF32, "Cs/µF"},
    {172, Cell::kF32, "Cp/µF"},
    {173, Cell::kF32, "Cp-2/µF-2"},
    {174, Cell::kF32, "<Ewe>/V"},
    {178, Cell::kF32, "(Q-Qo)/C"},
    {179, Cell::kF32, "dQ/C"},
    {182, Cell::kF64, "step time/s"},
    {211, Cell::kF64, "Q charge/discharge/C"},
    {217, Cell::kF32, "THD Ewe/%"},
    {241, Cell::kF32, "|E1|/V"},
    {242, Cell::kF32, "|E2|/V"},
    {271, Cell::kF32, "Phase(Z1)/deg"},
    {272, Cell::kF32, "Phase(Z2)/deg"},
    {295, Cell::kU16, "I Range"},
    {301, Cell::kF32, "|Z1|/Ohm"},
    {302, Cell::kF32, "|Z2|/Ohm"},
    {326, Cell::kF32, "P/W"},
    {331, Cell::kF32, "Re(Z1)/Ohm"},
    {332, Cell::kF32, "Re(Z2)/Ohm"},
    {361, Cell::kF32, "-Im(Z1)/Ohm"},
    {362, Cell::kF32, "-Im(Z2)/Ohm"},
    {379, Cell::kF64, "Energy charge/W.h"},
    {391, Cell::kF32, "<E1>/V"},
    {392, Cell::kF32, "<E2>/V"},
    {422, Cell::kF32, "Phase(Zstack)/deg"},
    {423, Cell::kF32, "|Zstack|/Ohm"},
    {424, Cell::kF32, "Re(Zstack)/Ohm"},
    {425, Cell::kF32, "-Im(Zstack)/Ohm"},
    {426, Cell::kF32, "<Estack>/V"},
    {430, Cell::kF32, "Phase(Zwe-ce)/deg"},
    {431, Cell::kF32, "|Zwe-ce|/Ohm"},
    {432, Cell::kF32, "Re(Zwe-ce)/Ohm"},
    {433, Cell::kF32, "-Im(Zwe-ce)/Ohm"},
    {434, Cell::kF32, "(Q-Qo)/C"},
    {435, Cell::kF32, "dQ/C"},
    {438, Cell::kF64, "step time/s"},
    {441, Cell::kF32, "<Ece>/V"},
    {462, Cell::kF32, "Temperature/°C"},
    {467, Cell::kF64, "Q charge/discharge/mA.h"},
    {468, Cell::kU32, "half cycle"},
    {469, Cell::kU32, "z cycle"},
    {471, Cell::kF32, "<Ece>/V"},
    {473, Cell::kF32, "THD Ewe/%"},
    {474, Cell::kF32, "THD I/%"},
    {475, Cell::kF32, "THD Ece/%"},
    {476, Cell::kF32, "NSD Ewe/%"},
    {477, Cell::kF32, "NSD I/%"},
    {478, Cell::kF32, "NSD Ece/%"},
    {479, Cell::kF32, "NSR Ewe/%"},
    {480, Cell::kF32, "NSR I/%"},
    {481, Cell::kF32, "NSR Ece/%"},
    {486, Cell::kF32, "|Ewe h2|/V"},
    {487, Cell::kF32, "|Ewe h3|/V"},
    {488, Cell::kF32, "|Ewe h4|/V"},
    {489, Cell::kF32, "|Ewe h5|/V"},
    {490, Cell::kF32, "|Ewe h6|/V"},
    {491, Cell::kF32, "|Ewe h7|/V"},
    {492, Cell::kF32, "|I h2|/A"},
    {493, Cell::kF32, "|I h3|/A"},
    {494, Cell::kF32, "|I h4|/A"},
    {495, Cell::kF32, "|I h5|/A"},
    {496, Cell::kF32, "|I h6|/A"},
    {497, Cell::kF32, "|I h7|/A"},
    {498, Cell::kF32, "|Ece h2|/V"},
    {499, Cell::kF32, "|Ece h3|/V"},
    {500, Cell::kF32, "|Ece h4|/V"},
    {501, Cell::kF32, "|Ece h5|/V"},
    {502, Cell::kF32, "|Ece h6|/V"},
    {503, Cell::kF32, "|Ece h7|/V"},
};

// Ids whose bits share one flag byte per row (mode, ox/red, error, control
// changes, Ns changes, counter inc.).
bool IsFlag(uint16_t id) {
  return id == 1 || id == 2 || id == 3 || id == 21 || id == 31 || id == 65;
}

const MprColumn* FindColumn(uint16_t id) {
  for (const MprColumn& c : kColumns) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

struct Technique {
  uint8_t id;
  const char* name;  // as the .mpt header line names it
};

// The settings module's first byte.
constexpr Technique kTechniques[] = {
    {0x04, "Galvanostatic Cycling with Potential Limitation"},
    {0x06, "Cyclic Voltammetry"},
    {0x0b, "Open Circuit Voltage"},
    {0x18, "Chronoamperometry / Chronocoulometry"},
    {0x19, "Chronopotentiometry"},
    {0x1c, "Wait"},
    {0x1d, "Potentio Electrochemical Impedance Spectroscopy"},
    {0x1e, "Galvano Electrochemical Impedance Spectroscopy"},
    {0x32, "IR compensation (PEIS)"},
    {0x33, "Cyclic Voltammetry Advanced"},
    {0x6c, "Linear Sweep Voltammetry"},
    {0x75, "Constant Voltage"},
    {0x76, "Constant Current"},
    {0x7f, "Modulo Bat"},
    {0x88, "Battery Capacity Determination"},
};

struct Module {
  std::string short_name;
  bool new_layout = false;  // the 59-byte header of EC-Lab 11.50 and later
  uint32_t version = 0;
  uint64_t offset = 0;      // of the module's data in the file
  absl::string_view data;
};

absl::Status Error(const std::string& name, uint64_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": BioLogic .mpr, byte ", offset, ": ", what));
}

constexpr absl::string_view kModuleMagic = "MODULE";
constexpr size_t kMaxModules = 64;

absl::StatusOr<std::vector<Module>> ReadModules(const std::string& name, absl::string_view b) {
  ByteReader r(b);
  // The file header is the magic padded to 52 bytes; the first module follows.
  size_t pos = b.find(kModuleMagic, kMprMagic.size());
  if (pos == absl::string_view::npos || pos > 64) {
    return Error(name, kMprMagic.size(), "expected the first MODULE within 64 bytes");
  }
  std::vector<Module> out;
  while (pos < b.size()) {
    if (out.size() == kMaxModules) return Error(name, pos, "more than 64 modules");
    if (r.Bytes(pos, kModuleMagic.size()) != kModuleMagic) {
      return Error(name, pos, "expected 'MODULE'");
    }
    const uint64_t h = pos + kModuleMagic.size();
    Module m;
    m.short_name = std::string(absl::StripTrailingAsciiWhitespace(
        r.Bytes(h, 10).value_or(absl::string_view())));
    // Two header layouts: short name (10), long name (25), then either
    // max length, length, version, version, date (59 bytes) or length,
    // version, date (51). The right one ends where the next module starts.
    // Every module of a file has the same layout; a version is a small
    // number and the new layout's maximum length is at least its length.
    bool found = false;
    for (bool new_layout : {true, false}) {
      if (!out.empty() && out[0].new_layout != new_layout) continue;
      const uint64_t header = new_layout ? 59 : 51;
      std::optional<uint32_t> length = r.U32(h + (new_layout ? 39 : 35));
      std::optional<uint32_t> version = r.U32(h + (new_layout ? 43 : 39));
      if (!length || !version || *version > 255) continue;
      if (new_layout && r.U32(h + 35).value_or(0) < *length) continue;
      const uint64_t end = h + header + *length;
      if (end != b.size() && r.Bytes(end, kModuleMagic.size()) != kModuleMagic) continue;
      m.new_layout = new_layout;
      m.version = *version;
      m.offset = h + header;
      m.data = *r.Bytes(m.offset, *length);
      pos = static_cast<size_t>(end);
      found = true;
      break;
    }
    if (!found) {
      return Error(name, pos, absl::StrCat("module '", m.short_name,
                                           "' declares a length that does not end at the next "
                                           "module or the end of the file (truncated?)"));
    }
    out.push_back(std::move(m));
  }
  return out;
}

struct Layout {
  struct Field {
    uint16_t id;
    const MprColumn* column;
    size_t offset;  // within the row
  };
  std::vector<Field> fields;  // the known columns; flags and unknown ids are skipped
  size_t row_bytes = 0;
};

double ReadCell(const char* p, Cell c) {
  switch (c) {
    case Cell::kU8: return static_cast<uint8_t>(*p);
    case Cell::kU16: { uint16_t v; std::memcpy(&v, p, 2); return v; }
    case Cell::kU32: { uint32_t v; std::memcpy(&v, p, 4); return v; }
    case Cell::kF32: { float v; std::memcpy(&v, p, 4); return Float32Decimal(v); }
    case Cell::kF64: { double v; std::memcpy(&v, p, 8); return v; }
  }
  return std::nan("");
}

std::string ColumnList(const std::vector<uint16_t>& ids) {
  std::vector<std::string> parts;
  for (uint16_t id : ids) {
    if (IsFlag(id)) continue;
    const MprColumn* c = FindColumn(id);
    parts.push_back(c ? absl::StrCat(id, " ", c->name) : absl::StrCat(id, " (unknown)"));
  }
  return absl::StrJoin(parts, ", ");
}

// The rows of the data module as columns named like the .mpt headers.
absl::Status ReadData(const std::string& name, const Module& m, ParsedSeries* out,
                      std::vector<uint16_t>* ids_out) {
  ByteReader r(m.data);
  std::optional<uint32_t> points = r.U32(0);
  if (!points) return Error(name, m.offset, "data module shorter than its point count");
  uint64_t ids_at = 0, rows_at = 0;
  std::optional<uint16_t> count;
  if (m.new_layout) {  // EC-Lab 11.50+: u16 column count, rows at 0x3ef
    count = r.U16(4);
    ids_at = 6;
    rows_at = 0x3ef;
  } else {
    std::optional<uint8_t> c8 = r.U8(4);
    if (c8) count = *c8;
    ids_at = 5;
    if (m.version == 2) {
      rows_at = 0x195;
    } else if (m.version == 3) {
      rows_at = 0x196;
    } else {
      return Error(name, m.offset, absl::StrCat("data module version ", m.version,
                                                " is not one this reader knows (2, 3, or the "
                                                "EC-Lab 11.50 layout)"));
    }
  }
  if (!count || *count == 0 || *count > 512) {
    return Error(name, m.offset + 4, "expected a column count between 1 and 512");
  }
  // First the ids, then the widths: one id this reader does not know is
  // skipped over when the data module's size leaves exactly one width for
  // it; its values are not read (their type is unknown) and the metadata
  // names it.
  std::vector<uint16_t> unknown;
  size_t known_bytes = 0;
  bool flags = false;
  for (uint16_t i = 0; i < *count; ++i) {
    std::optional<uint16_t> id = r.U16(ids_at + 2u * i);
    if (!id) return Error(name, m.offset + ids_at, "column ids run past the data module");
    ids_out->push_back(*id);
    if (IsFlag(*id)) {
      if (!flags) known_bytes += 1;
      flags = true;
    } else if (const MprColumn* c = FindColumn(*id)) {
      known_bytes += Width(c->cell);
    } else {
      unknown.push_back(*id);
    }
  }
  if (*points == 0) {
    return Error(name, m.offset, "the data module holds no data points (the technique recorded "
                                 "nothing)");
  }
  const uint64_t room = m.data.size() > rows_at ? m.data.size() - rows_at : 0;
  size_t unknown_bytes = 0;
  if (unknown.size() == 1 && room % *points == 0 && room / *points > known_bytes) {
    unknown_bytes = static_cast<size_t>(room / *points - known_bytes);
  }
  if (!unknown.empty() && (unknown.size() > 1 || (unknown_bytes != 2 && unknown_bytes != 4 &&
                                                  unknown_bytes != 8))) {
    return Error(name, m.offset + ids_at,
                 absl::StrCat("column id(s) ", absl::StrJoin(unknown, ", "),
                              " unknown to this reader and the rows cannot be laid out without "
                              "their widths; export the file as text (.mpt) from EC-Lab and "
                              "upload that"));
  }
  Layout layout;
  flags = false;
  for (uint16_t id : *ids_out) {
    if (IsFlag(id)) {
      if (!flags) layout.row_bytes += 1;
      flags = true;
    } else if (const MprColumn* c = FindColumn(id)) {
      layout.fields.push_back({id, c, layout.row_bytes});
      layout.row_bytes += Width(c->cell);
    } else {
      layout.row_bytes += unknown_bytes;
      out->metadata["biologic.unread_columns"] =
          absl::StrCat(id, " (unknown id, ", unknown_bytes, " bytes per row)");
    }
  }
  const uint64_t need = rows_at + static_cast<uint64_t>(*points) * layout.row_bytes;
  if (need != m.data.size()) {
    return Error(name, m.offset,
                 absl::StrCat(*points, " points of ", layout.row_bytes, " bytes (columns ",
                              ColumnList(*ids_out), ") need ", need, " bytes, the data module "
                              "has ", m.data.size(), " (truncated, or a layout this reader does "
                              "not know)"));
  }
  for (const Layout::Field& f : layout.fields) {
    SeriesColumn col;
    col.source_name = f.column->name;
    col.values.reserve(*points);
    const char* base = m.data.data() + rows_at + f.offset;
    for (uint32_t row = 0; row < *points; ++row) {
      col.values.push_back(ReadCell(base + static_cast<size_t>(row) * layout.row_bytes,
                                    f.column->cell));
    }
    out->columns.push_back(std::move(col));
  }
  return absl::OkStatus();
}

// Microsoft OLE automation date (days since 1899-12-30), instrument local time.
std::optional<std::string> OleDate(double days) {
  if (!std::isfinite(days) || days < 25569 || days > 73051) return std::nullopt;  // 1970..2100
  const absl::Time t = absl::FromUnixSeconds(0) + absl::Seconds((days - 25569.0) * 86400.0);
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S", t, absl::UTCTimeZone());
}

std::optional<std::string> Printable(std::optional<absl::string_view> s) {
  if (!s || s->empty()) return std::nullopt;
  for (char c : *s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return std::nullopt;
    }
  }
  return std::string(*s);
}

const SeriesColumn* Raw(const ParsedSeries& s, absl::string_view source_name) {
  for (const SeriesColumn& c : s.columns) {
    if (c.source_name == source_name) return &c;
  }
  return nullptr;
}

// Columns EC-Lab's text export computes from stored ones, computed the same
// way (checked against the .mpt twins): <I> from the charge passed over each
// time step (galvanostatic techniques store no current), and Re(Z), -Im(Z)
// from |Z| and Phase(Z) (Modulo Bat stores only those).
void DeriveLikeTheExport(ParsedSeries* s) {
  const SeriesColumn* time = Raw(*s, "time/s");
  const SeriesColumn* dq = Raw(*s, "dq/mA.h");
  if (!Raw(*s, "I/mA") && !Raw(*s, "<I>/mA") && time && dq) {
    SeriesColumn i{"", "<I>/mA", "", std::vector<double>(time->values.size(), 0.0)};
    for (size_t r = 1; r < i.values.size(); ++r) {
      const double dt = time->values[r] - time->values[r - 1];
      i.values[r] = dt > 0 ? dq->values[r] * 3600.0 / dt : (dq->values[r] == 0 ? 0 : std::nan(""));
    }
    if (dq->values[0] != 0) i.values[0] = std::nan("");
    s->metadata["batteryhub.derived"] = "current from dq/mA.h * 3600 / (time step), as EC-Lab's "
                                        "text export computes <I>/mA";
    s->columns.push_back(std::move(i));
  }
  const SeriesColumn* z = Raw(*s, "|Z|/Ohm");
  const SeriesColumn* phase = Raw(*s, "Phase(Z)/deg");
  if (Raw(*s, "freq/Hz") && !Raw(*s, "Re(Z)/Ohm") && z && phase) {
    SeriesColumn re{"", "Re(Z)/Ohm", "", {}}, im{"", "-Im(Z)/Ohm", "", {}};
    for (size_t r = 0; r < z->values.size(); ++r) {
      const double rad = phase->values[r] * M_PI / 180.0;
      re.values.push_back(z->values[r] * std::cos(rad));
      im.values.push_back(-z->values[r] * std::sin(rad));
    }
    s->metadata["batteryhub.derived.impedance"] = "Re(Z) and -Im(Z) from |Z| and Phase(Z)";
    s->columns.push_back(std::move(re));
    s->columns.push_back(std::move(im));
  }
}

}  // namespace

absl::StatusOr<ParsedSeries> ParseBiologicMpr(const std::string& name, absl::string_view bytes) {
  if (!absl::StartsWith(bytes, kMprMagic)) {
    return Error(name, 0, "expected 'BIO-LOGIC MODULAR FILE'");
  }
  absl::StatusOr<std::vector<Module>> modules = ReadModules(name, bytes);
  if (!modules.ok()) return modules.status();
  ParsedSeries raw;
  raw.format = Format::kBiologic;
  std::vector<uint16_t> ids;
  bool have_data = false;
  std::string technique;
  for (const Module& m : *modules) {
    ByteReader r(m.data);
    if (m.short_name == "VMP Set") {
      std::optional<uint8_t> id = r.U8(0);
      if (id) {
        raw.metadata["biologic.technique_id"] = absl::StrCat(*id);
        for (const Technique& t : kTechniques) {
          if (t.id == *id) technique = t.name;
        }
      }
    } else if (m.short_name == "VMP data") {
      if (have_data) return Error(name, m.offset, "a second data module");
      if (absl::Status s = ReadData(name, m, &raw, &ids); !s.ok()) return s;
      have_data = true;
    } else if (m.short_name == "VMP LOG") {
      if (auto start = r.F64(0x249); start && OleDate(*start)) {
        raw.metadata["acquisition_start_local"] = *OleDate(*start);
      }
      if (auto version = Printable(r.Pascal(0x3b7))) raw.metadata["ec_lab_version"] = *version;
    } else if (m.short_name == "VMP loop") {
      if (auto loops = r.U32(0)) raw.metadata["biologic.loops"] = absl::StrCat(*loops);
    }
  }
  if (!have_data) return Error(name, bytes.size(), "no data module");
  raw.metadata["biologic.columns"] = ColumnList(ids);
  raw.metadata["biologic.layout"] = (*modules)[0].new_layout ? "EC-Lab 11.50 or later"
                                                             : "EC-Lab before 11.50";
  if (!technique.empty()) raw.metadata["technique"] = technique;
  DeriveLikeTheExport(&raw);
  return MapBiologicColumns(name, technique, std::move(raw));
}

}  // namespace batteryhub::parsers
