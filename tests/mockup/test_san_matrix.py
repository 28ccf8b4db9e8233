"""The SAN login matrix over real HTTPS: configure one host's iSCSI boot through the SettingsObject,
reset, and check what a client can see: the boot outcome, the reason in the Redfish event log,
the iBFT, and the UEFI iSCSI boot option."""
import copy

import pytest
from support.mockup import GOOD_ISCSI, MockupProcess, fast_fleet

from sanboot_mockup.ibft import parse_ibft

OPTIONS = "/redfish/v1/Systems/1/BootOptions"
PORT = "NIC.Slot.1/1"
NOBODY = "iqn.2024-01.org.example.san:nobody"
BIG_LUN = 300  # needs SAM flat space addressing (0x40 | hi, lo)


def sam_hex(lun):
    """The 8-byte SAM LUN, written here independently of the code under test."""
    first = bytes([0, lun]) if lun < 256 else bytes([0x40 | lun >> 8, lun & 0xFF])
    return (first + bytes(6)).hex()


def values(host, **changes):
    return {**GOOD_ISCSI[host], **changes}


# (id, iSCSIBoot values, fault, outcome, reason logged, iBFT and iSCSI option expected)
CASES = [
    ("esxi01 chap, installed lun", values("esxi01"), None, "booted", None, True),
    ("esxi02 mutual chap and vlan", values("esxi02"), None, "booted", None, True),
    ("wrong chap secret", values("esxi01", CHAPSecret="wrong-secret1"), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: authentication failure", False),
    ("wrong mutual secret", values("esxi02", MutualCHAPSecret="wrong-mutual1"), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: mutual authentication failure", False),
    ("mutual chap, target without a mutual account", values("esxi01", AuthenticationMethod="MutualCHAP",
                                                            MutualCHAPUsername="san01", MutualCHAPSecret="san01-mutual"),
     None, "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: authentication failure", False),
    ("initiator not in acl", values("esxi01", InitiatorName="iqn.1998-01.com.vmware:stranger"), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: target not found", False),
    ("wrong target name", values("esxi01", PrimaryTargetName=NOBODY), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: target not found", False),
    ("wrong lun", values("esxi01", PrimaryLUN=7), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: LUN not supported", False),
    ("portal the san does not have", values("esxi01", PrimaryTargetTCPPort=3261), None,
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: portal unreachable", False),
    ("san down fault", values("esxi01"), "san_down",
     "no_bootable_device", "iSCSI login failed on port NIC.Slot.1/1: portal unreachable", False),
    ("blank lun esxi03", values("esxi03"), None,
     "no_bootable_device", "failed: no bootable device: the iSCSI LUN is blank", True),
    ("blank lun needing flat space", values("esxi03", PrimaryLUN=BIG_LUN), None,
     "no_bootable_device", "failed: no bootable device: the iSCSI LUN is blank", True),
]


def matrix_fleet():
    """One BMC per case, so the cases share one process without sharing a host."""
    fleet = fast_fleet(count=len(CASES), address_base="127.0.21.")
    fleet["san"]["targets"][2]["luns"].append({"id": BIG_LUN, "content": "blank"})
    return fleet


@pytest.fixture(scope="module")
def matrix_mockup(tmp_path_factory):
    process = MockupProcess(matrix_fleet(), tmp_path_factory.mktemp("san-matrix"))
    process.start()
    yield process
    process.stop()


def iscsi_options(bmc):
    options = [bmc.json(m["@odata.id"]) for m in bmc.json(OPTIONS)["Members"]]
    return [o for o in options if "/iSCSI(" in o["UefiDevicePath"]]


@pytest.mark.parametrize("iscsi,fault,outcome,reason,logged_in", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_san_login_matrix(request, matrix_mockup, mockup_factory, iscsi, fault, outcome, reason, logged_in):
    if fault:
        # A SAN fault reaches every host of a process: such a case gets a process of its own.
        bmc = mockup_factory(copy.deepcopy(matrix_fleet())).bmc("esxi01")
        bmc.fault(fault)
    else:
        index = [c[0] for c in CASES].index(request.node.callspec.id)
        bmc = matrix_mockup.bmc(f"esxi{index + 1:02d}")
    response = bmc.configure_iscsi(iscsi)
    assert response.status_code == 200, response.text
    assert iscsi_options(bmc) == [], "no iSCSI option before the firmware has logged in"

    boot = bmc.boot_once()
    assert boot["outcome"] == outcome, boot
    log = bmc.log_messages()
    where = f"{iscsi['PrimaryTargetName']} LUN {iscsi['PrimaryLUN']} at 127.0.0.1:{iscsi['PrimaryTargetTCPPort']}"
    if reason:
        assert any(reason in line for line in log), log
        entries = bmc.json("/redfish/v1/Systems/1/LogServices/EventLog/Entries")["Members"]
        failed = [e for e in entries if "iSCSI login failed" in e["Message"]]
        if "login failed" in reason:
            assert [e["Severity"] for e in failed] == ["Critical"], failed
            assert failed[0]["MessageId"].endswith(".IscsiLoginFailed"), failed
        else:
            assert failed == [], failed
        assert any("No bootable device found" in line for line in log), log
        progress = bmc.json("/redfish/v1/Systems/1")["BootProgress"]
        assert (progress["LastState"], progress["OemLastState"]) == ("OEM", "NoBootableDevice"), progress
    if outcome == "booted":
        assert boot["booted_from"]["target"] == iscsi["PrimaryTargetName"]
        assert boot["booted_from"]["lun"] == iscsi["PrimaryLUN"]
        assert not any("failed on port" in line for line in log), log
    assert any(f"iSCSI login succeeded on port {PORT}: {where}" in line for line in log) is logged_in, log
    assert (bmc.get("/mockup/ibft").status_code == 200) is logged_in

    options = iscsi_options(bmc)
    if not logged_in:
        assert options == [], options
        return
    assert len(options) == 1, options
    path = options[0]["UefiDevicePath"]
    node = f"/iSCSI({iscsi['PrimaryTargetName']},0x1,0x{sam_hex(iscsi['PrimaryLUN'])},"
    assert node.lower() in path.lower(), path
    auth = {"None": "None", "CHAP": "CHAP_UNI", "MutualCHAP": "CHAP_BI"}[iscsi["AuthenticationMethod"]]
    assert path.endswith(f",None,None,{auth},TCP)"), path
    # The boot option is what the boot manager tried, and the iBFT describes the same target.
    assert options[0]["Id"] in bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"]
    tried = [a for a in boot["attempts"] if a["kind"] == "iscsi"]
    assert [a["option"] for a in tried] == [options[0]["Id"]]
    table = parse_ibft(bmc.admin("ibft"))
    assert table.targets[0].target_name == iscsi["PrimaryTargetName"]
    assert table.targets[0].lun == iscsi["PrimaryLUN"]


@pytest.mark.parametrize("host,network", [
    ("esxi01", "MAC(020000000101,0x1)/IPv4(127.0.0.1,TCP,Static,192.0.2.11,192.0.2.1,255.255.255.0)"),
    ("esxi02", "MAC(020000000201,0x1)/Vlan(120)/IPv4(127.0.0.1,TCP,Static,192.0.2.12,0.0.0.0,255.255.255.0)"),
])
def test_device_path_names_the_network_the_way_edk2_prints_it(matrix_mockup, host, network):
    """edk2's DevPathToText: MAC, Vlan(id) when tagged, IPv4(remote,TCP,Static,local,gateway,mask)."""
    bmc = matrix_mockup.bmc(host)  # esxi01 and esxi02 are the matrix's two good cases
    if not iscsi_options(bmc):
        assert bmc.configure_iscsi(GOOD_ISCSI[host]).status_code == 200
        assert bmc.boot_once()["outcome"] == "booted"
    path = iscsi_options(bmc)[0]["UefiDevicePath"]
    auth = "CHAP_UNI" if host == "esxi01" else "CHAP_BI"
    iscsi = f"iSCSI({GOOD_ISCSI[host]['PrimaryTargetName']},0x1,0x{sam_hex(1)},None,None,{auth},TCP)"
    assert path.lower() == f"PciRoot(0x0)/Pci(0x2,0x0)/Pci(0x0,0x0)/{network}/{iscsi}".lower()
