"""A normal client's Get latency while the hub is abused, against the same
client on the idle hub, in one run of a real dev batteryhubd.

Abuse (all at once, every loop bounded in count and time, loopback only):
  - 200 UploadSeries streams opened with valid viewer tokens and left idle;
  - 40 ReadSeries calls of a 200,000-row cell test whose client never reads;
  - 4 threads flooding unauthenticated GetSample calls;
  - 2 threads sending 1 MB List filters.
Each abuse runs alone, then all at once; prints GetSample p50/p99 under
each against the idle hub, and what the abusers were answered.

usage: abuse_bench.py BATTERYHUBD PROTO_DIR [SECONDS]
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "e2e"))
from hub_process import HubProcess  # noqa: E402

HUBD, PROTO_DIR = sys.argv[1], sys.argv[2]
ABUSE_SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0

STUBS = tempfile.mkdtemp(prefix="bhub-abuse-")
subprocess.run(
    ["protoc", f"--proto_path={PROTO_DIR}", "--proto_path=/usr/include",
     f"--python_out={STUBS}", f"--grpc_out={STUBS}",
     "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
     *glob.glob(os.path.join(PROTO_DIR, "batteryhub", "v1", "*.proto"))], check=True)
sys.path.insert(0, STUBS)
from batteryhub.v1 import cell_test_pb2, common_pb2, sample_pb2  # noqa: E402
from batteryhub.v1 import cell_test_service_pb2 as ct_svc  # noqa: E402
from batteryhub.v1 import cell_test_service_pb2_grpc as ct_grpc  # noqa: E402
from batteryhub.v1 import sample_service_pb2 as sample_svc  # noqa: E402
from batteryhub.v1 import sample_service_pb2_grpc as sample_grpc  # noqa: E402
from batteryhub.v1 import series_service_pb2 as series_svc  # noqa: E402
from batteryhub.v1 import series_service_pb2_grpc as series_grpc  # noqa: E402


def auth(token):
    return [("authorization", "Bearer " + token)]


def get_latencies(stub, meta, name, n):
    out = []
    for _ in range(n):
        start = time.perf_counter()
        stub.GetSample(sample_svc.GetSampleRequest(name=name), metadata=meta, timeout=10)
        out.append((time.perf_counter() - start) * 1e3)
    return out


def summary(ms):
    ms = sorted(ms)
    return statistics.median(ms), ms[int(len(ms) * 0.99) - 1]


def setup(channel, tokens):
    samples = sample_grpc.SampleServiceStub(channel)
    nrc = auth(tokens["nrc"]["submitter"])
    lot = sample_pb2.Sample(kind=sample_pb2.SAMPLE_KIND_MATERIAL_LOT,
                            material_lot=sample_pb2.MaterialLot(
                                material="NMC811", material_class=sample_pb2.MATERIAL_CLASS_PRECURSOR),
                            access=common_pb2.Access(visibility=common_pb2.VISIBILITY_CONSORTIUM))
    samples.CreateSample(sample_svc.CreateSampleRequest(parent="institutions/nrc", sample_id="lot",
                                                        sample=lot), metadata=nrc)
    tests = ct_grpc.CellTestServiceStub(channel)
    test = cell_test_pb2.CellTest(access=common_pb2.Access(visibility=common_pb2.VISIBILITY_CONSORTIUM))
    test.cell.form_factor = sample_pb2.FORM_FACTOR_COIN
    test.cell.chemistry = "NMC811/graphite"
    test.cell.nominal_capacity.value = 0.1
    test.cell.nominal_capacity.unit = "Ah"
    test.protocol.temperature.value = 25
    test.protocol.temperature.unit = "degC"
    tests.CreateCellTest(ct_svc.CreateCellTestRequest(parent="institutions/nrc", cell_test_id="big",
                                                      cell_test=test), metadata=nrc)
    series = series_grpc.SeriesServiceStub(channel)
    rows, step = 200000, 50000

    def messages():
        header = series_svc.UploadHeader(cell_test="institutions/nrc/cellTests/big", upload_id="u",
                                         row_count=rows)
        for name in ("test_time_second", "voltage_volt", "current_ampere"):
            header.columns.add(name=name)
        yield series_svc.UploadSeriesRequest(header=header)
        for first in range(0, rows, step):
            chunk = series_svc.SeriesChunk(first_row=first)
            chunk.columns.add(name="test_time_second", values=[float(r) for r in range(first, first + step)])
            chunk.columns.add(name="voltage_volt", values=[3.7] * step)
            chunk.columns.add(name="current_ampere", values=[0.1 if (r // 1000) % 2 else -0.1
                                                             for r in range(first, first + step)])
            yield series_svc.UploadSeriesRequest(chunk=chunk)
    series.UploadSeries(messages(), metadata=nrc, timeout=120)


def main():
    hub = HubProcess(HUBD).start()
    try:
        tokens = hub.tokens()
        channel = grpc.insecure_channel(hub.address)
        setup(channel, tokens)
        normal = sample_grpc.SampleServiceStub(channel)
        meta = auth(tokens["aist"]["viewer"])
        name = "institutions/nrc/samples/lot"
        get_latencies(normal, meta, name, 50)  # warm up
        idle = get_latencies(normal, meta, name, 400)

        viewers = [tokens[i][r] for i in ("aist", "nedo", "libtec", "nrc")
                   for r in ("viewer", "submitter", "steward")]
        abuse = grpc.insecure_channel(hub.address)
        series = series_grpc.SeriesServiceStub(abuse)
        flood = sample_grpc.SampleServiceStub(abuse)
        big_filter = "owner = \"x\" AND " * (1 << 16)

        def idle_streams(phase_stop, out):
            def never():
                phase_stop.wait(ABUSE_SECONDS)
                return
                yield  # pragma: no cover

            def one(token):
                try:
                    series.UploadSeries(never(), metadata=auth(token), timeout=ABUSE_SECONDS)
                except grpc.RpcError as e:
                    out[e.code().name] = out.get(e.code().name, 0) + 1
            return [threading.Thread(target=one, args=(viewers[k % len(viewers)],), daemon=True)
                    for k in range(200)]

        def unread_reads(phase_stop, out):
            def run():
                calls = [series.ReadSeries(series_svc.ReadSeriesRequest(name="institutions/nrc/cellTests/big"),
                                           metadata=auth(viewers[k % len(viewers)]), timeout=ABUSE_SECONDS)
                         for k in range(40)]
                phase_stop.wait(ABUSE_SECONDS)
                for call in calls:
                    call.cancel()
                out["calls"] = len(calls)
            return [threading.Thread(target=run, daemon=True)]

        def unauthenticated(phase_stop, out):
            def run():
                while not phase_stop.is_set():
                    try:
                        flood.GetSample(sample_svc.GetSampleRequest(name=name), timeout=5)
                    except grpc.RpcError:
                        out["refused"] = out.get("refused", 0) + 1
            return [threading.Thread(target=run, daemon=True) for _ in range(4)]

        def big_filters(phase_stop, out):
            def run():
                while not phase_stop.is_set():
                    try:
                        flood.ListSamples(sample_svc.ListSamplesRequest(parent="institutions/-",
                                                                        filter=big_filter),
                                          metadata=meta, timeout=5)
                    except grpc.RpcError:
                        out["refused"] = out.get("refused", 0) + 1
            return [threading.Thread(target=run, daemon=True) for _ in range(2)]

        phases = [("200 idle upload streams", [idle_streams]),
                  ("40 unread series reads", [unread_reads]),
                  ("unauthenticated flood (4 threads)", [unauthenticated]),
                  ("1 MB filters (2 threads)", [big_filters]),
                  ("all at once", [idle_streams, unread_reads, unauthenticated, big_filters])]
        i50, i99 = summary(idle)
        print(f"GetSample idle: p50 {i50:.3f} ms  p99 {i99:.3f} ms")
        for title, makers in phases:
            phase_stop = threading.Event()
            out = {}
            threads = [t for make in makers for t in make(phase_stop, out)]
            for t in threads:
                t.start()
            time.sleep(2)  # let the abuse settle in
            abused = get_latencies(normal, meta, name, 400)
            phase_stop.set()
            for t in threads:
                t.join(timeout=ABUSE_SECONDS + 10)
            a50, a99 = summary(abused)
            print(f"{title:36s} p50 {a50:.3f} ms ({a50 / i50:.2f}x)  p99 {a99:.3f} ms ({a99 / i99:.2f}x)  {out}")
    finally:
        hub.terminate()
        shutil.rmtree(hub.data_dir, ignore_errors=True)
        shutil.rmtree(STUBS, ignore_errors=True)


if __name__ == "__main__":
    main()
