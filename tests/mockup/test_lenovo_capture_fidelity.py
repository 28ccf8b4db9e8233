"""The xcc personality against the real XCC 2.83 capture (tests/captures, MIT): the resources the
contract takes from the capture have the capture's properties with the same JSON types, the same
ETag style, the same NetworkBootOrder entry format, and lack what the capture lacks. The capture's
adapter is slot-27 (a Broadcom 5719 without iSCSI); the mockup's port 2 of slot-1 plays it."""
import re

import pytest
from support.fidelity import capture_reader, kind, type_clashes
from support.lenovo import configure
from support.mockup import MockupProcess, fast_fleet

_capture = capture_reader("lenovo-xcc-2.83-sr670v2")
_kind = kind
_type_clashes = type_clashes
S, BS = "/redfish/v1/Systems/1", "/redfish/v1/Systems/1/Oem/Lenovo/BootSettings"
REAL_NIC, NIC = "/redfish/v1/Chassis/1/NetworkAdapters/slot-27", "/redfish/v1/Chassis/1/NetworkAdapters/slot-1"
LOG = f"{S}/LogServices/PlatformLog"
ORDER_KEYS = {"Id", "Name", "BootOrderSupported", "BootOrderCurrent", "BootOrderNext"}
# (file path in the capture, URI in the mockup, properties both must have)
PAIRS = [
    ("/redfish/v1", "/redfish/v1", {"Vendor", "RedfishVersion", "Systems", "Chassis", "Managers", "UUID", "Links"}),
    (S, S, {"Id", "Boot", "PowerState", "Manufacturer", "Model", "BiosVersion", "Actions", "Oem", "Links", "Status",
            "UUID", "@Redfish.Settings"}),
    (f"{S}/Pending", f"{S}/Pending", {"Id", "Name", "Boot", "Description"}),
    (f"{S}/BootOptions/Boot0003", f"{S}/BootOptions/Boot0003",
     {"Id", "Name", "DisplayName", "BootOptionReference", "UefiDevicePath", "Description"}),
    (f"{S}/BootOptions/Boot0002", f"{S}/BootOptions/Boot0002", {"Id", "DisplayName", "UefiDevicePath"}),
    (f"{S}/ResetActionInfo", f"{S}/ResetActionInfo", {"Id", "Name", "Parameters", "Description"}),
    (BS, BS, {"Members", "Name", "Description"}),
    (f"{BS}/BootOrder.BootOrder", f"{BS}/BootOrder.BootOrder", ORDER_KEYS),
    (f"{BS}/BootOrder.NetworkBootOrder", f"{BS}/BootOrder.NetworkBootOrder", ORDER_KEYS),
    (LOG, LOG, {"Id", "Name", "Entries", "ServiceEnabled", "OverWritePolicy", "MaxNumberOfRecords", "LogEntryType"}),
    (f"{LOG}/Entries/1", None, {"Id", "Name", "Created", "EntryType", "OemRecordFormat", "Severity", "Message",
                                "MessageArgs", "EventId", "Oem"}),
    (REAL_NIC, NIC, {"Id", "Name", "Model", "Manufacturer", "Controllers", "NetworkDeviceFunctions", "Ports",
                     "NetworkPorts", "Status"}),
    (f"{REAL_NIC}/NetworkDeviceFunctions/1.1", f"{NIC}/NetworkDeviceFunctions/2.1",
     {"Id", "Name", "Ethernet", "DeviceEnabled", "Status", "NetDevFuncType", "Links"}),
    (f"{REAL_NIC}/NetworkPorts/1", f"{NIC}/NetworkPorts/1",
     {"Id", "Name", "PhysicalPortNumber", "LinkStatus", "AssociatedNetworkAddresses", "NetDevFuncMaxBWAlloc",
      "ActiveLinkTechnology", "Status"}),
    (f"{REAL_NIC}/Ports/1", f"{NIC}/Ports/1",
     {"Id", "Name", "LinkStatus", "Ethernet", "FunctionMaxBandwidth", "LinkNetworkTechnology", "Status"}),
    ("/redfish/v1/Managers/1", "/redfish/v1/Managers/1", {"Id", "Model", "FirmwareVersion", "DateTime", "Links"}),
]
# "UEFI:   SLOT27 (4D/0/0) HTTP IPv4  <adapter>[ - <MAC>]": three spaces after UEFI:, two before the name.
ENTRY = re.compile(r"^UEFI:   SLOT\d+ \([0-9A-F]+/0/\d+\) (HTTP IPv4|PXE IPv4|iSCSI)  \S.*$")


