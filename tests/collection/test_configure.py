"""configure (one pass per host) against the mockup: the first pass plans, backs up, then writes;
the applying steps send only the writes; a pass with nothing to change reads a handful of
resources and writes nothing; check mode writes nothing and no backup; bad input fails before
any request; a port whose target is another one is refused when the iSCSI values are not managed."""
import json
import stat

from iscsi_args import FUNCTION, SECRETS, args, writes

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}


def requests_of(bmc):
    return [r for r in bmc.stats()["by_path"]]


def test_first_pass_backs_up_before_writing_then_later_passes_change_nothing(ansible, mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    backups = tmp_path / "backups"
    first = ansible.run("configure", dict(args(), backup_dir=str(backups), backup_name="esxi01"))
    result = first.result
    assert result["changed"] is True, first.output[-3000:]
    assert result["iscsi"]["changed"] is True and result["iscsi"]["reboot_required"] is True
    assert result["order"]["option_missing"] is True and result["reboot_required"] is True
    print("FIRST", result["requests"])
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
    print("SECOND", second.result["requests"])
    assert second.result["changed"] is True and second.result["iscsi"]["changed"] is False
    assert second.result["order"]["changed"] is True and second.result["order"]["option"]["reference"]
    assert len(list(backups.iterdir())) == 2

    assert bmc.boot_once()["outcome"] == "booted"
    before = bmc.stats()
    third = ansible.run("configure", dict(args(), backup_dir=str(backups), backup_name="esxi01", verify=True))
    print("THIRD", third.result["requests"])
    assert third.result["changed"] is False and third.result["reboot_required"] is False
    assert third.result["boot"]["outcome"] == "booted" and third.result["boot"]["evidence"] == "bmc"
    assert len(list(backups.iterdir())) == 2
    after = bmc.stats()
    assert after["by_method"].get("PATCH", 0) == before["by_method"].get("PATCH", 0)
    assert after["by_method"].get("POST", 0) == before["by_method"].get("POST", 0)
    assert len(third.result["requests"]) <= 8, third.result["requests"]
