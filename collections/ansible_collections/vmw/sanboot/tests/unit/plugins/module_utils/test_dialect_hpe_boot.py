# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rest of an HPE rollout: the boot order through HPE's boot settings (StructuredBootStrings,
pending, not during POST), the iSCSI option by its HPE device path or StructuredBootString,
power's `since` and PowerCycle, and wait_for_boot's verdicts (success on iLO 5 and iLO 6, a
setting refused at the reset, a failed login, a slow boot, no `since`)."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_order_ops, dialects, power_ops, wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe import HpeDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_watch import refusals
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_hpe import (
    BIOS, BLANK, BOOT, BOOT_SETTINGS, DATETIME, IML, IML_LOGIN_FAILED, ISCSI, MANAGER, RESET_AT, SYSTEM, FakeHpe,
    _in_post_error)
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.test_dialect_hpe_iscsi import run as iscsi_boot

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 10}


def order_params(**changes):
    base = {"iscsi_target": dict(TARGET), "display_name": None, "mode": "persistent", "order": None,
            "override_target": None, "override_enabled": "Once", "fail_on_missing": False, "system_id": None}
    base.update(changes)
    return base


def wait_params(**changes):
    base = {"state": "OSRunning", "since": DATETIME, "iscsi_target": dict(TARGET), "boot_option": None, "system_id": None,
            "wait_timeout": 60, "poll_interval": 10, "host_address": None, "host_port": 443}
    base.update(changes)
    return base


def order(bmc, check_mode=False, **changes):
    return boot_order_ops.run(FakeModule(order_params(**changes), check_mode=check_mode), bmc, None)


def wait(bmc, **changes):
    return wait_for_boot_ops.run(FakeModule(wait_params(**changes)), bmc, None)


def writes(bmc):
    return [s for s in bmc.sent if s[0] != "GET"]


def configured(variant="ilo5", login=True, **changes):
    """iscsi_boot written and applied by a reset (whose login succeeded or failed)."""
    bmc = FakeHpe(variant)
    iscsi_boot(bmc, **changes)
    bmc.reset(login=login)
    return bmc


def system_in(state, discovered="2026-03-01T09:00:00Z"):
    return {"PowerState": "On", "Oem": {"Hpe": {"PostState": state, "PostDiscoveryCompleteTimeStamp": discovered}}}


# -- boot_order -----------------------------------------------------------------------------------

def test_option_missing_until_a_reset_with_a_login():
    bmc = FakeHpe()
    result = order(bmc)
    assert result["option_missing"] is True and writes(bmc) == []


def test_order_written_as_structured_boot_strings_pending_until_the_reset():
    bmc = configured()
    count = len(writes(bmc))
    result = order(bmc)
    assert result["changed"] is True and result["pending"] is True and result["job"] is None
    assert result["option"]["reference"] == "Boot0003"
    assert writes(bmc)[count:] == [("PATCH", BOOT_SETTINGS, {"PersistentBootConfigOrder": [
        "NIC.Slot.1.1.iSCSI", "NIC.Slot.1.1.IPv4", "HD.Emb.1.1"]}, None)]
    second = order(bmc)
    assert second["changed"] is False and second["pending"] is True and len(writes(bmc)) == count + 1
    bmc.reset(at="2026-03-01T10:10:00Z")
    third = order(bmc)
    assert third["changed"] is False and third["pending"] is False
    assert bmc.tree[SYSTEM]["Boot"]["BootOrder"][0] == "Boot0003"


def test_the_order_waits_for_the_end_of_post(fast_clock):
    bmc = configured()
    in_post = dict(bmc.tree[SYSTEM], Oem={"Hpe": dict(bmc.tree[SYSTEM]["Oem"]["Hpe"], PostState="InPost")})
    bmc.script[("GET", SYSTEM)] = [in_post] * 4     # the plan's two reads, then two polls still in POST
    start = len(bmc.requests)
    result = order(bmc)
    assert result["changed"] is True and writes(bmc)[-1][1] == BOOT_SETTINGS
    sent = bmc.requests.index("PATCH " + BOOT_SETTINGS, start)
    assert bmc.requests[start:sent].count("GET " + SYSTEM) == 5      # the PATCH came only after POST ended
    assert len(fast_clock.sleeps) == 3


