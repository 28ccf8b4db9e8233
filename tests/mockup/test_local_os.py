"""The fleet's `local_os` (issue 14): a host whose local disk holds an OS boots it when the boot manager
reaches the disk's option, before the iSCSI LUN in a new host's order; the OS answers on the host's own
address like ESXi would. A disabled disk option is skipped, so the boot goes on to the LUN; without
`local_os` the disk is blank, as before. A bad value is refused when the fleet file is read."""

import pytest
from support import hpe, lenovo
from support.mockup import GOOD_ISCSI, MockupProcess, fast_fleet, option_rom_iscsi
from support.network import answers

from sanboot_mockup.fleet import FleetError, parse_fleet

LOCAL_OS = "Ubuntu 22.04"
DMTF_SYSTEM = "/redfish/v1/Systems/1"
DMTF_OPTIONS = f"{DMTF_SYSTEM}/BootOptions"
DELL_NIC_SETTINGS = ("/redfish/v1/Systems/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/"
                     "NIC.Slot.1-1-1/Settings")


def kinds(boot):
    return [(a["kind"], a["outcome"]) for a in boot["attempts"]]


def logs(process, name):
    return [entry["Message"] for entry in process.persisted(name)["logs"]]


# -- the fleet file ---------------------------------------------------------------------------------
def _parse(**keys):
    return parse_fleet({"bmcs": [{"name": "esxi01", **keys}]}).bmcs[0]


def test_local_os_defaults_to_a_blank_disk_and_is_read_per_bmc_or_from_defaults():
    assert _parse().local_os is None
    assert _parse(local_os=None).local_os is None
    assert _parse(local_os=LOCAL_OS, personality="ilo6").local_os == LOCAL_OS
    fleet = parse_fleet({"defaults": {"local_os": "Windows Server 2022"},
                         "bmcs": [{"name": "a"}, {"name": "b", "port": 8444, "local_os": LOCAL_OS},
                                  {"name": "c", "port": 8445, "local_os": None}]})
    assert [b.local_os for b in fleet.bmcs] == ["Windows Server 2022", LOCAL_OS, None]


@pytest.mark.parametrize("value", [22.04, True, "", "  ", ["Ubuntu"], {"name": "Ubuntu"}])
def test_a_local_os_that_is_not_a_name_is_a_fleet_error(value):
    with pytest.raises(FleetError, match=r"^bmcs\[0\]\.local_os: the name of the OS"):
        _parse(local_os=value)


# -- dmtf: one process, one BMC per test -----------------------------------------------------------
@pytest.fixture(scope="module")
def dmtf(tmp_path_factory):
    """esxi01, esxi02 and esxi04 hold an OS on their local disk; esxi03 does not (its LUN is installed
    here, so its boot goes past the blank disk to the LUN). esxi04 uses esxi01's iSCSI values."""
    fleet = fast_fleet(count=4, address_base="127.0.141.", host_base="127.0.142.")
    for bmc in fleet["bmcs"]:
        if bmc["name"] != "esxi03":
            bmc["local_os"] = LOCAL_OS
    fleet["san"]["targets"][2]["luns"][0]["content"] = "esxi"
    process = MockupProcess(fleet, tmp_path_factory.mktemp("local-os-dmtf")).start()
    yield process
    process.stop()


def _dmtf_refs(bmc):
    refs = {}
    for member in bmc.json(DMTF_OPTIONS)["Members"]:
        option = bmc.json(member["@odata.id"])
        refs.setdefault(option["Alias"], []).append(option["BootOptionReference"])
    return refs


def test_dmtf_default_order_boots_the_local_os_not_the_lun(dmtf):
    bmc = dmtf.bmc("esxi01")
    address, port = bmc.entry["host_address"], bmc.entry["host_port"]
    assert not answers(address, port)  # a new fleet's host runs nothing, local OS or not
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    hdd = _dmtf_refs(bmc)["Hdd"][0]
    assert bmc.json(DMTF_SYSTEM)["Boot"]["BootOrder"][0] == hdd

    boot = bmc.boot_once()
    assert boot["outcome"] == "booted"
    assert boot["booted_from"] == {"option": hdd, "local_disk": LOCAL_OS}
    assert kinds(boot) == [("hdd", "booted")]  # the iSCSI option is never tried
    assert [s["state"] for s in boot["states"]][-2:] == ["OSBootStarted", "OSRunning"]
    assert bmc.json(DMTF_SYSTEM)["BootProgress"]["LastState"] == "OSRunning"
    assert bmc.admin("boot-history")["booted_from"] == {"option": hdd, "local_disk": LOCAL_OS}
    # The iSCSI login did happen (POST enumerates): the option exists, last in the order, unused.
    iscsi = _dmtf_refs(bmc)["RemoteDrive"]
    assert bmc.json(DMTF_SYSTEM)["Boot"]["BootOrder"][-1:] == iscsi
    assert bmc.admin("ibft")
    assert f"Loading {LOCAL_OS} from the local disk" in logs(dmtf, "esxi01")
    assert not [m for m in logs(dmtf, "esxi01") if "failed" in m]
    # The local OS answers on the host's address: the network proof cannot tell it from ESXi.
    assert answers(address, port)
    assert bmc.admin("boot-history")["host_network"]["listening"] is True


