# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rest of a Lenovo rollout: the boot order (the Network class first through /Systems/1/Pending, or
the OEM class order on older firmware, and the port's iSCSI entry first in the network order), pending
orders seen, the 412 retry; power (the NumberOfReboots marker, ForceOff-then-On, ActionInfo); and
wait_for_boot's verdicts (SystemStatus on xcc, BootProgress on xcc2, a failed login in the PlatformLog)."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import bmc_info_ops, boot_order_ops, dialect_lenovo_boot, power_ops, wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo import LenovoDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo_watch import marker, split_marker
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.resources import Port
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_lenovo import (
    CLASS_ORDER, DATETIME, ISCSI_ENTRY, LOGIN_FAILED, MAC1, NETWORK_ORDER, OCP_ENTRY, RESET_INFO, SYSTEM,
    SYSTEM_PENDING, FakeLenovo)
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.test_dialect_lenovo_iscsi import run as iscsi_boot

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 10}
ENTRY = ISCSI_ENTRY % (0, MAC1.upper())


def order_params(**changes):
    base = {"iscsi_target": dict(TARGET), "display_name": None, "mode": "persistent", "order": None,
            "override_target": None, "override_enabled": "Once", "fail_on_missing": False, "system_id": None}
    base.update(changes)
    return base


def order(bmc, check_mode=False, **changes):
    module = FakeModule(order_params(**changes), check_mode=check_mode)
    boot_order_ops.prepare(module)
    return boot_order_ops.run(module, bmc, None)


def power(bmc, reset_type="GracefulRestart", check_mode=False, **changes):
    base = {"reset_type": reset_type, "force_fallback": True, "graceful_timeout": 0, "poll_interval": 1, "system_id": None}
    base.update(changes)
    return power_ops.run(FakeModule(base, check_mode=check_mode), bmc, None)


def wait(bmc, since, check_mode=False, **changes):
    base = {"state": "OSRunning", "since": since, "iscsi_target": None, "boot_option": None, "system_id": None,
            "wait_timeout": 0, "poll_interval": 1, "host_address": None, "host_port": 443}
    base.update(changes)
    module = FakeModule(base, check_mode=check_mode)
    wait_for_boot_ops.prepare(module)
    return wait_for_boot_ops.run(module, bmc, None)


def writes(bmc):
    return [s for s in bmc.sent if s[0] != "GET"]


def configured(variant="xcc", firmware=2, login=True):
    bmc = FakeLenovo(variant, firmware)
    iscsi_boot(bmc)
    bmc.reset(login=login)
    return bmc


# -- boot_order -------------------------------------------------------------------------------------

def test_option_missing_until_a_reset_in_which_the_port_logged_in():
    bmc = FakeLenovo()
    iscsi_boot(bmc)
    count, reads = len(writes(bmc)), len(bmc.requests)
    assert order(bmc)["option_missing"] is True and len(writes(bmc)) == count
    assert not [r for r in bmc.requests[reads:] if "NetworkDeviceFunctions" in r]    # no iSCSI entry: no port read
    with pytest.raises(SanbootError, match="no boot option matches"):
        order(bmc, fail_on_missing=True)


def test_network_class_already_first_so_only_the_iscsi_entry_moves_first_then_nothing():
    bmc = configured()
    count = len(writes(bmc))
    result = order(bmc)
    assert result["changed"] is True and result["pending"] is True and result["option"]["reference"] == "Boot0003"
    [(_m, uri, body, etag)] = writes(bmc)[count:]
    assert uri == NETWORK_ORDER and body["BootOrderNext"][0] == ENTRY and etag is not None
    assert sorted(body["BootOrderNext"]) == sorted(bmc.tree[NETWORK_ORDER]["BootOrderSupported"])
    again = order(bmc)
    assert again["changed"] is False and len(writes(bmc)) == count + 1
    # staged for the next reset, not yet used: a run that changes nothing still needs that reset
    assert again["pending"] is True and again["after"]["NetworkBootOrder"][0] == ENTRY


