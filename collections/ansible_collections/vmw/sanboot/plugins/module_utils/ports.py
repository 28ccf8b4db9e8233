# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding NIC ports (NetworkDeviceFunctions) by following links, as DSP0266 lays them out.

- Every chassis that links `NetworkAdapters`; a chassis without the link (an enclosure, a
  backplane) is skipped, and a linked collection the BMC cannot serve (404) is skipped too.
- When no chassis yields a port, the computer system's `NetworkInterfaces`, each linking its
  adapter's `NetworkDeviceFunctions`.
No URI is built from another, except a member looked up by its Id inside a collection whose URI
was read from a link (DSP0266: members sit at <collection>/<Id>).
"""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError


def _adapter_collections(client):
    """The NetworkAdapters collection URI of every chassis that links one."""
    for chassis in resources.chassis_uris(client):
        body = resources.get_optional(client, chassis) or {}
        collection = resources.link(body, "NetworkAdapters")
        if collection:
            yield collection


def _function_collections(client, system_uri=None):
    seen = []
    for collection in _adapter_collections(client):
        for adapter, reply in resources.expanded_members(client, collection):
            body = reply.body if reply is not None else resources.get_optional(client, adapter)
            functions = resources.link(body or {}, "NetworkDeviceFunctions")
            if functions and functions not in seen:
                seen.append(functions)
                yield functions
    if seen or not system_uri:
        return
    system = resources.get_optional(client, system_uri) or {}
    for interface in resources.members_optional(client, resources.link(system, "NetworkInterfaces")):
        functions = resources.link(resources.get_optional(client, interface) or {}, "NetworkDeviceFunctions")
        if functions and functions not in seen:
            seen.append(functions)
            yield functions


def all_ports(client, system_uri=None):
    """Every NetworkDeviceFunction the BMC links, in its order; those it cannot serve are skipped."""
    for collection in _function_collections(client, system_uri):
        for uri, reply in resources.expanded_members(client, collection):
            if reply is not None and reply.etag:   # expanded, with the @odata.etag a write sends back
                yield resources.Port(uri, reply.body, reply.etag)
                continue
            try:
                yield resources.get_port(client, uri)
            except RedfishError as exc:
                if exc.status != 404:
                    raise


def port_by_ids(client, adapter_id, function_id):
    """Look the adapter and function up by Id inside the linked collections: no listing needed."""
    for collection in _adapter_collections(client):
        adapter = resources.get_optional(client, "%s/%s" % (collection.rstrip("/"), adapter_id))
        functions = resources.link(adapter or {}, "NetworkDeviceFunctions")
        if functions:
            try:
                return resources.get_port(client, "%s/%s" % (functions.rstrip("/"), function_id))
            except RedfishError as exc:
                if exc.status != 404:
                    raise
    return None


def find_port(client, selector, capable, system_uri=None):
    """The port a module works on: by MAC, by adapter and function id, or the first port for
    which `capable(port)` is true."""
    mac, adapter_id, function_id = selector.get("mac"), selector.get("adapter_id"), selector.get("function_id")
    if adapter_id and function_id:
        port = port_by_ids(client, adapter_id, function_id)
        if port is None:
            raise SanbootError("port.adapter_id/function_id: no NetworkDeviceFunction %s/%s on this BMC"
                               % (adapter_id, function_id), field="port")
        return port
    seen = []
    for port in all_ports(client, system_uri):
        seen.append(port.mac or port.uri)
        if mac and port.mac == mac:
            return port
        if not mac and (adapter_id is None or port.adapter_id == adapter_id) and capable(port):
            return port
    if mac:
        raise SanbootError("port.mac: no port with MAC %s on this BMC (ports: %s)" % (mac, ", ".join(seen) or "none"),
                           field="port.mac")
    raise SanbootError("port: no iSCSI-capable port found on this BMC (ports: %s)" % (", ".join(seen) or "none"),
                       field="port")
