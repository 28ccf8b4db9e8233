# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPE: which BIOS NIC source (`Slot<X>NicBoot<Y>`) a port is, through HPE's own mappings.

A MAC -> the BaseNetworkAdapter (the system's Oem.Hpe.Links.NetworkAdapters) whose PhysicalPorts[j-1]
has that MAC -> the HpeBiosMapping entry (Bios Oem.Hpe.Links.Mappings) whose CorrelatableID is that
adapter's UEFIDevicePath -> its subinstance j -> the association naming `...NicBoot<n>`. Every
link is read from the BMC; nothing is built from a port's ids.

iLO lists some NICs only in BaseNetworkAdapters, with no NetworkDeviceFunction (the OCP Intel I350 of
the iLO 5 capture: a NIC without Redfish device support); AdapterPort stands for such a port, so it can
be chosen by MAC (or by its adapter's StructuredName and port number) for the software initiator."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import resources

NIC_BOOT = re.compile(r"NicBoot\d+$")
_PORT_SUFFIX = re.compile(r"\.\d+$")


def _mac(text):
    return str(text or "").lower().replace("-", ":")


def read_adapters(client, system):
    """[(uri, body)] of the system's BaseNetworkAdapters (the dialect reads them once per run)."""
    collection = resources.link(system, "Oem", "Hpe", "Links", "NetworkAdapters")
    return [(uri, resources.get_optional(client, uri) or {}) for uri in resources.members_optional(client, collection)]


def adapter_ports(adapters):
    """{mac: (adapter UEFIDevicePath, port number j, adapter StructuredName)} from BaseNetworkAdapters."""
    found = {}
    for _uri, adapter in adapters:
        for j, port in enumerate(adapter.get("PhysicalPorts") or [], 1):
            if port.get("MacAddress"):
                found[_mac(port["MacAddress"])] = (adapter.get("UEFIDevicePath"), j, adapter.get("StructuredName"))
    return found


def nic_boot_of(mappings, correlatable_id, j):
    """The `...NicBoot<n>` association of subinstance j of the adapter at `correlatable_id`, or None."""
    for entry in (mappings or {}).get("BiosPciSettingsMappings") or []:
        if entry.get("CorrelatableID") != correlatable_id:
            continue
        for sub in entry.get("Subinstances") or []:
            if sub.get("Subinstance") != j:
                continue
            for association in sub.get("Associations") or []:
                if isinstance(association, str) and NIC_BOOT.search(association):
                    return association
    return None


class AdapterPort(resources.Port):
    """Port j of a BaseNetworkAdapter that has no NetworkDeviceFunction: its MAC and names only."""

    def __init__(self, adapter_uri, adapter, j, mac):
        body = {"Id": str(j), "Name": adapter.get("Name"), "Ethernet": {"MACAddress": mac}, "NetDevFuncCapabilities": []}
        super().__init__("%s#/PhysicalPorts/%d" % (adapter_uri.rstrip("/"), j - 1), body, None)
        # StructuredName names the adapter's first function (OCP.Slot.10.1): without it, the adapter
        self.adapter_id = _PORT_SUFFIX.sub("", adapter.get("StructuredName") or "") or adapter.get("Id")
        self.function_id = str(j)


def adapter_only_ports(adapters, seen_macs):
    """An AdapterPort for every BaseNetworkAdapter port whose MAC no NetworkDeviceFunction has."""
    for uri, adapter in adapters:
        for j, port in enumerate(adapter.get("PhysicalPorts") or [], 1):
            mac = _mac(port.get("MacAddress"))
            if mac and mac not in seen_macs:
                yield AdapterPort(uri, adapter, j, mac)


def boot_source_path(boot, mac):
    """The CorrelatableID (the port's PCI path) of a BIOS boot source whose device path carries this MAC."""
    node = "MAC(%s," % _mac(mac).replace(":", "").upper()
    for source in (boot or {}).get("BootSources") or []:
        if node in str(source.get("UEFIDevicePath") or "").upper().replace(" ", ""):
            return source.get("CorrelatableID")
    return None


def nic_boot_at(mappings, port_path):
    """The `...NicBoot<n>` association of the mapping subinstance whose CorrelatableID is this port's path."""
    for entry in (mappings or {}).get("BiosPciSettingsMappings") or []:
        for sub in entry.get("Subinstances") or []:
            if sub.get("CorrelatableID") == port_path:
                for association in sub.get("Associations") or []:
                    if isinstance(association, str) and NIC_BOOT.search(association):
                        return association
    return None


class NicSources:
    """MAC -> NIC source for one run (read once), and why a port has none.

    BaseNetworkAdapters first. iLO 6 deprecates them (from 1.10, HPE's iLO 6 adaptation guide), so a
    MAC they do not list is looked up in the BIOS boot sources (a port's network boot options carry
    its MAC and its PCI path, which the mappings' subinstances name): that finds a port only while its
    NIC boot is on (an option exists), and the message says so."""

    def __init__(self, client, adapters, bios, nic_sources):
        self.client = client
        self.bios = bios
        self.ports = adapter_ports(adapters)
        self.mappings = resources.get_optional(client, resources.link(bios, "Oem", "Hpe", "Links", "Mappings")) or {}
        self.listed = list(nic_sources or [])
        self._boot = None

    def _by_boot_sources(self, mac):
        if self._boot is None:
            self._boot = resources.get_optional(self.client, resources.link(self.bios, "Oem", "Hpe", "Links", "Boot")) or {}
        path = boot_source_path(self._boot, mac)
        source = nic_boot_at(self.mappings, path) if path else None
        if source is None:
            return None, ("no BaseNetworkAdapter lists MAC %s, and no BIOS boot option of that MAC names a port the "
                          "BIOS mappings know (its network boot may be off)" % mac)
        return source, None

    def source(self, mac):
        """(source, None) or (None, why)."""
        found = self.ports.get(_mac(mac))
        if found is None:
            source, why = self._by_boot_sources(mac)
            if source is None:
                return None, why
            return self._listed(source)
        path, j, name = found
        source = nic_boot_of(self.mappings, path, j)
        if source is None:
            return None, "the BIOS mappings name no NicBoot setting for port %d of %s (%s)" % (j, name, path)
        return self._listed(source)

    def _listed(self, source):
        if source not in self.listed:
            return None, "%s is not one of the iSCSI NIC sources (%s)" % (source, ", ".join(self.listed) or "none")
        return source, None
