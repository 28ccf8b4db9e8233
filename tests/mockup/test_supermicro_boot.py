"""supermicro-x13 booting: the option ROM's iSCSI values (fleet `option_rom_iscsi`) log the host in to the
real SAN model and boot it from its LUN; the iSCSI boot option appears then, named after its PXE sibling;
BootProgress walks POST and stops at SystemHardwareInitializationComplete; the SEL gets one entry per
power-on, none for a failed login."""
import re

from support.mockup import GOOD_ISCSI, option_rom_iscsi
from support.supermicro import (AC_ON, HOST_POWER_ON, HOST_RESET, SEL, SYSTEM, fleet, iscsi_option, names, sel_messages,
                                watch_progress)

ISCSI_NAME = "(B59/D0/F0) UEFI iSCSI IPv4 Contoso Network Adapter - 02:00:00:00:01:01 - 020000000101"


def test_option_rom_values_boot_the_host_from_its_lun(mockup_factory):
    mockup = mockup_factory(fleet(count=2, address_base="127.0.92."))
    bmc = mockup.bmc("esxi01")
    assert iscsi_option(bmc) is None  # no option before a login
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted"
    assert boot["booted_from"]["target"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    assert names(bmc)[ISCSI_NAME] == iscsi_option(bmc)
    ibft = bmc.admin("ibft?format=json")
    assert GOOD_ISCSI["esxi01"]["InitiatorName"] in str(ibft)
    assert "esxi01-secret" not in str(ibft)  # secrets masked
    # mutual CHAP and a VLAN from the option ROM too
    assert mockup.bmc("esxi02").boot_once()["outcome"] == "booted"


def test_a_failed_option_rom_login_leaves_no_option_and_nothing_in_the_sel(mockup_factory):
    wrong = {**option_rom_iscsi("esxi01"), "chap": {"username": "esxi01", "secret": "not-the-secret"}}
    mockup = mockup_factory(fleet(address_base="127.0.92.", option_rom_iscsi=[wrong]))
    bmc = mockup.bmc("esxi01")
    before = sel_messages(bmc)
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device"
    assert iscsi_option(bmc) is None
    assert sel_messages(bmc) == before + [HOST_RESET]  # the reset only, no iSCSI failure
    assert bmc.json(SYSTEM)["BootProgress"] == {"LastState": "SystemHardwareInitializationComplete"}


def test_boot_progress_walks_post_then_stops_for_good(mockup_factory):
    mockup = mockup_factory(fleet(address_base="127.0.92.", timing={"post_state": 0.15, "os_boot": 0.3}))
    bmc = mockup.bmc("esxi01")
    before = bmc.boot_count()
    bmc.reset("ForceRestart")
    seen = watch_progress(bmc, before)
    assert seen[-1] == "SystemHardwareInitializationComplete"
    assert "MemoryInitializationStarted" in seen or "PrimaryProcessorInitializationStarted" in seen
    assert not {"OSBootStarted", "OSRunning", "OEM"} & set(seen)
    assert bmc.admin("boot-history")["boots"][-1]["outcome"] == "booted"  # the OS does run
    assert set(bmc.json(SYSTEM)["BootProgress"]) == {"LastState"}
    bmc.reset("ForceOff")
    assert bmc.json(SYSTEM)["BootProgress"] == {"LastState": "None"}


def test_the_sel_records_each_power_on_and_reset(mockup_factory):
    mockup = mockup_factory(fleet(address_base="127.0.92."))
    bmc = mockup.bmc("esxi01")
    assert sel_messages(bmc) == [AC_ON]
    bmc.boot_once("ForceRestart")
    bmc.reset("ForceOff")
    bmc.boot_once("On")
    bmc.boot_once("PowerCycle")
    assert sel_messages(bmc) == [AC_ON, HOST_RESET, HOST_POWER_ON, HOST_RESET]
    entries = bmc.json(SEL)["Members"]
    assert [e["Id"] for e in entries] == ["1", "2", "3", "4"]
    assert all(e["EntryType"] == "SEL" and e["Created"] for e in entries)
    assert bmc.json(f"{SEL}/4")["MessageId"] == entries[3]["MessageId"]


def test_host_entries_carry_the_ipmi_host_sensor_types_and_no_power_supply_code(mockup_factory):
    """The capture's `[PWR-...]` entries are power-supply events (and the BMC's AC power-on): the host's own
    power-on and restart are the IPMI host sensors, 0x22 System ACPI Power State and 0x1D System Boot / Restart."""
    mockup = mockup_factory(fleet(address_base="127.0.92."))
    bmc = mockup.bmc("esxi01")
    bmc.boot_once("ForceRestart")
    bmc.reset("ForceOff")
    bmc.boot_once("On")
    first, reset, power_on = bmc.json(SEL)["Members"]
    assert (first["OemSensorType"], first["Oem"]["Supermicro"]["RawEventData"]["SensorType"]) == ("AC Power On", "0xC8")
    for entry, sensor, raw in ((reset, "SystemBoot/Restart", "0x1D"), (power_on, "System ACPI PowerState", "0x22")):
        assert (entry["SensorType"], entry["Oem"]["Supermicro"]["RawEventData"]["SensorType"]) == (sensor, raw)
        assert "OemSensorType" not in entry and entry["EntryCode"] == "Assert"
        assert not entry["Message"].startswith("[PWR-") and "power supply" not in entry["Message"].lower()
        assert not re.search(r"\bPS\d+ Status\b", entry["Message"])
