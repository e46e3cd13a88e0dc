"""The hub from Python: a channel with the caller's credentials and typed
helpers over the generated stubs (batteryhub.v1.*_pb2)."""
import os
import subprocess
import tomllib
from typing import Iterator, Optional, Sequence

import grpc
import numpy as np

from batteryhub.errors import HubError
from batteryhub.wire import decode_series_chunk
from batteryhub.v1 import (
    cell_test_service_pb2, cell_test_service_pb2_grpc, characterization_service_pb2,
    characterization_service_pb2_grpc, sample_service_pb2, sample_service_pb2_grpc,
    series_service_pb2, series_service_pb2_grpc, admin_service_pb2, admin_service_pb2_grpc,
    lineage_service_pb2, lineage_service_pb2_grpc)
from google.protobuf import json_format

# BDF machine names end in their unit.
_UNITS = [("_ampere_hour", "Ah"), ("_watt_hour", "Wh"), ("_volt", "V"), ("_ampere", "A"),
          ("_second", "s"), ("_celsius", "degC"), ("_watt", "W"), ("_ohm", "Ohm"),
          ("_kelvin", "K"), ("_hertz", "Hz")]


def unit_of(column: str) -> str:
    for suffix, unit in _UNITS:
        if column.endswith(suffix):
            return unit
    return "1"


def _config_path() -> str:
    if os.environ.get("BATTERYHUB_CONFIG"):
        return os.environ["BATTERYHUB_CONFIG"]
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "batteryhub", "config.toml")


def _read_token_file(path: str) -> str:
    path = os.path.expanduser(path)
    if os.stat(path).st_mode & 0o077:
        raise PermissionError(f"{path}: a token file must be readable by its owner only (chmod 600)")
    with open(path, encoding="utf-8") as f:
        token = f.read().strip()
    if not token or any(c.isspace() for c in token):
        raise ValueError(f"{path}: expected one token")
    return token


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except grpc.RpcError as err:
        raise HubError.from_rpc(err) from None


class _Records:
    """Standard methods of one record kind: list (every page), get, create, update."""

    def __init__(self, hub, stub, module, noun, plural, id_field):
        self._hub, self._stub, self._m = hub, stub, module
        self._noun, self._plural, self._id = noun, plural, id_field

    def list(self, filter: str = "", parent: str = "institutions/-", order_by: str = "",
             page_size: int = 200, show_deleted: bool = False) -> Iterator:
        request_type = getattr(self._m, f"List{self._plural}Request")
        method = getattr(self._stub, f"List{self._plural}")
        token = ""
        while True:
            page = _call(method, request_type(parent=parent, filter=filter, order_by=order_by,
                                              page_size=page_size, page_token=token,
                                              show_deleted=show_deleted),
                         metadata=self._hub._auth, timeout=self._hub.timeout)
            items = getattr(page, page.DESCRIPTOR.fields[0].name)
            yield from items
            token = page.next_page_token
            if not token:
                return

    def get(self, name: str):
        request = getattr(self._m, f"Get{self._noun}Request")(name=name)
        return _call(getattr(self._stub, f"Get{self._noun}"), request,
                     metadata=self._hub._auth, timeout=self._hub.timeout)

    def create(self, institution: str, record_id: str, record, validate_only: bool = False,
               request_id: str = ""):
        """`record` is a message or a dict in the proto3 JSON form."""
        request_type = getattr(self._m, f"Create{self._noun}Request")
        field = request_type.DESCRIPTOR.fields_by_number[2].name
        if isinstance(record, dict):
            message = request_type().__getattribute__(field).__class__()
            json_format.ParseDict(record, message)
            record = message
        request = request_type(parent=f"institutions/{institution}", validate_only=validate_only,
                               request_id=request_id, **{self._id: record_id, field: record})
        return _call(getattr(self._stub, f"Create{self._noun}"), request,
                     metadata=self._hub._auth, timeout=self._hub.timeout)


