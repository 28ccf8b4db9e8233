# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The isolated first boot (issue 14): configure disables the other options before the reset that
lists the iSCSI option, wait_for_boot's first_enabled proves the boot through it, boot_order enables
them again with the order put first and read back; dialects that cannot do it say why."""

from __future__ import annotations

import json

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_order_ops, configure_ops, first_boot, wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell import DellDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe import HpeDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo import LenovoDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro import SupermicroDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import RedfishError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import (
    SETTINGS2, SYSTEM, TARGET_IQN, FakeBMC, FakeModule, iscsi_boot_params)

OPT = SYSTEM + "/BootOptions/"
SECRET = "chap-secret-01"


def fresh_host(bmc, cd_enabled=True):
    """The fake BMC before a first rollout: no iSCSI option listed yet, every option with BootOptionEnabled."""
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0001", "Boot0002"]
    bmc.tree[SYSTEM + "/BootOptions"]["Members"] = [{"@odata.id": OPT + "0001"}, {"@odata.id": OPT + "0002"}]
    bmc.tree[OPT + "0001"].update({"@odata.id": OPT + "0001", "BootOptionEnabled": True})
    bmc.tree[OPT + "0002"].update({"@odata.id": OPT + "0002", "BootOptionEnabled": cd_enabled})
    return bmc


def after_isolated_boot(bmc):
    """The same host after its isolated first boot: the firmware added Boot0003 (iSCSI) behind the others, disabled."""
    fresh_host(bmc)
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0001", "Boot0002", "Boot0003"]
    bmc.tree[SYSTEM + "/BootOptions"]["Members"].append({"@odata.id": OPT + "0003"})
    bmc.tree[OPT + "0003"]["@odata.id"] = OPT + "0003"
    for ref in ("0001", "0002"):
        bmc.tree[OPT + ref]["BootOptionEnabled"] = False
    return bmc


def configure_params(tmp_path, **changes):
    base = iscsi_boot_params({}, {"mac": "aa:bb:cc:00:00:02", "adapter_id": None, "function_id": None}, SECRET, 1,
                             target_name=TARGET_IQN)
    base.pop("state")
    base.update(iscsi=True, iscsi_target=None, system_id=None, backup_dir=str(tmp_path / "backups"), backup_name="esxi01",
                verify=False, host_address=None, host_port=443, wait_timeout=60, poll_interval=1, isolate_first_boot=True,
                reboot="auto", reset_type="ForceRestart", graceful_timeout=1, force_when_no_os=True)
    base.update(changes)
    return base


def configure(bmc, module):
    return configure_ops.run(module, bmc, configure_ops.prepare(module))


def order_params(**changes):
    base = {"iscsi_target": {"name": TARGET_IQN, "lun": 1}, "display_name": None, "mode": "persistent", "order": None,
            "override_target": None, "override_enabled": "Once", "fail_on_missing": True, "system_id": None,
            "enable_options": ["Boot0001", "Boot0002"], "read_back": True, "reboot": "never"}
    base.update(changes)
    return base


# -- the plan ---------------------------------------------------------------------------------------

def test_the_plan_disables_the_enabled_options_of_the_order():
    system = {"Boot": {"BootOrder": ["Boot0001", "Boot0002", "Boot0004"]}}
    options = {"Boot0001": {"BootOptionEnabled": True}, "Boot0002": {"BootOptionEnabled": False},
               "Boot0004": {"BootOptionEnabled": True}, "Boot0009": {"BootOptionEnabled": True}}   # not in the order
    assert first_boot.plan(DmtfDialect(), system, options, True) == \
        {"isolated": True, "disabled": ["Boot0001", "Boot0004"], "why_not": None}
    assert first_boot.enabled_map(system, options) == {"Boot0001": True, "Boot0002": False, "Boot0004": True}


@pytest.mark.parametrize("options, why", [
    ({}, "lists no boot options"),
    ({"Boot0001": {"BootOptionEnabled": True}, "Boot0002": {}}, "Boot0002 carry no BootOptionEnabled"),
    ({"Boot0001": {"BootOptionEnabled": True, "UefiDevicePath": "MAC(1)/IPv4(1)/iSCSI(iqn.x,0x1,0x0,None,None,None,TCP)"}},
     "iSCSI boot option Boot0001 is listed already"),
])
def test_the_plan_says_why_it_cannot_isolate(options, why):
    planned = first_boot.plan(DmtfDialect(), {"Boot": {"BootOrder": list(options)}}, options, True)
    assert not planned["isolated"] and planned["disabled"] == [] and why in planned["why_not"]


def test_not_asked_for_is_said_so():
    assert first_boot.plan(DmtfDialect(), {}, {"Boot0001": {"BootOptionEnabled": True}}, False)["why_not"] == \
        "isolate_first_boot is false"


@pytest.mark.parametrize("dialect, words", [(DellDialect, "BIOS configuration job"), (HpeDialect, "no BootOptionEnabled"),
                                            (LenovoDialect, "stages a boot order"), (SupermicroDialect, "FixedBootOrder")])
def test_vendor_dialects_whose_order_applies_at_a_reset_say_why(dialect, words):
    options = {"Boot0001": {"BootOptionEnabled": True}}
    planned = first_boot.plan(dialect(), {"Boot": {"BootOrder": ["Boot0001"]}}, options, True)
    assert not planned["isolated"] and words in planned["why_not"]


def test_first_enabled_skips_disabled_options_and_counts_an_unserved_one_as_enabled():
    system = {"Boot": {"BootOrder": ["Boot0001", "Boot0002", "Boot0003"]}}
    options = {"Boot0001": {"BootOptionEnabled": False}, "Boot0002": {"BootOptionEnabled": False}, "Boot0003": {}}
    assert first_boot.first_enabled(system, options) == ("Boot0003", ["Boot0001", "Boot0002"])
    assert first_boot.first_enabled({"Boot": {"BootOrder": ["Boot0001"]}}, options) == (None, ["Boot0001"])
    # an option the BMC does not serve may have booted: it is not skipped
    unserved = {"Boot": {"BootOrder": ["Boot0001", "Boot0007", "Boot0003"]}}
    assert first_boot.first_enabled(unserved, options) == ("Boot0007", ["Boot0001"])


@pytest.mark.parametrize("boot, why", [
    ({"BootSourceOverrideEnabled": "Once", "BootSourceOverrideTarget": "Hdd"}, "a boot override is set (BootSourceOverrideTarget Hdd, Once)"),
    ({"BootNext": "Boot0002", "BootSourceOverrideEnabled": "Disabled"}, "BootNext is set (Boot0002)"),
    ({"BootOrder": ["Boot0001", "Boot0007"]}, "BootOrder names Boot0007, which the BMC does not serve"),
])
def test_what_would_defeat_the_isolation_blocks_it(boot, why):
    system = {"Boot": dict({"BootOrder": ["Boot0001"]}, **boot)}
    planned = first_boot.plan(DmtfDialect(), system, {"Boot0001": {"BootOptionEnabled": True}}, True)
    assert not planned["isolated"] and why in planned["why_not"], planned


def test_an_order_with_no_enabled_option_is_not_isolated_again():
    """An interrupted run may have disabled them all: isolating again would record them as disabled before, and a
    failed boot would leave nothing to boot."""
    planned = first_boot.plan(DmtfDialect(), {"Boot": {"BootOrder": ["Boot0001"]}}, {"Boot0001": {"BootOptionEnabled": False}}, True)
    assert not planned["isolated"] and "no option of the boot order is enabled" in planned["why_not"]


def test_no_isolation_without_a_reset_in_the_pass():
    planned = first_boot.plan(DmtfDialect(), {"Boot": {"BootOrder": ["Boot0001"]}}, {"Boot0001": {"BootOptionEnabled": True}},
                              True, reset_follows=False)
    assert not planned["isolated"] and "reboot: never" in planned["why_not"]


# -- configure ----------------------------------------------------------------------------------------

def test_configure_disables_the_other_options_after_the_iscsi_write_and_saves_them_first(tmp_path):
    bmc = fresh_host(FakeBMC())
    result = configure(bmc, FakeModule(configure_params(tmp_path)))
    assert [w[:3] for w in bmc.writes()][1:] == [("PATCH", OPT + "0001", {"BootOptionEnabled": False}),
                                                 ("PATCH", OPT + "0002", {"BootOptionEnabled": False}),
                                                 ("POST", SYSTEM + "/Actions/ComputerSystem.Reset", {"ResetType": "ForceRestart"})]
    assert result["reset"]["changed"]
    assert bmc.writes()[0][:2] == ("PATCH", SETTINGS2)
    assert result["first_boot"] == {"isolated": True, "disabled": ["Boot0001", "Boot0002"], "why_not": None}
    assert result["changed"] and result["reboot_required"] and result["order"]["option_missing"]
    saved = json.loads(open(result["backup"]).read())
    assert saved["boot"]["enabled"] == {"Boot0001": True, "Boot0002": True}
    assert result["diff"]["after"]["disabled_for_first_boot"] == ["Boot0001", "Boot0002"]


def test_configure_leaves_an_option_disabled_before_alone(tmp_path):
    bmc = fresh_host(FakeBMC(), cd_enabled=False)
    result = configure(bmc, FakeModule(configure_params(tmp_path)))
    assert [w[1] for w in bmc.writes("PATCH")] == [SETTINGS2, OPT + "0001"]
    assert result["first_boot"]["disabled"] == ["Boot0001"] and result["before"]["boot"]["enabled"]["Boot0002"] is False


def test_configure_in_check_mode_says_what_it_would_disable_and_writes_nothing(tmp_path):
    bmc = fresh_host(FakeBMC())
    result = configure(bmc, FakeModule(configure_params(tmp_path), check_mode=True))
    assert bmc.writes() == [] and result["first_boot"]["disabled"] == ["Boot0001", "Boot0002"]


def test_configure_without_isolation_disables_nothing(tmp_path):
    bmc = fresh_host(FakeBMC())
    result = configure(bmc, FakeModule(configure_params(tmp_path, isolate_first_boot=False)))
    assert [w[1] for w in bmc.writes("PATCH")] == [SETTINGS2]
    assert result["first_boot"] == {"isolated": False, "disabled": [], "why_not": "isolate_first_boot is false"}


def test_configure_with_the_option_listed_plans_no_first_boot(tmp_path):
    bmc = FakeBMC()     # Boot0003, the iSCSI option, is listed: the order is written, nothing disabled
    result = configure(bmc, FakeModule(configure_params(tmp_path)))
    assert result["first_boot"] is None and [w[1] for w in bmc.writes("PATCH")] == [SETTINGS2, SYSTEM]


def test_configure_with_reboot_never_disables_nothing(tmp_path):
    """Nothing would follow to enable them again: no reset, no wait, no second pass."""
    bmc = fresh_host(FakeBMC())
    result = configure(bmc, FakeModule(configure_params(tmp_path, reboot="never")))
    assert [w[1] for w in bmc.writes()] == [SETTINGS2] and result["reset"] is None
    assert not result["first_boot"]["isolated"] and "reboot: never" in result["first_boot"]["why_not"]


def test_a_refused_disable_fails_with_the_ones_disabled_so_far_for_the_rollback(tmp_path):
    bmc = fresh_host(FakeBMC())
    bmc.script[("PATCH", OPT + "0002")] = [RedfishError("PATCH", OPT + "0002", 400, {})]
    with pytest.raises(SanbootError) as caught:
        configure(bmc, FakeModule(configure_params(tmp_path)))
    details = caught.value.details
    assert details["first_boot"]["disabled"] == ["Boot0001"]
    assert details["before"]["boot"]["enabled"] == {"Boot0001": True, "Boot0002": True}


# -- wait_for_boot first_enabled ----------------------------------------------------------------------

def wait_params(**changes):
    base = {"state": "OSRunning", "since": "2026-01-01T09:59:00Z", "iscsi_target": {"name": TARGET_IQN, "lun": 1},
            "boot_option": None, "system_id": None, "wait_timeout": 60, "poll_interval": 10, "first_enabled": True}
    base.update(changes)
    return base


def test_an_isolated_boot_is_proven_by_the_first_enabled_option(fast_clock):
    bmc = after_isolated_boot(FakeBMC())
    result = wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)
    assert result["booted"] and result["boot_option"]["reference"] == "Boot0003"
    assert "Boot0001, Boot0002 disabled ahead of it" in result["boot_option"]["through"]


def test_an_enabled_option_ahead_fails_the_proof(fast_clock):
    bmc = after_isolated_boot(FakeBMC())
    bmc.tree[OPT + "0002"]["BootOptionEnabled"] = True
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)
    assert "Boot0002, not Boot0003" in caught.value.message and "may have booted from it" in caught.value.message


def test_without_first_enabled_the_option_must_be_first(fast_clock):
    bmc = after_isolated_boot(FakeBMC())
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(wait_params(first_enabled=False)), bmc, None)
    assert "is not first in the boot order" in caught.value.message


def test_first_enabled_is_refused_on_a_dialect_that_cannot_isolate(fast_clock, monkeypatch):
    bmc = after_isolated_boot(FakeBMC())
    monkeypatch.setattr(DmtfDialect, "isolation_unsupported", "its order applies at a reset")
    with pytest.raises(SanbootError) as caught:
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)
    assert "cannot prove a boot this way: its order applies at a reset" in caught.value.message


# -- boot_order enable_options and read_back -----------------------------------------------------------

def test_the_order_is_put_first_the_options_enabled_and_read_back_without_a_reset():
    bmc = after_isolated_boot(FakeBMC())
    original = bmc._write

    def write(method, uri, body, etag=None):    # the BMC applies what it is sent at once (dmtf)
        if uri == SYSTEM:
            bmc.tree[SYSTEM]["Boot"].update(body["Boot"])
        elif uri.startswith(OPT):
            bmc.tree[uri].update(body)
        return original(method, uri, body, etag)

    bmc._write = write
    result = boot_order_ops.run(FakeModule(order_params()), bmc, None)
    assert [w[:3] for w in bmc.writes()] == [
        ("PATCH", SYSTEM, {"Boot": {"BootOrder": ["Boot0003", "Boot0001", "Boot0002"]}}),
        ("PATCH", OPT + "0001", {"BootOptionEnabled": True}), ("PATCH", OPT + "0002", {"BootOptionEnabled": True})]
    assert result["changed"] and result["reset"] is None
    assert result["options_enabled"] == {"enabled": ["Boot0001", "Boot0002"], "missing": []}
    assert result["read_back"] == {"order": ["Boot0003", "Boot0001", "Boot0002"], "enabled": ["Boot0001", "Boot0002"]}


def test_a_read_back_that_differs_fails():
    bmc = after_isolated_boot(FakeBMC())     # the BMC answers the PATCHes but keeps what it had
    with pytest.raises(SanbootError) as caught:
        boot_order_ops.run(FakeModule(order_params()), bmc, None)
    assert "reads back otherwise (BootOrder, Boot0001 disabled, Boot0002 disabled)" in caught.value.message


def test_enabling_alone_needs_no_reset_and_names_options_no_longer_listed():
    bmc = after_isolated_boot(FakeBMC())
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    module = FakeModule(order_params(enable_options=["Boot0002", "Boot0009"], read_back=False, reboot="auto",
                                     reset_type="GracefulRestart", graceful_timeout=30, force_when_no_os=True, poll_interval=1))
    result = boot_order_ops.run(module, bmc, None)
    assert [w[:3] for w in bmc.writes()] == [("PATCH", OPT + "0002", {"BootOptionEnabled": True})]
    assert result["changed"] and result["reset"] is None
    assert result["options_enabled"] == {"enabled": ["Boot0002"], "missing": ["Boot0009"]}


def test_enabling_in_check_mode_writes_nothing():
    bmc = after_isolated_boot(FakeBMC())
    result = boot_order_ops.run(FakeModule(order_params(), check_mode=True), bmc, None)
    assert bmc.writes() == [] and result["options_enabled"]["enabled"] == ["Boot0001", "Boot0002"] and result["changed"]


def test_enable_options_alone_only_enables():
    bmc = after_isolated_boot(FakeBMC())
    module = FakeModule(order_params(iscsi_target=None, enable_options=["Boot0001"], read_back=False))
    boot_order_ops.prepare(module)
    result = boot_order_ops.run(module, bmc, None)
    assert [w[:3] for w in bmc.writes()] == [("PATCH", OPT + "0001", {"BootOptionEnabled": True})]
    assert result["changed"] and result["options_enabled"]["enabled"] == ["Boot0001"]
    with pytest.raises(SanbootError):
        boot_order_ops.prepare(FakeModule(order_params(iscsi_target=None, enable_options=None)))


def test_an_order_the_bmc_refuses_still_enables_the_options_before_failing():
    """The rollback's restore: a refused order must not leave the options disabled."""
    bmc = after_isolated_boot(FakeBMC())
    bmc.script[("PATCH", SYSTEM)] = [RedfishError("PATCH", SYSTEM, 400, {})]
    module = FakeModule(order_params(iscsi_target=None, order=["Boot0003"], read_back=False))
    with pytest.raises(SanbootError) as caught:
        boot_order_ops.run(module, bmc, None)
    assert [w[1] for w in bmc.writes()] == [SYSTEM, OPT + "0001", OPT + "0002"]
    assert caught.value.details["options_enabled"] == {"enabled": ["Boot0001", "Boot0002"], "missing": []}


