# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import iscsi_boot_ops, tasks
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed, SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import MASK
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import (
    PORT1, PORT2, SETTINGS2, TARGET_IQN, FakeModule)

SECRET = "chap-secret-01"
MONITOR = "/redfish/v1/TaskService/TaskMonitors/3"


def params(**changes):
    base = {
        "state": "present", "port": None, "dialect": "auto", "apply_time": "auto", "chap_secret_update": "on_change",
        "initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.168.10.21", "netmask": "24",
                      "gateway": None, "primary_dns": None, "secondary_dns": None, "dhcp": False},
        "target": {"name": TARGET_IQN, "address": "192.168.10.5", "port": 3260, "lun": 1, "vlan_id": None},
        "secondary_target": None,
        "chap": {"username": "esxi01", "secret": SECRET, "mutual_username": None, "mutual_secret": None},
        "target_os": "esxi", "allow_ipv6": False, "task_timeout": 30, "poll_interval": 2,
    }
    base.update(changes)
    return base


def prepared(module):
    return iscsi_boot_ops.prepare(module)


def configure(bmc, desired, where=(PORT2, SETTINGS2)):
    """Make the BMC report `desired` (secrets read back as null) on the resource and/or settings."""
    for uri in where:
        bmc.tree[uri]["BootMode"] = "iSCSI"
        bmc.tree[uri]["iSCSIBoot"].update(desired, CHAPSecret=None)


# -- prepare ------------------------------------------------------------------------------------

def test_prepare_validates_and_protects_secrets():
    module = FakeModule(params(port={"mac": "AA-BB-CC-00-00-02", "adapter_id": None, "function_id": None}))
    desired = prepared(module)
    assert desired["PrimaryTargetName"] == TARGET_IQN
    assert desired["InitiatorNetmask"] == "255.255.255.0"
    assert module.params["port"]["mac"] == "aa:bb:cc:00:00:02"
    assert module.protected == [SECRET]


def test_prepare_absent_validates_nothing_else():
    module = FakeModule(params(state="absent", initiator=None, target=None, chap=None))
    assert prepared(module) == {}
    assert module.protected == []


def test_prepare_refuses_bad_mac_and_function_without_adapter():
    with pytest.raises(ValidationError) as caught:
        prepared(FakeModule(params(port={"mac": "aa:bb", "adapter_id": None, "function_id": None})))
    assert caught.value.field == "port.mac"
    with pytest.raises(SanbootError) as caught:
        prepared(FakeModule(params(port={"mac": None, "adapter_id": None, "function_id": "2"})))
    assert caught.value.details == {"field": "port"}


def test_prepare_refuses_invalid_iscsi_values():
    with pytest.raises(ValidationError) as caught:
        prepared(FakeModule(params(target=dict(params()["target"], vlan_id=4095))))
    assert caught.value.field == "target.vlan_id"


# -- run ----------------------------------------------------------------------------------------

def test_run_configures_a_blank_port_on_reset(bmc):
    bmc.etags[SETTINGS2] = 'W/"s1"'
    module = FakeModule(params())
    result = iscsi_boot_ops.run(module, bmc, prepared(module))
    assert len(bmc.writes()) == 1
    method, uri, body, etag = bmc.writes()[0]
    assert (method, uri, etag) == ("PATCH", SETTINGS2, 'W/"s1"')
    assert body["BootMode"] == "iSCSI"
    assert body["@Redfish.SettingsApplyTime"] == {"ApplyTime": "OnReset"}
    assert body["iSCSIBoot"]["PrimaryTargetName"] == TARGET_IQN
    assert body["iSCSIBoot"]["PrimaryLUN"] == 1
    assert body["iSCSIBoot"]["CHAPSecret"] == SECRET
    assert result["changed"] is True
    assert result["apply_time"] == "OnReset"
    assert result["reboot_required"] is True
    assert result["pending"] == {}
    assert result["port"]["uri"] == PORT2
    assert result["before"]["BootMode"] == "Disabled"
    assert result["after"]["BootMode"] == "iSCSI"
    assert result["after"]["iSCSIBoot"]["CHAPSecret"] == MASK
    assert SECRET not in repr(result)
    assert "task" not in result


