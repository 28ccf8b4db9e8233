"""The ilo5 personality against the real iLO 5 2.72 capture (tests/captures, MIT): the resources the
contract takes from the capture have the capture's properties, with the same JSON types. The capture
stores files under its request paths (Systems/1/Bios/...); the mockup serves the lower-case paths the
links name (/redfish/v1/systems/1/bios/...)."""

import pytest
from support.fidelity import capture_reader, kind, type_clashes
from support.hpe import configure
from support.mockup import MockupProcess, fast_fleet

_capture = capture_reader("hpe-ilo5-2.72-dl385gen10plus")
_kind = kind
_type_clashes = type_clashes
S, B, FN = "/redfish/v1/Systems/1", "/redfish/v1/systems/1/bios", "NetworkDeviceFunctions/0"
# (file path in the capture, URI in the mockup, properties both must have)
PAIRS = [
    ("/redfish/v1", "/redfish/v1", {"Vendor", "Product", "Oem", "RedfishVersion", "Systems", "Managers", "UUID"}),
    (S, S, {"Id", "Boot", "PowerState", "Manufacturer", "Model", "BiosVersion", "Bios", "Actions", "Oem", "Links"}),
    (f"{S}/Bios", f"{B}/", {"Id", "Name", "Attributes", "AttributeRegistry", "@Redfish.Settings", "Oem"}),
    (f"{S}/Bios/settings", f"{B}/settings/", {"Id", "Name", "Attributes", "AttributeRegistry"}),
    (f"{S}/Bios/oem/hpe/iscsi", f"{B}/oem/hpe/iscsi/",
     {"Id", "Name", "iSCSIInitiatorName", "iSCSINicSources", "iSCSISources", "@Redfish.Settings", "Oem"}),
    (f"{S}/Bios/oem/hpe/iscsi/settings", f"{B}/oem/hpe/iscsi/settings/", {"Id", "Name", "iSCSIInitiatorName",
                                                                          "iSCSINicSources"}),
    (f"{S}/Bios/oem/hpe/boot", f"{B}/oem/hpe/boot/", {"Id", "Name", "BootSources", "PersistentBootConfigOrder",
                                                       "DefaultBootOrder", "DesiredBootDevices", "@Redfish.Settings",
                                                       "Oem"}),
    (f"{S}/Bios/oem/hpe/boot/settings", f"{B}/oem/hpe/boot/settings/", {"Id", "Name", "BootSources",
                                                                         "PersistentBootConfigOrder"}),
    (f"{S}/Bios/oem/hpe/mappings", f"{B}/oem/hpe/mappings/", {"Id", "Name", "BiosPciSettingsMappings"}),
    (f"{S}/BaseNetworkAdapters", f"{S}/BaseNetworkAdapters", {"Members", "Name", "Description"}),
    (f"{S}/BaseNetworkAdapters/1", f"{S}/BaseNetworkAdapters/1",
     {"Id", "Name", "StructuredName", "Location", "UEFIDevicePath", "PhysicalPorts", "Firmware", "Status"}),
    (f"{S}/BootOptions/1", f"{S}/BootOptions/1",
     {"Id", "Name", "Alias", "BootOptionReference", "DisplayName", "UefiDevicePath"}),
    (f"{S}/LogServices/IML", f"{S}/LogServices/IML", {"Id", "Name", "Entries", "ServiceEnabled", "OverWritePolicy"}),
    (f"{S}/LogServices/IML/Entries/3", None,
     {"Id", "Name", "Created", "EntryType", "OemRecordFormat", "Severity", "Message", "Oem"}),
    ("/redfish/v1/Chassis/1/NetworkAdapters/DE080000/" + FN, "/redfish/v1/Chassis/1/NetworkAdapters/DE07A000/" + FN,
     {"Id", "Name", "Ethernet", "NetDevFuncCapabilities", "BootMode", "DeviceEnabled"}),
    ("/redfish/v1/Managers/1", "/redfish/v1/Managers/1", {"Id", "Model", "FirmwareVersion", "DateTime", "Links", "Oem"}),
    ("/redfish/v1/Managers/1/VirtualMedia/2", "/redfish/v1/Managers/1/VirtualMedia/2",
     {"Id", "MediaTypes", "Actions", "Inserted", "Image", "WriteProtected", "ConnectedVia"}),
]
# Members of arrays whose keys must be the capture's.
ITEMS = [
    (f"{S}/Bios/oem/hpe/iscsi", f"{B}/oem/hpe/iscsi/", "iSCSISources"),
    (f"{S}/Bios/oem/hpe/boot", f"{B}/oem/hpe/boot/", "BootSources"),
    (f"{S}/Bios/oem/hpe/boot", f"{B}/oem/hpe/boot/", "DesiredBootDevices"),
    (f"{S}/Bios/oem/hpe/mappings", f"{B}/oem/hpe/mappings/", "BiosPciSettingsMappings"),
]


