// Spreadsheet workbooks (.xlsx: ZIP of SpreadsheetML, spreadsheet.cc; .xls:
// BIFF8 in an OLE2 compound file, xls_reader.cc) as sheets of tab-separated text, so that the text readers can
// recognise the vendor's sheet layout (Arbin "Channel_*", Landt
// "Record-Tab", Neware "Detail_*"). Date-formatted cells become
// "YYYY-MM-DD HH:MM:SS.fff"; numbers keep the digits the file stores.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub::parsers {

struct Sheet {
  std::string name;
  std::string text;  // one line per row, cells separated by TAB
};

// Limits on what a workbook may make us hold: the XML of one sheet and the
// text of all sheets.
inline constexpr size_t kMaxSheetXmlBytes = size_t{512} << 20;
inline constexpr size_t kMaxWorkbookTextBytes = size_t{512} << 20;

absl::StatusOr<std::vector<Sheet>> ReadXlsx(const std::string& name, absl::string_view bytes);
absl::StatusOr<std::vector<Sheet>> ReadXls(const std::string& name, absl::string_view bytes);

// Whether Excel number format `id` (with custom `code`) shows a date or time.
bool IsDateFormat(int id, const std::string& code);

// An Excel serial date (days since 1899-12-30, or since 1904-01-01) as
// "YYYY-MM-DD HH:MM:SS.fff".
std::string ExcelDateText(double serial, bool date1904);

}  // namespace batteryhub::parsers