def test_run_second_time_changes_nothing(bmc):
    module = FakeModule(params())
    desired = prepared(module)
    configure(bmc, desired)
    result = iscsi_boot_ops.run(module, bmc, desired)
    assert result["changed"] is False
    assert result["reboot_required"] is False
    assert bmc.writes() == []


def test_run_pending_already_reports_reboot(bmc):
    module = FakeModule(params())
    desired = prepared(module)
    configure(bmc, desired, where=(SETTINGS2,))
    result = iscsi_boot_ops.run(module, bmc, desired)
    assert result["changed"] is False
    assert result["reboot_required"] is True
    assert result["pending"]["BootMode"] == "iSCSI"
    assert result["pending"]["iSCSIBoot"]["PrimaryTargetName"] == TARGET_IQN
    assert bmc.writes() == []


def test_run_check_mode_sends_nothing(bmc):
    module = FakeModule(params(), check_mode=True)
    result = iscsi_boot_ops.run(module, bmc, prepared(module))
    assert result["changed"] is True
    assert bmc.writes() == []


def test_run_absent(bmc):
    module = FakeModule(params())
    configure(bmc, prepared(module))
    absent = FakeModule(params(state="absent", apply_time="Immediate"))
    result = iscsi_boot_ops.run(absent, bmc, prepared(absent))
    assert bmc.writes() == [("PATCH", SETTINGS2, {"BootMode": "Disabled",
                                                  "@Redfish.SettingsApplyTime": {"ApplyTime": "Immediate"}}, None)]
    assert result["after"]["BootMode"] == "Disabled"


def test_run_port_by_mac_must_be_iscsi_capable(bmc):
    module = FakeModule(params(port={"mac": "aa:bb:cc:00:00:01", "adapter_id": None, "function_id": None}))
    with pytest.raises(SanbootError) as caught:
        iscsi_boot_ops.run(module, bmc, prepared(module))
    assert PORT1 in caught.value.message and "is not iSCSI-capable" in caught.value.message


def test_run_refuses_unsupported_apply_time_before_writing(bmc):
    bmc.tree[PORT2]["@Redfish.Settings"]["SupportedApplyTimes"] = ["OnReset"]
    module = FakeModule(params(apply_time="Immediate"))
    with pytest.raises(ValidationError) as caught:
        iscsi_boot_ops.run(module, bmc, prepared(module))
    assert caught.value.field == "apply_time"
    assert bmc.writes() == []


def test_run_replans_after_412(bmc):
    module = FakeModule(params())
    desired = prepared(module)
    bmc.script[("PATCH", SETTINGS2)] = [PreconditionFailed("PATCH", SETTINGS2, 412, None)]
    # Our first read sees the blank port; between it and our PATCH someone else staged our values
    # but with LUN 0, so the re-read and re-plan must send only the LUN (and the secret).
    bmc.script[("GET", SETTINGS2)] = [copy.deepcopy(bmc.tree[SETTINGS2])]
    bmc.tree[SETTINGS2]["iSCSIBoot"].update({k: v for k, v in desired.items() if k != "PrimaryLUN"}, CHAPSecret=None)
    bmc.tree[SETTINGS2]["BootMode"] = "iSCSI"
    result = iscsi_boot_ops.run(module, bmc, desired)
    patches = bmc.writes("PATCH")
    assert len(patches) == 2
    assert patches[1][2]["iSCSIBoot"] == {"PrimaryLUN": 1, "CHAPSecret": SECRET}    # re-planned against the new state
    assert "BootMode" not in patches[1][2]
    assert result["changed"] is True


def test_run_412_then_nothing_left_to_do(bmc):
    module = FakeModule(params())
    desired = prepared(module)
    bmc.script[("PATCH", SETTINGS2)] = [PreconditionFailed("PATCH", SETTINGS2, 412, None)]
    bmc.script[("GET", SETTINGS2)] = [copy.deepcopy(bmc.tree[SETTINGS2])]
    configure(bmc, desired, where=(SETTINGS2,))              # the other writer staged exactly what we want
    result = iscsi_boot_ops.run(module, bmc, desired)
    assert len(bmc.writes("PATCH")) == 1
    # The first PATCH may have landed with its answer lost: the change is reported, not hidden.
    assert result["changed"] is True
    assert result["after"]["BootMode"] == "iSCSI"