# -- a run killed after the isolation ------------------------------------------------------------------

def test_the_mark_of_an_interrupted_isolation_is_every_other_option_disabled():
    dialect = DmtfDialect()
    iscsi = {"BootOptionEnabled": True, "UefiDevicePath": "MAC(1)/IPv4(1)/iSCSI(iqn.x,0x1,0x0,None,None,None,TCP)"}
    system = {"Boot": {"BootOrder": ["Boot0001", "Boot0002", "Boot0003"]}}
    options = {"Boot0001": {"BootOptionEnabled": False}, "Boot0002": {"BootOptionEnabled": False}, "Boot0003": iscsi}
    assert first_boot.left_isolated(dialect, system, options) == ["Boot0001", "Boot0002"]
    assert first_boot.left_isolated(dialect, system, dict(options, Boot0002={"BootOptionEnabled": True})) == []
    assert first_boot.left_isolated(dialect, {"Boot": {"BootOrder": ["Boot0003"]}}, options) == []    # nothing else
    assert first_boot.left_isolated(HpeDialect(), system, options) == []


def test_a_rerun_before_the_interrupted_reset_isolates_again_and_counts_them_enabled_before(tmp_path):
    bmc = fresh_host(FakeBMC())
    for ref in ("0001", "0002"):
        bmc.tree[OPT + ref]["BootOptionEnabled"] = False     # the killed run disabled them, then died before its reset
    result = configure(bmc, FakeModule(configure_params(tmp_path)))
    assert result["first_boot"] == {"isolated": True, "disabled": ["Boot0001", "Boot0002"], "why_not": None}
    assert result["before"]["boot"]["enabled"] == {"Boot0001": True, "Boot0002": True}
    assert [w[1] for w in bmc.writes("PATCH")] == [SETTINGS2]          # nothing to disable again
    assert result["reset"]["changed"]


