"""The part of Dell's BIOS attribute registry the iSCSI software initiator uses, as iDRAC serves it
(types, lengths, bounds, patterns, enumerations), and the check a PATCH must pass against it.
The IQN pattern changed with the BIOS: 1.8.2 (iDRAC9 6.00.30) allows neither `.` nor `:` after the
first colon; 1.13.2 (iDRAC9 7.10.30) does (captures CAP-D600b, CAP-D710)."""
import re

from ..errors import message
from .dell_names import description, firmware_major

IQN_1_8 = r"^(iqn|IQN)\.[0-9a-zA-Z\.\-]+[0-9a-zA-Z\-](\:[0-9a-zA-Z\-]*)?$|^$"
IQN_1_13 = r"^(iqn|IQN)\.[0-9a-zA-Z\.\-]+[0-9a-zA-Z\-](\:[0-9a-zA-Z\-\.\:]*)?$|^$"
IPV4 = r"^((?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$|^$"
LUN = r"^([0-9a-fA-f]{1,4}\-){0,3}[0-9a-fA-F]{1,4}$"
EN_DIS = ("Enabled", "Disabled")
MENU = "./NetworkSettingsRef/IscsiDev1SettingsRef"


def bios_version(cfg):
    if cfg.personality == "idrac9" and firmware_major(cfg) < 7:
        return "1.8.2"
    return "1.13.2" if cfg.personality == "idrac9" else "1.2.1"


def _string(max_length, pattern=None, min_length=0):
    return {"Type": "String", "MinLength": min_length, "MaxLength": max_length, "ValueExpression": pattern}


def _integer(low, high):
    return {"Type": "Integer", "LowerBound": low, "UpperBound": high, "ScalarIncrement": 0}


def _enum(*values):
    return {"Type": "Enumeration", "Value": [{"ValueName": v, "ValueDisplayName": v} for v in values]}


def _connection(n, iqn, interfaces):
    prefix = f"IscsiDev1Con{n}"
    return {
        f"{prefix}EnDis": _enum(*EN_DIS), f"{prefix}Interface": {**_enum(), "Value": interfaces},
        f"{prefix}Protocol": _enum("IPv4", "IPv6"), f"{prefix}VlanEnDis": _enum(*EN_DIS),
        f"{prefix}VlanId": _integer(1, 4094), f"{prefix}VlanPriority": _integer(0, 7),
        f"{prefix}Retry": _integer(0, 5), f"{prefix}Timeout": _integer(1000, 30000),
        f"{prefix}DhcpEnDis": _enum(*EN_DIS), f"{prefix}Ip": _string(39, IPV4), f"{prefix}Mask": _string(39),
        f"{prefix}Gateway": _string(39, IPV4), f"{prefix}TgtDhcpEnDis": _enum(*EN_DIS),
        f"{prefix}TargetName": _string(223, iqn), f"{prefix}TargetIp": _string(39), f"{prefix}Port": _integer(0, 65535),
        f"{prefix}Lun": _string(21, LUN), f"{prefix}IsId": _string(12, r"^[0-9a-fA-F]{12}$|^$"),
        f"{prefix}Auth": {"Type": "Enumeration", "Value": [{"ValueName": "Chap", "ValueDisplayName": "CHAP"},
                                                          {"ValueName": "None", "ValueDisplayName": "None"}]},
        f"{prefix}ChapType": _enum("OneWay", "Mutual"), f"{prefix}ChapName": _string(127),
        f"{prefix}ChapSecret": _string(16, min_length=12), f"{prefix}RevChapName": _string(127),
        f"{prefix}RevChapSecret": _string(16, min_length=12),
    }


