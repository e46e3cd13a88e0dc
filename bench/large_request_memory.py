"""Resident memory of a real dev batteryhubd before, right after and 16 s
after a burst of large requests: 8 threads each sending 3 CreateSample calls
of 15 MB (refused by the request bounds after they are received).

usage: large_request_memory.py BATTERYHUBD PROTO_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "e2e"))
from hub_process import HubProcess
import grpc
HUBD, PROTO = sys.argv[1], sys.argv[2]
stubs = tempfile.mkdtemp()
subprocess.run(["protoc", f"--proto_path={PROTO}", "--proto_path=/usr/include", f"--python_out={stubs}", f"--grpc_out={stubs}",
                "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", *glob.glob(os.path.join(PROTO, "batteryhub", "v1", "*.proto"))], check=True)
sys.path.insert(0, stubs)
from batteryhub.v1 import sample_pb2, sample_service_pb2 as svc, sample_service_pb2_grpc as g
hub = HubProcess(HUBD).start()
pid = hub.proc.pid
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return line.split()[1]
tok = hub.tokens()["nrc"]["submitter"]
ch = grpc.insecure_channel(hub.address, options=[("grpc.max_send_message_length", 32 << 20)])
stub = g.SampleServiceStub(ch)
print("rss before kB", rss())
def send():
    for _ in range(3):
        try:
            stub.CreateSample(svc.CreateSampleRequest(parent="institutions/nrc", sample_id="x",
                sample=sample_pb2.Sample(description="x" * (15 << 20))), metadata=[("authorization", "Bearer " + tok)], timeout=30)
        except grpc.RpcError:
            pass  # refused: the point is what receiving it costs
ts = [threading.Thread(target=send) for _ in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print("rss right after kB", rss())
time.sleep(16)
print("rss 16 s later kB", rss())
hub.terminate()
shutil.rmtree(hub.data_dir, ignore_errors=True)
shutil.rmtree(stubs, ignore_errors=True)
