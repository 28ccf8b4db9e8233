"""supermicro-x13's tree: the X13 identity, no iSCSI settings anywhere over Redfish (only the boot
option a successful option-ROM login creates names iSCSI), read-only functions, strong ETags."""
import json

import pytest
from support.mockup import assert_redfish_error
from support.supermicro import BIOS, FIXED, FUNCTION, MEDIA, OPTIONS, SYSTEM, start


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    process = start(tmp_path_factory.mktemp("smc-tree"), count=2, address_base="127.0.91.")
    yield process
    process.stop()


def _walk(bmc, uri="/redfish/v1", seen=None):
    """Every resource reachable by @odata.id links from `uri`: {uri: body}."""
    seen = {} if seen is None else seen
    if uri in seen or not uri.startswith("/redfish/v1") or "/Actions/" in uri or uri.endswith("$metadata"):
        return seen
    response = bmc.get(uri)
    if response.status_code != 200:
        return seen
    seen[uri] = body = response.json()

    def links(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@odata.id" and isinstance(item, str):
                    yield item
                else:
                    yield from links(item)
        elif isinstance(value, list):
            for item in value:
                yield from links(item)
    for link in links(body):
        _walk(bmc, link.split("#")[0], seen)
    return seen


def test_identity_is_the_capture_s(fleet):
    bmc = fleet.bmc("esxi01")
    root = bmc.json("/redfish/v1")
    assert "Vendor" not in root and "Supermicro" in root["Oem"]  # the capture's root has no Vendor
    system = bmc.json(SYSTEM)
    assert (system["Manufacturer"], system["Model"], system["BiosVersion"]) == ("Supermicro", "SYS-821GE-TNHR", "1.4")
    manager = bmc.json("/redfish/v1/Managers/1")
    assert (manager["Model"], manager["FirmwareVersion"]) == ("ASPEED", "11.01.01")
    assert bmc.json("/redfish/v1/Chassis/1")["Model"].startswith("X13")
    assert system["Oem"]["Supermicro"]["FixedBootOrder"] == {"@odata.id": FIXED}


def test_no_iscsi_anywhere_before_a_login(fleet):
    tree = _walk(fleet.bmc("esxi02"))
    assert FUNCTION in tree and BIOS in tree and FIXED in tree  # the walk reached the network, BIOS and OEM order
    mentions = [uri for uri, body in tree.items() if "iscsi" in json.dumps(body).lower()]
    assert mentions == []


def test_a_function_carries_only_what_the_capture_shows_and_is_read_only(fleet):
    bmc = fleet.bmc("esxi01")
    function = bmc.json(FUNCTION)
    assert set(function) - {"@odata.etag"} == {"@odata.id", "@odata.type", "Id", "Name", "NetDevFuncType", "DeviceEnabled",
                                               "Ethernet", "Links"}
    assert function["Ethernet"] == {"MACAddress": "02:00:00:00:01:01"}
    response = bmc.patch(FUNCTION, {"iSCSIBoot": {"InitiatorName": "iqn.1998-01.com.vmware:x"}})
    assert_redfish_error(response, 405, "OperationNotAllowed")
    assert bmc.get(FUNCTION + "/Settings").status_code == 404
    assert bmc.json(FUNCTION) == function


def test_boot_options_have_names_and_no_device_path(fleet):
    bmc = fleet.bmc("esxi02")
    members = bmc.json(OPTIONS)["Members"]
    options = [bmc.json(m["@odata.id"]) for m in members]
    assert all("UefiDevicePath" not in o and o["Id"] == o["BootOptionReference"] for o in options)
    displayed = [o["DisplayName"] for o in options]
    assert "(B59/D0/F0) UEFI PXE IPv4 Contoso Network Adapter - 02:00:00:00:02:01 - 020000000201" in displayed
    assert "(B59/D0/F1) UEFI PXE IPv4 Contoso Network Adapter - 02:00:00:00:02:02 - 020000000202" in displayed


def test_etags_are_strong_and_if_match_is_optional(fleet):
    bmc = fleet.bmc("esxi02")
    response = bmc.get(SYSTEM)
    tag = response.headers["ETag"]
    assert tag.startswith('"') and response.json()["@odata.etag"] == tag
    order = response.json()["Boot"]["BootOrder"]
    assert bmc.patch(SYSTEM, {"Boot": {"BootOrder": order}}).status_code == 200  # no If-Match: accepted
    assert bmc.patch(SYSTEM, {"Boot": {"BootOrder": order}}, headers={"If-Match": tag}).status_code == 200
    stale = bmc.patch(SYSTEM, {"Boot": {"BootNext": order[0]}}, headers={"If-Match": '"0000"'})
    assert_redfish_error(stale, 412, "PreconditionFailed")


def test_sessions_and_admin_stats_as_on_the_other_personalities(fleet):
    bmc = fleet.bmc("esxi01")
    before = bmc.stats()
    assert before["personality"] == "supermicro-x13"
    login = bmc.login()
    assert login.status_code == 201, login.text
    client = bmc.with_token(login.headers["X-Auth-Token"])
    assert client.json(SYSTEM)["Id"] == "1"
    assert bmc.stats()["sessions"] == before["sessions"] + 1
    assert client.delete(login.headers["Location"]).status_code in (200, 204)
    after = bmc.stats()
    assert after["sessions"] == before["sessions"]
    assert after["by_path"].get(f"GET {SYSTEM}", 0) >= before["by_path"].get(f"GET {SYSTEM}", 0) + 1
    assert after["jobs_created"] == after["tasks_created"] == 0


def test_the_virtual_cd_is_the_manager_s_virtualmedia1(fleet):
    bmc = fleet.bmc("esxi02")
    assert bmc.json(SYSTEM)["VirtualMedia"] == {"@odata.id": "/redfish/v1/Managers/1/VirtualMedia"}
    assert [m["@odata.id"] for m in bmc.json("/redfish/v1/Managers/1/VirtualMedia")["Members"]] == [MEDIA]
    media = bmc.json(MEDIA)
    assert {"CD", "DVD"} <= set(media["MediaTypes"]) and media["Inserted"] is False
    inserted = bmc.post(media["Actions"]["#VirtualMedia.InsertMedia"]["target"],
                        {"Image": "http://depot.example/other.iso", "Inserted": True, "WriteProtected": True})
    assert inserted.status_code in (200, 204), inserted.text
    assert bmc.json(MEDIA)["Inserted"] is True
    assert bmc.post(media["Actions"]["#VirtualMedia.EjectMedia"]["target"], {}).status_code in (200, 204)
    assert bmc.json(MEDIA)["Inserted"] is False