@pytest.fixture(scope="module")
def bmc(tmp_path_factory):
    process = MockupProcess(fast_fleet(count=1, address_base="127.0.67.", personality="ilo5"),
                            tmp_path_factory.mktemp("hpe-fidelity")).start()
    client = process.bmc("esxi01")
    # A failed login, so the IML has an entry to compare with the capture's.
    configure(client, iSCSIChapSecret="wrong-secret-1")
    client.boot_once()
    client.iml_entry = client.json("/redfish/v1/Systems/1/LogServices/IML/Entries")["Members"][0]["@odata.id"]
    yield client
    process.stop()


@pytest.mark.parametrize("captured, served, required", PAIRS, ids=[p[0].split("/v1")[-1] or "root" for p in PAIRS])
def test_the_personality_serves_what_the_capture_shows(bmc, captured, served, required):
    real = _capture(captured)
    body = bmc.json(served or bmc.iml_entry)
    assert required <= set(real), sorted(required - set(real))  # the list itself is faithful to the capture
    assert required <= set(body), sorted(required - set(body))
    assert not _type_clashes(real, body)


@pytest.mark.parametrize("captured, served, name", ITEMS, ids=[i[2] for i in ITEMS])
def test_array_members_have_the_capture_keys(bmc, captured, served, name):
    real, body = _capture(captured)[name][0], bmc.json(served)[name][0]
    assert set(real) == set(body), (sorted(set(real) - set(body)), sorted(set(body) - set(real)))
    assert not _type_clashes(real, body)


def test_absent_where_the_capture_has_nothing(bmc):
    assert "BootProgress" not in _capture(S) and "BootProgress" not in bmc.json(S)
    assert "LastResetTime" not in _capture(S) and "LastResetTime" not in bmc.json(S)
    assert "BootOptionEnabled" not in _capture(f"{S}/BootOptions/1")
    assert "BootOptionEnabled" not in bmc.json(f"{S}/BootOptions/1")
    function = "/redfish/v1/Chassis/1/NetworkAdapters/DE080000/" + FN
    assert "iSCSIBoot" not in _capture(function)
    assert "iSCSIBoot" not in bmc.json("/redfish/v1/Chassis/1/NetworkAdapters/DE07A000/" + FN)


def test_the_oem_sections_the_collection_reads(bmc):
    for captured, served, keys in ((S, S, {"PostState", "PostDiscoveryCompleteTimeStamp", "Links"}),
                                   (f"{S}/Bios", f"{B}/", {"Links", "SettingsObject"}),
                                   (f"{S}/Bios/oem/hpe/iscsi", f"{B}/oem/hpe/iscsi/", {"SettingsObject"}),
                                   (f"{S}/LogServices/IML/Entries/3", bmc.iml_entry, {"Class", "Code", "Categories"})):
        real, body = _capture(captured)["Oem"]["Hpe"], bmc.json(served)["Oem"]["Hpe"]
        assert keys <= set(real) and keys <= set(body), captured
        assert not _type_clashes({k: real[k] for k in keys}, body), captured
    real = _capture(f"{S}/BaseNetworkAdapters/1")["PhysicalPorts"][0]
    served = bmc.json(f"{S}/BaseNetworkAdapters/1")["PhysicalPorts"][0]
    assert set(real) == set(served)
    for name in ("iSCSISoftwareInitiator", "Slot1NicBoot1", "BootMode"):
        assert _kind(_capture(f"{S}/Bios")["Attributes"][name]) == _kind(bmc.json(f"{B}/")["Attributes"][name])
