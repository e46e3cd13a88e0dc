"""A failed call as a Python exception, with the hub's error details."""
from dataclasses import dataclass, field
from typing import List

import grpc


@dataclass
class FieldViolation:
    field: str
    description: str


class HubError(Exception):
    """The hub refused a call: `code` (a grpc.StatusCode), `reason` (e.g.
    "INVALID_FIELD", "NOT_FOUND"), the message, and for bad input the
    field violations (which field, what was expected)."""

    def __init__(self, code, message, reason="", violations=None):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.reason = reason
        self.violations: List[FieldViolation] = violations or []

    @classmethod
    def from_rpc(cls, err: grpc.RpcError) -> "HubError":
        from batteryhub.v1 import common_pb2
        code = err.code() if callable(getattr(err, "code", None)) else grpc.StatusCode.UNKNOWN
        message = err.details() if callable(getattr(err, "details", None)) else str(err)
        reason, violations = "", []
        trailing = dict(err.trailing_metadata() or ()) if hasattr(err, "trailing_metadata") else {}
        raw = trailing.get("grpc-status-details-bin")
        if raw:
            status = common_pb2.Status.FromString(raw)
            for detail in status.details:
                if detail.Is(common_pb2.ErrorInfo.DESCRIPTOR):
                    info = common_pb2.ErrorInfo()
                    detail.Unpack(info)
                    reason = info.reason
                elif detail.Is(common_pb2.BadRequest.DESCRIPTOR):
                    bad = common_pb2.BadRequest()
                    detail.Unpack(bad)
                    violations = [FieldViolation(v.field, v.description) for v in bad.field_violations]
        return cls(code, message or "", reason, violations)