def test_run_waits_for_the_task(bmc, fast_clock):
    bmc.script[("PATCH", SETTINGS2)] = [Reply(202, {}, {"Location": MONITOR})]
    bmc.script[("GET", MONITOR)] = [Reply(202, {"TaskState": "Running"}, {}),
                                    Reply(202, {"TaskState": "Running"}, {}),
                                    Reply(200, {"TaskState": "Completed", "TaskStatus": "OK"}, {})]
    module = FakeModule(params(apply_time="Immediate"))
    result = iscsi_boot_ops.run(module, bmc, prepared(module))
    assert result["task"] == {"uri": MONITOR, "state": "Completed", "status": "OK"}
    assert fast_clock.sleeps == [2, 3.0]          # the poll interval backs off (waiter.intervals)


def test_failed_task_fails_with_its_messages(bmc, fast_clock):
    bmc.script[("GET", MONITOR)] = [Reply(200, {"TaskState": "Exception", "TaskStatus": "Critical", "Messages": [
        {"Message": "The value 70000 for PrimaryTargetTCPPort is out of range."}, {"MessageId": "x"}]}, {})]
    with pytest.raises(SanbootError) as caught:
        tasks.wait_task(bmc, MONITOR, 30, 2)
    assert caught.value.message == "the BMC's task failed: The value 70000 for PrimaryTargetTCPPort is out of range."
    assert caught.value.details["task"]["TaskState"] == "Exception"


def test_task_that_never_ends_times_out(bmc, fast_clock):
    bmc.script[("GET", MONITOR)] = [Reply(202, {"TaskState": "Running"}, {})] * 20
    with pytest.raises(SanbootError) as caught:
        tasks.wait_task(bmc, MONITOR, 10, 2)
    assert caught.value.message == "task %s did not finish within 10 s" % MONITOR
    assert sum(fast_clock.sleeps) == 10


def test_task_failure_without_messages_names_the_state(bmc, fast_clock):
    bmc.script[("GET", MONITOR)] = [Reply(200, {"TaskState": "Killed"}, {})]
    with pytest.raises(SanbootError, match="task failed: Killed$"):
        tasks.wait_task(bmc, MONITOR, 10, 2)


def test_run_412_without_settings_object_rereads_the_port(bmc):
    # Regression: with no SettingsObject the port resource itself is PATCHed with its ETag; after a
    # 412 the re-plan used the port body and ETag read before, so the retry was bound to fail again.
    del bmc.tree[PORT2]["@Redfish.Settings"]
    bmc.etags[PORT2] = 'W/"1"'
    module = FakeModule(params())
    desired = prepared(module)

    def conflict():
        bmc.etags[PORT2] = 'W/"2"'                       # someone else wrote the port meanwhile...
        bmc.tree[PORT2]["BootMode"] = "iSCSI"            # ...enabling iSCSI, but with none of our values
        return PreconditionFailed("PATCH", PORT2, 412, None)

    class Conflict(list):                                 # a script entry that acts when it is reached
        def pop(self, index=-1):
            self.clear()
            return conflict()

    bmc.script[("PATCH", PORT2)] = Conflict([None])
    result = iscsi_boot_ops.run(module, bmc, desired)
    patches = bmc.writes("PATCH")
    assert [(p[1], p[3]) for p in patches] == [(PORT2, 'W/"1"'), (PORT2, 'W/"2"')]
    assert patches[0][2]["BootMode"] == "iSCSI"
    assert "BootMode" not in patches[1][2]                 # planned on what the port says now
    assert patches[1][2]["iSCSIBoot"]["PrimaryTargetName"] == TARGET_IQN
    assert "@Redfish.SettingsApplyTime" not in patches[1][2]
    assert result["apply_time"] == "Immediate"
    assert result["changed"] is True
