"""The xcc and xcc2 trees: identity, strong ETags, adapters slot-N with functions p.l (iSCSIBoot and
Pending only on an iSCSI-capable port), boot classes, Reset without PowerCycle with its ActionInfo,
the older firmware without /Systems/1/Pending, XCC2's BootProgress."""
import re

import pytest
from support.lenovo import (ADAPTER, FUNCTION, PENDING, PLAIN_FUNCTION, SYSTEM, SYSTEM_PENDING, entry)
from support.mockup import MockupProcess, fast_fleet

POOL = 4


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    started = {}
    for name, base, extra in (("xcc", "127.0.80.", {}), ("xcc2", "127.0.81.", {}), ("old", "127.0.82.", {"firmware": "1.50"})):
        personality = "xcc" if name == "old" else name
        fleet = fast_fleet(count=POOL, address_base=base, personality=personality, **extra)
        if name == "old":  # also: ports named by number in the fleet file (`1`), served as functions `1.1`
            for bmc in fleet["bmcs"]:
                for index, port in enumerate(bmc["nics"][0]["ports"], start=1):
                    port["id"] = str(index)
        started[name] = MockupProcess(fleet, tmp_path_factory.mktemp(f"lenovo-tree-{name}")).start()
    yield started
    for process in started.values():
        process.stop()


def test_identity(pools):
    bmc = pools["xcc"].bmc()
    assert bmc.json("/redfish/v1")["Vendor"] == "Lenovo"
    manager = bmc.json("/redfish/v1/Managers/1")
    assert manager["Model"] == "Lenovo XClarity Controller"
    assert manager["FirmwareVersion"] == "TGBT42S 2.83 2023-07-05"
    assert pools["xcc2"].bmc().json("/redfish/v1/Managers/1")["Model"] == "Lenovo XClarity Controller 2"
    assert [m["@odata.id"] for m in bmc.json("/redfish/v1/Systems")["Members"]] == [SYSTEM]
    assert [m["@odata.id"] for m in bmc.json("/redfish/v1/Chassis")["Members"]] == ["/redfish/v1/Chassis/1"]


@pytest.mark.parametrize("uri", ["/redfish/v1", SYSTEM, FUNCTION, PENDING, SYSTEM_PENDING])
def test_strong_quoted_etags_in_header_and_body(pools, uri):
    response = pools["xcc"].bmc().get(uri)
    tag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]+"', tag), tag
    assert response.json()["@odata.etag"] == tag


def test_functions_with_and_without_pending(pools):
    bmc = pools["xcc"].bmc()
    adapter = bmc.json(ADAPTER)
    assert adapter["Id"] == "slot-1"
    members = [m["@odata.id"] for m in bmc.json(f"{ADAPTER}/NetworkDeviceFunctions")["Members"]]
    assert members == [FUNCTION, PLAIN_FUNCTION]
    function = bmc.json(FUNCTION)
    assert function["Id"] == "1.1" and "iSCSIBoot" in function
    assert function["@Redfish.Settings"]["SettingsObject"]["@odata.id"] == PENDING
    assert function["@Redfish.Settings"]["SupportedApplyTimes"] == ["OnReset"]
    assert function["iSCSIBoot"]["CHAPSecret"] is None
    plain = bmc.json(PLAIN_FUNCTION)
    for absent in ("iSCSIBoot", "@Redfish.Settings", "NetDevFuncCapabilities"):
        assert absent not in plain, absent
    assert bmc.get(f"{PLAIN_FUNCTION}/Pending").status_code == 404
    for kind in ("NetworkPorts", "Ports"):
        port = bmc.json(f"{ADAPTER}/{kind}/1")
        assert port["Id"] == "1"
        assert bmc.get(f"{ADAPTER}/{kind}/3").status_code == 404


def test_boot_classes_and_settings_object(pools):
    bmc = pools["xcc"].bmc()
    system = bmc.json(SYSTEM)
    assert system["Boot"]["BootOrder"] == ["Boot0003", "Boot0002"]
    assert system["@Redfish.Settings"]["SettingsObject"]["@odata.id"] == SYSTEM_PENDING
    assert "BootProgress" not in system and "LastResetTime" not in system
    network = bmc.json(f"{SYSTEM}/BootOptions/Boot0003")
    assert network["DisplayName"] == "Network"
    assert network["UefiDevicePath"] == "VenHw_B2AD3248_4F72_4950_A966_CFE5062DB83A_05000000"
    assert bmc.json(f"{SYSTEM}/BootOptions/Boot0002")["DisplayName"] == "HardDisk"
    assert bmc.get(f"{SYSTEM}/BootOptions/Boot0001").status_code == 404
    assert bmc.json(SYSTEM_PENDING)["Boot"] == {"BootOrder": ["Boot0003", "Boot0002"]}
    network_order = bmc.json(f"{SYSTEM}/Oem/Lenovo/BootSettings/BootOrder.NetworkBootOrder")
    assert network_order["BootOrderCurrent"] == [entry(1, 1), entry(1, 2)]


def test_reset_without_power_cycle(pools):
    bmc = pools["xcc"].bmc()
    action = bmc.json(SYSTEM)["Actions"]["#ComputerSystem.Reset"]
    assert "PowerCycle" not in action["ResetType@Redfish.AllowableValues"]
    info = bmc.json(action["@Redfish.ActionInfo"])
    assert info["Parameters"][0]["AllowableValues"] == action["ResetType@Redfish.AllowableValues"]
    response = bmc.post(f"{SYSTEM}/Actions/ComputerSystem.Reset", {"ResetType": "PowerCycle"})
    assert response.status_code == 400
    oem = bmc.json(SYSTEM)["Actions"]["Oem"]
    assert oem["#LenovoComputerSystem.SystemReset"]["ResetType@Redfish.AllowableValues"] == ["ACPowerCycle"]


def test_older_firmware_has_no_system_settings_object(pools):
    bmc = pools["old"].bmc()
    system = bmc.json(SYSTEM)
    assert "@Redfish.Settings" not in system
    assert bmc.get(SYSTEM_PENDING).status_code == 404
    assert bmc.json("/redfish/v1/Managers/1")["FirmwareVersion"] == "TGBT42S 1.50 2023-07-05"
    assert system["Oem"]["Lenovo"]["BootSettings"]["@odata.id"].endswith("/Oem/Lenovo/BootSettings")


def test_ports_named_by_number_are_served_as_functions(pools):
    bmc = pools["old"].bmc()
    members = [m["@odata.id"] for m in bmc.json(f"{ADAPTER}/NetworkDeviceFunctions")["Members"]]
    assert members == [FUNCTION, PLAIN_FUNCTION]
    assert bmc.json(f"{PENDING}")["Id"] == "Pending"
    assert bmc.json(f"{ADAPTER}/Ports/2")["FunctionMaxBandwidth"][0]["NetworkDeviceFunction"]["@odata.id"] == PLAIN_FUNCTION


def test_xcc2_boot_progress(pools):
    bmc = pools["xcc2"].bmc()
    progress = bmc.json(SYSTEM)["BootProgress"]
    assert set(progress) == {"LastState", "OemLastState"}
    assert progress["OemLastState"] == bmc.json(SYSTEM)["Oem"]["Lenovo"]["SystemStatus"]
