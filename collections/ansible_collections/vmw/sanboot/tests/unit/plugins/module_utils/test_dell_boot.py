# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rest of a Dell rollout: boot order (system PATCH or SettingsObject, BIOS job, pending),
power's `since`, wait_for_boot's evidence (LastResetTime, ServerStatus, BootProgress without time,
the ISCSI Device option, the Lifecycle log, the network) and bmc_info."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import (
    bmc_info_ops, boot_order_ops, network_proof, power_ops, wait_for_boot_ops)
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC, FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_dell import (
    BIOS, JOBS, LC_STATUS, SLOT_SETTINGS, SYSTEM, SYSTEM_SETTINGS, UEFI0274, FakeDell)

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
SINCE = "2026-11-30T10:00:00-06:00"


def order_params(**changes):
    base = {"iscsi_target": dict(TARGET), "display_name": None, "mode": "persistent", "order": None,
            "override_target": None, "override_enabled": "Once", "fail_on_missing": False, "system_id": None}
    base.update(changes)
    return base


def wait_params(**changes):
    base = {"state": "OSRunning", "since": SINCE, "iscsi_target": dict(TARGET), "boot_option": None, "system_id": None,
            "wait_timeout": 60, "poll_interval": 10, "host_address": None, "host_port": 443}
    base.update(changes)
    return base


def order(bmc, check_mode=False, **changes):
    return boot_order_ops.run(FakeModule(order_params(**changes), check_mode=check_mode), bmc, None)


def wait(bmc, **changes):
    return wait_for_boot_ops.run(FakeModule(wait_params(**changes)), bmc, None)


def writes(bmc):
    return [s for s in bmc.sent if s[0] in ("PATCH", "DELETE") or (s[0] == "POST" and s[1] != LC_STATUS)]


# -- boot_order -----------------------------------------------------------------------------------

def test_option_missing_until_a_reset_with_a_login():
    bmc = FakeDell()
    result = order(bmc)
    assert result["option_missing"] is True and result["changed"] is False and writes(bmc) == []
    bmc.reset()
    assert order(bmc, check_mode=True)["option"]["display_name"] == "ISCSI Device 1: NIC in Slot 1 Port 1 Partition 1"


def test_idrac9_6_patches_the_system_and_gets_a_bios_job():
    bmc = FakeDell()
    bmc.reset()
    result = order(bmc)
    assert result["changed"] is True and result["pending"] is True and result["job"]["type"] == "BIOSConfiguration"
    assert writes(bmc) == [("PATCH", SYSTEM, {"Boot": {"BootOrder": ["Boot0002", "Boot0000", "Boot0001"]}}, None)]
    bmc.reset()
    again = order(bmc)
    assert again["changed"] is False and again["pending"] is False and len(writes(bmc)) == 1


