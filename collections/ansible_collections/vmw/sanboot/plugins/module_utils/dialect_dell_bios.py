# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Dell `bios` channel: the UEFI software initiator of the BIOS (IscsiInitiatorName,
IscsiDev1*, IscsiDev1Con1* with IscsiDev1Con1Interface = the port's FQDD), read into the
DMTF-shaped iSCSIBoot model through a field map, written through /Bios/Settings with an apply
time (a BIOSConfiguration job), and checked against the live BIOS attribute registry first:
its patterns and lengths change with the BIOS version.

Secret policy: the BIOS reads CHAP secrets back as "" whatever they hold; they are shown as
unset and never compared (iscsi.SECRETS)."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.bios_text import lun_from_text, lun_to_text, unset
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import IscsiState

C = "IscsiDev1Con1"
ENABLE = {True: "Enabled", False: "Disabled"}
# DMTF iSCSIBoot key -> (BIOS attribute, module option that gives it)
FIELDS = {
    "InitiatorName": ("IscsiInitiatorName", "initiator.name"),
    "IPMaskDNSViaDHCP": (C + "DhcpEnDis", "initiator.dhcp"),
    "InitiatorIPAddress": (C + "Ip", "initiator.address"),
    "InitiatorNetmask": (C + "Mask", "initiator.netmask"),
    "InitiatorDefaultGateway": (C + "Gateway", "initiator.gateway"),
    "TargetInfoViaDHCP": (C + "TgtDhcpEnDis", "target"),
    "IPAddressType": (C + "Protocol", "initiator.address"),
    "PrimaryTargetName": (C + "TargetName", "target.name"),
    "PrimaryTargetIPAddress": (C + "TargetIp", "target.address"),
    "PrimaryTargetTCPPort": (C + "Port", "target.port"),
    "PrimaryLUN": (C + "Lun", "target.lun"),
    "PrimaryVLANEnable": (C + "VlanEnDis", "target.vlan_id"),
    "PrimaryVLANId": (C + "VlanId", "target.vlan_id"),
    "CHAPUsername": (C + "ChapName", "chap.username"),
    "CHAPSecret": (C + "ChapSecret", "chap.secret"),
    "MutualCHAPUsername": (C + "RevChapName", "chap.mutual_username"),
    "MutualCHAPSecret": (C + "RevChapSecret", "chap.mutual_secret"),
}
OPTION_OF = dict((attribute, option) for attribute, option in FIELDS.values())
OPTION_OF.update({C + "Auth": "chap", C + "ChapType": "chap.mutual_username", C + "Interface": "port",
                  "IscsiDev1EnDis": "iscsi_method", C + "EnDis": "iscsi_method"})
SECRET_ATTRIBUTES = (C + "ChapSecret", C + "RevChapSecret")
UNSUPPORTED = {"PrimaryDNS": "initiator.primary_dns", "SecondaryDNS": "initiator.secondary_dns",
               "SecondaryTargetName": "secondary_target", "SecondaryTargetIPAddress": "secondary_target"}
_BOOLEAN = ("IPMaskDNSViaDHCP", "TargetInfoViaDHCP", "PrimaryVLANEnable")


def has_initiator(attributes):
    return C + "Interface" in (attributes or {}) and "IscsiDev1EnDis" in (attributes or {})


def bios_serves(attributes, fqdd):
    """The BIOS initiator is enabled and its first connection uses this port."""
    a = attributes or {}
    return a.get("IscsiDev1EnDis") == "Enabled" and a.get(C + "Interface") == fqdd


def to_model(attributes, fqdd):
    """BIOS attributes -> {"BootMode", "iSCSIBoot"} for this port."""
    a = attributes or {}
    on = a.get("IscsiDev1EnDis") == "Enabled" and a.get(C + "EnDis") == "Enabled" and a.get(C + "Interface") == fqdd
    boot = {}
    for key, (attribute, _option) in FIELDS.items():
        value = a.get(attribute)
        if key in _BOOLEAN:
            value = value == "Enabled"
        elif key == "PrimaryLUN":
            value = lun_from_text(value) if unset(value) is not None else None
        boot[key] = unset(value)
    boot["AuthenticationMethod"] = "None"
    if a.get(C + "Auth") == "Chap":
        boot["AuthenticationMethod"] = "MutualCHAP" if a.get(C + "ChapType") == "Mutual" else "CHAP"
    return {"BootMode": "iSCSI" if on else "Disabled", "iSCSIBoot": boot}


