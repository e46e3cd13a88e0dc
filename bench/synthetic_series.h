// The synthetic cycling series both the series and the sync benchmarks
// use, its upload into a hub and its load into PostgreSQL.
#pragma once

#include <libpq-fe.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "clients/cpp/hub_client.h"

namespace batteryhub::bench {

namespace v1 = ::batteryhub::v1;

inline double Round(double v, double scale) { return std::round(v * scale) / scale; }

// A cycling test with the precision cyclers write: time 0.001 s, voltage
// 0.1 mV, current 0.01 mA, capacity 1 uAh, temperature 0.01 degC.
struct Synthetic {
  std::vector<std::string> names = {"test_time_second", "voltage_volt", "current_ampere",
                                    "cycle_count", "step_index", "charging_capacity_ampere_hour",
                                    "discharging_capacity_ampere_hour", "surface_temperature_celsius"};
  std::vector<std::vector<double>> cols;
  Synthetic(int64_t rows, int64_t cycle_rows) : cols(8) {
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0, 1);
    double qc = 0, qd = 0;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t cycle = r / cycle_rows + 1, k = r % cycle_rows;
      const bool charge = k < cycle_rows / 2;
      const double x = static_cast<double>(k % (cycle_rows / 2)) / (cycle_rows / 2);
      const double current = charge ? 1.5 : -1.5;
      if (k == 0) qc = qd = 0;
      (charge ? qc : qd) += 1.5 * 10 / 3600;
      cols[0].push_back(Round(r * 10.0 + 0.001 * (rng() % 7), 1e3));
      cols[1].push_back(Round((charge ? 3.4 + 0.8 * x : 4.2 - 1.2 * x) + 0.0005 * noise(rng), 1e4));
      cols[2].push_back(Round(current + 0.00002 * noise(rng), 1e5));
      cols[3].push_back(static_cast<double>(cycle));
      cols[4].push_back(charge ? 1 : 2);
      cols[5].push_back(Round(qc, 1e6));
      cols[6].push_back(Round(qd, 1e6));
      cols[7].push_back(Round(25 + 2 * std::sin(r / 5000.0) + 0.05 * noise(rng), 1e2));
    }
  }
  int64_t rows() const { return static_cast<int64_t>(cols[0].size()); }

  // Uploads every row into `cell_test` in requests of `batch_rows` rows.
  grpc::Status Upload(client::HubClient& hub, const std::string& cell_test, int64_t batch_rows,
                      v1::UploadSeriesResponse* out) const {
    v1::UploadHeader header;
    header.set_cell_test(cell_test);
    header.set_upload_id("bench");
    header.set_row_count(rows());
    for (const auto& n : names) header.add_columns()->set_name(n);
    return hub.UploadSeries(
        header, batch_rows,
        [&](int64_t first, int64_t n, v1::SeriesChunk* chunk) {
          for (size_t c = 0; c < names.size(); ++c) {
            auto* col = chunk->add_columns();
            col->set_name(names[c]);
            col->mutable_values()->Add(cols[c].begin() + first, cols[c].begin() + first + n);
          }
        },
        nullptr, out);
  }
};

// A cylindrical NMC811 cell test `institutions/nrc/cellTests/{id}` for the
// benchmarks' series.
inline grpc::Status CreateBenchCellTest(client::HubClient& hub, const std::string& id,
                                        v1::CellTest* created) {
  v1::CreateCellTestRequest create;
  create.set_parent("institutions/nrc");
  create.set_cell_test_id(id);
  auto* t = create.mutable_cell_test();
  t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_CYLINDRICAL);
  t->mutable_cell()->set_chemistry("NMC811/graphite");
  t->mutable_cell()->mutable_nominal_capacity()->set_value(3);
  t->mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
  t->mutable_protocol()->mutable_temperature()->set_value(25);
  t->mutable_protocol()->mutable_temperature()->set_unit("degC");
  return hub.CreateCellTest(create, created);
}

inline std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

// (Re)creates table `series` (test, row primary key: the layout of Battery
// Archive and Galvanalyser) and COPYs `data` into it as test 1, in one
// transaction with synchronous commit.
inline bool CopySeries(PGconn* conn, const Synthetic& data) {
  if (!PgOk(PQexec(conn, "DROP TABLE IF EXISTS series"), "drop") ||
      !PgOk(PQexec(conn,
                   "CREATE TABLE series (test_id integer, row_id bigint, test_time_second double "
                   "precision, voltage_volt double precision, current_ampere double precision, "
                   "cycle_count integer, step_index integer, charging_capacity_ampere_hour double "
                   "precision, discharging_capacity_ampere_hour double precision, "
                   "surface_temperature_celsius double precision, PRIMARY KEY (test_id, row_id))"),
            "create") ||
      !PgOk(PQexec(conn, "BEGIN"), "begin") || !PgOk(PQexec(conn, "COPY series FROM STDIN"), "copy")) {
    return false;
  }
  std::string buf;
  for (int64_t r = 0; r < data.rows(); ++r) {
    buf += "1\t" + std::to_string(r);
    for (size_t c = 0; c < data.cols.size(); ++c) {
      buf += '\t';
      buf += Fmt(data.cols[c][r]);
    }
    buf += "\n";
    if (buf.size() > (1 << 20)) {
      PQputCopyData(conn, buf.data(), static_cast<int>(buf.size()));
      buf.clear();
    }
  }
  PQputCopyData(conn, buf.data(), static_cast<int>(buf.size()));
  PQputCopyEnd(conn, nullptr);
  return PgOk(PQgetResult(conn), "copy end") && PgOk(PQexec(conn, "COMMIT"), "commit");
}

}  // namespace batteryhub::bench
