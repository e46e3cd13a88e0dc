"""Starts and stops a real batteryhubd for end-to-end tests."""
import hashlib
import os
import signal
import subprocess
import tempfile
import tomllib


def write_tls_config(path, hub_id, pki, tokens):
    """A hub config serving mutual TLS with the certificates of `pki` (a
    deploy/pki.sh folder) and one principal per token:
    tokens = {token: (institution or "" for an admin, role)}."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'[hub]\nid = "{hub_id}"\n\n[tls]\n')
        f.write(f'cert = "{pki}/server.pem"\nkey = "{pki}/server.key"\n')
        f.write(f'client_ca = "{pki}/ca.pem"\n')
        for token, (institution, role) in tokens.items():
            digest = hashlib.sha256(token.encode()).hexdigest()
            f.write(f'\n[[principals]]\nid = "{token}"\ninstitution = "{institution}"\n'
                    f'role = "{role}"\ntoken_sha256 = "{digest}"\n')
    return path


class HubProcess:
    """A batteryhubd child on 127.0.0.1:0 over its own data dir."""

    def __init__(self, binary, data_dir=None, extra_args=()):
        self.binary = binary
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="bhub-e2e-")
        self.extra_args = list(extra_args)
        self.proc = None
        self.address = None
        self.http_address = None

    def start(self, listen="127.0.0.1:0"):
        """Starts the hub and returns once it prints its listening line."""
        self.address = self.http_address = None  # a restart prints them anew
        extra = list(self.extra_args)
        if not any(a.startswith(("--config", "--http_listen")) for a in extra):
            extra.append("--http_listen=127.0.0.1:0")  # never the dev default 8080 in a test
        self.proc = subprocess.Popen(
            [self.binary, "--listen", listen, "--data_dir", self.data_dir, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:  # EOF when the hub exits
            if line.startswith("batteryhubd listening on "):
                self.address = line.split()[-1]
            elif line.startswith("batteryhubd http listening on "):
                self.http_address = line.split()[-1]
            if self.address and (self.http_address or "--http_listen=off" in extra
                                 or any(a.startswith("--config") for a in extra)):
                return self
        raise RuntimeError(f"batteryhubd exited with {self.proc.wait()} before listening")

    def tokens(self):
        with open(os.path.join(self.data_dir, "dev-tokens.toml"), "rb") as f:
            return tomllib.load(f)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()

    def terminate(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            code = self.proc.wait(timeout=30)
            self.proc.stdout.close()
            return code
        return self.proc.returncode if self.proc else None
