# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iscsi_boot on a Dell iDRAC: the nic and bios methods, jobs, idempotency against current and
pending values, registry checks before any write, SYS011 and clear_pending."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import iscsi_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.bios_text import lun_from_text, lun_to_text
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell_bios import Registry, to_model
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule, iscsi_boot_params, run_iscsi_boot
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_dell import (
    BIOS, BIOS_SETTINGS, JOBS, SLOT, SLOT_SETTINGS, FakeDell, registry)

SECRET = "dell-secret-01"
SLOT_PORT = {"mac": None, "adapter_id": "NIC.Slot.1", "function_id": "NIC.Slot.1-1-1"}
EMBEDDED_PORT = {"mac": None, "adapter_id": "NIC.Embedded.1", "function_id": "NIC.Embedded.1-1-1"}


def params(**changes):
    return iscsi_boot_params(changes, dict(SLOT_PORT), SECRET, 1, netmask="255.255.255.0")


def run(bmc, check_mode=False, **changes):
    return run_iscsi_boot(bmc, params(**changes), check_mode)


def writes(bmc):
    return [s for s in bmc.sent if s[0] in ("PATCH", "POST", "DELETE")]


@pytest.mark.parametrize("variant", ["idrac9", "idrac9-7", "idrac10"])
def test_nic_method_creates_a_job_and_a_second_run_writes_nothing(variant):
    bmc = FakeDell(variant)
    first = run(bmc)
    assert first["changed"] is True and first["method"] == "nic" and first["dialect"] == "dell"
    assert first["dialect_variant"] == ("idrac10" if variant == "idrac10" else "idrac9")
    assert first["job"]["state"] == "Scheduled" and first["job"]["type"] == "NICConfiguration"
    assert first["job"]["uri"] == JOBS + "/" + first["job"]["id"]
    assert first["reboot_required"] is True and first["apply_time"] == "OnReset"
    [(method, uri, body, etag)] = writes(bmc)
    assert (method, uri, etag) == ("PATCH", SLOT_SETTINGS, None)           # Dell: never If-Match
    assert body["@Redfish.SettingsApplyTime"] == {"ApplyTime": "OnReset"} and body["BootMode"] == "iSCSI"

    second = run(bmc)
    assert second["changed"] is False and second["reboot_required"] is True and second["job"] is None
    assert second["pending"]["BootMode"] == "iSCSI"
    assert len(writes(bmc)) == 1 and bmc.job_count() == 1

    bmc.reset()
    third = run(bmc)
    assert third["changed"] is False and third["reboot_required"] is False and third["pending"] == {}
    assert len(writes(bmc)) == 1 and bmc.job_count() == 1
    assert bmc.tree[SLOT]["iSCSIBoot"]["CHAPSecret"] is None            # Dell reads secrets back as null


def test_check_mode_writes_nothing():
    bmc = FakeDell()
    result = run(bmc, check_mode=True)
    assert result["changed"] is True and result["job"] is None
    assert writes(bmc) == []


def test_bios_method_is_chosen_for_a_port_without_nic_iscsi():
    bmc = FakeDell()
    first = run(bmc, port=dict(EMBEDDED_PORT))
    assert first["method"] == "bios" and first["job"]["type"] == "BIOSConfiguration"
    [(method, uri, body, _etag)] = writes(bmc)
    assert (method, uri) == ("PATCH", BIOS_SETTINGS)
    attributes = body["Attributes"]
    assert attributes["IscsiDev1Con1Interface"] == "NIC.Embedded.1-1-1"
    assert attributes["IscsiDev1EnDis"] == "Enabled" and attributes["IscsiDev1Con1EnDis"] == "Enabled"
    assert attributes["IscsiInitiatorName"] == "iqn.1998-01.com.vmware:esxi01"
    assert attributes["IscsiDev1Con1TargetName"] == "iqn.2024-01.org.example.san:esxi01"
    assert attributes["IscsiDev1Con1Lun"] == "1" and "IscsiDev1Con1Port" not in attributes   # 3260 already
    assert attributes["IscsiDev1Con1Auth"] == "Chap" and attributes["IscsiDev1Con1ChapType"] == "OneWay"
    assert attributes["IscsiDev1Con1ChapSecret"] == SECRET
    assert first["after"]["iSCSIBoot"]["CHAPSecret"] == "********"

    second = run(bmc, port=dict(EMBEDDED_PORT))
    assert second["changed"] is False and second["reboot_required"] is True and len(writes(bmc)) == 1
    bmc.reset()
    third = run(bmc, port=dict(EMBEDDED_PORT))
    assert third["changed"] is False and third["reboot_required"] is False and len(writes(bmc)) == 1
    assert bmc.tree[BIOS]["Attributes"]["IscsiDev1Con1ChapSecret"] == ""   # read back empty, never compared


