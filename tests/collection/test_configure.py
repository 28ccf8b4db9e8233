"""configure (one pass per host) against the mockup: the first pass plans, backs up, then writes;
the applying steps send only the writes; a pass with nothing to change reads a handful of
resources and writes nothing; check mode writes nothing and no backup; bad input fails before
any request; a port whose target is another one is refused when the iSCSI values are not managed."""
import json
import stat

from iscsi_args import FUNCTION, SECRETS, args, writes

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}


def test_first_pass_backs_up_before_writing_then_later_passes_change_nothing(ansible, mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    backups = tmp_path / "backups"
    first = ansible.run("configure", dict(args(), backup_dir=str(backups), backup_name="esxi01"))
    result = first.result
    assert result["changed"] is True, first.output[-3000:]
    assert result["iscsi"]["changed"] is True and result["iscsi"]["reboot_required"] is True
    assert result["order"]["option_missing"] is True and result["reboot_required"] is True
    # the reads once, then the iSCSI write; the option is still missing, so the order is not read again
    assert result["requests"] == [
        "GET /redfish/v1/", "GET /redfish/v1/Systems?$expand=.($levels=1)", "GET /redfish/v1/Chassis?$expand=.($levels=1)",
        "GET /redfish/v1/Chassis/1/NetworkAdapters?$expand=.($levels=1)",
        "GET /redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions?$expand=.($levels=1)",
        "GET " + FUNCTION + "/Settings", "GET /redfish/v1/Systems/1/BootOptions?$expand=.($levels=1)",
        "POST /redfish/v1/SessionService/Sessions", "PATCH " + FUNCTION + "/Settings", "DELETE session"], result["requests"]
    # the backup holds the state before the pass wrote anything
    [backup] = backups.iterdir()
    assert backup.name.startswith("esxi01-") and stat.S_IMODE(backup.stat().st_mode) == 0o600
    saved = json.loads(backup.read_text())
    assert saved["port"]["iscsi"]["PrimaryTargetName"] != TARGET["name"]
    assert saved["boot"]["order"] == result["before"]["boot"]["order"]
    assert result["backup"] == str(backup)
    for secret in SECRETS:
        assert secret not in backup.read_text()
    assert bmc.json(FUNCTION + "/Settings")["iSCSIBoot"]["PrimaryTargetName"] == TARGET["name"]

    assert bmc.boot_once()["outcome"] == "booted"
    second = ansible.run("configure", dict(args(), backup_dir=str(backups), backup_name="esxi01"))
    assert [r for r in second.result["requests"] if not r.startswith("GET")] == [
        "POST /redfish/v1/SessionService/Sessions", "PATCH /redfish/v1/Systems/1", "DELETE session"]
    assert second.result["changed"] is True and second.result["iscsi"]["changed"] is False
    assert second.result["order"]["changed"] is True and second.result["order"]["option"]["reference"]
    assert len(list(backups.iterdir())) == 2

    assert bmc.boot_once()["outcome"] == "booted"
    before = bmc.stats()
    third = ansible.run("configure", dict(args(), backup_dir=str(backups), backup_name="esxi01", verify=True))
    assert third.result["changed"] is False and third.result["reboot_required"] is False
    assert third.result["boot"]["outcome"] == "booted" and third.result["boot"]["evidence"] == "bmc"
    assert len(list(backups.iterdir())) == 2
    after = bmc.stats()
    assert after["by_method"].get("PATCH", 0) == before["by_method"].get("PATCH", 0)
    assert after["by_method"].get("POST", 0) == before["by_method"].get("POST", 0)
    assert len(third.result["requests"]) == 7 and all(r.startswith("GET ") for r in third.result["requests"]), \
        third.result["requests"]


def test_check_mode_writes_nothing_not_even_a_backup_and_bad_input_sends_nothing(ansible, mockup, tmp_path):
    bmc = mockup.bmc("esxi02")
    backups = tmp_path / "backups"
    run = ansible.run("configure", dict(args("esxi02"), backup_dir=str(backups), backup_name="esxi02"), bmc="esxi02",
                      check=True, diff=True)
    assert run.result["changed"] is True and run.result["backup"] is None, run.output[-3000:]
    stats = bmc.stats()
    assert not writes(stats) and "POST" not in stats["by_method"] and "PATCH" not in stats["by_method"]
    assert not backups.exists()
    assert run.result["diff"]["after"]["iscsi"]["BootMode"] == "iSCSI"
    assert run.result["diff"]["after"]["iscsi"]["iSCSIBoot"]["MutualCHAPSecret"] == "********"
    for secret in SECRETS:
        assert secret not in run.output

    bad = ansible.run("configure", dict(args("esxi02"), backup_dir=str(backups), backup_name="../esxi02"), bmc="esxi02")
    assert bad.failed and "backup_name" in bad.result["msg"], bad.result
    assert bmc.stats()["total"] == stats["total"]  # refused before any request


def test_an_isolated_first_boot_needs_one_reset_and_the_order_is_persisted_after_it(ansible, mockup, tmp_path):
    """isolate_first_boot (the role's one-reset rollout, issue 14): the pass disables every enabled option after
    the iSCSI write; the one boot can only come from the option the firmware adds; wait_for_boot first_enabled
    proves it; boot_order puts it first, enables the others again and reads both back, with no reset."""
    bmc = mockup.bmc("esxi01")
    system = bmc.json("/redfish/v1/Systems/1")
    order = system["Boot"]["BootOrder"]
    boots = bmc.boot_count()
    # the pass ends with its reset (isolating needs one: nothing else would enable the options again)
    run = ansible.run("configure", dict(args(), backup_dir=str(tmp_path / "backups"), backup_name="esxi01",
                                        isolate_first_boot=True, reboot="auto", reset_type="ForceRestart"))
    result = run.result
    assert result["first_boot"] == {"isolated": True, "disabled": order, "why_not": None}, run.output[-3000:]
    assert [r for r in result["requests"] if not r.startswith("GET")] == [
        "POST /redfish/v1/SessionService/Sessions", "PATCH " + FUNCTION + "/Settings",
        *["PATCH /redfish/v1/Systems/1/BootOptions/" + ref for ref in order],
        "POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset", "DELETE session"], result["requests"]
    assert json.loads(open(result["backup"]).read())["boot"]["enabled"] == \
        {ref: True for ref in order}

    boot = bmc.wait_boot_done(boots)
    assert boot["outcome"] == "booted" and boot["booted_from"]["target"] == TARGET["name"], boot
    assert [a["outcome"] for a in boot["attempts"]] == ["skipped"] * len(order) + ["booted"], boot["attempts"]
    new = boot["booted_from"]["option"]

    waited = ansible.run("wait_for_boot", {"iscsi_target": TARGET, "first_enabled": True, "wait_timeout": 30,
                                           "poll_interval": 0.2})
    assert waited.result["booted"] is True and waited.result["boot_option"]["reference"] == new, waited.output[-3000:]
    assert waited.result["boot_option"]["through"] == "the first enabled option (%s disabled ahead of it)" % ", ".join(order)

    before = bmc.boot_count()
    persisted = ansible.run("boot_order", {"iscsi_target": TARGET, "fail_on_missing": True, "enable_options": order,
                                           "read_back": True})
    result = persisted.result
    assert result["changed"] is True and result["reset"] is None, persisted.output[-3000:]
    assert [r for r in result["requests"] if not r.startswith("GET")] == [
        "POST /redfish/v1/SessionService/Sessions", "PATCH /redfish/v1/Systems/1",
        *["PATCH /redfish/v1/Systems/1/BootOptions/" + ref for ref in order], "DELETE session"], result["requests"]
    assert result["read_back"] == {"order": [new] + order, "enabled": order}
    assert bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"] == [new] + order
    options = bmc.json("/redfish/v1/Systems/1/BootOptions?$expand=.($levels=1)")["Members"]
    assert all(o["BootOptionEnabled"] for o in options), options
    assert bmc.boot_count() == before      # no second reset
