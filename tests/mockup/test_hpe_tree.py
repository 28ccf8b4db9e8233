"""The ilo5/ilo6 tree as the collection finds it: identity, the BIOS family reached only through
links (lower case, with or without the trailing slash), BaseNetworkAdapters and HpeBiosMapping that
lead from a port's MAC to its Slot<k>NicBoot<j>, weak ETags, no PowerCycle, the CD at
Managers/1/VirtualMedia/2, and iLO 6's BootProgress and DCi NIC path."""
import re

import pytest
from support.hpe import BIOS, FUNCTIONS, MAPPINGS, SYSTEM, patched, post_state
from support.mockup import MockupProcess, fast_fleet

WEAK = re.compile(r'^W/"[0-9a-f]+"$')


@pytest.fixture(scope="module")
def fleets(tmp_path_factory):
    started = {}
    for name, base in (("ilo5", "127.0.61."), ("ilo6", "127.0.62.")):
        process = MockupProcess(fast_fleet(count=9, address_base=base, personality=name),
                                tmp_path_factory.mktemp(f"hpe-tree-{name}"))
        started[name] = process.start()
        process.unused = iter(range(1, 10))
    yield started
    for process in started.values():
        process.stop()


def _bmc(fleets, personality):
    return fleets[personality].bmc(f"esxi{next(fleets[personality].unused):02d}")


@pytest.mark.parametrize("personality, model, version", [("ilo5", "iLO 5", "iLO 5 v2.72"), ("ilo6", "iLO 6", "iLO 6 v1.73")])
def test_identity_as_detection_reads_it(fleets, personality, model, version):
    bmc = _bmc(fleets, personality)
    root = bmc.json("/redfish/v1")
    assert root["Vendor"] == "HPE" and "Hpe" in root["Oem"]
    manager = bmc.json("/redfish/v1/Managers/1")
    assert (manager["Model"], manager["FirmwareVersion"]) == (model, version)
    system = bmc.json(SYSTEM)
    assert root["Product"] == system["Model"]
    assert system["Manufacturer"] == "HPE" and "LastResetTime" not in system
    assert system["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"] == [
        "On", "ForceOff", "GracefulShutdown", "ForceRestart", "Nmi", "PushPowerButton", "GracefulRestart"]
    response = bmc.post(f"{SYSTEM}/Actions/ComputerSystem.Reset", {"ResetType": "PowerCycle"})
    assert response.status_code == 400, response.text


def test_the_bios_family_is_found_through_links_in_lower_case(fleets):
    bmc = _bmc(fleets, "ilo5")
    bios_link = bmc.json(SYSTEM)["Bios"]["@odata.id"]
    assert bios_link == BIOS
    bios = bmc.json(bios_link)
    links = {name: value["@odata.id"] for name, value in bios["Oem"]["Hpe"]["Links"].items()}
    assert set(links) == {"Boot", "Mappings", "iScsi", "BaseConfigs"}
    for uri in [bios["@Redfish.Settings"]["SettingsObject"]["@odata.id"], *links.values()]:
        assert uri == uri.lower() and uri.endswith("/"), uri
        body = bmc.json(uri)
        assert body["@odata.id"] == uri
        assert bmc.json(uri.rstrip("/")) == body  # the trailing slash is optional
    iscsi = bmc.json(links["iScsi"])
    settings = iscsi["@Redfish.Settings"]["SettingsObject"]["@odata.id"]
    assert bmc.json(settings)["Id"] == "settings"
    # The BIOS names itself by the DMTF URI, which answers too (the validator's URI check).
    bios_self = bios["@odata.id"]
    assert bios_self == "/redfish/v1/Systems/1/Bios"
    assert {k: v for k, v in bmc.json(bios_self).items() if k != "@odata.etag"} == \
        {k: v for k, v in bios.items() if k != "@odata.etag"}
    # Case matters otherwise, as on the router of every personality.
    assert bmc.get("/redfish/v1/Systems/1/Bios/Settings").status_code == 404


def test_bios_attributes_by_generation(fleets):
    five, six = _bmc(fleets, "ilo5"), _bmc(fleets, "ilo6")
    attributes = five.json(BIOS)["Attributes"]
    assert attributes["iSCSISoftwareInitiator"] == "Disabled" and attributes["BootMode"] == "Uefi"
    assert (attributes["Slot1NicBoot1"], attributes["Slot1NicBoot2"]) == ("NetworkBoot", "Disabled")
    assert "BootMode" not in six.json(BIOS)["Attributes"]  # Gen11 is UEFI only


def test_a_port_leads_to_its_nic_boot_attribute(fleets):
    """MAC -> BaseNetworkAdapters -> mapping by CorrelatableID -> subinstance j -> Slot<k>NicBoot<j>."""
    bmc = _bmc(fleets, "ilo5")
    iscsi_sources = bmc.json(f"{BIOS}oem/hpe/iscsi/")["iSCSINicSources"]
    assert iscsi_sources == ["Slot1NicBoot1", "Slot1NicBoot2"]
    adapters = bmc.json(bmc.json(SYSTEM)["Oem"]["Hpe"]["Links"]["NetworkAdapters"]["@odata.id"])["Members"]
    mappings = bmc.json(MAPPINGS)["BiosPciSettingsMappings"]
    for port_id, expected in (("0", "Slot1NicBoot1"), ("1", "Slot1NicBoot2")):
        mac = bmc.json(f"{FUNCTIONS}/{port_id}")["Ethernet"]["MACAddress"]
        assert mac == mac.lower()
        adapter = next(a for a in (bmc.json(m["@odata.id"]) for m in adapters)
                       if mac in [p["MacAddress"] for p in a["PhysicalPorts"]])
        assert adapter["StructuredName"] == "NIC.Slot.1.1" and adapter["Location"] == "PCI-E Slot 1"
        j = [p["MacAddress"] for p in adapter["PhysicalPorts"]].index(mac) + 1
        entry = next(e for e in mappings if e["CorrelatableID"] == adapter["UEFIDevicePath"])
        subinstance = next(s for s in entry["Subinstances"] if s["Subinstance"] == j)
        names = [a for a in subinstance["Associations"] if isinstance(a, str) and re.search(r"NicBoot\d+$", a)]
        assert names == [expected]
        assert expected in iscsi_sources