def test_a_post_that_never_ends_is_a_clear_error_without_a_write(fast_clock, monkeypatch):
    from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_hpe_boot
    monkeypatch.setattr(dialect_hpe_boot, "POST_TIMEOUT", 30)
    bmc = configured()
    count = len(writes(bmc))
    bmc.tree[SYSTEM]["Oem"]["Hpe"]["PostState"] = "InPost"
    with pytest.raises(SanbootError) as caught:
        order(bmc)
    assert "did not leave POST (PostState InPost)" in caught.value.message
    assert len(writes(bmc)) == count and len(fast_clock.sleeps) > 10      # waited, bounded


def parked(bmc, clock):
    """The host at InPostDiscoveryComplete since RESET_AT (10:05:00), the iLO's clock at `clock`."""
    bmc.tree[MANAGER]["DateTime"] = clock
    return dict(bmc.tree[SYSTEM], Oem={"Hpe": dict(bmc.tree[SYSTEM]["Oem"]["Hpe"], PostState="InPostDiscoveryComplete")})


def test_a_host_parked_at_discovery_complete_fails_at_once_without_a_write(fast_clock):
    bmc = configured()
    count, start = len(writes(bmc)), len(bmc.requests)
    bmc.tree[SYSTEM] = parked(bmc, "2026-03-01T10:07:00Z")
    with pytest.raises(SanbootError) as caught:
        order(bmc)
    message = caught.value.message
    assert message.startswith("the host is held in POST since 2026-03-01T10:05:00Z"), message
    assert "FinishedPost or PowerOff" in message and "reset_type ForceOff" in message
    assert len(writes(bmc)) == count and fast_clock.sleeps == []
    assert bmc.requests[start:].count("GET " + MANAGER) == 1       # the iLO's clock, read once


def test_a_fresh_discovery_complete_is_waited_for(fast_clock):
    bmc = configured()
    bmc.script[("GET", SYSTEM)] = [parked(bmc, "2026-03-01T10:05:30Z")] * 4    # the plan's two reads, two polls
    result = order(bmc)
    assert result["changed"] is True and writes(bmc)[-1][1] == BOOT_SETTINGS and len(fast_clock.sleeps) == 3


def test_a_discovery_complete_that_stays_past_the_limit_fails_before_the_timeout(fast_clock):
    bmc = configured()
    count = len(writes(bmc))
    bmc.script[("GET", SYSTEM)] = [parked(bmc, "2026-03-01T10:05:30Z")] * 100
    with pytest.raises(SanbootError) as caught:
        order(bmc)
    assert "held in POST since 2026-03-01T10:05:00Z" in caught.value.message and len(writes(bmc)) == count
    assert fast_clock.sleeps == [5, 7.5, 11.25, 16.875]      # about 30 s more (backing off), not the 900 s of a real POST


def test_a_refusal_during_post_is_waited_out_and_sent_again(fast_clock):
    bmc = configured()
    bmc.script[("PATCH", BOOT_SETTINGS)] = [_in_post_error(BOOT_SETTINGS)]
    result = order(bmc)
    assert result["changed"] is True
    assert [s[1] for s in writes(bmc)].count(BOOT_SETTINGS) == 2


def test_the_iscsi_option_by_hpe_lun_and_by_structured_boot_string():
    bmc = configured()
    dialect = dialects.choose(bmc)
    options = {"Boot0003": bmc.tree[SYSTEM + "/BootOptions/3"]}
    assert "iSCSI(iqn.2024-01.org.example.san:esxi01,0x1,0xA," in options["Boot0003"]["UefiDevicePath"]
    assert dialect.find_boot_option(options, TARGET["name"], 10) == "Boot0003"
    assert dialect.find_boot_option(options, TARGET["name"], 1) is None
    options["Boot0003"] = dict(options["Boot0003"], UefiDevicePath="VenHw(0)")   # only the attempt names it now
    assert dialect.find_boot_option(options, TARGET["name"], 10) == "Boot0003"
    assert dialect.find_boot_option(options, "iqn.2024-01.org.example.san:other", None) is None


