"""Mutual TLS end to end: certificates from deploy/pki.sh, a real batteryhubd
serving [tls], and the real bhub. Identity comes only from the certificate or
the token, and a token of another institution than the certificate's is
refused.

usage: test_mtls_e2e.py BATTERYHUBD BHUB   (exit 77: skipped, no openssl)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hub_process import HubProcess, write_tls_config  # noqa: E402

HUBD, BHUB = sys.argv[1], sys.argv[2]
PKI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "pki.sh")
TOKENS = {"nrc-lab": ("nrc", "submitter"), "aist-viewer": ("aist", "viewer"),
          "operator": ("", "admin")}


class MutualTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bhub-mtls-")
        cls.pki = os.path.join(cls.dir, "pki")
        cls.other = os.path.join(cls.dir, "other-ca")
        for out in (cls.pki, cls.other):
            made = subprocess.run(["bash", PKI, out], capture_output=True, text=True)
            assert made.returncode == 0, made.stderr
        config = write_tls_config(os.path.join(cls.dir, "hub.toml"), "mtls-test", cls.pki, TOKENS)
        cls.hub = HubProcess(HUBD, data_dir=os.path.join(cls.dir, "data"),
                             extra_args=["--config", config]).start()
        cls.config = config

    @classmethod
    def tearDownClass(cls):
        cls.hub.terminate()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def bhub(self, *args, ca=None, cert=None, token=None):
        """bhub with --ca from `ca` (a PKI dir) and --cert/--key of `cert`
        (an institution of `ca`'s PKI, or (dir, institution))."""
        cmd = [BHUB, "--hub", self.hub.address, "--output", "json"]
        if ca:
            cmd += ["--ca", os.path.join(ca, "ca.pem")]
        if cert:
            where, who = cert if isinstance(cert, tuple) else (ca, cert)
            cmd += ["--cert", os.path.join(where, f"{who}.pem"),
                    "--key", os.path.join(where, f"{who}.key")]
        if token:
            cmd += ["--token", token]
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATTERYHUB_")}
        return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env,
                              timeout=60)

    def whoami(self, **kw):
        result = self.bhub("whoami", **kw)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_certificate_and_token_of_the_same_institution(self):
        me = self.whoami(ca=self.pki, cert="nrc", token="nrc-lab")
        self.assertEqual(me["principal"], "institutions/nrc/principals/nrc-lab")
        self.assertEqual(me["role"], "ROLE_SUBMITTER")
        lot = os.path.join(self.dir, "lot.json")
        with open(lot, "w", encoding="utf-8") as f:
            json.dump({"kind": "SAMPLE_KIND_MATERIAL_LOT", "materialLot": {
                "materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE", "material": "NMC811"}}, f)
        made = self.bhub("create", "sample", "--institution", "nrc", "--id", "tls-lot",
                         "--file", lot, ca=self.pki, cert="nrc", token="nrc-lab")
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(json.loads(made.stdout)["provenance"]["submittedBy"],
                         "institutions/nrc/principals/nrc-lab")

    def test_certificate_alone_is_its_institutions_viewer(self):
        me = self.whoami(ca=self.pki, cert="libtec")
        self.assertEqual(me["principal"], "institutions/libtec/principals/certificate")
        self.assertEqual(me["institution"], "institutions/libtec")
        self.assertEqual(me["role"], "ROLE_VIEWER")
        lot = os.path.join(self.dir, "lot2.json")
        with open(lot, "w", encoding="utf-8") as f:
            json.dump({"kind": "SAMPLE_KIND_MATERIAL_LOT", "materialLot": {
                "materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE", "material": "LFP"}}, f)
        denied = self.bhub("create", "sample", "--institution", "libtec", "--id", "x",
                           "--file", lot, ca=self.pki, cert="libtec")
        self.assertEqual(denied.returncode, 77, denied.stderr)

    def test_token_of_another_institution_than_the_certificate_is_refused(self):
        refused = self.bhub("whoami", ca=self.pki, cert="nrc", token="aist-viewer")
        self.assertEqual(refused.returncode, 77)
        self.assertIn("certificate is of institutions/nrc but the token is of "
                      "institutions/aist", refused.stderr)
        # A hub admin belongs to no institution: any certificate of the CA carries it.
        self.assertEqual(self.whoami(ca=self.pki, cert="aist", token="operator")["role"],
                         "ROLE_ADMIN")

    def test_handshakes_that_must_fail(self):
        cases = {
            "no client certificate": dict(ca=self.pki, token="nrc-lab"),
            "certificate of another CA": dict(ca=self.pki, cert=(self.other, "nrc"),
                                              token="nrc-lab"),
            "plaintext": dict(token="nrc-lab"),
            "hub certificate not trusted": dict(ca=self.other, cert="nrc", token="nrc-lab"),
        }
        for what, kw in cases.items():
            with self.subTest(what):
                result = self.bhub("whoami", **kw)
                self.assertEqual(result.returncode, 69, result.stdout + result.stderr)

    def sign(self, name, subject, extensions):
        """A client certificate `name` signed by the test CA."""
        key, csr, pem = (os.path.join(self.pki, f"{name}.{ext}") for ext in ("key", "csr", "pem"))
        ext = os.path.join(self.pki, f"{name}.ext")
        with open(ext, "w", encoding="utf-8") as f:
            f.write(extensions)
        for cmd in (["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-out", key],
                    ["openssl", "req", "-new", "-key", key, "-subj", subject, "-out", csr],
                    ["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(self.pki, "ca.pem"),
                     "-CAkey", os.path.join(self.pki, "ca.key"), "-CAcreateserial", "-days", "2",
                     "-out", pem, "-extfile", ext]):
            done = subprocess.run(cmd, capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)

    def test_the_san_uri_names_the_institution_not_the_common_name(self):
        self.sign("lab7", "/O=batteryhub/CN=lab-7",
                  "extendedKeyUsage=clientAuth\nsubjectAltName=URI:batteryhub://institutions/nedo\n")
        self.assertEqual(self.whoami(ca=self.pki, cert="lab7")["institution"], "institutions/nedo")
        # Signed by the right CA but naming no institution of this hub.
        self.sign("stranger", "/O=batteryhub/CN=lab-8",
                  "extendedKeyUsage=clientAuth\nsubjectAltName=URI:batteryhub://institutions/mit\n")
        refused = self.bhub("whoami", ca=self.pki, cert="stranger")
        self.assertEqual(refused.returncode, 77)
        self.assertIn("must name exactly one institution of this hub", refused.stderr)

    def test_unreadable_tls_files_stop_the_hub_with_one_line(self):
        broken = os.path.join(self.dir, "broken.toml")
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        with open(broken, "w", encoding="utf-8") as f:
            f.write(text.replace(f"{self.pki}/server.key", f"{self.pki}/missing.key"))
        run = subprocess.run([HUBD, "--config", broken, "--listen", "127.0.0.1:0",
                              "--data_dir", os.path.join(self.dir, "data2")],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("missing.key", run.stderr)
        self.assertEqual(len(run.stderr.strip().splitlines()), 1, run.stderr)

    def test_cli_refuses_a_certificate_without_ca_and_missing_files(self):
        usage = subprocess.run([BHUB, "--hub", self.hub.address, "--cert",
                                os.path.join(self.pki, "nrc.pem"), "whoami"],
                               capture_output=True, text=True)
        self.assertEqual(usage.returncode, 2)
        missing = self.bhub("whoami", ca=os.path.join(self.dir, "nowhere"))
        self.assertEqual(missing.returncode, 66)


if __name__ == "__main__":
    if shutil.which("openssl") is None:
        print("skipped: openssl not installed")
        sys.exit(77)
    unittest.main(argv=sys.argv[:1], verbosity=2)
