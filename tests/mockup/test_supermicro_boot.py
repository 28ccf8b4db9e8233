"""supermicro-x13 booting: the option ROM's iSCSI values (fleet `option_rom_iscsi`) log the host in to the
real SAN model and boot it from its LUN; the iSCSI boot option appears then, named after its PXE sibling;
BootProgress walks POST and stops at SystemHardwareInitializationComplete; the SEL gets one entry per
power-on, none for a failed login."""
from support.mockup import GOOD_ISCSI, option_rom_iscsi
from support.supermicro import SEL, SYSTEM, fleet, iscsi_option, names, sel_messages, watch_progress

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
    assert sel_messages(bmc) == before + ["[PWR-0005] System reset"]  # the reset only, no iSCSI failure
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
    assert sel_messages(bmc) == ["[PWR-0020] First AC Power on"]
    bmc.boot_once("ForceRestart")
    bmc.reset("ForceOff")
    bmc.boot_once("On")
    bmc.boot_once("PowerCycle")
    assert sel_messages(bmc) == ["[PWR-0020] First AC Power on", "[PWR-0005] System reset",
                                 "[PWR-0001] System power on", "[PWR-0005] System reset"]
    entries = bmc.json(SEL)["Members"]
    assert [e["Id"] for e in entries] == ["1", "2", "3", "4"]
    assert all(e["EntryType"] == "SEL" and e["Created"] for e in entries)
    assert bmc.json(f"{SEL}/4")["MessageId"] == entries[3]["MessageId"]
