# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DMTF standard: NetworkDeviceFunction.iSCSIBoot and BootMode, written through the
resource's @Redfish.Settings SettingsObject with @Redfish.SettingsApplyTime."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError

APPLY_TIMES = ("Immediate", "OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset")


class IscsiState:
    """A port's iSCSI state as read: now, and as it will be once pending settings apply."""

    def __init__(self, current, future, settings_etag):
        self.current = current          # {"BootMode", "iSCSIBoot"} of the resource
        self.future = future            # the same from the SettingsObject, or None without one
        self.settings_etag = settings_etag


def _boot_view(body):
    return {"BootMode": body.get("BootMode"), "iSCSIBoot": dict(body.get("iSCSIBoot") or {})}


class DmtfDialect:
    name = "dmtf"

    def read_iscsi(self, client, port):
        current = _boot_view(port.body)
        if not port.settings_uri:
            return IscsiState(current, None, port.etag)
        reply = client.get(port.settings_uri)
        return IscsiState(current, _boot_view(reply.body), reply.etag)

    def choose_apply_time(self, port, requested):
        """The apply time to use: the one asked for if the BMC supports it; else OnReset when
        supported (changes land with the reboot the workflow does anyway), else Immediate."""
        supported = port.supported_apply_times
        if not port.settings_uri:
            if requested not in (None, "auto", "Immediate"):
                raise ValidationError("apply_time", "this BMC has no settings object, only Immediate is possible")
            return "Immediate"
        if requested not in (None, "auto"):
            if supported and requested not in supported:
                raise ValidationError("apply_time", "%s is not supported by this BMC (supported: %s)"
                                      % (requested, ", ".join(supported)))
            return requested
        for choice in ("OnReset", "Immediate"):
            if not supported or choice in supported:
                return choice
        return supported[0]

    def write_iscsi(self, client, port, payload, apply_time, etag):
        """PATCH the SettingsObject (or the resource); returns a task monitor URI or None."""
        if port.settings_uri:
            body = dict(payload, **{"@Redfish.SettingsApplyTime": {"ApplyTime": apply_time}})
            reply = client.patch(port.settings_uri, body, etag=etag)
        else:
            reply = client.patch(port.uri, payload, etag=port.etag)
        if reply.status == 202:
            return reply.header("Location")
        return None

    def check_port(self, port, state):
        if state == "present" and not port.iscsi_capable:
            raise SanbootError("port %s (%s) is not iSCSI-capable (NetDevFuncCapabilities: %s)"
                               % (port.uri, port.mac, ", ".join(port.body.get("NetDevFuncCapabilities") or [])),
                               field="port")
