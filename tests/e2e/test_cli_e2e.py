"""End-to-end tests of the real batteryhubd and bhub binaries.

usage: test_cli_e2e.py BATTERYHUBD BHUB
"""
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from hub_process import HubProcess  # noqa: E402
from records import CELL_TEST_TOML, HEADER, cycler_rows, new_cell_test, row_count  # noqa: E402

HUBD, BHUB = sys.argv[1], sys.argv[2]
SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUF = os.path.join(SOURCE_DIR, "tools", "node_modules", ".bin", "buf")

LOT_JSON = {
    "kind": "SAMPLE_KIND_MATERIAL_LOT",
    "displayName": "NMC811 lot from Sudbury nickel",
    "materialLot": {
        "materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE",
        "material": "NMC811",
        "composition": [{"species": "Ni", "massFraction": 0.6},
                        {"species": "O", "massFraction": 0.4}],
        "origin": {"mineral": "nickel", "country": "CA", "recycledContentFraction": 0.25},
    },
    "access": {"visibility": "VISIBILITY_CONSORTIUM"},
    "labels": {"project": "e2e"},
}



class CliEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = HubProcess(HUBD).start()
        cls.tokens = cls.hub.tokens()
        cls.tmp = tempfile.mkdtemp(prefix="bhub-e2e-files-")

    @classmethod
    def tearDownClass(cls):
        cls.hub.terminate()
        shutil.rmtree(cls.hub.data_dir, ignore_errors=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def bhub(self, *args, token=None, hub=None):
        env = dict(os.environ, BATTERYHUB_HUB=hub or self.hub.address)
        env.pop("BATTERYHUB_TOKEN", None)
        if token:
            env["BATTERYHUB_TOKEN"] = token
        return subprocess.run([BHUB, *args], env=env, capture_output=True, text=True, timeout=60)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_demo_load_then_read_across_institutes(self):
        admin = self.tokens["hub"]["admin"]
        first = self.bhub("demo", "load", token=admin)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("48 records created", first.stdout)
        again = self.bhub("demo", "load", token=admin)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("0 records created, 48 already there", again.stdout)

        viewer = self.tokens["aist"]["viewer"]
        listed = self.bhub("--output", "json", "list", "cell-tests", "--all", token=viewer)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        tests = [json.loads(line) for line in listed.stdout.splitlines()]
        names = {t["name"] for t in tests}
        self.assertIn("institutions/nrc/cellTests/ct-001", names)       # consortium
        self.assertNotIn("institutions/nrc/cellTests/ct-002", names)    # private to NRC
        self.assertIn("institutions/aist/cellTests/ct-002", names)      # own private
        hidden = self.bhub("get", "institutions/nrc/cellTests/ct-002", token=viewer)
        self.assertEqual(hidden.returncode, 77)
        self.assertIn("or it might not exist", hidden.stderr)
        pouch = self.bhub("--output", "json", "get", "institutions/aist/cellTests/ct-002",
                          token=viewer)
        protocol = json.loads(pouch.stdout)["protocol"]
        self.assertEqual(protocol["temperature"], {"value": 25, "unit": "degC"})  # from K
        self.assertEqual(protocol["upperVoltageLimit"], {"value": 4.2, "unit": "V"})  # from mV
        verify = self.bhub("verify", token=admin)
        self.assertEqual(verify.returncode, 0, verify.stderr)
        self.assertIn("intact", verify.stdout)
        self.assertIn("audit trail:", verify.stdout)
        # NRC's steward sees AIST's refused read of NRC's private test.
        trail = self.bhub("--output", "json", "audit", "--institution", "nrc", "--all",
                          token=self.tokens["nrc"]["steward"])
        self.assertEqual(trail.returncode, 0, trail.stderr)
        entries = [json.loads(line) for line in trail.stdout.splitlines()]
        refused = [e for e in entries if e.get("resource") == "institutions/nrc/cellTests/ct-002"
                   and not e.get("allowed", False)]
        self.assertTrue(refused, entries[-5:])
        self.assertIn("institutions/aist/", refused[0]["principal"])
        self.assertEqual(self.bhub("audit", token=viewer).returncode, 77)
        paged = self.bhub("--output", "json", "list", "samples", "--page-size", "5",
                          token=viewer)
        self.assertEqual(len(json.loads(paged.stdout)), 5)
        self.assertIn("--page-token", paged.stderr)
        # Ordered by an indexed field, streamed one record per page.
        hot_first = self.bhub("--output", "json", "list", "cell-tests", "--order-by",
                              "protocol.temperature desc", "--page-size", "1", "--all",
                              token=viewer)
        self.assertEqual(hot_first.returncode, 0, hot_first.stderr)
        ordered = [json.loads(line) for line in hot_first.stdout.splitlines()]
        self.assertEqual({t["name"] for t in ordered}, names)
        temperatures = [t["protocol"]["temperature"]["value"] for t in ordered]
        self.assertEqual(temperatures, sorted(temperatures, reverse=True))
        filtered = self.bhub("--output", "json", "list", "cell-tests", "--filter",
                             "protocol.temperature >= 30", "--all", token=viewer)
        self.assertEqual(filtered.returncode, 0, filtered.stderr)
        warm = [json.loads(line)["name"] for line in filtered.stdout.splitlines()]
        self.assertTrue(warm)  # NEDO cycles at 45 degC
        self.assertEqual(warm, sorted(t["name"] for t in ordered
                                      if t["protocol"]["temperature"]["value"] >= 30))
        # Lineage down from a lot reaches its electrodes, cells and tests.
        down = self.bhub("lineage", "institutions/aist/samples/nmc811-lot-a1", "--down",
                         token=viewer)
        self.assertEqual(down.returncode, 0, down.stderr)
        self.assertIn("institutions/aist/samples/pe-1", down.stdout)
        self.assertIn("institutions/aist/cellTests/", down.stdout)
        up = self.bhub("lineage", "institutions/aist/samples/pe-1", "--up", token=viewer)
        self.assertIn("institutions/aist/samples/nmc811-lot-a1", up.stdout)
        self.assertNotIn("cellTests", up.stdout)

    def test_create_json_and_toml_update_and_revisions(self):
        token = self.tokens["nrc"]["submitter"]
        lot = self.write("lot.json", json.dumps(LOT_JSON))
        created = self.bhub("--output", "json", "create", "sample", "--institution", "nrc",
                            "--id", "e2e-lot", "--file", lot, token=token)
        self.assertEqual(created.returncode, 0, created.stderr)
        record = json.loads(created.stdout)
        self.assertEqual(record["owner"], "institutions/nrc")
        self.assertEqual(len(record["provenance"]["contentDigest"]), 64)

        ct = self.write("ct.toml", CELL_TEST_TOML)
        made = self.bhub("--output", "json", "create", "cell-test", "--institution", "nrc",
                         "--id", "e2e-ct", "--file", ct, token=token)
        self.assertEqual(made.returncode, 0, made.stderr)
        cell_test = json.loads(made.stdout)
        self.assertEqual(cell_test["cell"]["nominalCapacity"], {"value": 0.0042, "unit": "Ah"})
        self.assertEqual(cell_test["protocol"]["temperature"]["value"], 45)

        change = self.write("change.json", json.dumps({"labels": {"project": "e2e", "batch": "b2"}}))
        updated = self.bhub("--output", "json", "update", "institutions/nrc/samples/e2e-lot",
                            "--file", change, "--update-mask", "labels", "--etag",
                            record["etag"], token=token)
        self.assertEqual(updated.returncode, 0, updated.stderr)
        self.assertEqual(json.loads(updated.stdout)["revisionId"], "2")
        stale = self.bhub("update", "institutions/nrc/samples/e2e-lot", "--file", change,
                          "--update-mask", "labels", "--etag", record["etag"], token=token)
        self.assertEqual(stale.returncode, 1)
        self.assertIn("ABORTED", stale.stderr)
        revisions = self.bhub("--output", "json", "revisions", "institutions/nrc/samples/e2e-lot",
                              token=token)
        self.assertEqual([r["revisionId"] for r in json.loads(revisions.stdout)], ["2", "1"])
        first = self.bhub("--output", "json", "get", "institutions/nrc/samples/e2e-lot@1",
                          token=token)
        self.assertEqual(json.loads(first.stdout)["labels"], {"project": "e2e"})

    def test_exit_codes(self):
        token = self.tokens["nrc"]["submitter"]
        broken = self.write("broken.json", '{"kind": "SAMPLE_KIND_CELL",')
        unknown = self.write("unknown.json", '{"kind": "SAMPLE_KIND_CELL", "colour": "red"}')
        bad_toml = self.write("bad.toml", 'kind = "SAMPLE_KIND_CELL"\ncell = {\n')
        nan = self.write("nan.json", json.dumps(
            {"kind": "SAMPLE_KIND_CELL", "cell": {"formFactor": "FORM_FACTOR_COIN",
                                                  "chemistry": "LFP/graphite",
                                                  "nominalCapacity": {"value": "NaN",
                                                                      "unit": "Ah"}}}))
        lot = self.write("lot2.json", json.dumps(LOT_JSON))
        create = ["create", "sample", "--institution", "nrc", "--id"]
        cases = [
            (create + ["x1", "--file", broken], token, 65, "not a valid Sample"),
            (create + ["x2", "--file", unknown], token, 65, "colour"),
            (create + ["x3", "--file", bad_toml], token, 65, "bad.toml:2"),
            (create + ["x4", "--file", nan], token, 65, "cell.nominal_capacity.value"),
            (create + ["x5", "--file", "/nonexistent.json"], token, 66, "cannot read"),
            (create + ["x6", "--file", lot], None, 77, "UNAUTHENTICATED"),
            (create + ["x7", "--file", lot], "forged-token", 77, "UNAUTHENTICATED"),
            (["create", "sample", "--institution", "aist", "--id", "x8", "--file", lot], token,
             77, "PERMISSION_DENIED"),
            (["get", "institutions/nrc/samples/none"], token, 77, "NOT_FOUND"),
            (["frobnicate"], token, 2, "unknown command"),
            (["list", "samples", "--colour", "red"], token, 2, "unknown flag"),
            (["list", "samples", "--filter", "owner ~ nrc"], token, 65, "column 7"),
        ]
        for args, tok, code, text in cases:
            with self.subTest(args=args):
                result = self.bhub(*args, token=tok)
                self.assertEqual(result.returncode, code, result.stderr)
                self.assertIn(text, result.stderr)
        for args, *_ in cases[:5]:
            self.assertEqual(self.bhub("get", f"institutions/nrc/samples/{args[5]}",
                                       token=token).returncode, 77)

    def test_unreachable_hub_is_69(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        result = self.bhub("list", "samples", token="x", hub=f"127.0.0.1:{port}")
        self.assertEqual(result.returncode, 69, result.stderr)

    def test_admin_token_create(self):
        made = self.bhub("--output", "json", "admin", "token", "create", "--institution", "libtec",
                         "--role", "viewer", token=self.tokens["hub"]["admin"])
        self.assertEqual(made.returncode, 0, made.stderr)
        secret = json.loads(made.stdout)["secret"]
        who = self.bhub("--output", "json", "whoami", token=secret)
        self.assertEqual(json.loads(who.stdout)["institution"], "institutions/libtec")
        denied = self.bhub("admin", "token", "create", "--institution", "libtec", "--role",
                           "steward", token=secret)
        self.assertEqual(denied.returncode, 77)
        steward = self.tokens["libtec"]["steward"]
        listed = self.bhub("--output", "json", "admin", "token", "list", "--institution",
                           "libtec", token=steward)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        names = [json.loads(line)["name"] for line in listed.stdout.splitlines()]
        self.assertEqual(names, [json.loads(made.stdout)["name"]])
        self.assertNotIn(secret, listed.stdout)
        revoked = self.bhub("admin", "token", "revoke", names[0], token=steward)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertEqual(self.bhub("whoami", token=secret).returncode, 77)

    def test_access_commands_share_embargo_restrict_and_revoke(self):
        t = self.tokens
        lot = dict(LOT_JSON, access={"visibility": "VISIBILITY_PRIVATE"},
                   description="pilot-line precursor")
        lot["materialLot"] = dict(LOT_JSON["materialLot"],
                                  origin={"country": "CA", "supplier": "Acme Precursors"})
        made = self.bhub("create", "sample", "--institution", "nrc", "--id", "shared-lot",
                         "--file", self.write("shared.json", json.dumps(lot)),
                         token=t["nrc"]["submitter"])
        self.assertEqual(made.returncode, 0, made.stderr)
        name = "institutions/nrc/samples/shared-lot"
        steward = t["nrc"]["steward"]

        def seen_by(institution):
            got = self.bhub("--output", "json", "get", name, token=t[institution]["viewer"])
            return json.loads(got.stdout) if got.returncode == 0 else got.returncode

        self.assertEqual(seen_by("aist"), 77)
        # Only stewards change access.
        denied = self.bhub("access", "grant", name, "aist", "--tier", "metadata",
                           token=t["nrc"]["submitter"])
        self.assertEqual(denied.returncode, 77, denied.stderr)
        granted = self.bhub("access", "grant", name, "aist", "--tier", "metadata", token=steward)
        self.assertEqual(granted.returncode, 0, granted.stderr)
        self.assertIn("institutions/aist", granted.stdout)
        view = seen_by("aist")
        self.assertEqual(view["materialLot"]["material"], "NMC811")
        self.assertNotIn("supplier", view["materialLot"].get("origin", {}))
        self.assertNotIn("composition", view["materialLot"])
        full = self.bhub("access", "grant", name, "aist", "--tier", "full", "--restricted",
                         token=steward)
        self.assertEqual(full.returncode, 0, full.stderr)
        self.assertEqual(seen_by("aist")["materialLot"]["origin"]["supplier"], "Acme Precursors")
        # A grant under embargo opens nothing yet.
        later = self.bhub("access", "grant", name, "nedo", "--tier", "summary", "--from",
                          "2099-01-01", token=steward)
        self.assertEqual(later.returncode, 0, later.stderr)
        self.assertEqual(seen_by("nedo"), 77)
        # A release whose date has passed opens it to the consortium.
        released = self.bhub("access", "embargo", name, "--until", "2020-01-01", "--then",
                             "consortium", token=steward)
        self.assertEqual(released.returncode, 0, released.stderr)
        self.assertEqual(seen_by("libtec")["description"], "pilot-line precursor")
        restricted = self.bhub("access", "restrict", name, "description", token=steward)
        self.assertEqual(restricted.returncode, 0, restricted.stderr)
        self.assertNotIn("description", seen_by("libtec"))
        self.assertEqual(seen_by("aist")["description"], "pilot-line precursor")
        why = self.bhub("access", "show", name, "--as", "libtec", token=steward)
        self.assertEqual(why.returncode, 0, why.stderr)
        self.assertIn("sees " + name + " at FULL (via release)", why.stdout)
        self.assertIn("description", why.stdout)
        partner = self.bhub("--output", "json", "access", "show", name, token=t["aist"]["viewer"])
        grants = json.loads(partner.stdout)["access"]["grants"]
        self.assertEqual([g["institution"] for g in grants], ["institutions/aist"])
        revoked = self.bhub("access", "revoke", name, "aist", token=steward)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        # Back to what the consortium sees: no supplier.
        self.assertEqual(seen_by("aist")["materialLot"]["origin"], {"country": "CA"})
        missing = self.bhub("access", "revoke", name, "aist", token=steward)
        self.assertEqual(missing.returncode, 2)
        bad = self.bhub("access", "grant", name, "mit", "--tier", "full", token=steward)
        self.assertEqual(bad.returncode, 65, bad.stderr)
        self.assertIn("access.grants", bad.stderr)
        # Every change is audited and ledgered.
        audit = self.bhub("--output", "json", "audit", "--institution", "nrc", "--all",
                          token=steward)
        changes = [json.loads(line) for line in audit.stdout.splitlines()]
        changes = [e for e in changes if e["method"] == "UpdateRecordAccess"]
        self.assertGreaterEqual(len([e for e in changes if e.get("allowed")]), 6)
        self.assertTrue(any(not e.get("allowed") for e in changes))
        verify = self.bhub("verify", token=t["hub"]["admin"])
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

    def test_access_defaults_and_agreements(self):
        t = self.tokens
        made = self.bhub("access", "agreement", "create", "jp-next", "--members",
                         "aist,nedo,libtec", "--tier", "summary", "--kinds", "samples",
                         "--label", "project=jp-next", token=t["hub"]["admin"])
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(self.bhub("access", "agreement", "create", "x", "--members", "aist,nrc",
                                   "--tier", "full", token=t["aist"]["steward"]).returncode, 77)
        listed = self.bhub("access", "agreement", "list", token=t["libtec"]["viewer"])
        self.assertIn("agreements/jp-next", listed.stdout)
        self.assertNotIn("agreements/jp-next",
                         self.bhub("access", "agreement", "list", token=t["nrc"]["viewer"]).stdout)
        defaults = self.bhub("access", "defaults", "set", "--institution", "aist", "--visibility",
                             "agreement", "--agreement", "agreements/jp-next", "--restrict",
                             "description", token=t["aist"]["steward"])
        self.assertEqual(defaults.returncode, 0, defaults.stderr)
        lot = dict(LOT_JSON, labels={"project": "jp-next"}, description="aist internal note")
        del lot["access"]
        created = self.bhub("--output", "json", "create", "sample", "--institution", "aist",
                            "--id", "jp-lot", "--file", self.write("jp.json", json.dumps(lot)),
                            token=t["aist"]["submitter"])
        self.assertEqual(created.returncode, 0, created.stderr)
        access = json.loads(created.stdout)["access"]
        self.assertEqual(access["visibility"], "VISIBILITY_AGREEMENT")
        self.assertEqual(access["agreements"], ["agreements/jp-next"])
        name = "institutions/aist/samples/jp-lot"
        nedo = self.bhub("--output", "json", "get", name, token=t["nedo"]["viewer"])
        self.assertEqual(nedo.returncode, 0, nedo.stderr)
        self.assertNotIn("description", json.loads(nedo.stdout))
        self.assertEqual(self.bhub("get", name, token=t["nrc"]["viewer"]).returncode, 77)

        # NRC joins the agreement, then leaves it; an agreement keeps two members.
        joined = self.bhub("access", "agreement", "update", "agreements/jp-next",
                           "--add-member", "nrc", token=t["hub"]["admin"])
        self.assertEqual(joined.returncode, 0, joined.stderr)
        self.assertIn("institutions/nrc", joined.stdout)
        self.assertEqual(self.bhub("get", name, token=t["nrc"]["viewer"]).returncode, 0)
        left = self.bhub("access", "agreement", "update", "agreements/jp-next",
                         "--remove-member", "nrc", "--tier", "metadata", token=t["hub"]["admin"])
        self.assertEqual(left.returncode, 0, left.stderr)
        self.assertEqual(self.bhub("get", name, token=t["nrc"]["viewer"]).returncode, 77)
        shown = self.bhub("access", "agreement", "show", "agreements/jp-next",
                          token=t["aist"]["viewer"]).stdout
        self.assertIn("METADATA", shown.upper())
        alone = self.bhub("access", "agreement", "update", "agreements/jp-next",
                          "--members", "aist", token=t["hub"]["admin"])
        self.assertEqual(alone.returncode, 65, alone.stderr)
        self.assertIn("agreement.members", alone.stderr)
        self.assertEqual(self.bhub("access", "agreement", "update", "agreements/jp-next",
                                   "--add-member", "nrc", token=t["aist"]["steward"]).returncode, 77)

    @unittest.skipUnless(os.access(BUF, os.X_OK), "buf not installed (scripts/install-deps.sh)")
    def test_health_through_reflection(self):
        # buf curl learns the schema of grpc.health.v1 from the hub's reflection service.
        result = subprocess.run(
            [BUF, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
             f"http://{self.hub.address}/grpc.health.v1.Health/Check"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["status"], "SERVING")
        listed = subprocess.run(
            [BUF, "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods",
             f"http://{self.hub.address}"], capture_output=True, text=True, timeout=60)
        self.assertIn("batteryhub.v1.SampleService/CreateSample", listed.stdout)


FIXTURES = os.path.join(SOURCE_DIR, "tests", "parsers", "fixtures")
REAL = os.path.join(SOURCE_DIR, "..", "shared", "data", "real")


class SeriesEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = HubProcess(HUBD).start()
        cls.tokens = cls.hub.tokens()
        env = dict(os.environ, BATTERYHUB_HUB=cls.hub.address,
                   BATTERYHUB_TOKEN=cls.tokens["hub"]["admin"])
        subprocess.run([BHUB, "demo", "load"], env=env, check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.hub.terminate()
        shutil.rmtree(cls.hub.data_dir, ignore_errors=True)

    def bhub(self, *args, token=None):
        env = dict(os.environ, BATTERYHUB_HUB=self.hub.address,
                   BATTERYHUB_TOKEN=token or self.tokens["nrc"]["submitter"])
        return subprocess.run([BHUB, *args], env=env, capture_output=True, text=True, timeout=120)

    def test_dry_run_needs_no_hub(self):
        result = subprocess.run([BHUB, "--output", "json", "--hub", "127.0.0.1:1", "upload",
                                 os.path.join(FIXTURES, "biologic_gcpl.mpt"), "--dry-run"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        parsed = json.loads(result.stdout)
        self.assertEqual(parsed["format"], "biologic")
        self.assertIn({"name": "current_ampere", "sourceName": "<I>/mA", "sourceUnit": "mA"},
                      parsed["columns"])

    def test_upload_series_summary(self):
        test = "institutions/nrc/cellTests/ct-002"
        up = self.bhub("upload", os.path.join(FIXTURES, "arbin_legacy.csv"), "--cell-test", test)
        self.assertEqual(up.returncode, 0, up.stderr)
        self.assertIn("3 rows, 1 cycles", up.stdout)
        again = self.bhub("upload", os.path.join(FIXTURES, "arbin_legacy.csv"), "--cell-test", test)
        self.assertIn("3 rows", again.stdout)  # same file, same upload: nothing appended
        csv = self.bhub("series", test, "--columns", "test_time_second,current_ampere")
        self.assertEqual(csv.stdout.splitlines(),
                         ["test_time_second,current_ampere", "10,0.5", "20,0.5", "30,-0.5"])
        bdf = self.bhub("series", test, "--format", "bdf", "--columns", "voltage_volt")
        self.assertEqual(bdf.stdout.splitlines()[0], "Voltage / V")
        summary = self.bhub("--output", "json", "summary", test)
        self.assertEqual(json.loads(summary.stdout)["cycles"][0]["cycle"], "1")
        made = self.bhub("--output", "json", "get", test)
        source = json.loads(made.stdout)["series"]["sources"][0]
        out = os.path.join(self.hub.data_dir, "back.csv")
        raw = self.bhub("raw-file", test, source["sha256"], "--out", out)
        self.assertEqual(raw.returncode, 0, raw.stderr)
        with open(out, "rb") as a, open(os.path.join(FIXTURES, "arbin_legacy.csv"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        viewer = self.bhub("series", test, token=self.tokens["aist"]["viewer"])
        self.assertEqual(viewer.returncode, 77)  # ct-002 is private to NRC

    def test_upload_characterization_files(self):
        """An instrument file to a new characterization, then to an existing
        one; its curves, results and raw file come back; results filter."""
        char_dir = os.path.join(FIXTURES, "characterization")
        sample = os.path.join(self.hub.data_dir, "lot.json")
        with open(sample, "w") as f:
            json.dump({"kind": "SAMPLE_KIND_MATERIAL_LOT",
                       "materialLot": {"material": "NMC811", "materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE"}}, f)
        made = self.bhub("create", "sample", "--institution", "nrc", "--id", "e2e-lot", "--file", sample)
        self.assertEqual(made.returncode, 0, made.stderr)
        lot = "institutions/nrc/samples/e2e-lot"
        name = "institutions/nrc/characterizations/xrd-e2e"
        up = self.bhub("upload", os.path.join(char_dir, "scan.xrdml"), "--sample", lot, "--institution", "nrc",
                       "--id", "xrd-e2e")
        self.assertEqual(up.returncode, 0, up.stderr)
        self.assertIn(name, up.stdout)
        got = json.loads(self.bhub("--output", "json", "get", name).stdout)
        self.assertEqual(got["technique"], "TECHNIQUE_XRD")
        self.assertEqual(len(got["curves"][0]["x"]), 41)
        self.assertEqual(got["curves"][0]["xName"], "two_theta")
        conditions = {c["name"]: c for c in got["conditions"]}
        self.assertAlmostEqual(conditions["wavelength_k_alpha1"]["quantity"]["value"], 1.540598e-10)
        self.assertEqual(conditions["anode"]["text"], "Cu")
        self.assertEqual(got["provenance"]["source"]["instrument"], "PANalytical XPERT-PRO")
        self.assertTrue(got["description"].startswith("Read from scan.xrdml by batteryhub (panalytical-xrdml)."))
        sha = got["attachments"][0]["sha256"]
        out = os.path.join(self.hub.data_dir, "back.xrdml")
        raw = self.bhub("raw-file", name, sha, "--out", out)
        self.assertEqual(raw.returncode, 0, raw.stderr)
        with open(out, "rb") as a, open(os.path.join(char_dir, "scan.xrdml"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        # Another technique is refused; the same technique is a new revision.
        wrong = self.bhub("upload", os.path.join(char_dir, "psd_mastersizer.csv"), "--characterization", name)
        self.assertEqual(wrong.returncode, 65)
        self.assertIn("TECHNIQUE_XRD", wrong.stderr)
        again = self.bhub("upload", os.path.join(char_dir, "scan.uxd"), "--characterization", name)
        self.assertEqual(again.returncode, 0, again.stderr)
        revisions = self.bhub("--output", "json", "revisions", name)
        self.assertEqual(len(json.loads(revisions.stdout)), 2, revisions.stdout)
        # Results: computed ones say how; they filter with units.
        psd = self.bhub("upload", os.path.join(char_dir, "psd_mastersizer_no_results.csv"), "--sample", lot,
                        "--institution", "nrc", "--id", "psd-e2e")
        self.assertEqual(psd.returncode, 0, psd.stderr)
        got = json.loads(self.bhub("--output", "json", "get", "institutions/nrc/characterizations/psd-e2e").stdout)
        d50 = next(r for r in got["results"] if r["name"] == "d50")
        self.assertAlmostEqual(d50["value"]["value"], 9.99972e-06, delta=1e-10)
        self.assertEqual(d50["value"]["unit"], "m")
        self.assertIn("computed by batteryhub", d50["method"])
        listed = self.bhub("--output", "json", "list", "characterizations", "--filter", "results.d50 < 12 um")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("institutions/nrc/characterizations/psd-e2e", listed.stdout)
        listed = self.bhub("--output", "json", "list", "characterizations", "--filter",
                           "results.d50 > 12 um AND technique = PSD")
        self.assertNotIn("psd-e2e", listed.stdout)

    def test_bad_files(self):
        test = "institutions/nrc/cellTests/ct-001"
        bad = os.path.join(self.hub.data_dir, "bad.csv")
        with open(bad, "w") as f:
            f.write("test_time_second,voltage_volt,current_ampere\n0,3.7,0.1\n1,x,0.1\n")
        result = self.bhub("upload", bad, "--cell-test", test)
        self.assertEqual(result.returncode, 65)
        self.assertIn("bad.csv:3: column 'voltage_volt': 'x' is not a number", result.stderr)
        self.assertEqual(self.bhub("upload", "/nonexistent.csv", "--cell-test", test).returncode, 66)
        eis = self.bhub("upload", os.path.join(FIXTURES, "eis.csv"), "--cell-test", test)
        self.assertEqual(eis.returncode, 65)
        self.assertIn("characterization", eis.stderr)
        # A Gamry spectrum has time, Vdc and Idc too: still not a cycling series.
        gamry = self.bhub("upload", os.path.join(FIXTURES, "gamry.DTA"), "--cell-test", test)
        self.assertEqual(gamry.returncode, 65, gamry.stderr)
        self.assertIn("an impedance spectrum (a frequency in every row)", gamry.stderr)

    def new_test(self, test_id):
        return new_cell_test(self, self.bhub, self.hub.data_dir, test_id)

    def rows(self, test):
        return row_count(self, self.bhub, test)

    @unittest.skipUnless(os.path.isdir(REAL), "../shared/data/real is absent")
    def test_real_file_survives_kill_9(self):
        # ct-001 has the demo's series: another file is refused without --append.
        demo = self.bhub("upload", os.path.join(REAL, "neware", "neware_uio.csv"),
                         "--cell-test", "institutions/nrc/cellTests/ct-001")
        self.assertEqual(demo.returncode, 65, demo.stderr)
        self.assertIn("neither repeats nor extends", demo.stderr)
        test = self.new_test("kill9")
        # The file ends without a line break: a finished file, said so.
        up = self.bhub("upload", os.path.join(REAL, "neware", "neware_uio.csv"), "--cell-test", test,
                       "--complete")
        self.assertEqual(up.returncode, 0, up.stderr)
        # A continuation with fewer columns, its test time going on.
        more = os.path.join(self.hub.data_dir, "more.csv")
        with open(more, "w") as f:
            f.write("test_time_second,voltage_volt,current_ampere\n600000,3.5,0\n600010,3.6,0.1\n")
        back = os.path.join(self.hub.data_dir, "back.csv")
        with open(back, "w") as f:
            f.write("test_time_second,voltage_volt,current_ampere\n5,3.5,0\n")
        refused = self.bhub("upload", back, "--cell-test", test, "--append")
        self.assertEqual(refused.returncode, 65, refused.stderr)
        self.assertIn("not a continuation", refused.stderr)
        cont = self.bhub("upload", more, "--cell-test", test, "--append")
        self.assertEqual(cont.returncode, 0, cont.stderr)
        before = self.bhub("series", test).stdout
        self.hub.kill9()
        self.hub.start()
        after = self.bhub("series", test).stdout
        self.assertEqual(self.rows(test), 9065 + 2)
        self.assertEqual(len(after.splitlines()), 9065 + 2 + 1)
        self.assertEqual(before, after)
        # Columns the continuation lacked read back as missing in its rows.
        last = self.bhub("series", test, "--rows", "9066:9067", "--columns",
                         "test_time_second,step_index").stdout.splitlines()
        self.assertEqual(last, ["test_time_second,step_index", "600010,"])

    def test_a_growing_file_appends_only_what_is_new(self):
        # A cycler export written row by row: 40 cycles of charge and discharge.
        text = HEADER + "".join(cycler_rows(1200))
        grown = self.new_test("grown")
        whole = self.new_test("whole")
        path = os.path.join(self.hub.data_dir, "growing.csv")
        # Growth points drawn at random (most fall inside a line), one upload
        # repeated, then the whole file.
        rng = random.Random(13)
        cuts = sorted(rng.sample(range(1, len(text)), 6))
        cuts = cuts[:3] + [cuts[2]] + cuts[3:] + [len(text)]
        self.assertTrue(any(text[c - 1] != "\n" for c in cuts[:-1]))
        for cut in cuts:
            with open(path, "w") as f:
                f.write(text[:cut])
            up = self.bhub("upload", path, "--cell-test", grown)
            self.assertEqual(up.returncode, 0, f"cut {cut}: {up.stderr}")
        self.assertIn("unchanged", self.bhub("upload", path, "--cell-test", grown).stderr)
        self.assertEqual(self.bhub("upload", path, "--cell-test", whole).returncode, 0)
        self.assertEqual(self.rows(grown), 1200)
        self.assertEqual(self.bhub("series", grown).stdout, self.bhub("series", whole).stdout)
        summary = lambda t: json.loads(self.bhub("--output", "json", "summary", t).stdout)
        a, b = summary(grown), summary(whole)
        self.assertEqual(a["summary"], b["summary"])
        self.assertEqual([c["chargeCapacityAmpereHour"] for c in a["cycles"]],
                         [c["chargeCapacityAmpereHour"] for c in b["cycles"]])
        self.assertEqual(len(a["cycles"]), 40)
        # A file that is neither the same nor a growth of it: refused.
        other = os.path.join(self.hub.data_dir, "other.csv")
        with open(other, "w") as f:
            f.write(text.replace("3.2", "3.3", 1))
        refused = self.bhub("upload", other, "--cell-test", grown)
        self.assertEqual(refused.returncode, 65, refused.stderr)
        self.assertEqual(self.rows(grown), 1200)

    def test_a_file_rewritten_as_it_grows_appends_only_what_is_new(self):
        # Exported again under its name, with a preamble that changes each time
        # (as binary natives are rewritten): not a byte prefix, the same rows.
        rows = [f"{k * 10},{3.2 + 0.001 * k:.4f},{0.5 if (k // 20) % 2 == 0 else -0.5}"
                for k in range(200)]
        test = self.new_test("rewritten")
        path = os.path.join(self.hub.data_dir, "run.csv")
        for n, stamp in [(50, "10:00"), (120, "11:00"), (200, "12:00"), (200, "13:00")]:
            with open(path, "w") as f:
                f.write(f"Exported,{stamp}\nTest Time (s),Voltage (V),Current (A)\n")
                f.write("\n".join(rows[:n]) + "\n")
            up = self.bhub("upload", path, "--cell-test", test)
            self.assertEqual(up.returncode, 0, up.stderr)
        self.assertIn("unchanged", up.stderr)
        self.assertEqual(self.rows(test), 200)
        series = self.bhub("series", test, "--columns", "test_time_second").stdout.splitlines()
        self.assertEqual(series[1:], [str(k * 10) for k in range(200)])
        # Same name, other rows: refused.
        with open(path, "w") as f:
            f.write("Exported,14:00\nTest Time (s),Voltage (V),Current (A)\n" +
                    "\n".join(rows[:150]).replace("3.2", "3.9") + "\n" + "\n".join(rows[150:]) + "\n")
        refused = self.bhub("upload", path, "--cell-test", test)
        self.assertEqual(refused.returncode, 65, refused.stderr)
        self.assertIn("neither repeats nor extends", refused.stderr)


class ProcessLifecycle(unittest.TestCase):
    def bhub(self, hub, token, *args):
        env = dict(os.environ, BATTERYHUB_HUB=hub.address, BATTERYHUB_TOKEN=token)
        return subprocess.run([BHUB, *args], env=env, capture_output=True, text=True, timeout=60)

    def test_acknowledged_create_survives_kill_9(self):
        hub = HubProcess(HUBD).start()
        try:
            token = hub.tokens()["nrc"]["submitter"]
            path = os.path.join(hub.data_dir, "lot.json")
            with open(path, "w") as f:
                json.dump(LOT_JSON, f)
            made = self.bhub(hub, token, "--output", "json", "create", "sample",
                             "--institution", "nrc", "--id", "durable", "--file", path)
            self.assertEqual(made.returncode, 0, made.stderr)
            hub.kill9()  # right after the acknowledgement
            hub.start()
            got = self.bhub(hub, token, "--output", "json", "get",
                            "institutions/nrc/samples/durable")
            self.assertEqual(got.returncode, 0, got.stderr)
            self.assertEqual(json.loads(got.stdout), json.loads(made.stdout))
            # The ledger continues after the crash.
            again = self.bhub(hub, token, "--output", "json", "create", "sample",
                              "--institution", "nrc", "--id", "after", "--file", path)
            self.assertEqual(json.loads(again.stdout)["provenance"]["ledgerSequence"], "2")
        finally:
            hub.terminate()
            shutil.rmtree(hub.data_dir, ignore_errors=True)

    def test_sigterm_is_graceful_and_port_in_use_fails(self):
        hub = HubProcess(HUBD).start()
        try:
            second = subprocess.run([HUBD, "--listen", hub.address, "--data_dir",
                                     tempfile.mkdtemp(prefix="bhub-e2e-")],
                                    capture_output=True, text=True, timeout=60)
            self.assertNotEqual(second.returncode, 0)
            self.assertIn("cannot listen on", second.stderr)
            same_dir = subprocess.run([HUBD, "--listen", "127.0.0.1:0", "--data_dir",
                                       hub.data_dir], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(same_dir.returncode, 0)
            self.assertIn("cannot open the store", same_dir.stderr)
        finally:
            self.assertEqual(hub.terminate(), 0)
            shutil.rmtree(hub.data_dir, ignore_errors=True)

    def test_bad_config_is_one_line_reason(self):
        path = os.path.join(tempfile.mkdtemp(prefix="bhub-e2e-"), "hub.toml")
        with open(path, "w") as f:
            f.write("[hub]\nlisten = \"127.0.0.1:0\"\nport = 5\n")
        result = subprocess.run([HUBD, "--config", path], capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1)
        self.assertIn("unknown key 'port'", result.stderr)


class ParseWithoutHub(unittest.TestCase):
    """`bhub parse FILE`: the rows an upload would store, with no hub, or exit
    65 and a one-line reason, for every fixture and every real file."""

    HUB = ["--hub", "127.0.0.1:1"]  # nothing listens: parse must not need it

    def parse(self, path, *args):
        return subprocess.run([BHUB, *self.HUB, "parse", path, *args], capture_output=True,
                              text=True, errors="replace", timeout=60)

    def check(self, path):
        result = self.parse(path)
        self.assertIn(result.returncode, (0, 65), f"{path}: {result.stderr}")
        if result.returncode == 65:
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, f"{path}: {result.stderr}")
            self.assertTrue(lines[0].startswith("bhub: "), lines[0])
            self.assertEqual(result.stdout, "")
            return None
        data = [line for line in result.stdout.splitlines() if not line.startswith("#")]
        header = data[0].split(",")
        for name in header:
            self.assertRegex(name, r"^[a-z][a-z0-9_]*$", f"{path}: not a BDF machine name")
        if result.stdout.startswith("# characterization: "):
            return self.check_characterization(path, result.stdout, header, data[1:])
        for k in ("test_time_second", "voltage_volt"):
            if "frequency_hertz" not in header:
                self.assertIn(k, header, path)
        for line in data[1:]:
            fields = line.split(",")
            self.assertEqual(len(fields), len(header), f"{path}: {line}")
            for field in fields:
                if field:
                    float(field)  # a number, or empty for a missing value
        # The dry-run upload parses the same file to the same row count, or
        # refuses an impedance spectrum (a cell test takes cycling series).
        dry = subprocess.run([BHUB, *self.HUB, "--output", "json", "upload", path, "--dry-run"],
                             capture_output=True, text=True, errors="replace", timeout=60)
        if "frequency_hertz" in header and dry.returncode == 65:
            self.assertIn("add it to a characterization", dry.stderr)
            return header, data[1:]
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertEqual(json.loads(dry.stdout)["rows"], len(data) - 1, path)
        return header, data[1:]

    def check_characterization(self, path, out, header, rows):
        """A characterisation file: `# result:` lines, then the main curve as
        two `quantity_unit` columns of numbers; an upload to a cell test is
        refused with the way to upload it."""
        self.assertEqual(len(header), 2, path)
        self.assertGreater(len(rows), 0, path)
        for line in rows:
            x, y = line.split(",")
            float(x), float(y)
        for line in out.splitlines():
            if line.startswith("# result: "):
                self.assertRegex(line, r"^# result: [a-z][a-z0-9_]* = -?[0-9.e+-]+ \S+", path)
        dry = subprocess.run([BHUB, *self.HUB, "upload", path, "--dry-run"],
                             capture_output=True, text=True, errors="replace", timeout=60)
        self.assertEqual(dry.returncode, 65, dry.stderr)
        self.assertIn("--characterization", dry.stderr)
        dry = subprocess.run([BHUB, *self.HUB, "--output", "json", "upload", path, "--dry-run",
                              "--characterization", "institutions/nrc/characterizations/x"],
                             capture_output=True, text=True, errors="replace", timeout=60)
        self.assertEqual(dry.returncode, 0, dry.stderr)
        record = json.loads(dry.stdout)
        self.assertTrue(record["technique"].startswith("TECHNIQUE_"), path)
        self.assertEqual(len(record["curves"][0]["x"]), len(rows), path)
        self.assertEqual(record["attachments"][0]["sizeBytes"], str(os.path.getsize(path)))
        return header, rows

    def test_fixtures(self):
        parsed = 0
        for name in sorted(os.listdir(FIXTURES)):
            if os.path.isdir(os.path.join(FIXTURES, name)):
                continue
            with self.subTest(name):
                parsed += self.check(os.path.join(FIXTURES, name)) is not None
        self.assertGreater(parsed, 10)

    def test_characterization_fixtures(self):
        folder = os.path.join(FIXTURES, "characterization")
        for name in sorted(os.listdir(folder)):
            with self.subTest(name):
                self.assertIsNotNone(self.check(os.path.join(folder, name)))
        out = self.parse(os.path.join(folder, "isotherm_bel.DAT")).stdout
        self.assertIn("# result: bet_surface_area = 975.58", out)
        self.assertIn("relative_pressure,amount_adsorbed_millimole_per_gram", out)
        folder_run = subprocess.run([BHUB, *self.HUB, "upload", folder, "--dry-run", "--characterization",
                                     "institutions/nrc/characterizations/x"],
                                    capture_output=True, text=True, errors="replace", timeout=60)
        self.assertEqual(folder_run.returncode, 0, folder_run.stderr)
        self.assertEqual(len(folder_run.stdout.splitlines()), len(os.listdir(folder)))

    def test_formats_and_errors(self):
        path = os.path.join(FIXTURES, "arbin_legacy.csv")
        header, rows = self.check(path)
        as_json = self.parse(path, "--format", "json")
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        objects = [json.loads(line) for line in as_json.stdout.splitlines()]
        self.assertEqual(len(objects), len(rows))
        self.assertEqual(list(objects[0].keys()), header)
        bdf = self.parse(path, "--format", "bdf")
        self.assertIn("Test Time / s", bdf.stdout.splitlines()[0])
        self.assertEqual(self.parse(path, "--format", "xml").returncode, 2)
        self.assertEqual(self.parse(path, "--vendor", "nosuch").returncode, 2)
        self.assertEqual(self.parse("/nonexistent.csv").returncode, 66)
        eis = self.parse(os.path.join(FIXTURES, "eis.csv"), "--vendor", "arbin")
        self.assertEqual(eis.returncode, 65)

    def test_rows_timezone_findings_and_strict(self):
        path = os.path.join(FIXTURES, "arbin_mits.csv")
        full = [l for l in self.parse(path).stdout.splitlines() if not l.startswith("#")]
        part = self.parse(path, "--rows", "1:2")
        self.assertEqual(part.returncode, 0, part.stderr)
        lines = [l for l in part.stdout.splitlines() if not l.startswith("#")]
        self.assertEqual(lines, [full[0], full[2]])
        self.assertEqual(self.parse(path, "--rows", "5:1").returncode, 2)
        self.assertEqual(self.parse(path, "--timezone", "Mars/Olympus").returncode, 2)
        # Wall clock 09/20/2024 08:32:34.558 in Tokyo is 23:32:34.558 UTC the day before.
        tokyo = self.parse(path, "--timezone", "Asia/Tokyo")
        data = [l for l in tokyo.stdout.splitlines() if not l.startswith("#")]
        column = data[0].split(",").index("unix_time_second")
        self.assertAlmostEqual(float(data[1].split(",")[column]), 1726821154.558 - 9 * 3600, places=3)
        # Millivolts under a volt label: a finding, and --strict refuses the upload.
        with tempfile.TemporaryDirectory() as tmp:
            mv = os.path.join(tmp, "mv.csv")
            with open(mv, "w") as f:
                f.write("Test Time (s),Voltage (V),Current (A)\n0,3500,0.1\n1,3600,0.1\n")
            shown = self.parse(mv)
            self.assertIn("# finding: ERROR millivolts", shown.stdout)
            strict = subprocess.run([BHUB, *self.HUB, "upload", mv, "--cell-test",
                                     "institutions/nrc/cellTests/x", "--strict"],
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(strict.returncode, 65, strict.stderr)
            self.assertIn("refused (--strict)", strict.stderr)

    @unittest.skipUnless(os.path.isdir(REAL), "../shared/data/real is absent")
    def test_every_real_file_parses_or_is_refused_in_one_line(self):
        counts = {0: 0, 65: 0}
        for root, _, files in os.walk(REAL):
            for name in sorted(files):
                if name == "MANIFEST.md":
                    continue
                path = os.path.join(root, name)
                with self.subTest(os.path.relpath(path, REAL)):
                    counts[0 if self.check(path) is not None else 65] += 1
        self.assertGreater(counts[0], 40)
        self.assertGreater(counts[65], 0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
