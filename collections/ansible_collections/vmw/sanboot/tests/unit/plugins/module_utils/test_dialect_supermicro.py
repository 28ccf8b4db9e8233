# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Supermicro dialect against FakeSupermicro: detection, the iSCSI refusal, DisplayName
matching, the boot order on both paths, /Bios/SD, the reset marker and the unverified outcome."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import (bmc_info_ops, boot_order_ops, dialects, iscsi_boot_ops,
                                                                  network_proof, power_ops, wait_for_boot_ops)
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro import SupermicroDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro_watch import is_reset_entry
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_supermicro import (
    BIOS_SD, CLOCK, DISK, FIXED, ISCSI1, MAC1, PXE1, PXE2, RESET_AT, SYSTEM, FakeSupermicro)


def order_params(**changes):
    base = {"dialect": "auto", "iscsi_target": {"name": "iqn.2026-01.org.example:esxi01", "lun": 0}, "display_name": None,
            "mode": "persistent", "order": None, "override_target": None, "override_enabled": "Once",
            "fail_on_missing": False, "system_id": None}
    base.update(changes)
    return base


def wait_params(**changes):
    base = {"dialect": "auto", "state": "OSRunning", "since": CLOCK, "iscsi_target": None, "boot_option": None,
            "system_id": None, "wait_timeout": 60, "poll_interval": 10, "host_address": None, "host_port": 443}
    base.update(changes)
    return base


def order_run(bmc, **changes):
    module = FakeModule(order_params(**changes))
    return boot_order_ops.run(module, bmc, boot_order_ops.prepare(module))


# -- detection -------------------------------------------------------------------------------------

@pytest.mark.parametrize("board, variant", [("X13DEG-OAD", "x13"), ("X12DPG-QT6", "x12"), ("H13SSL-N", "x13")])
def test_detected_by_the_root_oem_and_the_board_names_the_variant(board, variant):
    bmc = FakeSupermicro(board=board)
    dialect = dialects.choose(bmc)
    assert (dialect.name, dialect.variant) == ("supermicro", variant)


def test_a_vendor_named_supermicro_is_detected_too():
    assert SupermicroDialect.detect({"Vendor": "Supermicro"})
    assert not SupermicroDialect.detect({"Vendor": "Contoso", "Oem": {"Contoso": {}}})


# -- no iSCSI over Redfish -------------------------------------------------------------------------

def test_bmc_info_lists_the_ports_without_iscsi_methods():
    bmc = FakeSupermicro()
    bmc_info = bmc_info_ops.run(FakeModule({"dialect": "auto", "system_id": None}), bmc, None)["bmc"]
    assert [(p["mac"], p["iscsi_methods"]) for p in bmc_info["ports"]] == [(MAC1, []), ("7c:c2:55:79:3f:8f", [])]
    assert all("iscsi" not in p for p in bmc_info["ports"])
    assert bmc_info["dialect_variant"] == "x13"
    assert bmc_info["system"]["reset_types"][-1] == "PowerCycle"      # from the ResetActionInfo
    assert bmc_info["system"]["bios_pending"] == {}


@pytest.mark.parametrize("state", ["present", "absent"])
def test_iscsi_boot_is_refused_before_any_write(state):
    bmc = FakeSupermicro()
    module = FakeModule({"dialect": "auto", "port": {"mac": MAC1}, "state": state, "iscsi_method": "auto"})
    with pytest.raises(SanbootError) as failure:
        iscsi_boot_ops.run(module, bmc, {})
    assert "cannot set (or read) iSCSI boot over Redfish" in failure.value.message
    assert "sanboot_configure_iscsi: false" in failure.value.message
    assert bmc.writes() == []


# -- finding the iSCSI option -----------------------------------------------------------------------