class Series:
    """The rows of a cell test's series (FULL tier), read on demand."""

    def __init__(self, hub, name, columns, cycles, rows):
        self._hub, self.name = hub, name
        self.columns = list(columns or [])
        self.cycles, self.rows = cycles, rows

    def _request(self):
        r = series_service_pb2.ReadSeriesRequest(name=self.name, columns=self.columns)
        if self.rows:
            r.start_row, r.end_row = self.rows
        if self.cycles:
            r.start_cycle, r.end_cycle = self.cycles
        return r

    def arrays(self) -> dict:
        """Column name -> float64 numpy array (NaN where a value is missing)."""
        call = self._hub._channel.unary_stream(
            "/batteryhub.v1.SeriesService/ReadSeries",
            request_serializer=series_service_pb2.ReadSeriesRequest.SerializeToString,
            response_deserializer=lambda b: b)
        parts, names = {}, []
        try:
            for data in call(self._request(), metadata=self._hub._auth, timeout=self._hub.stream_timeout):
                _, columns = decode_series_chunk(data)
                for column, values in columns:
                    if column not in parts:
                        parts[column] = []
                        names.append(column)
                    parts[column].append(values)
        except grpc.RpcError as err:
            raise HubError.from_rpc(err) from None
        return {c: (np.concatenate(parts[c]) if parts[c] else np.empty(0)) for c in names}

    def to_pandas(self):
        """A DataFrame with BDF column names; units in `df.attrs["units"]`."""
        import pandas as pd
        arrays = self.arrays()
        df = pd.DataFrame(arrays, copy=False)
        df.attrs["units"] = {c: unit_of(c) for c in arrays}
        df.attrs["cell_test"] = self.name
        return df


class Summaries:
    """Per-cycle summaries (SUMMARY tier), every page."""

    def __init__(self, hub, name):
        self._hub, self.name = hub, name

    def __iter__(self):
        token = ""
        while True:
            page = _call(self._hub._series.ListCycleSummaries,
                         series_service_pb2.ListCycleSummariesRequest(name=self.name, page_size=10000,
                                                                      page_token=token),
                         metadata=self._hub._auth, timeout=self._hub.timeout)
            yield from page.cycles
            token = page.next_page_token
            if not token:
                return

    def to_pandas(self):
        import pandas as pd
        rows = [json_format.MessageToDict(c, preserving_proto_field_name=True,
                                          including_default_value_fields=True) for c in self]
        df = pd.DataFrame(rows)
        for column in ("cycle", "first_row", "row_count"):
            if column in df:
                df[column] = df[column].astype("int64")
        df.attrs["units"] = {c: unit_of(c) for c in df.columns}
        df.attrs["cell_test"] = self.name
        return df