def test_etags_are_weak_in_bodies_and_headers(fleets):
    bmc = _bmc(fleets, "ilo5")
    for uri in (SYSTEM, BIOS, f"{BIOS}oem/hpe/iscsi/", "/redfish/v1/Managers/1"):
        response = bmc.get(uri)
        assert WEAK.match(response.headers["ETag"]), uri
        assert response.json()["@odata.etag"] == response.headers["ETag"]
    # A stale If-Match is refused; none at all is fine.
    stale = bmc.patch(f"{BIOS}settings/", {"Attributes": {"Dhcpv4": "Disabled"}}, headers={"If-Match": 'W/"0"'})
    assert stale.status_code == 412, stale.text
    patched(bmc.patch(f"{BIOS}settings/", {"Attributes": {"Dhcpv4": "Disabled"}}))


def test_the_cd_is_virtual_media_2_of_the_manager(fleets):
    bmc = _bmc(fleets, "ilo5")
    members = [m["@odata.id"] for m in bmc.json("/redfish/v1/Managers/1/VirtualMedia")["Members"]]
    assert members == ["/redfish/v1/Managers/1/VirtualMedia/1", "/redfish/v1/Managers/1/VirtualMedia/2"]
    cd = bmc.json(members[1])
    assert cd["MediaTypes"] == ["CD", "DVD"] and "CD" not in bmc.json(members[0])["MediaTypes"]
    image = "https://depot.example/VMware-VMvisor-Installer-8.0U3.x86_64.iso"
    response = bmc.post(cd["Actions"]["#VirtualMedia.InsertMedia"]["target"], {"Image": image})
    assert response.status_code == 204, response.text
    assert bmc.json(members[1])["Inserted"] is True


def test_boot_progress_by_generation(fleets):
    five, six = _bmc(fleets, "ilo5"), _bmc(fleets, "ilo6")
    assert "BootProgress" not in five.json(SYSTEM)
    six.reset("ForceOff")
    assert set(six.json(SYSTEM)["BootProgress"]) <= {"LastState", "LastBootTimeSeconds"}
    assert post_state(six) == "PowerOff" and post_state(five) == "InPostDiscoveryComplete"


def test_ilo5_functions_have_no_iscsi_boot(fleets):
    bmc = _bmc(fleets, "ilo5")
    for port_id in ("0", "1"):
        function = bmc.json(f"{FUNCTIONS}/{port_id}")
        assert "iSCSIBoot" not in function and "@Redfish.Settings" not in function
        assert function["NetDevFuncCapabilities"] == ["Ethernet"]
    assert bmc.get(f"{FUNCTIONS}/0/Settings").status_code == 404


def test_ilo6_dci_function_takes_iscsi_boot_at_the_next_reset(fleets):
    bmc = _bmc(fleets, "ilo6")
    function = bmc.json(f"{FUNCTIONS}/0")
    assert function["NetDevFuncCapabilities"] == ["Ethernet", "iSCSI"] and "iSCSIBoot" in function
    settings = function["@Redfish.Settings"]["SettingsObject"]["@odata.id"]
    assert settings == f"{FUNCTIONS}/0/Settings"
    assert "iSCSIBoot" not in bmc.json(f"{FUNCTIONS}/1")  # iscsi: false in the fleet: as on iLO 5
    values = {"IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:esxi01",
              "InitiatorIPAddress": "192.0.2.11", "InitiatorNetmask": "255.255.255.0",
              "PrimaryTargetName": "iqn.2024-01.org.example.san:esxi01", "PrimaryTargetIPAddress": "127.0.0.1",
              "PrimaryLUN": 1, "AuthenticationMethod": "CHAP", "CHAPUsername": "esxi01", "CHAPSecret": "esxi01-secret"}
    body = {"BootMode": "iSCSI", "iSCSIBoot": values, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
    # CHAPSecret must be 0, 12 or 16 characters: "esxi01-secret" has 13.
    refused = bmc.patch(settings, body)
    assert refused.status_code == 400 and "esxi01-secret" not in refused.text
    values["CHAPSecret"] = "esxi01-secret-16"
    patched(bmc.patch(settings, body))
    assert bmc.json(settings)["iSCSIBoot"]["PrimaryTargetName"] == values["PrimaryTargetName"]
    assert bmc.json(f"{FUNCTIONS}/0")["iSCSIBoot"]["PrimaryTargetName"] is None  # not before the reset
    bmc.boot_once()
    applied = bmc.json(f"{FUNCTIONS}/0")
    assert applied["BootMode"] == "iSCSI" and applied["iSCSIBoot"]["PrimaryTargetName"] == values["PrimaryTargetName"]
    assert applied["iSCSIBoot"]["CHAPSecret"] is None
