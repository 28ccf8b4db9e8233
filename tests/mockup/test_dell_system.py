"""The Dell ComputerSystem by generation: BootProgress and the system SettingsObject (absent on
iDRAC9 6.x, present on 7.x and iDRAC10), the boot order through a BIOSConfiguration job, iDRAC10's
refusal of Boot on the system itself, LastResetTime, remote-services status, identity."""
import pytest
from support.dell import MANAGER, ON_RESET, SYSTEM, job_of
from support.mockup import MockupProcess, fast_fleet

STATUS = f"{MANAGER}/Oem/Dell/DellLCService/Actions/DellLCService.GetRemoteServicesAPIStatus"
GENERATIONS = {"idrac9-6.x": ("idrac9", {}), "idrac9-7.x": ("idrac9", {"firmware": "7.10.30.00"}),
               "idrac10": ("idrac10", {})}


@pytest.fixture(scope="module")
def fleets(tmp_path_factory):
    started = {}
    for index, (name, (personality, extra)) in enumerate(GENERATIONS.items()):
        process = MockupProcess(fast_fleet(count=2, address_base=f"127.0.{44 + index}.", personality=personality,
                                           **extra), tmp_path_factory.mktemp(name))
        started[name] = process.start()
    yield started
    for process in started.values():
        process.stop()


def test_identity_as_detection_reads_it(fleets):
    bmc = fleets["idrac10"].bmc("esxi01")
    root = bmc.json("/redfish/v1")
    assert (root["Vendor"], root["Product"]) == ("Dell", "Integrated Dell Remote Access Controller")
    assert "Dell" in root["Oem"]
    manager = bmc.json(MANAGER)
    assert (manager["Model"], manager["FirmwareVersion"]) == ("17G Monolithic", "1.20.70.50")
    assert fleets["idrac9-6.x"].bmc("esxi01").json(MANAGER)["Model"] == "15G Monolithic"
    system = bmc.json(SYSTEM)
    assert system["Manufacturer"] == "Dell Inc."
    assert system["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"] == [
        "On", "ForceOff", "ForceRestart", "GracefulRestart", "GracefulShutdown", "PushPowerButton", "Nmi", "PowerCycle"]
    assert "@odata.etag" not in system
    assert "@odata.etag" in bmc.json("/redfish/v1/AccountService/Accounts/1")  # iDRAC keeps ETags there


@pytest.mark.parametrize("generation, progress", [("idrac9-6.x", False), ("idrac9-7.x", True), ("idrac10", True)])
def test_boot_progress_and_settings_object_by_generation(fleets, generation, progress):
    bmc = fleets[generation].bmc("esxi01")
    system = bmc.json(SYSTEM)
    assert ("BootProgress" in system) == progress
    assert ("@Redfish.Settings" in system) == progress
    if progress:
        assert set(system["BootProgress"]) == {"LastState"}  # no time, as on 7.10.30
        assert system["@Redfish.Settings"]["SettingsObject"]["@odata.id"] == f"{SYSTEM}/Settings"
    else:
        assert bmc.get(f"{SYSTEM}/Settings").status_code == 404


def test_reset_moves_last_reset_time_and_server_status(fleets):
    bmc = fleets["idrac9-6.x"].bmc("esxi01")
    before = bmc.json(SYSTEM)["LastResetTime"]
    bmc.reset("ForceOff")
    assert bmc.post(STATUS, {}).json()["ServerStatus"] == "PoweredOff"
    assert bmc.json(SYSTEM)["LastResetTime"] > before
    bmc.boot_once("On")
    status = bmc.post(STATUS, {}).json()
    assert (status["LCStatus"], status["ServerStatus"]) == ("Ready", "OutOfPOST")


def _order(bmc):
    return bmc.json(SYSTEM)["Boot"]["BootOrder"]


def test_boot_order_through_a_system_patch_on_6x(fleets):
    bmc = fleets["idrac9-6.x"].bmc("esxi02")
    order = list(reversed(_order(bmc)))
    job = job_of(bmc, bmc.patch(SYSTEM, {"Boot": {"BootOrder": order}}))
    assert job["JobType"] == "BIOSConfiguration"
    assert _order(bmc) != order  # pending until the next reset
    bmc.boot_once()
    assert _order(bmc) == order


@pytest.mark.parametrize("generation", ["idrac9-7.x", "idrac10"])
def test_boot_order_through_the_system_settings_object(fleets, generation):
    bmc = fleets[generation].bmc("esxi02")
    order = list(reversed(_order(bmc)))
    job = job_of(bmc, bmc.patch(f"{SYSTEM}/Settings", {"Boot": {"BootOrder": order}, **ON_RESET}))
    assert job["JobType"] == "BIOSConfiguration"
    assert bmc.json(f"{SYSTEM}/Settings")["Boot"]["BootOrder"] == order
    bmc.boot_once()
    assert _order(bmc) == order
    assert bmc.json(f"{SYSTEM}/Settings")["Boot"]["BootOrder"] == []


def test_idrac10_refuses_boot_order_on_the_system_itself(fleets):
    bmc = fleets["idrac10"].bmc("esxi01")
    response = bmc.patch(SYSTEM, {"Boot": {"BootOrder": _order(bmc)}})
    assert response.status_code == 400
    info = response.json()["error"]["@Message.ExtendedInfo"][0]
    assert info["MessageId"] == "Base.1.18.PropertyNotWritable"
    assert bmc.stats()["jobs_created"] == 0
