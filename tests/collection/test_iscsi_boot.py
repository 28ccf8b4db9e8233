"""iscsi_boot against the mockup: change, idempotency with current and pending state, check and
diff mode, chap_secret_update, Immediate apply through a task, and the bad-input table."""
import pytest
from iscsi_args import FUNCTION, SECRETS, args, writes

from sanboot_mockup.tls import ensure_ca


def test_change_then_second_run_changes_nothing_and_pending_is_not_patched_again(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    first = ansible.run("iscsi_boot", args())
    assert first.result["changed"] is True, first.output[-3000:]
    assert first.result["reboot_required"] is True and first.result["apply_time"] == "OnReset"
    assert first.result["after"]["BootMode"] == "iSCSI"
    assert first.result["after"]["iSCSIBoot"]["CHAPSecret"] == "********"
    assert bmc.json(FUNCTION + "/Settings")["iSCSIBoot"]["PrimaryTargetName"] == "iqn.2024-01.org.example.san:esxi01"
    assert bmc.json(FUNCTION)["BootMode"] == "PXE"  # pending until the reset
    patches_before = bmc.stats()["by_method"].get("PATCH", 0)

    second = ansible.run("iscsi_boot", args())
    assert second.result["changed"] is False
    assert second.result["reboot_required"] is True  # still pending
    assert second.result["pending"]["BootMode"] == "iSCSI"
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches_before

    assert bmc.boot_once()["outcome"] == "booted"
    third = ansible.run("iscsi_boot", args())
    assert third.result["changed"] is False and third.result["reboot_required"] is False
    assert third.result["pending"] == {}
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches_before


def test_check_mode_writes_nothing_and_diff_masks_secrets(ansible, mockup):
    bmc = mockup.bmc("esxi02")
    run = ansible.run("iscsi_boot", args("esxi02"), bmc="esxi02", check=True, diff=True)
    assert run.result["changed"] is True
    stats = bmc.stats()
    assert not writes(stats) and "POST" not in stats["by_method"] and "PATCH" not in stats["by_method"]
    assert bmc.json(FUNCTION + "/Settings")["BootMode"] == "PXE"
    assert "+    \"BootMode\": \"iSCSI\"" in run.output or '"BootMode": "iSCSI"' in run.output
    diff = run.result["diff"]
    assert diff["after"]["iSCSIBoot"]["MutualCHAPSecret"] == "********"
    assert diff["before"]["iSCSIBoot"]["PrimaryVLANId"] == 0 and diff["after"]["iSCSIBoot"]["PrimaryVLANId"] == 120
    for secret in SECRETS:
        assert secret not in run.output


def test_chap_secret_update_on_change_and_always(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    assert ansible.run("iscsi_boot", args()).result["changed"]
    rotated = args(**{"chap.secret": "esxi01-rotated"})
    quiet = ansible.run("iscsi_boot", rotated)
    assert quiet.result["changed"] is False  # a secret alone is never a reason to write
    # The quiet run really sent nothing: the host still logs in with the old, right secret.
    assert bmc.boot_once()["outcome"] == "booted"
    forced = ansible.run("iscsi_boot", dict(rotated, chap_secret_update="always"))
    assert forced.result["changed"] is True
    assert ansible.run("iscsi_boot", dict(rotated, chap_secret_update="always")).result["changed"] is True
    # Now the rotated secret is in place, and the SAN (which still has the old one) refuses it.
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device"
    assert "authentication failure" in " ".join(bmc.log_messages())


def test_immediate_apply_runs_as_a_task(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    run = ansible.run("iscsi_boot", dict(args("esxi03"), apply_time="Immediate", poll_interval=0.2), bmc="esxi03")
    assert run.result["changed"] is True, run.output[-3000:]
    assert run.result["task"]["state"] == "Completed"
    assert bmc.json(FUNCTION)["BootMode"] == "iSCSI"
    assert bmc.json(FUNCTION)["iSCSIBoot"]["InitiatorName"] == "iqn.1998-01.com.vmware:esxi03"


def test_failed_task_fails_the_run(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    bmc.fault("task_fail")
    run = ansible.run("iscsi_boot", dict(args("esxi03"), apply_time="Immediate", poll_interval=0.2), bmc="esxi03")
    assert run.failed and "task failed" in run.result["msg"]
    assert bmc.json(FUNCTION)["BootMode"] == "PXE"


def test_state_absent_disables_iscsi_boot(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    ansible.run("iscsi_boot", dict(args("esxi03"), apply_time="Immediate", poll_interval=0.2), bmc="esxi03")
    run = ansible.run("iscsi_boot", {"state": "absent", "port": {"adapter_id": "NIC.Slot.1", "function_id": "1"},
                                     "apply_time": "Immediate", "poll_interval": 0.2}, bmc="esxi03")
    assert run.result["changed"] is True and bmc.json(FUNCTION)["BootMode"] == "Disabled"
    again = ansible.run("iscsi_boot", {"state": "absent", "port": {"adapter_id": "NIC.Slot.1", "function_id": "1"}},
                        bmc="esxi03")
    assert again.result["changed"] is False


BAD_INPUT = [
    ("malformed IQN", {"initiator.name": "iqn.98-01.com.vmware:esxi01"}, "initiator.name"),
    ("bad IPv4 address", {"initiator.address": "192.0.2.300"}, "initiator.address"),
    ("bad IPv6 address", {"target.address": "2001:db8::zz"}, "target.address"),
    ("bad netmask", {"initiator.netmask": "255.0.255.0"}, "initiator.netmask"),
    ("port 0", {"target.port": 0}, "target.port"),
    ("port 70000", {"target.port": 70000}, "target.port"),
    ("negative LUN", {"target.lun": -1}, "target.lun"),
    ("VLAN 0", {"target.vlan_id": 0}, "target.vlan_id"),
    ("VLAN 4095", {"target.vlan_id": 4095}, "target.vlan_id"),
    ("CHAP secret of 11", {"chap.secret": "a" * 11}, "chap.secret"),
    ("CHAP secret of 17", {"chap.secret": "a" * 17}, "chap.secret"),
    ("mutual secret equal to CHAP secret", {"chap.mutual_username": "san", "chap.mutual_secret": "esxi01-secret"},
     "chap.mutual_secret"),
    ("IPv6 for ESXi without the override", {"initiator.address": "2001:db8::11", "initiator.netmask": "64",
                                            "initiator.gateway": None, "target.address": "2001:db8::1"},
     "initiator.address"),
    ("unknown MAC", {"port.mac": "02:00:00:00:99:99"}, "port.mac"),
    ("port without iSCSI capability", {"port.mac": "02:00:00:00:01:02"}, "not iSCSI-capable"),
    ("apply time the BMC does not support", {"apply_time": "AtMaintenanceWindowStart"}, "apply_time"),
]


@pytest.mark.parametrize("name, changes, field", BAD_INPUT, ids=[row[0] for row in BAD_INPUT])
def test_bad_input_fails_naming_the_field_before_any_write(ansible, mockup, name, changes, field):
    bmc = mockup.bmc("esxi01")
    top = {k: v for k, v in changes.items() if "." not in k}
    nested = {k: v for k, v in changes.items() if "." in k}
    module_args = args(**nested)
    module_args.update(top)
    for key in [k for k, v in nested.items() if v is None]:
        parent, leaf = key.split(".")
        module_args[parent].pop(leaf)
    run = ansible.run("iscsi_boot", module_args)
    assert run.failed, run.output[-2000:]
    assert field in run.result["msg"], run.result["msg"]
    stats = bmc.stats()
    assert "POST" not in stats["by_method"] and "PATCH" not in stats["by_method"], stats


def test_wrong_password_fails_before_any_write(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    run = ansible.run("iscsi_boot", args(), connection=ansible.connection(password="not-the-password"))
    assert run.failed and "credentials" in run.result["msg"]
    assert "not-the-password" not in run.output
    stats = bmc.stats()
    assert "POST" not in stats["by_method"] and "PATCH" not in stats["by_method"]


def test_certificate_from_an_unknown_ca_is_refused(ansible, mockup, tmp_path):
    other_ca, _, _ = ensure_ca(tmp_path / "other-ca")
    bmc = mockup.bmc("esxi01")
    run = ansible.run("iscsi_boot", args(), connection=ansible.connection(ca_path=str(other_ca)))
    assert run.failed and "certificate" in run.result["msg"] and "ca_path" in run.result["msg"]
    assert bmc.stats()["total"] == 0  # refused during the TLS handshake


def test_no_change_run_request_budget(ansible, mockup):
    """A no-change run by adapter and function id stays within 6 requests (the issue's budget)."""
    ansible.run("iscsi_boot", args())
    by_id = args(port={"adapter_id": "NIC.Slot.1", "function_id": "1"})
    run = ansible.run("iscsi_boot", by_id)
    assert run.result["changed"] is False
    assert len(run.result["requests"]) <= 6, run.result["requests"]
