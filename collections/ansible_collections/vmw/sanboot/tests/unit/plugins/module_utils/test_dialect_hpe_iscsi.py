# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iscsi_boot on an HPE iLO: the port -> NIC source mapping, the 4-slot positional payload for new,
existing and absent attempts, the BIOS prerequisites, idempotency against current and pending
values, the 200 SystemResetRequired answer, checks before any write, and the iLO 6 `nic` method."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import bmc_info_ops, dialects
from ansible_collections.vmw.sanboot.plugins.module_utils.bios_text import lun_from_text, lun_to_text
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_iscsi import BLANK_ATTEMPT, to_model
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_ports import NicSources, read_adapters
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import RedfishClient, Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule, iscsi_boot_params, run_iscsi_boot
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_hpe import (
    ADAPTERS, BIOS, BIOS_SETTINGS, ISCSI, ISCSI_SETTINGS, MAC1, MAC2, MAC_UNMAPPED, PORT1_SETTINGS, PORT2,
    RESET_REQUIRED, SYSTEM, FakeHpe)

SECRET = "hpe-secret-00001"
TARGET = "iqn.2024-01.org.example.san:esxi01"
INITIATOR = "iqn.1998-01.com.vmware:esxi01"


def params(**changes):
    return iscsi_boot_params(changes, {"mac": MAC1, "adapter_id": None, "function_id": None}, SECRET, 10, target_name=TARGET)


def run(bmc, check_mode=False, **changes):
    return run_iscsi_boot(bmc, params(**changes), check_mode)


def writes(bmc):
    return [s for s in bmc.sent if s[0] != "GET"]


def shared_name(bmc, name=INITIATOR):
    """The initiator name the attempts already in the BMC use (current and staged)."""
    bmc.tree[ISCSI]["iSCSIInitiatorName"] = bmc.tree[ISCSI_SETTINGS]["iSCSIInitiatorName"] = name
    return bmc


def used_attempt(source, instance, target="iqn.2024-01.org.example.san:other"):
    return dict(BLANK_ATTEMPT, StructuredBootString=None, UEFIDevicePath=None, iSCSIAttemptInstance=instance,
                iSCSIAttemptName=source, iSCSINicSource=source, iSCSIConnection="Enabled", iSCSITargetName=target,
                iSCSITargetInfoViaDHCP=False, iSCSITargetIpAddress="192.0.2.201")


# -- the mapping ----------------------------------------------------------------------------------

def test_ports_map_to_their_nic_source_through_adapters_and_bios_mappings():
    bmc = FakeHpe()
    sources = NicSources(bmc, read_adapters(bmc, bmc.tree[SYSTEM]), bmc.tree[BIOS], bmc.tree[ISCSI]["iSCSINicSources"])
    assert sources.source(MAC1) == ("Slot1NicBoot1", None)
    assert sources.source(MAC2.upper().replace(":", "-")) == ("Slot1NicBoot2", None)
    source, why = sources.source(MAC_UNMAPPED)
    assert source is None and "no NicBoot setting for port 1 of NIC.Slot.5.1" in why
    source, why = sources.source("00:00:00:00:00:01")
    assert source is None and why.startswith("no BaseNetworkAdapter lists MAC 00:00:00:00:00:01, and no BIOS boot option")


def test_without_base_network_adapters_a_port_maps_through_its_boot_option():
    """iLO 6 deprecates BaseNetworkAdapters: a port with a network boot option (its MAC and PCI path in
    the BIOS boot sources) still maps through the mappings' subinstance of that path; one with network
    boot off has no option, and the message says so."""
    bmc = FakeHpe("ilo6")
    sources = NicSources(bmc, [], bmc.tree[BIOS], bmc.tree[ISCSI]["iSCSINicSources"])
    assert sources.source(MAC1) == ("Slot1NicBoot1", None)
    source, why = sources.source(MAC2)
    assert source is None and "its network boot may be off" in why


