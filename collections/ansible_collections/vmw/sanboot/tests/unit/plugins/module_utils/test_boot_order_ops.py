# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_order_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import (
    PreconditionFailed, SanbootError, ValidationError)
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import (
    ISCSI_PATH, SYSTEM, TARGET_IQN, FakeBMC, FakeModule)

OPTIONS = {"Boot0001": {"DisplayName": "UEFI PXEv4"}, "Boot0002": {"DisplayName": "Virtual CD"},
           "Boot0003": {"DisplayName": "UEFI iSCSI esxi01", "UefiDevicePath": ISCSI_PATH}}
CURRENT = {"BootOrder": ["Boot0001", "Boot0002", "Boot0003"], "BootNext": None,
           "BootSourceOverrideTarget": "None", "BootSourceOverrideEnabled": "Disabled"}


def params(**changes):
    base = {"iscsi_target": None, "display_name": None, "mode": "persistent", "order": None, "override_target": None,
            "override_enabled": "Once", "fail_on_missing": False, "system_id": None}
    base.update(changes)
    return base


# -- desired_boot -------------------------------------------------------------------------------

def test_persistent_puts_the_option_first():
    assert boot_order_ops.desired_boot(params(), CURRENT, OPTIONS, "Boot0003") == \
        {"BootOrder": ["Boot0003", "Boot0001", "Boot0002"]}


def test_persistent_when_already_first_changes_nothing():
    current = dict(CURRENT, BootOrder=["Boot0003", "Boot0001", "Boot0002"])
    assert boot_order_ops.desired_boot(params(), current, OPTIONS, "Boot0003") == {}


def test_persistent_adds_an_option_missing_from_the_order():
    current = dict(CURRENT, BootOrder=["Boot0001"])
    assert boot_order_ops.desired_boot(params(), current, OPTIONS, "Boot0003") == {"BootOrder": ["Boot0003", "Boot0001"]}
    assert boot_order_ops.desired_boot(params(), dict(CURRENT, BootOrder=None), OPTIONS, "Boot0003") == \
        {"BootOrder": ["Boot0003"]}


def test_once_uses_boot_next():
    assert boot_order_ops.desired_boot(params(mode="once"), CURRENT, OPTIONS, "Boot0003") == \
        {"BootNext": "Boot0003", "BootSourceOverrideTarget": "UefiBootNext", "BootSourceOverrideEnabled": "Once"}


def test_once_only_sends_what_differs():
    current = dict(CURRENT, BootNext="Boot0003", BootSourceOverrideTarget="UefiBootNext")
    assert boot_order_ops.desired_boot(params(mode="once"), current, OPTIONS, "Boot0003") == \
        {"BootSourceOverrideEnabled": "Once"}


def test_explicit_order_keeps_the_rest_after_it():
    assert boot_order_ops.desired_boot(params(order=["Boot0002"]), CURRENT, OPTIONS, None) == \
        {"BootOrder": ["Boot0002", "Boot0001", "Boot0003"]}
    assert boot_order_ops.desired_boot(params(order=["Boot0001", "Boot0002"]), CURRENT, OPTIONS, None) == {}


def test_explicit_order_with_unknown_options_is_refused():
    with pytest.raises(ValidationError) as caught:
        boot_order_ops.desired_boot(params(order=["Boot0002", "Boot0009", "Boot000A"]), CURRENT, OPTIONS, None)
    assert caught.value.field == "order"
    assert caught.value.message == ("order: unknown boot options Boot0009, Boot000A "
                                    "(the BMC has: Boot0001, Boot0002, Boot0003)")


@pytest.mark.parametrize("enabled", ["Once", "Continuous"])
def test_override_target(enabled):
    assert boot_order_ops.desired_boot(params(override_target="Pxe", override_enabled=enabled), CURRENT, OPTIONS, None) == \
        {"BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": enabled}


def test_override_none_disables():
    current = dict(CURRENT, BootSourceOverrideTarget="Cd", BootSourceOverrideEnabled="Once")
    assert boot_order_ops.desired_boot(params(override_target="None"), current, OPTIONS, None) == \
        {"BootSourceOverrideTarget": "None", "BootSourceOverrideEnabled": "Disabled"}
    assert boot_order_ops.desired_boot(params(override_target="None"), CURRENT, OPTIONS, None) == {}


# -- prepare / find_option ----------------------------------------------------------------------

def test_prepare_folds_target_name():
    module = FakeModule(params(iscsi_target={"name": "IQN.2005-10.org.FreeNAS.ctl:ESXI01", "lun": 1}))
    assert boot_order_ops.prepare(module) is None
    assert module.params["iscsi_target"]["name"] == TARGET_IQN


@pytest.mark.parametrize("changes, field", [
    ({"iscsi_target": {"name": "iqn.bad", "lun": None}}, "iscsi_target.name"),
    ({"iscsi_target": {"name": TARGET_IQN, "lun": 16384}}, "iscsi_target.lun"),
    ({"iscsi_target": {"name": TARGET_IQN, "lun": -1}}, "iscsi_target.lun"),
    ({}, "iscsi_target"),
    ({"display_name": "x", "order": ["Boot0001"]}, "iscsi_target"),
    ({"order": ["Boot0001", "Boot0002", "Boot0001"]}, "order"),
])
def test_prepare_refuses(changes, field):
    with pytest.raises(ValidationError) as caught:
        boot_order_ops.prepare(FakeModule(params(**changes)))
    assert caught.value.field == field


