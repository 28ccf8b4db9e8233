# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import SYSTEM, TARGET_IQN, FakeModule

SINCE = "2026-01-01T10:00:00Z"


def params(**changes):
    base = {"state": "OSRunning", "since": SINCE, "iscsi_target": None, "boot_option": None, "system_id": None,
            "wait_timeout": 60, "poll_interval": 10}
    base.update(changes)
    return base


def states(bmc, *steps):
    """Successive system bodies: (power, LastState, LastStateTime[, OemLastState])."""
    bodies = []
    for step in steps:
        body = copy.deepcopy(bmc.tree[SYSTEM])
        body["PowerState"] = step[0]
        body["BootProgress"] = {"LastState": step[1], "LastStateTime": step[2]}
        if len(step) > 3:
            body["BootProgress"]["OemLastState"] = step[3]
        bodies.append(body)
    bmc.script[("GET", SYSTEM)] = bodies


def test_prepare_validates_target_and_since():
    module = FakeModule(params(iscsi_target={"name": "IQN.2005-10.org.freenas.ctl:ESXI01", "lun": 1}))
    assert wait_for_boot_ops.prepare(module) is None
    assert module.params["iscsi_target"]["name"] == TARGET_IQN
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.prepare(FakeModule(params(since="after lunch")))
    assert caught.value.details == {"field": "since"}
    with pytest.raises(SanbootError):
        wait_for_boot_ops.prepare(FakeModule(params(iscsi_target={"name": "iqn.nope"})))


def test_waits_until_os_running_after_since(bmc, fast_clock):
    states(bmc,
           ("On", "OSRunning", "2026-01-01T09:00:00Z"),                         # the previous boot: too old
           ("On", "PrimaryProcessorInitializationStarted", "2026-01-01T10:00:10Z"),
           ("On", "OSBootStarted", "2026-01-01T10:00:40Z"),
           ("On", "OSRunning", "2026-01-01T10:00:50Z"))
    result = wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    assert result["booted"] is True and result["changed"] is False
    assert result["state"] == "OSRunning" and result["state_time"] == "2026-01-01T10:00:50Z"
    assert [e["state"] for e in result["timeline"]] == ["OSRunning", "PrimaryProcessorInitializationStarted",
                                                        "OSBootStarted", "OSRunning"]
    assert [e["seen_after_s"] for e in result["timeline"]] == [0, 10, 25, 47.5]
    assert fast_clock.sleeps == [10, 15.0, 22.5]      # backing off from poll_interval
    assert "boot_option" not in result


def test_timeline_records_changes_only(bmc, fast_clock):
    states(bmc, ("On", "OSBootStarted", "2026-01-01T10:00:10Z"), ("On", "OSBootStarted", "2026-01-01T10:00:10Z"),
           ("On", "OSRunning", "2026-01-01T10:00:30Z"))
    result = wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    assert [e["state"] for e in result["timeline"]] == ["OSBootStarted", "OSRunning"]


def test_os_boot_started_is_enough_when_asked(bmc, fast_clock):
    states(bmc, ("On", "OSBootStarted", "2026-01-01T10:00:10Z"))
    assert wait_for_boot_ops.run(FakeModule(params(state="OSBootStarted")), bmc, None)["state"] == "OSBootStarted"


def test_power_must_be_on(bmc, fast_clock):
    states(bmc, ("Off", "OSRunning", "2026-01-01T10:00:10Z"), ("On", "OSRunning", "2026-01-01T10:00:20Z"))
    result = wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    assert result["timeline"][0]["power"] == "Off"
    assert len(result["timeline"]) == 2


def test_timeout_fails_with_timeline_and_the_iscsi_log_cause(bmc, fast_clock):
    states(bmc, *[("On", "OEM", "2026-01-01T10:00:10Z", "iSCSILogin")] * 10)
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    exc = caught.value
    assert exc.message == ("the host did not reach OSRunning within 60 s (last state: OEM:iSCSILogin): "
                           "iSCSI login failed: authentication failure")
    assert exc.details["booted"] is False
    assert exc.details["timeline"] == [{"state": "OEM:iSCSILogin", "time": "2026-01-01T10:00:10Z", "power": "On",
                                        "seen_after_s": 0}]
    assert [e["created"] for e in exc.details["log_entries"]] == ["2026-01-01T10:00:01Z", "2026-01-01T10:00:05Z"]
    assert sum(fast_clock.sleeps) == 60


def test_no_bootable_device_fails_at_once(bmc, fast_clock):
    states(bmc, ("On", "OEM", "2026-01-01T10:00:20Z", "NoBootableDevice"))
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    assert caught.value.message.startswith("the host found no bootable device: iSCSI login failed")
    assert fast_clock.sleeps == []


def test_stale_no_bootable_device_is_not_a_failure(bmc, fast_clock):
    states(bmc, ("On", "OEM", "2026-01-01T09:00:00Z", "NoBootableDevice"), ("On", "OSRunning", "2026-01-01T10:00:20Z"))
    assert wait_for_boot_ops.run(FakeModule(params()), bmc, None)["booted"] is True


def test_failure_cause_falls_back_to_other_warnings(bmc, fast_clock):
    entries = bmc.tree[SYSTEM + "/LogServices/Log/Entries"]["Members"]
    entries.pop()                                              # no iSCSI complaint left
    states(bmc, ("On", "OEM", "2026-01-01T10:00:20Z", "NoBootableDevice"))
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(params()), bmc, None)
    assert caught.value.message == "the host found no bootable device: Boot option Boot0001 failed"


def test_evidence_of_the_iscsi_option(bmc, fast_clock):
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    states(bmc, ("On", "OSRunning", "2026-01-01T10:00:20Z"))
    bmc.script[("GET", SYSTEM)][0]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    result = wait_for_boot_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 1})), bmc, None)
    assert result["boot_option"] == {"reference": "Boot0003", "display_name": "UEFI iSCSI esxi01",
                                     "device_path": bmc.tree[SYSTEM + "/BootOptions/0003"]["UefiDevicePath"]}


def test_evidence_through_boot_next_option(bmc, fast_clock):
    states(bmc, ("On", "OSRunning", "2026-01-01T10:00:20Z"))                # Boot0003 is last in BootOrder
    module = FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 1}, boot_option="Boot0003"))
    result = wait_for_boot_ops.run(module, bmc, None)
    assert result["boot_option"]["reference"] == "Boot0003"


def test_option_not_first_fails(bmc, fast_clock):
    states(bmc, ("On", "OSRunning", "2026-01-01T10:00:20Z"))
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 1})), bmc, None)
    assert "Boot0003 (the option of %s) is not first in the boot order (Boot0001, Boot0002, Boot0003)" % TARGET_IQN \
        in caught.value.message


def test_option_missing_fails(bmc, fast_clock):
    states(bmc, ("On", "OSRunning", "2026-01-01T10:00:20Z"))
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 7})), bmc, None)
    assert "lists no boot option for %s LUN 7" % TARGET_IQN in caught.value.message


def test_check_mode_reads_once(bmc, fast_clock):
    result = wait_for_boot_ops.run(FakeModule(params(since=None), check_mode=True), bmc, None)
    assert result["booted"] is True
    assert result["changed"] is False
    assert bmc.requests.count("GET %s" % SYSTEM) == 1
    result = wait_for_boot_ops.run(FakeModule(params(), check_mode=True), bmc, None)
    assert result["booted"] is False                        # 10:00:00 is not after since=10:00:00