def to_attributes(payload, fqdd):
    """{"BootMode", "iSCSIBoot"} (the keys to change) -> BIOS attributes."""
    attributes = {}
    mode = payload.get("BootMode")
    if mode == "iSCSI":
        attributes.update({"IscsiDev1EnDis": "Enabled", C + "EnDis": "Enabled", C + "Interface": fqdd})
    elif mode is not None:
        attributes.update({C + "EnDis": "Disabled", "IscsiDev1EnDis": "Disabled"})
    for key, value in (payload.get("iSCSIBoot") or {}).items():
        if key == "AuthenticationMethod":
            attributes[C + "Auth"] = "None" if value == "None" else "Chap"
            if value != "None":
                attributes[C + "ChapType"] = "Mutual" if value == "MutualCHAP" else "OneWay"
        elif key in FIELDS:
            attribute = FIELDS[key][0]
            if key in _BOOLEAN:
                value = ENABLE[bool(value)]
            elif key == "PrimaryLUN":
                value = lun_to_text(value)
            attributes[attribute] = value
    return attributes


class Registry:
    """The live BIOS attribute registry: one entry per attribute."""

    def __init__(self, body):
        entries = ((body or {}).get("RegistryEntries") or {}).get("Attributes") or []
        self.entries = dict((e.get("AttributeName"), e) for e in entries if isinstance(e, dict))

    def check(self, attribute, value):
        """Raise ValidationError naming the module option when the registry refuses `value`."""
        entry = self.entries.get(attribute)
        if entry is None:
            return
        field = OPTION_OF.get(attribute, attribute)
        secret = attribute in SECRET_ATTRIBUTES
        shown = "the value" if secret else repr(value)
        where = "(BIOS attribute %s, per this server's BIOS registry)" % attribute
        if entry.get("ReadOnly") or entry.get("Immutable"):
            raise ValidationError(field, "%s is read-only on this server %s" % (attribute, where))
        kind = entry.get("Type")
        if kind == "Integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(field, "%s is not an integer %s" % (shown, where))
            low, high = entry.get("LowerBound"), entry.get("UpperBound")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValidationError(field, "%s is outside %s-%s %s" % (shown, low, high, where))
        elif kind == "Enumeration":
            allowed = [v.get("ValueName") for v in entry.get("Value") or []]
            if allowed and value not in allowed:
                raise ValidationError(field, "%s is not one of %s %s" % (shown, ", ".join(map(str, allowed)), where))
        elif kind in ("String", "Password"):
            if not isinstance(value, str):
                raise ValidationError(field, "%s is not a string %s" % (shown, where))
            low, high = entry.get("MinLength"), entry.get("MaxLength")
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                raise ValidationError(field, "must be %s to %s characters, got %d %s" % (low or 0, high, len(value), where))
            pattern = entry.get("ValueExpression")
            if pattern and not re.search(pattern, value):
                raise ValidationError(field, "%s does not match the pattern %s %s" % (shown, pattern, where))


class BiosChannel:
    method = "bios"
    job_type = "BIOSConfiguration"

    def __init__(self, dialect, port, bios_uri, bios):
        self.dialect, self.port, self.bios_uri, self._bios = dialect, port, bios_uri, bios
        self.fqdd = port.function_id
        settings = bios.get("@Redfish.Settings") or {}
        self.target_uri = resources.link(settings, "SettingsObject") or bios_uri.rstrip("/") + "/Settings"
        self.supported = list(settings.get("SupportedApplyTimes") or [])

    def check(self, client, desired):
        """Every value this run may write, checked against the live registry before any write."""
        for key, field in UNSUPPORTED.items():
            if desired.get(key):
                raise ValidationError(field, "not supported by the BIOS iSCSI initiator (iscsi_method bios)")
        registry = Registry(resources.get_optional(client, self.bios_uri.rstrip("/") + "/BiosRegistry"))
        wanted = to_attributes({"BootMode": "iSCSI", "iSCSIBoot": desired} if desired else {"BootMode": "Disabled"}, self.fqdd)
        for attribute, value in wanted.items():
            registry.check(attribute, value)

    def read(self, client):
        if self._bios is None:
            self._bios = client.get(self.bios_uri).body
        attributes = dict(self._bios.get("Attributes") or {})
        self._bios = None  # a re-read (after a 412) reads again
        pending = (resources.get_optional(client, self.target_uri) or {}).get("Attributes") or {}
        current = to_model(attributes, self.fqdd)
        future = to_model(dict(attributes, **pending), self.fqdd) if pending else None
        return IscsiState(current, future, None)

    def choose_apply_time(self, requested):
        if requested not in (None, "auto"):
            if self.supported and requested not in self.supported:
                raise ValidationError("apply_time", "%s is not supported by this BIOS (supported: %s)"
                                      % (requested, ", ".join(self.supported)))
            return requested
        return "OnReset" if not self.supported or "OnReset" in self.supported else self.supported[0]

    def write(self, client, payload, apply_time, state):
        body = {"Attributes": to_attributes(payload, self.fqdd), "@Redfish.SettingsApplyTime": {"ApplyTime": apply_time}}
        return client.patch(self.target_uri, body)
