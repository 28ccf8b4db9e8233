"""The Lenovo dialect through ansible-playbook against the xcc and xcc2 personalities: the rollout
module by module (iscsi_boot to the function's Pending object, the boot order as the Network class
first and the port's iSCSI entry first, a restart, wait_for_boot on SystemStatus or BootProgress with
the network proof) and its second run writing nothing; the etag_race fault's 412 read again and retried
once; an adapter without Pending refused before any write; GracefulRestart ignored by the model,
replaced by ForceOff then On."""
import pytest
from iscsi_args import MACS, args, host, step, writes

from support.mockup import fast_fleet, free_port

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
WAIT = {"poll_interval": 0.2, "wait_timeout": 60}
PENDING = "/redfish/v1/Chassis/1/NetworkAdapters/slot-1/NetworkDeviceFunctions/1.1/Pending"
NO_PENDING_MAC = "02:00:00:00:01:02"     # the fleet's second port: a function without iSCSIBoot or Pending


@pytest.fixture(params=["xcc"])     # xcc2 (and xcc) also run test_personalities.py's generic rollout
def mockup(request, mockup_factory):
    """`xcc-graceful-ignored`: an xcc fleet whose esxi01 ignores GracefulRestart (the unreliable models)."""
    personality = request.param.split("-")[0]
    fleet = fast_fleet(personality=personality, host_base="127.0.31.", host_port=free_port())
    if request.param.endswith("graceful-ignored"):
        fleet["bmcs"][0]["graceful_restart_ignored"] = True
    process = mockup_factory(fleet)
    process.personality = personality
    return process


def test_rollout_then_a_second_run_writes_nothing(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    info, configured, again, missing = ansible.run_each(
        step("bmc_info", {}), step("iscsi_boot", args()), step("iscsi_boot", args()),
        step("boot_order", {"iscsi_target": TARGET}))
    info = info.result["bmc"]
    assert (info["dialect"], info["dialect_variant"], info["vendor"]) == ("lenovo", mockup.personality, "Lenovo"), info
    ports = {p["mac"]: p for p in info["ports"]}
    assert ports[MACS["esxi01"]]["iscsi_methods"] == ["nic"] and ports[NO_PENDING_MAC]["iscsi_methods"] == []
    assert configured.result["changed"] is True and configured.result["apply_time"] == "OnReset", configured.result.get("msg")
    assert configured.result["dialect"] == "lenovo" and configured.result["job"] is None
    assert again.result["changed"] is False and again.result["reboot_required"] is True     # pending = diff(Pending, current)
    assert missing.result["option_missing"] is True and missing.result["changed"] is False
    assert writes(bmc.stats()) == {"PATCH " + PENDING: 1}

    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    assert reset["changed"] is True and ";reboots=" in reset["since"], reset
    first_boot, order, order_again = ansible.run_each(step("wait_for_boot", dict(WAIT, since=reset["since"])),
                                                      step("boot_order", {"iscsi_target": TARGET}),
                                                      step("boot_order", {"iscsi_target": TARGET}))
    assert first_boot.result["booted"] is True, first_boot.result.get("msg")
    assert order.result["changed"] is True and order.result["option"]["display_name"] == "Network", order.result.get("msg")
    assert order.result["pending"] is True and order.result["job"] is None
    assert " iSCSI " in order.result["after"]["NetworkBootOrder"][0] and \
        order.result["after"]["NetworkBootOrder"][0].endswith(MACS["esxi01"].upper())
    assert order_again.result["changed"] is False, order_again.result

    reset = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 30, "poll_interval": 0.2}).result
    assert reset["changed"] is True and reset["reset_type"] in ("GracefulRestart", "ForceOff+On"), reset
    before = writes(bmc.stats())
    waited, iscsi, order_settled, power_on, settled = ansible.run_each(
        step("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET, **host(mockup))),
        step("iscsi_boot", args()), step("boot_order", {"iscsi_target": TARGET}), step("power", {"reset_type": "On"}),
        step("wait_for_boot", dict(WAIT, iscsi_target=TARGET, **host(mockup))))
    assert waited.result["booted"] is True and waited.result["evidence"] == "bmc+network", waited.result.get("msg")
    assert waited.result["boot_option"]["reference"] == order.result["option"]["reference"]
    assert waited.result["state"] == ("OSRunning" if mockup.personality == "xcc2" else "BootingOSOrInUndetectedOS")
    assert iscsi.result["changed"] is False and iscsi.result["reboot_required"] is False, iscsi.result
    assert order_settled.result["changed"] is False and order_settled.result["pending"] is False, order_settled.result
    assert power_on.result["changed"] is False
    assert settled.result["booted"] is True, settled.result.get("msg")
    assert writes(bmc.stats()) == before


@pytest.mark.parametrize("mockup", ["xcc"], indirect=True)
def test_etag_race_is_read_again_and_retried_once_then_converges(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    bmc.fault("etag_race")
    raced, again = ansible.run_each(step("iscsi_boot", args()), step("iscsi_boot", args()))
    assert raced.result["changed"] is True, raced.result.get("msg")
    assert again.result["changed"] is False
    assert writes(bmc.stats()) == {"PATCH " + PENDING: 2}      # the 412, then the retry with the fresh ETag


@pytest.mark.parametrize("mockup", ["xcc"], indirect=True)
def test_an_adapter_without_pending_is_refused_before_any_write(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    run = ansible.run("iscsi_boot", args(**{"port.mac": NO_PENDING_MAC}))
    assert run.failed and "offers no Pending iSCSI settings over Redfish" in run.result["msg"], run.result.get("msg")
    assert "PATCH" not in bmc.stats()["by_method"]


@pytest.mark.parametrize("mockup", ["xcc-graceful-ignored"], indirect=True)
def test_graceful_restart_ignored_falls_back_to_force_off_then_on(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    reset = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 2, "poll_interval": 0.2}).result
    assert reset["reset_type"] == "ForceOff+On" and reset["fallback_used"] is True, reset
    posts = [k for k in writes(bmc.stats()) if k.startswith("POST")]
    assert posts == ["POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset"]
    assert bmc.stats()["by_path"][posts[0]] == 3       # GracefulRestart, ForceOff, On
    assert reset["power_state"] == "On"


@pytest.mark.parametrize("mockup", ["xcc"], indirect=True)
def test_a_failed_login_fails_the_wait_in_the_bmc_words(ansible, mockup):
    configured, reset = ansible.run_each(step("iscsi_boot", args(**{"chap.secret": "wrong-secret-1"})),
                                         step("power", {"reset_type": "ForceRestart"}))
    assert configured.result["changed"] is True, configured.result.get("msg")
    run = ansible.run("wait_for_boot", dict(WAIT, since=reset.result["since"]))
    assert run.failed and run.result["booted"] is False, run.result
    assert "platform log reports a failed iSCSI login" in run.result["msg"], run.result["msg"]
    assert "iSCSI login to target iqn.2024-01.org.example.san:esxi01 failed:" in run.result["msg"], run.result["msg"]
    assert "wrong-secret-1" not in str(run.result)
