#include "parsers/spreadsheet.h"

#include <pugixml.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "parsers/zip_archive.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

// Cells become one line of TAB-separated text: no TAB or line end inside.
void AppendCell(absl::string_view cell, std::string* out) {
  for (char c : cell) out->push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
}

// ---- xlsx ------------------------------------------------------------------

absl::StatusOr<pugi::xml_document> ParseXml(const std::string& name, const std::string& member,
                                            const std::string& text) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size(), pugi::parse_default,
                                             pugi::encoding_utf8);
  if (!r) {
    return Error(name, absl::StrCat("member '", member, "': XML error at byte ", r.offset, ": ",
                                    r.description()));
  }
  return doc;
}

// Column index of a cell reference ("C12" -> 2), or -1.
int ColumnOf(const char* ref) {
  int col = 0;
  int letters = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref, ++letters) {
    col = col * 26 + (*ref - 'A' + 1);
    if (col > 16384) return -1;
  }
  return letters == 0 ? -1 : col - 1;
}

}  // namespace

// Number formats that show dates: the built-in ids, and custom codes with
// date or time letters outside quotes, brackets and escapes.
bool IsDateFormat(int id, const std::string& code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58)) {
    return true;
  }
  bool quoted = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
    } else if (bracket) {
      bracket = c != ']';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      bracket = true;
    } else if (c == '\\') {
      ++i;
    } else if (std::string("yYdDhHsS").find(c) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string ExcelDateText(double serial, bool date1904) {
  const double days = serial + (date1904 ? 1462 : 0);
  const int64_t ms = static_cast<int64_t>(std::llround((days - 25569.0) * 86400000.0));
  const absl::Time t = absl::FromUnixMillis(ms);
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S", t, absl::UTCTimeZone());
}

absl::StatusOr<std::vector<Sheet>> ReadXlsx(const std::string& name, absl::string_view bytes) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(name, bytes);
  if (!zip.ok()) return zip.status();
  absl::StatusOr<std::string> wb_text = zip->Read("xl/workbook.xml", 16 << 20);
  if (!wb_text.ok()) return wb_text.status();
  absl::StatusOr<pugi::xml_document> wb = ParseXml(name, "xl/workbook.xml", *wb_text);
  if (!wb.ok()) return wb.status();
  const pugi::xml_node workbook = wb->document_element();
  const bool date1904 = workbook.child("workbookPr").attribute("date1904").as_bool();

  // Sheet targets by relationship id.
  std::map<std::string, std::string> targets;
  if (zip->Has("xl/_rels/workbook.xml.rels")) {
    absl::StatusOr<std::string> rels_text = zip->Read("xl/_rels/workbook.xml.rels", 16 << 20);
    if (!rels_text.ok()) return rels_text.status();
    absl::StatusOr<pugi::xml_document> rels = ParseXml(name, "workbook rels", *rels_text);
    if (!rels.ok()) return rels.status();
    for (pugi::xml_node r : rels->document_element().children("Relationship")) {
      std::string target = r.attribute("Target").as_string();
      if (absl::StartsWith(target, "/")) {
        target = target.substr(1);
      } else {
        target = "xl/" + target;
      }
      targets[r.attribute("Id").as_string()] = target;
    }
  }

  std::vector<std::string> shared;
  if (zip->Has("xl/sharedStrings.xml")) {
    absl::StatusOr<std::string> text = zip->Read("xl/sharedStrings.xml", kMaxSheetXmlBytes);
    if (!text.ok()) return text.status();
    absl::StatusOr<pugi::xml_document> doc = ParseXml(name, "xl/sharedStrings.xml", *text);
    if (!doc.ok()) return doc.status();
    for (pugi::xml_node si : doc->document_element().children("si")) {
      std::string s;
      if (pugi::xml_node t = si.child("t")) {
        s = t.child_value();
      } else {
        for (pugi::xml_node r : si.children("r")) s += r.child("t").child_value();
      }
      shared.push_back(std::move(s));
    }
  }

  std::vector<bool> date_style;  // by cell style index
  if (zip->Has("xl/styles.xml")) {
    absl::StatusOr<std::string> text = zip->Read("xl/styles.xml", 64 << 20);
    if (!text.ok()) return text.status();
    absl::StatusOr<pugi::xml_document> doc = ParseXml(name, "xl/styles.xml", *text);
    if (!doc.ok()) return doc.status();
    const pugi::xml_node styles = doc->document_element();
    std::map<int, std::string> codes;
    for (pugi::xml_node f : styles.child("numFmts").children("numFmt")) {
      codes[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").as_string();
    }
    for (pugi::xml_node xf : styles.child("cellXfs").children("xf")) {
      const int id = xf.attribute("numFmtId").as_int();
      date_style.push_back(IsDateFormat(id, codes[id]));
    }
  }

  std::vector<Sheet> out;
  size_t total = 0;
  for (pugi::xml_node s : workbook.child("sheets").children("sheet")) {
    Sheet sheet;
    sheet.name = s.attribute("name").as_string();
    std::string rid;
    for (pugi::xml_attribute a : s.attributes()) {
      if (absl::EndsWith(a.name(), ":id")) rid = a.as_string();
    }
    auto target = targets.find(rid);
    if (target == targets.end() || !zip->Has(target->second)) continue;  // chart sheets
    absl::StatusOr<std::string> text = zip->Read(target->second, kMaxSheetXmlBytes);
    if (!text.ok()) return text.status();
    absl::StatusOr<pugi::xml_document> doc = ParseXml(name, target->second, *text);
    if (!doc.ok()) return doc.status();
    text->clear();
    text->shrink_to_fit();
    for (pugi::xml_node row : doc->document_element().child("sheetData").children("row")) {
      int col = 0;  // the column the next character of the line lands in
      bool first = true;
      for (pugi::xml_node c : row.children("c")) {
        const int at = ColumnOf(c.attribute("r").as_string());
        const int want = at >= 0 ? at : col + (first ? 0 : 1);
        if (want < col || (!first && want == col)) {
          return Error(name, absl::StrCat("sheet '", sheet.name, "': cells out of order"));
        }
        for (; col < want; ++col) sheet.text.push_back('\t');
        first = false;
        const std::string type = c.attribute("t").as_string();
        const char* v = c.child("v").child_value();
        if (type == "s") {
          const size_t i = static_cast<size_t>(std::strtoull(v, nullptr, 10));
          if (i < shared.size()) AppendCell(shared[i], &sheet.text);
        } else if (type == "inlineStr") {
          AppendCell(c.child("is").child("t").child_value(), &sheet.text);
        } else if (type.empty() || type == "n") {
          const size_t style = c.attribute("s").as_uint();
          char* end = nullptr;
          const double number = std::strtod(v, &end);
          if (style < date_style.size() && date_style[style] && end != v && std::isfinite(number)) {
            AppendCell(ExcelDateText(number, date1904), &sheet.text);
          } else {
            AppendCell(v, &sheet.text);
          }
        } else {
          AppendCell(v, &sheet.text);  // str, b, e
        }
      }
      sheet.text.push_back('\n');
      if (total + sheet.text.size() > kMaxWorkbookTextBytes) {
        return Error(name, "workbook text exceeds 512 MiB");
      }
    }
    total += sheet.text.size();
    out.push_back(std::move(sheet));
  }
  if (out.empty()) return Error(name, "workbook has no worksheets");
  return out;
}

}  // namespace batteryhub::parsers
