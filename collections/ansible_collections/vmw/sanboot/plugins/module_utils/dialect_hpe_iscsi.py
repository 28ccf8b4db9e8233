# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HPE `bios` channel: the System ROM's UEFI iSCSI software initiator (HpeiSCSISoftwareInitiator),
found through Bios Oem.Hpe.Links.iScsi, read into the DMTF-shaped iSCSIBoot model through a field
map and written through its settings object (read from @Redfish.Settings).

- `iSCSIInitiatorName` is global; `iSCSISources` is a fixed array of attempt slots (4), written
  positionally: `{}` leaves a slot alone, this port's attempt (named by its NIC source,
  `Slot<X>NicBoot<Y>`) is written whole with a unique `iSCSIAttemptInstance`; `absent` writes
  the blank attempt back into its slot.
- Prerequisites in the same pass: BIOS `iSCSISoftwareInitiator: Enabled` (older Gen10:
  `iSCSIPolicy: SoftwareInitiator`) and the source's `Slot<X>NicBoot<Y>: NetworkBoot` (PATCH of the
  BIOS settings object); a BIOS with neither switch, or in legacy `BootMode`, is refused.
- No jobs, no apply time: everything applies at the next reset, where bad values are refused
  (reported in @Redfish.Settings.Messages, read by dialect_hpe_watch); what HPE's schema refuses
  is checked here before any write. Secrets read back "" and are shown as unset."""

from __future__ import annotations

import copy
import re

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.bios_text import lun_from_text, lun_to_text, unset
from ansible_collections.vmw.sanboot.plugins.module_utils.iscsi import SECRETS as SECRET_KEYS
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import IscsiState

# DMTF iSCSIBoot key -> (HPE attempt property, module option that gives it)
FIELDS = {
    "IPMaskDNSViaDHCP": ("iSCSIInitiatorInfoViaDHCP", "initiator.dhcp"),
    "InitiatorIPAddress": ("iSCSIInitiatorIpAddress", "initiator.address"),
    "InitiatorNetmask": ("iSCSIInitiatorNetmask", "initiator.netmask"),
    "InitiatorDefaultGateway": ("iSCSIInitiatorGateway", "initiator.gateway"),
    "TargetInfoViaDHCP": ("iSCSITargetInfoViaDHCP", "target"),
    "IPAddressType": ("iSCSIIpAddressType", "initiator.address"),
    "PrimaryTargetName": ("iSCSITargetName", "target.name"),
    "PrimaryTargetIPAddress": ("iSCSITargetIpAddress", "target.address"),
    "PrimaryTargetTCPPort": ("iSCSITargetTcpPort", "target.port"),
    "PrimaryLUN": ("iSCSILUN", "target.lun"),
    "CHAPUsername": ("iSCSIChapUsername", "chap.username"),
    "CHAPSecret": ("iSCSIChapSecret", "chap.secret"),
    "MutualCHAPUsername": ("iSCSIReverseChapUsername", "chap.mutual_username"),
    "MutualCHAPSecret": ("iSCSIReverseChapSecret", "chap.mutual_secret"),
}
SECRET_PROPS = ("iSCSIChapSecret", "iSCSIReverseChapSecret")
# What switching CHAP off clears, so no stale credential stays behind in the attempt.
CHAP_OFF = {"iSCSIChapUsername": "", "iSCSIReverseChapUsername": "", "iSCSIChapSecret": "", "iSCSIReverseChapSecret": ""}
# HPE's attempts have no VLAN, DNS or secondary target (no such properties).
UNSUPPORTED = {"PrimaryVLANEnable": "target.vlan_id", "PrimaryDNS": "initiator.primary_dns",
               "SecondaryDNS": "initiator.secondary_dns", "SecondaryTargetName": "secondary_target"}
# The schema iLO 5 2.72 serves (HpeiSCSISoftwareInitiator.v2_0_0; vendors.md 8.3a).
TARGET_PATTERN = re.compile(r"^iqn\.[0-9]{4}-[0-9]{2}\.[^:]+(:.*)?$")
LUN_PATTERN = re.compile(r"^$|^([0-9A-Fa-f]{4}-){0,3}[0-9A-Fa-f]{1,4}$")
NAME_MAX, USERNAME_MAX, SECRET_LENGTHS = 223, 126, (12, 16)
# iSCSILUN is SAM-2 text; only peripheral addressing (LUN 0-255) reads the same in every form.
LUN_MAX = 255
# A slot nobody uses, as the capture shows it (also what `absent` writes back).
BLANK_ATTEMPT = {
    "iSCSIAttemptInstance": 0, "iSCSIAttemptName": "", "iSCSIAuthenticationMethod": "None", "iSCSIChapSecret": "",
    "iSCSIChapType": "OneWay", "iSCSIChapUsername": "", "iSCSIConnectRetry": 3, "iSCSIConnectTimeoutMS": 20000,
    "iSCSIConnection": "Disabled", "iSCSIInitiatorGateway": "0.0.0.0", "iSCSIInitiatorInfoViaDHCP": True,
    "iSCSIInitiatorIpAddress": "0.0.0.0", "iSCSIInitiatorNetmask": "0.0.0.0", "iSCSIIpAddressType": "IPv4",
    "iSCSILUN": "0", "iSCSINicSource": None, "iSCSIReverseChapSecret": "", "iSCSIReverseChapUsername": "",
    "iSCSITargetInfoViaDHCP": True, "iSCSITargetIpAddress": "0.0.0.0", "iSCSITargetName": "", "iSCSITargetTcpPort": 3260,
}
CONNECTED = ("enabled", "enabledmpio")
# The BIOS switch of the software initiator and its "on" value: iLO 5 2.72 and later, else older Gen10.
SWITCHES = (("iSCSISoftwareInitiator", "Enabled"), ("iSCSIPolicy", "SoftwareInitiator"))


def is_used(slot):
    return (slot.get("iSCSIAttemptInstance") or 0) > 0


def attempts_of(slots, source):
    """The indexes of the used slots whose NIC source is `source`."""
    return [i for i, slot in enumerate(slots or []) if is_used(slot) and slot.get("iSCSINicSource") == source]


def attempt_of(slots, source):
    """The index of the first used slot whose NIC source is `source`, or None."""
    return next(iter(attempts_of(slots, source)), None)


def initiator_switch(bios):
    """(attribute, value) that turns the software initiator on in this BIOS, or None."""
    return next(((k, v) for k, v in SWITCHES if k in (bios or {})), None)


def is_on(slot):
    return str((slot or {}).get("iSCSIConnection") or "").lower() in CONNECTED


def boots(bios, slot, source):
    """The port boots iSCSI: initiator enabled, its NIC set to NetworkBoot, its attempt connected."""
    switch = initiator_switch(bios)
    return switch is not None and bios.get(switch[0]) == switch[1] and bios.get(source) == "NetworkBoot" and is_on(slot)


def to_model(name, slot, on):
    """One attempt (or none) -> {"BootMode", "iSCSIBoot"}."""
    slot = slot or BLANK_ATTEMPT
    boot = {"InitiatorName": unset(name), "PrimaryVLANEnable": False}
    for key, (prop, _option) in FIELDS.items():
        value = unset(slot.get(prop))
        boot[key] = lun_from_text(value) if key == "PrimaryLUN" and value is not None else value
    boot["AuthenticationMethod"] = "None"
    if str(slot.get("iSCSIAuthenticationMethod") or "").lower() == "chap":
        boot["AuthenticationMethod"] = "MutualCHAP" if str(slot.get("iSCSIChapType") or "").lower() == "mutual" else "CHAP"
    return {"BootMode": "iSCSI" if on else "Disabled", "iSCSIBoot": boot}


def to_attempt(boot):
    """DMTF iSCSIBoot values -> HPE attempt properties (secrets only where given)."""
    attempt = {}
    for key, value in boot.items():
        if key == "AuthenticationMethod":
            attempt["iSCSIAuthenticationMethod"] = "None" if value in (None, "None") else "CHAP"
            attempt["iSCSIChapType"] = "Mutual" if value == "MutualCHAP" else "OneWay"
        elif key in FIELDS and (key not in SECRET_KEYS or value is not None):
            prop = FIELDS[key][0]
            if key == "PrimaryLUN":
                value = lun_to_text(value or 0)
            elif value is None:
                value = BLANK_ATTEMPT[prop]
            attempt[prop] = value
    return attempt


def check_bios(bios):
    """The software initiator needs its BIOS switch and UEFI (checked before any write)."""
    if initiator_switch(bios) is None:
        raise SanbootError("the BIOS has no software initiator switch (%s): this server cannot boot from iSCSI "
                           "through it" % " or ".join(k for k, _v in SWITCHES), field="iscsi_method")
    if bios.get("BootMode", "Uefi") != "Uefi":
        raise SanbootError("the BIOS BootMode is %s: HPE's iSCSI software initiator works in UEFI mode only; set "
                           "BootMode Uefi first" % bios["BootMode"], field="iscsi_method")


def check_initiator_name(desired, name, slots, source):
    """iSCSIInitiatorName is shared by every attempt: changing it for this port changes it for theirs."""
    wanted = desired.get("InitiatorName")
    others = [s for s in slots if is_used(s) and s.get("iSCSINicSource") != source]
    if wanted is None or not others or wanted.lower() == str(name or "").lower():
        return
    raise ValidationError("initiator.name", "%s differs from the initiator name %s that HPE's software initiator "
                                            "shares with attempt(s) %s; use that name, or remove those attempts first"
                          % (wanted, name, ", ".join("%s (%s)" % (s.get("iSCSIAttemptInstance"), s.get("iSCSINicSource"))
                                                     for s in others)))


def check_values(desired):
    """What HPE's schema (or its attempts' shape) refuses, named by module option, before any write."""
    for key, field in UNSUPPORTED.items():
        if desired.get(key):
            raise ValidationError(field, "not supported by HPE's iSCSI software initiator (its attempts have no VLAN, "
                                         "DNS or secondary target)")
    target = desired.get("PrimaryTargetName") or ""
    if len(target) > NAME_MAX or not TARGET_PATTERN.match(target):
        raise ValidationError("target.name", "%r does not match HPE's iSCSITargetName pattern %s (an iqn. name only, "
                                             "at most %d characters)" % (target, TARGET_PATTERN.pattern, NAME_MAX))
    if desired.get("PrimaryLUN") is not None and int(desired["PrimaryLUN"]) > LUN_MAX:
        raise ValidationError("target.lun", "%s: HPE's software initiator takes LUNs 0-%d only (its iSCSILUN text is "
                                            "ambiguous above)" % (desired["PrimaryLUN"], LUN_MAX))
    if desired.get("PrimaryLUN") is not None and not LUN_PATTERN.match(lun_to_text(desired["PrimaryLUN"])):
        raise ValidationError("target.lun", "%s does not fit HPE's iSCSILUN pattern" % desired["PrimaryLUN"])
    for key in ("CHAPUsername", "MutualCHAPUsername"):
        if len(desired.get(key) or "") > USERNAME_MAX:
            raise ValidationError(FIELDS[key][1], "HPE allows at most %d characters" % USERNAME_MAX)
    for key in SECRET_KEYS:
        value = desired.get(key)
        if value is not None and not SECRET_LENGTHS[0] <= len(value) <= SECRET_LENGTHS[1]:
            raise ValidationError(FIELDS[key][1], "HPE requires %d to %d characters" % SECRET_LENGTHS)


class HpeIscsiChannel:
    method = "bios"
    job_type = None

    def __init__(self, port, source, iscsi_uri, iscsi, bios_uri, bios, state="present", staged=None):
        self.port, self.source, self.state = port, source, state
        self.iscsi_uri, self._iscsi, self._staged = iscsi_uri, iscsi, staged
        self.bios_uri, self._bios = bios_uri, bios
        self.settings_uri = resources.link(iscsi.get("@Redfish.Settings") or {}, "SettingsObject")
        self.bios_settings_uri = resources.link(bios.get("@Redfish.Settings") or {}, "SettingsObject")
        if not self.settings_uri or not self.bios_settings_uri:
            raise SanbootError("the HPE iSCSI or BIOS resource advertises no settings object (@Redfish.Settings)")
        self._desired = None
        self._future = None     # (initiator name, slots, BIOS attributes) as they will be: what a write builds on

    @property
    def target_uri(self):
        return self.settings_uri

    def check(self, client, desired):
        self._desired = desired
        if desired:
            check_values(desired)

    def read(self, client):
        iscsi = self._iscsi if self._iscsi is not None else client.get(self.iscsi_uri).body
        bios = self._bios if self._bios is not None else client.get(self.bios_uri).body
        staged = self._staged if self._staged is not None else resources.get_optional(client, self.settings_uri) or {}
        self._iscsi = self._bios = self._staged = None     # a second read (after a 412) reads again
        bios_staged = (resources.get_optional(client, self.bios_settings_uri) or {}).get("Attributes") or {}
        attributes = bios.get("Attributes") or {}
        slots = list(iscsi.get("iSCSISources") or [])
        # The real iLO 5's settings object lists all iSCSISources even with nothing pending (equal to the
        # current ones); others list them only while a change is pending: its list, else the current one.
        future_slots = list(staged.get("iSCSISources") or slots)
        future_name = staged.get("iSCSIInitiatorName") or iscsi.get("iSCSIInitiatorName")
        future_bios = dict(attributes, **bios_staged)
        self._future = (future_name, future_slots, future_bios)
        if self._desired and attempt_of(future_slots, self.source) is None and self._free_slot(future_slots) is None:
            raise SanbootError("all %d iSCSI attempt slots are used (by %s): remove one before adding %s"
                               % (len(future_slots), ", ".join(str(s.get("iSCSINicSource")) for s in future_slots),
                                  self.source), field="port")
        if self._desired:
            check_bios(future_bios)
            check_initiator_name(self._desired, future_name, future_slots, self.source)
        current = self._model(iscsi.get("iSCSIInitiatorName"), slots, attributes)
        # absent removes every attempt of this source, also one that does not boot (BootMode Disabled).
        leftover = self.state == "absent" and bool(attempts_of(future_slots, self.source))
        return IscsiState(current, self._model(future_name, future_slots, future_bios), None, leftover=leftover)

    def _model(self, name, slots, attributes):
        index = attempt_of(slots, self.source)
        slot = slots[index] if index is not None else None
        return to_model(name, slot, slot is not None and boots(attributes, slot, self.source))

    @staticmethod
    def _free_slot(slots):
        return next((i for i, s in enumerate(slots) if not is_used(s)), None)

    def choose_apply_time(self, requested):
        if requested not in (None, "auto", "OnReset"):
            raise ValidationError("apply_time", "HPE applies BIOS iSCSI settings only at the next reset (OnReset)")
        return "OnReset"

    def payloads(self, payload):
        """(iSCSI settings body or None, BIOS attributes or None) for a plan's payload."""
        name, slots, bios = self._future
        body, attributes = {}, {}
        boot = payload.get("iSCSIBoot") or {}
        index = attempt_of(slots, self.source)
        if payload.get("BootMode") == "Disabled":
            blanked = {i: BLANK_ATTEMPT for i in attempts_of(slots, self.source)}
            if blanked:
                body["iSCSISources"] = self._positional(slots, blanked)
            return body or None, None
        if "InitiatorName" in boot:
            body["iSCSIInitiatorName"] = boot["InitiatorName"]
        slot = slots[index] if index is not None else {}
        merged = dict(to_model(name, slot or None, False)["iSCSIBoot"])
        merged.update({k: v for k, v in boot.items() if k != "InitiatorName"})
        for key in SECRET_KEYS:
            merged[key] = boot.get(key)    # a secret is sent only when the plan sends it
        used = [s.get("iSCSIAttemptInstance") for i, s in enumerate(slots) if i != index]
        instance = slot.get("iSCSIAttemptInstance") or next(n for n in range(1, len(slots) + 1) if n not in used)
        # A new attempt is written whole (HPE: "fill an entry whose instance is 0 with all fields").
        base = {k: v for k, v in BLANK_ATTEMPT.items() if k not in SECRET_PROPS} if index is None else {}
        attempt = dict(base, **to_attempt(merged))
        if index is None:
            index = self._free_slot(slots)
        attempt.update(iSCSIAttemptInstance=instance, iSCSIAttemptName=self.source, iSCSINicSource=self.source,
                       iSCSIConnection=slot["iSCSIConnection"] if is_on(slot) else "Enabled")
        if attempt["iSCSIAuthenticationMethod"] == "None" and str(slot.get("iSCSIAuthenticationMethod") or "None").lower() != "none":
            attempt.update(CHAP_OFF)
        if any(slot.get(k) != v for k, v in attempt.items()) or any(boot.get(k) is not None for k in SECRET_KEYS):
            body["iSCSISources"] = self._positional(slots, {index: attempt})
        switch = initiator_switch(bios)
        if switch and bios.get(switch[0]) != switch[1]:
            attributes[switch[0]] = switch[1]
        if bios.get(self.source) != "NetworkBoot":
            attributes[self.source] = "NetworkBoot"
        return body or None, attributes or None

    @staticmethod
    def _positional(slots, attempts):
        """The whole array, `{}` (left alone) but for the slots in `attempts` ({index: attempt})."""
        return [copy.deepcopy(attempts[i]) if i in attempts else {} for i in range(len(slots))]

    def write(self, client, payload, apply_time, state):
        """PATCH the BIOS prerequisites, then the iSCSI settings; no If-Match (HPE's examples send
        none). Both answer 200 with the SystemResetRequired envelope: a success. The prerequisites first: a
        run killed between the two leaves the attempt unwritten, and the next run writes only the attempt
        (the other way round the port's BootMode still reads Disabled, and the next run writes the pending
        attempt again with its secret)."""
        body, attributes = self.payloads(payload)
        reply = None
        if attributes:
            reply = client.patch(self.bios_settings_uri, {"Attributes": attributes})
        if body:
            reply = client.patch(self.settings_uri, body)
        return reply
