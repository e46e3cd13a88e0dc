// Excel 97-2003 workbooks (.xls): the "Workbook" stream of an OLE2 compound
// file (CFB), read as BIFF8 records into sheets of TAB text. Every offset,
// length and chain the file declares is checked against the bytes there are;
// a damaged file is an INVALID_ARGUMENT, never a crash or a loop.
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "parsers/byte_reader.h"
#include "parsers/spreadsheet.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": .xls: ", what));
}

constexpr uint32_t kEnd = 0xFFFFFFFE;
constexpr uint32_t kMaxSect = 0xFFFFFFFA;

// ---- the compound file ------------------------------------------------------

class Cfb {
 public:
  static absl::StatusOr<Cfb> Open(const std::string& name, absl::string_view b) {
    Cfb c(name, b);
    ByteReader r(b);
    if (b.size() < 512 || b.substr(0, 8) != absl::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
      return Error(name, "not an OLE2 compound file");
    }
    const uint16_t shift = *r.U16(30), mini_shift = *r.U16(32);
    if ((shift != 9 && shift != 12) || mini_shift != 6) return Error(name, "unusual sector sizes");
    c.sector_ = size_t{1} << shift;
    const uint32_t fat_sectors = *r.U32(44);
    c.dir_start_ = *r.U32(48);
    c.mini_cutoff_ = *r.U32(56);
    const uint32_t minifat_start = *r.U32(60);
    uint32_t difat_next = *r.U32(68);
    const uint32_t difat_count = *r.U32(72);
    std::vector<uint32_t> fat_ids;
    for (int i = 0; i < 109; ++i) {
      const uint32_t s = *r.U32(76 + 4u * i);
      if (s < kMaxSect) fat_ids.push_back(s);
    }
    for (uint32_t d = 0; d < difat_count && difat_next < kMaxSect && d < 4096; ++d) {
      std::optional<absl::string_view> sec = c.Sector(difat_next);
      if (!sec) return Error(name, "DIFAT chain leaves the file");
      ByteReader x(*sec);
      for (size_t i = 0; i + 1 < c.sector_ / 4; ++i) {
        const uint32_t s = *x.U32(4 * i);
        if (s < kMaxSect) fat_ids.push_back(s);
      }
      if (fat_ids.size() > c.b_.size() / c.sector_) break;  // refused below
      difat_next = *x.U32(c.sector_ - 4);
    }
    // Each FAT sector is a sector of the file: more of them than the file
    // has sectors repeat one (and would cost without bound).
    if (fat_ids.size() > c.b_.size() / c.sector_) {
      return Error(name, "more FAT sectors than the file has sectors");
    }
    if (fat_ids.size() < fat_sectors && fat_ids.size() < 100000) {
      return Error(name, "fewer FAT sectors than the header declares");
    }
    for (uint32_t s : fat_ids) {
      std::optional<absl::string_view> sec = c.Sector(s);
      if (!sec) return Error(name, "a FAT sector lies outside the file");
      ByteReader x(*sec);
      for (size_t i = 0; i < c.sector_ / 4; ++i) c.fat_.push_back(*x.U32(4 * i));
    }
    absl::StatusOr<std::string> dir = c.Chain(c.dir_start_, c.fat_, SIZE_MAX);
    if (!dir.ok()) return dir.status();
    for (size_t at = 0; at + 128 <= dir->size(); at += 128) {
      ByteReader e(absl::string_view(*dir).substr(at, 128));
      Entry en;
      const uint16_t name_bytes = std::min<uint16_t>(*e.U16(64), 64);
      for (size_t i = 0; i + 1 < name_bytes; i += 2) {
        const uint16_t ch = *e.U16(i);
        if (ch == 0) break;
        en.name.push_back(ch < 0x80 ? static_cast<char>(ch) : '?');
      }
      en.type = *e.U8(66);
      en.start = *e.U32(116);
      en.size = *e.U32(120);
      c.entries_.push_back(std::move(en));
    }
    if (c.entries_.empty() || c.entries_[0].type != 5) return Error(name, "no root directory entry");
    if (minifat_start < kMaxSect) {
      absl::StatusOr<std::string> minifat = c.Chain(minifat_start, c.fat_, SIZE_MAX);
      if (!minifat.ok()) return minifat.status();
      ByteReader x(*minifat);
      for (size_t i = 0; i + 4 <= minifat->size(); i += 4) c.minifat_.push_back(*x.U32(i));
    }
    return c;
  }