def test_a_source_not_listed_by_the_initiator_is_refused():
    bmc = FakeHpe()
    sources = NicSources(bmc, read_adapters(bmc, bmc.tree[SYSTEM]), bmc.tree[BIOS], ["Slot4NicBoot1"])
    source, why = sources.source(MAC1)
    assert source is None and why == "Slot1NicBoot1 is not one of the iSCSI NIC sources (Slot4NicBoot1)"


def without_function(bmc, uri):
    """The BMC as iLO shows a NIC without Redfish device support: in BaseNetworkAdapters only."""
    collection = bmc.tree[uri.rsplit("/", 1)[0]]
    collection["Members"] = [m for m in collection["Members"] if m["@odata.id"] != uri]
    del bmc.tree[uri]
    return bmc


def test_a_port_listed_only_in_base_network_adapters_is_found_and_configured():
    bmc = without_function(FakeHpe(), PORT2)
    result = run(bmc, port={"mac": MAC2, "adapter_id": None, "function_id": None})
    assert result["changed"] is True and result["method"] == "bios", result
    assert result["port"]["adapter_id"] == "NIC.Slot.1" and result["port"]["function_id"] == "2"
    assert result["port"]["uri"] == SYSTEM + "/BaseNetworkAdapters/1#/PhysicalPorts/1"
    [bios, iscsi] = writes(bmc)      # the BIOS prerequisite first
    assert iscsi[2]["iSCSISources"][0]["iSCSINicSource"] == "Slot1NicBoot2"
    assert bios[2] == {"Attributes": {"iSCSISoftwareInitiator": "Enabled", "Slot1NicBoot2": "NetworkBoot"}}
    by_ids = run(without_function(FakeHpe(), PORT2), check_mode=True,
                 port={"mac": None, "adapter_id": "NIC.Slot.1", "function_id": "2"})
    assert by_ids["port"]["mac"] == MAC2, by_ids["port"]   # no such function id on the chassis: the adapter's port 2


def test_a_mac_with_a_function_never_becomes_an_adapter_port():
    """NIC.Slot.1 port 2 is MAC2, which has its NetworkDeviceFunction (id 1): not an adapter-only port."""
    bmc = FakeHpe()
    with pytest.raises(SanbootError) as caught:
        run(bmc, check_mode=True, port={"mac": None, "adapter_id": "NIC.Slot.1", "function_id": "2"})
    assert "no NetworkDeviceFunction NIC.Slot.1/2" in caught.value.message


def test_a_selector_without_mac_or_ids_takes_the_first_capable_adapter_only_port():
    bmc = FakeHpe()
    for uri in (PORT2, "/redfish/v1/Chassis/1/NetworkAdapters/DE080000/NetworkDeviceFunctions/0",
                "/redfish/v1/Chassis/1/NetworkAdapters/DE083000/NetworkDeviceFunctions/0"):
        without_function(bmc, uri)
    result = run(bmc, check_mode=True, port={"mac": None, "adapter_id": None, "function_id": None})
    assert result["port"]["mac"] == MAC1 and result["port"]["uri"].endswith("#/PhysicalPorts/0"), result["port"]


def test_base_network_adapters_are_read_once_per_run():
    bmc = without_function(FakeHpe(), PORT2)
    run(bmc, port={"mac": MAC2, "adapter_id": None, "function_id": None})
    assert bmc.requests.count("GET " + ADAPTERS + "/1") == 1 and bmc.requests.count("GET " + ADAPTERS) == 1


def test_bmc_info_lists_the_adapter_only_ports_once():
    result = bmc_info_ops.run(FakeModule({"system_id": None}), without_function(FakeHpe(), PORT2), None)
    ports = [p["mac"] for p in result["bmc"]["ports"]]
    assert sorted(ports) == sorted([MAC1, MAC2, MAC_UNMAPPED]) and len(ports) == 3, ports
    assert ports[-1] == MAC2    # after the NetworkDeviceFunctions
    assert result["bmc"]["ports"][-1]["iscsi_methods"] == ["bios"]


# -- writing --------------------------------------------------------------------------------------

