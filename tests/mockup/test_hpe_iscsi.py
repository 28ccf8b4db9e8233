"""The iLO software initiator: the positional 4-slot PATCH ({} keeps a slot, an object merges onto
it), nothing judged before the reset, then Messages on the current resource (Success first, one per
refused property, a refused attempt kept whole), secrets never echoed, StructuredBootString and
UEFIDevicePath only after a login, the IML's words for a failed one, the task_fail fault."""
import pytest
from support.hpe import (BIOS, ISCSI, ISCSI_SETTINGS, IML, attempt, configure, enable_initiator, patched, set_attempts,
                         settings_messages)
from sanboot_mockup.ibft import CHAP_ONE_WAY, parse_ibft

POOL_SIZE, POOL_ADDRESS_BASE, POOL_PERSONALITY = 10, "127.0.63.", "ilo5"   # the pool fixture (conftest.py)


@pytest.fixture
def bmc(fresh_bmc):
    return fresh_bmc


def _sources(bmc, uri=ISCSI):
    return bmc.json(uri)["iSCSISources"]


def test_positional_patch_keeps_merges_and_stays_pending(bmc):
    assert _sources(bmc, ISCSI_SETTINGS) == _sources(bmc)  # nothing pending: the current slots (capture)
    set_attempts(bmc, [{}, attempt(instance=2), {}, {}])
    set_attempts(bmc, [{"iSCSIAttemptName": "first"}, {"iSCSILUN": "2"}, {}, {}])
    pending = _sources(bmc, ISCSI_SETTINGS)
    assert pending[0]["iSCSIAttemptName"] == "first" and pending[0]["iSCSIAttemptInstance"] == 0
    assert (pending[1]["iSCSIAttemptInstance"], pending[1]["iSCSILUN"]) == (2, "2")  # merged onto the pending slot
    assert pending[1]["iSCSITargetName"] == "iqn.2024-01.org.example.san:esxi01"
    assert pending[2] == pending[3] == _sources(bmc)[2]
    assert all(a["iSCSIAttemptInstance"] == 0 for a in _sources(bmc))  # current: unchanged until the reset


def test_a_body_not_of_the_resource_shape_is_refused_at_once(bmc):
    for sources in ([{}, {}, {}], "none", [{}, {}, {}, "x"]):
        response = bmc.patch(ISCSI_SETTINGS, {"iSCSISources": sources})
        assert response.status_code == 400, response.text
    assert _sources(bmc, ISCSI_SETTINGS) == _sources(bmc)  # nothing staged


def test_values_are_judged_only_at_the_reset(bmc):
    bad = attempt(iSCSITargetName="eui.0123", iSCSIChapSecret="short", iSCSIFoo=1)
    # Slot 2 is valid on its own but reuses slot 0's instance 1.
    set_attempts(bmc, [attempt(source="Slot1NicBoot2", instance=1), bad, attempt(instance=1), {"iSCSIAttemptInstance": 7}])
    before = bmc.json(ISCSI)["@Redfish.Settings"]
    assert settings_messages(bmc, ISCSI) == [{"MessageId": "Base.1.0.Success"}]
    bmc.boot_once()
    after = bmc.json(ISCSI)["@Redfish.Settings"]
    assert after["Time"] and after["ETag"] != before["ETag"]
    messages = after["Messages"]
    assert messages[0] == {"MessageId": "Base.1.0.Success"}
    refused = {m["RelatedProperties"][0]: m for m in messages[1:]}
    assert set(refused) == {"#/iSCSISources/1/iSCSITargetName", "#/iSCSISources/1/iSCSIChapSecret",
                            "#/iSCSISources/1/iSCSIFoo", "#/iSCSISources/2/iSCSIAttemptInstance",
                            "#/iSCSISources/3/iSCSIAttemptInstance"}
    assert refused["#/iSCSISources/1/iSCSITargetName"]["MessageId"] == "Base.1.0.PropertyValueFormatError"
    assert refused["#/iSCSISources/1/iSCSITargetName"]["MessageArgs"] == ["eui.0123", "iSCSITargetName"]
    assert refused["#/iSCSISources/1/iSCSIChapSecret"]["MessageArgs"] == ["(hidden)", "iSCSIChapSecret"]
    assert refused["#/iSCSISources/1/iSCSIFoo"]["MessageId"] == "Base.1.0.PropertyUnknown"
    assert refused["#/iSCSISources/2/iSCSIAttemptInstance"]["MessageId"] == "Base.1.0.PropertyValueNotInList"
    assert refused["#/iSCSISources/3/iSCSIAttemptInstance"]["MessageId"] == "Base.1.0.PropertyValueOutOfRange"
    current = _sources(bmc)
    assert current[0]["iSCSINicSource"] == "Slot1NicBoot2"  # the valid attempt applied
    assert current[1]["iSCSITargetName"] == "" and current[1]["iSCSIAttemptName"] == ""  # the whole attempt kept
    assert current[2]["iSCSIAttemptInstance"] == current[3]["iSCSIAttemptInstance"] == 0
    # nothing pending any more: the settings object shows the current slots (without the login's strings)
    assert [dict(a, StructuredBootString=None, UEFIDevicePath=None) for a in _sources(bmc)] == _sources(bmc, ISCSI_SETTINGS)
    # A resource with nothing pending keeps its messages through the next reset.
    bmc.boot_once()
    assert settings_messages(bmc, ISCSI) == messages


