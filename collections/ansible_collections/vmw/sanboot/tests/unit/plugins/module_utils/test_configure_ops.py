# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_ops: one pass that plans both steps, writes the backup before the first write, then
applies; check mode and a pass with nothing to change write nothing; inputs and a foreign target
are refused before any write; a failure after the reads carries the before-state."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_order_ops, configure_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import (
    PORT2, SETTINGS2, SYSTEM, TARGET_IQN, FakeModule, iscsi_boot_params)

SECRET = "chap-secret-01"


def params(tmp_path=None, **changes):
    base = iscsi_boot_params({}, {"mac": "aa:bb:cc:00:00:02", "adapter_id": None, "function_id": None}, SECRET, 1,
                             target_name=TARGET_IQN)
    base.pop("state")
    base.update(iscsi=True, iscsi_target=None, system_id=None, backup_dir=str(tmp_path / "backups") if tmp_path else None,
                backup_name="esxi01" if tmp_path else None, verify=False, host_address=None, host_port=443,
                wait_timeout=60, poll_interval=1)
    base.update(changes)
    return base


def run(bmc, module):
    return configure_ops.run(module, bmc, configure_ops.prepare(module))


def test_first_pass_writes_the_backup_before_the_first_write_then_both_steps(bmc, tmp_path):
    seen_at_first_write = []
    original = bmc._write

    def write(method, uri, body, etag=None):
        if not seen_at_first_write:
            seen_at_first_write.append(sorted(os.listdir(tmp_path / "backups")))
        return original(method, uri, body, etag)

    bmc._write = write
    result = run(bmc, FakeModule(params(tmp_path)))
    assert seen_at_first_write == [[os.path.basename(result["backup"])]]
    assert [w[:2] for w in bmc.writes()] == [("PATCH", SETTINGS2), ("PATCH", SYSTEM)]
    assert result["changed"] and result["reboot_required"]
    assert result["iscsi"]["changed"] and result["order"]["changed"]
    assert result["order"]["after"]["BootOrder"][0] == "Boot0003"
    saved = json.loads(open(result["backup"]).read())
    assert saved["boot"]["order"] == ["Boot0001", "Boot0002", "Boot0003"]
    assert saved["port"]["mac"] == "aa:bb:cc:00:00:02" and SECRET not in json.dumps(saved)
    assert oct(os.stat(result["backup"]).st_mode & 0o777) == "0o600"
    assert "requests" not in result["iscsi"] and "diff" not in result["order"]
    assert result["diff"]["after"]["boot"]["BootOrder"][0] == "Boot0003"


def test_check_mode_writes_nothing_and_no_backup(bmc, tmp_path):
    result = run(bmc, FakeModule(params(tmp_path), check_mode=True))
    assert result["changed"] and result["backup"] is None
    assert bmc.writes() == [] and not (tmp_path / "backups").exists()


def test_nothing_to_change_writes_nothing_and_verifies_the_running_host(bmc, tmp_path, fast_clock):
    first = run(bmc, FakeModule(params(tmp_path)))
    # the reset applied what was staged, and the host runs from its LUN with the option first
    sent = bmc.writes("PATCH")[0][2]
    bmc.tree[PORT2].update(BootMode="iSCSI", iSCSIBoot=dict(bmc.tree[PORT2]["iSCSIBoot"], **dict(sent["iSCSIBoot"], CHAPSecret=None)))
    bmc.tree[SETTINGS2].update(BootMode="iSCSI", iSCSIBoot=dict(bmc.tree[PORT2]["iSCSIBoot"]))
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = first["order"]["after"]["BootOrder"]
    written = len(bmc.writes())
    result = run(bmc, FakeModule(params(tmp_path, verify=True)))
    assert len(bmc.writes()) == written
    assert not result["changed"] and not result["reboot_required"] and result["backup"] is None
    assert result["boot"]["outcome"] == "booted" and result["boot"]["boot_option"]["reference"] == "Boot0003"
    assert len(os.listdir(tmp_path / "backups")) == 1


def test_verify_waits_for_a_reset_when_one_is_needed(bmc, tmp_path):
    result = run(bmc, FakeModule(params(tmp_path, verify=True)))
    assert result["reboot_required"] and result["boot"] is None


def test_iscsi_not_managed_reads_the_first_capable_port_and_orders_only(bmc):
    module = FakeModule(params(iscsi=False, port=None, initiator=None, target=None,
                               iscsi_target={"name": TARGET_IQN, "lun": 1}))
    result = run(bmc, module)
    assert result["iscsi"] is None and result["before"]["port"]["mac"] == "aa:bb:cc:00:00:02"
    assert [w[:2] for w in bmc.writes()] == [("PATCH", SYSTEM)]


def test_iscsi_not_managed_refuses_a_port_that_names_another_target_before_any_write(bmc):
    bmc.tree[PORT2]["iSCSIBoot"]["PrimaryTargetName"] = "iqn.2024-01.org.example.san:someone-else"
    module = FakeModule(params(iscsi=False, initiator=None, target=None, iscsi_target={"name": TARGET_IQN, "lun": 1}))
    with pytest.raises(SanbootError, match="someone-else, not %s" % TARGET_IQN):
        run(bmc, module)
    assert bmc.writes() == []