def test_the_iscsi_option_is_found_by_display_name():
    dialect = SupermicroDialect()
    options = FakeSupermicro(iscsi_options=1).tree
    refs = {o["BootOptionReference"]: o for u, o in options.items() if "/BootOptions/Boot" in u}
    assert dialect.find_boot_option(refs, "iqn.2026-01.org.example:esxi01", 0) == "Boot0004"
    assert dialect.find_boot_option(refs, display_name=PXE2) == "Boot0002"
    assert dialect.find_boot_option({r: o for r, o in refs.items() if r != "Boot0004"}, "iqn.x:y") is None


def test_two_iscsi_options_need_a_display_name():
    options = FakeSupermicro(iscsi_options=2).tree
    refs = {o["BootOptionReference"]: o for u, o in options.items() if "/BootOptions/Boot" in u}
    with pytest.raises(SanbootError, match="display_name"):
        SupermicroDialect().find_boot_option(refs, "iqn.x:y", 0)


def test_no_iscsi_option_yet_is_option_missing():
    bmc = FakeSupermicro(iscsi_options=0)
    result = order_run(bmc)
    assert result["option_missing"] and not result["changed"] and bmc.writes() == []


# -- boot order on both paths -----------------------------------------------------------------------

def test_boot_order_through_boot_order_and_a_second_run_writes_nothing():
    bmc = FakeSupermicro()
    result = order_run(bmc)
    assert result["changed"] and result["after"]["BootOrder"][0] == "Boot0004"
    assert [(m, u) for m, u, _b, _e in bmc.writes()] == [("PATCH", SYSTEM)]
    again = order_run(bmc)
    assert not again["changed"] and len(bmc.writes()) == 1


def test_property_unknown_falls_back_to_fixed_boot_order_and_a_second_run_writes_nothing():
    bmc = FakeSupermicro(property_unknown_order=True)
    result = order_run(bmc)
    assert result["changed"]
    sent = bmc.writes()
    assert [(m, u) for m, u, _b, _e in sent] == [("PATCH", SYSTEM), ("PATCH", FIXED)]
    body = sent[1][2]
    assert body["FixedBootOrder"][0] == "UEFI Network:" + ISCSI1
    assert len(body["FixedBootOrder"]) == len(bmc.tree[FIXED]["FixedBootOrder"])
    assert body["UEFINetwork"] == [ISCSI1, PXE1, PXE2]
    again = order_run(bmc)
    assert not again["changed"] and len(bmc.writes()) == 2


def test_the_fallback_order_counts_where_boot_order_does_not_show_it():
    bmc = FakeSupermicro(property_unknown_order=True)
    bmc.tree[FIXED].update(FixedBootOrder=["UEFI Network:" + ISCSI1, "UEFI Hard Disk"], UEFINetwork=[ISCSI1, PXE1, PXE2])
    result = order_run(bmc)      # Boot.BootOrder still lists the PXE option first
    assert not result["changed"] and bmc.writes() == []


def test_a_pxe_option_first_in_fixed_boot_order_does_not_override_boot_order():
    bmc = FakeSupermicro()
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0004", "Boot0001", "Boot0002", "Boot0003"]
    assert bmc.tree[FIXED]["FixedBootOrder"][7] == "UEFI Network:" + PXE1
    bmc.tree[FIXED]["FixedBootOrder"] = ["UEFI Network:" + PXE1]
    assert not order_run(bmc)["changed"]


def test_both_places_agreeing_read_the_options_once():
    bmc = FakeSupermicro()
    order_run(bmc)
    bmc.tree[FIXED].update(FixedBootOrder=["UEFI Network:" + ISCSI1, "UEFI Hard Disk"], UEFINetwork=[ISCSI1, PXE1, PXE2])
    bmc.requests.clear()
    assert not order_run(bmc)["changed"]
    assert bmc.requests.count("GET %s/BootOptions/Boot0001" % SYSTEM) == 1
    assert bmc.requests.count("GET %s/BootOptions/Boot0004" % SYSTEM) == 2     # the first option, read alone


