"""The supermicro-x13 personality against the real X13 capture (BMC 11.01.01, SYS-821GE-TNHR; tests/captures,
MIT): the resources the contract takes from the capture have the capture's properties with the same JSON
types, and lack what the capture lacks (no Vendor, no device paths, no iSCSI, no inline reset types)."""
import re

import pytest
from support.fidelity import capture_reader, kind, type_clashes
from support.supermicro import FUNCTION, start

_capture = capture_reader("supermicro-x13-bmc-11.01-sys821ge")
_kind = kind
_type_clashes = type_clashes
S = "/redfish/v1/Systems/1"
LOG1 = f"{S}/LogServices/Log1"
# (file path in the capture, URI in the mockup, properties both must have)
PAIRS = [
    ("/redfish/v1", "/redfish/v1", {"Oem", "RedfishVersion", "Systems", "Chassis", "Managers", "SessionService",
                                    "AccountService", "UUID", "Links", "ProtocolFeaturesSupported"}),
    (S, S, {"Id", "Name", "Description", "Boot", "PowerState", "Manufacturer", "Model", "BiosVersion", "UUID",
            "SerialNumber", "Status", "BootProgress", "Bios", "Actions", "Oem", "Links", "LogServices",
            "NetworkInterfaces", "VirtualMedia", "SystemType"}),
    (f"{S}/Bios", f"{S}/Bios", {"Id", "Name", "Description", "Attributes", "AttributeRegistry", "@Redfish.Settings"}),
    (f"{S}/Bios/SD", f"{S}/Bios/SD", {"Id", "Name", "Description", "AttributeRegistry"}),
    (f"{S}/BootOptions/Boot0019", None, {"Id", "Name", "Description", "BootOptionEnabled", "BootOptionReference",
                                         "DisplayName"}),
    (f"{S}/ResetActionInfo", f"{S}/ResetActionInfo", {"Id", "Name", "Parameters"}),
    (f"{S}/Oem/Supermicro/FixedBootOrder", f"{S}/Oem/Supermicro/FixedBootOrder",
     {"Id", "Name", "BootModeSelected", "FixedBootOrder", "FixedBootOrderDisabledItem", "UEFIAP", "UEFIAPDisabledItem",
      "UEFINetwork", "UEFINetworkDisabledItem"}),
    (f"{S}/LogServices", f"{S}/LogServices", {"Name", "Members"}),
    (LOG1, LOG1, {"Id", "Name", "MaxNumberOfRecords", "OverWritePolicy", "DateTime", "DateTimeLocalOffset",
                  "ServiceEnabled", "Status", "LogEntryType", "Entries"}),
    (f"{LOG1}/Entries/2", f"{LOG1}/Entries/1", {"Id", "Name", "EntryType", "Severity", "Created", "EntryCode",
                                               "OemSensorType", "SensorNumber", "Message", "MessageId", "GeneratorId",
                                               "Oem"}),
    ("/redfish/v1/Chassis/1", "/redfish/v1/Chassis/1", {"Id", "Name", "Manufacturer", "Model", "NetworkAdapters",
                                                        "Status", "PowerState", "Links"}),
    ("/redfish/v1/Chassis/1/NetworkAdapters/1", "/redfish/v1/Chassis/1/NetworkAdapters/1",
     {"Id", "Name", "Manufacturer", "Model", "NetworkDeviceFunctions", "Controllers"}),
    ("/redfish/v1/Managers/1", "/redfish/v1/Managers/1", {"Id", "Name", "Description", "ManagerType", "Model",
                                                          "FirmwareVersion", "DateTime", "DateTimeLocalOffset", "UUID",
                                                          "Links", "VirtualMedia", "Status"}),
]
PXE_NAME = re.compile(r"^\(B\d+/D\d+/F\d\) UEFI PXE IPv4 .+ Network Adapter - ([0-9A-F]{2}:){5}[0-9A-F]{2} - [0-9A-F]{12}$")


@pytest.fixture(scope="module")
def bmc(tmp_path_factory):
    process = start(tmp_path_factory.mktemp("smc-fidelity"), count=1, address_base="127.0.96.")
    client = process.bmc("esxi01")
    client.pxe_option = next(m["@odata.id"] for m in client.json(f"{S}/BootOptions")["Members"]
                             if "PXE" in client.json(m["@odata.id"])["DisplayName"])
    yield client
    process.stop()


