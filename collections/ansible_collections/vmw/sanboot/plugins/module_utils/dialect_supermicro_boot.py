# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Supermicro's boot order, and its fallback (../notes/vendors.md 4.3; docs/behaviour.md).

The standard `PATCH /Systems/1 {"Boot": {"BootOrder": [...]}}` is tried first. Some models answer
400 PropertyUnknown ("The property BootOrder is not in the list of valid properties"); then the
order goes through the OEM FixedBootOrder resource (#SmcFixedBootOrder): the full `FixedBootOrder`
list of classes, each naming its first device (`UEFI Network:<first network option's DisplayName>`),
the class of the wanted first option leading, and the `UEFINetwork` list of network options by
DisplayName. Boot options carry no device path: every
match is by DisplayName.

Reading it back: the iSCSI option counts as first when either place puts it first, so a run
after the fallback (where Boot.BootOrder may keep the old order) writes nothing."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError

NETWORK_CLASS = "UEFI Network:"
UNKNOWN_PROPERTY = ("PropertyUnknown", "not in the list of valid properties")


def refuses_boot_order(error):
    """The BMC refused Boot.BootOrder as a property it does not know (the models that need FixedBootOrder)."""
    return error.status == 400 and any(word in text for text in error.extended for word in UNKNOWN_PROPERTY)


def is_iscsi(option):
    return "iscsi" in str(option.get("DisplayName") or "").lower()


class FixedBootOrder:
    """The OEM FixedBootOrder resource of a system (empty when the system links none)."""

    def __init__(self, client, system):
        self.uri = resources.link(system, "Oem", "Supermicro", "FixedBootOrder")
        self.body = (resources.get_optional(client, self.uri) or {}) if self.uri else {}

    @property
    def classes(self):
        return list(self.body.get("FixedBootOrder") or [])

    @property
    def network(self):
        return list(self.body.get("UEFINetwork") or [])

    def first_network_name(self):
        """The DisplayName of the network option booted first, when the network class leads the order."""
        classes = self.classes
        if classes and classes[0].startswith(NETWORK_CLASS):
            return classes[0][len(NETWORK_CLASS):]
        return None

    def leading_class(self, name):
        """The class entry whose first device is the option `name` (`<class>:<name>`: the network class
        for any network option, which the write makes its first), or None."""
        if name in self.network:
            return NETWORK_CLASS + name
        return next((c for c in self.classes if c.partition(":")[2] == name), None)

    def payload(self, first, names):
        """The PATCH body: the network options `names` first in UEFINetwork, in that order, and the class
        of the option `first` leading FixedBootOrder; the other classes keep their order (the list keeps
        its length, so unused slots stay as read)."""
        unknown = [n for n in names if n not in self.network]
        if unknown:
            raise SanbootError("the FixedBootOrder fallback: %s does not list %s in UEFINetwork (it has: %s)"
                               % (self.uri, ", ".join(unknown), ", ".join(self.network) or "none"))
        network = list(names) + [n for n in self.network if n not in names]
        classes = [NETWORK_CLASS + network[0] if c.startswith(NETWORK_CLASS) and network else c for c in self.classes]
        lead = NETWORK_CLASS + network[0] if first in self.network else self.leading_class(first)
        return {"FixedBootOrder": [lead] + [c for c in classes if c != lead], "UEFINetwork": network}


def order_via_fixed(client, fixed, order, options):
    """PATCH FixedBootOrder so the class of the first option of `order` (references) leads, and the
    network options of `order` lead UEFINetwork in their order. A class entry names only its first
    device, so an option that is not a network option must already be first in its class."""
    if not fixed.uri:
        raise SanbootError("the BMC refused Boot.BootOrder (PropertyUnknown) and the system links no "
                           "Oem.Supermicro.FixedBootOrder to fall back to")
    names = [(options.get(ref) or {}).get("DisplayName") for ref in order]
    first = names[0] if names else None
    if first is None or fixed.leading_class(first) is None:
        raise SanbootError("the FixedBootOrder fallback cannot put %s (%s) first: it is neither in UEFINetwork nor the "
                           "first device of a class in FixedBootOrder (%s)"
                           % (order[0] if order else None, first, ", ".join(fixed.classes)))
    return client.patch(fixed.uri, fixed.payload(first, [n for n in names if n in fixed.network]), etag=None)


def first_option_name(client, system, ref):
    """The DisplayName of boot option `ref`, read alone (Supermicro's option Id is its reference), or None."""
    for uri in resources.members_optional(client, resources.link(system, "Boot", "BootOptions")):
        if uri.rstrip("/").rsplit("/", 1)[-1] == ref:
            return (resources.get_optional(client, uri) or {}).get("DisplayName")
    return None


def order_read_back(fixed, boot_order, first_name, read_options):
    """{"BootOrder": [...]} when FixedBootOrder puts an iSCSI option first that Boot.BootOrder does not
    (the order a fallback wrote); else {}. An iSCSI option first in either place counts as first.
    Reads are spared: `first_name()` gives the DisplayName of Boot.BootOrder's first option, and
    `read_options()` all boot options only when that is not the one FixedBootOrder leads with."""
    name = fixed.first_network_name()
    if not name or not is_iscsi({"DisplayName": name}):
        return {}
    if boot_order and first_name() == name:
        return {}
    ref = next((r for r, o in read_options().items() if o.get("DisplayName") == name), None)
    order = list(boot_order or [])
    if ref is None or (order and order[0] == ref):
        return {}
    return {"BootOrder": [ref] + [r for r in order if r != ref]}