def test_bios_refusals_name_the_attribute(bmc):
    patched(bmc.patch(f"{BIOS}settings/", {"Attributes": {"Slot1NicBoot2": "Maybe", "Slot9NicBoot1": "Disabled",
                                                         "iSCSISoftwareInitiator": "Enabled"}}))
    bmc.boot_once()
    messages = settings_messages(bmc, BIOS)
    assert messages[0] == {"MessageId": "Base.1.0.Success"}
    assert sorted((m["MessageId"], m["RelatedProperties"][0]) for m in messages[1:]) == [
        ("Base.1.0.PropertyUnknown", "#/Attributes/Slot9NicBoot1"),
        ("Base.1.0.PropertyValueNotInList", "#/Attributes/Slot1NicBoot2")]
    attributes = bmc.json(BIOS)["Attributes"]
    assert attributes["iSCSISoftwareInitiator"] == "Enabled" and attributes["Slot1NicBoot2"] == "Disabled"


def test_secrets_are_never_echoed(bmc):
    configure(bmc, iSCSIAuthenticationMethod="CHAP", iSCSIChapType="Mutual", iSCSIReverseChapUsername="san01",
              iSCSIReverseChapSecret="mutual-secret-1")
    for uri in (ISCSI_SETTINGS, ISCSI):
        text = bmc.get(uri).text
        assert "esxi01-secret" not in text and "mutual-secret-1" not in text
    bmc.boot_once()
    current = _sources(bmc)[0]
    assert (current["iSCSIChapSecret"], current["iSCSIReverseChapSecret"]) == ("", "")
    assert "esxi01-secret" not in bmc.get(ISCSI).text


def test_a_successful_login_fills_the_structured_boot_string(bmc):
    configure(bmc)
    assert _sources(bmc, ISCSI_SETTINGS)[0]["StructuredBootString"] is None
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    current = _sources(bmc)[0]
    assert current["StructuredBootString"] == "NIC.Slot.1.1.iSCSI"
    assert current["UEFIDevicePath"].endswith(
        "/MAC(020000000%s01,0x1)/IPv4(127.0.0.1)/iSCSI(iqn.2024-01.org.example.san:esxi01,0x1,0x1,None,None,None,TCP)"
        % bmc.entry["name"][-1])
    options = [bmc.json(m["@odata.id"]) for m in bmc.json("/redfish/v1/Systems/1/BootOptions")["Members"]]
    iscsi = [o for o in options if o["UefiDevicePath"] == current["UEFIDevicePath"]]
    assert [o["DisplayName"] for o in iscsi] == ["Slot 1 Port 1 : Contoso 25GbE 2P Converged Adapter - NIC (iSCSI IPv4)"]
    table = parse_ibft(bmc.admin("ibft"))
    assert table.initiator.name == "iqn.1998-01.com.vmware:esxi01"
    assert (table.targets[0].target_name, table.targets[0].lun, table.targets[0].chap_type) == (
        "iqn.2024-01.org.example.san:esxi01", 1, CHAP_ONE_WAY)


def test_a_failed_login_leaves_it_null_and_the_iml_says_why(bmc):
    configure(bmc, iSCSIChapSecret="wrong-secret-1")
    boot = bmc.boot_once()
    assert boot["outcome"] != "booted"
    assert settings_messages(bmc, ISCSI) == [{"MessageId": "Base.1.0.Success"}]  # the values were valid
    current = _sources(bmc)[0]
    assert current["iSCSIConnection"] == "Enabled"
    assert (current["StructuredBootString"], current["UEFIDevicePath"]) == (None, None)
    entries = bmc.json(IML)["Members"]
    failed = [e for e in entries if "iSCSI login failed" in e["Message"]]
    assert failed and failed[0]["EntryType"] == "Oem" and failed[0]["OemRecordFormat"] == "Hpe-IML"
    assert {"Class", "Code", "Categories"} <= set(failed[0]["Oem"]["Hpe"])
    single = bmc.json(failed[0]["@odata.id"])
    assert {k: v for k, v in single.items() if k != "@odata.etag"} == failed[0]


def test_disabling_the_initiator_stops_the_iscsi_boot(bmc):
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    patched(bmc.patch(f"{BIOS}settings/", {"Attributes": {"iSCSISoftwareInitiator": "Disabled"}}))
    assert bmc.boot_once()["outcome"] != "booted"
    assert _sources(bmc)[0]["StructuredBootString"] is None


def test_task_fail_refuses_everything_pending_for_the_iscsi_resource(bmc):
    enable_initiator(bmc, "Slot1NicBoot1")
    set_attempts(bmc, [attempt(), {}, {}, {}])
    bmc.fault("task_fail")
    bmc.boot_once()
    messages = settings_messages(bmc, ISCSI)
    assert messages[0] == {"MessageId": "Base.1.0.Success"}
    assert [m["MessageId"] for m in messages[1:]] == ["Base.1.0.InternalError"]
    assert _sources(bmc)[0]["iSCSIAttemptInstance"] == 0
    assert bmc.json(BIOS)["Attributes"]["iSCSISoftwareInitiator"] == "Enabled"  # the BIOS applied
