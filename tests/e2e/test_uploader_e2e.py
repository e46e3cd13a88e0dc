"""End-to-end tests of the uploader a lab lives with: bhub's command line
(help, version, dry runs, profiles and token files, completion), uploads of
many files and folders, and the harvester `bhub watch` following a file as a
cycler writes it, killed and restarted, with the hub going away meanwhile.

usage: test_uploader_e2e.py BATTERYHUBD BHUB
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from hub_process import HubProcess  # noqa: E402
from records import HEADER, cycler_rows, new_cell_test, row_count  # noqa: E402

HUBD, BHUB = sys.argv[1], sys.argv[2]
SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

def completion_table(script, function):
    """{path: [words]} of a case table in the completion script."""
    body = script.split(function + "() {", 1)[1].split("esac", 1)[0]
    return {m.group(1): m.group(2).split() for m in re.finditer(r'"([^"]*)"\) echo "([^"]*)"', body)}


class Uploader(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = HubProcess(HUBD).start()
        cls.tokens = cls.hub.tokens()
        cls.tmp = tempfile.mkdtemp(prefix="bhub-uploader-")
        cls.token_file = os.path.join(cls.tmp, "nrc.token")
        with open(cls.token_file, "w") as f:
            f.write(cls.tokens["nrc"]["submitter"] + "\n")
        os.chmod(cls.token_file, 0o600)

    @classmethod
    def tearDownClass(cls):
        cls.hub.terminate()
        shutil.rmtree(cls.hub.data_dir, ignore_errors=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def env(self, token=None, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATTERYHUB_")}
        env["BATTERYHUB_HUB"] = self.hub.address
        env["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "no-config")
        if token is not False:
            env["BATTERYHUB_TOKEN"] = token or self.tokens["nrc"]["submitter"]
        env.update(extra)
        return env

    def bhub(self, *args, token=None, env=None):
        return subprocess.run([BHUB, *args], env=env or self.env(token), capture_output=True,
                              text=True, timeout=120)

    def new_test(self, test_id):
        return new_cell_test(self, self.bhub, self.tmp, test_id)

    def rows(self, test):
        return row_count(self, self.bhub, test)

    # --- the command line ---------------------------------------------------

    def test_every_command_has_its_own_help_naming_its_flags(self):
        script = self.bhub("completion", "bash").stdout
        subcommands = completion_table(script, "_bhub_subcommands")
        flags = completion_table(script, "_bhub_flags")
        paths = []
        todo = [""]
        while todo:
            path = todo.pop()
            for word in subcommands.get(path, []):
                paths.append((path + " " + word).strip())
                todo.append(paths[-1])
        self.assertGreater(len(paths), 30)
        helps = {}
        for path in paths:
            result = self.bhub(*path.split(), "--help")
            self.assertEqual(result.returncode, 0, path)
            self.assertIn("Usage: bhub " + path, result.stdout)
            for flag in flags.get(path, []):
                self.assertIn(flag, result.stdout, f"bhub {path} --help does not name {flag}")
            helps[path] = result.stdout
            wrong = self.bhub(*path.split(), "--no-such-flag")
            self.assertEqual(wrong.returncode, 2, path)
            self.assertIn("unknown flag --no-such-flag", wrong.stderr)
        self.assertEqual(len(set(helps.values())), len(paths))  # each its own
        self.assertEqual(self.bhub("help", "upload").stdout, helps["upload"])
        typo = self.bhub("uplaod", "x.csv")
        self.assertEqual(typo.returncode, 2)
        self.assertIn("did you mean upload?", typo.stderr)
        flag_typo = self.bhub("upload", "x.csv", "--cell-tset", "t")
        self.assertIn("did you mean --cell-test?", flag_typo.stderr)
        # A flag of another command is refused, not ignored.
        self.assertEqual(self.bhub("get", "institutions/nrc/samples/x", "--cell-test", "t").returncode, 2)

    def test_bash_completion_completes_commands_and_flags(self):
        script = os.path.join(self.tmp, "bhub.bash")
        with open(script, "w") as f:
            f.write(self.bhub("completion", "bash").stdout)

        def complete(*words):
            line = " ".join(words)
            program = (f"source {script}; COMP_WORDS=(bhub {line}); "
                       f"COMP_CWORD={len(words)}; _bhub; echo \"${{COMPREPLY[*]}}\"")
            return subprocess.run(["bash", "-c", program], capture_output=True, text=True,
                                  timeout=30).stdout.split()

        self.assertEqual(complete("upl"), ["upload"])
        self.assertIn("--cell-test", complete("upload", "--ce"))
        self.assertEqual(complete("access", "agreement", "cr"), ["create"])
        self.assertIn("--members", complete("access", "agreement", "create", "--mem"))

    def test_version(self):
        for binary in (BHUB, HUBD):
            out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
            self.assertEqual(out.returncode, 0)
            self.assertRegex(out.stdout, r"^(bhub|batteryhubd) \d+\.\d+\.\d+\n$")

    def test_dry_runs_store_nothing(self):
        lot = os.path.join(self.tmp, "lot.json")
        with open(lot, "w") as f:
            json.dump({"kind": "SAMPLE_KIND_MATERIAL_LOT", "displayName": "dry lot",
                       "materialLot": {"materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE",
                                       "material": "NMC811"}}, f)
        steward = self.tokens["nrc"]["steward"]
        dry = self.bhub("--output", "json", "create", "sample", "--institution", "nrc", "--id",
                        "dry-lot", "--file", lot, "--dry-run", token=steward)
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertEqual(json.loads(dry.stdout)["name"], "institutions/nrc/samples/dry-lot")
        self.assertEqual(self.bhub("get", "institutions/nrc/samples/dry-lot").returncode, 77)
        # An invalid record is refused by the hub even in a dry run.
        with open(os.path.join(self.tmp, "bad.json"), "w") as f:
            json.dump({"kind": "SAMPLE_KIND_MATERIAL_LOT"}, f)
        bad = self.bhub("create", "sample", "--institution", "nrc", "--id", "bad-lot", "--file",
                        os.path.join(self.tmp, "bad.json"), "--dry-run", token=steward)
        self.assertEqual(bad.returncode, 65, bad.stderr)
        made = self.bhub("--output", "json", "create", "sample", "--institution", "nrc", "--id",
                         "wet-lot", "--file", lot, token=steward)
        self.assertEqual(made.returncode, 0, made.stderr)
        name = "institutions/nrc/samples/wet-lot"
        before = self.bhub("--output", "json", "get", name).stdout
        with open(lot, "w") as f:
            json.dump({"displayName": "renamed"}, f)
        update = self.bhub("update", name, "--file", lot, "--update-mask", "display_name",
                           "--dry-run", token=steward)
        self.assertEqual(update.returncode, 0, update.stderr)
        self.assertIn("nothing stored", update.stdout)
        grant = self.bhub("access", "grant", name, "nedo", "--tier", "full", "--dry-run",
                          token=steward)
        self.assertEqual(grant.returncode, 0, grant.stderr)
        self.assertIn("nedo", grant.stdout)
        defaults = self.bhub("access", "defaults", "set", "--institution", "nrc", "--visibility",
                             "public", "--dry-run", token=steward)
        self.assertEqual(defaults.returncode, 0, defaults.stderr)
        self.assertEqual(self.bhub("--output", "json", "get", name).stdout, before)
        shown = self.bhub("--output", "json", "access", "defaults", "--institution", "nrc",
                          token=steward)
        self.assertNotIn("PUBLIC", shown.stdout)
        admin = self.tokens["hub"]["admin"]
        agreement = self.bhub("access", "agreement", "create", "dry-deal", "--members",
                              "nrc,aist", "--tier", "full", "--dry-run", token=admin)
        self.assertEqual(agreement.returncode, 0, agreement.stderr)
        self.assertNotIn("dry-deal", self.bhub("access", "agreement", "list", token=admin).stdout)

    def test_profiles_and_token_files(self):
        config_dir = os.path.join(self.tmp, "xdg", "batteryhub")
        os.makedirs(config_dir, exist_ok=True)
        with open(os.path.join(config_dir, "config.toml"), "w") as f:
            f.write(f'hub = "127.0.0.1:1"\n[profiles.nrc]\nhub = "{self.hub.address}"\n'
                    f'token_file = "{self.token_file}"\n')
        env = self.env(token=False, XDG_CONFIG_HOME=os.path.join(self.tmp, "xdg"))
        del env["BATTERYHUB_HUB"]
        who = self.bhub("--profile", "nrc", "whoami", env=env)
        self.assertEqual(who.returncode, 0, who.stderr)
        self.assertIn("ROLE_SUBMITTER", who.stdout)
        self.assertEqual(self.bhub("whoami", env=env).returncode, 69)  # the top-level hub
        env["BATTERYHUB_PROFILE"] = "nrc"
        self.assertEqual(self.bhub("whoami", env=env).returncode, 0)
        self.assertEqual(self.bhub("--profile", "nope", "whoami", env=env).returncode, 2)
        by_flag = self.bhub("--token-file", self.token_file, "whoami", env=self.env(token=False))
        self.assertEqual(by_flag.returncode, 0, by_flag.stderr)
        by_env = self.bhub("whoami", env=self.env(token=False, BATTERYHUB_TOKEN_FILE=self.token_file))
        self.assertEqual(by_env.returncode, 0, by_env.stderr)
        readable = os.path.join(self.tmp, "open.token")
        shutil.copy(self.token_file, readable)
        os.chmod(readable, 0o644)
        refused = self.bhub("--token-file", readable, "whoami", env=self.env(token=False))
        self.assertEqual(refused.returncode, 2)
        self.assertIn("chmod 600", refused.stderr)

    # --- many files ---------------------------------------------------------

    def test_a_folder_of_mixed_files_with_a_mapping(self):
        first, second = self.new_test("folder-a"), self.new_test("folder-b")
        root = os.path.join(self.tmp, "exports")
        os.makedirs(os.path.join(root, "rig2"), exist_ok=True)
        files = {
            "cell-a.csv": HEADER + "".join(cycler_rows(90)),
            "rig2/cell-b.csv": HEADER + "".join(cycler_rows(60)),
            'rig2/we"ird b.csv': HEADER + "".join(cycler_rows(30)),
            "rig2/cell-a-bad.csv": HEADER + "0,3.7,0.1\n1,x,0.1\n",
            "notes.txt": "what we did\n",
            ".state.json": "{}",
        }
        for name, text in files.items():
            with open(os.path.join(root, name), "w") as f:
                f.write(text)
        mapping = os.path.join(self.tmp, "exports.map")
        with open(mapping, "w") as f:
            f.write(f"# one rule a line\ncell-a*.csv {first}\nrig2/*b*.csv {second}\n")
        up = self.bhub("--output", "json", "upload", root, "--recursive", "--map", mapping)
        self.assertEqual(up.returncode, 65, up.stderr)  # the bad file
        lines = [json.loads(line) for line in up.stdout.splitlines()]
        outcome = {os.path.relpath(x["file"], root): x["outcome"] for x in lines}
        self.assertEqual(outcome, {"cell-a.csv": "appended", "notes.txt": "skipped",
                                   "rig2/cell-a-bad.csv": "refused", "rig2/cell-b.csv": "appended",
                                   'rig2/we"ird b.csv': "refused"})
        bad = next(x for x in lines if x["file"].endswith("cell-a-bad.csv"))
        self.assertIn("'x' is not a number", bad["message"])
        weird = next(x for x in lines if "ird" in x["file"])
        self.assertIn("neither repeats nor extends", weird["message"])  # b holds cell-b
        self.assertEqual(self.rows(first), 90)
        self.assertEqual(self.rows(second), 60)
        # Again: resumable, nothing twice.
        again = self.bhub("upload", root, "--recursive", "--map", mapping)
        self.assertEqual(again.returncode, 65)
        self.assertEqual(sum(line.startswith("unchanged") for line in again.stdout.splitlines()), 2)
        self.assertIn("0 new rows", again.stderr)
        self.assertEqual(self.rows(first), 90)
        # Without --recursive, only the folder's own files.
        flat = self.bhub("upload", root, "--cell-test", first)
        self.assertEqual(flat.returncode, 65)  # notes.txt is not an export
        self.assertEqual(len(flat.stdout.splitlines()), 2)
        self.assertEqual(self.bhub("upload", os.path.join(root, "missing"), "--cell-test",
                                   first).returncode, 66)
        self.assertEqual(self.bhub("upload", root, "--cell-test", "c01").returncode, 2)

    @unittest.skipUnless(shutil.which("script"), "no script(1) to give bhub a terminal")
    def test_progress_on_a_terminal(self):
        test = self.new_test("progress")
        path = os.path.join(self.tmp, "progress.csv")
        with open(path, "w") as f:
            f.write(HEADER + "".join(cycler_rows(50000)))
        # script(1) runs bhub on a pseudo-terminal: progress lines appear.
        command = " ".join([BHUB, "upload", path, "--cell-test", test])
        done = subprocess.run(["script", "-qec", command, "/dev/null"], env=self.env(),
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout)
        self.assertRegex(done.stdout, r"raw file \[#+ *\] 100% .*B/s")
        self.assertRegex(done.stdout, r"rows \[#{20}\] 100% 50\.00 k/50\.00 k rows, .* rows/s")
        # Without a terminal, none.
        plain = self.bhub("upload", path, "--cell-test", test)
        self.assertNotIn("rows/s", plain.stderr)

    def test_replace_keeps_the_old_series_readable(self):
        test = self.new_test("replaced")
        wrong = os.path.join(self.tmp, "wrong-cell.csv")
        right = os.path.join(self.tmp, "right-cell.csv")
        with open(wrong, "w") as f:
            f.write(HEADER + "".join(cycler_rows(120)))
        with open(right, "w") as f:
            f.write(HEADER + "".join(r.replace(",3.", ",4.", 1) for r in cycler_rows(90)))
        self.assertEqual(self.bhub("upload", wrong, "--cell-test", test).returncode, 0)
        carried = json.loads(self.bhub("--output", "json", "get", test).stdout)["revisionId"]
        old_series = self.bhub("series", test).stdout
        # Another file is neither a growth nor a continuation: refused ...
        self.assertEqual(self.bhub("upload", right, "--cell-test", test).returncode, 65)
        # ... unless it replaces the series.
        both = self.bhub("upload", right, "--cell-test", test, "--replace", "--append")
        self.assertEqual(both.returncode, 2)
        replaced = self.bhub("upload", right, "--cell-test", test, "--replace")
        self.assertEqual(replaced.returncode, 0, replaced.stderr)
        self.assertEqual(self.rows(test), 90)
        now = json.loads(self.bhub("--output", "json", "get", test).stdout)
        self.assertEqual(now["series"]["generation"], "1")
        self.assertEqual(self.bhub("series", test + "@" + carried).stdout, old_series)
        self.assertIn("\n0,4.", self.bhub("series", test).stdout)
        again = self.bhub("upload", right, "--cell-test", test, "--replace")
        self.assertIn("unchanged", again.stderr)
        self.assertEqual(json.loads(self.bhub("--output", "json", "get", test).stdout)["revisionId"],
                         now["revisionId"])
        verify = self.bhub("--output", "json", "verify", token=self.tokens["hub"]["admin"])
        self.assertEqual(json.loads(verify.stdout).get("firstBreak", ""), "")

    def test_json_lines_stay_valid_for_names_that_are_not_utf8(self):
        folder = os.path.join(self.tmp, "latin1")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder.encode(), b"caf\xe9 \"run\".csv"), "w") as f:
            f.write("not an export\n")
        test = self.new_test("latin1")
        up = self.bhub("--output", "json", "upload", folder, "--cell-test", test)
        self.assertEqual(up.returncode, 65, up.stderr)
        line = json.loads(up.stdout)
        self.assertEqual(line["outcome"], "refused")
        self.assertTrue(line["file"].endswith('caf\ufffd "run".csv'), line["file"])

    # --- the harvester --------------------------------------------------------

    def watch(self, folder, test, state):
        return subprocess.Popen(
            [BHUB, "watch", folder, "--cell-test", test, "--quiet", "0", "--interval", "1",
             "--state", state],
            env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_rows(self, test, want, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.rows(test) == want:
                return
            time.sleep(0.5)
        self.fail(f"{test} has {self.rows(test)} rows, not {want}")

    def raw_file_uploads(self):
        audit = self.bhub("--output", "json", "audit", "--institution", "nrc", "--all",
                          token=self.tokens["nrc"]["steward"])
        self.assertEqual(audit.returncode, 0, audit.stderr)
        return audit.stdout.count('"UploadRawFile"')

    def test_the_harvester_waits_out_a_withdrawn_test_and_resends_no_raw_file(self):
        test = self.new_test("harvest-withdrawn")
        steward = self.tokens["nrc"]["steward"]
        self.assertEqual(self.bhub("delete", test, token=steward).returncode, 0)
        folder = os.path.join(self.tmp, "withdrawn-exports")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "run.csv"), "w") as f:
            f.write(HEADER + "".join(cycler_rows(60)))
        harvester = self.watch(folder, test, os.path.join(self.tmp, "withdrawn-state.json"))
        try:
            time.sleep(2.5)
            # Withdrawn: not a refusal of the file, a state of the hub that passes.
            self.assertEqual(self.bhub("undelete", test, token=steward).returncode, 0)
            self.wait_rows(test, 60)
        finally:
            harvester.send_signal(signal.SIGTERM)
            log, _ = harvester.communicate(timeout=60)
        actions = [json.loads(line)["action"] for line in log.splitlines()]
        self.assertIn("failed", actions)
        self.assertNotIn("refused", actions)
        # The same file again: unchanged, and its raw file is not sent again.
        before = self.raw_file_uploads()
        self.assertGreater(before, 0)  # the harvester's upload is in the audit trail
        again = self.bhub("upload", os.path.join(folder, "run.csv"), "--cell-test", test)
        self.assertIn("unchanged", again.stderr)
        self.assertEqual(self.raw_file_uploads(), before)

    def test_the_harvester_follows_a_file_a_cycler_writes(self):
        test, whole = self.new_test("harvested"), self.new_test("harvested-whole")
        folder = os.path.join(self.tmp, "cycler")
        os.makedirs(folder, exist_ok=True)
        state = os.path.join(self.tmp, "watch-state.json")
        path = os.path.join(folder, "run.csv")
        rows = cycler_rows(900)
        # The writer: rows a few at a time, often stopping inside a line.
        writer = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
rows = {rows!r}
with open({path!r}, "w") as f:
    f.write({HEADER!r})
    for k, row in enumerate(rows):
        if k % 7 == 3:
            f.write(row[:5]); f.flush(); time.sleep(0.01); f.write(row[5:])
        else:
            f.write(row)
        f.flush()
        time.sleep(0.004)
"""])
        harvester = self.watch(folder, test, state)
        time.sleep(2.5)
        harvester.send_signal(signal.SIGKILL)  # mid-way, without warning
        harvester.wait()
        killed_log = harvester.stdout.read()
        harvester.stdout.close()
        harvester.stderr.close()
        self.assertIn('"action":"started"', killed_log)
        harvester = self.watch(folder, test, state)
        try:
            self.assertEqual(writer.wait(timeout=60), 0)
            self.wait_rows(test, 900)
            # The hub goes away; the cycler writes on; the hub comes back.
            self.hub.terminate()
            with open(path, "a") as f:
                f.writelines(cycler_rows(120, start=900))
            time.sleep(3)
            self.hub.start(listen=self.hub.address)
            self.wait_rows(test, 1020)
        finally:
            harvester.send_signal(signal.SIGTERM)
            log, _ = harvester.communicate(timeout=60)
        actions = [json.loads(line) for line in log.splitlines()]
        self.assertEqual(actions[-1]["action"], "stopped")
        self.assertTrue(any(a["action"] == "failed" and "retryInSeconds" in a for a in actions),
                        log)
        self.assertTrue(all("time" in a for a in actions))
        # What the harvester stored equals one upload of the finished file.
        self.assertEqual(self.bhub("upload", path, "--cell-test", whole).returncode, 0)
        self.assertEqual(self.bhub("series", test).stdout, self.bhub("series", whole).stdout)
        summary = lambda t: json.loads(self.bhub("--output", "json", "summary", t).stdout)
        self.assertEqual(summary(test), summary(whole))
        with open(state) as f:
            self.assertEqual(json.load(f)["files"][path]["outcome"], "appended")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
