# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only views over Redfish JSON, and the generic reads every dialect shares.

No vendor URI is hard-coded: everything starts at the service root and follows links. Port
discovery belongs to the dialects (ports.py holds the standard link walk).
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


def get_optional(client, uri):
    """The body at `uri`, or None when the BMC does not have it (404) or there is no link."""
    if not uri:
        return None
    try:
        return client.get(uri).body
    except RedfishError as exc:
        if exc.status in (404, 405, 501):
            return None
        raise


def members_optional(client, collection_uri):
    """Member URIs of a collection that may be missing (404): [] then."""
    body = get_optional(client, collection_uri)
    return [m["@odata.id"] for m in (body or {}).get("Members", []) if isinstance(m, dict) and "@odata.id" in m]


def expanded_uris(client, collection_uri):
    """Member URIs of a collection, read with `$expand` where the BMC advertises it: the members'
    bodies (those with an ETag) are then in the client's cache for the reads that follow."""
    return [uri for uri, _reply in client.get_members(collection_uri)] if collection_uri else []


def chassis_uris(client):
    return expanded_uris(client, link(client.root, "Chassis"))


def system_uri(client, system_id=None):
    uris = expanded_uris(client, link(client.root, "Systems"))
    if system_id:
        uris = [u for u in uris if u.rstrip("/").rsplit("/", 1)[-1] == system_id]
    if not uris:
        raise SanbootError("the BMC lists no computer system%s" % (" with Id %s" % system_id if system_id else ""))
    return uris[0]


def get_port(client, uri):
    reply = client.get(uri)
    return Port(uri, reply.body, reply.etag)


def expanded_members(client, collection_uri):
    """[(member URI, Reply or None)] of a collection that may be missing (404: []): with `$expand`
    where the BMC advertises it (client.get_members), the member's Reply; None for the caller to read."""
    if not collection_uri:
        return []
    try:
        return client.get_members(collection_uri)
    except RedfishError as exc:
        if exc.status in (404, 405, 501):
            return []
        raise


def boot_options(client, system):
    """{BootOptionReference: BootOption body} of a system, in the collection's order: one request
    where the BMC expands the collection, else one per option. A listed option the BMC cannot serve
    (404) is left out rather than failing the run."""
    options = {}
    for uri, reply in expanded_members(client, link(system, "Boot", "BootOptions")):
        body = reply.body if reply is not None else get_optional(client, uri)
        if body is not None:
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
    services = [get_optional(client, uri) or {} for uri in members_optional(client, link(system, "LogServices"))]
    return service_entries(client, [link(s, "Entries") for s in services], since)


def service_entries(client, entries_uris, since=None):
    """Entries of these LogEntry collections created at or after `since`, oldest first. SEL entries
    also carry their SensorType, OemSensorType and EntryCode (what Supermicro's reset marker reads)."""
    entries = []
    for uri in filter(None, entries_uris):
        for entry in (get_optional(client, uri) or {}).get("Members", []):
            if "Message" not in entry and "@odata.id" in entry:
                entry = client.get(entry["@odata.id"]).body
            if since is None or _not_before(entry.get("Created"), since):
                found = {"created": entry.get("Created"), "severity": entry.get("Severity"),
                         "message": entry.get("Message"), "message_id": entry.get("MessageId")}
                if entry.get("EntryType") == "SEL":   # an IPMI-style entry: what its sensor is, asserted or not
                    found.update(sensor_type=entry.get("SensorType"), oem_sensor_type=entry.get("OemSensorType"),
                                 entry_code=entry.get("EntryCode"))
                entries.append(found)
    return sorted(entries, key=lambda e: parse_time(e["created"]) or _EARLIEST)
