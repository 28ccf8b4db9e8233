"""boot_order, power and wait_for_boot against the mockup: option_missing until a reset, the iSCSI
option first, graceful-to-forced fallback, and a wait that succeeds with a timeline or fails with
the BMC's own diagnosis."""
from iscsi_args import args

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}


def configure_and_reset(ansible, host="esxi01", **changes):
    assert ansible.run("iscsi_boot", args(host, **changes), bmc=host).result["changed"]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}, bmc=host)
    assert reset.result["changed"] and reset.result["reset_type"] == "ForceRestart"
    return reset.result


def test_option_missing_until_a_reset_then_first(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    ansible.run("iscsi_boot", args())
    missing = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert missing.result["option_missing"] is True and missing.result["changed"] is False
    strict = ansible.run("boot_order", {"iscsi_target": TARGET, "fail_on_missing": True})
    assert strict.failed and "after a reset" in strict.result["msg"]

    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    bmc.wait_boot_done()
    order = ansible.run("boot_order", {"iscsi_target": TARGET}, diff=True)
    assert order.result["changed"] is True and order.result["option_missing"] is False
    ref = order.result["option"]["reference"]
    assert "iSCSI(iqn.2024-01.org.example.san:esxi01,0x1,0x0001000000000000" in order.result["option"]["device_path"]
    assert bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"][0] == ref
    assert order.result["diff"]["after"]["BootOrder"][0] == ref
    again = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert again.result["changed"] is False

    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    waited = ansible.run("wait_for_boot", {"since": reset["boot_progress_time_before"], "iscsi_target": TARGET,
                                           "poll_interval": 0.2, "wait_timeout": 60})
    assert waited.result["booted"] is True, waited.result.get("msg")
    assert waited.result["boot_option"]["reference"] == ref
    last = waited.result["timeline"][-1]
    assert last["state"] == "OSRunning" and last["time"] > reset["boot_progress_time_before"]


def test_boot_order_check_mode_and_once(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    configure_and_reset(ansible)
    bmc.wait_boot_done()
    before = bmc.json("/redfish/v1/Systems/1")["Boot"]
    check = ansible.run("boot_order", {"iscsi_target": TARGET}, check=True)
    assert check.result["changed"] is True
    assert bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"] == before["BootOrder"]
    assert "PATCH" not in bmc.stats()["by_method"] or bmc.stats()["by_path"].get("PATCH /redfish/v1/Systems/1") is None
    once = ansible.run("boot_order", {"iscsi_target": TARGET, "mode": "once"})
    boot = bmc.json("/redfish/v1/Systems/1")["Boot"]
    assert once.result["changed"] and boot["BootNext"] == once.result["option"]["reference"]
    assert boot["BootSourceOverrideTarget"] == "UefiBootNext" and boot["BootSourceOverrideEnabled"] == "Once"


def test_boot_order_replans_after_a_412(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    configure_and_reset(ansible)
    bmc.wait_boot_done()
    bmc.fault("etag_race")
    run = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert run.result["changed"] is True, run.result.get("msg")
    assert bmc.stats()["by_path"]["PATCH /redfish/v1/Systems/1"] == 2


def test_power_on_off_idempotent(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    off = ansible.run("power", {"reset_type": "ForceOff"}, bmc="esxi03")
    assert off.result["changed"] is True and bmc.json("/redfish/v1/Systems/1")["PowerState"] == "Off"
    assert ansible.run("power", {"reset_type": "ForceOff"}, bmc="esxi03").result["changed"] is False
    assert ansible.run("power", {"reset_type": "GracefulShutdown"}, bmc="esxi03").result["changed"] is False
    check = ansible.run("power", {"reset_type": "On"}, bmc="esxi03", check=True)
    assert check.result["changed"] is True and bmc.json("/redfish/v1/Systems/1")["PowerState"] == "Off"
    on = ansible.run("power", {"reset_type": "On"}, bmc="esxi03")
    assert on.result["changed"] is True and bmc.json("/redfish/v1/Systems/1")["PowerState"] == "On"
    assert ansible.run("power", {"reset_type": "On"}, bmc="esxi03").result["changed"] is False
    resets = {k: v for k, v in bmc.stats()["by_path"].items() if "ComputerSystem.Reset" in k}
    assert sum(resets.values()) == 2  # ForceOff and On; the idempotent and check-mode runs sent nothing


def test_graceful_falls_back_to_forced_when_no_os_answers(ansible, mockup):
    """esxi03's LUN is blank: no OS runs, so nothing honours GracefulRestart (force_when_no_os off:
    the graceful request is sent anyway, and the fallback follows graceful_timeout)."""
    bmc = mockup.bmc("esxi03")
    run = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 2, "poll_interval": 0.2,
                                "force_when_no_os": False}, bmc="esxi03")
    assert run.result["changed"] is True, run.result.get("msg")
    assert run.result["fallback_used"] is True and run.result["reset_type"] == "ForceRestart"
    sent = [k for k in bmc.stats()["by_path"] if "ComputerSystem.Reset" in k]
    assert sent and bmc.stats()["by_path"][sent[0]] == 2
    assert "no operating system answered" in " ".join(bmc.log_messages())


def test_graceful_restart_with_no_os_running_is_one_forced_reset(ansible, mockup):
    """The first rollout of a SAN-boot host: its firmware found nothing to boot (BootProgress OEM,
    NoBootableDevice), so GracefulRestart could not be honoured: ForceRestart at once, one Reset POST,
    one boot (from the LUN just configured), no graceful wait."""
    bmc = mockup.bmc("esxi01")
    assert ansible.run("iscsi_boot", args()).result["changed"] is True
    progress = bmc.json("/redfish/v1/Systems/1")["BootProgress"]
    assert (progress["LastState"], progress["OemLastState"]) == ("OEM", "NoBootableDevice")
    boots_before = bmc.boot_count()
    run = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 60, "poll_interval": 0.2})
    assert run.result["changed"] is True, run.result.get("msg")
    assert run.result["reset_type"] == "ForceRestart" and run.result["fallback_used"] is False, run.result
    why = "BootProgress.LastState is OEM (NoBootableDevice): no OS is running to honour GracefulRestart"
    assert run.result["forced_because"] == why
    assert why in run.output
    resets = {k: v for k, v in bmc.stats()["by_path"].items() if "ComputerSystem.Reset" in k}
    assert resets == {"POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset": 1}
    # One pass, as a ForceRestart run: no poll of the system while waiting, no second Reset.
    assert run.result["requests"] == [
        "GET /redfish/v1/", "GET /redfish/v1/Systems?$expand=.($levels=1)", "POST /redfish/v1/SessionService/Sessions",
        "POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset", "GET /redfish/v1/Systems/1", "DELETE session"]
    boot = bmc.wait_boot_done(boots_before)
    assert boot["reset_type"] == "ForceRestart" and boot["outcome"] == "booted", boot
    assert bmc.boot_count() == boots_before + 1
    assert "no operating system answered" not in " ".join(bmc.log_messages())


