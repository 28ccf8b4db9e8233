"""bmc_info, run by ansible-playbook against each vendor's real capture served read-only over HTTPS
(certificate verified): it does not fail, it names the vendor and the dialect, and it lists every
NIC port with the iSCSI methods that could configure it. Covers HPE, Lenovo and Supermicro before
their dialects exist: a chassis without NetworkAdapters, trailing slashes, ports linked only from
where that vendor links them must not make discovery fail."""
import pytest
from vendor_runner import run_module

DELL = "dell-idrac9-6.00.30-r750"
HPE = "hpe-ilo5-2.72-dl385gen10plus"
LENOVO = "lenovo-xcc-2.83-sr670v2"
SUPERMICRO = "supermicro-x13-bmc-11.01-sys821ge"
CAPTURES = [DELL, HPE, LENOVO, SUPERMICRO]

# The dialect `dialect: auto` must pick, and its variant (None: not checked). The HPE, Lenovo and
# Supermicro issues change their line here when their dialect lands.
DIALECTS = {
    DELL: ("dell", "idrac9"),
    HPE: ("hpe", "ilo5"),
    LENOVO: ("lenovo", "xcc"),
    SUPERMICRO: ("supermicro", "x13"),
}

# The vendor as the service root says it: `Vendor`, or for Supermicro (no `Vendor` in its root)
# the only vendor section of its `Oem`.
VENDORS = {DELL: "Dell", HPE: "HPE", LENOVO: "Lenovo", SUPERMICRO: "Supermicro"}

NIC_BIOS, BIOS = {"nic", "bios"}, {"bios"}
# Every port (NetworkDeviceFunction) of each capture: MAC -> (function Id, iSCSI methods).
# Dell (issue 8): `nic` where DellNetworkAttributes say iSCSIBootSupport Available and iSCSIBoot is
# not empty (NIC.Slot.5-1 and both InfiniBand functions); `bios` on every port, since the BIOS
# registry has the IscsiDev1 attributes and lists each of these FQDDs in IscsiDev1Con1Interface.
# DMTF: `nic` only where NetDevFuncCapabilities has iSCSI, which no port of the three has.
PORTS = {
    DELL: {
        "70:b5:e8:f0:52:dc": ("NIC.Embedded.1-1-1", BIOS),
        "70:b5:e8:f0:52:dd": ("NIC.Embedded.2-1-1", BIOS),
        "e4:3d:1a:13:27:f0": ("NIC.Integrated.1-1-1", BIOS),
        "e4:3d:1a:13:27:f1": ("NIC.Integrated.1-2-1", BIOS),
        "b8:3f:d2:90:97:c4": ("NIC.Slot.5-1", NIC_BIOS),
        "b8:3f:d2:a4:1b:d2": ("InfiniBand.Slot.7-1", NIC_BIOS),
        "b8:3f:d2:a4:1b:d3": ("InfiniBand.Slot.7-2", NIC_BIOS),
    },
    # HPE (issue 9): `bios` where the port maps (BaseNetworkAdapters -> BIOS mappings) to a NIC source
    # listed in iSCSINicSources: Slot1NicBoot1, Slot4NicBoot1, Slot5NicBoot1, and the four ports of
    # the OCP Intel I350 (Slot10NicBoot1-4), which iLO lists only in BaseNetworkAdapters (no
    # NetworkDeviceFunction; their function id is the port number). No function has an iSCSIBoot
    # (iLO 5), so no `nic`.
    HPE: {
        "88:e9:a4:87:42:c8": ("0", BIOS),
        "88:e9:a4:80:9d:a2": ("0", BIOS),
        "b8:3f:d2:d7:f7:4a": ("0", BIOS),
        "50:7c:6f:11:f2:a6": ("1", BIOS),
        "50:7c:6f:11:f2:a7": ("2", BIOS),
        "50:7c:6f:11:f2:a8": ("3", BIOS),
        "50:7c:6f:11:f2:a9": ("4", BIOS),
    },
    LENOVO: {
        "00:62:0b:4c:28:4e": ("1.1", set()),
        "00:62:0b:4c:28:4f": ("2.1", set()),
        "00:62:0b:4c:28:50": ("3.1", set()),
        "00:62:0b:4c:28:51": ("4.1", set()),
    },
    SUPERMICRO: {
        "94:6d:ae:91:fb:22": ("1", set()),
        "94:6d:ae:91:09:c2": ("1", set()),
        "94:6d:ae:91:6a:9a": ("1", set()),
        "94:6d:ae:91:67:6a": ("1", set()),
        "94:6d:ae:91:dd:1a": ("1", set()),
        "94:6d:ae:91:75:9a": ("1", set()),
        "94:6d:ae:91:75:ba": ("1", set()),
        "94:6d:ae:91:73:8a": ("1", set()),
        "7c:c2:55:79:3f:8e": ("1", set()),
        "7c:c2:55:79:3f:8f": ("2", set()),
        "94:6d:ae:b2:b1:4e": ("1", set()),
    },
}


