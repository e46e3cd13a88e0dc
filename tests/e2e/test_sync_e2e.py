"""Hub-to-hub sync end to end: an AIST hub and an NRC hub (real batteryhubd
processes, mutual TLS with certificates from deploy/pki.sh), the real
`bhub sync` job killed with SIGKILL at random points and restarted until it
finishes. After convergence every record NRC may see is identical at the NRC
hub, nothing else is there, no restricted value is there, access narrowed at
the origin withdraws the replica, an embargo that ends during the test is
picked up by the next incremental run (a full pass then finds nothing new),
and both ledgers verify.

usage: test_sync_e2e.py BATTERYHUBD BHUB   (exit 77: skipped, no openssl)
"""
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hub_process import HubProcess, write_tls_config  # noqa: E402

HUBD, BHUB = sys.argv[1], sys.argv[2]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PKI = os.path.join(ROOT, "deploy", "pki.sh")
FIXTURE = os.path.join(ROOT, "tests", "parsers", "fixtures", "biologic_gcpl.mpt")
TOKENS = {"aist-lab": ("aist", "submitter"), "aist-steward": ("aist", "steward"),
          "nrc-reader": ("nrc", "viewer"), "libtec-reader": ("libtec", "viewer"),
          "operator": ("", "admin")}
SECRET = "Sumitomo-SECRET"
# services/change_feed.h kOpeningSettleMicros, and a second of margin.
OPENING_SETTLE = datetime.timedelta(seconds=6)


class SyncEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bhub-sync-")
        cls.pki = os.path.join(cls.dir, "pki")
        made = subprocess.run(["bash", PKI, cls.pki], capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        cls.hubs = {}
        for hub_id in ("aist-hub", "nrc-hub"):
            config = write_tls_config(os.path.join(cls.dir, f"{hub_id}.toml"), hub_id, cls.pki,
                                      TOKENS)
            cls.hubs[hub_id] = HubProcess(HUBD, data_dir=os.path.join(cls.dir, hub_id),
                                          extra_args=["--config", config]).start()

    @classmethod
    def tearDownClass(cls):
        for hub in cls.hubs.values():
            hub.terminate()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def tls(self, institution, prefix=""):
        return [f"--{prefix}ca", os.path.join(self.pki, "ca.pem"),
                f"--{prefix}cert", os.path.join(self.pki, f"{institution}.pem"),
                f"--{prefix}key", os.path.join(self.pki, f"{institution}.key")]

    def bhub(self, hub, token, *args, check=True):
        institution = TOKENS[token][0] or "nrc"
        cmd = [BHUB, "--hub", self.hubs[hub].address, "--output", "json", "--token", token,
               *self.tls(institution), *args]
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATTERYHUB_")}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        if check:
            self.assertEqual(done.returncode, 0, f"{args}: {done.stderr}")
        return done

    def sync_command(self, *extra):
        return [BHUB, "--output", "json", "sync", "--from", self.hubs["aist-hub"].address,
                "--to", self.hubs["nrc-hub"].address, "--from-token", "nrc-reader",
                *self.tls("nrc", "from-"), "--to-token", "operator", *self.tls("nrc"), *extra]

    def sync(self, *extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATTERYHUB_")}
        done = subprocess.run(self.sync_command(*extra), capture_output=True, text=True,
                              env=env, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def create_record(self, kind, rid, body):
        """Creates `body` (JSON) as AIST's record `rid` of `kind` (bhub's
        word: sample, characterization, cell-test) and returns its name."""
        path = os.path.join(self.dir, f"{kind}-{rid}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(body, f)
        made = self.bhub("aist-hub", "aist-lab", "create", kind, "--institution", "aist",
                         "--id", rid, "--file", path)
        return json.loads(made.stdout)["name"]

    def create(self, rid, access, description="lot"):
        return self.create_record("sample", rid, {
            "kind": "SAMPLE_KIND_MATERIAL_LOT", "description": description,
            "materialLot": {"materialClass": "MATERIAL_CLASS_PRECURSOR", "material": "NMC811",
                            "origin": {"country": "JP", "supplier": SECRET}},
            "access": access})

    def names_at(self, hub, token):
        listed = self.bhub(hub, token, "list", "samples", "--all")
        return sorted(json.loads(line)["name"] for line in listed.stdout.splitlines() if line)

    def test_converges_through_kills_narrowing_and_an_embargo(self):
        grant = lambda tier, **kw: {"visibility": "VISIBILITY_PRIVATE", "grants": [
            dict({"institution": "institutions/nrc", "tier": tier}, **kw)]}
        shared = []
        for i in range(24):
            if i % 4 == 0:
                shared.append(self.create(f"open-{i}", {"visibility": "VISIBILITY_CONSORTIUM"}))
            elif i % 4 == 1:
                self.create(f"private-{i}", {"visibility": "VISIBILITY_PRIVATE"})
            elif i % 4 == 2:
                shared.append(self.create(f"granted-{i}", grant("TIER_FULL")))
            else:
                self.create(f"libtec-{i}", {"visibility": "VISIBILITY_PRIVATE", "grants": [
                    {"institution": "institutions/libtec", "tier": "TIER_FULL"}]})
        # A cell test with a cycler export (series, summaries, raw file),
        # FULL to NRC, and a characterisation of a shared lot, SUMMARY to NRC.
        ct = {"cell": {"formFactor": "FORM_FACTOR_COIN", "chemistry": "NMC811/graphite",
                       "nominalCapacity": {"value": 4.2, "unit": "mAh"}},
              "protocol": {"temperature": {"value": 25, "unit": "degC"}},
              "access": grant("TIER_FULL")}
        cell_test = self.create_record("cell-test", "ct-1", ct)
        self.bhub("aist-hub", "aist-lab", "upload", FIXTURE, "--cell-test", cell_test)
        bet = {"sample": shared[0], "technique": "TECHNIQUE_BET",
               "results": [{"name": "surface_area", "value": {"value": 0.6, "unit": "Ah"}}],
               "curves": [{"name": "isotherm", "xUnit": "s", "yUnit": "V", "x": [1], "y": [2]}],
               "access": grant("TIER_SUMMARY")}
        characterization = self.create_record("characterization", "bet-1", bet)
        opens = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=25)
        embargoed = self.create("embargoed", grant(
            "TIER_SUMMARY", startTime=opens.strftime("%Y-%m-%dT%H:%M:%SZ")))

        # The job killed at random points, then run until it finishes.
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATTERYHUB_")}
        rng = random.Random(20261128)
        kills = 0
        # Delays grow from 10 ms, so that the first runs die early on any
        # machine, however fast, and the later ones further in.
        for attempt in range(12):
            job = subprocess.Popen(self.sync_command("--batch", "1"), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.01 * 1.35 ** attempt * rng.uniform(0.8, 1.25))
            if job.poll() is None:
                job.kill()
                kills += 1
            job.wait()
        self.assertGreater(kills, 0, "no run was killed: raise the delays")
        final = self.sync("--batch", "5")
        self.assertTrue(final["ok"])
        self.assertEqual(final["cursor_after"], 28)

        # Every record NRC may see is at the NRC hub as NRC sees it at the
        # origin, and nothing else is.
        self.assertEqual(self.names_at("nrc-hub", "nrc-reader"), sorted(shared))
        for name in shared:
            there = json.loads(self.bhub("aist-hub", "nrc-reader", "get", name).stdout)
            here = json.loads(self.bhub("nrc-hub", "nrc-reader", "get", name).stdout)
            self.assertEqual(here, there, name)
        self.assertEqual(self.names_at("nrc-hub", "libtec-reader"), [])
        for name in (cell_test, characterization):
            there = json.loads(self.bhub("aist-hub", "nrc-reader", "get", name).stdout)
            here = json.loads(self.bhub("nrc-hub", "nrc-reader", "get", name).stdout)
            self.assertEqual(here, there, name)
        self.assertNotIn("curves", here)  # SUMMARY tier
        for what in (["series", cell_test], ["summary", cell_test]):
            there = self.bhub("aist-hub", "nrc-reader", *what).stdout
            here = self.bhub("nrc-hub", "nrc-reader", *what).stdout
            self.assertGreater(len(here), 100)
            self.assertEqual(here, there, what)
        dump = self.bhub("nrc-hub", "nrc-reader", "list", "samples", "--all").stdout
        self.assertNotIn(SECRET, dump)
        again = self.sync()
        self.assertEqual((again["applied"], again["withdrawn"]), (0, 0))

        # Narrowed at the origin after a first sync: withdrawn at the peer.
        narrowed = shared.pop(0)
        self.bhub("aist-hub", "aist-steward", "access", "visibility", narrowed, "private")
        self.assertEqual(self.sync()["withdrawn"], 1)
        self.assertEqual(self.names_at("nrc-hub", "nrc-reader"), sorted(shared))

        # The embargo ends without a change at the origin: the next run
        # brings the record, cut to SUMMARY (the origin looks at openings
        # once they are OPENING_SETTLE old); a full pass finds nothing new.
        while datetime.datetime.now(datetime.timezone.utc) < opens + OPENING_SETTLE:
            time.sleep(0.2)
        self.assertEqual(self.sync()["applied"], 1)
        self.assertIn(embargoed, self.names_at("nrc-hub", "nrc-reader"))
        self.assertEqual(self.sync("--full")["applied"], 0)

        for hub in ("aist-hub", "nrc-hub"):
            verify = self.bhub(hub, "operator", "verify")
            report = json.loads(verify.stdout)
            self.assertEqual(report.get("firstBreak", ""), "", hub)
        report = json.loads(self.bhub("nrc-hub", "operator", "verify").stdout)
        self.assertEqual(int(report["replicasChecked"]), len(shared) + 3)
        self.assertEqual(int(report["seriesChecked"]), 1)

    def test_withdrawals_reach_the_peer_and_both_ledgers_verify(self):
        # Runs after the convergence test (name order), which counts replicas.
        name = self.create("withdrawn-lot", {"visibility": "VISIBILITY_CONSORTIUM"})
        self.sync()
        self.assertIn(name, self.names_at("nrc-hub", "nrc-reader"))
        # A submitter may not withdraw; a steward of the owner may.
        refused = self.bhub("aist-hub", "aist-lab", "delete", name, check=False)
        self.assertEqual(refused.returncode, 77, refused.stderr)
        dry = self.bhub("aist-hub", "aist-steward", "delete", name, "--dry-run")
        self.assertIn("deleteTime", json.loads(dry.stdout))
        self.assertIn(name, self.names_at("aist-hub", "aist-lab"))
        self.bhub("aist-hub", "aist-steward", "delete", name)
        self.assertNotIn(name, self.names_at("aist-hub", "aist-lab"))
        self.assertEqual(self.sync()["applied"], 1)
        self.assertNotIn(name, self.names_at("nrc-hub", "nrc-reader"))
        shown = self.bhub("nrc-hub", "nrc-reader", "list", "samples", "--all", "--show-deleted")
        self.assertIn(name, shown.stdout)
        replica = json.loads(self.bhub("nrc-hub", "nrc-reader", "get", name).stdout)
        self.assertIn("deleteTime", replica)
        # A replica is read-only: restoring happens at the origin.
        at_peer = self.bhub("nrc-hub", "operator", "undelete", name, check=False)
        self.assertNotEqual(at_peer.returncode, 0)
        again = self.bhub("aist-hub", "aist-steward", "delete", name, check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("withdrawn already", again.stderr)
        self.bhub("aist-hub", "aist-steward", "undelete", name)
        self.assertEqual(self.sync()["applied"], 1)
        self.assertIn(name, self.names_at("nrc-hub", "nrc-reader"))
        self.assertNotIn("deleteTime", json.loads(self.bhub("nrc-hub", "nrc-reader", "get", name).stdout))
        revisions = self.bhub("aist-hub", "aist-lab", "revisions", name).stdout
        history = json.loads(revisions)  # created, withdrawn, restored; newest first
        self.assertEqual([("deleteTime" in r) for r in history], [False, True, False])
        for hub in ("aist-hub", "nrc-hub"):
            report = json.loads(self.bhub(hub, "operator", "verify").stdout)
            self.assertEqual(report.get("firstBreak", ""), "", hub)

    def test_x_a_replaced_series_reaches_the_peer(self):
        name = self.create_record("cell-test", "replaced-test", {
            "displayName": "replaced", "cell": {"formFactor": "FORM_FACTOR_COIN",
                                                 "chemistry": "NMC811/graphite",
                                                 "nominalCapacity": {"value": 4.2, "unit": "mAh"}},
            "protocol": {"temperature": {"value": 25, "unit": "degC"}},
            "access": {"visibility": "VISIBILITY_CONSORTIUM", "tier": "TIER_FULL"}})
        self.bhub("aist-hub", "aist-lab", "upload", FIXTURE, "--cell-test", name)
        carried = json.loads(self.bhub("aist-hub", "aist-lab", "get", name).stdout)["revisionId"]
        self.sync()
        first = self.bhub("nrc-hub", "nrc-reader", "series", name, "--format", "csv").stdout
        other = os.path.join(self.dir, "other.csv")
        with open(other, "w") as f:
            f.write("test_time_second,voltage_volt,current_ampere\n")
            f.writelines(f"{k},{3.5 + k / 1000:.4f},0.1\n" for k in range(40))
        self.bhub("aist-hub", "aist-lab", "upload", other, "--cell-test", name, "--replace")
        self.assertGreaterEqual(self.sync()["series"], 1)
        at_origin = self.bhub("aist-hub", "aist-lab", "series", name, "--format", "csv").stdout
        at_peer = self.bhub("nrc-hub", "nrc-reader", "series", name, "--format", "csv").stdout
        self.assertEqual(at_peer, at_origin)
        self.assertNotEqual(at_peer, first)
        self.assertEqual(len(at_peer.splitlines()), 41)
        # The old rows: at the origin by revision; a replica holds the current series only.
        old = self.bhub("aist-hub", "aist-lab", "series", f"{name}@{carried}", "--format", "csv")
        self.assertEqual(old.stdout, first)
        refused = self.bhub("nrc-hub", "nrc-reader", "series", f"{name}@{carried}", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("read it at hub 'aist-hub'", refused.stderr)
        for hub in ("aist-hub", "nrc-hub"):
            report = json.loads(self.bhub(hub, "operator", "verify").stdout)
            self.assertEqual(report.get("firstBreak", ""), "", hub)


if __name__ == "__main__":
    if shutil.which("openssl") is None:
        print("skipped: openssl not installed")
        sys.exit(77)
    unittest.main(argv=sys.argv[:1], verbosity=2)
