"""The SAN login matrix on both backends: the in-process model and the real userspace target (tgtd
with libiscsi logins). Same fleet, same values, same outcomes; with tgt every failure carries
libiscsi's own reason. Also: tgt leaves no tgtd and no LUN file behind, even after a crash."""
import subprocess
import sys

import pytest
from support.mockup import GOOD_ISCSI, ROOT, MockupProcess, fast_fleet, free_port

from sanboot_mockup.ibft import parse_ibft

CASES = {  # name: (host, changes to that host's correct values, expected outcome, expected reason words)
    "right values (CHAP)": ("esxi01", {}, "booted", None),
    "right values (mutual CHAP)": ("esxi02", {}, "booted", None),
    "wrong CHAP secret": ("esxi01", {"CHAPSecret": "wrong-secret-1"}, "no_bootable_device", "authentication failure"),
    "wrong mutual secret": ("esxi02", {"MutualCHAPSecret": "wrong-mutual-1"}, "no_bootable_device",
                            "mutual authentication failure"),
    "initiator not in the ACL": ("esxi01", {"InitiatorName": "iqn.1998-01.com.vmware:intruder"},
                                 "no_bootable_device", "target not found"),
    "wrong target name": ("esxi01", {"PrimaryTargetName": "iqn.2024-01.org.example.san:nobody"},
                          "no_bootable_device", "target not found"),
    "wrong LUN": ("esxi01", {"PrimaryLUN": 7}, "no_bootable_device", "LUN not supported"),
    "portal down": ("esxi01", {"PrimaryTargetIPAddress": "127.0.0.9"}, "no_bootable_device", "portal unreachable"),
    "blank LUN": ("esxi03", {}, "no_bootable_device", "the iSCSI LUN is blank"),
    "installed LUN": ("esxi02", {}, "booted", None),
}


def fleet_for(backend):
    fleet = fast_fleet()
    portal = f"127.0.0.1:{free_port()}"
    fleet["san"].update(backend=backend, portals=[portal])
    for target in fleet["san"]["targets"]:
        target["portal"] = portal
    return fleet, int(portal.rsplit(":", 1)[1])


def run_matrix(mockup, tcp_port):
    outcomes = {}
    for name, (host, changes, _outcome, _words) in CASES.items():
        bmc = mockup.bmc(host)
        values = dict(GOOD_ISCSI[host], PrimaryTargetTCPPort=tcp_port, **changes)
        assert bmc.configure_iscsi(values).status_code == 200
        boot = bmc.boot_once()
        iscsi = [a for a in boot["attempts"] if a["kind"] == "iscsi"]
        reason = iscsi[0].get("reason", "") if iscsi else ""
        if not iscsi:  # the option was never created: the reason is in the log
            reason = next((m for m in reversed(bmc.log_messages()) if "iSCSI login failed" in m), "")
        outcomes[name] = (boot["outcome"], reason)
    return outcomes


@pytest.fixture(scope="module")
def matrices(tmp_path_factory):
    results = {}
    for backend in ("model", "tgt"):
        fleet, tcp_port = fleet_for(backend)
        mockup = MockupProcess(fleet, tmp_path_factory.mktemp(f"matrix-{backend}")).start()
        try:
            results[backend] = run_matrix(mockup, tcp_port)
        finally:
            mockup.stop()
    return results


@pytest.mark.parametrize("case", list(CASES))
def test_same_outcome_on_both_backends(matrices, case):
    _host, _changes, outcome, words = CASES[case]
    for backend in ("model", "tgt"):
        got, reason = matrices[backend][case]
        assert got == outcome, (backend, case, reason)
        if words:
            assert words in reason, (backend, case, reason)


@pytest.mark.parametrize("case", [c for c, spec in CASES.items() if spec[3] and "blank" not in spec[3]])
def test_tgt_failures_carry_libiscsi_reason(matrices, case):
    _outcome, reason = matrices["tgt"][case]
    assert "libiscsi:" in reason, reason


def test_tgt_boot_reads_over_iscsi_and_installer_writes_over_iscsi(tmp_path):
    """Blank LUN: the installer writes ESXi through iSCSI; the next boot reads it back the same way."""
    fleet, tcp_port = fleet_for("tgt")
    mockup = MockupProcess(fleet, tmp_path / "tgt").start()
    try:
        bmc = mockup.bmc("esxi03")
        assert bmc.configure_iscsi(dict(GOOD_ISCSI["esxi03"], PrimaryTargetTCPPort=tcp_port)).status_code == 200
        assert bmc.boot_once()["outcome"] == "no_bootable_device"
        table = parse_ibft(bmc.admin("ibft"))  # written for a successful login, even to a blank LUN
        assert table.targets[0].port == tcp_port and table.targets[0].lun == 1
        media = "/redfish/v1/Systems/1/VirtualMedia/CD/Actions/VirtualMedia.InsertMedia"
        assert bmc.post(media, {"Image": "https://depot.example/VMware-VMvisor-Installer-8.0U3.x86_64.iso"}).status_code == 204
        assert bmc.patch("/redfish/v1/Systems/1", {"Boot": {"BootSourceOverrideTarget": "Cd",
                                                          "BootSourceOverrideEnabled": "Once"}}).status_code == 200
        before = bmc.boot_count()
        bmc.reset()
        final = bmc.wait_boot_done(before + 1)
        assert final["outcome"] == "booted" and final["booted_from"]["target"].endswith(":esxi03")
        assert bmc.admin("san")["luns"]["iqn.2024-01.org.example.san:esxi03/1"] == "esxi"
        luns = list((mockup.state_dir / "tgt" / "luns").glob("*.img"))
        assert luns  # the LUN files exist while the mockup runs...
    finally:
        mockup.stop()
    assert not list((mockup.state_dir / "tgt" / "luns").glob("*.img"))  # ...and are gone after a clean stop
    assert not _tgtd_running()


def test_tgt_crash_leaves_nothing_running_and_cleanup_removes_files(tmp_path):
    fleet, _tcp_port = fleet_for("tgt")
    mockup = MockupProcess(fleet, tmp_path / "crash").start()
    assert _tgtd_running()
    mockup.kill()  # SIGKILL: no chance to clean up
    for _ in range(100):
        if not _tgtd_running():
            break
        __import__("time").sleep(0.05)
    assert not _tgtd_running()  # tgtd died with its parent (PR_SET_PDEATHSIG)
    assert list((mockup.state_dir / "tgt" / "luns").glob("*.img"))
    subprocess.run([sys.executable, "-m", "sanboot_mockup", "cleanup", "--state-dir", str(mockup.state_dir)],
                   check=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    assert not list((mockup.state_dir / "tgt" / "luns").glob("*.img"))


def _tgtd_running():
    return subprocess.run(["pgrep", "-x", "tgtd"], capture_output=True).returncode == 0
