"""supermicro-x13's boot order, both paths: `Boot.BootOrder` on Systems/1 (reads back at once, the next
boot follows it), and on a model flagged `boot_order_property_unknown` the 400 PropertyUnknown and the
OEM FixedBootOrder fallback (full class list, reordered UEFINetwork); the firmware boots in either order."""
import pytest
from support.mockup import assert_redfish_error
from support.supermicro import FIXED, SYSTEM, fleet, iscsi_option


@pytest.fixture
def booted(mockup_factory):
    """A BMC whose host has logged in once (so the iSCSI option exists), flagged or not."""
    def make(flagged):
        bmc = mockup_factory(fleet(address_base="127.0.93.", boot_order_property_unknown=flagged)).bmc("esxi01")
        assert bmc.boot_once()["outcome"] == "booted"
        return bmc
    return make


def _tried(boot):
    return [a["kind"] for a in boot["attempts"]]


def test_boot_order_patch_reads_back_and_the_next_boot_follows(booted):
    bmc = booted(False)
    order = bmc.json(SYSTEM)["Boot"]["BootOrder"]
    first = [iscsi_option(bmc)] + [r for r in order if r != iscsi_option(bmc)]
    response = bmc.patch(SYSTEM, {"Boot": {"BootOrder": first}})
    assert response.status_code == 200 and response.json()["Boot"]["BootOrder"] == first
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == first
    network = bmc.json(FIXED)["UEFINetwork"]
    assert "UEFI iSCSI IPv4" in network[0] and bmc.json(FIXED)["FixedBootOrder"][0].startswith("UEFI Network:")
    assert _tried(bmc.boot_once()) == ["iscsi"]
    assert_redfish_error(bmc.patch(SYSTEM, {"Boot": {"BootOrder": ["Boot0BAD"]}}), 400, "PropertyValueNotInList")


def test_a_flagged_model_refuses_boot_order_and_takes_fixed_boot_order(booted):
    bmc = booted(True)
    order = bmc.json(SYSTEM)["Boot"]["BootOrder"]
    refused = bmc.patch(SYSTEM, {"Boot": {"BootOrder": list(reversed(order))}})
    error = assert_redfish_error(refused, 400, "PropertyUnknown", related=["#/Boot/BootOrder"])
    assert error["message"] == "The property BootOrder is not in the list of valid properties for the resource."
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == order
    fixed = bmc.json(FIXED)
    network = fixed["UEFINetwork"]
    iscsi = next(n for n in network if "iSCSI" in n)
    classes = ["UEFI Network"] + [c for c in fixed["FixedBootOrder"] if not c.startswith("UEFI Network")]
    classes[-2] = "Disabled"  # an unused slot
    body = {"FixedBootOrder": classes, "UEFINetwork": [iscsi] + [n for n in network if n != iscsi]}
    response = bmc.patch(FIXED, body)
    assert response.status_code == 200, response.text
    assert response.json()["UEFINetwork"][0] == iscsi
    assert response.json()["FixedBootOrder"][0] == f"UEFI Network:{iscsi}"
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"][0] == iscsi_option(bmc)
    assert _tried(bmc.boot_once()) == ["iscsi"]
    again = bmc.patch(FIXED, body)  # the same order twice: nothing moves
    assert again.json() == {**response.json(), "@odata.etag": again.json()["@odata.etag"]}


def test_fixed_boot_order_refuses_what_it_does_not_know(booted):
    bmc = booted(True)
    before = bmc.json(FIXED)
    bad_class = bmc.patch(FIXED, {"FixedBootOrder": ["UEFI Floppy Drive"] + before["FixedBootOrder"]})
    assert_redfish_error(bad_class, 400, "PropertyValueNotInList")
    bad_name = bmc.patch(FIXED, {"UEFINetwork": ["(B1/D0/F0) UEFI PXE IPv4 Nobody"]})
    assert_redfish_error(bad_name, 400, "PropertyValueNotInList")
    twice = bmc.patch(FIXED, {"UEFINetwork": [before["UEFINetwork"][0]] * 2})
    assert_redfish_error(twice, 400, "PropertyValueNotInList")
    assert_redfish_error(bmc.patch(FIXED, {"BootOrder": []}), 400, "PropertyUnknown")
    assert bmc.json(FIXED) == before