def test_dmtf_hdd_option_disabled_falls_through_to_the_lun(dmtf):
    bmc = dmtf.bmc("esxi02")
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi02"]).status_code == 200
    hdd = _dmtf_refs(bmc)["Hdd"][0]
    response = bmc.patch(f"{DMTF_OPTIONS}/{hdd}", {"BootOptionEnabled": False})
    assert response.status_code == 200, response.text

    boot = bmc.boot_once()
    assert boot["outcome"] == "booted"
    assert boot["attempts"][0] == {"option": hdd, "name": "UEFI: Local Disk 0", "kind": "hdd",
                                   "outcome": "skipped", "reason": "boot option disabled"}
    assert kinds(boot)[-1] == ("iscsi", "booted")
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi02"]["PrimaryTargetName"]
    assert "local_disk" not in boot["booted_from"]
    assert not [m for m in logs(dmtf, "esxi02") if "from the local disk" in m]

    # Enabled again, the next reset lands on the local OS once more.
    assert bmc.patch(f"{DMTF_OPTIONS}/{hdd}", {"BootOptionEnabled": True}).status_code == 200
    assert bmc.boot_once()["booted_from"] == {"option": hdd, "local_disk": LOCAL_OS}


def test_dmtf_without_local_os_the_disk_still_fails_and_the_lun_boots(dmtf):
    bmc = dmtf.bmc("esxi03")
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi03"]).status_code == 200
    boot = bmc.boot_once()
    assert boot["attempts"][0]["kind"] == "hdd"
    assert (boot["attempts"][0]["outcome"], boot["attempts"][0]["reason"]) == (
        "failed", "no bootable device on local disk")
    assert kinds(boot)[-1] == ("iscsi", "booted")
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi03"]["PrimaryTargetName"]
    assert any(m.endswith("failed: no bootable device on local disk") for m in logs(dmtf, "esxi03"))


def test_dmtf_boot_next_reaches_the_lun_past_the_local_os_once(dmtf):
    bmc = dmtf.bmc("esxi04")
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    assert bmc.boot_once()["booted_from"]["local_disk"] == LOCAL_OS  # the first boot makes the iSCSI option
    iscsi = _dmtf_refs(bmc)["RemoteDrive"][0]
    response = bmc.patch(DMTF_SYSTEM, {"Boot": {"BootNext": iscsi, "BootSourceOverrideTarget": "UefiBootNext",
                                                "BootSourceOverrideEnabled": "Once"}})
    assert response.status_code == 200, response.text

    boot = bmc.boot_once()
    assert kinds(boot)[0] == ("iscsi", "booted")
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    # A running local OS honours ACPI: GracefulRestart works, and the order brings the local OS back.
    boot = bmc.boot_once("GracefulRestart")
    assert boot["reset_type"] == "GracefulRestart"
    assert boot["booted_from"]["local_disk"] == LOCAL_OS


# -- vendor personalities: the same host, each vendor's way of setting iSCSI --------------------------
def _configure_dell(bmc):
    body = {"iSCSIBoot": GOOD_ISCSI["esxi01"], "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
    assert bmc.patch(DELL_NIC_SETTINGS, body).status_code == 202


VENDORS = {
    "idrac9": ("127.0.143.", _configure_dell),
    "ilo6": ("127.0.144.", hpe.configure),
    "supermicro-x13": ("127.0.145.", None),  # fast_fleet puts esxi01's values in the option ROM
}


@pytest.mark.parametrize("personality", sorted(VENDORS))
def test_vendor_default_order_boots_the_local_os_and_without_it_the_lun(personality, mockup_factory):
    """esxi01 holds an OS, esxi02 does not; both have esxi01's iSCSI values (its target lets esxi01's
    initiator in), so they differ in `local_os` only."""
    base, configure = VENDORS[personality]
    fleet = fast_fleet(count=2, address_base=base, personality=personality)
    fleet["bmcs"][0]["local_os"] = LOCAL_OS
    if personality == "supermicro-x13":
        fleet["bmcs"][1]["option_rom_iscsi"] = [option_rom_iscsi("esxi01")]
    process = mockup_factory(fleet)
    with_os, blank = process.bmc("esxi01"), process.bmc("esxi02")
    if configure:
        configure(with_os)
        configure(blank)

    boot = with_os.boot_once()
    assert boot["outcome"] == "booted"
    assert boot["booted_from"] == {"option": boot["attempts"][0]["option"], "local_disk": LOCAL_OS}
    assert kinds(boot) == [("hdd", "booted")]  # first in the order; the LUN is never tried
    assert f"Loading {LOCAL_OS} from the local disk" in logs(process, "esxi01")
    assert any(o["kind"] == "iscsi" for o in process.persisted("esxi01")["boot_options"].values())

    boot = blank.boot_once()
    assert boot["attempts"][0]["reason"] == "no bootable device on local disk"
    assert kinds(boot)[0] == ("hdd", "failed") and kinds(boot)[-1] == ("iscsi", "booted")
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]


def test_xcc_boots_the_network_class_first_so_the_local_os_only_when_no_network_option_boots(mockup_factory):
    """XCC's default class order (the capture's) is Network, then HardDisk: PXE and a working iSCSI
    attempt come before the local disk."""
    fleet = fast_fleet(count=1, address_base="127.0.146.", personality="xcc", local_os=LOCAL_OS)
    bmc = mockup_factory(fleet).bmc("esxi01")
    boot = bmc.boot_once()
    assert kinds(boot)[-1] == ("hdd", "booted") and {k for k, _ in kinds(boot)[:-1]} == {"pxe"}
    assert boot["booted_from"]["local_disk"] == LOCAL_OS

    lenovo.configure(bmc)
    boot = bmc.boot_once()
    assert ("iscsi", "booted") in kinds(boot) and "hdd" not in [k for k, _ in kinds(boot)]
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