def test_find_option():
    find = DmtfDialect().find_boot_option
    assert find(OPTIONS, TARGET_IQN, 1) == "Boot0003"
    assert find(OPTIONS, TARGET_IQN, None) == "Boot0003"
    assert find(OPTIONS, TARGET_IQN, 0) is None
    assert find(OPTIONS, display_name="Virtual CD") == "Boot0002"
    assert find(OPTIONS, display_name="nope") is None


# -- run ----------------------------------------------------------------------------------------

def test_run_puts_iscsi_first_with_if_match(bmc):
    bmc.etags[SYSTEM] = 'W/"sys1"'
    result = boot_order_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 1})), bmc, None)
    assert bmc.writes() == [("PATCH", SYSTEM, {"Boot": {"BootOrder": ["Boot0003", "Boot0001", "Boot0002"]}}, 'W/"sys1"')]
    assert result["changed"] is True
    assert result["option"] == {"reference": "Boot0003", "display_name": "UEFI iSCSI esxi01", "device_path": ISCSI_PATH,
                                "enabled": True}
    assert result["before"]["BootOrder"] == ["Boot0001", "Boot0002", "Boot0003"]
    assert result["after"]["BootOrder"] == ["Boot0003", "Boot0001", "Boot0002"]
    assert result["diff"] == {"before": result["before"], "after": result["after"]}


def test_run_idempotent(bmc):
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    result = boot_order_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 1})), bmc, None)
    assert result["changed"] is False
    assert bmc.writes() == []


def test_run_check_mode(bmc):
    result = boot_order_ops.run(FakeModule(params(display_name="UEFI iSCSI esxi01", mode="once"), check_mode=True), bmc, None)
    assert result["changed"] is True
    assert result["after"]["BootNext"] == "Boot0003"
    assert bmc.writes() == []


def test_run_option_missing_is_reported(bmc):
    result = boot_order_ops.run(FakeModule(params(iscsi_target={"name": TARGET_IQN, "lun": 2})), bmc, None)
    assert result["changed"] is False
    assert result["option_missing"] is True
    assert "the firmware enumerates it at the next reset" in result["msg"]
    assert bmc.writes() == []


def test_run_option_missing_can_fail(bmc):
    with pytest.raises(SanbootError) as caught:
        boot_order_ops.run(FakeModule(params(display_name="nope", fail_on_missing=True)), bmc, None)
    assert caught.value.details == {"option_missing": True}


def test_run_replans_once_after_412(bmc):
    conflict = PreconditionFailed("PATCH", SYSTEM, 412, None)
    bmc.script[("PATCH", SYSTEM)] = [conflict]
    result = boot_order_ops.run(FakeModule(params(order=["Boot0002"])), bmc, None)
    assert len(bmc.writes("PATCH")) == 2
    assert bmc.requests.count("GET %s" % SYSTEM) == 2          # read again before the second try
    assert result["changed"] is True


def test_run_gives_up_after_second_412(bmc):
    bmc.script[("PATCH", SYSTEM)] = [PreconditionFailed("PATCH", SYSTEM, 412, None),
                                     PreconditionFailed("PATCH", SYSTEM, 412, None)]
    with pytest.raises(PreconditionFailed):
        boot_order_ops.run(FakeModule(params(order=["Boot0002"])), bmc, None)
    assert len(bmc.writes("PATCH")) == 2


def test_run_override_reads_no_boot_option(bmc):
    """A one-time override names a target, not an option: the boot options are not read."""
    result = boot_order_ops.run(FakeModule(params(override_target="Pxe", override_enabled="Once")), bmc, None)
    assert result["changed"] is True
    assert not [r for r in bmc.requests if "BootOptions" in r]
    assert bmc.writes("PATCH")[-1][2] == {"Boot": {"BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"}}


def test_reboot_auto_resets_after_a_changed_order_and_not_after_no_change():
    bmc = FakeBMC()
    args = {"iscsi_target": {"name": TARGET_IQN, "lun": 1}, "display_name": None,
            "mode": "persistent", "order": None, "override_target": None, "override_enabled": "Once",
            "fail_on_missing": False, "system_id": None, "reboot": "auto", "reset_type": "ForceRestart",
            "graceful_timeout": 10, "force_when_no_os": True, "poll_interval": 1}
    module = FakeModule(dict(args))
    result = boot_order_ops.run(module, bmc, boot_order_ops.prepare(module))
    assert [(w[0], w[1]) for w in bmc.writes()] == [("PATCH", SYSTEM), ("POST", SYSTEM + "/Actions/ComputerSystem.Reset")]
    assert result["reset"]["reset_type"] == "ForceRestart"
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = result["after"]["BootOrder"]
    again = boot_order_ops.run(FakeModule(dict(args)), bmc, None)
    assert again["changed"] is False and again["reset"] is None and len(bmc.writes()) == 2
