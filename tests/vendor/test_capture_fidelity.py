"""The Dell personalities against the real iDRAC9 6.00.30 capture (tests/captures): the same URIs,
and in each key resource every property the personality serves exists in the capture with the
same JSON type (null on either side tolerated), the must-have properties are there, and the
@odata.type namespaces agree. The BIOS registry entries the personality validates with are the
capture's. Every table row is first checked against the capture itself, so the tables are facts.

Ids that are the fleet's (adapter, function) or the moment's (boot option, log entry, job) are
placeholders in the URI templates; everything else is compared literally.
"""
import json
import re

import pytest
from support.mockup import ROOT, MockupProcess, fast_fleet
from support.polling import wait_for

CAPTURE = ROOT / "tests" / "captures" / "dell-idrac9-6.00.30-r750"
PERSONALITIES = ["idrac9", "idrac10"]
SYSTEM, MANAGER, CHASSIS = "/redfish/v1/Systems/System.Embedded.1", "/redfish/v1/Managers/iDRAC.Embedded.1", \
    "/redfish/v1/Chassis/System.Embedded.1"
FUNCTION = CHASSIS + "/NetworkAdapters/{adapter}/NetworkDeviceFunctions/{function}"

# The two kinds of port of fast_fleet(personality=...)'s BMC (adapter NIC.Slot.1, function FQDDs as
# port ids), each with the capture port it must look like: a port whose NIC firmware
# boots iSCSI (fleet `iscsi: true`; capture NIC.Slot.5-1, iSCSIBootSupport Available, populated
# iSCSIBoot) and one without (fleet `iscsi: false`; capture NIC.Embedded.1-1-1, Unavailable, {}).
PORTS = {
    "iscsi": {"capture": {"adapter": "NIC.Slot.5", "function": "NIC.Slot.5-1"},
              "mockup": {"adapter": "NIC.Slot.1", "function": "NIC.Slot.1-1-1"}},
    "no-iscsi": {"capture": {"adapter": "NIC.Embedded.1", "function": "NIC.Embedded.1-1-1"},
                 "mockup": {"adapter": "NIC.Slot.1", "function": "NIC.Slot.1-2-1"}},
}