def applied_and_booted(bmc):
    """The killed run's isolated boot happened: the iSCSI values applied, Boot0003 added behind the disabled others,
    the host running since."""
    after_isolated_boot(bmc)
    bmc.tree[SETTINGS2].update(BootMode="iSCSI")
    return bmc


def test_a_rerun_after_the_interrupted_boot_proves_it_and_finishes_without_a_reset(tmp_path, fast_clock, monkeypatch):
    bmc = applied_and_booted(FakeBMC())
    planned = {"changed": False, "reboot_required": False}
    monkeypatch.setattr(configure_ops.iscsi_boot_ops, "run", lambda module, client, desired: dict(planned))
    result = configure(bmc, FakeModule(configure_params(tmp_path, verify=True)))
    assert result["first_boot"]["resumed"] and result["first_boot"]["isolated"]
    assert result["first_boot"]["enabled_again"] == ["Boot0001", "Boot0002"]
    assert result["boot"]["boot_option"]["reference"] == "Boot0003" and result["reset"] is None
    assert [w[:3] for w in bmc.writes()] == [
        ("PATCH", SYSTEM, {"Boot": {"BootOrder": ["Boot0003", "Boot0001", "Boot0002"]}}),
        ("PATCH", OPT + "0001", {"BootOptionEnabled": True}), ("PATCH", OPT + "0002", {"BootOptionEnabled": True})]
    assert result["before"]["boot"]["enabled"] == {"Boot0001": True, "Boot0002": True, "Boot0003": True}


