# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lenovo XCC's iSCSI channel: the function's `Pending` object (its @Redfish.Settings), which holds
the full iSCSIBoot with the pending values merged over the current ones, so pending = diff(Pending,
current). A write is a PATCH of `Pending` with the ETag just read from it (strong ETags; newer XCC
answers 412 to a stale one, and iscsi_boot_ops reads again, plans again and retries once). It applies
at the next reset; XCC takes no @Redfish.SettingsApplyTime (OnReset is all it supports).

XCC shows no BootMode on its functions (capture): a port whose iSCSIBoot names a target is read as booting
from iSCSI, `BootMode` is never sent, and `absent` clears the target name (UNCONFIRMED: the mockup's rule).
Where a function does show BootMode, it is read and written as the standard says.

XCC refuses CHAP user names and secrets unless the resulting AuthenticationMethod is CHAP (the mutual
ones: MutualCHAP) (Lenovo's doc). Those fields mean nothing under another method, so they are hidden
from the comparison there (an old CHAPUsername left under "None" is no difference) and never sent."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import IscsiState, NicChannel

CHAP_KEYS = ("CHAPUsername", "CHAPSecret")
MUTUAL_KEYS = ("MutualCHAPUsername", "MutualCHAPSecret")
CHAP_METHODS = ("CHAP", "MutualCHAP")


def unused_chap_keys(method):
    """The CHAP keys XCC does not take with this AuthenticationMethod."""
    if method == "MutualCHAP":
        return ()
    return MUTUAL_KEYS if method == "CHAP" else CHAP_KEYS + MUTUAL_KEYS


def without_unused_chap(view):
    """A {"BootMode", "iSCSIBoot"} view with the CHAP keys its method does not use set to None."""
    if view is None:
        return None
    boot = dict(view.get("iSCSIBoot") or {})
    for key in unused_chap_keys(boot.get("AuthenticationMethod")):
        if key in boot:
            boot[key] = None
    return dict(view, iSCSIBoot=boot)


def sendable(payload, future):
    """The payload without the CHAP keys the resulting AuthenticationMethod forbids."""
    boot = dict(payload.get("iSCSIBoot") or {})
    if not boot:
        return dict(payload)
    method = boot.get("AuthenticationMethod") or ((future or {}).get("iSCSIBoot") or {}).get("AuthenticationMethod")
    for key in unused_chap_keys(method):
        boot.pop(key, None)
    result = dict(payload)
    if boot:
        result["iSCSIBoot"] = boot
    else:
        result.pop("iSCSIBoot", None)
    return result


def with_boot_mode(view):
    """A view of a function without BootMode: iSCSI when its iSCSIBoot names a target, else Disabled."""
    if view is None or view.get("BootMode") is not None:
        return view
    return dict(view, BootMode="iSCSI" if (view.get("iSCSIBoot") or {}).get("PrimaryTargetName") else "Disabled")


def without_boot_mode(payload):
    """The payload for a function without BootMode: Disabled becomes a cleared target name."""
    payload = dict(payload)
    if payload.pop("BootMode", None) == "Disabled":
        payload["iSCSIBoot"] = dict(payload.get("iSCSIBoot") or {}, PrimaryTargetName=None)
    return payload


class LenovoNicChannel(NicChannel):
    """The standard channel through the function's Pending object, with XCC's CHAP and BootMode rules."""

    def read(self, client):
        state = super().read(client)
        current, future = (without_unused_chap(v) for v in (state.current, state.future))
        if "BootMode" not in self.port.body:
            current, future = with_boot_mode(current), with_boot_mode(future)
        return IscsiState(current, future, state.etag, state.leftover)

    def write(self, client, payload, apply_time, state):
        if "BootMode" not in self.port.body:
            payload = without_boot_mode(payload)
        return client.patch(self.port.settings_uri, sendable(payload, state.future), etag=state.etag)
