"""The web view in a real browser: Debian's headless Chromium driven by
chromium-driver and python3-selenium, against a real batteryhubd (HTTP
listener, web root of this build) loaded with the demo consortium.

As NRC: sign in, search, open a cell test, check that the voltage/current
plot drew what the hub's PlotSeries answers for the same window (and that
a drag zooms to full resolution), that the per-cycle plots and dQ/dV drew,
and that the overlay has one line per chosen test. As NEDO: NRC's records
that NEDO may not read (the API's own refusals) appear nowhere: not in any
search page, not by URL (the page is the one of a name that never existed),
not in any lineage graph. Screenshots go to web-screenshots/ under the
test's working folder. Exit status 77 (skip) without Chromium, its driver,
selenium or the bundled uPlot."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import unittest
import urllib.error
import urllib.parse
import urllib.request

HUBD, BHUB, SOURCE, WEB_ROOT = sys.argv[1:5]
sys.path.insert(0, os.path.join(SOURCE, "tests", "e2e"))
from hub_process import HubProcess  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = os.path.join(os.getcwd(), "web-screenshots")


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
    skip("Chromium or chromium-driver is not installed (scripts/install-deps.sh installs them)")
try:
    from selenium import webdriver
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    skip("python3-selenium is not installed")
if not os.path.exists(os.path.join(WEB_ROOT, "vendor", "uPlot.esm.js")):
    skip(f"uPlot is not bundled in {WEB_ROOT} (scripts/install-deps.sh, then rebuild)")

KINDS = ("cellTests", "samples", "characterizations")


class WebViewTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        cls.hub = HubProcess(HUBD).start()
        tokens = cls.hub.tokens()
        cls.nrc = tokens["nrc"]["submitter"]
        cls.nedo = tokens["nedo"]["viewer"]
        subprocess.run([BHUB, "--hub", cls.hub.address, "demo", "load"], check=True, capture_output=True,
                       env={**os.environ, "BATTERYHUB_TOKEN": tokens["hub"]["admin"]})
        cls.base = f"http://{cls.hub.http_address}"
        options = Options()
        options.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1280,1000", "--disable-extensions", "--no-first-run"):
            options.add_argument(a)
        cls.driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        cls.driver.set_page_load_timeout(60)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.hub.terminate()

    # --- helpers -----------------------------------------------------------
    def api(self, path, token, **params):
        query = urllib.parse.urlencode(params, doseq=True)
        request = urllib.request.Request(f"{self.base}{path}" + (f"?{query}" if query else ""),
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.load(r)

    def wait(self, css, timeout=30):
        return WebDriverWait(self.driver, timeout).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, css) and d.find_elements(By.CSS_SELECTOR, css)[0])

    def sign_in(self, token):
        d = self.driver
        d.get(self.base + "/")
        d.execute_script("sessionStorage.clear()")
        d.refresh()
        self.wait("#token").send_keys(token)
        d.find_element(By.ID, "signin").click()
        WebDriverWait(d, 30).until(lambda d: d.find_element(By.ID, "who").text)
        self.assertNotIn(token, d.current_url)

    def go(self, hash_route):
        self.driver.get(f"{self.base}/#/{hash_route}")

    def open_record(self, name, css):
        """The page of `name`, once it (not the page before) is drawn."""
        self.go(f"r/{name}")
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script(  # one step: no stale element
            "const h = document.querySelector('main h1');"
            "return !!h && (h.dataset.name === arguments[0] || h.textContent.startsWith(arguments[0]));", name))
        return self.wait(css)

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))

    def inked_pixels(self, css):
        """Pixels of the plot's canvas that are not blank: it was drawn."""
        return self.driver.execute_script(
            "const c = document.querySelector(arguments[0] + ' canvas');"
            "if (!c) return 0; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ++n; return n;", css)

    def search_names(self, kind):
        """Every name the search page shows for a kind, through all pages."""
        self.go(f"search/{kind}")
        names = []
        while True:
            WebDriverWait(self.driver, 30).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, "#result-table, #no-results, #results .error"))
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#results .error"))
            names += [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, "#result-table tbody tr td:first-child a")]
            nxt = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "#results button") if b.text.startswith("Next")][0]
            if not nxt.is_enabled():
                return names
            table = self.driver.find_elements(By.CSS_SELECTOR, "#result-table")
            nxt.click()
            if table:
                WebDriverWait(self.driver, 30).until(lambda d: not table[0].is_displayed() if _alive(table[0]) else True)

    def test_nrc_sees_a_characterization_read_from_its_instrument_file(self):
        """The demo's XRD and BET records came from instrument files: the page
        draws their curves with every point the API holds, lists the results
        with how the computed ones were found, and offers the file."""
        self.sign_in(self.nrc)
        name = "institutions/nrc/characterizations/bet-cam-1"
        record = self.api(f"/v1/{name}", self.nrc)
        self.open_record(name, "#curve-area .curve-plot canvas")
        plots = self.driver.find_elements(By.CSS_SELECTOR, "#curve-area .curve-plot")
        self.assertEqual(len(plots), 1)  # adsorption and desorption share axes: one plot
        self.assertEqual(int(plots[0].get_attribute("data-points")),
                         sum(len(c["x"]) for c in record["curves"]))
        self.assertGreater(self.inked_pixels("#curve-area .curve-plot"), 500)
        rows = {r.get_attribute("data-result"): r.text
                for r in self.driver.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")}
        self.assertEqual(set(rows), {r["name"] for r in record["results"]})
        self.assertIn("Rouquerol", rows["bet_surface_area"])
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "#curve-area .download-attachment"))
        self.assertNotIn("null", self.driver.find_element(By.CSS_SELECTOR, "main").text.split())
        self.shot("characterization")
        xrd = "institutions/nrc/characterizations/xrd-cam-1"
        self.open_record(xrd, "#curve-area .curve-plot canvas")
        self.assertEqual(int(self.driver.find_element(By.CSS_SELECTOR, "#curve-area .curve-plot").get_attribute("data-points")),
                         len(self.api(f"/v1/{xrd}", self.nrc)["curves"][0]["x"]))
        # The instrument file through HTTP: the bytes the record names.
        sha = record["attachments"][0]["sha256"]
        request = urllib.request.Request(f"{self.base}/v1/{name}/rawFiles/{sha}",
                                         headers={"Authorization": f"Bearer {self.nrc}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            self.assertEqual(hashlib.sha256(r.read()).hexdigest(), sha)

    # --- NRC ---------------------------------------------------------------
    def test_nrc_plots_a_cell_test_and_compares_three(self):
        self.sign_in(self.nrc)
        names = self.search_names("cellTests")
        self.assertIn("institutions/nrc/cellTests/ct-001", names)
        self.shot("search")
        test = "institutions/nrc/cellTests/ct-001"
        self.go(f"r/{test}")
        plot = self.wait("#plot-vi[data-points]")
        self.wait("#plot-dqdv[data-points] canvas")
        buckets = int(plot.get_attribute("data-buckets"))
        expected = self.api(f"/v1/{test}/series:plot", self.nrc, buckets=buckets,
                            columns=["voltage_volt", "current_ampere"])
        points = sum(len(line.get("x", [])) for line in expected["lines"])
        self.assertEqual(int(plot.get_attribute("data-points")), points)
        self.assertEqual(plot.get_attribute("data-decimated"), "true")
        self.assertGreater(points, 2 * buckets)  # two lines, a min and a max per bucket
        # Drawn: uPlot's canvas has ink, its legend names both columns.
        self.assertGreater(self.inked_pixels("#plot-vi"), 2000)
        legend = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#plot-vi .u-legend .u-series .u-label")]
        self.assertTrue(any("voltage_volt" in t for t in legend) and any("current_ampere" in t for t in legend), legend)
        for css in ("#plot-capacity", "#plot-ce", "#plot-retention", "#plot-dqdv"):
            self.assertGreater(self.inked_pixels(css), 500, css)
        summary_cycles = self.api(f"/v1/{test}", self.nrc)["summary"]["cycleCount"]
        self.assertEqual(int(self.driver.find_element(By.ID, "plot-capacity").get_attribute("data-points")),
                         summary_cycles)
        self.driver.execute_script("document.getElementById('plot-vi').scrollIntoView()")
        self.shot("cell-test")
        # A drag over a few pixels fetches that window at full resolution.
        over = self.driver.find_element(By.CSS_SELECTOR, "#plot-vi .u-over")
        ActionChains(self.driver).move_to_element_with_offset(over, -over.size["width"] // 4, 0) \
            .click_and_hold().move_by_offset(12, 0).release().perform()
        WebDriverWait(self.driver, 30).until(
            lambda d: d.find_element(By.ID, "plot-vi").get_attribute("data-decimated") == "false")
        zoomed = self.driver.find_element(By.ID, "plot-vi")
        rows = int(zoomed.get_attribute("data-window-rows"))
        self.assertGreater(rows, 0)
        window = self.api(f"/v1/{test}/series:plot", self.nrc, buckets=buckets, columns=["voltage_volt", "current_ampere"],
                          x_start=zoomed.get_attribute("data-x-start"), x_end=zoomed.get_attribute("data-x-end"))
        self.assertEqual(int(window["windowRows"]), rows)
        self.assertEqual(int(zoomed.get_attribute("data-points")), 2 * rows)
        self.shot("cell-test-zoomed")

        # The overlay: the cell tests with cycles of three institutes.
        picks = [f"institutions/{i}/cellTests/ct-001" for i in ("nrc", "aist", "nedo")]
        self.go("search/cellTests")
        self.wait("#result-table")
        for name in picks:
            self.driver.find_element(By.CSS_SELECTOR, f"input.pick[value='{name}']").click()
        self.driver.find_element(By.ID, "compare").click()
        compare = self.wait("#plot-compare[data-lines] canvas")
        compare = self.driver.find_element(By.ID, "plot-compare")
        self.assertEqual(int(compare.get_attribute("data-lines")), 3)
        series = self.driver.find_elements(By.CSS_SELECTOR, "#plot-compare .u-legend .u-series")
        self.assertEqual(len(series), 1 + 3)  # x, then one line per test
        labels = [s.text for s in self.driver.find_elements(By.CSS_SELECTOR, "#plot-compare .u-legend .u-series .u-label")]
        self.assertEqual(sorted(labels[1:]), sorted(n.replace("institutions/", "") for n in picks))
        self.assertGreater(self.inked_pixels("#plot-compare"), 2000)
        self.shot("compare")

    # --- NEDO --------------------------------------------------------------
    def refusal(self, name, token):
        try:
            self.api(f"/v1/{name}", token)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)
        return None

    def hidden_from_nedo(self):
        """NRC's records that the API itself refuses NEDO, with the answer it
        gives for a name that never existed (PERMISSION_DENIED, "or it might
        not exist", AIP-211)."""
        hidden = []
        for kind in KINDS:
            page = self.api(f"/v1/institutions/nrc/{kind}", self.nrc, page_size=1000)
            self.assertNotIn("nextPageToken", page)
            for record in page.get(kind, []):
                refused = self.refusal(record["name"], self.nedo)
                if refused:
                    never = self.refusal(f"institutions/nrc/{kind}/never-seen", self.nedo)
                    self.assertEqual(refused[0], never[0])
                    self.assertEqual(refused[1]["details"], never[1]["details"])
                    hidden.append(record["name"])
        return hidden

    def test_nedo_sees_no_private_nrc_record_anywhere(self):
        hidden = self.hidden_from_nedo()
        self.assertTrue(hidden, "the demo has private NRC records")
        self.sign_in(self.nedo)
        seen = []
        for kind in KINDS:
            names = self.search_names(kind)
            self.assertFalse(set(names) & set(hidden), kind)
            seen += names
        self.assertTrue(any(n.startswith("institutions/nrc/") for n in seen), "NEDO sees NRC's shared records")
        # By URL: the page of a hidden record is that of a name that never was.
        for name in hidden:
            text = self.open_record(name, "#record-error").text
            kind, rid = name.split("/")[2:4]
            never = self.open_record(f"institutions/nrc/{kind}/never-{rid}", "#record-error").text
            self.assertEqual(text.replace(rid, "ID"), never.replace(f"never-{rid}", "ID"))
        self.shot("nedo-hidden-by-url")
        # In lineage: no graph of any record NEDO can open names a hidden one.
        for name in seen:
            self.open_record(name, "#lineage-graph, #lineage-empty, #lineage .error")
            nodes = [g.get_attribute("data-name") for g in self.driver.find_elements(By.CSS_SELECTOR, "#lineage-graph g.node")]
            self.assertFalse(set(nodes) & set(hidden), name)
            body = self.driver.find_element(By.TAG_NAME, "body").text
            for h in hidden:
                self.assertNotIn(h, body, name)
        self.open_record("institutions/nrc/cellTests/ct-001", "#plot-vi[data-drawn-ms]")
        self.driver.execute_script("document.getElementById('lineage').scrollIntoView()")
        self.shot("nedo-record")


def _alive(element):
    try:
        element.is_displayed()
        return True
    except Exception:  # stale: the page replaced it
        return False


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
