# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Supermicro X12 and X13 (docs/behaviour.md has the table; ../notes/vendors.md section 4 the sources).

- No iSCSI over Redfish: the NetworkDeviceFunctions carry no iSCSIBoot and no settings object,
  the BIOS no iSCSI attribute (X13 capture). iscsi_boot is refused (present and absent: the values
  cannot be read either) before anything is written; the ports are listed with no iSCSI method.
  The port's iSCSI values are set in the NIC's option ROM or BIOS setup, and the role runs with
  `sanboot_configure_iscsi: false`.
- Boot options have no device path: the iSCSI option is found by its DisplayName.
- Boot order: Boot.BootOrder, or OEM FixedBootOrder where the model refuses it (dialect_supermicro_boot).
- BIOS changes pending in /Bios/SD (no `Attributes` when none is pending). No jobs, no tasks.
- Reset types from the ResetActionInfo (no inline AllowableValues); the reset is seen in Log1.
- BootProgress proves POST done, not the OS (dialect_supermicro_watch): without the network
  proof wait_for_boot reports the host `unverified`."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_supermicro_boot as boot
from ansible_collections.vmw.sanboot.plugins.module_utils import ports, resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro_watch import SupermicroWatch, reset_entries
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError

BOARD_GENERATION = re.compile(r"^X(\d+)", re.IGNORECASE)
NO_ISCSI = ("this BMC cannot set (or read) iSCSI boot over Redfish: Supermicro exposes no iSCSI boot settings "
            "(no NetworkDeviceFunction iSCSIBoot, no BIOS attribute). Set the port's iSCSI values in the NIC's "
            "option ROM or the BIOS setup, and run the role with sanboot_configure_iscsi: false")


class SupermicroDialect(DmtfDialect):
    # why the role's one-reset rollout is not possible here (first_boot.plan)
    isolation_unsupported = ("the X13 applies its boot order (FixedBootOrder) only at a reset, so the iSCSI option cannot be made "
                             "first after the first boot without another reset")
    name = "supermicro"

    def __init__(self, client=None, variant=None):
        super().__init__(client, variant)
        self._fixed = None          # FixedBootOrder, read once per run
        self._marker = None         # the BMC clock read before a reset (boot_marker)
        self._reset_watch = None    # what reset_seen reads the SEL through

    @classmethod
    def detect(cls, root):
        return str(root.get("Vendor") or "").lower() == "supermicro" or "Supermicro" in (root.get("Oem") or {})

    def identify(self, client):
        """x<N> from the board model of the first chassis (X13DEG-OAD: x13), x13 when it names none.
        The board model names the generation; the system Model (SYS-821GE-TNHR), BIOS version and
        BMC firmware version do not, reliably. No behaviour depends on the variant yet."""
        self.client = client
        self.variant = "x13"
        for uri in resources.chassis_uris(client)[:1]:
            found = BOARD_GENERATION.match(str((resources.get_optional(client, uri) or {}).get("Model") or ""))
            if found:
                self.variant = "x%s" % found.group(1)
        return self.variant

    # -- ports and iSCSI: none over Redfish ------------------------------------------------------
    def find_port(self, client, selector, system_uri=None):
        """Any Ethernet function (none is iSCSI-capable here): the refusal that follows names the real reason."""
        return ports.find_port(client, selector or {}, lambda port: True, system_uri)

    def port_capable(self, port):
        return False

    def iscsi_methods(self, client, port):
        return []

    def shown_channel(self, client, port):
        return None

    def iscsi_channel(self, client, port, state, method="auto", desired=None):
        raise SanbootError(NO_ISCSI, field="iscsi_boot", unsupported=True)

    # -- BIOS ----------------------------------------------------------------------------------------
    def pending_bios(self, client, system):
        """The BIOS attributes waiting in /Bios/SD for the next reset ({} when it has no Attributes)."""
        bios = resources.get_optional(client, resources.link(system, "Bios")) or {}
        staged = resources.get_optional(client, resources.link(bios.get("@Redfish.Settings") or {}, "SettingsObject")) or {}
        return dict(staged.get("Attributes") or {})

    # -- boot order ------------------------------------------------------------------------------------
    def fixed_order(self, client, system):
        if self._fixed is None:
            self._fixed = boot.FixedBootOrder(client, system)
        return self._fixed

    def pending_boot(self, client, system):
        """The order a FixedBootOrder fallback wrote, where Boot.BootOrder does not show it."""
        fixed = self.fixed_order(client, system)
        if not fixed.uri:
            return {}
        order = (system.get("Boot") or {}).get("BootOrder") or []
        return boot.order_read_back(fixed, order, lambda: boot.first_option_name(client, system, order[0]),
                                    lambda: resources.boot_options(client, system))

    def first_boot_option(self, client, system):
        """Boot.BootOrder's first option, or the iSCSI option FixedBootOrder leads with where Boot.BootOrder
        does not follow it (the read-back boot_order uses, so both modules agree on what is first)."""
        shown = self.pending_boot(client, system).get("BootOrder")
        return shown[0] if shown else super().first_boot_option(client, system)

    def write_boot(self, client, uri, system, etag, change):
        try:
            client.patch(uri, {"Boot": change}, etag=self.write_etag(etag))
        except RedfishError as exc:
            if "BootOrder" not in change or not boot.refuses_boot_order(exc):
                raise
            rest = {k: v for k, v in change.items() if k != "BootOrder"}
            boot.order_via_fixed(client, self.fixed_order(client, system), change["BootOrder"], resources.boot_options(client, system))
            if rest:
                client.patch(uri, {"Boot": rest}, etag=None)
            return {"job": None, "pending": False, "fallback": "FixedBootOrder"}
        return {"job": None, "pending": False}

    def find_boot_option(self, options, target=None, lun=None, display_name=None):
        """By `display_name`; else the one option whose DisplayName names iSCSI (the firmware lists it
        only after a reset in which the option ROM logged in). Its DisplayName names the port, not the
        target: two iSCSI options are ambiguous and need display_name."""
        if display_name is not None:
            return next((ref for ref, option in options.items() if option.get("DisplayName") == display_name), None)
        found = [ref for ref, option in options.items() if boot.is_iscsi(option)]
        if len(found) > 1:
            raise SanbootError("%d boot options name iSCSI (%s); Supermicro's options name the port, not the target: "
                               "choose one with display_name" % (len(found), "; ".join(options[r].get("DisplayName") for r in found)))
        return found[0] if found else None

    # -- reset and boot evidence ------------------------------------------------------------------
    def boot_marker(self, client, system):
        """The BMC's clock (the manager's DateTime) before the reset: reset entries in Log1 come after it."""
        self._marker = self.manager(client, system).get("DateTime")
        return self._marker

    def reset_seen(self, before, system):
        """BootProgress went back to an earlier state, or Log1 has a reset entry since the marker."""
        if waiter.went_back(before, system):
            return True
        if not self._marker or self.client is None:
            return False
        if self._reset_watch is None:   # kept for the run: the log's Entries link is found once
            self._reset_watch = SupermicroWatch(self.client, None, self._marker, None)
        self._reset_watch.system = system
        return bool(reset_entries(self._reset_watch.entries()))

    def boot_watch(self, client, uri, since, wanted):
        return SupermicroWatch(client, uri, since, wanted)

    def os_state(self, system):
        """Always None (unknown): BootProgress stops at SystemHardwareInitializationComplete on powered-on
        hosts (two X13 captures), so it cannot tell an OS from none, and whether it passes through the
        earlier POST states is UNCONFIRMED; the SEL says nothing of the OS either."""
        return None, DmtfDialect.os_state(self, system)[1]