@pytest.mark.parametrize("name", ["../esxi01", "a/b", "", "..", "x" * 201])
def test_a_backup_name_that_is_not_a_plain_file_name_is_refused_before_the_bmc_is_read(bmc, tmp_path, name):
    module = FakeModule(params(tmp_path, backup_name=name))
    with pytest.raises(ValidationError, match="backup_name"):
        configure_ops.prepare(module)
    assert bmc.requests == []


def test_bad_step_input_is_refused_before_the_bmc_is_read(bmc):
    module = FakeModule(params(iscsi_target={"name": "not an iqn", "lun": 1}))
    with pytest.raises(SanbootError, match="iscsi_target.name"):
        configure_ops.prepare(module)
    assert bmc.requests == []


def test_a_failure_after_the_reads_carries_the_before_state_for_the_rollback(bmc, tmp_path):
    bmc.script[("PATCH", SYSTEM)] = [SanbootError("the BMC refused the order")]
    with pytest.raises(SanbootError) as failure:
        run(bmc, FakeModule(params(tmp_path)))
    assert failure.value.details["before"]["boot"]["order"] == ["Boot0001", "Boot0002", "Boot0003"]
    assert failure.value.details["backup"].endswith(".json")


def test_the_boot_target_defaults_to_the_target_name_and_lun():
    assert configure_ops.boot_target({"iscsi_target": None, "target": {"name": TARGET_IQN, "lun": 1}}) == \
        {"name": TARGET_IQN, "lun": 1}
    assert configure_ops.boot_target({"iscsi_target": {"name": "iqn.x:y", "lun": None}, "target": None}) == \
        {"name": "iqn.x:y", "lun": None}


def test_step_results_drop_what_the_pass_reports_once():
    assert configure_ops._step_result({"changed": True, "diff": {}, "requests": [], "dialect": "dmtf", "x": 1}) == \
        {"changed": True, "x": 1}
    assert configure_ops._step_result(None) is None
    assert isinstance(Reply, type)


RESET = {"reboot": "auto", "reset_type": "ForceRestart", "graceful_timeout": 10, "force_when_no_os": True}


def test_reboot_auto_resets_after_the_writes_in_the_same_run(bmc, tmp_path):
    result = run(bmc, FakeModule(params(tmp_path, **RESET)))
    assert [(w[0], w[1]) for w in bmc.writes()] == [
        ("PATCH", SETTINGS2), ("PATCH", SYSTEM), ("POST", SYSTEM + "/Actions/ComputerSystem.Reset")]
    assert bmc.writes("POST")[0][2] == {"ResetType": "ForceRestart"}
    assert result["reset"]["changed"] is True and result["reset"]["since"]
    assert result["reset"]["power_state"] is None and bmc.requests[-1].startswith("POST ")  # no read-back


def test_reboot_auto_with_nothing_waiting_sends_no_reset_and_check_mode_sends_nothing(bmc, tmp_path):
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    result = run(bmc, FakeModule(params(iscsi=False, initiator=None, target=None,
                                        iscsi_target={"name": TARGET_IQN, "lun": 1}, **RESET)))
    assert result["reset"] is None and bmc.writes() == []
    always = {"reboot": "always", "reset_type": "ForceRestart", "graceful_timeout": 10, "force_when_no_os": True}
    checked = run(bmc, FakeModule(params(tmp_path, **always), check_mode=True))
    assert checked["reset"]["changed"] is True and checked["reset"]["reset_type"] == "ForceRestart"
    assert bmc.writes() == []


def test_an_uppercase_mac_is_matched_also_when_the_port_is_only_read(bmc):
    module = FakeModule(params(iscsi=False, initiator=None, target=None, iscsi_target={"name": TARGET_IQN, "lun": 1},
                               port={"mac": "AA-BB-CC-00-00-02", "adapter_id": None, "function_id": None}))
    result = run(bmc, module)
    assert result["before"]["port"]["mac"] == "aa:bb:cc:00:00:02"
    with pytest.raises(ValidationError, match="port.mac"):
        configure_ops.prepare(FakeModule(params(port={"mac": "not-a-mac", "adapter_id": None, "function_id": None})))


def test_an_unexpected_error_after_a_write_still_carries_the_before_state(bmc, tmp_path, monkeypatch):
    def broken(module, client, prepared):
        if not module.check_mode:
            raise KeyError("Boot")
        return real(module, client, prepared)

    real = boot_order_ops.run
    monkeypatch.setattr(boot_order_ops, "run", broken)
    with pytest.raises(SanbootError, match="KeyError") as failure:
        run(bmc, FakeModule(params(tmp_path)))
    assert failure.value.details["before"]["boot"]["order"] == ["Boot0001", "Boot0002", "Boot0003"]
    assert [w[1] for w in bmc.writes()] == [SETTINGS2]


def test_a_backup_that_cannot_be_written_fails_before_any_write(bmc, tmp_path):
    (tmp_path / "backups").write_text("a file, not a directory")
    with pytest.raises(SanbootError, match="backup_dir: cannot write the before-state"):
        run(bmc, FakeModule(params(tmp_path)))
    assert bmc.writes() == []
