# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only views over Redfish JSON and the discovery that follows links to them.

No vendor URI is hard-coded: everything starts at the service root. Where DSP0266 fixes a URI
pattern (NetworkAdapters under a Chassis), a known id is looked up directly to save requests.
"""

from __future__ import annotations

import datetime

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError
from ansible_collections.vmw.sanboot.plugins.module_utils.waiter import parse_time

_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


def link(body, *keys):
    """body[k1][k2]...["@odata.id"], or None."""
    for key in keys:
        body = body.get(key) if isinstance(body, dict) else None
    return body.get("@odata.id") if isinstance(body, dict) else None


def members(client, collection_uri):
    if not collection_uri:
        return []
    return [m["@odata.id"] for m in client.get(collection_uri).body.get("Members", []) if "@odata.id" in m]


class Port:
    """One NetworkDeviceFunction: the NIC port whose iSCSI boot values are set."""

    def __init__(self, uri, body, etag):
        self.uri, self.body, self.etag = uri, body, etag
        parts = uri.rstrip("/").split("/")
        self.function_id = body.get("Id", parts[-1])
        self.adapter_id = parts[-3] if len(parts) >= 3 else None

    @property
    def mac(self):
        ethernet = self.body.get("Ethernet") or {}
        mac = ethernet.get("MACAddress") or ethernet.get("PermanentMACAddress") or ""
        return mac.lower().replace("-", ":")

    @property
    def iscsi_capable(self):
        return "iSCSI" in (self.body.get("NetDevFuncCapabilities") or [])

    @property
    def settings(self):
        return self.body.get("@Redfish.Settings") or {}

    @property
    def settings_uri(self):
        return link(self.settings, "SettingsObject")

    @property
    def supported_apply_times(self):
        return list(self.settings.get("SupportedApplyTimes") or [])

    def summary(self):
        return {"uri": self.uri, "adapter_id": self.adapter_id, "function_id": self.function_id, "mac": self.mac,
                "capabilities": self.body.get("NetDevFuncCapabilities") or [], "boot_mode": self.body.get("BootMode"),
                "supported_apply_times": self.supported_apply_times}


def chassis_uris(client):
    return members(client, link(client.root, "Chassis"))


def system_uri(client, system_id=None):
    uris = members(client, link(client.root, "Systems"))
    if system_id:
        uris = [u for u in uris if u.rstrip("/").rsplit("/", 1)[-1] == system_id]
    if not uris:
        raise SanbootError("the BMC lists no computer system%s" % (" with Id %s" % system_id if system_id else ""))
    return uris[0]


def _get_port(client, uri):
    reply = client.get(uri)
    return Port(uri, reply.body, reply.etag)


def port_by_ids(client, adapter_id, function_id):
    """Look up adapter and function ids directly (DSP0266 URI pattern): one GET per chassis tried."""
    for chassis in chassis_uris(client):
        uri = "%s/NetworkAdapters/%s/NetworkDeviceFunctions/%s" % (chassis.rstrip("/"), adapter_id, function_id)
        try:
            return _get_port(client, uri)
        except RedfishError as exc:
            if exc.status != 404:
                raise
    return None


def all_ports(client):
    """Every NetworkDeviceFunction of every adapter of every chassis, in the BMC's order."""
    for chassis in chassis_uris(client):
        adapters = members(client, chassis.rstrip("/") + "/NetworkAdapters")
        for adapter in adapters:
            for function in members(client, adapter.rstrip("/") + "/NetworkDeviceFunctions"):
                yield _get_port(client, function)


def find_port(client, mac=None, adapter_id=None, function_id=None):
    """The port a module works on: by MAC, by adapter and function id, or the first iSCSI-capable one."""
    if adapter_id and function_id:
        port = port_by_ids(client, adapter_id, function_id)
        if port is None:
            raise SanbootError("port.adapter_id/function_id: no NetworkDeviceFunction %s/%s on this BMC"
                               % (adapter_id, function_id), field="port")
        return port
    seen = []
    for port in all_ports(client):
        seen.append(port.mac or port.uri)
        if mac and port.mac == mac:
            return port
        if not mac and (adapter_id is None or port.adapter_id == adapter_id) and port.iscsi_capable:
            return port
    if mac:
        raise SanbootError("port.mac: no port with MAC %s on this BMC (ports: %s)" % (mac, ", ".join(seen) or "none"),
                           field="port.mac")
    raise SanbootError("port: no iSCSI-capable port found on this BMC (ports: %s)" % (", ".join(seen) or "none"),
                       field="port")


def boot_options(client, system):
    """{BootOptionReference: BootOption body} of a system, in the collection's order."""
    options = {}
    for uri in members(client, link(system, "Boot", "BootOptions")):
        body = client.get(uri).body
        options[body.get("BootOptionReference") or body.get("Id")] = body
    return options


def _not_before(created, since):
    """Compared as instants: BMCs stamp entries with their own UTC offset (-06:00, Z, +00:00)."""
    when, start = parse_time(created), parse_time(since)
    if when is None or start is None:
        return (created or "") >= since
    return when >= start


def log_entries(client, system, since=None):
    """Entries of the system's log services created at or after `since` (ISO 8601), oldest first."""
    entries = []
    for service in members(client, link(system, "LogServices")):
        for entry in client.get(service.rstrip("/") + "/Entries").body.get("Members", []):
            if "Message" not in entry and "@odata.id" in entry:
                entry = client.get(entry["@odata.id"]).body
            if since is None or _not_before(entry.get("Created"), since):
                entries.append({"created": entry.get("Created"), "severity": entry.get("Severity"),
                                "message": entry.get("Message"), "message_id": entry.get("MessageId")})
    return sorted(entries, key=lambda e: parse_time(e["created"]) or _EARLIEST)