def test_hard_disk_first_writes_the_class_order_to_the_system_pending_object_then_nothing():
    bmc = configured()
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0002", "Boot0003"]
    bmc.tree[SYSTEM_PENDING]["Boot"]["BootOrder"] = ["Boot0002", "Boot0003"]
    count = len(writes(bmc))
    pending_etag = bmc.etags[SYSTEM_PENDING]
    result = order(bmc)
    sent = writes(bmc)[count:]
    assert ("PATCH", SYSTEM_PENDING, {"Boot": {"BootOrder": ["Boot0003", "Boot0002"]}}, pending_etag) in sent
    assert [s[1] for s in sent] == [SYSTEM_PENDING, NETWORK_ORDER] and result["pending"] is True
    second = order(bmc)       # both orders are pending: seen, nothing written again
    assert second["changed"] is False and second["pending"] is True and len(writes(bmc)) == count + 2
    bmc.reset()
    assert bmc.tree[SYSTEM]["Boot"]["BootOrder"][0] == "Boot0003" and bmc.tree[NETWORK_ORDER]["BootOrderCurrent"][0] == ENTRY
    assert order(bmc)["changed"] is False and order(bmc)["pending"] is False


def test_older_firmware_writes_the_oem_class_order_by_name_then_nothing():
    bmc = configured(firmware=1)
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0002", "Boot0003"]
    bmc.tree[CLASS_ORDER]["BootOrderCurrent"] = bmc.tree[CLASS_ORDER]["BootOrderNext"] = ["Hard Disk", "Network"]
    count = len(writes(bmc))
    order(bmc)
    sent = writes(bmc)[count:]
    assert sent[0][1:3] == (CLASS_ORDER, {"BootOrderNext": ["Network", "Hard Disk"]}) and sent[0][3] is not None
    assert order(bmc)["changed"] is False and len(writes(bmc)) == count + 2
    bmc.reset()
    assert bmc.tree[SYSTEM]["Boot"]["BootOrder"] == ["Boot0003", "Boot0002"]


def test_a_412_on_the_network_order_is_read_again_and_retried_once():
    bmc = configured()
    bmc.race(NETWORK_ORDER)
    count = len(writes(bmc))
    assert order(bmc)["changed"] is True
    first, second = writes(bmc)[count:]
    assert first[1] == second[1] == NETWORK_ORDER and first[3] != second[3]
    assert bmc.tree[NETWORK_ORDER]["BootOrderNext"][0] == ENTRY