@pytest.fixture(scope="module")
def bmc(tmp_path_factory):
    process = MockupProcess(fast_fleet(count=1, address_base="127.0.89.", personality="xcc"),
                            tmp_path_factory.mktemp("lenovo-fidelity")).start()
    client = process.bmc("esxi01")
    configure(client, CHAPSecret="wrong-secret-1")
    client.boot_once()  # a failed login: a PlatformLog entry to compare with the capture's
    configure(client)
    client.boot_once()  # logged in: an iSCSI entry in NetworkBootOrder
    client.log_entry = client.json(f"{LOG}/Entries")["Members"][0]["@odata.id"]
    yield client
    process.stop()


@pytest.mark.parametrize("captured, served, required", PAIRS, ids=[p[0].split("/v1")[-1] or "root" for p in PAIRS])
def test_the_personality_serves_what_the_capture_shows(bmc, captured, served, required):
    real = _capture(captured)
    body = bmc.json(served or bmc.log_entry)
    assert required <= set(real), sorted(required - set(real))  # the list itself is faithful to the capture
    assert required <= set(body), sorted(required - set(body))
    assert not _type_clashes(real, body)


def test_absent_where_the_capture_has_nothing(bmc):
    for key in ("BootProgress", "LastResetTime"):
        assert key not in _capture(S) and key not in bmc.json(S), key
    real, served = _capture(f"{REAL_NIC}/NetworkDeviceFunctions/1.1"), bmc.json(f"{NIC}/NetworkDeviceFunctions/2.1")
    for key in ("iSCSIBoot", "@Redfish.Settings", "NetDevFuncCapabilities"):
        assert key not in real and key not in served, key


def test_the_shapes_the_collection_reads(bmc):
    real, served = _capture(S), bmc.json(S)
    for key in ("SystemStatus", "NumberOfReboots", "BootSettings", "BootSettings@Redfish.Deprecated"):
        assert key in real["Oem"]["Lenovo"] and key in served["Oem"]["Lenovo"], key
    assert not _type_clashes(real["Oem"]["Lenovo"], served["Oem"]["Lenovo"])
    assert set(real["@Redfish.Settings"]) - {"@odata.type"} == set(served["@Redfish.Settings"]) - {"@odata.type"}
    assert real["@Redfish.Settings"]["SupportedApplyTimes"] == served["@Redfish.Settings"]["SupportedApplyTimes"]
    reset, real_reset = served["Actions"]["#ComputerSystem.Reset"], real["Actions"]["#ComputerSystem.Reset"]
    assert reset["ResetType@Redfish.AllowableValues"] == real_reset["ResetType@Redfish.AllowableValues"]
    assert reset["@Redfish.ActionInfo"] == real_reset["@Redfish.ActionInfo"]
    assert set(served["Actions"]["Oem"]) == set(real["Actions"]["Oem"])
    for key in ("BootOrderPropertySelection", "AutomaticRetryConfig", "BootOrder"):
        assert real["Boot"][key] == served["Boot"][key], key
    entry_real, entry_served = _capture(f"{LOG}/Entries/1")["Oem"]["Lenovo"], bmc.json(bmc.log_entry)["Oem"]["Lenovo"]
    keys = {"CommonEventID", "EventID", "ReportingChain", "Source", "Serviceable", "EventSequenceNumber"}
    assert keys <= set(entry_real) and keys <= set(entry_served)
    assert re.fullmatch(r"FQXS[A-Z]{3,4}\d{4}[A-Z]", entry_real["CommonEventID"])
    assert re.fullmatch(r"FQXS[A-Z]{3,4}\d{4}[A-Z]", entry_served["CommonEventID"])


def test_etags_and_entries_in_the_capture_format(bmc):
    for path in ("/redfish/v1", S, f"{S}/Pending", f"{BS}/BootOrder.NetworkBootOrder"):
        assert re.fullmatch(r'"[0-9a-f]+"', _capture(path)["@odata.etag"]), path
        assert re.fullmatch(r'"[0-9a-f]+"', bmc.json(path)["@odata.etag"]), path
    real = _capture(f"{BS}/BootOrder.NetworkBootOrder")["BootOrderSupported"]
    served = bmc.json(f"{BS}/BootOrder.NetworkBootOrder")["BootOrderSupported"]
    assert all(ENTRY.match(e) for e in real), real
    assert all(ENTRY.match(e) for e in served), served
    assert any(" iSCSI  " in e for e in served)
    assert _capture(f"{BS}/BootOrder.BootOrder")["BootOrderSupported"] == \
        bmc.json(f"{BS}/BootOrder.BootOrder")["BootOrderSupported"]
    real_path = _capture(f"{S}/BootOptions/Boot0003")["UefiDevicePath"]
    assert bmc.json(f"{S}/BootOptions/Boot0003")["UefiDevicePath"] == real_path
