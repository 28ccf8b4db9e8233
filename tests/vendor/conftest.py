"""Fixtures of the vendor tests: real BMC captures (tests/captures, MIT, from NVIDIA/libredfish)
served read-only over HTTPS by support.capture_server."""
import pytest

from support.capture_server import CaptureServer
from support.mockup import ROOT

CAPTURES = ROOT / "tests" / "captures"


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory):
    """capture_server("<capture folder>"): a read-only HTTPS server of that capture, one per
    capture and test module, stopped at the module's end (its requests.log stays in the tmp dir)."""
    servers = {}

    def start(name):
        if name not in servers:
            tree = CAPTURES / name
            assert (tree / "redfish" / "v1" / "index.json").is_file(), f"no capture {name} under {CAPTURES}"
            servers[name] = CaptureServer(tree, tmp_path_factory.mktemp(f"capture-{name}")).start()
        return servers[name]

    yield start
    for server in servers.values():
        server.stop()
