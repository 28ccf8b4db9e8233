# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lenovo XCC's boot order, in two layers (docs/behaviour.md, Lenovo):

- BootOptions are boot CLASSES (Network, HardDisk, ...), ordered by `Boot.BootOrder`. Current firmware
  writes that order to the system's settings object (`/Systems/1/Pending`); older firmware, whose system
  has no @Redfish.Settings, to `Oem/Lenovo/BootSettings/BootOrder.BootOrder` `BootOrderNext` (class
  names). Both apply at the next reset.
- Inside the Network class, devices follow `BootOrder.NetworkBootOrder` `BootOrderNext` (applied at
  reset), whose entries name the slot and MAC; an iSCSI entry exists once a reset's login on the port
  succeeded (its wording, `... iSCSI  <adapter> - <MAC>`, is UNCONFIRMED).
"The iSCSI option first" is the Network class first AND the port's iSCSI entry first."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError

CLASS_ORDER = "BootOrder.BootOrder"
NETWORK_ORDER = "BootOrder.NetworkBootOrder"
NETWORK_CLASS = "network"
_SLOT = re.compile(r"^slot-(\d+)$", re.IGNORECASE)
ISCSI_WORD = re.compile(r"\biSCSI\b")


def class_key(name):
    """A boot class name reduced for matching: "Hard Disk" (OEM) and "HardDisk" (BootOption) alike."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").lower())


class OemOrder:
    """One of the OEM BootSettings orders: Supported, Current, Next, and the ETag it was read with."""

    def __init__(self, uri, reply):
        self.uri, self.body, self.etag = uri, reply.body if reply else {}, reply.etag if reply else None

    def listed(self, key):
        return list(self.body.get(key) or [])

    @property
    def current(self):
        return self.listed("BootOrderCurrent")

    @property
    def next(self):
        return self.listed("BootOrderNext")

    @property
    def supported(self):
        return self.listed("BootOrderSupported")


class LenovoBoot:
    """The boot-order places of one system, read once per plan (a 412 re-plan makes a new one)."""

    def __init__(self, client, system):
        self.client, self.system = client, system
        self.settings_uri = resources.link(system.get("@Redfish.Settings") or {}, "SettingsObject")
        self.oem_uri = resources.link(system, "Oem", "Lenovo", "BootSettings")
        self._orders = None         # {name: uri} of the OEM orders
        self._read = {}             # name -> OemOrder, read once per plan
        self._pending = None

    # -- reads ---------------------------------------------------------------------------------------
    def order(self, name):
        """The OEM order `name` (BootOrder.BootOrder, BootOrder.NetworkBootOrder), or None."""
        if self._orders is None:
            self._orders = {uri.rstrip("/").rsplit("/", 1)[-1]: uri for uri in resources.members_optional(self.client, self.oem_uri)}
        uri = self._orders.get(name)
        if not uri:
            return None
        if name not in self._read:
            self._read[name] = OemOrder(uri, self.client.get(uri))
        return self._read[name]

    def pending_system(self):
        """The system's settings object (reply), read once."""
        if self._pending is None:
            self._pending = self.client.get(self.settings_uri)
        return self._pending

    def scheduled_classes(self, options):
        """The class order (references) the next reset applies, when it differs from the current one, else None."""
        current = (self.system.get("Boot") or {}).get("BootOrder") or []
        if self.settings_uri:
            staged = ((self.pending_system().body or {}).get("Boot") or {}).get("BootOrder") or []
            return list(staged) if staged and staged != current else None
        classes = self.order(CLASS_ORDER)
        if classes is None or not classes.next or classes.next == classes.current:
            return None
        return as_refs(classes.next, options, current)

    # -- writes --------------------------------------------------------------------------------------
    def write_classes(self, refs, options):
        if self.settings_uri:
            reply = self.pending_system()
            return self.client.patch(self.settings_uri, {"Boot": {"BootOrder": list(refs)}}, etag=reply.etag)
        classes = self.order(CLASS_ORDER)
        if classes is None:
            raise SanbootError("this XCC has neither a system settings object (/Systems/1/Pending) nor the OEM "
                               "BootSettings BootOrder.BootOrder: the boot order cannot be written")
        names = as_names(refs, options, classes.next or classes.current)
        return self.client.patch(classes.uri, {"BootOrderNext": names}, etag=classes.etag)

    def write_network(self, entries):
        network = self.order(NETWORK_ORDER)
        if network is None:
            raise SanbootError("this XCC lists no OEM BootSettings %s: the network device order cannot be written" % NETWORK_ORDER)
        return self.client.patch(network.uri, {"BootOrderNext": list(entries)}, etag=network.etag)


def as_refs(names, options, current):
    """OEM class names -> BootOption references (classes not listed as options are left out; the
    options the names leave out follow in their current order)."""
    ref_of = {class_key(o.get("DisplayName") or o.get("Name")): ref for ref, o in options.items()}
    refs = [ref_of[class_key(n)] for n in names if class_key(n) in ref_of]
    return refs + [r for r in current if r not in refs]


def as_names(refs, options, listed):
    """BootOption references -> the OEM class names as the BMC spells them in `listed`."""
    name_of = {class_key(n): n for n in listed}
    names = []
    for ref in refs:
        option = options.get(ref) or {}
        key = class_key(option.get("DisplayName") or option.get("Name"))
        names.append(name_of.get(key, option.get("DisplayName") or ref))
    return names + [n for n in listed if n not in names]


def network_class(options):
    """The reference of the Network boot class, or None."""
    for ref, option in options.items():
        if class_key(option.get("DisplayName") or option.get("Name")) == NETWORK_CLASS:
            return ref
    return None


def iscsi_entry(entries, port):
    """The entry of this port's iSCSI attempt: an `iSCSI` entry naming its MAC; where entries name no MAC
    (the capture's OCP entries), one naming its slot and function (`SLOT<N> (<bus>/0/<port-1>)`)."""
    iscsi = [e for e in entries if ISCSI_WORD.search(e)]
    mac = port.mac.upper()
    for entry in iscsi:
        if mac and entry.upper().endswith(mac):
            return entry
    slot = _SLOT.match(port.adapter_id or "")
    number = str(port.function_id).split(".", maxsplit=1)[0]
    if slot and number.isdigit():
        where = re.compile(r"\bSLOT%s \([0-9A-Fa-f]+/0/%d\)" % (slot.group(1), int(number) - 1))
        for entry in iscsi:
            if where.search(entry) and not re.search(r"[0-9A-F]{2}(:[0-9A-F]{2}){5}$", entry.upper()):
                return entry
    return None


def first(entries, entry):
    return [entry] + [e for e in entries if e != entry]