# name: (URI template, must-have properties as /-separated paths)
RESOURCES = {
    "root": ("/redfish/v1", ["Vendor", "Product", "Oem/Dell", "RedfishVersion", "Systems", "Chassis", "Managers",
                             "SessionService", "Links/Sessions"]),
    "systems": ("/redfish/v1/Systems", ["Members"]),
    "system": (SYSTEM, ["Id", "Manufacturer", "Model", "PowerState", "LastResetTime", "Bios", "Boot/BootOrder",
                        "Boot/BootOptions", "Links/ManagedBy", "Links/Chassis", "Actions/#ComputerSystem.Reset/target",
                        "Actions/#ComputerSystem.Reset/ResetType@Redfish.AllowableValues"]),
    "manager": (MANAGER, ["Id", "FirmwareVersion", "Model", "LogServices", "Links/Oem/Dell/Jobs",
                          "Links/Oem/Dell/DellLCService"]),
    "chassis": (CHASSIS, ["Id", "NetworkAdapters"]),
    "adapters": (CHASSIS + "/NetworkAdapters", ["Members"]),
    "adapter": (CHASSIS + "/NetworkAdapters/{adapter}", ["Id", "NetworkDeviceFunctions"]),
    "function": (FUNCTION, ["Id", "NetDevFuncCapabilities", "Ethernet/MACAddress", "iSCSIBoot",
                            "@Redfish.Settings/SettingsObject", "@Redfish.Settings/SupportedApplyTimes",
                            "Links/Oem/Dell/DellNetworkAttributes", "Oem/Dell/DellNIC/DeviceDescription"]),
    "function settings": (SYSTEM + "/NetworkAdapters/{adapter}/NetworkDeviceFunctions/{function}/Settings",
                          ["Id", "iSCSIBoot"]),
    "network attributes": (FUNCTION + "/Oem/Dell/DellNetworkAttributes/{function}",
                           ["Id", "Attributes/iSCSIBootSupport"]),
    "bios": (SYSTEM + "/Bios", ["AttributeRegistry", "Attributes/IscsiInitiatorName", "Attributes/IscsiDev1EnDis",
                                "Attributes/IscsiDev1Con1Interface", "Attributes/IscsiDev1Con1VlanId",
                                "@Redfish.Settings/SettingsObject", "@Redfish.Settings/SupportedApplyTimes"]),
    "bios settings": (SYSTEM + "/Bios/Settings", ["Id", "Attributes"]),
    "bios registry": (SYSTEM + "/Bios/BiosRegistry", ["Id", "RegistryEntries/Attributes"]),
    "boot options": (SYSTEM + "/BootOptions", ["Members"]),
    "boot option": (SYSTEM + "/BootOptions/{option}", ["Id", "BootOptionReference", "DisplayName", "UefiDevicePath",
                                                       "BootOptionEnabled"]),
    "jobs": (MANAGER + "/Oem/Dell/Jobs", ["Members"]),
    "job": (MANAGER + "/Oem/Dell/Jobs/{job}", ["Id", "JobState", "JobType", "Message", "MessageId",
                                               "PercentComplete"]),
    "lclog entries": (MANAGER + "/LogServices/Lclog/Entries", ["Members"]),
    "log entry": (MANAGER + "/LogServices/Lclog/Entries/{entry}", ["Id", "Created", "Message", "MessageId", "Severity",
                                                                   "EntryType", "OemRecordFormat"]),
    "lc service": (MANAGER + "/Oem/Dell/DellLCService", ["Actions/#DellLCService.GetRemoteServicesAPIStatus/target"]),
}
PORT_RESOURCES = {"adapter", "function", "function settings", "network attributes"}
ALWAYS = ["@odata.id", "@odata.type"]  # must-haves of every resource

# Where each resource links another: (resource, path to the link, URI template it must hold).
LINKS = [
    ("root", "Systems", "/redfish/v1/Systems"),
    ("root", "Chassis", "/redfish/v1/Chassis"),
    ("root", "Managers", "/redfish/v1/Managers"),
    ("root", "SessionService", "/redfish/v1/SessionService"),
    ("root", "Links/Sessions", "/redfish/v1/SessionService/Sessions"),
    ("systems", "Members/0", SYSTEM),
    ("system", "Bios", SYSTEM + "/Bios"),
    ("system", "Boot/BootOptions", SYSTEM + "/BootOptions"),
    ("system", "Links/ManagedBy/0", MANAGER),
    ("system", "Links/Chassis/0", CHASSIS),
    ("system", "Actions/#ComputerSystem.Reset/target", SYSTEM + "/Actions/ComputerSystem.Reset"),
    ("chassis", "NetworkAdapters", CHASSIS + "/NetworkAdapters"),
    ("adapter", "NetworkDeviceFunctions", CHASSIS + "/NetworkAdapters/{adapter}/NetworkDeviceFunctions"),
    ("function", "@Redfish.Settings/SettingsObject",
     SYSTEM + "/NetworkAdapters/{adapter}/NetworkDeviceFunctions/{function}/Settings"),
    ("function", "Links/Oem/Dell/DellNetworkAttributes", FUNCTION + "/Oem/Dell/DellNetworkAttributes/{function}"),
    ("bios", "@Redfish.Settings/SettingsObject", SYSTEM + "/Bios/Settings"),
    ("manager", "LogServices", MANAGER + "/LogServices"),
    ("manager", "Links/Oem/Dell/Jobs", MANAGER + "/Oem/Dell/Jobs"),
    ("manager", "Links/Oem/Dell/DellLCService", MANAGER + "/Oem/Dell/DellLCService"),
    ("lc service", "Actions/#DellLCService.GetRemoteServicesAPIStatus/target",
     MANAGER + "/Oem/Dell/DellLCService/Actions/DellLCService.GetRemoteServicesAPIStatus"),
]

