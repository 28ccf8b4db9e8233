"""schema.check_patch on its own: the messages a strict BMC answers for each kind of bad PATCH."""
import json

import pytest

from sanboot_mockup.errors import REGISTRY, _messages
from sanboot_mockup.schema import _load, _options, check_patch

NDF = ("NetworkDeviceFunction.v1_11_1.json", "NetworkDeviceFunction")
SYSTEM = ("ComputerSystem.v1_27_0.json", "ComputerSystem")
ACCOUNT = ("ManagerAccount.v1_14_1.json", "ManagerAccount")
SESSIONS = ("SessionService.v1_2_0.json", "SessionService")
OPTION = ("BootOption.v1_0_6.json", "BootOption")
NDF_WRITABLE = {"BootMode", "iSCSIBoot.*"}
BOOT_WRITABLE = {"Boot.BootOrder", "Boot.BootNext", "Boot.BootSourceOverrideTarget", "Boot.BootSourceOverrideEnabled"}
ACCOUNT_WRITABLE = {"UserName", "Password", "RoleId", "Enabled", "Locked"}


def problems(schema, body, writable):
    """[(MessageId without registry, MessageArgs, RelatedProperties)]"""
    return [(m["MessageId"].removeprefix(f"{REGISTRY}."), m["MessageArgs"], m.get("RelatedProperties"))
            for m in check_patch(*schema, body, writable)]


