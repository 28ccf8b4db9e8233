"""DMTF's own validators against a running mockup: the Service Validator offline with the CSDL
copied into tests/schemas/csdl, and the Protocol Validator over HTTPS trusting the mockup's CA."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CSDL = Path(__file__).resolve().parents[1] / "schemas" / "csdl"
BIN = Path(sys.executable).parent


def _tool(name):
    path = BIN / name
    if not path.exists():
        path = shutil.which(name)
    assert path, f"{name} is not installed (pyproject.toml [test] extra)"
    return str(path)


def _env(ca_file):
    # requests lets these override the CA a tool asks for; point them at the mockup's CA.
    return {**os.environ, "REQUESTS_CA_BUNDLE": ca_file, "CURL_CA_BUNDLE": ca_file}


PERSONALITIES = ["dmtf", "idrac9", "idrac10", "ilo5", "ilo6", "supermicro-x13", "xcc", "xcc2"]
# What the walk must have reached on each personality: the resources the collection depends on.
WALKED = {
    "dmtf": ("/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1",
             "/redfish/v1/Systems/1/BootOptions", "/redfish/v1/Systems/1/VirtualMedia/CD",
             "/redfish/v1/Systems/1/LogServices/EventLog/Entries", "/redfish/v1/TaskService/Tasks"),
    "idrac9": ("/redfish/v1/Chassis/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1",
               "/redfish/v1/Systems/System.Embedded.1/BootOptions", "/redfish/v1/Systems/System.Embedded.1/Bios",
               "/redfish/v1/Managers/iDRAC.Embedded.1/LogServices/Lclog/Entries"),
}
WALKED["idrac10"] = WALKED["idrac9"]
WALKED["ilo5"] = ("/redfish/v1/Chassis/1/NetworkAdapters/DE07A000/NetworkDeviceFunctions/0",
                  "/redfish/v1/Systems/1/BootOptions", "/redfish/v1/systems/1/bios/",
                  "/redfish/v1/Managers/1/VirtualMedia/2")
WALKED["ilo6"] = WALKED["ilo5"]
WALKED["supermicro-x13"] = ("/redfish/v1/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions/1",
                            "/redfish/v1/Systems/1/BootOptions", "/redfish/v1/Systems/1/Bios/SD",
                            "/redfish/v1/Systems/1/LogServices/Log1/Entries", "/redfish/v1/Managers/1/VirtualMedia/VirtualMedia1")
WALKED["xcc"] = ("/redfish/v1/Chassis/1/NetworkAdapters/slot-1/NetworkDeviceFunctions/1.1/Pending",
                 "/redfish/v1/Systems/1/Pending", "/redfish/v1/Systems/1/BootOptions/Boot0003",
                 "/redfish/v1/Systems/1/LogServices/PlatformLog/Entries", "/redfish/v1/Systems/1/ResetActionInfo",
                 "/redfish/v1/Chassis/1/NetworkAdapters/slot-1/Ports/1")
WALKED["xcc2"] = WALKED["xcc"]


@pytest.fixture(params=PERSONALITIES)
def booted_mockup(request, mockup_factory):
    """A fleet whose first host has booted from iSCSI, so the tree has iSCSI options, logs and a
    task (DMTF) or a completed job (Dell)."""
    from support.mockup import fast_fleet
    mockup = mockup_factory(fast_fleet(count=1, personality=request.param))
    mockup.personality = request.param
    _boot_from_iscsi(mockup.bmc("esxi01"), request.param)
    return mockup


def _boot_from_iscsi(bmc, personality):
    from support.mockup import GOOD_ISCSI
    if personality == "dmtf":
        assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
        assert bmc.boot_once()["outcome"] == "booted"
        assert bmc.configure_iscsi({"PrimaryLUN": 1}, apply_time="Immediate").status_code == 202
        return
    if personality == "supermicro-x13":
        assert bmc.boot_once()["outcome"] == "booted"  # the option ROM's iSCSI values (fast_fleet)
        return
    if personality in ("xcc", "xcc2"):
        from support.lenovo import configure
        configure(bmc, CHAPSecret="wrong-secret-1")
        bmc.boot_once()  # a failed login: a PlatformLog entry
        configure(bmc)  # Pending, applied at the reset
        assert bmc.boot_once()["outcome"] == "booted"
        return
    if personality in ("ilo5", "ilo6"):
        from support.hpe import configure
        configure(bmc)  # the software initiator: BIOS prerequisite and attempt, applied at the reset
        assert bmc.boot_once()["outcome"] == "booted"
        return
    uri = "/redfish/v1/Systems/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1/Settings"
    body = {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi01"], "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
    assert bmc.patch(uri, body).status_code == 202
    assert bmc.boot_once()["outcome"] == "booted"


def test_service_validator_passes_with_no_failure(booted_mockup, tmp_path):
    bmc = booted_mockup.bmc("esxi01")
    schemas = tmp_path / "csdl"
    shutil.copytree(CSDL, schemas)
    result = subprocess.run(
        [_tool("rf_service_validator"), "-r", bmc.base, "-u", bmc.auth[0], "-p", bmc.auth[1],
         "--authtype", "Session", "--skipschema", "--schema_directory", str(schemas),
         "--logdir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=600, env=_env(booted_mockup.ca_file), cwd=tmp_path)
    table = re.search(r"\|\s*PASS\s*\|\s*WARN\s*\|\s*FAIL\s*\|\s*NOT TESTED\s*\|\n.*?\n\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|",
                      result.stdout)
    assert table, result.stdout[-3000:] + result.stderr[-3000:]
    passed, _warned, failed = (int(n) for n in table.groups())
    assert failed == 0, result.stdout[-5000:]
    assert passed > 400  # the whole tree was walked, not just the service root
    assert result.returncode == 0
    for uri in WALKED[booted_mockup.personality]:
        assert f"Validating {uri}..." in result.stdout, uri


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_protocol_validator_passes_with_no_failure(personality, mockup_factory, tmp_path):
    from support.mockup import fast_fleet
    mockup = mockup_factory(fast_fleet(count=1, personality=personality))
    bmc = mockup.bmc("esxi01")
    reports = tmp_path / "reports"
    result = subprocess.run(
        [_tool("rf_protocol_validator"), "-r", bmc.base, "-u", bmc.auth[0], "-p", bmc.auth[1],
         "--ca-bundle", mockup.ca_file, "--avoid-http-redirect", "--report-dir", str(reports)],
        capture_output=True, text=True, timeout=600, env=_env(mockup.ca_file), cwd=tmp_path)
    counts = json.loads((reports / "results.json").read_text())["TestResults"]["Protocol Validations"]
    rows = next(reports.glob("*.tsv")).read_text().splitlines()
    failures = [row for row in rows if "\tFAIL\t" in row]
    assert counts["fail"] == 0, "\n".join(failures)
    assert counts["pass"] > 300
    assert result.returncode == 0, result.stdout[-3000:]
    # What stays NOT TESTED is only what the README lists, for the reasons it gives.
    not_tested = {row.split("\t")[0] for row in rows if "\tNOT_TESTED\t" in row}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    undocumented = sorted(a for a in not_tested if a not in readme)
    assert not undocumented, f"NOT TESTED assertions missing from the README: {undocumented}"
    # The validator logs out; the accounts it created are gone again.
    assert bmc.admin("stats")["sessions"] == 0