def test_the_fallback_refuses_an_option_no_class_names_first():
    bmc = FakeSupermicro(property_unknown_order=True)
    with pytest.raises(SanbootError, match="neither in UEFINetwork nor the first device of a class"):
        order_run(bmc, iscsi_target=None, order=["Boot0003", "Boot0001"])
    assert [u for _m, u, _b, _e in bmc.writes()] == [SYSTEM]


def test_the_fallback_puts_the_class_of_a_disk_first_and_keeps_the_network_order():
    bmc = FakeSupermicro(property_unknown_order=True)
    classes = bmc.tree[FIXED]["FixedBootOrder"]
    classes[0] = "UEFI Hard Disk:" + DISK
    order_run(bmc, iscsi_target=None, order=["Boot0003", "Boot0002", "Boot0001"])
    body = bmc.writes()[-1][2]
    assert body["FixedBootOrder"] == [classes[0]] + [c if not c.startswith("UEFI Network:") else "UEFI Network:" + PXE2
                                                     for c in classes[1:]]
    assert body["UEFINetwork"] == [PXE2, PXE1, ISCSI1]


def test_other_errors_of_the_boot_order_patch_are_not_a_fallback():
    bmc = FakeSupermicro()
    bmc.script[("PATCH", SYSTEM)] = [RedfishError("PATCH", SYSTEM, 400, {"error": {"@Message.ExtendedInfo": [
        {"MessageId": "Base.1.10.3.PropertyValueNotInList", "Message": "Boot9999 is not in the list"}]}})]
    with pytest.raises(RedfishError):
        order_run(bmc)
    assert [u for _m, u, _b, _e in bmc.writes()] == [SYSTEM]


def test_a_boot_next_beside_a_refused_order_is_written_on_the_system():
    bmc = FakeSupermicro(property_unknown_order=True)
    dialect = dialects.choose(bmc)
    system = bmc.tree[SYSTEM]
    outcome = dialect.write_boot(bmc, SYSTEM, system, None, {"BootOrder": ["Boot0004", "Boot0001"], "BootNext": "Boot0004"})
    assert outcome["fallback"] == "FixedBootOrder"
    assert [(u, b) for _m, u, b, _e in bmc.writes()][-1] == (SYSTEM, {"Boot": {"BootNext": "Boot0004"}})


def test_no_fixed_boot_order_to_fall_back_to():
    bmc = FakeSupermicro(property_unknown_order=True)
    del bmc.tree[SYSTEM]["Oem"]
    with pytest.raises(SanbootError, match="no Oem.Supermicro.FixedBootOrder"):
        order_run(bmc)


# -- BIOS pending ---------------------------------------------------------------------------------------

def test_pending_bios_from_bios_sd():
    bmc = FakeSupermicro()
    dialect = dialects.choose(bmc)
    assert dialect.pending_bios(bmc, bmc.tree[SYSTEM]) == {}
    bmc.tree[BIOS_SD]["Attributes"] = {"QuietBoot_002D": False}
    assert dialect.pending_bios(bmc, bmc.tree[SYSTEM]) == {"QuietBoot_002D": False}


# -- reset marker ---------------------------------------------------------------------------------------

def test_the_reset_is_seen_in_the_sel_after_the_marker():
    bmc = FakeSupermicro()
    dialect = dialects.choose(bmc)
    before = dict(bmc.tree[SYSTEM])
    assert dialect.boot_marker(bmc, before) == CLOCK
    assert not dialect.reset_seen(before, bmc.tree[SYSTEM])
    bmc.reset()
    assert dialect.reset_seen(before, bmc.tree[SYSTEM])


def test_a_power_supply_entry_after_the_marker_is_not_a_reset():
    """The X13 capture logs `[PWR-...]` power-supply events (six at each BMC restart): none is a host reset."""
    bmc = FakeSupermicro()
    dialect = dialects.choose(bmc)
    before = dict(bmc.tree[SYSTEM])
    dialect.boot_marker(bmc, before)
    bmc.power_supply_event()
    bmc.power_supply_event("[PWR-0000] PS1 Status, Power Supply Installed")
    bmc.power_supply_event("[PWR-0003] PS1 Status, Power Supply input lost (AC/DC)", code="Deassert")
    assert not dialect.reset_seen(before, bmc.tree[SYSTEM])
    assert not power_ops.graceful_done(dialect, "GracefulRestart", before, bmc.tree[SYSTEM])   # the fallback still comes
    bmc.reset()
    assert dialect.reset_seen(before, bmc.tree[SYSTEM])