@pytest.mark.parametrize("captured, served, required", PAIRS, ids=[p[0].split("/v1")[-1] or "root" for p in PAIRS])
def test_the_personality_serves_what_the_capture_shows(bmc, captured, served, required):
    real = _capture(captured)
    body = bmc.json(served or bmc.pxe_option)
    assert required <= set(real), sorted(required - set(real))  # the list itself is faithful to the capture
    assert required <= set(body), sorted(required - set(body))
    assert not _type_clashes(real, body)


def test_exactly_the_capture_s_keys_where_the_collection_reads_the_shape(bmc):
    for captured, served in ((f"{S}/Oem/Supermicro/FixedBootOrder",) * 2, (FUNCTION, FUNCTION),
                             (f"{S}/ResetActionInfo",) * 2):
        real, body = _capture(captured), bmc.json(served)
        assert set(real) - {"@odata.etag"} == set(body) - {"@odata.etag"}, captured
    real = _capture(f"{S}/ResetActionInfo")["Parameters"][0]
    assert real == bmc.json(f"{S}/ResetActionInfo")["Parameters"][0]


def test_absent_where_the_capture_has_nothing(bmc):
    assert "Vendor" not in _capture("/redfish/v1") and "Vendor" not in bmc.json("/redfish/v1")
    for body in (_capture(f"{S}/BootOptions/Boot0019"), bmc.json(bmc.pxe_option)):
        assert "UefiDevicePath" not in body
    for body in (_capture(FUNCTION), bmc.json(FUNCTION)):
        assert not {"iSCSIBoot", "@Redfish.Settings", "NetDevFuncCapabilities", "BootMode"} & set(body)
    for body in (_capture(f"{S}/Bios/SD"), bmc.json(f"{S}/Bios/SD")):
        assert "Attributes" not in body
    for body in (_capture(f"{S}/Bios"), bmc.json(f"{S}/Bios")):
        assert "SupportedApplyTimes" not in body["@Redfish.Settings"]
        assert not [name for name in body["Attributes"] if "iscsi" in name.lower()]
    for body in (_capture(S), bmc.json(S)):
        assert set(body["Actions"]["#ComputerSystem.Reset"]) == {"target", "@Redfish.ActionInfo"}
        assert set(body["BootProgress"]) == {"LastState"}


def test_names_and_oem_sections_have_the_capture_s_form(bmc):
    assert PXE_NAME.match(_capture(f"{S}/BootOptions/Boot0019")["DisplayName"])
    assert PXE_NAME.match(bmc.json(bmc.pxe_option)["DisplayName"])
    served_bios = bmc.json(f"{S}/Bios")["Attributes"]
    real_bios = _capture(f"{S}/Bios")["Attributes"]
    assert set(served_bios) <= set(real_bios)  # a subset of the capture's names, each with its type
    assert not _type_clashes(real_bios, served_bios)
    real, served = _capture(S)["Oem"]["Supermicro"], bmc.json(S)["Oem"]["Supermicro"]
    assert {"FixedBootOrder", "@odata.type"} <= set(real) & set(served)
    real, served = _capture(f"{LOG1}/Entries/2")["Oem"]["Supermicro"], bmc.json(f"{LOG1}/Entries/1")["Oem"]["Supermicro"]
    assert set(real) == set(served) and set(real["RawEventData"]) == set(served["RawEventData"])
    assert re.match(r"^\[PWR-\d{4}\] ", bmc.json(f"{LOG1}/Entries/1")["Message"])


def test_a_host_reset_entry_has_the_shape_of_the_capture_s_standard_sensor_entries(bmc):
    """The capture names standard IPMI sensor types in SensorType (its `[PWR-...]` power-supply events, entry 18)
    and OEM ones in OemSensorType (entry 2): the mockup's host reset entry is a standard sensor (0x1D System Boot /
    Restart Initiated) in entry 18's shape, and nothing a client could take for a power-supply event."""
    real = next(m for m in _capture(f"{LOG1}/Entries")["Members"] if m["Id"] == "18")
    assert (real["SensorType"], real["Message"]) == ("Power Supply / Converter", "[PWR-0001] PS5 Status, Power Supply Failure detected")
    bmc.boot_once("ForceRestart")
    served = bmc.json(f"{LOG1}/Entries")["Members"][-1]
    assert set(real) - {"@odata.etag"} == set(served) - {"@odata.etag"}
    assert set(real["Oem"]["Supermicro"]["RawEventData"]) == set(served["Oem"]["Supermicro"]["RawEventData"])
    assert not _type_clashes(real, served)
    assert (served["SensorType"], served["Oem"]["Supermicro"]["RawEventData"]["SensorType"]) == ("SystemBoot/Restart", "0x1D")
    assert not served["Message"].startswith("[PWR-") and "Power Supply" not in served["Message"]