def test_new_attempt_fills_the_first_free_slot_and_enables_the_initiator():
    bmc = FakeHpe()
    result = run(bmc)
    assert result["changed"] is True and result["method"] == "bios" and result["dialect"] == "hpe"
    assert result["dialect_variant"] == "ilo5" and result["apply_time"] == "OnReset" and result["job"] is None
    assert result["reboot_required"] is True
    [bios, iscsi] = writes(bmc)      # the BIOS prerequisite first
    assert iscsi[:2] == ("PATCH", ISCSI_SETTINGS) and iscsi[3] is None      # no If-Match
    slots = iscsi[2]["iSCSISources"]
    assert len(slots) == 4 and slots[1:] == [{}, {}, {}]
    attempt = slots[0]
    assert attempt["iSCSIAttemptInstance"] == 1 and attempt["iSCSINicSource"] == "Slot1NicBoot1"
    assert attempt["iSCSIConnection"] == "Enabled" and attempt["iSCSITargetName"] == TARGET
    assert attempt["iSCSILUN"] == "A" and attempt["iSCSIInitiatorNetmask"] == "255.255.255.0"
    assert attempt["iSCSIAuthenticationMethod"] == "CHAP" and attempt["iSCSIChapType"] == "OneWay"
    assert attempt["iSCSIChapSecret"] == SECRET and "iSCSIReverseChapSecret" not in attempt
    assert attempt["iSCSIInitiatorInfoViaDHCP"] is False and attempt["iSCSITargetInfoViaDHCP"] is False
    assert "StructuredBootString" not in attempt and "UEFIDevicePath" not in attempt
    assert iscsi[2]["iSCSIInitiatorName"] == "iqn.1998-01.com.vmware:esxi01"
    # Slot1NicBoot1 is already NetworkBoot: only the software initiator is enabled.
    assert bios == ("PATCH", BIOS_SETTINGS, {"Attributes": {"iSCSISoftwareInitiator": "Enabled"}}, None)


def test_pending_values_are_not_written_again_and_applied_ones_are_not_changes():
    bmc = FakeHpe()
    run(bmc)
    second = run(bmc)
    assert second["changed"] is False and second["reboot_required"] is True and len(writes(bmc)) == 2
    assert second["pending"]["BootMode"] == "iSCSI" and second["pending"]["iSCSIBoot"]["PrimaryTargetName"] == TARGET
    assert "CHAPSecret" not in second["pending"]["iSCSIBoot"]       # secrets take part in no diff
    bmc.reset()
    assert bmc.tree[ISCSI]["iSCSISources"][0]["iSCSIChapSecret"] == ""      # HPE reads secrets back as ""
    third = run(bmc)
    assert third["changed"] is False and third["reboot_required"] is False and third["pending"] == {}
    assert third["before"]["iSCSIBoot"]["CHAPSecret"] is None and third["before"]["BootMode"] == "iSCSI"
    assert third["before"]["iSCSIBoot"]["PrimaryLUN"] == 10 and len(writes(bmc)) == 2


def test_an_existing_attempt_is_changed_in_its_own_slot_keeping_its_instance():
    bmc = shared_name(FakeHpe())
    bmc.tree[ISCSI]["iSCSISources"][0] = used_attempt("Slot4NicBoot1", 1)
    bmc.tree[ISCSI]["iSCSISources"][2] = used_attempt("Slot1NicBoot1", 3)
    bmc.tree[BIOS]["Attributes"]["iSCSISoftwareInitiator"] = "Enabled"
    bmc.tree[BIOS_SETTINGS]["Attributes"]["iSCSISoftwareInitiator"] = "Enabled"
    result = run(bmc, chap=None)
    assert result["before"]["BootMode"] == "iSCSI" and result["changed"] is True
    [(_m, uri, body, _e)] = writes(bmc)
    assert uri == ISCSI_SETTINGS
    assert body["iSCSISources"][0] == {} and body["iSCSISources"][1] == {} and body["iSCSISources"][3] == {}
    attempt = body["iSCSISources"][2]
    assert attempt["iSCSIAttemptInstance"] == 3 and attempt["iSCSITargetName"] == TARGET
    assert "iSCSIChapSecret" not in attempt     # a secret is never rewritten from what was read ("")


