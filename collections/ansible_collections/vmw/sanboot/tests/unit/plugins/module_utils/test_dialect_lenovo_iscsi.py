# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iscsi_boot and bmc_info on a Lenovo XCC: detection and variant, the write to the function's Pending
object with the ETag just read from it, the 412 re-read and single retry, the CHAP rule, pending as
diff(Pending, current), idempotency, check mode, and the refusal of an adapter without Pending before
any write."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import bmc_info_ops, dialects
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo import LenovoDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo_iscsi import (
    sendable, with_boot_mode, without_boot_mode, without_unused_chap)
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed, SanbootError, ValidationError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule, iscsi_boot_params, run_iscsi_boot
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_lenovo import (
    MAC1, MAC_OCP, MANAGER, PORT1, FakeLenovo)

SECRET = "lenovo-secret-01"
TARGET = "iqn.2024-01.org.example.san:esxi01"
PENDING = PORT1 + "/Pending"


def params(**changes):
    return iscsi_boot_params(changes, {"mac": MAC1, "adapter_id": None, "function_id": None}, SECRET, 10, target_name=TARGET)


def run(bmc, check_mode=False, **changes):
    return run_iscsi_boot(bmc, params(**changes), check_mode)


def patches(bmc):
    return bmc.writes("PATCH")


# -- detection --------------------------------------------------------------------------------------

@pytest.mark.parametrize("model, variant", [("Lenovo XClarity Controller", "xcc"), ("Lenovo XClarity Controller 2", "xcc2"),
                                            ("Lenovo XClarity Controller 3", "xcc2"), (None, "xcc")])
def test_detected_by_vendor_and_variant_from_the_manager_model(model, variant):
    bmc = FakeLenovo()
    bmc.tree[MANAGER]["Model"] = model
    dialect = dialects.choose(bmc)
    assert isinstance(dialect, LenovoDialect) and dialect.variant == variant


def test_detected_by_oem_section_without_vendor():
    assert LenovoDialect.detect({"Oem": {"Lenovo": {}}}) and not LenovoDialect.detect({"Vendor": "HPE"})


# -- the write --------------------------------------------------------------------------------------

def test_written_to_pending_with_the_etag_just_read_from_it_then_nothing_on_the_second_run():
    bmc = FakeLenovo()
    etag = bmc.etags[PENDING]
    result = run(bmc)
    assert result["changed"] is True and result["dialect"] == "lenovo" and result["dialect_variant"] == "xcc"
    assert result["apply_time"] == "OnReset" and result["reboot_required"] is True and result["job"] is None
    [(_method, uri, body, sent_etag)] = patches(bmc)
    assert uri == PENDING and sent_etag == etag and set(body) == {"iSCSIBoot"}     # XCC shows no BootMode
    assert "@Redfish.SettingsApplyTime" not in body            # XCC supports OnReset only: nothing to say
    assert body["iSCSIBoot"]["AuthenticationMethod"] == "CHAP" and body["iSCSIBoot"]["CHAPSecret"] == SECRET
    second = run(bmc)
    assert second["changed"] is False and len(patches(bmc)) == 1
    assert second["pending"]["iSCSIBoot"]["PrimaryTargetName"] == TARGET     # diff(Pending, current)
    assert second["pending"]["iSCSIBoot"].get("CHAPSecret") is None          # secrets never compared


def test_applied_by_the_reset_then_nothing_pending_and_nothing_written():
    bmc = FakeLenovo()
    run(bmc)
    bmc.reset()
    result = run(bmc)
    assert result["changed"] is False and result["pending"] == {} and len(patches(bmc)) == 1


def test_a_412_is_read_again_planned_again_and_retried_once_with_the_new_etag():
    bmc = FakeLenovo()
    read = bmc.etags[PENDING]
    bmc.race(PENDING)
    result = run(bmc)
    first, second = patches(bmc)
    assert result["changed"] is True and first[1] == second[1] == PENDING
    assert first[3] == read and second[3] not in (None, read)
    assert bmc.tree[PENDING]["iSCSIBoot"]["PrimaryTargetName"] == TARGET
    assert bmc.requests.count("GET %s" % PENDING) == 2 and bmc.requests.count("GET %s" % PORT1) >= 2