def attributes(cfg):
    """{AttributeName: registry entry} for this BMC's BIOS."""
    iqn = IQN_1_8 if bios_version(cfg) == "1.8.2" else IQN_1_13
    interfaces = [{"ValueName": p.id, "ValueDisplayName": description(p.id)} for n in cfg.nics for p in n.ports]
    entries = {"BootMode": _enum("Uefi", "Bios"), "IscsiInitiatorName": _string(223, iqn),
               "IscsiDev1EnDis": _enum(*EN_DIS), "IscsiDev1ConOrder": _enum("Con1Con2", "Con2Con1")}
    entries.update(_connection(1, iqn, interfaces))
    entries.update(_connection(2, iqn, interfaces))
    if cfg.personality == "idrac10":
        # iDRAC10 registries type CHAP secrets as Password (vendors.md, UNCONFIRMED); same bounds.
        for name, entry in entries.items():
            if name.endswith("ChapSecret"):
                entry["Type"] = "Password"
    return entries


def defaults(cfg):
    first = cfg.nics[0].ports[0].id if cfg.nics and cfg.nics[0].ports else ""
    values = {"BootMode": "Uefi", "IscsiInitiatorName": "", "IscsiDev1EnDis": "Disabled", "IscsiDev1ConOrder": "Con1Con2"}
    for n in (1, 2):
        p = f"IscsiDev1Con{n}"
        values.update({f"{p}EnDis": "Disabled", f"{p}Interface": first, f"{p}Protocol": "IPv4", f"{p}VlanEnDis": "Disabled",
                       f"{p}VlanId": 1, f"{p}VlanPriority": 0, f"{p}Retry": 3, f"{p}Timeout": 10000,
                       f"{p}DhcpEnDis": "Disabled", f"{p}Ip": "", f"{p}Mask": "", f"{p}Gateway": "",
                       f"{p}TgtDhcpEnDis": "Disabled", f"{p}TargetName": "", f"{p}TargetIp": "", f"{p}Port": 3260,
                       f"{p}Lun": "0", f"{p}IsId": "", f"{p}Auth": "None", f"{p}ChapType": "OneWay", f"{p}ChapName": "",
                       f"{p}ChapSecret": "", f"{p}RevChapName": "", f"{p}RevChapSecret": ""})
    return values


def is_secret(name):
    return name.endswith("Secret")


def check(cfg, values):
    """Base registry messages for every value the registry refuses; empty means it may be staged."""
    entries, problems = attributes(cfg), []
    for name, value in values.items():
        entry, where = entries.get(name), [f"#/Attributes/{name}"]
        shown = "(hidden)" if is_secret(name) else (value if isinstance(value, str) else repr(value))
        if entry is None:
            problems.append(message("PropertyUnknown", name, related=where))
        elif entry["Type"] in ("String", "Password"):
            if not isinstance(value, str):
                problems.append(message("PropertyValueTypeError", shown, name, related=where))
            elif not entry["MinLength"] <= len(value) <= entry["MaxLength"] and not (value == "" and is_secret(name)):
                problems.append(message("PropertyValueFormatError", shown, name, related=where))
            elif entry["ValueExpression"] and not re.search(entry["ValueExpression"], value):
                problems.append(message("PropertyValueFormatError", shown, name, related=where))
        elif entry["Type"] == "Integer":
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(message("PropertyValueTypeError", shown, name, related=where))
            elif not entry["LowerBound"] <= value <= entry["UpperBound"]:
                problems.append(message("PropertyValueOutOfRange", shown, name, related=where))
        elif entry["Type"] == "Enumeration":
            if not isinstance(value, str):
                problems.append(message("PropertyValueTypeError", shown, name, related=where))
            elif value not in [v["ValueName"] for v in entry["Value"]]:
                problems.append(message("PropertyValueNotInList", shown, name, related=where))
    return problems


def render_entries(cfg):
    """RegistryEntries.Attributes as the BiosRegistry resource lists them."""
    listed = []
    for order, (name, entry) in enumerate(attributes(cfg).items()):
        listed.append({"AttributeName": name, "DisplayName": name, "DisplayOrder": order, "HelpText": "",
                       "Hidden": False, "Immutable": False, "ReadOnly": False, "ResetRequired": True,
                       "WriteOnly": False, "MenuPath": MENU, "CurrentValue": None, **entry})
    return listed