def test_a_new_attempt_takes_an_instance_no_other_slot_uses():
    bmc = shared_name(FakeHpe())
    bmc.tree[ISCSI]["iSCSISources"][0] = used_attempt("Slot4NicBoot1", 1)
    run(bmc)
    body = writes(bmc)[-1][2]
    assert body["iSCSISources"][0] == {} and body["iSCSISources"][1]["iSCSIAttemptInstance"] == 2


def test_absent_writes_the_blank_attempt_back_into_its_slot_only():
    bmc = FakeHpe()
    bmc.tree[ISCSI]["iSCSISources"][1] = used_attempt("Slot1NicBoot1", 2)
    bmc.tree[BIOS]["Attributes"]["iSCSISoftwareInitiator"] = "Enabled"
    bmc.tree[BIOS_SETTINGS]["Attributes"]["iSCSISoftwareInitiator"] = "Enabled"
    result = run(bmc, state="absent")
    assert result["changed"] is True and result["after"]["BootMode"] == "Disabled"
    [(_m, uri, body, _e)] = writes(bmc)
    assert uri == ISCSI_SETTINGS and body == {"iSCSISources": [{}, dict(BLANK_ATTEMPT), {}, {}]}
    bmc.reset()
    assert run(bmc, state="absent")["changed"] is False and len(writes(bmc)) == 1


def test_absent_without_an_attempt_writes_nothing():
    bmc = FakeHpe()
    result = run(bmc, state="absent")
    assert result["changed"] is False and writes(bmc) == []


def test_no_free_slot_is_said_before_any_write():
    bmc = FakeHpe()
    bmc.tree[ISCSI]["iSCSISources"] = [used_attempt("Slot4NicBoot1", n) for n in range(1, 5)]
    with pytest.raises(SanbootError) as caught:
        run(bmc)
    assert "all 4 iSCSI attempt slots are used" in caught.value.message and writes(bmc) == []


def test_check_mode_writes_nothing():
    bmc = FakeHpe()
    result = run(bmc, check_mode=True)
    assert result["changed"] is True and writes(bmc) == []


def test_a_mutual_chap_attempt_and_chap_read_case_insensitively():
    bmc = FakeHpe()
    run(bmc, chap={"username": "esxi01", "secret": SECRET, "mutual_username": "san01", "mutual_secret": "hpe-mutual-0001"})
    attempt = writes(bmc)[-1][2]["iSCSISources"][0]
    assert attempt["iSCSIChapType"] == "Mutual" and attempt["iSCSIReverseChapUsername"] == "san01"
    assert attempt["iSCSIReverseChapSecret"] == "hpe-mutual-0001"
    slot = dict(attempt, iSCSIAuthenticationMethod="Chap")      # iLO 4's spelling
    assert to_model("iqn.x", slot, True)["iSCSIBoot"]["AuthenticationMethod"] == "MutualCHAP"


def test_the_200_system_reset_required_envelope_is_a_success():
    bmc = FakeHpe()
    dialect = dialects.choose(bmc)
    reply = Reply(200, copy.deepcopy(RESET_REQUIRED), {})
    assert RedfishClient._checked(reply, "PATCH", ISCSI_SETTINGS) is reply
    assert dialect.applied(bmc, reply) == {}
    result = run(bmc)       # both PATCHes answer with the envelope
    assert [w[1] for w in writes(bmc)] == [BIOS_SETTINGS, ISCSI_SETTINGS]
    assert result["changed"] is True and result["job"] is None and "task" not in result


class Killed(BaseException):
    """The controller dies between two writes (SIGKILL: nothing after it runs)."""


def test_a_run_killed_between_its_two_writes_is_finished_without_writing_anything_twice():
    """The kill scenario's finding (tests/e2e/test_chaos_killed.py): with the attempt written first, a run killed
    before the BIOS prerequisite left BootMode reading Disabled, and the next run wrote the pending attempt again
    with its secret. The prerequisite goes first now: the next run writes only the missing attempt."""
    bmc = FakeHpe()
    patch, applied = bmc.patch, []

    def killed_at_the_second_write(uri, body, etag=None):
        if len(applied) == 1:
            raise Killed()
        applied.append(uri)
        return patch(uri, body, etag)

    bmc.patch = killed_at_the_second_write
    with pytest.raises(Killed):
        run(bmc)
    bmc.patch = lambda uri, body, etag=None: applied.append(uri) or patch(uri, body, etag)
    assert run(bmc)["changed"] is True
    assert sorted(applied) == sorted([BIOS_SETTINGS, ISCSI_SETTINGS]), applied    # each written once
    assert run(bmc)["changed"] is False and len(applied) == 2


