// ReadSeries, ListCycleSummaries, and raw files in and out.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "batteryhub/v1/characterization.pb.h"
#include "core/bdf_columns.h"
#include "core/errors.h"
#include "core/series_decimation.h"
#include "core/sha256.h"
#include "core/status_macros.h"
#include "query/list_query.h"
#include "domain/record_access.h"
#include "services/record_calls.h"
#include "services/series_service.h"

namespace batteryhub {
namespace {


constexpr const char* kNoun = "cell test";

// The cell test if `p` sees it at `tier` at least: series and raw files are
// FULL, cycle summaries SUMMARY (policy_engine.h). With `revisions`, a name
// `NAME@N` answers revision N of it (decided on the current one's access).
absl::StatusOr<v1::CellTest> VisibleCellTest(const ServiceContext& hub, const Principal& p,
                                             const std::string& name_text, const char* field,
                                             v1::Tier tier, bool revisions = false) {
  ASSIGN_OR_RETURN(RecordName name, ParseRecordName(name_text, "cellTests", field, revisions));
  ASSIGN_OR_RETURN(storage::StoredRecord record,
                   LoadVisibleRecord(hub, p, storage::v1::RECORD_KIND_CELL_TEST, name, kNoun,
                                     nullptr, tier));
  if (!record.origin_hub().empty()) {
    ASSIGN_OR_RETURN(uint64_t complete,
                     storage::SeriesStore(hub.store).ReplicaSeriesRevision(name.Name()));
    if (complete != record.revision()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            name.Name(), " is a replica from hub '", record.origin_hub(),
                            "' whose series has not been replicated yet: read it there, or "
                            "after the next sync")),
                        "REPLICA_SERIES_PENDING");
    }
  }
  v1::CellTest test;
  if (!test.ParseFromString(record.resource())) return absl::DataLossError("corrupt cell test");
  if (name.revision == 0 || name.revision == record.revision()) return test;
  absl::StatusOr<storage::StoredRecord> past =
      hub.store->Get(storage::v1::RECORD_KIND_CELL_TEST, name.Name(), name.revision);
  if (absl::IsNotFound(past.status())) {
    return absl::NotFoundError(absl::StrCat("revision ", name.revision, " of '", name.Name(),
                                            "' does not exist (latest is ", record.revision(), ")"));
  }
  if (!past.ok()) return past.status();
  v1::CellTest then;
  if (!then.ParseFromString(past->resource())) return absl::DataLossError("corrupt cell test");
  if (!record.origin_hub().empty() && then.series().generation() != test.series().generation()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "revision ", name.revision, " of the replica ", name.Name(),
                          " carries a series that was replaced since; replicas hold the current "
                          "one only: read it at hub '", record.origin_hub(), "'")),
                      "REPLICA_SERIES_REPLACED");
  }
  return then;
}


}  // namespace

absl::StatusOr<SeriesServiceImpl::RowRange> SeriesServiceImpl::RowsOf(const v1::CellTest& test,
                                                                      int64_t start_row,
                                                                      int64_t end_row,
                                                                      int64_t start_cycle,
                                                                      int64_t end_cycle) const {
  if (start_row < 0 || end_row < 0) return InvalidField("start_row", "must be >= 0");
  const int64_t total = test.series().row_count();
  RowRange range{start_row, end_row == 0 ? total : std::min(end_row, total)};
  if (end_cycle > 0) {
    if (start_cycle > end_cycle) return InvalidField("start_cycle", "must be <= end_cycle");
    ASSIGN_OR_RETURN(std::vector<v1::CycleSummary> cycles,
                     series_.ListCycles(storage::SeriesIdOf(test), start_cycle,
                                        static_cast<int>(std::min<int64_t>(end_cycle - start_cycle + 1, 1 << 20))));
    range = {0, 0};
    bool any = false;
    for (const v1::CycleSummary& cy : cycles) {
      if (cy.cycle() > end_cycle) break;
      if (!any) range.start = cy.first_row();
      range.end = cy.first_row() + cy.row_count();
      any = true;
    }
  }
  if (range.start > range.end) range.start = range.end;
  return range;
}

