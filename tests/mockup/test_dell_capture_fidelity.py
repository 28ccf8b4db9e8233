"""The idrac9 personality against the real iDRAC9 6.00.30 capture (tests/captures, MIT): the key
resources sit at the same URIs, and every property both serve has the same JSON type."""
from functools import partial

import pytest
from support.fidelity import capture_reader, kind, type_clashes
from support.mockup import MockupProcess, fast_fleet

_capture = capture_reader("dell-idrac9-6.00.30-r750")
_kind = kind
_type_clashes = partial(type_clashes, skip=("Oem",))   # this comparison leaves the Oem sections out, as before
S, C, M = "/redfish/v1/Systems/System.Embedded.1", "/redfish/v1/Chassis/System.Embedded.1", \
    "/redfish/v1/Managers/iDRAC.Embedded.1"
CAPTURE_NIC = f"{C}/NetworkAdapters/NIC.Slot.5/NetworkDeviceFunctions/NIC.Slot.5-1"
MOCK_NIC = f"{C}/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1"
# (URI in the capture, URI in the mockup, properties both must have)
PAIRS = [
    ("/redfish/v1", "/redfish/v1", {"Vendor", "Product", "Oem", "RedfishVersion", "Systems", "Managers"}),
    (S, S, {"Id", "Boot", "PowerState", "Manufacturer", "Model", "BiosVersion", "LastResetTime", "Bios", "Actions",
            "Oem"}),
    (f"{S}/Bios", f"{S}/Bios", {"Attributes", "AttributeRegistry", "@Redfish.Settings"}),
    (f"{S}/Bios/Settings", f"{S}/Bios/Settings", {"Attributes", "Id"}),
    (f"{S}/BootOptions/Boot0000", f"{S}/BootOptions/Boot0001",
     {"BootOptionReference", "DisplayName", "UefiDevicePath", "BootOptionEnabled", "Id"}),
    (CAPTURE_NIC, MOCK_NIC, {"Id", "iSCSIBoot", "NetDevFuncCapabilities", "@Redfish.Settings", "Ethernet", "Links", "Oem"}),
    (CAPTURE_NIC.replace(C, S) + "/Settings", MOCK_NIC.replace(C, S) + "/Settings",
     {"iSCSIBoot", "Id"}),
    (f"{CAPTURE_NIC}/Oem/Dell/DellNetworkAttributes/NIC.Slot.5-1", f"{MOCK_NIC}/Oem/Dell/DellNetworkAttributes/NIC.Slot.1-1-1",
     {"Attributes", "AttributeRegistry", "Id"}),
    (M, M, {"Id", "FirmwareVersion", "Model", "Links"}),
    (f"{M}/LogServices/Lclog", f"{M}/LogServices/Lclog", {"Entries", "Id", "LogEntryType"}),
    (f"{M}/Oem/Dell/Jobs/JID_102241909559", None,
     {"Id", "JobState", "JobType", "Message", "MessageId", "PercentComplete", "TargetSettingsURI", "Name"}),
]


@pytest.fixture(scope="module")
def bmc(tmp_path_factory):
    process = MockupProcess(fast_fleet(count=1, address_base="127.0.51.", personality="idrac9"),
                            tmp_path_factory.mktemp("fidelity")).start()
    client = process.bmc("esxi01")
    # A scheduled job, so there is one to compare with the capture's.
    attributes = {"Attributes": {"IscsiDev1Con1VlanId": 12}, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
    client.job_location = client.patch(f"{S}/Bios/Settings", attributes).headers["Location"]
    yield client
    process.stop()


@pytest.mark.parametrize("captured, served, required", PAIRS, ids=[p[0].rsplit("/", 1)[-1] or "root" for p in PAIRS])
def test_the_personality_serves_what_the_capture_shows(bmc, captured, served, required):
    real = _capture(captured)
    body = bmc.json(served or bmc.job_location)
    assert required <= set(real), sorted(required - set(real))  # the list itself is faithful to the capture
    assert required <= set(body), sorted(required - set(body))
    assert not _type_clashes(real, body)


def test_the_bios_attributes_the_initiator_uses_match_the_capture(bmc):
    real = _capture(f"{S}/Bios")["Attributes"]
    served = bmc.json(f"{S}/Bios")["Attributes"]
    iscsi = {k for k in real if k.startswith(("IscsiDev1", "IscsiInitiator"))}
    assert iscsi <= set(served), sorted(iscsi - set(served))
    assert {k: _kind(real[k]) for k in iscsi} == {k: _kind(served[k]) for k in iscsi}


def test_the_registry_entries_match_the_capture(bmc):
    real = {a["AttributeName"]: a for a in _capture(f"{S}/Bios/BiosRegistry")["RegistryEntries"]["Attributes"]}
    served = {a["AttributeName"]: a for a in bmc.json(f"{S}/Bios/BiosRegistry")["RegistryEntries"]["Attributes"]}
    for name in ("IscsiInitiatorName", "IscsiDev1Con1TargetName", "IscsiDev1Con1ChapSecret", "IscsiDev1Con1VlanId",
                 "IscsiDev1Con1Port", "IscsiDev1Con1Lun", "IscsiDev1Con1Auth", "IscsiDev1Con1Ip"):
        for key in ("Type", "ValueExpression", "MinLength", "MaxLength", "LowerBound", "UpperBound"):
            assert served[name].get(key) == real[name].get(key), (name, key)