def test_switching_chap_off_clears_the_user_names_and_secrets():
    bmc = FakeHpe()
    run(bmc, chap={"username": "esxi01", "secret": SECRET, "mutual_username": "san01", "mutual_secret": "hpe-mutual-0001"})
    bmc.reset()
    count = len(writes(bmc))
    result = run(bmc, chap=None)
    assert result["changed"] is True
    [(_m, uri, body, _e)] = writes(bmc)[count:]
    attempt = body["iSCSISources"][0]
    assert attempt["iSCSIAuthenticationMethod"] == "None"
    assert {k: attempt[k] for k in ("iSCSIChapUsername", "iSCSIReverseChapUsername", "iSCSIChapSecret",
                                    "iSCSIReverseChapSecret")} == dict.fromkeys(
        ("iSCSIChapUsername", "iSCSIReverseChapUsername", "iSCSIChapSecret", "iSCSIReverseChapSecret"), "")
    assert run(bmc, chap=None)["changed"] is False          # pending: no second write
    bmc.reset()
    assert run(bmc, chap=None)["changed"] is False and len(writes(bmc)) == count + 1


def test_absent_blanks_every_attempt_of_the_source_whatever_its_state():
    bmc = FakeHpe()
    bmc.tree[ISCSI]["iSCSISources"][0] = used_attempt("Slot4NicBoot1", 1)
    bmc.tree[ISCSI]["iSCSISources"][1] = dict(used_attempt("Slot1NicBoot1", 2), iSCSIConnection="Disabled")
    bmc.tree[ISCSI]["iSCSISources"][3] = used_attempt("Slot1NicBoot1", 4)
    # the initiator is off: neither attempt boots, yet both are this port's configuration
    result = run(bmc, state="absent")
    assert result["changed"] is True and result["before"]["BootMode"] == "Disabled"
    [(_m, uri, body, _e)] = writes(bmc)
    assert uri == ISCSI_SETTINGS and body == {"iSCSISources": [{}, dict(BLANK_ATTEMPT), {}, dict(BLANK_ATTEMPT)]}
    assert run(bmc, state="absent")["changed"] is False      # pending
    bmc.reset()
    assert run(bmc, state="absent")["changed"] is False and len(writes(bmc)) == 1
    assert bmc.tree[ISCSI]["iSCSISources"][0]["iSCSINicSource"] == "Slot4NicBoot1"


def test_another_attempts_initiator_name_is_not_changed_behind_its_back():
    bmc = FakeHpe()
    bmc.tree[ISCSI]["iSCSISources"][2] = used_attempt("Slot4NicBoot1", 1)
    with pytest.raises(ValidationError) as caught:
        run(bmc)
    message = caught.value.message
    assert caught.value.field == "initiator.name" and writes(bmc) == []
    assert "iqn.2015-02.com.hpe:uefi-U30-CZ2D1X0N7P" in message and "1 (Slot4NicBoot1)" in message
    same = run(bmc, initiator=dict(params()["initiator"], name="IQN.2015-02.com.hpe:uefi-U30-CZ2D1X0N7P"))
    assert same["changed"] is True and writes(bmc)[-1][1] == ISCSI_SETTINGS and "iSCSIInitiatorName" not in writes(bmc)[-1][2]
    assert run(FakeHpe())["changed"] is True        # no other attempt: the name is this port's to set