# Properties a personality may serve that the 6.00.30 capture does not have, with the reason.
# Everything else it serves must be in the capture.
MOCKUP_BOOTMODE = ("the mockup shows the DMTF BootMode on a Dell function and its settings (personalities.md, "
                   "'NIC method and BootMode'); iDRAC's own bodies have none, so the collection must not need it")
DELL_BOTH = {(resource, "BootMode"): MOCKUP_BOOTMODE for resource in ("function", "function settings")}
MUTUAL_CHAP = ("iDRAC10 (as iDRAC9 7.x) serves iSCSIBoot MutualCHAPUsername/MutualCHAPSecret, which 6.00.30's "
               "NetworkDeviceFunction v1_7_0 lacks (UNCONFIRMED, personalities.md 'Ports')")
MUTUAL_10 = {(resource, f"iSCSIBoot/{key}"): MUTUAL_CHAP for resource in ("function", "function settings")
             for key in ("MutualCHAPUsername", "MutualCHAPSecret")}
EXTRA = {
    "idrac9": {**DELL_BOTH},
    "idrac10": {**DELL_BOTH, **MUTUAL_10,
        ("system", "BootProgress"): "iDRAC10 reports BootProgress.LastState (contract, as capture CAP-D710 of 7.x)",
        ("system", "BootProgress/LastState"): "same",
        ("system", "@Redfish.Settings"): "iDRAC10's system SettingsObject /Systems/System.Embedded.1/Settings (doc)",
        ("system", "@Redfish.Settings/SettingsObject"): "same",
        ("system", "@Redfish.Settings/SupportedApplyTimes"): "same",
        ("system", "@Redfish.Settings/@odata.type"): "same",
    },
}

# The BIOS registry entries the personality validates writes with, and the fields compared.
REGISTRY_FIELDS = ("Type", "LowerBound", "UpperBound", "MinLength", "MaxLength", "ValueExpression", "Value")
REGISTRY_ENTRIES = ["IscsiInitiatorName", "IscsiDev1EnDis", "IscsiDev1Con1EnDis", "IscsiDev1Con1Protocol",
                    "IscsiDev1Con1VlanEnDis", "IscsiDev1Con1VlanId", "IscsiDev1Con1Port", "IscsiDev1Con1Lun",
                    "IscsiDev1Con1TargetName", "IscsiDev1Con1Auth", "IscsiDev1Con1ChapType", "IscsiDev1Con1ChapName",
                    "IscsiDev1Con1ChapSecret", "IscsiDev1Con1RevChapName", "IscsiDev1Con1RevChapSecret"]
# Fields where a personality imitates a newer BIOS than the capture's 1.8.2 (personalities.md).
PASSWORD_TYPE = "iDRAC10 types CHAP secrets Password, same bounds (personalities.md 'Registry'; vendors.md 5)"
NEWER_IQN = "newer BIOS (iDRAC9 7.x, iDRAC10) allows '.' and ':' after the first colon (contract, capture CAP-D710)"
REGISTRY_DELTAS = {
    "idrac9": {},
    "idrac10": {("IscsiInitiatorName", "ValueExpression"): NEWER_IQN,
                ("IscsiDev1Con1TargetName", "ValueExpression"): NEWER_IQN,
                ("IscsiDev1Con1ChapSecret", "Type"): PASSWORD_TYPE,
                ("IscsiDev1Con1RevChapSecret", "Type"): PASSWORD_TYPE},
}
IQNS_OF_THE_CAPTURE_PATTERN = ["iqn.1998-01.com.vmware:esxi01", "iqn.2024-01.org.example.san:esxi01", ""]


# -- helpers -----------------------------------------------------------------------------------------
def capture_json(uri):
    path = CAPTURE.joinpath(*[p for p in uri.split("/") if p], "index.json")
    assert path.is_file(), f"{uri} is not in tests/captures (scripts/copy_captures.py tables)"
    return json.loads(path.read_text())


