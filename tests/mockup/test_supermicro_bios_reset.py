"""supermicro-x13's BIOS settings object `/Bios/SD` (no Attributes while nothing is pending; PATCHes of
/Bios and of /Bios/SD both stage, checked at once, applied at the next power-on) and its resets (types only
in ResetActionInfo)."""
import pytest
from support.mockup import assert_redfish_error
from support.supermicro import BIOS, BIOS_SD, RESET_INFO, SYSTEM, start


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    process = start(tmp_path_factory.mktemp("smc-bios"), count=3, address_base="127.0.94.")
    yield process
    process.stop()


def test_sd_has_no_attributes_until_something_is_pending(fleet):
    bmc = fleet.bmc("esxi01")
    bios = bmc.json(BIOS)
    assert bios["@Redfish.Settings"]["SettingsObject"] == {"@odata.id": BIOS_SD}
    assert "SupportedApplyTimes" not in bios["@Redfish.Settings"]
    assert "Attributes" not in bmc.json(BIOS_SD)
    assert bios["Attributes"]["IPv4HTTPSupport_00F5"] == "Disabled"
    assert bmc.patch(BIOS, {"Attributes": {"IPv4HTTPSupport_00F5": "Enabled"}}).status_code == 200
    assert bmc.patch(BIOS_SD, {"Attributes": {"PXEBootWaitTime_00F8": 3}}).status_code == 200
    assert bmc.json(BIOS_SD)["Attributes"] == {"IPv4HTTPSupport_00F5": "Enabled", "PXEBootWaitTime_00F8": 3}
    assert bmc.json(BIOS)["Attributes"]["IPv4HTTPSupport_00F5"] == "Disabled"  # not before the reset
    bmc.boot_once()
    assert "Attributes" not in bmc.json(BIOS_SD)
    attributes = bmc.json(BIOS)["Attributes"]
    assert (attributes["IPv4HTTPSupport_00F5"], attributes["PXEBootWaitTime_00F8"]) == ("Enabled", 3)


@pytest.mark.parametrize("attributes, error", [
    ({"IscsiInitiatorName_0001": "iqn.x"}, "PropertyUnknown"),
    ({"IPv4HTTPSupport_00F5": "Maybe"}, "PropertyValueNotInList"),
    ({"PXEBootWaitTime_00F8": 9}, "PropertyValueNotInList"),
    ({"QuietBoot_002D": "Enabled"}, "PropertyValueTypeError"),
])
def test_a_bad_attribute_is_refused_and_nothing_is_staged(fleet, attributes, error):
    bmc = fleet.bmc("esxi02")
    name = next(iter(attributes))
    assert_redfish_error(bmc.patch(BIOS, {"Attributes": attributes}), 400, error, related=[f"#/Attributes/{name}"])
    assert "Attributes" not in bmc.json(BIOS_SD)


def test_reset_types_only_in_the_action_info(fleet):
    bmc = fleet.bmc("esxi03")
    action = bmc.json(SYSTEM)["Actions"]["#ComputerSystem.Reset"]
    assert set(action) == {"target", "@Redfish.ActionInfo"} and action["@Redfish.ActionInfo"] == RESET_INFO
    parameter = bmc.json(RESET_INFO)["Parameters"][0]
    assert parameter["Name"] == "ResetType" and parameter["Required"] is True
    assert parameter["AllowableValues"] == ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart",
                                            "Nmi", "ForceOn", "PowerCycle"]
    refused = bmc.post(action["target"], {"ResetType": "PushPowerButton"})
    assert_redfish_error(refused, 400, "ActionParameterValueNotInList")
    bmc.reset("ForceOff")
    assert bmc.json(SYSTEM)["PowerState"] == "Off"
    boot = bmc.boot_once("ForceOn")  # as On (esxi03's LUN is blank: nothing to boot)
    assert boot["reset_type"] == "ForceOn" and boot["outcome"] == "no_bootable_device"
    assert bmc.json(SYSTEM)["PowerState"] == "On"