# -- power ----------------------------------------------------------------------------------------

def power(bmc, reset_type, **changes):
    params = {"reset_type": reset_type, "force_fallback": True, "graceful_timeout": 30, "poll_interval": 5, "system_id": None}
    params.update(changes)
    module = FakeModule(params)
    return power_ops.run(module, bmc, None), module


def test_power_since_is_the_ilo_clock_and_power_cycle_becomes_force_restart():
    bmc = FakeHpe()
    result, module = power(bmc, "PowerCycle")
    assert result["since"] == DATETIME and result["dialect"] == "hpe" and result["reset_type"] == "ForceRestart"
    assert module.warnings == ["PowerCycle is not offered by this BMC; sent ForceRestart instead"]
    assert writes(bmc)[-1][2] == {"ResetType": "ForceRestart"}


def test_power_cycle_without_fallback_names_the_allowed_values():
    with pytest.raises(SanbootError) as caught:
        power(FakeHpe(), "PowerCycle", force_fallback=False)
    assert "GracefulRestart" in caught.value.message and "PowerCycle is not allowed" in caught.value.message


def test_reset_seen_through_post_state_discovery_time_or_boot_progress():
    dialect = HpeDialect()
    before = system_in("FinishedPost")
    assert not dialect.reset_seen(before, system_in("FinishedPost"))
    assert dialect.reset_seen(before, system_in("InPost"))
    assert dialect.reset_seen(before, system_in("FinishedPost", RESET_AT))
    assert dialect.reset_seen(dict(before, BootProgress={"LastState": "OSRunning"}),
                              dict(before, BootProgress={"LastState": "SystemHardwareInitializationComplete"}))


def test_a_boot_already_under_way_going_on_is_not_a_reset():
    dialect = HpeDialect()
    assert not dialect.reset_seen(system_in("InPost"), system_in("InPostDiscoveryComplete"))
    assert not dialect.reset_seen(system_in("InPostDiscoveryComplete"), system_in("FinishedPost"))
    assert not dialect.reset_seen(system_in("InPost"), system_in("InPost"))
    assert not dialect.reset_seen(dict(system_in("FinishedPost"), BootProgress={"LastState": "OSBootStarted"}),
                                  dict(system_in("FinishedPost"), BootProgress={"LastState": "OSRunning"}))
    assert dialect.reset_seen(system_in("FinishedPost"), system_in("PowerOff"))
    assert dialect.reset_seen(system_in("InPostDiscoveryComplete"), system_in("InPostDiscoveryStart"))
    assert dialect.reset_seen(system_in("InPost"), system_in("InPostDiscoveryComplete", RESET_AT))


# -- wait_for_boot --------------------------------------------------------------------------------

def booted(variant="ilo5"):
    bmc = configured(variant)
    order(bmc)
    bmc.reset(at="2026-03-01T10:10:00Z")
    return bmc


@pytest.mark.parametrize("variant", ["ilo5", "ilo6"])
def test_booted_on_bmc_evidence(variant, fast_clock):
    result = wait(booted(variant))
    assert result["booted"] is True and result["evidence"] == "bmc" and result["dialect"] == "hpe"
    assert result["boot_option"]["reference"] == "Boot0003"
    assert result["state_time"] == "2026-03-01T10:10:00Z"
    assert result["state"] == ("OSRunning" if variant == "ilo6" else "FinishedPost")
    assert result["last_boot_seconds"] == (103 if variant == "ilo6" else None)


def test_a_value_refused_at_the_reset_fails_with_the_bmc_words(fast_clock):
    bmc = FakeHpe()
    iscsi_boot(bmc)
    bmc.tree["/redfish/v1/systems/1/bios/oem/hpe/iscsi/settings/"]["iSCSISources"][0]["iSCSITargetName"] = "IQN.bad"
    bmc.reset()
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    message = caught.value.message
    assert message.startswith("the BMC refused settings at the reset: Base.1.0.PropertyValueFormatError")
    assert "IQN.bad, iSCSITargetName" in message and "#/iSCSISources/0/iSCSITargetName" in message
    assert caught.value.details["booted"] is False
    assert fast_clock.sleeps == []      # said at the first poll, not after the timeout