grpc::Status SeriesServiceImpl::ReadSeries(grpc::ServerContext* c, const v1::ReadSeriesRequest* r,
                                           grpc::ServerWriter<v1::SeriesChunk>* writer) {
  return RunStreamCall(hub_, c, "ReadSeries", r->name(), [&](const Principal& p) {
    return Read(p, *r, writer);
  });
}

absl::Status SeriesServiceImpl::Read(const Principal& p, const v1::ReadSeriesRequest& r,
                                     grpc::ServerWriter<v1::SeriesChunk>* writer) {
  ASSIGN_OR_RETURN(v1::CellTest test,
                   VisibleCellTest(hub_, p, r.name(), "name", v1::TIER_FULL, true));
  std::vector<std::string> have, columns;
  for (const auto& col : test.series().columns()) have.push_back(col.name());
  // In the order asked for, or the series' own order.
  for (const std::string& name : r.columns().empty() ? have : std::vector<std::string>(
                                                                  r.columns().begin(), r.columns().end())) {
    if (std::find(have.begin(), have.end(), name) == have.end()) {
      return InvalidField("columns", absl::StrCat("unknown column '", name, "'; this series has: ",
                                             absl::StrJoin(have, ", ")));
    }
    columns.push_back(name);
  }
  ASSIGN_OR_RETURN(RowRange rows, RowsOf(test, r.start_row(), r.end_row(), r.start_cycle(),
                                         r.end_cycle()));
  const int64_t start = rows.start, end = rows.end;
  if (start >= end) return absl::OkStatus();
  return series_.ReadChunks(storage::SeriesIdOf(test), columns, start, end, [&](storage::ReadChunk& chunk) {
    const int64_t len = chunk.rows;
    const int64_t from = std::max(start, chunk.first_row), to = std::min(end, chunk.first_row + len);
    if (from >= to) return chunk.first_row + len < end;
    // Messages of about 1 MiB, whatever the chunk size.
    const int64_t step = std::max<int64_t>(1, (1 << 20) / (8 * std::max<size_t>(1, columns.size())));
    for (int64_t a = from; a < to; a += step) {
      const int64_t b = std::min(to, a + step);
      v1::SeriesChunk out;
      out.set_first_row(a);
      for (const std::string& name : columns) {
        auto* col = out.add_columns();
        col->set_name(name);
        auto it = chunk.columns.find(name);
        if (it == chunk.columns.end()) {  // an upload without this column
          col->mutable_values()->Resize(static_cast<int>(b - a), std::nan(""));
          continue;
        }
        col->mutable_values()->Add(it->second.begin() + (a - chunk.first_row),
                                   it->second.begin() + (b - chunk.first_row));
      }
      if (!WriteMessage(writer, out)) return false;
    }
    return to < end;
  });
}

grpc::Status SeriesServiceImpl::PlotSeries(grpc::ServerContext* c, const v1::PlotSeriesRequest* r,
                                           v1::SeriesPlot* out) {
  return RunCall(hub_, *c, "PlotSeries", r->name(), [&](const Principal& p) {
    const CancelledFn cancelled = [c] { return c->IsCancelled(); };
    return Plot(p, *r, cancelled, out);
  });
}

namespace {

constexpr int kMaxPlotBuckets = 10000;
constexpr absl::string_view kRowAxis = "row";

std::string UnitOf(absl::string_view column) {
  if (column == kRowAxis) return "";
  const BdfColumn* bdf = FindBdfColumn(column);
  if (bdf == nullptr) return "";
  const size_t slash = bdf->label.rfind(" / ");
  return slash == absl::string_view::npos ? "" : std::string(bdf->label.substr(slash + 3));
}

}  // namespace