def test_graceful_restart_of_a_running_os_needs_no_fallback(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    configure_and_reset(ansible)
    bmc.wait_boot_done()
    run = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 30, "poll_interval": 0.2})
    assert run.result["fallback_used"] is False and run.result["reset_type"] == "GracefulRestart"


def test_reset_type_not_allowed_is_refused_or_replaced(ansible, mockup_factory, tmp_path):
    """A BMC without PowerCycle (as HPE iLO): refused naming the allowed types when force_fallback
    is off; replaced by ForceRestart, with a warning, when it is on (the default)."""
    from support.mockup import fast_fleet
    fleet = fast_fleet()
    fleet["bmcs"][0]["reset_types"] = ["On", "ForceOff", "ForceRestart"]
    process = mockup_factory(fleet)
    from playbook_runner import Ansible
    runner = Ansible(process, tmp_path / "restricted")
    run = runner.run("power", {"reset_type": "PowerCycle", "force_fallback": False})
    assert run.failed and "not allowed" in run.result["msg"] and "AllowableValues" in run.result["msg"]
    assert "POST" not in process.bmc("esxi01").stats()["by_method"]
    replaced = runner.run("power", {"reset_type": "PowerCycle"})
    assert replaced.result["changed"] is True and replaced.result["reset_type"] == "ForceRestart", replaced.result
    assert "PowerCycle is not offered" in replaced.output, replaced.output[-2000:]
    fallback = runner.run("power", {"reset_type": "GracefulRestart", "force_fallback": True})
    assert fallback.result["reset_type"] == "ForceRestart"


def test_wait_for_boot_fails_with_the_authentication_diagnosis(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    reset = configure_and_reset(ansible, **{"chap.secret": "wrong-secret-1"})
    run = ansible.run("wait_for_boot", {"since": reset["boot_progress_time_before"], "iscsi_target": TARGET,
                                        "poll_interval": 0.2, "wait_timeout": 60})
    assert run.failed
    assert "authentication failure" in run.result["msg"], run.result["msg"]
    assert "no bootable device" in run.result["msg"]
    assert run.result["timeline"] and run.result["log_entries"]
    assert any("iSCSI login failed" in entry["message"] for entry in run.result["log_entries"])
    assert bmc.stats()["sessions"] == 0


def test_wait_for_boot_times_out_with_a_timeline(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    bmc.fault("boot_hang", state="MemoryInitializationStarted")
    reset = configure_and_reset(ansible)
    run = ansible.run("wait_for_boot", {"since": reset["boot_progress_time_before"], "poll_interval": 0.2,
                                        "wait_timeout": 3})
    assert run.failed and "did not reach OSRunning" in run.result["msg"]
    assert run.result["timeline"][-1]["state"] == "MemoryInitializationStarted"
    assert "hung" in run.result["msg"].lower()


def test_wait_for_boot_refuses_a_boot_from_elsewhere(ansible, mockup):
    """Booted, but the iSCSI option is not first: not evidence of an iSCSI boot."""
    bmc = mockup.bmc("esxi01")
    reset = configure_and_reset(ansible)
    bmc.wait_boot_done()
    run = ansible.run("wait_for_boot", {"since": reset["boot_progress_time_before"], "iscsi_target": TARGET,
                                        "poll_interval": 0.2, "wait_timeout": 30})
    assert run.failed and "not first in the boot order" in run.result["msg"]
