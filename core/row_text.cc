#include "core/row_text.h"

#include <charconv>

#include "core/bdf_columns.h"

namespace batteryhub {

bool IsRowFormat(absl::string_view format) {
  return format == "csv" || format == "bdf" || format == "json";
}

std::string RowHeader(absl::string_view format, const std::vector<std::string>& names) {
  if (format == "json") return "";
  std::string line;
  for (size_t i = 0; i < names.size(); ++i) {
    const BdfColumn* column = FindBdfColumn(names[i]);
    if (i) line += ",";
    line += format == "bdf" && column != nullptr ? std::string(column->label) : names[i];
  }
  line += "\n";
  return line;
}

void AppendRowNumber(double v, std::string* out) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec == std::errc()) {
    out->append(buf, end);
  } else {
    *out += "nan";
  }
}

std::string RowNumber(double v) {
  std::string out;
  AppendRowNumber(v, &out);
  return out;
}

}  // namespace batteryhub