absl::Status SeriesServiceImpl::Plot(const Principal& p, const v1::PlotSeriesRequest& r,
                                     const CancelledFn& cancelled, v1::SeriesPlot* out) {
  ASSIGN_OR_RETURN(v1::CellTest test,
                   VisibleCellTest(hub_, p, r.name(), "name", v1::TIER_FULL, true));
  if (r.buckets() < 0 || r.buckets() > kMaxPlotBuckets) {
    return InvalidField("buckets", absl::StrCat("must be 0..", kMaxPlotBuckets));
  }
  const int buckets = r.buckets() == 0 ? 1000 : r.buckets();
  if (!std::isfinite(r.x_start()) || !std::isfinite(r.x_end()) || r.x_start() > r.x_end()) {
    return InvalidField("x_start", "the window must be finite with x_start <= x_end");
  }
  std::vector<std::string> have;
  for (const auto& col : test.series().columns()) have.push_back(col.name());
  auto has = [&](const std::string& name) {
    return std::find(have.begin(), have.end(), name) != have.end();
  };
  const std::string x_column = r.x_column().empty() ? "test_time_second" : r.x_column();
  const bool by_row = x_column == kRowAxis;
  if (!by_row && !has(x_column)) {
    return InvalidField("x_column", absl::StrCat("unknown column '", x_column,
                                                 "'; this series has: row, ", absl::StrJoin(have, ", ")));
  }
  std::vector<std::string> columns;
  if (r.columns().empty()) {
    for (const char* name : {"voltage_volt", "current_ampere"}) {
      if (has(name)) columns.push_back(name);
    }
  }
  for (const std::string& name : r.columns()) {
    if (!has(name)) {
      return InvalidField("columns", absl::StrCat("unknown column '", name, "'; this series has: ",
                                                  absl::StrJoin(have, ", ")));
    }
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
  }
  ASSIGN_OR_RETURN(RowRange rows, RowsOf(test, 0, 0, r.start_cycle(), r.end_cycle()));
  out->set_x_column(x_column);
  out->mutable_units()->insert({x_column, UnitOf(x_column)});
  for (const std::string& name : columns) out->mutable_units()->insert({name, UnitOf(name)});
  const std::string series = storage::SeriesIdOf(test);
  auto stop = [&]() { return cancelled && cancelled(); };
  // Test time that the hub's checks never saw step back is non-decreasing:
  // its extent is its first and last value, and a window's rows are found
  // by binary search (a chunk of x per probe) instead of a pass over them.
  const bool monotone =
      x_column == "test_time_second" &&
      std::none_of(test.series().findings().begin(), test.series().findings().end(),
                   [](const v1::SeriesFinding& f) { return f.check() == "time-backwards"; });
  // The window: asked for, or the extent of x over the rows.
  double x0 = r.x_start(), x1 = r.x_end();
  const bool whole = x0 == 0 && x1 == 0;
  if (whole && rows.start < rows.end && by_row) {
    x0 = static_cast<double>(rows.start);
    x1 = static_cast<double>(rows.end - 1);
  } else if (whole && rows.start < rows.end) {
    bool found = false;
    if (monotone) {
      ASSIGN_OR_RETURN(std::optional<double> first,
                       series_.FiniteValueNear(series, x_column, rows.start, true));
      ASSIGN_OR_RETURN(std::optional<double> last,
                       series_.FiniteValueNear(series, x_column, rows.end - 1, false));
      if (first && last) x0 = *first, x1 = *last, found = true;
    }
    if (!found) {  // a pass over x alone
      x0 = std::numeric_limits<double>::infinity();
      x1 = -x0;
      RETURN_IF_ERROR(series_.ReadChunks(series, {x_column}, rows.start, rows.end,
                                         [&](storage::ReadChunk& chunk) {
        auto it = chunk.columns.find(x_column);
        if (it == chunk.columns.end()) return !stop();
        const int64_t from = std::max(rows.start, chunk.first_row);
        const int64_t to = std::min(rows.end, chunk.first_row + chunk.rows);
        for (int64_t i = from; i < to; ++i) {
          const double x = it->second[static_cast<size_t>(i - chunk.first_row)];
          if (std::isnan(x)) continue;
          x0 = std::min(x0, x);
          x1 = std::max(x1, x);
        }
        return !stop() && to < rows.end;
      }));
      if (x0 > x1) x0 = x1 = 0;  // no x at all
    }
  } else if (!whole && by_row) {
    rows.start = std::max(rows.start, static_cast<int64_t>(std::ceil(std::max(x0, -1.0))));
    rows.end = std::max(rows.start, std::min(rows.end, static_cast<int64_t>(std::min(x1, 9e18)) + 1));
  } else if (!whole && monotone && rows.start < rows.end) {
    // Only the rows of the window are read.
    ASSIGN_OR_RETURN(std::optional<int64_t> a,
                     series_.LowerBoundRow(series, x_column, rows.start, rows.end, x0, false));
    if (a) {
      ASSIGN_OR_RETURN(std::optional<int64_t> b,
                       series_.LowerBoundRow(series, x_column, *a, rows.end, x1, true));
      if (b) rows.start = *a, rows.end = *b;
    }
  }
  if (stop()) return absl::CancelledError("the call was cancelled");
  out->set_x_start(x0);
  out->set_x_end(x1);
  std::vector<std::string> read = columns;
  if (!by_row && std::find(read.begin(), read.end(), x_column) == read.end()) read.push_back(x_column);
  // The rows [start, end) decimated into `part` (one decimator per column).
  struct Part {
    std::vector<MinMaxDecimator> lines;
    int64_t window_rows = 0;
    absl::Status status;
  };
  auto decimate = [&](int64_t start, int64_t end, Part* part) {
    std::vector<double> row_numbers;
    part->status = series_.ReadChunks(series, read, start, end, [&](storage::ReadChunk& chunk) {
      const int64_t from = std::max(start, chunk.first_row);
      const int64_t to = std::min(end, chunk.first_row + chunk.rows);
      const std::vector<double>* xs = nullptr;
      if (!by_row) {
        auto it = chunk.columns.find(x_column);
        if (it == chunk.columns.end()) return !stop() && to < end;
        xs = &it->second;
      }
      if (to <= from) return !stop() && to < end;
      if (!xs) {  // the row axis: x is the row number
        row_numbers.resize(static_cast<size_t>(to - from));
        for (int64_t i = from; i < to; ++i) row_numbers[static_cast<size_t>(i - from)] = static_cast<double>(i);
      }
      const size_t skip = static_cast<size_t>(from - chunk.first_row), n = static_cast<size_t>(to - from);
      const double* x = xs ? xs->data() + skip : row_numbers.data();
      for (size_t i = 0; i < n; ++i) part->window_rows += x[i] >= x0 && x[i] <= x1;
      for (size_t c = 0; c < columns.size(); ++c) {
        auto it = chunk.columns.find(columns[c]);
        if (it == chunk.columns.end()) continue;  // an upload without it: NaN
        part->lines[c].AddMany(x, it->second.data() + skip, n);
      }
      return !stop() && to < end;
    });
  };
  // A long window is read in two halves at once (decoding is most of the
  // work), then merged: the same points as one pass.
  constexpr int64_t kSplitRows = int64_t{1} << 20;
  const std::vector<MinMaxDecimator> empty(columns.size(), MinMaxDecimator(x0, x1, buckets));
  Part first, second;
  first.lines = second.lines = empty;
  if (rows.start < rows.end && !columns.empty()) {
    const int64_t mid = rows.start + (rows.end - rows.start) / 2;
    std::optional<std::thread> other;
    if (rows.end - rows.start >= kSplitRows) {
      try {
        other.emplace([&] { decimate(mid, rows.end, &second); });
      } catch (const std::system_error&) {
        // No thread to be had (the process is at its limit): one pass.
      }
    }
    if (other) {
      decimate(rows.start, mid, &first);
      other->join();
      RETURN_IF_ERROR(first.status);
      RETURN_IF_ERROR(second.status);
      for (size_t c = 0; c < columns.size(); ++c) first.lines[c].Merge(second.lines[c]);
      first.window_rows += second.window_rows;
    } else {
      decimate(rows.start, rows.end, &first);
      RETURN_IF_ERROR(first.status);
    }
  }
  std::vector<MinMaxDecimator>& lines = first.lines;
  const int64_t window_rows = first.window_rows;
  if (stop()) return absl::CancelledError("the call was cancelled");
  out->set_window_rows(window_rows);
  bool decimated = false;
  std::vector<double> x, y;
  for (size_t c = 0; c < columns.size(); ++c) {
    v1::PlotLine* line = out->add_lines();
    line->set_column(columns[c]);
    lines[c].Points(&x, &y);
    decimated |= lines[c].decimated();
    line->mutable_x()->Add(x.begin(), x.end());
    line->mutable_y()->Add(y.begin(), y.end());
  }
  out->set_decimated(decimated);
  return absl::OkStatus();
}

