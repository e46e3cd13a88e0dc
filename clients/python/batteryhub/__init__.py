"""batteryhub: the consortium data hub from Python.

    from batteryhub import Hub
    hub = Hub(profile="nrc")                       # ~/.config/batteryhub/config.toml, as bhub
    hub = Hub("127.0.0.1:50051", token="...")      # or directly
    for s in hub.samples.list(filter='labels.project = "jp-ca-supply-chain"'):
        print(s.name, s.display_name)
    df = hub.series("institutions/nrc/cellTests/ct-001", columns=["test_time_second", "voltage_volt"]).to_pandas()
    fade = hub.summaries("institutions/nrc/cellTests/ct-001").to_pandas()
"""
from batteryhub.errors import HubError, FieldViolation
from batteryhub.hub import Hub

__all__ = ["Hub", "HubError", "FieldViolation"]