def test_without_verify_the_rerun_enables_them_and_resets_through_the_order(tmp_path, monkeypatch):
    bmc = applied_and_booted(FakeBMC())
    planned = {"changed": False, "reboot_required": False}
    monkeypatch.setattr(configure_ops.iscsi_boot_ops, "run", lambda module, client, desired: dict(planned))
    result = configure(bmc, FakeModule(configure_params(tmp_path, verify=False)))
    assert not result["first_boot"]["isolated"] and "could not be proven" in result["first_boot"]["why_not"]
    assert [w[1] for w in bmc.writes()] == [SYSTEM, OPT + "0001", OPT + "0002", SYSTEM + "/Actions/ComputerSystem.Reset"]
    assert result["reboot_required"] and result["reset"]["changed"]


def test_every_other_option_disabled_behind_a_first_iscsi_option_is_the_owners_choice(tmp_path, fast_clock, monkeypatch):
    """The mark counts only while the iSCSI option is not first: once the order is persisted, options disabled
    behind it are left as they are (the run is idempotent for a host kept that way)."""
    bmc = applied_and_booted(FakeBMC())
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0001", "Boot0002"]
    planned = {"changed": False, "reboot_required": False}
    monkeypatch.setattr(configure_ops.iscsi_boot_ops, "run", lambda module, client, desired: dict(planned))
    result = configure(bmc, FakeModule(configure_params(tmp_path, verify=True)))
    assert bmc.writes() == [] and not result["changed"] and result["first_boot"] is None
    assert result["boot"]["boot_option"]["reference"] == "Boot0003"