grpc::Status SeriesServiceImpl::ListCycleSummaries(grpc::ServerContext* c,
                                                   const v1::ListCycleSummariesRequest* r,
                                                   v1::ListCycleSummariesResponse* out) {
  return RunCall(hub_, *c, "ListCycleSummaries", r->name(), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(v1::CellTest test, VisibleCellTest(hub_, p, r->name(), "name", v1::TIER_SUMMARY));
    if (r->page_size() < 0) return InvalidField("page_size", "must be >= 0");
    const int size = r->page_size() == 0 ? 1000 : std::min(r->page_size(), 10000);
    int64_t from = std::numeric_limits<int64_t>::min();
    const std::string fingerprint = absl::StrCat("cycles\n", test.name(), "\n", p.name);
    if (!r->page_token().empty()) {
      ASSIGN_OR_RETURN(std::string position, DecodePageToken(hub_.store->page_token_key(), r->page_token(), fingerprint));
      if (!absl::SimpleAtoi(position, &from)) return InvalidField("page_token", "malformed");
    }
    ASSIGN_OR_RETURN(std::vector<v1::CycleSummary> cycles,
                     series_.ListCycles(storage::SeriesIdOf(test), from, size + 1));
    for (int i = 0; i < static_cast<int>(cycles.size()) && i < size; ++i) *out->add_cycles() = cycles[i];
    if (static_cast<int>(cycles.size()) > size) {
      out->set_next_page_token(EncodePageToken(hub_.store->page_token_key(), fingerprint,
                                                absl::StrCat(cycles[size].cycle())));
    }
    return absl::OkStatus();
  });
}