  // The named stream's bytes.
  absl::StatusOr<std::string> Stream(const std::string& stream) const {
    for (const Entry& e : entries_) {
      if (e.type != 2 || e.name != stream) continue;
      if (e.size < mini_cutoff_) {
        absl::StatusOr<std::string> mini = Chain(entries_[0].start, fat_, SIZE_MAX);
        if (!mini.ok()) return mini.status();
        std::string out;
        uint32_t s = e.start;
        for (size_t steps = 0; s < kMaxSect && out.size() < e.size; ++steps) {
          if (steps > minifat_.size() || s >= minifat_.size() || (size_t{s} + 1) * 64 > mini->size()) {
            return Error(name_, "mini stream chain is damaged");
          }
          out.append(*mini, size_t{s} * 64, 64);
          s = minifat_[s];
        }
        if (out.size() < e.size) return Error(name_, "stream shorter than its size");
        out.resize(e.size);
        return out;
      }
      absl::StatusOr<std::string> out = Chain(e.start, fat_, e.size);
      if (!out.ok()) return out.status();
      if (out->size() < e.size) return Error(name_, "stream shorter than its size");
      out->resize(e.size);
      return out;
    }
    return Error(name_, absl::StrCat("no '", stream, "' stream"));
  }

  bool Has(const std::string& stream) const {
    for (const Entry& e : entries_) {
      if (e.type == 2 && e.name == stream) return true;
    }
    return false;
  }

 private:
  struct Entry {
    std::string name;
    uint8_t type = 0;
    uint32_t start = 0;
    uint32_t size = 0;
  };

  Cfb(std::string name, absl::string_view b) : name_(std::move(name)), b_(b) {}

  std::optional<absl::string_view> Sector(uint32_t s) const {
    return ByteReader(b_).Bytes((uint64_t{s} + 1) * sector_, sector_);
  }

  // A chain of sectors, at most `limit` bytes; a loop or a sector outside
  // the file is an error.
  absl::StatusOr<std::string> Chain(uint32_t s, const std::vector<uint32_t>& fat, size_t limit) const {
    std::string out;
    // A chain visits each sector of the file at most once: a longer one
    // loops, and would cost more than the file's size.
    const size_t file_sectors = b_.size() / sector_;
    for (size_t steps = 0; s != kEnd && s < kMaxSect; ++steps) {
      if (steps > fat.size() || steps > file_sectors || s >= fat.size()) {
        return Error(name_, "sector chain is damaged");
      }
      std::optional<absl::string_view> sec = Sector(s);
      if (!sec) return Error(name_, "sector chain leaves the file");
      out.append(sec->data(), sec->size());
      if (out.size() >= limit) break;
      s = fat[s];
    }
    return out;
  }

  std::string name_;
  absl::string_view b_;
  size_t sector_ = 512;
  uint32_t dir_start_ = 0, mini_cutoff_ = 4096;
  std::vector<uint32_t> fat_, minifat_;
  std::vector<Entry> entries_;
};

// ---- BIFF8 records ------------------------------------------------------------

struct Record {
  uint16_t type;
  absl::string_view data;
  size_t offset;
};

// The records from `at`, with the CONTINUE records that follow each.
class Records {
 public:
  explicit Records(absl::string_view s, size_t at = 0) : s_(s), at_(at) {}
  std::optional<Record> Next() {
    ByteReader r(s_);
    std::optional<uint16_t> type = r.U16(at_), len = r.U16(at_ + 2);
    if (!type || !len) return std::nullopt;
    std::optional<absl::string_view> data = r.Bytes(at_ + 4, *len);
    if (!data) return std::nullopt;
    Record rec{*type, *data, at_};
    at_ += 4 + *len;
    return rec;
  }
  std::optional<uint16_t> PeekType() const { return ByteReader(s_).U16(at_); }

 private:
  absl::string_view s_;
  size_t at_;
};