class CaptureRun:
    def __init__(self, result, output, server):
        self.result, self.output, self.server = result, output, server

    def explain(self):
        """What to show when an assertion fails: the module's message and the 404s it met."""
        return (f"msg: {self.result.get('msg')}\n404s: {self.server.not_found}\n"
                f"requests:\n{self.server.request_log()}\n--- ansible output (tail) ---\n{self.output[-1500:]}")


@pytest.fixture(scope="module")
def bmc_info(capture_server, tmp_path_factory):
    """bmc_info(capture) runs the module once per capture (cached for the module's tests)."""
    runs = {}

    def run(capture):
        if capture not in runs:
            server = capture_server(capture)
            args = {"baseuri": server.base_uri, "username": server.username, "password": server.password,
                    "ca_path": server.ca_file, "validate_certs": True}
            result, output = run_module("bmc_info", args, tmp_path_factory.mktemp(f"bmc_info-{capture}"))
            runs[capture] = CaptureRun(result, output, server)
        return runs[capture]

    return run


def _dialect(result):
    bmc = result.get("bmc") or {}
    return (bmc.get("dialect", result.get("dialect")),
            bmc.get("dialect_variant", result.get("dialect_variant")))


@pytest.mark.parametrize("capture", CAPTURES)
def test_bmc_info_does_not_fail(bmc_info, capture):
    run = bmc_info(capture)
    assert not run.result.get("failed"), run.explain()
    assert run.result.get("changed") is False, run.explain()
    # Whatever the collection asked for that the BMC did not have (404), it got past it.
    print(f"{capture}: {len(run.server.paths_read)} resources read, 404s tolerated: {run.server.not_found}")


@pytest.mark.parametrize("capture", CAPTURES)
def test_bmc_info_sends_no_write(bmc_info, capture):
    run = bmc_info(capture)
    writes = [r for r in run.server.requests if r[0] not in ("GET", "HEAD")]
    assert not writes, run.explain()


@pytest.mark.parametrize("capture", CAPTURES)
def test_bmc_info_names_vendor_and_dialect(bmc_info, capture):
    run = bmc_info(capture)
    assert not run.result.get("failed"), run.explain()
    assert run.result["bmc"]["vendor"] == VENDORS[capture], run.explain()
    dialect, variant = _dialect(run.result)
    expected_dialect, expected_variant = DIALECTS[capture]
    assert dialect == expected_dialect, run.explain()
    if expected_variant is not None:
        assert variant == expected_variant, run.explain()


@pytest.mark.parametrize("capture", CAPTURES)
def test_bmc_info_lists_ports_with_iscsi_methods(bmc_info, capture):
    run = bmc_info(capture)
    assert not run.result.get("failed"), run.explain()
    ports = run.result["bmc"]["ports"]
    for port in ports:
        assert {"mac", "function_id", "iscsi_methods"} <= set(port), port
        assert isinstance(port["iscsi_methods"], list), port
    macs = [port["mac"].lower() for port in ports]
    assert len(macs) == len(set(macs)), f"a port is listed twice: {macs}"
    listed = {port["mac"].lower(): (port["function_id"], set(port["iscsi_methods"])) for port in ports}
    assert listed == PORTS[capture], run.explain()