def test_a_412_whose_new_plan_is_empty_sends_nothing_again():
    bmc = FakeLenovo()
    bmc.script[("PATCH", PENDING)] = [PreconditionFailed("PATCH", PENDING, 412, {})]
    original = bmc.get

    def get(uri):       # the other writer put exactly our values in place
        if uri == PENDING and bmc.writes("PATCH"):
            bmc.tree[PENDING].update(BootMode="iSCSI")
            bmc.tree[PENDING]["iSCSIBoot"].update({k: v for k, v in bmc.writes("PATCH")[0][2]["iSCSIBoot"].items()
                                                   if k != "CHAPSecret"})
        return original(uri)

    bmc.get = get
    result = run(bmc)
    assert len(patches(bmc)) == 1 and result["changed"] is True


def test_a_second_412_is_not_retried_again():
    bmc = FakeLenovo()
    bmc.script[("PATCH", PENDING)] = [PreconditionFailed("PATCH", PENDING, 412, {}), PreconditionFailed("PATCH", PENDING, 412, {})]
    with pytest.raises(PreconditionFailed):
        run(bmc)
    assert len(patches(bmc)) == 2


def test_check_mode_writes_nothing():
    bmc = FakeLenovo()
    result = run(bmc, check_mode=True)
    assert result["changed"] is True and patches(bmc) == []


# -- refusals before any write ------------------------------------------------------------------------

def test_an_adapter_without_pending_is_refused_before_any_write():
    bmc = FakeLenovo()
    with pytest.raises(SanbootError, match="offers no Pending iSCSI settings over Redfish"):
        run(bmc, port={"mac": MAC_OCP, "adapter_id": None, "function_id": None})
    with pytest.raises(SanbootError, match="offers no Pending"):
        run(bmc, state="absent", port={"mac": MAC_OCP, "adapter_id": None, "function_id": None})
    assert bmc.writes() == []


def test_the_first_port_chosen_without_selector_is_one_with_pending():
    bmc = FakeLenovo()
    result = run(bmc, port={"mac": None, "adapter_id": None, "function_id": None})
    assert result["port"]["uri"] == PORT1


def test_the_bios_method_is_not_offered():
    with pytest.raises(ValidationError, match="not offered by the lenovo dialect"):
        run(FakeLenovo(), iscsi_method="bios")


def test_an_apply_time_xcc_does_not_support_is_refused_before_any_write():
    bmc = FakeLenovo()
    with pytest.raises(ValidationError, match="Immediate is not supported"):
        run(bmc, apply_time="Immediate")
    assert bmc.writes() == []


# -- the CHAP rule ----------------------------------------------------------------------------------

def test_chap_turned_off_sends_no_chap_keys_and_a_username_left_behind_is_no_difference():
    bmc = FakeLenovo()
    run(bmc)
    bmc.reset()
    result = run(bmc, chap=None)
    body = patches(bmc)[-1][2]["iSCSIBoot"]
    assert result["changed"] is True and body == {"AuthenticationMethod": "None"}
    bmc.tree[PORT1]["iSCSIBoot"]["CHAPUsername"] = bmc.tree[PENDING]["iSCSIBoot"]["CHAPUsername"] = "esxi01"
    bmc.reset()
    assert run(bmc, chap=None)["changed"] is False


def test_mutual_chap_sends_every_key():
    bmc = FakeLenovo()
    run(bmc, chap={"username": "esxi01", "secret": SECRET, "mutual_username": "san01", "mutual_secret": "lenovo-secret-02"})
    body = patches(bmc)[-1][2]["iSCSIBoot"]
    assert body["AuthenticationMethod"] == "MutualCHAP" and body["MutualCHAPSecret"] == "lenovo-secret-02"


def test_chap_secret_sent_alone_while_chap_stays_on():
    bmc = FakeLenovo()
    run(bmc)
    bmc.reset()
    run(bmc, chap_secret_update="always")
    assert patches(bmc)[-1][2] == {"iSCSIBoot": {"CHAPSecret": SECRET}}