def test_bios_method_with_vlan_and_mutual_chap():
    bmc = FakeDell()
    chap = {"username": "esxi01", "secret": SECRET, "mutual_username": "san01", "mutual_secret": "san01-mutual"}
    target = dict(params()["target"], vlan_id=120)
    run(bmc, port=dict(EMBEDDED_PORT), iscsi_method="bios", chap=chap, target=target)
    attributes = writes(bmc)[0][2]["Attributes"]
    assert attributes["IscsiDev1Con1VlanEnDis"] == "Enabled" and attributes["IscsiDev1Con1VlanId"] == 120
    assert attributes["IscsiDev1Con1ChapType"] == "Mutual" and attributes["IscsiDev1Con1RevChapName"] == "san01"


def test_bios_method_can_be_asked_for_on_a_nic_capable_port():
    bmc = FakeDell()
    assert run(bmc, iscsi_method="bios")["method"] == "bios"
    assert writes(bmc)[0][2]["Attributes"]["IscsiDev1Con1Interface"] == "NIC.Slot.1-1-1"


def test_nic_method_on_a_port_without_it_is_refused_before_any_write():
    bmc = FakeDell()
    with pytest.raises(SanbootError) as caught:
        run(bmc, port=dict(EMBEDDED_PORT), iscsi_method="nic")
    assert "iscsi_method nic" in caught.value.message and "iSCSIBoot is empty" in caught.value.message
    assert writes(bmc) == []


def test_a_port_that_cannot_boot_from_iscsi_is_refused_clearly():
    bmc = FakeDell()
    for key in list(bmc.tree[BIOS]["Attributes"]):
        if key.startswith("IscsiDev1"):
            del bmc.tree[BIOS]["Attributes"][key]
    with pytest.raises(SanbootError) as caught:
        run(bmc, port=dict(EMBEDDED_PORT))
    assert "port NIC.Embedded.1-1-1 cannot boot from iSCSI" in caught.value.message
    assert writes(bmc) == []


def test_capabilities_alone_do_not_decide_the_nic_method():
    """iDRAC 7.10: a full iSCSIBoot on a port whose capabilities say only Disabled."""
    bmc = FakeDell("idrac9-7")
    bmc.tree[SLOT]["NetDevFuncCapabilities"] = ["Disabled"]
    assert run(bmc)["method"] == "nic"


@pytest.mark.parametrize("variant, refused", [("idrac9", True), ("idrac9-7", False), ("idrac10", False)])
def test_iqn_checked_against_the_live_registry(variant, refused):
    bmc = FakeDell(variant)
    target = dict(params()["target"], name="iqn.2000-01.com.synology:ds.Target-1")
    if not refused:
        assert run(bmc, port=dict(EMBEDDED_PORT), target=target)["changed"] is True
        return
    with pytest.raises(ValidationError) as caught:
        run(bmc, port=dict(EMBEDDED_PORT), target=target)
    assert caught.value.field == "target.name"
    assert "IscsiDev1Con1TargetName" in caught.value.message and "does not match the pattern" in caught.value.message
    assert writes(bmc) == []


def test_a_17_character_chap_secret_is_refused_naming_the_field():
    bmc = FakeDell()
    with pytest.raises(ValidationError) as caught:
        run(bmc, port=dict(EMBEDDED_PORT), chap={"username": "u", "secret": "x" * 17, "mutual_username": None,
                                                 "mutual_secret": None})
    assert caught.value.field == "chap.secret" and "x" * 17 not in caught.value.message
    assert bmc.requests == []          # refused before the BMC was contacted


def test_registry_checks_name_the_option_and_hide_secrets():
    entries = Registry(registry())
    with pytest.raises(ValidationError) as caught:
        entries.check("IscsiDev1Con1VlanId", "vlan120")
    assert caught.value.field == "target.vlan_id" and "is not an integer" in caught.value.message
    with pytest.raises(ValidationError, match="outside 1-4094"):
        entries.check("IscsiDev1Con1VlanId", 5000)
    with pytest.raises(ValidationError) as caught:
        entries.check("IscsiDev1Con1ChapSecret", "s" * 17)
    assert caught.value.field == "chap.secret" and "s" * 17 not in caught.value.message
    assert "12 to 16 characters, got 17" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        entries.check("IscsiDev1Con1Interface", "NIC.Slot.9-1-1")
    assert caught.value.field == "port"
    entries.check("IscsiDev1Con1VlanId", 120)
    entries.check("UnknownAttribute", "anything")


