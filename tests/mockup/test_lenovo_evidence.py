"""What an XCC shows of a boot: Oem.Lenovo.SystemStatus through a reset, NumberOfReboots counting
every power-on (the reset marker), XCC2's BootProgress, a PlatformLog entry for a failed iSCSI login;
GracefulRestart ignored where the fleet says so, the OEM resets."""
import pytest
from support.lenovo import PLATFORM_LOG, SYSTEM, configure, reboots, system_status
from support.mockup import MockupProcess, assert_redfish_error, fast_fleet
from support.polling import wait_for

POOL = 6


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    started = {}
    for name, base in (("xcc", "127.0.86."), ("xcc2", "127.0.87.")):
        fleet = fast_fleet(count=POOL, address_base=base, personality=name)
        fleet["bmcs"][0]["graceful_restart_ignored"] = True  # esxi01 of each: the unreliable model
        started[name] = MockupProcess(fleet, tmp_path_factory.mktemp(f"lenovo-evidence-{name}")).start()
        started[name].unused = iter(range(2, POOL + 1))
    yield started
    for process in started.values():
        process.stop()


def _bmc(pools, kind="xcc"):
    return pools[kind].bmc(f"esxi{next(pools[kind].unused):02d}")


def test_system_status_and_reboot_count_through_resets(pools):
    bmc = _bmc(pools)
    assert system_status(bmc) == "SystemRunningInUEFI"  # a new host waits at the boot menu
    count = reboots(bmc)
    bmc.reset("ForceOff")
    assert system_status(bmc) == "SystemPowerOff_StateUnknown" and reboots(bmc) == count
    bmc.fault("boot_hang", state="PrimaryProcessorInitializationStarted")
    bmc.reset("On")
    wait_for(lambda: bmc.admin("boot-history")["boots"][-1]["outcome"] == "hung", what="the hang")
    assert system_status(bmc) == "SystemOn_StartingUEFI" and reboots(bmc) == count + 1
    bmc.clear_faults()
    bmc.fault("boot_hang", state="MemoryInitializationStarted")
    bmc.reset("ForceRestart")
    wait_for(lambda: bmc.admin("boot-history")["boots"][-1]["outcome"] == "hung", what="the hang")
    assert system_status(bmc) == "SystemRunningInUEFI" and reboots(bmc) == count + 2
    bmc.clear_faults()
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    assert system_status(bmc) == "BootingOSOrInUndetectedOS" and reboots(bmc) == count + 3
    assert "BootProgress" not in bmc.json(SYSTEM)


def test_xcc2_boot_progress_reaches_os_running(pools):
    bmc = _bmc(pools, "xcc2")
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    assert bmc.json(SYSTEM)["BootProgress"] == {"LastState": "OSRunning", "OemLastState": "BootingOSOrInUndetectedOS"}
    bmc.reset("ForceOff")
    assert bmc.json(SYSTEM)["BootProgress"]["OemLastState"] == "SystemPowerOff_StateUnknown"


def test_a_failed_login_writes_a_platform_log_entry(pools):
    bmc = _bmc(pools)
    assert bmc.json(PLATFORM_LOG)["Members"] == []
    configure(bmc, CHAPSecret="wrong-secret-1")
    assert bmc.boot_once()["outcome"] == "no_bootable_device"
    entries = bmc.json(PLATFORM_LOG)["Members"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["EntryType"], entry["OemRecordFormat"], entry["Severity"]) == ("Oem", "Lenovo", "Warning")
    assert entry["Oem"]["Lenovo"]["CommonEventID"].startswith("FQXSF")
    assert "iqn.2024-01.org.example.san:esxi01" in entry["Message"] and "authentication failure" in entry["Message"]
    assert {k: v for k, v in bmc.json(entry["@odata.id"]).items() if k != "@odata.etag"} == entry
    assert "wrong-secret-1" not in str(bmc.json(PLATFORM_LOG))


def test_graceful_restart_ignored_where_the_fleet_says_so(pools):
    ignoring, honouring = pools["xcc"].bmc("esxi01"), _bmc(pools)
    for bmc in (ignoring, honouring):
        configure(bmc)
        assert bmc.boot_once()["outcome"] == "booted"
    before = ignoring.boot_count(), reboots(ignoring)
    ignoring.reset("GracefulRestart")
    honouring_before = honouring.boot_count()
    honouring.reset("GracefulRestart")
    assert honouring.wait_boot_done(honouring_before)["reset_type"] == "GracefulRestart"
    # The same timings took the other host through a whole boot: this one did nothing.
    assert (ignoring.boot_count(), reboots(ignoring)) == before
    assert system_status(ignoring) == "BootingOSOrInUndetectedOS"
    ignoring.reset("ForceOff")  # the collection's fallback: ForceOff, wait for Off, On
    assert ignoring.json(SYSTEM)["PowerState"] == "Off"
    assert ignoring.boot_once("On")["outcome"] == "booted"


def test_oem_resets(pools):
    bmc = _bmc(pools)
    oem = bmc.json(SYSTEM)["Actions"]["Oem"]
    target = oem["#LenovoComputerSystem.SystemReset"]["target"]
    count = reboots(bmc)
    before = bmc.boot_count()
    assert bmc.post(target, {"ResetType": "ACPowerCycle"}).status_code == 204
    bmc.wait_boot_done(before)
    assert reboots(bmc) == count + 1
    assert_redfish_error(bmc.post(target, {"ResetType": "On"}), 400, "ActionParameterValueNotInList")
    setup = oem["#LenovoComputerSystem.BootToBIOSSetup"]["target"]
    assert_redfish_error(bmc.post(setup, {}), 400, "ActionNotSupported")