def test_explicit_order_and_overrides():
    bmc = configured()
    count = len(writes(bmc))
    order(bmc, iscsi_target=None, order=["Boot0002"])
    assert writes(bmc)[count][1:3] == (SYSTEM_PENDING, {"Boot": {"BootOrder": ["Boot0002", "Boot0003"]}})
    order(bmc, iscsi_target=None, override_target="Pxe")
    assert writes(bmc)[-1][1:3] == (SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"}})


def test_display_name_finds_a_class():
    bmc = configured()
    result = order(bmc, iscsi_target=None, display_name="HardDisk", check_mode=True)
    assert result["option"]["reference"] == "Boot0002" and writes(bmc)[-1][1] != SYSTEM_PENDING


def test_check_mode_writes_nothing():
    bmc = configured()
    count = len(writes(bmc))
    assert order(bmc, check_mode=True)["changed"] is True and len(writes(bmc)) == count


def test_iscsi_entry_by_mac_else_by_slot_and_function():
    port = Port("/redfish/v1/Chassis/1/NetworkAdapters/slot-27/NetworkDeviceFunctions/2.1",
                {"Id": "2.1", "Ethernet": {"MACAddress": "00:62:0b:4c:28:4f"}}, None)
    by_slot = "UEFI:   SLOT27 (4D/0/1) iSCSI  Broadcom 5719 1GbE RJ45 4-port OCP Ethernet Adapter"
    other_mac = "UEFI:   SLOT27 (4D/0/1) iSCSI  Broadcom - 00:62:0B:4C:28:50"
    assert dialect_lenovo_boot.iscsi_entry([OCP_ENTRY, other_mac, by_slot], port) == by_slot
    assert dialect_lenovo_boot.iscsi_entry([OCP_ENTRY, other_mac], port) is None
    mine = "UEFI:   SLOT27 (4D/0/1) iSCSI  Broadcom - 00:62:0B:4C:28:4F"
    assert dialect_lenovo_boot.iscsi_entry([by_slot, mine], port) == mine


def test_class_names_match_display_names():
    options = {"Boot0002": {"DisplayName": "HardDisk"}, "Boot0003": {"DisplayName": "Network"}}
    assert dialect_lenovo_boot.as_refs(["Network", "Hard Disk"], options, ["Boot0002", "Boot0003"]) == ["Boot0003", "Boot0002"]
    assert dialect_lenovo_boot.as_names(["Boot0003"], options, ["Hard Disk", "Network", "USB Storage"]) == \
        ["Network", "Hard Disk", "USB Storage"]


# -- power ------------------------------------------------------------------------------------------

def test_since_carries_the_clock_and_the_reboot_count():
    bmc = FakeLenovo()
    result = power(bmc, "ForceRestart")
    assert result["since"] == "%s;reboots=16" % DATETIME and split_marker(result["since"]) == (DATETIME, 16)
    assert split_marker(DATETIME) == (DATETIME, None) and split_marker(None) == (None, None)
    assert marker(DATETIME, {}) == DATETIME


def test_graceful_restart_without_effect_falls_back_to_force_off_then_on_never_power_cycle():
    bmc = FakeLenovo(graceful_ignored=True)
    module_result = power(bmc, "GracefulRestart")
    assert [s[2]["ResetType"] for s in bmc.writes("POST")] == ["GracefulRestart", "ForceOff", "On"]
    assert module_result["reset_type"] == "ForceOff+On" and module_result["fallback_used"] is True
    assert module_result["power_state"] == "On" and bmc.tree[SYSTEM]["Oem"]["Lenovo"]["NumberOfReboots"] == 17


def test_graceful_restart_that_works_needs_no_fallback():
    bmc = FakeLenovo()
    result = power(bmc, "GracefulRestart")
    assert [s[2]["ResetType"] for s in bmc.writes("POST")] == ["GracefulRestart"] and result["fallback_used"] is False


def test_power_cycle_is_replaced_by_force_off_then_on_or_refused_without_fallback():
    bmc = FakeLenovo()
    result = power(bmc, "PowerCycle")
    assert [s[2]["ResetType"] for s in bmc.writes("POST")] == ["ForceOff", "On"] and result["reset_type"] == "ForceOff+On"
    with pytest.raises(ValidationError, match="PowerCycle is not allowed"):
        power(FakeLenovo(), "PowerCycle", force_fallback=False)


def test_force_off_that_never_shows_off_sends_no_on():
    bmc = FakeLenovo()
    bmc.stays_on = True
    with pytest.raises(SanbootError, match="did not show PowerState Off"):
        power(bmc, "PowerCycle")
    assert [s[2]["ResetType"] for s in bmc.writes("POST")] == ["ForceOff"]


def test_allowed_types_read_from_the_action_info_when_none_inline():
    bmc = FakeLenovo()
    del bmc.tree[SYSTEM]["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"]
    bmc.tree[RESET_INFO]["Parameters"][0]["AllowableValues"] = ["On", "ForceOff"]
    with pytest.raises(ValidationError, match="ForceRestart is not allowed"):
        power(bmc, "ForceRestart", force_fallback=False)
    assert "GET %s" % RESET_INFO in bmc.requests and bmc.writes("POST") == []
    assert power_ops.allowed_resets(bmc, {"Actions": {}}) == (None, None)


def test_power_check_mode_sends_nothing():
    bmc = FakeLenovo(graceful_ignored=True)
    assert power(bmc, "PowerCycle", check_mode=True)["reset_type"] == "ForceOff+On" and bmc.writes() == []


def test_reset_seen_by_the_reboot_count():
    dialect = LenovoDialect()
    before = {"Oem": {"Lenovo": {"NumberOfReboots": 16}}}
    assert dialect.reset_seen(before, {"Oem": {"Lenovo": {"NumberOfReboots": 17}}})
    assert not dialect.reset_seen(before, before) and not dialect.reset_seen({}, before)


# -- wait_for_boot ----------------------------------------------------------------------------------

def test_booted_once_the_count_moved_and_an_os_loader_runs():
    bmc = configured()
    order(bmc)
    since = power(bmc, "GracefulRestart")["since"]
    result = wait(bmc, since, iscsi_target=dict(TARGET))
    assert result["booted"] is True and result["state"] == "BootingOSOrInUndetectedOS" and result["number_of_reboots"] == 18
    assert result["boot_option"]["reference"] == "Boot0003"


def test_booted_but_the_port_entry_not_first_in_the_network_order_fails():
    bmc = configured()
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset()     # the iSCSI entry stays last: the firmware tried the HTTP entries first
    with pytest.raises(SanbootError, match="is not first in the network boot order"):
        wait(bmc, since, iscsi_target=dict(TARGET))
    order(bmc)
    bmc.reset()
    assert wait(bmc, since, iscsi_target=dict(TARGET))["boot_option"]["display_name"] == "Network"


def test_not_booted_while_the_count_has_not_moved():
    bmc = FakeLenovo(graceful_ignored=True)
    since = marker(DATETIME, bmc.tree[SYSTEM])
    with pytest.raises(SanbootError, match="did not reach OSRunning"):
        wait(bmc, since)


def test_still_in_uefi_is_not_booted():
    bmc = configured()
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset(status="SystemRunningInUEFI")
    with pytest.raises(SanbootError, match="last state: SystemRunningInUEFI"):
        wait(bmc, since)
    assert wait(bmc, since, state="SystemHardwareInitializationComplete")["booted"] is True


def test_a_failed_login_in_the_platform_log_fails_with_the_bmc_words():
    bmc = FakeLenovo()
    iscsi_boot(bmc)
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset(login=False)
    with pytest.raises(SanbootError) as failure:
        wait(bmc, since)
    assert LOGIN_FAILED in str(failure.value) and failure.value.details["log_entries"][-1]["message"] == LOGIN_FAILED


def test_without_since_old_log_entries_are_not_judged():
    bmc = configured(login=False)
    assert wait(bmc, None)["booted"] is True


def test_xcc2_boot_progress_decides():
    bmc = configured("xcc2")
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset(status="SystemRunningInUEFI")
    with pytest.raises(SanbootError, match="last state: OEM:SystemRunningInUEFI"):
        wait(bmc, since)
    bmc.reset()
    assert wait(bmc, since)["state"] == "OSRunning"


def test_check_mode_says_the_failure_it_saw():
    bmc = FakeLenovo()
    iscsi_boot(bmc)
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset(login=False)
    result = wait(bmc, since, check_mode=True)
    assert result["booted"] is False and LOGIN_FAILED in result["msg"]


# -- bmc_info ---------------------------------------------------------------------------------------

def test_bmc_info_shows_the_network_class_devices_in_the_order_the_last_reset_used():
    bmc = configured()
    boot = bmc_info_ops.run(FakeModule({"system_id": None}), bmc, None)["bmc"]["boot"]
    assert boot["device_order"] == {"Network": bmc.tree[NETWORK_ORDER]["BootOrderCurrent"]}
    assert ENTRY in boot["device_order"]["Network"]


def test_a_port_set_up_outside_redfish_is_found_by_its_only_iscsi_entry():
    """sanboot_configure_iscsi false on an adapter without Redfish iSCSIBoot (the capture's OCP): no
    port names the target, so the network order's one iSCSI entry is that port's; two are ambiguous."""
    bmc = FakeLenovo()
    rom_entry = "UEFI:   SLOT27 (4D/0/0) iSCSI  Broadcom 5719 1GbE RJ45 4-port OCP Ethernet Adapter"
    bmc._add_entry(rom_entry)
    bmc.reset()
    result = order(bmc)
    assert result["option_missing"] is False and result["changed"] is True, result
    assert result["after"]["NetworkBootOrder"][0] == rom_entry
    bmc._add_entry(rom_entry.replace("(4D/0/0)", "(4D/0/1)"))
    bmc.reset()
    assert order(bmc)["option_missing"] is True


def test_xcc2_boot_progress_from_before_the_reset_is_not_this_boot():
    bmc = configured("xcc2")
    since = marker(DATETIME, bmc.tree[SYSTEM])
    bmc.reset()
    bmc.tree[SYSTEM]["BootProgress"]["LastStateTime"] = "2026-03-01T09:00:00+00:00"   # an hour before the marker
    with pytest.raises(SanbootError):
        wait(bmc, since)
    bmc.tree[SYSTEM]["BootProgress"]["LastStateTime"] = "2099-01-01T00:00:00+00:00"
    assert wait(bmc, since)["booted"] is True
