# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `nic` channel: NetworkDeviceFunction.iSCSIBoot and BootMode, written through the
resource's @Redfish.Settings SettingsObject with @Redfish.SettingsApplyTime (DSP0266)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError

APPLY_TIMES = ("Immediate", "OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset")


class IscsiState:
    """A port's iSCSI state as read: now, and as it will be once pending settings apply."""

    def __init__(self, current, future, etag, leftover=False):
        self.current = current          # {"BootMode", "iSCSIBoot"}
        self.future = future            # the same as it will be after pending changes, or None
        self.etag = etag                # what a write sends as If-Match (dialect policy applied)
        self.leftover = leftover        # configuration that only an `absent` write removes, though BootMode is Disabled


def boot_view(body):
    return {"BootMode": body.get("BootMode"), "iSCSIBoot": dict(body.get("iSCSIBoot") or {})}


class NicChannel:
    method = "nic"
    job_type = "NICConfiguration"

    def __init__(self, dialect, port):
        self.dialect, self.port = dialect, port
        self._reads = 0

    @property
    def target_uri(self):
        """Where pending changes of this channel are staged."""
        return self.port.settings_uri or self.port.uri

    def check(self, client, desired):
        """Values the BMC would refuse, found before anything is written (nothing to add here)."""
        return None

    def read(self, client):
        if self._reads:  # a re-read after a 412: the port itself may have changed too
            self.port = resources.get_port(client, self.port.uri)
        self._reads += 1
        current = boot_view(self.port.body)
        if not self.port.settings_uri:
            return IscsiState(current, None, self.dialect.write_etag(self.port.etag))
        reply = client.get(self.port.settings_uri)
        return IscsiState(current, boot_view(reply.body), self.dialect.write_etag(reply.etag))

    def choose_apply_time(self, requested):
        """The apply time asked for if the BMC supports it; else OnReset when supported (changes
        land with the reboot the workflow does anyway), else Immediate."""
        supported = self.port.supported_apply_times
        if not self.port.settings_uri:
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

    def write(self, client, payload, apply_time, state):
        """PATCH the SettingsObject (or the resource itself); returns the BMC's answer."""
        if self.port.settings_uri:
            body = dict(payload, **{"@Redfish.SettingsApplyTime": {"ApplyTime": apply_time}})
            return client.patch(self.port.settings_uri, body, etag=state.etag)
        return client.patch(self.port.uri, payload, etag=state.etag)