def recorded(member):
    """A collection member's own recording, or the member as the collection shows it (Dell's
    Lclog/Entries carries whole entries)."""
    path = CAPTURE.joinpath(*[p for p in member["@odata.id"].split("/") if p], "index.json")
    return json.loads(path.read_text()) if path.is_file() else member


def dig(body, path):
    """body at a /-separated path (a number indexes a list); KeyError if absent."""
    for key in path.split("/"):
        body = body[int(key)] if isinstance(body, list) else body[key]
    return body


def json_type(value):
    return {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string",
            list: "array", dict: "object"}[type(value)]


def odata_type(value):
    """#Namespace.v1_2_3.Type -> (Namespace, Type): the version may differ, the type may not."""
    parts = value.lstrip("#").split(".")
    return parts[0], parts[-1]


def merged(values):
    """One shape for several recorded values: objects merged key by key, arrays as one merged item,
    the first non-null value otherwise (so heterogeneous entries are compared with their union)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, dict) for v in present):
        keys = dict.fromkeys(k for v in present for k in v)
        return {k: merged([v[k] for v in present if k in v]) for k in keys}
    if present and all(isinstance(v, list) for v in present):
        items = [item for v in present for item in v]
        return [merged(items)] if items else []
    return present[0] if present else None


def differences(mine, theirs, path=""):
    """Where `mine` (the personality) is not shaped like `theirs` (the capture), as (path, problem)."""
    found = []
    for key, value in mine.items():
        where = f"{path}/{key}" if path else key
        if key not in theirs:
            found.append((where, "not in the capture"))
            continue
        other = theirs[key]
        if value is None or other is None:
            continue
        if json_type(value) != json_type(other):
            found.append((where, f"{json_type(value)} here, {json_type(other)} in the capture"))
        elif key == "@odata.type" and odata_type(value) != odata_type(other):
            found.append((where, f"{value} here, {other} in the capture"))
        elif isinstance(value, dict):
            found += differences(value, other, where)
        elif isinstance(value, list) and other:
            shape = merged([other])[0]
            for item in value:
                if item is not None and shape is not None and json_type(item) != json_type(shape):
                    found.append((where, f"items {json_type(item)} here, {json_type(shape)} in the capture"))
                elif isinstance(item, dict) and isinstance(shape, dict):
                    found += differences(item, shape, where)
    return found


def registry_entry(registry, name):
    entries = [a for a in registry["RegistryEntries"]["Attributes"] if a["AttributeName"] == name]
    assert entries, f"{name} not in the registry"
    return entries[0]


# -- the capture's side ---------------------------------------------------------------------------
def capture_ids(port):
    return {**PORTS[port]["capture"], "option": "Boot0000", "entry": "83431", "job": "JID_102241909559"}


# Members of these collections differ in which optional properties they carry (an entry with an
# OriginOfCondition, one without): a personality's member is compared with all recorded ones merged.
MEMBER_OF = {"boot option": "boot options", "log entry": "lclog entries", "job": "jobs"}
# A settings object lists only what is pending (the capture's: nothing); any BIOS attribute may be.
ATTRIBUTES_OF = {"bios settings": "bios"}


def capture_resource(name, port="iscsi"):
    body = capture_json(RESOURCES[name][0].format(**capture_ids(port)))
    if name in MEMBER_OF:
        members = capture_resource(MEMBER_OF[name])["Members"]
        body = merged([body] + [recorded(m) for m in members])
    if name in ATTRIBUTES_OF:
        body = {**body, "Attributes": capture_resource(ATTRIBUTES_OF[name])["Attributes"]}
    return body


def cases():
    """(resource, port kind) for every comparison: port resources once per kind of port."""
    return [(name, port) for name in RESOURCES for port in (PORTS if name in PORT_RESOURCES else ["iscsi"])]


def case_id(case):
    return case[0] if case[0] not in PORT_RESOURCES else f"{case[0]} ({case[1]} port)"


@pytest.mark.parametrize("case", cases(), ids=case_id)
def test_table_is_true_of_the_capture(case):
    name, port = case
    body = capture_resource(name, port)
    assert body["@odata.id"] == RESOURCES[name][0].format(**capture_ids(port))
    for path in ALWAYS + RESOURCES[name][1]:
        dig(body, path)  # KeyError: the must-have list names something the capture does not have
    for resource, path, target in LINKS:
        if resource == name:
            assert dig(body, path + ("/@odata.id" if not path.endswith("target") else "")) == \
                target.format(**capture_ids(port)), (resource, path)


# -- the personality's side ----------------------------------------------------------------------
class Personality:
    """A running personality and the ids of its moment (first boot option, a job, a log entry),
    each found when a test first needs it (a failure to find one fails only the tests that need it)."""

    MOMENT = {"option": (SYSTEM + "/BootOptions", 0), "job": (MANAGER + "/Oem/Dell/Jobs", 20),
              "entry": (MANAGER + "/LogServices/Lclog/Entries", 20)}

    def __init__(self, name, mockup):
        self.name, self.mockup, self.client = name, mockup, mockup.bmc("esxi01")
        self.ids, self.errors = {}, {}

    def get(self, uri):
        response = self.client.get(uri)
        assert response.status_code == 200, \
            f"{self.name} does not serve {uri}: {response.status_code} {response.text[:200]}"
        return response.json()

    def prepare(self):
        """Give the job queue and the Lifecycle log members, as the capture has: the iSCSI port is
        set (NICConfiguration job, OnReset) to a target the SAN does not have, and reset, so the job
        runs and the firmware's iSCSI login fails (the Dell personalities log only failed logins).
        Answers are checked by the tests that need what they make."""
        settings = RESOURCES["function settings"][0].format(**PORTS["iscsi"]["mockup"])
        values = {"IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:fidelity",
                  "InitiatorIPAddress": "192.0.2.11", "InitiatorNetmask": "255.255.255.0",
                  "PrimaryTargetName": "iqn.2024-01.org.example.san:not-on-the-san",
                  "PrimaryTargetIPAddress": "127.0.0.1", "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 1,
                  "AuthenticationMethod": "None"}
        self.client.patch(settings, {"iSCSIBoot": values, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
        self.client.post(SYSTEM + "/Actions/ComputerSystem.Reset", {"ResetType": "ForceRestart"})
        return self

    def moment_id(self, key):
        if key not in self.ids and key not in self.errors:
            collection, timeout = self.MOMENT[key]
            try:
                members = wait_for(lambda: self.get(collection)["Members"], timeout=timeout,
                                   what=f"{self.name}: a member of {collection}")
                self.ids[key] = members[0]["@odata.id"].rstrip("/").rsplit("/", 1)[-1]
            except AssertionError as exc:
                self.errors[key] = str(exc)
        assert key in self.ids, self.errors[key]
        return self.ids[key]

    def uri(self, name, port="iscsi"):
        template = RESOURCES[name][0] if name in RESOURCES else name
        moment = {key: self.moment_id(key) for key in self.MOMENT if "{%s}" % key in template}
        return template.format(**PORTS[port]["mockup"], **moment)


@pytest.fixture(scope="module")
def personalities(tmp_path_factory):
    started = {}

    def get(name):
        if name not in started:
            folder = tmp_path_factory.mktemp(f"mockup-{name}")
            process = MockupProcess(fast_fleet(count=1, personality=name), folder).start()
            started[name] = Personality(name, process)
            started[name].prepare()
        return started[name]

    yield get
    for personality in started.values():
        personality.mockup.stop()


def _report(problems):
    return "\n".join(f"  {where}: {problem}" for where, problem in problems)


@pytest.mark.parametrize("case", cases(), ids=case_id)
@pytest.mark.parametrize("personality", PERSONALITIES)
def test_resource_is_shaped_like_the_capture(personalities, personality, case):
    name, port = case
    served = personalities(personality)
    mine, theirs = served.get(served.uri(name, port)), capture_resource(name, port)
    assert mine.get("@odata.id") == served.uri(name, port)
    missing = []
    for path in ALWAYS + RESOURCES[name][1]:
        try:
            dig(mine, path)
        except (KeyError, IndexError, TypeError):
            missing.append(path)
    extra = EXTRA[personality]
    problems = [(where, problem) for where, problem in differences(mine, theirs)
                if not (problem == "not in the capture" and (name, where) in extra)]
    assert not missing and not problems, (
        f"{personality} {case_id(case)} ({served.uri(name, port)}) vs capture {theirs['@odata.id']}:\n"
        f"missing must-haves: {missing}\n{_report(problems)}")


@pytest.mark.parametrize("link", LINKS, ids=lambda link: f"{link[0]}:{link[1]}")
@pytest.mark.parametrize("personality", PERSONALITIES)
def test_links_are_the_captures_uris(personalities, personality, link):
    resource, path, target = link
    served = personalities(personality)
    body = served.get(served.uri(resource))
    value = dig(body, path + ("/@odata.id" if not path.endswith("target") else ""))
    assert value == served.uri(target)


@pytest.mark.parametrize("attribute", REGISTRY_ENTRIES)
@pytest.mark.parametrize("personality", PERSONALITIES)
def test_registry_entry_is_the_captures(personalities, personality, attribute):
    served = personalities(personality)
    mine = registry_entry(served.get(served.uri("bios registry")), attribute)
    theirs = registry_entry(capture_resource("bios registry"), attribute)
    deltas = REGISTRY_DELTAS[personality]
    for field in REGISTRY_FIELDS:
        if (attribute, field) in deltas and field == "Type":
            assert (theirs[field], mine[field]) == ("String", "Password"), (personality, attribute,
                                                                            deltas[attribute, field])
            continue
        if (attribute, field) in deltas:
            pattern = re.compile(mine[field])
            for iqn in IQNS_OF_THE_CAPTURE_PATTERN:  # a newer pattern still takes what the old one took
                assert pattern.search(iqn), (personality, attribute, field, iqn)
            continue
        if field == "Value" and "Value" in theirs:  # enumerations: the same value names
            assert sorted(v["ValueName"] for v in mine.get("Value", [])) == \
                sorted(v["ValueName"] for v in theirs["Value"]), (personality, attribute)
            continue
        assert mine.get(field) == theirs.get(field), (personality, attribute, field, mine.get(field), theirs.get(field))


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_remote_services_status_answers_at_the_captures_action_target(personalities, personality):
    served = personalities(personality)
    target = dig(capture_resource("lc service"), "Actions/#DellLCService.GetRemoteServicesAPIStatus/target")
    reply = served.client.post(target, {})
    assert reply.status_code == 200, reply.text
    assert {"LCStatus", "RTStatus", "ServerStatus", "Status"} <= set(reply.json()), reply.text


# The Lifecycle log entry prepare() provokes (a target name the SAN does not have: UEFI0268 in the
# contract), in the EEMI registry's words; the registry prefix is the firmware generation's.
EEMI_PREFIX = {"idrac9": "IDRAC.2.7.", "idrac10": "IDRAC.2.9."}


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_lclog_entry_speaks_the_eemi_registry(personalities, personality):
    served = personalities(personality)
    entry = served.get(served.uri("log entry"))
    registry = capture_json(capture_json("/redfish/v1/Registries/Messages")["Location"][0]["Uri"])
    assert entry["MessageId"] == EEMI_PREFIX[personality] + "UEFI0268", entry
    spec = registry["Messages"]["UEFI0268"]
    args = entry.get("MessageArgs", [])
    assert len(args) == spec["NumberOfArgs"], entry
    text = spec["Message"]
    for number, arg in enumerate(args, 1):
        text = text.replace(f"%{number}", arg)
    assert (entry["Message"], entry["Severity"]) == (text, spec["Severity"]), entry