def test_sendable_drops_keys_the_resulting_method_forbids():
    future = {"iSCSIBoot": {"AuthenticationMethod": "CHAP"}}
    assert sendable({"iSCSIBoot": {"MutualCHAPUsername": "x", "CHAPUsername": "y"}}, future) == {"iSCSIBoot": {"CHAPUsername": "y"}}
    assert sendable({"BootMode": "iSCSI", "iSCSIBoot": {"CHAPUsername": "y"}}, {"iSCSIBoot": {}}) == {"BootMode": "iSCSI"}
    assert sendable({"BootMode": "Disabled"}, None) == {"BootMode": "Disabled"}
    assert sendable({"iSCSIBoot": {"AuthenticationMethod": "MutualCHAP", "MutualCHAPUsername": "m"}}, None)["iSCSIBoot"] == \
        {"AuthenticationMethod": "MutualCHAP", "MutualCHAPUsername": "m"}


def test_unused_chap_keys_hidden_from_the_comparison():
    view = {"BootMode": "iSCSI", "iSCSIBoot": {"AuthenticationMethod": "CHAP", "CHAPUsername": "a", "MutualCHAPUsername": "b"}}
    assert without_unused_chap(view)["iSCSIBoot"] == {"AuthenticationMethod": "CHAP", "CHAPUsername": "a", "MutualCHAPUsername": None}
    assert without_unused_chap(None) is None


def test_the_bmc_refusing_chap_keys_is_reported_with_its_words():
    bmc = FakeLenovo()
    with pytest.raises(SanbootError, match="PropertyValueConflict"):
        bmc.patch(PENDING, {"iSCSIBoot": {"CHAPUsername": "x"}})


# -- BootMode -------------------------------------------------------------------------------------

def test_a_function_without_boot_mode_boots_iscsi_when_it_names_a_target():
    assert with_boot_mode({"BootMode": None, "iSCSIBoot": {"PrimaryTargetName": "iqn.x"}})["BootMode"] == "iSCSI"
    assert with_boot_mode({"BootMode": None, "iSCSIBoot": {"PrimaryTargetName": None}})["BootMode"] == "Disabled"
    assert with_boot_mode({"BootMode": "PXE", "iSCSIBoot": {}})["BootMode"] == "PXE" and with_boot_mode(None) is None
    assert without_boot_mode({"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1}}) == {"iSCSIBoot": {"PrimaryLUN": 1}}
    assert without_boot_mode({"BootMode": "Disabled"}) == {"iSCSIBoot": {"PrimaryTargetName": None}}


def test_a_function_that_shows_boot_mode_gets_it_written():
    bmc = FakeLenovo()
    for uri in (PORT1, PENDING):
        bmc.tree[uri]["BootMode"] = "Disabled"
    bmc.script[("PATCH", PENDING)] = [{}]
    run(bmc)
    assert patches(bmc)[-1][2]["BootMode"] == "iSCSI"


# -- absent -----------------------------------------------------------------------------------------

def test_absent_disables_through_pending_then_nothing():
    bmc = FakeLenovo()
    run(bmc)
    bmc.reset()
    result = run(bmc, state="absent")
    assert result["changed"] is True and patches(bmc)[-1][1:3] == (PENDING, {"iSCSIBoot": {"PrimaryTargetName": None}})
    assert run(bmc, state="absent")["changed"] is False


# -- bmc_info ---------------------------------------------------------------------------------------

def test_bmc_info_names_lenovo_its_firmware_status_ports_and_pending():
    bmc = FakeLenovo("xcc2")
    run(bmc)
    count = len(bmc.requests)
    info = bmc_info_ops.run(FakeModule({"system_id": None}), bmc, None)["bmc"]
    assert (info["vendor"], info["dialect"], info["dialect_variant"]) == ("Lenovo", "lenovo", "xcc2")
    assert info["firmware_version"] == "TGBT42S 2.83 2023-07-05"
    assert info["system"]["post_state"] == "BootingOSOrInUndetectedOS"
    assert info["system"]["reset_types"] and "PowerCycle" not in info["system"]["reset_types"]
    ports = {p["mac"]: p for p in info["ports"]}
    assert ports[MAC1]["iscsi_methods"] == ["nic"] and ports[MAC_OCP]["iscsi_methods"] == []
    assert ports[MAC1]["pending"]["iSCSIBoot"]["PrimaryTargetName"] == TARGET and "iscsi" not in ports[MAC_OCP]
    assert all(not r.startswith(("PATCH", "POST")) for r in bmc.requests[count:])