@pytest.mark.parametrize("variant", ["ilo5", "ilo6"])
def test_older_gen10_turns_the_initiator_on_through_iscsi_policy(variant):
    bmc = FakeHpe(variant)
    for body in (bmc.tree[BIOS]["Attributes"], bmc.tree[BIOS_SETTINGS]["Attributes"]):
        del body["iSCSISoftwareInitiator"]
        body["iSCSIPolicy"] = "Disabled"
    assert run(bmc)["changed"] is True
    assert writes(bmc)[0][1:3] == (BIOS_SETTINGS, {"Attributes": {"iSCSIPolicy": "SoftwareInitiator"}})


@pytest.mark.parametrize("attributes, words", [
    ({"iSCSISoftwareInitiator": None}, "no software initiator switch"),
    ({"BootMode": "LegacyBios"}, "BootMode is LegacyBios"),
])
def test_a_bios_without_the_initiator_switch_or_in_legacy_mode_is_refused(attributes, words):
    bmc = FakeHpe()
    for body in (bmc.tree[BIOS]["Attributes"], bmc.tree[BIOS_SETTINGS]["Attributes"]):
        body.update(attributes)
        if attributes.get("iSCSISoftwareInitiator", "") is None:
            del body["iSCSISoftwareInitiator"]
    with pytest.raises(SanbootError) as caught:
        run(bmc, check_mode=True)
    assert words in caught.value.message and writes(bmc) == []
    assert run(bmc, state="absent")["changed"] is False     # absent needs no prerequisite


def test_a_lun_above_255_is_refused_on_the_software_initiator():
    bmc = FakeHpe()
    with pytest.raises(ValidationError) as caught:
        run(bmc, target=dict(params()["target"], lun=256))
    assert caught.value.field == "target.lun" and writes(bmc) == []
    assert run(FakeHpe(), target=dict(params()["target"], lun=255))["changed"] is True


@pytest.mark.parametrize("model, firmware, variant", [
    ("iLO 5", "iLO 5 v2.72", "ilo5"), ("iLO 6", "iLO 6 v1.73", "ilo6"), ("iLO 7", "iLO 7 v1.14", "ilo6"),
    ("Integrated Lights-Out", "iLO 16 v1.00", "ilo6"),
])
def test_the_ilo_generation_is_read_as_a_number(model, firmware, variant):
    bmc = FakeHpe()
    bmc.tree["/redfish/v1/Managers/1"].update(Model=model, FirmwareVersion=firmware)
    assert dialects.choose(bmc).variant == variant


@pytest.mark.parametrize("change, field", [
    ({"target": {"name": TARGET, "address": "192.0.2.200", "port": 3260, "lun": 1, "vlan_id": 20}}, "target.vlan_id"),
    ({"initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11", "netmask": "24", "gateway": None,
                    "primary_dns": "192.0.2.53", "secondary_dns": None, "dhcp": False}}, "initiator.primary_dns"),
    ({"secondary_target": {"name": TARGET, "address": "192.0.2.201", "port": 3260, "lun": 1}}, "secondary_target"),
    ({"target": {"name": "eui.0123456789abcdef", "address": "192.0.2.200", "port": 3260, "lun": 1, "vlan_id": None}},
     "target.name"),
    ({"chap": {"username": "u" * 127, "secret": SECRET, "mutual_username": None, "mutual_secret": None}}, "chap.username"),
])
def test_what_hpe_refuses_is_said_before_any_write(change, field):
    bmc = FakeHpe()
    with pytest.raises(ValidationError) as caught:
        run(bmc, **change)
    assert caught.value.field == field and writes(bmc) == []


def test_apply_time_is_only_on_reset():
    bmc = FakeHpe()
    with pytest.raises(ValidationError) as caught:
        run(bmc, apply_time="Immediate")
    assert caught.value.field == "apply_time" and writes(bmc) == []


def test_an_unmapped_port_cannot_use_the_software_initiator():
    bmc = FakeHpe()
    with pytest.raises(SanbootError) as caught:
        run(bmc, port={"mac": MAC_UNMAPPED, "adapter_id": None, "function_id": None})
    assert "no NicBoot setting" in caught.value.message and writes(bmc) == []


def test_nic_method_on_ilo5_is_refused_naming_bios():
    bmc = FakeHpe()
    with pytest.raises(SanbootError) as caught:
        run(bmc, iscsi_method="nic")
    assert caught.value.details["field"] == "iscsi_method" and "use iscsi_method bios" in caught.value.message