grpc::Status SeriesServiceImpl::ReadRawFile(grpc::ServerContext* c, const v1::ReadRawFileRequest* r,
                                            grpc::ServerWriter<v1::RawFileChunk>* writer) {
  const std::string target = r->characterization().empty() ? r->cell_test() : r->characterization();
  return RunStreamCall(hub_, c, "ReadRawFile", target, [&](const Principal& p) -> absl::Status {
    const std::string sha256 = absl::AsciiStrToLower(r->sha256());
    if (!r->characterization().empty()) {
      if (!r->cell_test().empty()) {
        return InvalidField("characterization", "give cell_test or characterization, not both");
      }
      // A characterization's files are its attachments, FULL tier like its
      // curves; the bytes must have been streamed to this record.
      ASSIGN_OR_RETURN(RecordName name, ParseRecordName(r->characterization(), "characterizations",
                                                        "characterization", false));
      ASSIGN_OR_RETURN(storage::StoredRecord record,
                       LoadVisibleRecord(hub_, p, storage::v1::RECORD_KIND_CHARACTERIZATION, name,
                                         "characterization", nullptr, v1::TIER_FULL));
      v1::Characterization ch;
      if (!ch.ParseFromString(record.resource())) return absl::DataLossError("corrupt characterization");
      bool listed = false;
      for (const v1::Attachment& a : ch.attachments()) listed |= absl::AsciiStrToLower(a.sha256()) == sha256;
      ASSIGN_OR_RETURN(std::optional<storage::BlobMeta> blob, series_.LoadBlob(sha256));
      bool held = false;
      if (blob) {
        for (const std::string& h : blob->holders()) held |= h == name.Name();
      }
      if (!listed || !held) {
        return WithReason(absl::NotFoundError(absl::StrCat("no raw file ", sha256, " among the attachments of ",
                                                           name.Name())),
                          "NOT_FOUND");
      }
    } else {
      ASSIGN_OR_RETURN(v1::CellTest test, VisibleCellTest(hub_, p, r->cell_test(), "cell_test", v1::TIER_FULL));
      bool listed = false;
      for (const auto& s : test.series().sources()) listed |= s.sha256() == sha256;
      if (!listed) {
        return WithReason(absl::NotFoundError(absl::StrCat("no raw file ", sha256, " in the series of ",
                                                           test.name())),
                          "NOT_FOUND");
      }
    }
    constexpr size_t kMessageBytes = 64 << 10;  // under any configured message limit
    return series_.ReadBlob(sha256, [&](absl::string_view data) {
      for (size_t off = 0; off < data.size(); off += kMessageBytes) {
        v1::RawFileChunk chunk;
        chunk.set_data(std::string(data.substr(off, kMessageBytes)));
        if (!WriteMessage(writer, chunk)) return false;
      }
      return true;
    });
  });
}

}  // namespace batteryhub
