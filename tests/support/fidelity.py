"""What the capture-fidelity tests (tests/mockup/test_*_capture_fidelity.py) share: reading a real
capture's resource from tests/captures, and comparing JSON types property by property."""
import json
from pathlib import Path

CAPTURES = Path(__file__).resolve().parents[1] / "captures"


def kind(value):
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), "null")


def capture_reader(name):
    """read(uri) -> the body the capture `name` holds for that URI."""
    folder = CAPTURES / name

    def read(uri):
        path = folder / uri.lstrip("/") / "index.json"
        # every compared resource is in tests/captures (scripts/copy_captures.py): a missing one is a failure
        assert path.exists(), f"capture file {path} is missing; add it to scripts/copy_captures.py and copy it"
        return json.loads(path.read_text())
    return read


def type_clashes(real, served, where="", skip=()):
    """Properties both bodies have whose JSON types differ (null matches anything: unset values)."""
    clashes = []
    for key in set(real) & set(served):
        if key.startswith("@odata.") or key in skip:
            continue
        a, b = real[key], served[key]
        if a is None or b is None:
            continue
        if kind(a) != kind(b):
            clashes.append(f"{where}{key}: {kind(a)} in the capture, {kind(b)} served")
        elif isinstance(a, dict):
            clashes += type_clashes(a, b, f"{where}{key}.", skip)
    return clashes
