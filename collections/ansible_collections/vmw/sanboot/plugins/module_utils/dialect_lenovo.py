# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lenovo XClarity Controller: `xcc` and `xcc2` (docs/behaviour.md has the table; ../notes/vendors.md
section 3 the sources).

- Ports: the standard NetworkDeviceFunctions (`slot-N`/`ob-N`, functions `1.1`). Only an adapter whose
  function has iSCSIBoot and a `Pending` settings object can be configured over Redfish; any other is
  refused before a write (whether XCC2/XCC3 adapters offer it is UNCONFIRMED).
- iSCSI: the function's Pending object with If-Match (dialect_lenovo_iscsi); 200 RebootRequired, applied
  at the next reset; no jobs, no tasks.
- Boot order: classes through /Systems/1/Pending (or the OEM BootOrder.BootOrder on older firmware)
  and the port's iSCSI entry first in the OEM NetworkBootOrder (dialect_lenovo_boot).
- Boot evidence: Oem.Lenovo.SystemStatus and NumberOfReboots, XCC2's BootProgress, the PlatformLog
  (dialect_lenovo_watch).
- Resets: no PowerCycle, and GracefulRestart is not reliable on some models: power's fallback is
  ForceOff, wait for Off, then On (Lenovo's advice), never ForceRestart (it can hang some models)."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_lenovo_boot as boot
from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_lenovo_watch as watch
from ansible_collections.vmw.sanboot.plugins.module_utils import ports, resources
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo_iscsi import LenovoNicChannel
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError

_GENERATION = re.compile(r"Controller\s*(\d+)\s*$", re.IGNORECASE)


class LenovoDialect(DmtfDialect):
    # why the role's one-reset rollout is not possible here (first_boot.plan)
    isolation_unsupported = ("the XCC stages a boot order for the next reset (its boot options are boot classes), so the iSCSI "
                             "option cannot be made first after the first boot without another reset")
    name = "lenovo"
    restart_by_power_off = True     # power's fallback: ForceOff, wait for Off, then On

    def __init__(self, client=None, variant=None):
        super().__init__(client, variant)
        self._boot = None           # LenovoBoot of the current plan
        self._entry = None          # the iSCSI entry find_boot_option found in NetworkBootOrder

    @classmethod
    def detect(cls, root):
        return root.get("Vendor") == "Lenovo" or "Lenovo" in (root.get("Oem") or {})

    def identify(self, client):
        """xcc2 when the manager's Model names controller 2 or later ("Lenovo XClarity Controller 2"), else xcc."""
        self.client = client
        for uri in resources.members_optional(client, resources.link(client.root, "Managers"))[:1]:
            self._manager = resources.get_optional(client, uri) or {}
        found = _GENERATION.search((self._manager or {}).get("Model") or "")
        self.variant = "xcc2" if found and int(found.group(1)) >= 2 else "xcc"
        return self.variant

    # -- ports and the iSCSI channel -------------------------------------------------------------------
    @staticmethod
    def nic_support(port):
        """The function carries iSCSIBoot and a settings object (Pending) to write it through."""
        return "iSCSIBoot" in port.body and bool(port.settings_uri)

    def port_capable(self, port):
        return self.nic_support(port)

    def iscsi_methods(self, client, port):
        return ["nic"] if self.nic_support(port) else []

    def shown_channel(self, client, port):
        return LenovoNicChannel(self, port) if self.nic_support(port) else None

    def iscsi_channel(self, client, port, state, method="auto", desired=None):
        if method not in (None, "auto", "nic"):
            raise ValidationError("iscsi_method", "%s is not offered by the lenovo dialect (use auto or nic)" % method)
        if not self.nic_support(port):
            raise SanbootError("port %s/%s (%s): the adapter offers no Pending iSCSI settings over Redfish (its "
                               "NetworkDeviceFunction has no iSCSIBoot or no @Redfish.Settings); set this port's iSCSI "
                               "boot in the adapter's UEFI setup (or run with sanboot_configure_iscsi: false), or choose "
                               "a port whose adapter offers them" % (port.adapter_id, port.function_id, port.mac),
                               field="port")
        return LenovoNicChannel(self, port)

    # -- boot order ------------------------------------------------------------------------------------
    def boot_places(self, client, system):
        """The boot-order places read for this plan (pending_boot starts a plan), else a new reader."""
        # the same system read again (wait_for_boot's polls) keeps the orders already read this run
        if self._boot is None or self._boot.system.get("@odata.id") != system.get("@odata.id"):
            self._boot = boot.LenovoBoot(client, system)
        return self._boot

    def pending_boot(self, client, system):
        self._boot = boot.LenovoBoot(client, system)
        options = resources.boot_options(client, system) if not self._boot.settings_uri else {}
        scheduled = self._boot.scheduled_classes(options)
        pending = {"BootOrder": scheduled} if scheduled else {}
        # a network device order staged for the next reset (BootOrderNext) is pending too: a run that finds
        # the iSCSI entry already first there must still reset before the boot can be verified
        network = self._boot.order(boot.NETWORK_ORDER)
        if network is not None and network.next and network.next != network.current:
            pending["NetworkBootOrder"] = list(network.next)
        return pending

    def find_boot_option(self, options, target=None, lun=None, display_name=None):
        """The Network class, when the port configured for this target has its iSCSI entry in the
        NetworkBootOrder (the firmware adds it after a reset in which the port logged in); or by name."""
        self._entry = None
        if display_name is not None or target is None or self.client is None:
            return super().find_boot_option(options, target, lun, display_name)
        network = boot.network_class(options)
        self._entry = self.iscsi_entry(self.client, target, lun)
        return network if network and self._entry else None

    def iscsi_entry(self, client, target, lun=None):
        """The NetworkBootOrder entry of the port whose current iSCSIBoot names this target (and LUN), or None."""
        if self._boot is None:
            self._boot = boot.LenovoBoot(client, resources.get_optional(client, resources.system_uri(client)) or {})
        network = self._boot.order(boot.NETWORK_ORDER)
        entries = (network.supported or network.current) if network else []
        if not any(boot.ISCSI_WORD.search(e) for e in entries):
            return None     # no login yet: the ports need not be read
        every = ports.all_ports(client)
        for port in every:
            iscsi = port.body.get("iSCSIBoot") or {}
            if str(iscsi.get("PrimaryTargetName") or "").lower() == target.lower() and \
                    (lun is None or iscsi.get("PrimaryLUN") == lun):
                entry = boot.iscsi_entry(entries, port)
                if entry:
                    return entry
        # No Redfish iSCSIBoot names the target: the port was set up in its UEFI/option ROM setup
        # (sanboot_configure_iscsi false). One iSCSI entry is then that port's; several are ambiguous.
        named = [p for p in every if (p.body.get("iSCSIBoot") or {}).get("PrimaryTargetName")]
        iscsi = [e for e in entries if boot.ISCSI_WORD.search(e)]
        if not named and len(iscsi) == 1:
            return iscsi[0]
        return None

    def device_order_change(self, client, system, ref):
        """The found port's iSCSI entry first in NetworkBootOrder's BootOrderNext: {"NetworkBootOrder": [...]}, or {}."""
        network = self.boot_places(client, system).order(boot.NETWORK_ORDER) if self._entry else None
        if network is None or (network.next and network.next[0] == self._entry):
            return {}
        return {"NetworkBootOrder": boot.first(network.next or network.current, self._entry)}

    def device_not_first(self, client, system, ref):
        """The port's iSCSI entry is not first in NetworkBootOrder's BootOrderCurrent (what the last reset used)."""
        network = self.boot_places(client, system).order(boot.NETWORK_ORDER) if self._entry else None
        if network is None or (network.current and network.current[0] == self._entry):
            return None
        return "its iSCSI entry (%s) is not first in the network boot order (%s)" % (self._entry, "; ".join(network.current))

    def device_order(self, client, system):
        """The Network class's devices as the last reset ordered them (OEM NetworkBootOrder)."""
        network = self.boot_places(client, system).order(boot.NETWORK_ORDER)
        return {"Network": network.current} if network else None

    def write_boot(self, client, uri, system, etag, change):
        change, pending = dict(change), False
        places = self.boot_places(client, system)
        if "BootOrder" in change:
            places.write_classes(change.pop("BootOrder"), resources.boot_options(client, system)
                                 if not places.settings_uri else {})
            pending = True
        if "NetworkBootOrder" in change:
            places.write_network(change.pop("NetworkBootOrder"))
            pending = True
        if change:      # one-time overrides act on the system itself
            client.patch(uri, {"Boot": change}, etag=self.write_etag(etag))
        return {"job": None, "pending": pending}

    # -- reset and boot evidence -----------------------------------------------------------------------
    def boot_marker(self, client, system):
        """The BMC's clock and Oem.Lenovo.NumberOfReboots before the reset (dialect_lenovo_watch.marker)."""
        return watch.marker(self.manager(client, system).get("DateTime"), system)

    def post_state(self, system):
        return watch.lenovo_of(system).get("SystemStatus")

    def reset_seen(self, before, system):
        then, now = watch.reboots(before), watch.reboots(system)
        return then is not None and now is not None and now != then

    def boot_watch(self, client, uri, since, wanted):
        return watch.LenovoWatch(client, uri, since, wanted)

    def os_state(self, system):
        """Oem.Lenovo.SystemStatus OSBooted or BootingOSOrInUndetectedOS (an ESXi without an in-band
        agent stays at it; CAP-L283), or an OS state in XCC2's BootProgress -> True; anything else
        -> None, never False: the pre-OS statuses (SystemOn_StartingUEFI, SystemRunningInUEFI,
        SystemRunningInSetup) are names from scripts, no capture shows one and when XCC moves them is
        UNCONFIRMED, and XCC2's BootProgress is UNCONFIRMED too (vendors.md 3.4, section 8.4)."""
        status = watch.lenovo_of(system).get("SystemStatus")
        running, progress = DmtfDialect.os_state(self, system)
        if running:
            return True, progress
        evidence = "Oem.Lenovo.SystemStatus is %s" % status if status else "Oem.Lenovo.SystemStatus is absent"
        return (True if status in watch.BOOTED else None), evidence