def test_lun_text_both_ways():
    assert [lun_to_text(n) for n in (0, 1, 10, 16383)] == ["0", "1", "A", "3FFF"]
    assert [lun_from_text(t) for t in ("0", "A", "0001-0000-0000-0000", "zz")] == [0, 10, 1, "zz"]


# -- iLO 6: a DCi adapter's own iSCSIBoot -----------------------------------------------------------

def test_ilo6_auto_takes_the_nic_where_the_port_offers_it_without_if_match():
    bmc = FakeHpe("ilo6", nic_iscsi=True)
    result = run(bmc)
    assert result["method"] == "nic" and result["dialect_variant"] == "ilo6"
    [(_m, uri, body, etag)] = writes(bmc)
    assert uri == PORT1_SETTINGS and etag is None and body["@Redfish.SettingsApplyTime"] == {"ApplyTime": "OnReset"}
    bios = run(FakeHpe("ilo6", nic_iscsi=True), iscsi_method="bios")
    assert bios["method"] == "bios"


def test_ilo6_nic_chap_secret_must_be_12_or_16():
    bmc = FakeHpe("ilo6", nic_iscsi=True)
    with pytest.raises(ValidationError) as caught:
        run(bmc, chap={"username": "esxi01", "secret": "thirteen-char", "mutual_username": None, "mutual_secret": None})
    assert caught.value.field == "chap.secret" and writes(bmc) == []


@pytest.mark.parametrize("reset", [False, True])
def test_ilo6_auto_absent_clears_an_attempt_written_with_bios(reset):
    """auto prefers the channel that holds the port's configuration: the software initiator here."""
    bmc = FakeHpe("ilo6", nic_iscsi=True)
    assert run(bmc, iscsi_method="bios")["method"] == "bios"
    if reset:
        bmc.reset()
    count = len(writes(bmc))
    result = run(bmc, state="absent")
    assert result["changed"] is True and result["method"] == "bios", result
    [(_m, uri, body, _e)] = writes(bmc)[count:]
    assert uri == ISCSI_SETTINGS and body["iSCSISources"][0] == BLANK_ATTEMPT
    again = run(bmc, state="absent")
    assert again["changed"] is False and len(writes(bmc)) == count + 1


# -- bmc_info -------------------------------------------------------------------------------------

def ports_of(bmc):
    result = bmc_info_ops.run(FakeModule({"system_id": None}), bmc, None)
    return result, {p["mac"]: p for p in result["bmc"]["ports"]}


def test_bmc_info_lists_methods_per_port_and_the_attempt_in_dmtf_form():
    bmc = FakeHpe()
    run(bmc)
    bmc.reset()
    result, ports = ports_of(bmc)
    assert (result["dialect"], result["dialect_variant"]) == ("hpe", "ilo5")
    assert result["bmc"]["system"]["post_state"] == "FinishedPost"
    assert ports[MAC1]["iscsi_methods"] == ["bios"] and ports[MAC2]["iscsi_methods"] == ["bios"]
    assert ports[MAC_UNMAPPED]["iscsi_methods"] == []
    assert ports[MAC1]["iscsi"]["PrimaryTargetName"] == TARGET and ports[MAC1]["iscsi"]["CHAPSecret"] is None
    assert ports[MAC1]["pending"] == {} and ports[MAC2]["iscsi"]["PrimaryTargetName"] is None
    # the port boots iSCSI through the software initiator, whatever its function's own BootMode says
    assert ports[MAC1]["boot_mode"] == "iSCSI" and ports[MAC2]["boot_mode"] == "PXE"
    assert writes(bmc)[-1][1] == ISCSI_SETTINGS     # bmc_info itself wrote nothing


def test_bmc_info_on_ilo6_shows_nic_and_bios():
    _result, ports = ports_of(FakeHpe("ilo6", nic_iscsi=True))
    assert ports[MAC1]["iscsi_methods"] == ["nic", "bios"] and ports[MAC2]["iscsi_methods"] == ["bios"]
