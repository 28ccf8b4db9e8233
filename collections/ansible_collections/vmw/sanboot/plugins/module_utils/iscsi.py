# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired iSCSI boot configuration of one NIC port: validated, normalised, compared with
what the BMC reports now *and* with what is already pending, and turned into a PATCH payload.

Secrets take part in no comparison: many BMCs read them back as null. `chap_secret_update`
decides when they are sent (like `update_password` in ansible.builtin.user).
"""

from __future__ import annotations

import ipaddress

from ansible_collections.vmw.sanboot.plugins.module_utils import validation as check
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import MASK

SECRETS = ("CHAPSecret", "MutualCHAPSecret")
_UNSET = (None, "", "0.0.0.0", "::", "::ffff:0.0.0.0")
_ADDRESSES = ("InitiatorIPAddress", "InitiatorDefaultGateway", "PrimaryDNS", "SecondaryDNS",
              "PrimaryTargetIPAddress", "SecondaryTargetIPAddress")
_NAMES = ("InitiatorName", "PrimaryTargetName", "SecondaryTargetName")


def _family_checked(address, family, field):
    if family and address.version != family:
        raise ValidationError(field, "IPv%d and IPv%d cannot be mixed on one port" % (family, address.version))
    return address.version


def desired_iscsi(params):
    """Validate the module's options; returns the Redfish iSCSIBoot values (secrets included)."""
    initiator, target = params.get("initiator") or {}, params.get("target") or {}
    chap = params.get("chap") or {}
    boot = {"InitiatorName": check.iscsi_name(initiator.get("name"), "initiator.name")}
    dhcp = bool(initiator.get("dhcp"))
    boot["IPMaskDNSViaDHCP"] = dhcp
    family = None
    if not dhcp:
        if not initiator.get("address"):
            raise ValidationError("initiator.address", "required unless initiator.dhcp is true")
        address = check.ip_address(initiator["address"], "initiator.address")
        family = address.version
        if initiator.get("netmask") in (None, ""):
            raise ValidationError("initiator.netmask", "required unless initiator.dhcp is true")
        length = check.prefix_length(initiator["netmask"], family, "initiator.netmask")
        boot.update(InitiatorIPAddress=str(address), InitiatorNetmask=check.prefix_to_netmask(length, family))
        for option, key in (("gateway", "InitiatorDefaultGateway"), ("primary_dns", "PrimaryDNS"),
                            ("secondary_dns", "SecondaryDNS")):
            if initiator.get(option):
                value = check.ip_address(initiator[option], "initiator.%s" % option)
                _family_checked(value, family, "initiator.%s" % option)
                boot[key] = str(value)
    family = _target(boot, "Primary", target, "target", family)
    if params.get("secondary_target"):
        _target(boot, "Secondary", params["secondary_target"], "secondary_target", family)
    boot["TargetInfoViaDHCP"] = False
    family = family or 4
    if family == 6 and params.get("target_os", "esxi") == "esxi" and not params.get("allow_ipv6"):
        raise ValidationError("initiator.address", "IPv6 iSCSI boot (iBFT) is not supported by ESXi; "
                                                   "set allow_ipv6: true to configure it anyway")
    boot["IPAddressType"] = "IPv%d" % family
    boot.update(_chap(chap))
    return boot


def _target(boot, prefix, target, field, family):
    boot["%sTargetName" % prefix] = check.iscsi_name(target.get("name"), "%s.name" % field)
    if not target.get("address"):
        raise ValidationError("%s.address" % field, "required")
    address = check.ip_address(target["address"], "%s.address" % field)
    family = _family_checked(address, family, "%s.address" % field)
    boot["%sTargetIPAddress" % prefix] = str(address)
    boot["%sTargetTCPPort" % prefix] = check.integer_in(target.get("port", 3260), 1, 65535, "%s.port" % field)
    boot["%sLUN" % prefix] = check.integer_in(target.get("lun", 0), 0, 16383, "%s.lun" % field)
    vlan = target.get("vlan_id")
    boot["%sVLANEnable" % prefix] = vlan is not None
    if vlan is not None:
        boot["%sVLANId" % prefix] = check.integer_in(vlan, 1, 4094, "%s.vlan_id" % field)
    return family


