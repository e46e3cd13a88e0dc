"""Builds the package with its gRPC stubs: protoc (Debian protobuf-compiler
and grpc_python_plugin from protobuf-compiler-grpc) runs over the hub's
protos at build time, so the stubs always match the hub they came with."""
import glob
import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_DIR = os.environ.get("BATTERYHUB_PROTO_DIR", os.path.join(HERE, "..", "..", "proto"))


def generate_stubs():
    """Writes batteryhub/v1 and google/api next to this file. Runs before
    setup() so that every step pip takes (metadata, build, sdist) finds the
    packages pyproject.toml lists, also from a clean clone."""
    protos = sorted(glob.glob(os.path.join(PROTO_DIR, "batteryhub", "v1", "*.proto")) +
                    glob.glob(os.path.join(PROTO_DIR, "google", "api", "*.proto")))
    if not protos:
        raise SystemExit(f"batteryhub: no protos under {PROTO_DIR} (set BATTERYHUB_PROTO_DIR)")
    plugin = shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
    subprocess.check_call(
        ["protoc", f"--proto_path={PROTO_DIR}", "--proto_path=/usr/include",
         f"--python_out={HERE}", f"--grpc_out={HERE}",
         f"--plugin=protoc-gen-grpc={plugin}", *protos])
    for package in ("batteryhub/v1", "google/api"):
        open(os.path.join(HERE, package, "__init__.py"), "a").close()


class BuildWithStubs(build_py):
    def run(self):
        generate_stubs()
        super().run()


generate_stubs()
setup(cmdclass={"build_py": BuildWithStubs})