void AppendLatin1OrUtf16(absl::string_view bytes, bool wide, std::string* out) {
  if (!wide) {
    for (unsigned char c : bytes) {
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
      } else {
        out->push_back(static_cast<char>(0xC0 | (c >> 6)));
        out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    return;
  }
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const uint32_t c = static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xE0 | (c >> 12)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

// A BIFF8 unicode string in one record (LABEL, STRING, FORMAT, BOUNDSHEET).
std::string ReadString(absl::string_view d, size_t at, bool short_length) {
  ByteReader r(d);
  size_t cch = short_length ? r.U8(at).value_or(0) : r.U16(at).value_or(0);
  at += short_length ? 1 : 2;
  const uint8_t flags = r.U8(at).value_or(0);
  ++at;
  if (flags & 0x08) at += 2;
  if (flags & 0x04) at += 4;
  const bool wide = flags & 0x01;
  std::string out;
  AppendLatin1OrUtf16(r.Bytes(at, cch * (wide ? 2 : 1)).value_or(absl::string_view()), wide, &out);
  return out;
}

// The shared strings: SST and its CONTINUE records, where a string's
// characters may continue in the next record under a new flags byte.
std::vector<std::string> ReadSst(const Record& sst, Records* more) {
  std::vector<absl::string_view> parts = {sst.data};
  // CONTINUE records; one cut short by the end of the stream ends the table
  // (it cannot be read, and Next() would not move past it).
  while (more->PeekType() == 0x003C) {
    std::optional<Record> next = more->Next();
    if (!next) break;
    parts.push_back(next->data);
  }
  size_t part = 0, at = 8;
  auto byte = [&](uint8_t* out) {
    while (part < parts.size() && at >= parts[part].size()) {
      ++part;
      at = 0;
    }
    if (part >= parts.size()) return false;
    *out = static_cast<uint8_t>(parts[part][at++]);
    return true;
  };
  auto skip = [&](size_t n) {
    uint8_t b;
    for (size_t i = 0; i < n; ++i) {
      if (!byte(&b)) return false;
    }
    return true;
  };
  const uint32_t unique = ByteReader(sst.data).U32(4).value_or(0);
  std::vector<std::string> out;
  for (uint32_t i = 0; i < unique && out.size() < (size_t{1} << 24); ++i) {
    uint8_t lo, hi, flags;
    if (!byte(&lo) || !byte(&hi) || !byte(&flags)) break;
    size_t cch = lo | (hi << 8);
    uint16_t runs = 0;
    uint32_t ext = 0;
    if (flags & 0x08) {
      uint8_t a, b;
      if (!byte(&a) || !byte(&b)) break;
      runs = a | (b << 8);
    }
    if (flags & 0x04) {
      uint8_t x[4];
      for (uint8_t& v : x) {
        if (!byte(&v)) return out;
      }
      ext = x[0] | (x[1] << 8) | (x[2] << 16) | (static_cast<uint32_t>(x[3]) << 24);
    }
    bool wide = flags & 0x01;
    std::string s;
    for (size_t c = 0; c < cch; ++c) {
      // A string continued in a new record starts there with its own flags.
      if (part < parts.size() && at >= parts[part].size() && part + 1 < parts.size()) {
        ++part;
        at = 0;
        uint8_t f;
        if (!byte(&f)) break;
        wide = f & 0x01;
      }
      uint8_t b0, b1 = 0;
      if (!byte(&b0) || (wide && !byte(&b1))) break;
      char pair[2] = {static_cast<char>(b0), static_cast<char>(b1)};
      AppendLatin1OrUtf16(absl::string_view(pair, wide ? 2 : 1), wide, &s);
    }
    if (!skip(size_t{runs} * 4) || !skip(ext)) {
      out.push_back(std::move(s));
      break;
    }
    out.push_back(std::move(s));
  }
  return out;
}

double Rk(uint32_t rk) {
  double v;
  if (rk & 0x02) {
    v = static_cast<double>(static_cast<int32_t>(rk) >> 2);
  } else {
    const uint64_t bits = static_cast<uint64_t>(rk & 0xFFFFFFFCu) << 32;
    std::memcpy(&v, &bits, 8);
  }
  return rk & 0x01 ? v / 100 : v;
}

// The shortest text that reads back to the number (3.6, not 3.6000000000000001).
std::string NumberText(double v) {
  char text[32];
  std::to_chars_result end = std::to_chars(text, text + sizeof(text), v);
  return std::string(text, end.ptr);
}

}  // namespace

absl::StatusOr<std::vector<Sheet>> ReadXls(const std::string& name, absl::string_view bytes) {
  absl::StatusOr<Cfb> cfb = Cfb::Open(name, bytes);
  if (!cfb.ok()) return cfb.status();
  if (!cfb->Has("Workbook")) {
    if (cfb->Has("Book")) return Error(name, "an Excel 5.0/95 workbook (BIFF5): save it as .xlsx");
    return Error(name, "an OLE2 compound file without a Workbook stream (not an Excel workbook)");
  }
  absl::StatusOr<std::string> wb = cfb->Stream("Workbook");
  if (!wb.ok()) return wb.status();

  // Globals: sheets, shared strings, number formats, cell formats, date mode.
  struct SheetRef {
    std::string name;
    uint32_t offset;
  };
  std::vector<SheetRef> refs;
  std::vector<std::string> sst;
  std::map<int, std::string> format_codes;
  std::vector<bool> date_xf;
  std::vector<int> xf_formats;
  bool date1904 = false;
  Records globals(*wb);
  std::optional<Record> first = globals.Next();
  if (!first || first->type != 0x0809 || ByteReader(first->data).U16(0) != 0x0600) {
    return Error(name, "the Workbook stream does not start with a BIFF8 BOF record");
  }
  while (std::optional<Record> r = globals.Next()) {
    ByteReader x(r->data);
    if (r->type == 0x000A) break;  // EOF of the globals
    if (r->type == 0x0085 && x.U8(5) == 0) {  // BOUNDSHEET of a worksheet
      refs.push_back({ReadString(r->data, 6, true), x.U32(0).value_or(0)});
    } else if (r->type == 0x00FC) {
      sst = ReadSst(*r, &globals);
    } else if (r->type == 0x041E) {
      format_codes[x.U16(0).value_or(0)] = ReadString(r->data, 2, false);
    } else if (r->type == 0x00E0) {
      xf_formats.push_back(x.U16(2).value_or(0));
    } else if (r->type == 0x0022) {
      date1904 = x.U16(0).value_or(0) == 1;
    }
  }
  for (int f : xf_formats) date_xf.push_back(IsDateFormat(f, format_codes[f]));

  std::vector<Sheet> out;
  size_t total = 0;
  for (const SheetRef& ref : refs) {
    if (ref.offset >= wb->size()) return Error(name, absl::StrCat("sheet '", ref.name, "' lies outside the stream"));
    Records rs(*wb, ref.offset);
    std::map<uint32_t, std::map<uint32_t, std::string>> cells;
    size_t count = 0;
    bool pending_string = false;
    uint32_t pending_row = 0, pending_col = 0;
    auto put = [&](uint32_t row, uint32_t col, std::string v) {
      if (row > 1048576 || col > 16384 || ++count > (size_t{1} << 25)) return;
      cells[row][col] = std::move(v);
    };
    auto number = [&](uint32_t row, uint32_t col, uint16_t xf, double v) {
      const bool date = xf < date_xf.size() && date_xf[xf] && std::isfinite(v);
      put(row, col, date ? ExcelDateText(v, date1904) : NumberText(v));
    };
    std::optional<Record> bof = rs.Next();
    if (!bof || bof->type != 0x0809) return Error(name, absl::StrCat("sheet '", ref.name, "' has no BOF"));
    while (std::optional<Record> r = rs.Next()) {
      ByteReader x(r->data);
      const uint32_t row = x.U16(0).value_or(0), col = x.U16(2).value_or(0);
      const uint16_t xf = x.U16(4).value_or(0);
      switch (r->type) {
        case 0x000A: goto done;  // EOF
        case 0x00FD: {           // LABELSST
          const uint32_t i = x.U32(6).value_or(UINT32_MAX);
          if (i < sst.size()) put(row, col, sst[i]);
          break;
        }
        case 0x0203:  // NUMBER
          if (auto v = x.F64(6)) number(row, col, xf, *v);
          break;
        case 0x027E:  // RK
          if (auto v = x.U32(6)) number(row, col, xf, Rk(*v));
          break;
        case 0x00BD: {  // MULRK: row, first col, (xf, rk)*, last col
          const size_t n = r->data.size() >= 6 ? (r->data.size() - 6) / 6 : 0;
          for (size_t k = 0; k < n; ++k) {
            number(row, col + static_cast<uint32_t>(k), x.U16(4 + 6 * k).value_or(0),
                   Rk(x.U32(6 + 6 * k).value_or(0)));
          }
          break;
        }
        case 0x0204:  // LABEL
          put(row, col, ReadString(r->data, 6, false));
          break;
        case 0x0006: {  // FORMULA: its cached result
          std::optional<absl::string_view> result = x.Bytes(6, 8);
          if (!result) break;
          if (static_cast<uint8_t>((*result)[6]) == 0xFF && static_cast<uint8_t>((*result)[7]) == 0xFF) {
            if ((*result)[0] == 0) {  // a string, in the STRING record that follows
              pending_string = true;
              pending_row = row;
              pending_col = col;
            }
          } else if (auto v = x.F64(6)) {
            number(row, col, xf, *v);
          }
          break;
        }
        case 0x0207:  // STRING
          if (pending_string) put(pending_row, pending_col, ReadString(r->data, 0, false));
          pending_string = false;
          break;
        default: break;
      }
    }
  done:
    Sheet sheet;
    sheet.name = ref.name;
    for (const auto& [row, by_col] : cells) {
      uint32_t at = 0;
      for (const auto& [col, value] : by_col) {
        for (; at < col; ++at) sheet.text.push_back('\t');
        for (char c : value) sheet.text.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
      }
      sheet.text.push_back('\n');
    }
    total += sheet.text.size();
    if (total > kMaxWorkbookTextBytes) return Error(name, "workbook text exceeds 512 MiB");
    out.push_back(std::move(sheet));
  }
  if (out.empty()) return Error(name, "workbook has no worksheets");
  return out;
}

}  // namespace batteryhub::parsers