def _chap(chap):
    user, secret = chap.get("username"), chap.get("secret")
    mutual_user, mutual_secret = chap.get("mutual_username"), chap.get("mutual_secret")
    if not user and not secret and not mutual_user and not mutual_secret:
        return {"AuthenticationMethod": "None"}
    if not user or secret is None:
        raise ValidationError("chap.username" if not user else "chap.secret", "CHAP needs both username and secret")
    values = {"AuthenticationMethod": "CHAP", "CHAPUsername": user, "CHAPSecret": check.chap_secret(secret, "chap.secret")}
    if mutual_user or mutual_secret is not None:
        if not mutual_user or mutual_secret is None:
            raise ValidationError("chap.mutual_username" if not mutual_user else "chap.mutual_secret",
                                  "mutual CHAP needs both mutual_username and mutual_secret")
        check.chap_secret(mutual_secret, "chap.mutual_secret")
        if mutual_secret == secret:
            raise ValidationError("chap.mutual_secret", "must differ from chap.secret (RFC 3720 forbids reusing it)")
        values.update(AuthenticationMethod="MutualCHAP", MutualCHAPUsername=mutual_user, MutualCHAPSecret=mutual_secret)
    return values


def _normal(key, value):
    """Values as the BMC may spell them, reduced to one form for comparing."""
    if value in _UNSET:
        return None
    if key in _ADDRESSES:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value
    if key in _NAMES and isinstance(value, str):
        return value.lower()
    if key == "InitiatorNetmask":
        text = str(value)
        if "." in text or ":" in text:
            try:
                return ipaddress.ip_network("0.0.0.0/%s" % text).prefixlen
            except ValueError:
                return text
        return int(text) if text.isdigit() else text
    return value


def differences(desired, actual):
    """iSCSIBoot keys whose desired value differs from `actual` (secrets excluded)."""
    actual = actual or {}
    changed = []
    for key, value in desired.items():
        if key in SECRETS:
            continue
        if key.endswith("VLANId") and not desired.get(key.replace("Id", "Enable")):
            continue  # a VLAN id means nothing while that VLAN is disabled
        if _normal(key, value) != _normal(key, actual.get(key)):
            changed.append(key)
    return changed


class Plan:
    """What iscsi_boot would do, and what it may report."""

    def __init__(self, payload, before, after, pending_before, reboot_required):
        self.payload = payload                  # PATCH body (BootMode, iSCSIBoot), {} when nothing to send
        self.before, self.after = before, after  # masked views for diff and results
        self.pending_before = pending_before    # what was already pending (masked), or {}
        self.reboot_required = reboot_required

    @property
    def changed(self):
        return bool(self.payload)


def view(mode, boot):
    """A function's iSCSI state as results show it: secrets masked, or null when unset."""
    shown = {k: (MASK if v else None) if k in SECRETS else v for k, v in (boot or {}).items()}
    return {"BootMode": mode, "iSCSIBoot": shown}


def pending_changes(current, future):
    """What a SettingsObject would change: {} when nothing is pending."""
    if future is None:
        return {}
    changed = {}
    if future.get("BootMode") != current.get("BootMode"):
        changed["BootMode"] = future.get("BootMode")
    boot = {k: future["iSCSIBoot"].get(k) for k in differences(future.get("iSCSIBoot") or {}, current.get("iSCSIBoot"))}
    if boot:
        changed["iSCSIBoot"] = boot
    return changed


def plan(state, desired_boot, current, future, chap_secret_update="on_change", leftover=False):
    """Compare desired with the future state (current plus pending) and build the payload.

    `current` and `future` are {"BootMode", "iSCSIBoot"} as the BMC reports the resource and its
    SettingsObject (`future` None when the BMC has none). `leftover`: the channel keeps values for
    the port that `absent` must remove although its BootMode is already Disabled."""
    future_state = future if future is not None else current
    pending = pending_changes(current, future)
    desired_mode = "iSCSI" if state == "present" else "Disabled"
    payload = {}
    if future_state.get("BootMode") != desired_mode or (state == "absent" and leftover):
        payload["BootMode"] = desired_mode
    boot_changes = {}
    if state == "present":
        boot_changes = {k: desired_boot[k] for k in differences(desired_boot, future_state.get("iSCSIBoot"))}
        secrets = {k: desired_boot[k] for k in SECRETS if k in desired_boot}
        if secrets and (chap_secret_update == "always" or payload or boot_changes):
            boot_changes.update(secrets)
    if boot_changes:
        payload["iSCSIBoot"] = boot_changes
    after_boot = dict(future_state.get("iSCSIBoot") or {})
    after_boot.update(boot_changes)
    return Plan(payload=payload,
                before=view(current.get("BootMode"), current.get("iSCSIBoot")),
                after=view(desired_mode if payload.get("BootMode") else future_state.get("BootMode"), after_boot),
                pending_before={k: (view(None, v)["iSCSIBoot"] if k == "iSCSIBoot" else v) for k, v in pending.items()},
                reboot_required=bool(payload) or bool(pending))