@pytest.mark.parametrize("variant", ["idrac9-7", "idrac10"])
def test_settings_object_where_advertised_and_pending_is_seen(variant):
    bmc = FakeDell(variant)
    bmc.reset()
    result = order(bmc)
    assert writes(bmc) == [("PATCH", SYSTEM_SETTINGS, {"Boot": {"BootOrder": ["Boot0002", "Boot0000", "Boot0001"]},
                                                       "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}, None)]
    assert result["pending"] is True and result["job"]["state"] == "Scheduled"
    second = order(bmc)
    assert second["changed"] is False and second["pending"] is True and len(writes(bmc)) == 1
    bmc.reset()
    third = order(bmc)
    assert third["changed"] is False and third["pending"] is False
    assert third["after"]["BootOrder"][0] == "Boot0002"


# -- power --------------------------------------------------------------------------------------

def test_power_since_is_the_idrac_clock_before_the_reset():
    bmc = FakeDell()
    module = FakeModule({"reset_type": "ForceRestart", "force_fallback": True, "graceful_timeout": 30, "poll_interval": 5,
                         "system_id": None})
    result = power_ops.run(module, bmc, None)
    assert result["since"] == "2026-11-30T10:00:00-06:00" and result["boot_progress_time_before"] is None
    assert result["dialect"] == "dell" and result["dialect_variant"] == "idrac9"


def test_graceful_restart_seen_through_last_reset_time(fast_clock):
    bmc = FakeDell()
    before = dict(bmc.tree[SYSTEM])
    after = dict(before, LastResetTime="2026-11-30T10:01:00-06:00")
    from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell import DellDialect
    assert power_ops.graceful_done(DellDialect(), "GracefulRestart", before, after)
    assert not power_ops.graceful_done(DellDialect(), "GracefulRestart", before, dict(before))


# -- wait_for_boot --------------------------------------------------------------------------------

def booted(variant="idrac9"):
    bmc = FakeDell(variant)
    bmc.reset()
    order(bmc)
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    return bmc


@pytest.mark.parametrize("variant", ["idrac9", "idrac9-7", "idrac10"])
def test_booted_on_bmc_evidence(variant, fast_clock):
    result = wait(booted(variant))
    assert result["booted"] is True and result["evidence"] == "bmc"
    assert result["boot_option"]["display_name"].startswith("ISCSI Device 1")
    assert result["last_boot_seconds"] is None and result["state_time"] == "2026-11-30T10:10:00-06:00"
    assert result["state"] == ("OutOfPOST" if variant == "idrac9" else "OSRunning")


def test_network_proof_makes_it_bmc_plus_network(monkeypatch, fast_clock):
    seen = []
    monkeypatch.setattr(network_proof, "answers", lambda a, p, t: seen.append((a, p)) or len(seen) >= 2)
    result = wait(booted(), host_address="127.0.20.1", host_port=8443)
    assert result["evidence"] == "bmc+network" and result["network"]["address"] == "127.0.20.1"
    assert seen == [("127.0.20.1", 8443)] * 2


def test_a_host_that_never_answers_is_unverified_not_booted(monkeypatch, fast_clock):
    monkeypatch.setattr(network_proof, "answers", lambda a, p, t: False)
    with pytest.raises(SanbootError) as caught:
        wait(booted(), host_address="127.0.20.1")
    assert caught.value.message.startswith("unverified")
    assert caught.value.details["booted"] is False and caught.value.details["evidence"] == "bmc"


def test_not_reset_yet_is_not_booted(fast_clock):
    bmc = FakeDell()
    with pytest.raises(SanbootError, match="did not reach OSRunning within 60 s") as caught:
        wait(bmc, iscsi_target=None)
    assert caught.value.details["evidence"] == "none"
    assert not any(s[1] == LC_STATUS for s in bmc.sent)     # no POST status read before the reset


def test_still_in_post_keeps_waiting(fast_clock):
    bmc = booted()
    bmc.server_status = "InPOST"
    with pytest.raises(SanbootError, match="last state: InPOST"):
        wait(bmc)


def test_wrong_chap_fails_with_the_lifecycle_log_text(fast_clock):
    bmc = FakeDell()
    bmc.reset(iscsi_login=False)
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    assert "the iSCSI boot failed: " + UEFI0274 in caught.value.message
    assert caught.value.details["log_entries"][-1]["message_id"] == "IDRAC.2.7.UEFI0274"
    assert fast_clock.sleeps == []                      # at once, not at the timeout


def test_old_failures_before_since_do_not_count(fast_clock):
    bmc = FakeDell()
    bmc.reset(at="2026-11-30T09:30:00-06:00", iscsi_login=False)     # an earlier failed boot
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    order(bmc)
    bmc.reset(at="2026-11-30T10:20:00-06:00")
    assert wait(bmc)["booted"] is True


def test_without_since_only_failures_of_the_last_boot_count(fast_clock):
    bmc = FakeDell()
    bmc.reset(at="2026-11-30T09:30:00-06:00", iscsi_login=False)
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    order(bmc)
    bmc.reset(at="2026-11-30T10:20:00-06:00")
    bmc.sent.clear()
    assert wait(bmc, since=None)["booted"] is True
    assert bmc.sent == []           # no reset watched: no status action, nothing sent at all


def test_a_job_that_failed_in_the_watched_reset_fails_the_wait_with_its_message(fast_clock):
    """The chaos suite's finding: a failed NIC job left the boot to go on without the iSCSI values, and the
    diagnosis only said later that no iSCSI option was listed. The wait now names the job."""
    bmc = FakeDell()
    bmc.patch(SLOT_SETTINGS, {"iSCSIBoot": {"PrimaryLUN": 1}, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
    bmc.reset(at="2026-11-30T10:10:00-06:00", jobs_fail=True)
    with pytest.raises(SanbootError) as caught:
        wait(bmc, iscsi_target=None)
    assert caught.value.message.startswith(
        "the iDRAC job JID_000000000001 (NICConfiguration) failed during this reset's POST, so its settings were not "
        "applied: Job failed. (PR21)"), caught.value.message


def test_only_a_failed_configuration_job_counts(fast_clock):
    """A RAID or export job that failed in the same POST is not this run's: the boot stands."""
    bmc = FakeDell()
    bmc.patch(SLOT_SETTINGS, {"iSCSIBoot": {"PrimaryLUN": 1}, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    bmc.tree[JOBS + "/JID_000000000009"] = {"Id": "JID_000000000009", "JobType": "RAIDConfiguration", "JobState": "Failed",
                                            "Message": "Job failed.", "CompletionTime": "2026-11-30T10:10:00"}
    bmc.tree[JOBS]["Members"].append({"@odata.id": JOBS + "/JID_000000000009"})
    assert wait(bmc, iscsi_target=None)["booted"] is True


def test_a_failed_job_is_named_when_the_host_then_finds_nothing_to_boot(fast_clock):
    """iDRAC10: without the job's values the host stops at no bootable device and never reaches OSRunning; the
    wait names the job at once instead of timing out with the state."""
    bmc = FakeDell("idrac10")
    bmc.patch(SLOT_SETTINGS, {"iSCSIBoot": {"PrimaryLUN": 1}, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
    bmc.reset(at="2026-11-30T10:10:00-06:00", jobs_fail=True)
    bmc.tree[SYSTEM]["BootProgress"] = {"LastState": "OEM", "OemLastState": "NoBootableDevice"}
    with pytest.raises(SanbootError, match=r"the iDRAC job JID_000000000001 \(NICConfiguration\) failed"):
        wait(bmc, iscsi_target=None)
    assert fast_clock.sleeps == []


def test_a_job_that_failed_before_the_watched_reset_does_not_count(fast_clock):
    bmc = FakeDell()
    bmc.patch(SLOT_SETTINGS, {"iSCSIBoot": {"PrimaryLUN": 1}, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
    bmc.reset(at="2026-11-30T09:30:00-06:00", jobs_fail=True)     # an earlier run's job
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    assert wait(bmc, iscsi_target=None)["booted"] is True


def test_running_without_the_iscsi_option_is_not_booted_from_it(fast_clock):
    bmc = FakeDell()
    bmc.reset(at="2026-11-30T10:10:00-06:00")
    with pytest.raises(SanbootError, match="is not first in the boot order"):
        wait(bmc)
    bmc.tree[SYSTEM + "/BootOptions"]["Members"].pop()
    with pytest.raises(SanbootError, match="lists no boot option"):
        wait(bmc)


def test_check_mode_reads_once():
    bmc = booted()
    result = wait_for_boot_ops.run(FakeModule(wait_params(), check_mode=True), bmc, None)
    assert result["booted"] is True and result["evidence"] == "bmc"


# -- bmc_info ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["idrac9", "idrac10"])
def test_bmc_info_names_vendor_dialect_and_methods(variant):
    bmc = FakeDell(variant)
    info = bmc_info_ops.run(FakeModule({"system_id": None}), bmc, None)["bmc"]
    assert (info["vendor"], info["dialect"], info["dialect_variant"]) == ("Dell", "dell", variant)
    assert [(p["function_id"], p["iscsi_methods"]) for p in info["ports"]] == [
        ("NIC.Embedded.1-1-1", ["bios"]), ("NIC.Slot.1-1-1", ["nic", "bios"])]
    assert all(not r.startswith(("PATCH", "POST", "DELETE")) for r in bmc.requests)


def test_bmc_info_shows_the_bios_initiator_values_on_the_port_it_uses():
    bmc = FakeDell()
    bmc.tree[BIOS]["Attributes"].update({
        "IscsiDev1EnDis": "Enabled", "IscsiDev1Con1EnDis": "Enabled", "IscsiDev1Con1Interface": "NIC.Embedded.1-1-1",
        "IscsiDev1Con1TargetName": TARGET["name"], "IscsiDev1Con1Lun": "1", "IscsiDev1Con1Auth": "Chap",
        "IscsiDev1Con1ChapName": "esxi01", "IscsiDev1Con1ChapSecret": ""})
    ports = {p["function_id"]: p for p in bmc_info_ops.run(FakeModule({"system_id": None}), bmc, None)["bmc"]["ports"]}
    bios_port = ports["NIC.Embedded.1-1-1"]
    assert (bios_port["iscsi"]["PrimaryTargetName"], bios_port["iscsi"]["PrimaryLUN"]) == (TARGET["name"], 1)
    assert bios_port["iscsi"]["AuthenticationMethod"] == "CHAP"
    # the NIC-firmware port keeps showing its own iSCSIBoot, not the BIOS initiator's
    assert ports["NIC.Slot.1-1-1"]["iscsi"]["PrimaryTargetName"] != TARGET["name"]


def test_bmc_info_on_a_standard_bmc():
    info = bmc_info_ops.run(FakeModule({"system_id": None}), FakeBMC(), None)["bmc"]
    assert (info["vendor"], info["dialect"], info["dialect_variant"]) == ("Contoso", "dmtf", None)
    assert info["system"]["post_state"] is None     # only a vendor that reports it (HPE) fills it
    assert [p["iscsi_methods"] for p in info["ports"]] == [[], ["nic"]]


def test_idrac9_6_second_run_before_the_reset_sees_the_scheduled_job():
    bmc = FakeDell()
    bmc.reset()
    job = order(bmc)["job"]
    module = FakeModule(order_params())
    again = boot_order_ops.run(module, bmc, None)
    assert again["changed"] is False and again["pending"] is True and again["job"]["id"] == job["id"]
    assert len(writes(bmc)) == 1 and "already carries a boot configuration" in module.warnings[0]


def test_check_mode_sends_no_status_action():
    bmc = booted()
    bmc.sent.clear()
    wait_for_boot_ops.run(FakeModule(wait_params(), check_mode=True), bmc, None)
    assert bmc.sent == []