def test_a_failed_login_fails_with_the_attempt_and_the_iml_words(fast_clock):
    bmc = configured(login=False)
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    message = caught.value.message
    assert message.startswith("iSCSI attempt 1 (Slot1NicBoot1, target iqn.2024-01.org.example.san:esxi01) did not log in")
    assert message.endswith(": " + IML_LOGIN_FAILED)
    assert caught.value.details["log_entries"][-1]["message"] == IML_LOGIN_FAILED


def test_a_failed_nic_firmware_login_fails_with_the_iml_words(fast_clock):
    """iLO 6 DCi: no attempt slot to look at; the IML's failed-login entry after the reset decides,
    at the first poll after discovery, not after the timeout."""
    bmc = configured("ilo6")
    bmc.tree[IML + "/Entries"]["Members"].append({
        "Id": "9", "Created": RESET_AT, "EntryType": "Oem", "OemRecordFormat": "Hpe-IML",
        "Severity": "Critical", "Message": "iSCSI login failed on port DE07A000/0: authentication failure"})
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    message = caught.value.message
    assert message == ("the IML reports a failed iSCSI login during the reset's device discovery: "
                       "iSCSI login failed on port DE07A000/0: authentication failure"), message
    assert fast_clock.sleeps == []


def test_an_older_failed_login_in_the_iml_does_not_count(fast_clock):
    bmc = configured("ilo6")
    bmc.tree[IML + "/Entries"]["Members"].append({
        "Id": "9", "Created": "2026-02-01T09:00:00Z", "EntryType": "Oem", "OemRecordFormat": "Hpe-IML",
        "Severity": "Critical", "Message": "iSCSI login failed on port DE07A000/0: authentication failure"})
    order(bmc)
    bmc.reset(at="2026-03-01T10:10:00Z")
    assert wait(bmc)["booted"] is True


def test_a_slow_boot_is_a_timeout_not_a_failure(fast_clock):
    bmc = configured()
    bmc.tree[SYSTEM]["Oem"]["Hpe"].update(PostState="InPost", PostDiscoveryCompleteTimeStamp="2026-03-01T09:00:00Z")
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    assert "did not reach OSRunning within 60 s (last state: InPost)" in caught.value.message
    assert caught.value.details["timeline"][0]["state"] == "InPost"


def test_discovery_done_but_no_os_yet_keeps_waiting(fast_clock):
    bmc = configured()
    bmc.tree[SYSTEM]["Oem"]["Hpe"]["PostState"] = "InPostDiscoveryComplete"
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    assert "last state: InPostDiscoveryComplete" in caught.value.message


def test_without_since_the_current_state_is_judged_with_reads_only(fast_clock):
    bmc = booted()
    count = len(writes(bmc))
    result = wait(bmc, since=None)
    assert result["booted"] is True and len(writes(bmc)) == count
    check = wait_for_boot_ops.run(FakeModule(wait_params(since=None), check_mode=True), bmc, None)
    assert check["booted"] is True
    bmc.tree[ISCSI]["iSCSISources"][0]["StructuredBootString"] = None
    with pytest.raises(SanbootError) as caught:
        wait(bmc, since=None, iscsi_target=None)
    assert "did not log in" in caught.value.message


def test_without_since_old_refusals_and_old_iml_entries_do_not_fail_a_booted_host(fast_clock):
    bmc = booted()
    bmc.tree[IML + "/Entries"]["Members"].append({
        "Id": "9", "Created": "2026-02-01T09:00:00Z", "EntryType": "Oem", "OemRecordFormat": "Hpe-IML",
        "Severity": "Critical", "Message": "iSCSI login failed on port DE07A000/0: authentication failure"})
    bmc.tree[ISCSI]["@Redfish.Settings"].update(Time="2026-02-01T00:00:00Z", Messages=[
        {"MessageId": "Base.1.0.Success"}, {"MessageId": "Base.1.0.PropertyUnknown", "MessageArgs": ["x"]}])
    assert wait(bmc, since=None)["booted"] is True
    check = wait_for_boot_ops.run(FakeModule(wait_params(since=None), check_mode=True), bmc, None)
    assert check["booted"] is True