def test_a_power_supply_entry_after_since_does_not_end_the_wait(fast_clock):
    bmc = FakeSupermicro()
    bmc.power_supply_event()
    with pytest.raises(SanbootError, match="did not reach"):
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)
    result = wait_for_boot_ops.run(FakeModule(wait_params(), check_mode=True), bmc, None)
    assert (result["booted"], result["outcome"], result["evidence"]) == (False, "not_booted", None)


def _sel(message, sensor=None, oem=None, code="Assert"):
    return {"created": RESET_AT, "severity": "OK", "message": message, "message_id": "0x00FFFF",
            "sensor_type": sensor, "oem_sensor_type": oem, "entry_code": code}


@pytest.mark.parametrize("entry, reset", [
    (_sel("[HOST-0007] System Boot/Restart Initiated, System Restart", sensor="SystemBoot/Restart"), True),
    (_sel("[HOST-0000] System ACPI Power State, S0/G0: working", sensor="System ACPI PowerState"), True),
    (_sel("System ACPI Power State, S0/G0 working", oem="System ACPI Power State"), True),
    (_sel("System boot initiated by warm reset", oem="System Boot Initiated"), True),
    (_sel("[HOST-0006] System ACPI Power State, S4/S5: soft-off", sensor="System ACPI PowerState"), False),
    (_sel("[HOST-0007] System Boot/Restart Initiated", sensor="SystemBoot/Restart", code="Deassert"), False),
    (_sel("[PWR-0001] PS5 Status, Power Supply Failure detected", sensor="Power Supply / Converter"), False),
    (_sel("[PWR-0000] PS1 Status, Power Supply Installed", sensor="Power Supply / Converter"), False),
    (_sel("[PWR-0001] PS5 Status, Power Supply Failure detected"), False),
    (_sel("[PWR-0005] System reset"), False),                                    # the old guess: no sensor, no reset
    (_sel("[PWR-0001] PS2 Status, Power Supply Failure detected", oem="System Boot Initiated"), False),
    (_sel("[PWR-0020] First AC Power on", oem="AC Power On"), False),            # the BMC's own power, not the host's
    (_sel("[SYS-0027] Timestamp Clock Synch", sensor="System Event"), False),
])
def test_what_counts_as_a_reset_entry(entry, reset):
    assert is_reset_entry(entry) is reset


def test_boot_progress_going_back_is_a_reset():
    dialect = SupermicroDialect()
    assert dialect.reset_seen({"BootProgress": {"LastState": "SystemHardwareInitializationComplete"}},
                              {"BootProgress": {"LastState": "MemoryInitializationStarted"}})


# -- the watch and the unverified outcome ------------------------------------------------------------

def test_post_done_after_the_reset_is_unverified_without_a_host_address(fast_clock):
    bmc = FakeSupermicro()
    order_run(bmc)
    bmc.reset()
    result = wait_for_boot_ops.run(FakeModule(wait_params(iscsi_target={"name": "iqn.2026-01.org.example:esxi01", "lun": 0})),
                                   bmc, None)
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (False, False, "unverified", "post")
    assert "never goes past POST" in result["why"] and "Boot0004" in result["why"]
    assert result["boot_option"]["display_name"] == ISCSI1


def test_post_done_and_the_host_answering_is_booted(fast_clock, monkeypatch):
    monkeypatch.setattr(network_proof, "wait_until_answers", lambda *args: (True, 3.0))
    bmc = FakeSupermicro()
    bmc.reset()
    result = wait_for_boot_ops.run(FakeModule(wait_params(host_address="192.0.2.10")), bmc, None)
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (True, True, "booted", "post+network")


