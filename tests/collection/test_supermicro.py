"""The Supermicro dialect through ansible-playbook against the supermicro-x13 mockup: bmc_info, the
iscsi_boot refusal before any write, the boot order on both paths (Boot.BootOrder, and the
FixedBootOrder fallback after 400 PropertyUnknown), power through the ResetActionInfo types,
wait_for_boot `unverified` without a host address and `booted` with it, and the role with
sanboot_configure_iscsi: false (the host's iSCSI values come from the fleet's option_rom_iscsi)."""
import pytest

from support.mockup import fast_fleet, free_port

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
WAIT = {"poll_interval": 0.2, "wait_timeout": 60}
MAC = "02:00:00:00:01:01"
RESETS = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PowerCycle"]
FIXED = "/redfish/v1/Systems/1/Oem/Supermicro/FixedBootOrder"


@pytest.fixture
def mockup(request, mockup_factory):
    extra = getattr(request, "param", {})
    fleet = fast_fleet(personality="supermicro-x13", host_base="127.0.31.", host_port=free_port(), **extra)
    return mockup_factory(fleet)


def patches(bmc):
    return {path: count for path, count in bmc.stats()["by_path"].items() if path.startswith("PATCH")}


def first_boot(ansible, bmc):
    """The first reset, in which the option ROM logs in and the firmware lists the iSCSI option."""
    missing = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert missing.result["option_missing"] is True and not missing.result["changed"], missing.result
    assert ansible.run("power", {"reset_type": "ForceRestart"}).result["changed"]
    bmc.wait_boot_done()


def test_bmc_info_and_iscsi_boot_refused_before_any_write(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    info, present, absent = ansible.run_each(
        {"module": "bmc_info", "args": {}},
        {"module": "iscsi_boot", "args": {"port": {"mac": MAC}, "initiator": {"name": "iqn.1998-01.com.vmware:esxi01",
                                                                              "address": "127.0.0.11", "netmask": "24"},
                                          "target": {"name": TARGET["name"], "address": "127.0.0.1", "lun": 1}}},
        {"module": "iscsi_boot", "args": {"port": {"mac": MAC}, "state": "absent"}})
    got = info.result["bmc"]
    assert (got["dialect"], got["dialect_variant"], got["vendor"]) == ("supermicro", "x13", "Supermicro"), got
    assert [(p["mac"], p["iscsi_methods"]) for p in got["ports"]] == [(MAC, []), ("02:00:00:00:01:02", [])], got["ports"]
    assert got["system"]["bios_pending"] == {}
    for run in (present, absent):
        assert run.failed and "cannot set (or read) iSCSI boot over Redfish" in run.result["msg"], run.result
        assert "sanboot_configure_iscsi: false" in run.result["msg"]
    assert patches(bmc) == {} and "POST" not in bmc.stats()["by_method"], bmc.stats()


@pytest.mark.parametrize("mockup", [{}, {"boot_order_property_unknown": True}], indirect=True, ids=["BootOrder", "FixedBootOrder"])
def test_boot_order_on_both_paths_and_a_second_run_writes_nothing(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    fallback = bool(bmc.json(FIXED)) and mockup.fleet["bmcs"][0].get("boot_order_property_unknown", False)
    first_boot(ansible, bmc)
    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["changed"] and not order.result["option_missing"], order.result
    option = order.result["option"]
    assert "UEFI iSCSI IPv4" in option["display_name"] and "02:00:00:00:01:01".upper() in option["display_name"].upper()
    assert option["device_path"] is None
    assert bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"][0] == option["reference"]
    written = patches(bmc)
    if fallback:
        assert written.get("PATCH " + FIXED) == 1, written
        assert bmc.json(FIXED)["UEFINetwork"][0] == option["display_name"]
    else:
        assert written == {"PATCH /redfish/v1/Systems/1": 1}, written
    again = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert again.result["changed"] is False and patches(bmc) == written, (again.result, patches(bmc))


def test_power_uses_the_reset_action_info(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    off, cycle = ansible.run_each({"module": "power", "args": {"reset_type": "ForceOff"}, "bmc": "esxi03"},
                                  {"module": "power", "args": {"reset_type": "PowerCycle"}, "bmc": "esxi03"})
    assert off.result["changed"] and off.result["power_state"] == "Off", off.result
    assert cycle.result["reset_type"] == "PowerCycle" and not cycle.result.get("msg", "").startswith("reset_type"), cycle.result
    assert bmc.stats()["by_path"].get("GET /redfish/v1/Systems/1/ResetActionInfo"), bmc.stats()["by_path"]


def test_wait_for_boot_is_unverified_without_a_host_address_and_booted_with_it(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    first_boot(ansible, bmc)
    assert ansible.run("boot_order", {"iscsi_target": TARGET}).result["changed"]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    unverified = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET))
    result = unverified.result
    assert not unverified.failed, result.get("msg")
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (False, False, "unverified", "post")
    assert result["state"] == "SystemHardwareInitializationComplete" and result["state_time"] >= reset["since"]
    assert "never goes past POST" in result["why"] and result["boot_option"]["reference"] in result["why"]

    host = mockup.fleet["bmcs"][0]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    booted = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET,
                                                host_address=host["host_address"], host_port=host["host_port"]))
    result = booted.result
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (True, True, "booted", "post+network"), result
