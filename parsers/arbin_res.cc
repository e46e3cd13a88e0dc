#include "parsers/arbin_res.h"

#include <fcntl.h>
#include <mdbtools.h>
#include <unistd.h>

#include <cstdio>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "parsers/dialects.h"
#include "parsers/table_reader.h"
#include "parsers/text_file.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": Arbin .res: ", what));
}

struct MdbCloser {
  void operator()(MdbHandle* m) const { mdb_close(m); }
};
struct TableCloser {
  void operator()(MdbTableDef* t) const { mdb_free_tabledef(t); }
};

// One table's rows as text cells, by column name.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

constexpr size_t kMaxRows = size_t{1} << 26;

absl::StatusOr<Table> ReadTableRows(const std::string& name, MdbHandle* mdb, const char* table_name,
                                    bool required) {
  std::unique_ptr<MdbTableDef, TableCloser> t(
      mdb_read_table_by_name(mdb, const_cast<gchar*>(table_name), MDB_TABLE));
  if (!t) {
    if (required) {
      return Error(name, absl::StrCat("an Access database without Arbin's ", table_name,
                                      " (not an Arbin result file?)"));
    }
    return Table{};
  }
  if (mdb_read_columns(t.get()) == nullptr || t->num_cols == 0 || t->num_cols > 512) {
    return Error(name, absl::StrCat(table_name, ": columns cannot be read"));
  }
  mdb_rewind_table(t.get());
  Table out;
  std::vector<std::vector<char>> bound(t->num_cols, std::vector<char>(MDB_BIND_SIZE + 1, '\0'));
  std::vector<int> lengths(t->num_cols, 0);
  for (unsigned int c = 0; c < t->num_cols; ++c) {
    auto* col = static_cast<MdbColumn*>(g_ptr_array_index(t->columns, c));
    out.columns.push_back(col->name);
    mdb_bind_column(t.get(), static_cast<int>(c + 1), bound[c].data(), &lengths[c]);
  }
  while (mdb_fetch_row(t.get())) {
    if (out.rows.size() == kMaxRows) return Error(name, absl::StrCat(table_name, ": too many rows"));
    std::vector<std::string> row;
    row.reserve(t->num_cols);
    for (unsigned int c = 0; c < t->num_cols; ++c) {
      const int n = std::clamp(lengths[c], 0, static_cast<int>(MDB_BIND_SIZE));
      row.emplace_back(bound[c].data(), static_cast<size_t>(n));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

// mdbtools reports damaged pages on stderr, hundreds of lines for one bad
// file; the reader says what matters in its Status. Silences fd 2 while it
// runs (bhub is the only user; the hub never reads .res files).
class QuietStderr {
 public:
  QuietStderr() {
    std::fflush(stderr);
    saved_ = dup(2);
    const int null = open("/dev/null", O_WRONLY);
    if (saved_ >= 0 && null >= 0) dup2(null, 2);
    if (null >= 0) close(null);
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, 2);
      close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

int ColumnIndex(const Table& t, absl::string_view column) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (absl::EqualsIgnoreCase(t.columns[i], column)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

bool LooksLikeAccessDatabase(absl::string_view b) {
  return b.size() > 32 && (b.substr(4, 15) == "Standard Jet DB" || b.substr(4, 15) == "Standard ACE DB");
}

absl::StatusOr<ParsedSeries> ParseArbinRes(const std::string& name, absl::string_view bytes) {
  if (!LooksLikeAccessDatabase(bytes)) return Error(name, "not an Access database");
  // mdbtools reads from a buffer it may keep: give it a copy it can own for
  // the duration.
  std::string buffer(bytes);
  QuietStderr quiet;
  std::unique_ptr<MdbHandle, MdbCloser> mdb(
      mdb_open_buffer(buffer.data(), buffer.size(), MDB_NOFLAGS));
  if (!mdb) return Error(name, "the database cannot be opened (damaged?)");
  if (mdb_read_catalog(mdb.get(), MDB_TABLE) == nullptr) {
    return Error(name, "the database catalog cannot be read (damaged?)");
  }
  absl::StatusOr<Table> normal = ReadTableRows(name, mdb.get(), "Channel_Normal_Table", true);
  if (!normal.ok()) return normal.status();
  if (normal->rows.empty()) return Error(name, "Channel_Normal_Table has no rows");
  const int test_id = ColumnIndex(*normal, "Test_ID");
  const int point = ColumnIndex(*normal, "Data_Point");
  if (point < 0) return Error(name, "Channel_Normal_Table has no Data_Point column");
  if (test_id >= 0) {
    std::set<std::string> tests;
    for (const auto& row : normal->rows) tests.insert(row[test_id]);
    if (tests.size() > 1) {
      return Error(name, absl::StrCat("the file holds ", tests.size(), " tests (Test_ID ",
                                      absl::StrJoin(tests, ", "), "); export each as CSV"));
    }
  }

  // Auxiliary channels: one column per (index, type), named by its unit.
  absl::StatusOr<Table> units = ReadTableRows(name, mdb.get(), "Aux_Global_Data_Table", false);
  absl::StatusOr<Table> aux = ReadTableRows(name, mdb.get(), "Auxiliary_Table", false);
  if (!units.ok()) return units.status();
  if (!aux.ok()) return aux.status();
  std::map<std::pair<std::string, std::string>, std::string> unit_of;  // (index, type) -> unit
  {
    const int i = ColumnIndex(*units, "Auxiliary_Index"), ty = ColumnIndex(*units, "Data_Type"),
              u = ColumnIndex(*units, "Unit");
    if (i >= 0 && ty >= 0 && u >= 0) {
      for (const auto& row : units->rows) unit_of[{row[i], row[ty]}] = row[u];
    }
  }
  std::vector<std::string> aux_headers;
  std::map<std::pair<std::string, std::string>, size_t> aux_column;
  std::map<std::string, std::vector<std::string>> aux_values;  // data point -> cells
  std::vector<std::string> left_out;
  {
    const int p = ColumnIndex(*aux, "Data_Point"), i = ColumnIndex(*aux, "Auxiliary_Index"),
              ty = ColumnIndex(*aux, "Data_Type"), x = ColumnIndex(*aux, "X");
    if (p >= 0 && i >= 0 && ty >= 0 && x >= 0) {
      int temperatures = 0;
      for (const auto& row : aux->rows) {
        const std::pair<std::string, std::string> key{row[i], row[ty]};
        auto it = aux_column.find(key);
        if (it == aux_column.end()) {
          const std::string unit = absl::AsciiStrToUpper(unit_of[key]);
          if (unit == "C" || unit == "DEGC" || unit == "°C") {
            aux_headers.push_back(absl::StrCat("Aux_Temperature_", ++temperatures, " (C)"));
          } else {
            left_out.push_back(absl::StrCat("auxiliary ", key.first, " type ", key.second,
                                            " (unit '", unit_of[key], "')"));
            aux_headers.push_back(absl::StrCat("Aux_", key.first, "_", key.second));
          }
          it = aux_column.emplace(key, aux_headers.size() - 1).first;
        }
        std::vector<std::string>& cells = aux_values[row[p]];
        if (cells.size() <= it->second) cells.resize(it->second + 1);
        cells[it->second] = row[x];
      }
    }
  }

  // The rows in Data_Point order, as TAB text for the Arbin dialect.
  std::vector<size_t> order(normal->rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto number = [&](size_t row) {
    double v = 0;
    return absl::SimpleAtod(normal->rows[row][point], &v) ? v : 0.0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return number(a) < number(b); });
  std::string text = absl::StrJoin(normal->columns, "\t");
  for (const std::string& h : aux_headers) absl::StrAppend(&text, "\t", h);
  text.push_back('\n');
  for (size_t r : order) {
    const auto& row = normal->rows[r];
    absl::StrAppend(&text, absl::StrJoin(row, "\t"));
    auto cells = aux_values.find(row[point]);
    for (size_t a = 0; a < aux_headers.size(); ++a) {
      text.push_back('\t');
      if (cells != aux_values.end() && a < cells->second.size()) text += cells->second[a];
    }
    text.push_back('\n');
  }
  normal->rows.clear();

  absl::StatusOr<TextFile> file = LoadText(name, text);
  if (!file.ok()) return file.status();
  absl::StatusOr<Dialect> dialect = MakeArbinDialect(*file);
  if (!dialect.ok()) return dialect.status();
  dialect->separator = '\t';
  for (ColumnRule& rule : dialect->rules) {
    if (rule.header == "datetime") rule = {"datetime", kUnixTime, "", ValueKind::kExcelDate};
  }
  absl::StatusOr<ParsedSeries> out = ReadTable(*file, *dialect);
  if (!out.ok()) return out.status();
  if (!left_out.empty()) {
    out->metadata["batteryhub.left_out"] =
        absl::StrCat("auxiliary channels without a BDF column: ", absl::StrJoin(left_out, ", "));
  }
  out->metadata["arbin.tables"] = "Channel_Normal_Table, Auxiliary_Table";
  return out;
}

}  // namespace batteryhub::parsers