def test_a_host_address_that_does_not_answer_fails(fast_clock, monkeypatch):
    monkeypatch.setattr(network_proof, "wait_until_answers", lambda *args: (False, 50.0))
    bmc = FakeSupermicro()
    bmc.reset()
    with pytest.raises(SanbootError, match="did not answer") as failure:
        wait_for_boot_ops.run(FakeModule(wait_params(host_address="192.0.2.10")), bmc, None)
    assert failure.value.details["evidence"] == "post" and failure.value.details["booted"] is False


def test_no_reset_entry_after_since_times_out(fast_clock):
    bmc = FakeSupermicro()
    with pytest.raises(SanbootError, match="did not reach"):
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)


def test_post_still_running_is_not_done(fast_clock):
    bmc = FakeSupermicro()
    bmc.reset()
    bmc.tree[SYSTEM]["BootProgress"] = {"LastState": "MemoryInitializationStarted"}
    with pytest.raises(SanbootError, match="last state: MemoryInitializationStarted"):
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)


def test_a_boot_failure_in_the_log_fails_the_wait(fast_clock):
    bmc = FakeSupermicro()
    bmc.reset(failed_log="iSCSI boot: login failed")
    with pytest.raises(SanbootError, match="boot failure after the reset: iSCSI boot: login failed"):
        wait_for_boot_ops.run(FakeModule(wait_params()), bmc, None)


def test_the_iscsi_option_not_first_fails_the_wait(fast_clock):
    bmc = FakeSupermicro()
    bmc.reset()
    with pytest.raises(SanbootError, match="not first in the boot"):
        wait_for_boot_ops.run(FakeModule(wait_params(iscsi_target={"name": "iqn.2026-01.org.example:esxi01"})), bmc, None)


def test_the_fallback_order_counts_for_wait_for_boot_as_for_boot_order(fast_clock):
    """FixedBootOrder leads with the iSCSI option while Boot.BootOrder does not follow it: boot_order
    says unchanged, so wait_for_boot must not say the option is not first."""
    bmc = FakeSupermicro(property_unknown_order=True)
    bmc.tree[FIXED].update(FixedBootOrder=["UEFI Network:" + ISCSI1, "UEFI Hard Disk"], UEFINetwork=[ISCSI1, PXE1, PXE2])
    assert not order_run(bmc)["changed"]
    assert bmc.tree[SYSTEM]["Boot"]["BootOrder"][0] == "Boot0001"
    bmc.reset()
    result = wait_for_boot_ops.run(FakeModule(wait_params(iscsi_target={"name": "iqn.2026-01.org.example:esxi01", "lun": 0})),
                                   bmc, None)
    assert result["outcome"] == "unverified" and result["boot_option"]["reference"] == "Boot0004"
    assert dialects.choose(bmc).first_boot_option(bmc, bmc.tree[SYSTEM]) == "Boot0004"


def test_a_pxe_option_leading_fixed_boot_order_leaves_boot_order_first():
    bmc = FakeSupermicro()
    bmc.tree[SYSTEM]["Boot"]["BootOrder"] = ["Boot0003", "Boot0004"]
    assert dialects.choose(bmc).first_boot_option(bmc, bmc.tree[SYSTEM]) == "Boot0003"


def test_without_since_the_current_boot_is_judged_and_check_mode_says_unverified():
    bmc = FakeSupermicro()
    result = wait_for_boot_ops.run(FakeModule(wait_params(since=None), check_mode=True), bmc, None)
    assert (result["booted"], result["outcome"], result["evidence"]) == (False, "unverified", "post")


def test_check_mode_before_the_reset_is_not_booted():
    bmc = FakeSupermicro()
    result = wait_for_boot_ops.run(FakeModule(wait_params(), check_mode=True), bmc, None)
    assert (result["booted"], result["outcome"], result["evidence"]) == (False, "not_booted", None)