@pytest.mark.parametrize("progress", [{}, {"LastState": None}, {"LastState": "None"}])
def test_ilo6_boot_progress_without_a_state_falls_back_to_post_state(progress, fast_clock):
    """iLO 6 before 1.63 (or an older ROM) has BootProgress but no LastState in it."""
    bmc = booted("ilo6")
    bmc.tree[SYSTEM]["BootProgress"] = dict(progress)
    result = wait(bmc)
    assert result["booted"] is True and result["state"] == "FinishedPost"
    bmc.tree[SYSTEM]["Oem"]["Hpe"]["PostState"] = "InPostDiscoveryComplete"
    with pytest.raises(SanbootError) as caught:
        wait(bmc)
    assert "last state: InPostDiscoveryComplete" in caught.value.message


def test_one_attempt_logged_in_is_enough_whatever_a_stale_attempt_says(fast_clock):
    bmc = booted()
    stale = dict(BLANK, iSCSIAttemptInstance=2, iSCSIAttemptName="Slot4NicBoot1", iSCSINicSource="Slot4NicBoot1",
                 iSCSIConnection="Enabled", iSCSITargetName="iqn.2024-01.org.example.san:gone")
    bmc.tree[ISCSI]["iSCSISources"][1] = stale
    assert bmc.tree[BIOS]["Attributes"]["Slot4NicBoot1"] == "NetworkBoot"
    assert wait(bmc)["booted"] is True
    bmc.tree[ISCSI]["iSCSISources"][0]["StructuredBootString"] = None      # now none logged in: both named
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    assert "attempt 1 (Slot1NicBoot1" in caught.value.message and "attempt 2 (Slot4NicBoot1" in caught.value.message


def test_a_refused_secret_is_never_shown():
    body = {"@Redfish.Settings": {"Time": RESET_AT, "Messages": [
        {"MessageId": "Base.1.0.PropertyValueFormatError", "Message": "The value s3cret-value for iSCSIChapSecret is bad",
         "MessageArgs": ["s3cret-value", "iSCSIChapSecret"], "RelatedProperties": ["#/iSCSISources/0/iSCSIChapSecret"]},
        {"MessageId": "Base.1.0.PropertyValueTypeError", "MessageArgs": ["s3cret-other"],
         "RelatedProperties": ["#/iSCSISources/1/iSCSIReverseChapSecret"]},
        {"MessageId": "Base.1.0.PropertyValueFormatError", "MessageArgs": ["IQN.bad", "iSCSITargetName"]}]}}
    words = refusals(body, DATETIME)
    assert "s3cret" not in " ".join(words), words
    assert words[0] == "Base.1.0.PropertyValueFormatError (hidden) at #/iSCSISources/0/iSCSIChapSecret"
    assert words[1].startswith("Base.1.0.PropertyValueTypeError (hidden)")
    assert words[2] == "Base.1.0.PropertyValueFormatError (IQN.bad, iSCSITargetName)"


def test_check_mode_keeps_the_failure_it_found(fast_clock):
    bmc = configured(login=False)
    watch = dialects.choose(bmc).boot_watch(bmc, SYSTEM, DATETIME, "OSRunning")
    assert watch.booted_now() is False and "did not log in" in watch.failure
    check = wait_for_boot_ops.run(FakeModule(wait_params(iscsi_target=None), check_mode=True), bmc, None)
    assert check["booted"] is False and check["msg"].startswith("check mode: the host would fail: iSCSI attempt 1"), check


def test_boot_settings_messages_of_an_older_reset_do_not_count(fast_clock):
    bmc = booted()
    bmc.tree[ISCSI]["@Redfish.Settings"].update(Time="2026-02-01T00:00:00Z", Messages=[
        {"MessageId": "Base.1.0.Success"}, {"MessageId": "Base.1.0.PropertyUnknown", "MessageArgs": ["x"]}])
    assert wait(bmc)["booted"] is True
    assert bmc.tree[BOOT]["PersistentBootConfigOrder"][0] == "NIC.Slot.1.1.iSCSI"
