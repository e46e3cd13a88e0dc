"""The "see the data" measures on a series already in a hub (plot_bench
leaves one) and in PostgreSQL (table `series`, test_id 1), side by side:

- pandas: hub.series(name).to_pandas() of every row and column, against
  psql's COPY … TO STDOUT (CSV) read by pandas.read_csv, the way a user
  without a database driver gets a DataFrame from PostgreSQL;
- the web view's path: GET …/series:plot?buckets=2000 over HTTP/JSON;
- the cell-test page's first plot in headless Chromium: from navigation
  start to the voltage/current plot drawn (`data-drawn-ms`), page loaded
  afresh each time.

Run with a Python that has the batteryhub package (run_see_data_bench.sh
installs it into a venv). Prints one JSON object."""
import argparse
import io
import json
import statistics
import subprocess
import time
import urllib.request

import batteryhub
import pandas as pd


def timed(f, reps):
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), out


def browser_first_plot(http, token, name, reps):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        d.get(f"http://{http}/")
        d.execute_script("sessionStorage.setItem('batteryhub.token', arguments[0])", token)
        drawn = []
        for _ in range(reps):
            d.get("about:blank")
            d.get(f"http://{http}/#/r/{name}")
            WebDriverWait(d, 60).until(lambda d: d.execute_script(
                "const p = document.getElementById('plot-vi'); return p && p.dataset.drawnMs"))
            drawn.append(float(d.execute_script("return document.getElementById('plot-vi').dataset.drawnMs")))
            points = int(d.execute_script("return document.getElementById('plot-vi').dataset.points"))
        return {"first_plot_p50_ms": statistics.median(drawn), "first_plot_first_ms": drawn[0],
                "first_plot_max_ms": max(drawn), "points": points}
    finally:
        d.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hub", required=True)
    ap.add_argument("--http", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--psql", required=True, help="psql command line (space-separated) reaching the bench database")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    hub = batteryhub.Hub(a.hub, token=a.token)
    hub_s, hub_min, df = timed(lambda: hub.series(a.name).to_pandas(), a.reps)
    copy = ("\\copy (SELECT test_time_second, voltage_volt, current_ampere, cycle_count, step_index,"
            " charging_capacity_ampere_hour, discharging_capacity_ampere_hour, surface_temperature_celsius"
            " FROM series WHERE test_id = 1 ORDER BY row_id) TO STDOUT WITH CSV HEADER")

    def from_pg():
        out = subprocess.run(a.psql.split() + ["-c", copy], check=True, capture_output=True).stdout
        return pd.read_csv(io.BytesIO(out))
    pg_s, pg_min, pg_df = timed(from_pg, a.reps)
    same = bool((df.voltage_volt.to_numpy() == pg_df.voltage_volt.to_numpy()).all())

    def plot_http():
        req = urllib.request.Request(f"http://{a.http}/v1/{a.name}/series:plot?buckets=2000",
                                     headers={"Authorization": f"Bearer {a.token}"})
        with urllib.request.urlopen(req) as r:
            return json.load(r)
    http_s, _, plot = timed(plot_http, 10)
    result = {"rows": len(df), "columns": len(df.columns),
              "to_pandas_p50_s": hub_s, "to_pandas_min_s": hub_min,
              "pg_copy_read_csv_p50_s": pg_s, "pg_copy_read_csv_min_s": pg_min,
              "same_voltages": same, "http_plot_p50_ms": http_s * 1e3,
              "http_plot_points": sum(len(line.get("x", [])) for line in plot["lines"])}
    result.update(browser_first_plot(a.http, a.token, a.name, 5))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