@pytest.mark.parametrize("body", [
    {"BootMode": "iSCSI"}, {"BootMode": None}, {"BootMode": "Disabled"},
    {"iSCSIBoot": {"PrimaryLUN": 1, "PrimaryVLANId": 4094, "SecondaryVLANId": 0, "PrimaryVLANEnable": True}},
    {"iSCSIBoot": {"AuthenticationMethod": "MutualCHAP", "CHAPSecret": "s", "MutualCHAPSecret": None}},
    {"iSCSIBoot": {"IPAddressType": "IPv6", "RouterAdvertisementEnabled": True, "InitiatorIPAddress": "2001:db8::1"}},
    {"iSCSIBoot": {}}, {"@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}, "BootMode": "PXE"},
    {"iSCSIBoot": {"PrimaryLUN@odata.type": "x", "PrimaryLUN": 0}},
])
def test_good_bodies_pass(body):
    assert problems(NDF, body, NDF_WRITABLE) == []


def test_good_system_and_account_bodies_pass():
    assert problems(SYSTEM, {"Boot": {"BootOrder": ["Boot0001", "Boot0000"], "BootNext": None,
                                      "BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"}},
                    BOOT_WRITABLE) == []
    assert problems(ACCOUNT, {"UserName": "u", "Password": "p" * 10, "RoleId": "ReadOnly", "Enabled": True},
                    ACCOUNT_WRITABLE) == []
    assert problems(SESSIONS, {"SessionTimeout": 30}, {"SessionTimeout"}) == []
    assert problems(SESSIONS, {"SessionTimeout": 86400}, {"SessionTimeout"}) == []
    assert problems(OPTION, {"BootOptionEnabled": False}, {"BootOptionEnabled"}) == []


@pytest.mark.parametrize("body, expected", [
    ({"iSCSIBoot": {"PrimaryLUN": "one"}},
     ("PropertyValueTypeError", ["one", "iSCSIBoot.PrimaryLUN"], ["#/iSCSIBoot/PrimaryLUN"])),
    ({"iSCSIBoot": {"PrimaryLUN": 1.0}},
     ("PropertyValueTypeError", ["1.0", "iSCSIBoot.PrimaryLUN"], ["#/iSCSIBoot/PrimaryLUN"])),
    ({"iSCSIBoot": {"PrimaryVLANEnable": 1}},
     ("PropertyValueTypeError", ["1", "iSCSIBoot.PrimaryVLANEnable"], ["#/iSCSIBoot/PrimaryVLANEnable"])),
    ({"iSCSIBoot": {"PrimaryTargetTCPPort": True}},  # a bool is not an integer
     ("PropertyValueTypeError", ["true", "iSCSIBoot.PrimaryTargetTCPPort"], ["#/iSCSIBoot/PrimaryTargetTCPPort"])),
    ({"iSCSIBoot": {"InitiatorName": ["iqn.x"]}},
     ("PropertyValueTypeError", ['["iqn.x"]', "iSCSIBoot.InitiatorName"], ["#/iSCSIBoot/InitiatorName"])),
    ({"iSCSIBoot": None}, ("PropertyValueTypeError", ["null", "iSCSIBoot"], ["#/iSCSIBoot"])),
    ({"BootMode": 3}, ("PropertyValueTypeError", ["3", "BootMode"], ["#/BootMode"])),
    ({"iSCSIBoot": {"PrimaryVLANId": 4095}},
     ("PropertyValueOutOfRange", ["4095", "iSCSIBoot.PrimaryVLANId"], ["#/iSCSIBoot/PrimaryVLANId"])),
    ({"iSCSIBoot": {"SecondaryVLANId": -1}},
     ("PropertyValueOutOfRange", ["-1", "iSCSIBoot.SecondaryVLANId"], ["#/iSCSIBoot/SecondaryVLANId"])),
    ({"BootMode": "Floppy"}, ("PropertyValueNotInList", ["Floppy", "BootMode"], ["#/BootMode"])),
    ({"BootMode": "iscsi"}, ("PropertyValueNotInList", ["iscsi", "BootMode"], ["#/BootMode"])),
    ({"iSCSIBoot": {"AuthenticationMethod": "Kerberos"}},
     ("PropertyValueNotInList", ["Kerberos", "iSCSIBoot.AuthenticationMethod"], ["#/iSCSIBoot/AuthenticationMethod"])),
    ({"Id": "2"}, ("PropertyNotWritable", ["Id"], ["#/Id"])),
    ({"NetDevFuncCapabilities": ["iSCSI"]}, ("PropertyNotWritable", ["NetDevFuncCapabilities"], ["#/NetDevFuncCapabilities"])),
    ({"Status": {"State": "Disabled"}}, ("PropertyNotWritable", ["Status.State"], ["#/Status/State"])),
    ({"Status": {"Health": "OK"}}, ("PropertyNotWritable", ["Status.Health"], ["#/Status/Health"])),
    ({"NetDevFuncType": "iSCSI"}, ("PropertyNotWritable", ["NetDevFuncType"], ["#/NetDevFuncType"])),
    ({"Ethernet": {"MTUSize": 9000}}, ("PropertyNotWritable", ["Ethernet.MTUSize"], ["#/Ethernet/MTUSize"])),
    ({"Frobnicate": 1}, ("PropertyUnknown", ["Frobnicate"], ["#/Frobnicate"])),
    ({"iSCSIBoot": {"PrimaryTarget": "x"}}, ("PropertyUnknown", ["iSCSIBoot.PrimaryTarget"], ["#/iSCSIBoot/PrimaryTarget"])),
    ({"bootmode": "iSCSI"}, ("PropertyUnknown", ["bootmode"], ["#/bootmode"])),  # names are case-sensitive
])
def test_one_problem(body, expected):
    assert problems(NDF, body, NDF_WRITABLE) == [expected]


def test_every_problem_is_listed_in_body_order():
    body = {"Frobnicate": 1, "BootMode": "Floppy",
            "iSCSIBoot": {"PrimaryLUN": "one", "PrimaryVLANId": 5000, "PrimaryTargetName": "iqn.ok", "Nope": 0}}
    found = [(m, args[-1] if m != "PropertyUnknown" else args[0]) for m, args, _ in problems(NDF, body, NDF_WRITABLE)]
    assert found == [("PropertyUnknown", "Frobnicate"), ("PropertyValueNotInList", "BootMode"),
                     ("PropertyValueTypeError", "iSCSIBoot.PrimaryLUN"),
                     ("PropertyValueOutOfRange", "iSCSIBoot.PrimaryVLANId"), ("PropertyUnknown", "iSCSIBoot.Nope")]


def test_writable_in_schema_but_not_implemented():
    assert problems(NDF, {"BootMode": "PXE"}, {"iSCSIBoot.*"}) == [("PropertyNotWritable", ["BootMode"], ["#/BootMode"])]
    assert problems(NDF, {"iSCSIBoot": {"PrimaryLUN": 1}}, {"BootMode", "iSCSIBoot.SecondaryLUN"}) == [
        ("PropertyNotWritable", ["iSCSIBoot.PrimaryLUN"], ["#/iSCSIBoot/PrimaryLUN"])]
    assert problems(NDF, {"iSCSIBoot": {"PrimaryLUN": 1}}, {"iSCSIBoot.PrimaryLUN"}) == []
    assert problems(SYSTEM, {"AssetTag": "x"}, BOOT_WRITABLE) == [("PropertyNotWritable", ["AssetTag"], ["#/AssetTag"])]
    # Value checks come first: a bad value of an unimplemented property is reported as the bad value.
    assert problems(SYSTEM, {"Boot": {"BootSourceOverrideMode": "BIOS"}}, BOOT_WRITABLE)[0][0] == "PropertyValueNotInList"


def test_system_boot_properties():
    assert problems(SYSTEM, {"Boot": {"BootOrder": [1]}}, BOOT_WRITABLE) == [
        ("PropertyValueTypeError", ["[1]", "Boot.BootOrder"], ["#/Boot/BootOrder"])]
    assert problems(SYSTEM, {"Boot": {"BootOrder": "Boot0000"}}, BOOT_WRITABLE) == [
        ("PropertyValueTypeError", ["Boot0000", "Boot.BootOrder"], ["#/Boot/BootOrder"])]
    assert problems(SYSTEM, {"Boot": {"BootSourceOverrideEnabled": "Always"}}, BOOT_WRITABLE) == [
        ("PropertyValueNotInList", ["Always", "Boot.BootSourceOverrideEnabled"], ["#/Boot/BootSourceOverrideEnabled"])]
    assert problems(SYSTEM, {"PowerState": "Off"}, BOOT_WRITABLE) == [
        ("PropertyNotWritable", ["PowerState"], ["#/PowerState"])]
    assert problems(SYSTEM, {"BootProgress": {"LastState": "OSRunning"}}, BOOT_WRITABLE) == [
        ("PropertyNotWritable", ["BootProgress.LastState"], ["#/BootProgress/LastState"])]
    assert problems(SYSTEM, {"Boot": {"BootOptions": {"@odata.id": "/x"}}}, BOOT_WRITABLE) == [
        ("PropertyNotWritable", ["Boot.BootOptions"], ["#/Boot/BootOptions"])]


def test_session_timeout_range():
    assert problems(SESSIONS, {"SessionTimeout": 29}, {"SessionTimeout"}) == [
        ("PropertyValueOutOfRange", ["29", "SessionTimeout"], ["#/SessionTimeout"])]
    assert problems(SESSIONS, {"SessionTimeout": 86401}, {"SessionTimeout"})[0][0] == "PropertyValueOutOfRange"
    assert problems(SESSIONS, {"SessionTimeout": "60"}, {"SessionTimeout"})[0][0] == "PropertyValueTypeError"


@pytest.mark.parametrize("schema, body, writable", [
    (ACCOUNT, {"Password": 123456789012}, ACCOUNT_WRITABLE),
    (ACCOUNT, {"Password": ["hunter2-secret"]}, ACCOUNT_WRITABLE),
    (ACCOUNT, {"Password": {"a": "hunter2-secret"}}, ACCOUNT_WRITABLE),
    (NDF, {"iSCSIBoot": {"CHAPSecret": ["hunter2-secret"]}}, NDF_WRITABLE),
    (NDF, {"iSCSIBoot": {"MutualCHAPSecret": 123456789012}}, NDF_WRITABLE),
    (NDF, {"iSCSIBoot": {"CHAPSecret": "hunter2-secret"}}, {"BootMode"}),
])
def test_secrets_are_never_echoed(schema, body, writable):
    found = check_patch(*schema, body, writable)
    assert found, "the body has a problem"
    text = json.dumps(found)
    assert "hunter2-secret" not in text and "123456789012" not in text


def test_enum_array_items_are_checked():
    found = problems(ACCOUNT, {"AccountTypes": ["Redfish", "Telnet9"]}, ACCOUNT_WRITABLE | {"AccountTypes"})
    assert [f[0] for f in found] == ["PropertyValueNotInList"]
    assert problems(ACCOUNT, {"AccountTypes": ["Redfish", "SNMP"]}, ACCOUNT_WRITABLE | {"AccountTypes"}) == []
    assert problems(ACCOUNT, {"AccountTypes": [3]}, ACCOUNT_WRITABLE | {"AccountTypes"})[0][0] == "PropertyValueTypeError"


def test_unversioned_references_use_the_shipped_version():
    # Ethernet.VLAN refers to VLanNetworkInterface.json, which lists v1_0_10 ... v1_3_1; only the
    # newest is shipped, and its VLANId limits (0-4094) live on a referenced definition.
    writable = {"Ethernet.*"}
    assert problems(NDF, {"Ethernet": {"VLAN": {"VLANId": 100, "VLANEnable": True}}}, writable) == []
    assert problems(NDF, {"Ethernet": {"VLAN": {"VLANId": 5000}}}, writable) == [
        ("PropertyValueOutOfRange", ["5000", "Ethernet.VLAN.VLANId"], ["#/Ethernet/VLAN/VLANId"])]
    assert problems(NDF, {"Ethernet": {"VLAN": {"VLANId": "100"}}}, writable)[0][0] == "PropertyValueTypeError"
    assert problems(NDF, {"Ethernet": {"VLAN": {"Colour": "red"}}}, writable)[0][0] == "PropertyUnknown"


def test_messages_fill_every_argument():
    registry = _messages()
    body = {"Frobnicate": 1, "Id": "x", "BootMode": "Floppy", "Status": {"State": "x"},
            "iSCSIBoot": {"PrimaryLUN": "one", "PrimaryVLANId": 5000}}
    for entry in check_patch(*NDF, body, NDF_WRITABLE):
        spec = registry[entry["MessageId"].removeprefix(f"{REGISTRY}.")]
        assert len(entry["MessageArgs"]) == spec.get("NumberOfArgs", 0)
        assert "%" not in entry["Message"]
        assert entry["RelatedProperties"][0].startswith("#/")


SAMPLES = [None, 0, -1, 1.5, "x", True, [], {}, ["x"], [1], [None], [{}], {"Nope": 1}]


def _walk(schema, file_name, properties, prefix, depth):
    for name, prop in properties.items():
        yield prefix + [name]
        if depth < 3:
            for node, where in _options(prop, file_name):
                if "properties" in node:
                    yield from _walk(schema, where, node["properties"], prefix + [name], depth + 1)


@pytest.mark.parametrize("schema", [NDF, SYSTEM, ACCOUNT, SESSIONS, OPTION])
def test_never_raises_on_any_property_and_value(schema):
    """Whatever a client sends to any property, three levels deep, check_patch answers messages:
    a schema reference it cannot follow would be a 500 on the wire."""
    definition = _load(schema[0])["definitions"][schema[1]]
    paths = list(_walk(schema, schema[0], definition["properties"], [], 0))
    assert len(paths) > 15
    for path in paths:
        for value in SAMPLES:
            body = value
            for key in reversed(path):
                body = {key: body}
            found = check_patch(*schema, body, {".".join(path)})
            assert isinstance(found, list)