def test_port_refused_by_the_bios_interface_list():
    bmc = FakeDell()
    registry_body = bmc.tree[BIOS + "/BiosRegistry"]
    for entry in registry_body["RegistryEntries"]["Attributes"]:
        if entry["AttributeName"] == "IscsiDev1Con1Interface":
            entry["Value"] = [{"ValueName": "NIC.Slot.1-1-1"}]
    with pytest.raises(ValidationError) as caught:
        run(bmc, port=dict(EMBEDDED_PORT))
    assert caught.value.field == "port" and writes(bmc) == []


def test_dns_is_refused_by_the_bios_method():
    initiator = dict(params()["initiator"], primary_dns="192.0.2.53")
    with pytest.raises(ValidationError) as caught:
        run(FakeDell(), port=dict(EMBEDDED_PORT), initiator=initiator)
    assert caught.value.field == "initiator.primary_dns"


def test_a_pending_job_for_the_target_is_reported_clearly():
    bmc = FakeDell()
    run(bmc)
    other = dict(params()["target"], lun=2)
    with pytest.raises(SanbootError) as caught:
        run(bmc, target=other)
    assert "a configuration job is already pending" in caught.value.message
    assert "Pending configuration values are already committed" in caught.value.message
    assert "clear_pending" in caught.value.message
    assert bmc.job_count() == 1


def test_clear_pending_deletes_the_scheduled_job_first():
    bmc = FakeDell()
    first_job = run(bmc)["job"]["id"]
    other = dict(params()["target"], lun=2)
    module = FakeModule(params(target=other, clear_pending=True))
    result = iscsi_boot_ops.run(module, bmc, iscsi_boot_ops.prepare(module))
    assert ("DELETE", JOBS + "/" + first_job, None, None) in bmc.sent
    assert result["job"]["id"] != first_job and result["changed"] is True
    assert "deleted the pending job(s) %s" % first_job in module.warnings[0]
    bmc.reset()
    assert bmc.tree[SLOT]["iSCSIBoot"]["PrimaryLUN"] == 2


def test_state_absent_disables_the_bios_initiator_only_for_its_port():
    bmc = FakeDell()
    run(bmc, port=dict(EMBEDDED_PORT))
    bmc.reset()
    absent = run(bmc, port=dict(EMBEDDED_PORT), state="absent", initiator=None, target=None, chap=None)
    assert absent["changed"] is True
    assert writes(bmc)[-1][2]["Attributes"] == {"IscsiDev1Con1EnDis": "Disabled", "IscsiDev1EnDis": "Disabled"}


def test_bios_field_map_round_trip():
    assert lun_to_text(10) == "A" and lun_from_text("A") == 10 and lun_from_text("4186-9") == 0x4186
    model = to_model({"IscsiDev1EnDis": "Enabled", "IscsiDev1Con1EnDis": "Enabled", "IscsiDev1Con1Interface": "NIC.X-1",
                      "IscsiDev1Con1Auth": "Chap", "IscsiDev1Con1ChapType": "Mutual", "IscsiDev1Con1Lun": "1",
                      "IscsiDev1Con1ChapSecret": ""}, "NIC.X-1")
    assert model["BootMode"] == "iSCSI"
    assert model["iSCSIBoot"]["AuthenticationMethod"] == "MutualCHAP" and model["iSCSIBoot"]["PrimaryLUN"] == 1
    assert model["iSCSIBoot"]["CHAPSecret"] is None
    assert to_model({"IscsiDev1EnDis": "Enabled", "IscsiDev1Con1EnDis": "Enabled", "IscsiDev1Con1Interface": "NIC.Y-1"},
                    "NIC.X-1")["BootMode"] == "Disabled"


def test_mutual_chap_on_a_function_without_it_goes_through_the_bios():
    """iDRAC9 6.x: the function's iSCSIBoot has no MutualCHAP* keys; a PATCH naming them is refused."""
    bmc = FakeDell()
    for uri in (SLOT, SLOT_SETTINGS):
        for key in ("MutualCHAPUsername", "MutualCHAPSecret"):
            bmc.tree[uri]["iSCSIBoot"].pop(key)
    chap = {"username": "esxi01", "secret": SECRET, "mutual_username": "san01", "mutual_secret": "san01-mutual"}
    assert run(bmc, chap=chap, check_mode=True)["method"] == "bios"
    with pytest.raises(ValidationError) as caught:
        run(bmc, chap=chap, iscsi_method="nic")
    assert caught.value.field == "chap.mutual_username" and writes(bmc) == []
    assert run(bmc, check_mode=True)["method"] == "nic"          # one-way CHAP stays on the NIC