class Hub:
    """A connection to a hub.

    Hub(profile="nrc") reads hub, token_file and TLS files from the profile of
    bhub's config file; Hub(address, token=..., tls=...) says them directly
    (tls: None for plaintext, or a dict with ca, cert, key file paths)."""

    def __init__(self, address: Optional[str] = None, token: Optional[str] = None,
                 tls: Optional[dict] = None, profile: Optional[str] = None,
                 config: Optional[str] = None, timeout: float = 30, stream_timeout: float = 3600):
        settings = {}
        path = config or _config_path()
        if profile is not None or config is not None or (address is None and os.path.exists(path)):
            with open(path, "rb") as f:
                doc = tomllib.load(f)
            settings = {k: v for k, v in doc.items() if not isinstance(v, dict)}
            if profile:
                if profile not in doc.get("profiles", {}):
                    raise KeyError(f"{path}: no profile '{profile}'")
                settings.update(doc["profiles"][profile])
        self.address = address or os.environ.get("BATTERYHUB_HUB") or settings.get("hub", "127.0.0.1:50051")
        if token is None:
            token = os.environ.get("BATTERYHUB_TOKEN")
        if token is None and settings.get("token_file"):
            token = _read_token_file(settings["token_file"])
        if tls is None and settings.get("ca"):
            tls = {k: settings.get(k) for k in ("ca", "cert", "key")}
        self.timeout, self.stream_timeout = timeout, stream_timeout
        self.profile, self.config_path = profile, path
        self._auth = [("authorization", f"Bearer {token}")] if token else []
        options = [("grpc.max_receive_message_length", 64 << 20)]
        if tls:
            def read(p):
                return open(os.path.expanduser(p), "rb").read() if p else None
            creds = grpc.ssl_channel_credentials(read(tls.get("ca")), read(tls.get("key")), read(tls.get("cert")))
            self._channel = grpc.secure_channel(self.address, creds, options=options)
        else:
            self._channel = grpc.insecure_channel(self.address, options=options)
        self._series = series_service_pb2_grpc.SeriesServiceStub(self._channel)
        self._admin = admin_service_pb2_grpc.AdminServiceStub(self._channel)
        self._lineage = lineage_service_pb2_grpc.LineageServiceStub(self._channel)
        self.samples = _Records(self, sample_service_pb2_grpc.SampleServiceStub(self._channel),
                                sample_service_pb2, "Sample", "Samples", "sample_id")
        self.cell_tests = _Records(self, cell_test_service_pb2_grpc.CellTestServiceStub(self._channel),
                                   cell_test_service_pb2, "CellTest", "CellTests", "cell_test_id")
        self.characterizations = _Records(
            self, characterization_service_pb2_grpc.CharacterizationServiceStub(self._channel),
            characterization_service_pb2, "Characterization", "Characterizations", "characterization_id")

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def identity(self):
        return _call(self._admin.GetIdentity, admin_service_pb2.GetIdentityRequest(),
                     metadata=self._auth, timeout=self.timeout)

    def lineage(self, name: str, up: bool = False, max_depth: int = 0):
        direction = (lineage_service_pb2.LINEAGE_DIRECTION_UP if up
                     else lineage_service_pb2.LINEAGE_DIRECTION_DOWN)
        return _call(self._lineage.GetLineage,
                     lineage_service_pb2.GetLineageRequest(name=name, direction=direction, max_depth=max_depth),
                     metadata=self._auth, timeout=self.timeout)

    def series(self, name: str, columns: Optional[Sequence[str]] = None, cycles=None, rows=None) -> Series:
        """cycles=(first, last) inclusive, rows=(start, end) end exclusive."""
        return Series(self, name, columns, cycles, rows)

    def summaries(self, name: str) -> Summaries:
        return Summaries(self, name)

    def upload(self, path: str, cell_test: str, bhub: Optional[str] = None, *extra: str) -> dict:
        """Parses and uploads a cycler export with `bhub upload` (the same
        parsers, checks, raw-file upload and resume); returns its JSON summary."""
        import json
        exe = bhub or os.environ.get("BHUB") or "bhub"
        args = [exe, "--output", "json", "--hub", self.address]
        if os.path.exists(self.config_path):
            args += ["--config", self.config_path]
        if self.profile:
            args += ["--profile", self.profile]
        env = dict(os.environ)
        token = self._auth[0][1][len("Bearer "):] if self._auth else None
        if token:
            env["BATTERYHUB_TOKEN"] = token
        done = subprocess.run(args + ["upload", path, "--cell-test", cell_test, *extra],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise HubError(grpc.StatusCode.INVALID_ARGUMENT if done.returncode == 65 else grpc.StatusCode.UNKNOWN,
                           done.stderr.strip() or f"bhub exited with {done.returncode}")
        # bhub --output json: one JSON document (or a line per file).
        try:
            return json.loads(done.stdout)
        except ValueError:
            lines = [line for line in done.stdout.splitlines() if line.strip().startswith("{")]
            return json.loads(lines[-1]) if lines else {"output": done.stdout}
