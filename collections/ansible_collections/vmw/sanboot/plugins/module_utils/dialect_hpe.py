# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPE iLO 5 and iLO 6 (docs/behaviour.md has the table; ../notes/vendors.md section 2 the sources).

- Ports: the standard NetworkDeviceFunctions, then the BaseNetworkAdapters ports that have none
  (AdapterPort); each maps to a BIOS NIC source `Slot<X>NicBoot<Y>` through BaseNetworkAdapters and
  the BIOS mappings (dialect_hpe_ports).
- iSCSI in two places: `bios`, the System ROM's software initiator (dialect_hpe_iscsi), on every
  mapped port; `nic`, a DCi/RDE adapter's writable NetworkDeviceFunction.iSCSIBoot with a
  settings object (iLO 6), through the standard channel.
- Every settings PATCH answers 200 with an error-shaped SystemResetRequired body (a success; no
  job, no task) and applies at the next reset; no If-Match is sent (weak ETags; HPE's examples
  send none). No pending conflicts: the last PATCH wins.
- Boot order: HPE's boot settings (StructuredBootStrings), not during POST (dialect_hpe_boot).
- Boot evidence: dialect_hpe_watch. There is no LastResetTime and no PowerCycle."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_hpe_boot as boot
from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.bios_text import lun_from_text
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_iscsi import HpeIscsiChannel, attempt_of
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_ports import NicSources, adapter_only_ports, read_adapters
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_watch import HpeWatch, hpe_of
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import NicChannel

NIC_SECRET_LENGTHS = (0, 12, 16)   # iLO 6 NetworkDeviceFunction CHAPSecret (doc)
ILO_GENERATION = re.compile(r"\biLO\s*(\d+)", re.IGNORECASE)
# PostStates a reset moves into; the rest (InPostDiscoveryComplete, FinishedPost) is a boot under way going on.
RESET_STATES = ("PowerOff", "InPost", "Reset", "InPostDiscoveryStart")
# PostStates of a host with no OS (HPE's docs, vendors.md 2.4: POST, then UEFI, where a boot menu or a UEFI
# application stays); FinishedPost is an OS booting or booted.
NO_OS_POST_STATES = ("InPost", "InPostDiscoveryStart", "InPostDiscoveryComplete")


class HpeNicChannel(NicChannel):
    """The standard channel on an iLO 6 DCi/RDE adapter, with iLO's CHAP secret rule checked first."""

    def check(self, client, desired):
        for key, field in (("CHAPSecret", "chap.secret"), ("MutualCHAPSecret", "chap.mutual_secret")):
            if desired.get(key) is not None and len(desired[key]) not in NIC_SECRET_LENGTHS:
                raise ValidationError(field, "iLO's NIC iSCSI boot takes a CHAP secret of exactly 12 or 16 characters")


class HpeDialect(DmtfDialect):
    # why the role's one-reset rollout is not possible here (first_boot.plan)
    isolation_unsupported = ("iLO's boot options have no BootOptionEnabled, and its boot order applies only at a reset (HPE boot "
                             "settings)")
    name = "hpe"

    def __init__(self, client=None, variant=None):
        super().__init__(client, variant)
        self._system = None     # (uri, body) of the computer system, read once per run
        self._bios = None       # (uri, body) of its Bios
        self._iscsi = None      # (uri, body) of the software initiator's current resource
        self._staged = None     # its settings object's body (what the next reset applies)
        self._sources = None    # NicSources
        self._adapters = None   # [(uri, body)] of the BaseNetworkAdapters, read once per run

    @classmethod
    def detect(cls, root):
        return root.get("Vendor") == "HPE" or "Hpe" in (root.get("Oem") or {})

    def identify(self, client):
        """ilo6 when the manager's Model or FirmwareVersion names iLO 6 or later (iLO 7 is read as 6), else ilo5."""
        self.client = client
        for uri in resources.members_optional(client, resources.link(client.root, "Managers"))[:1]:
            self._manager = resources.get_optional(client, uri) or {}
        manager = self._manager or {}
        generations = [int(n) for n in ILO_GENERATION.findall("%s %s" % (manager.get("Model") or "",
                                                                         manager.get("FirmwareVersion") or ""))]
        self.variant = "ilo6" if generations and max(generations) >= 6 else "ilo5"
        return self.variant

    # -- the resources, read once per run (links only: iLO's are lower case with trailing slashes) ---
    def system(self, client):
        if self._system is None:
            uri = resources.system_uri(client)
            self._system = (uri, resources.get_optional(client, uri) or {})
        return self._system

    def bios(self, client):
        if self._bios is None:
            uri = resources.link(self.system(client)[1], "Bios")
            self._bios = (uri, resources.get_optional(client, uri) or {})
        return self._bios

    def bios_uri(self, client):
        return self.bios(client)[0]

    def iscsi(self, client):
        if self._iscsi is None:
            uri = resources.link(self.bios(client)[1], "Oem", "Hpe", "Links", "iScsi")
            self._iscsi = (uri, resources.get_optional(client, uri) or {})
        return self._iscsi

    def iscsi_uri(self, client):
        return self.iscsi(client)[0]

    def adapters(self, client):
        if self._adapters is None:
            self._adapters = read_adapters(client, self.system(client)[1])
        return self._adapters

    def ilo_clock(self, client, system):
        """The iLO's DateTime, read once per run."""
        return self.manager(client, system).get("DateTime")

    def nic_source(self, client, port):
        """(source, why): the port's BIOS NIC source for the software initiator."""
        if not self.iscsi(client)[1]:
            return None, "the BIOS links no iSCSI software initiator (Oem.Hpe.Links.iScsi)"
        if self._sources is None:
            self._sources = NicSources(client, self.adapters(client), self.bios(client)[1],
                                       self.iscsi(client)[1].get("iSCSINicSources"))
        return self._sources.source(port.mac)

    # -- ports and methods -----------------------------------------------------------------------
    def ports(self, client, system_uri=None):
        seen = set()
        for port in super().ports(client, system_uri):
            seen.add(port.mac)
            yield port
        yield from adapter_only_ports(self.adapters(client), seen)

    def find_port(self, client, selector, system_uri=None):
        """The standard lookup; a port iLO lists only in BaseNetworkAdapters where that finds none
        (never one whose MAC a NetworkDeviceFunction has)."""
        try:
            return super().find_port(client, selector, system_uri)
        except SanbootError:
            selector = selector or {}
            mac, adapter_id, function_id = selector.get("mac"), selector.get("adapter_id"), selector.get("function_id")
            seen = {port.mac for port in super().ports(client, system_uri)}
            for port in adapter_only_ports(self.adapters(client), seen):
                if (mac and port.mac == mac) or (not mac and adapter_id in (None, port.adapter_id) and
                                                 function_id in (None, port.function_id) and self.port_capable(port)):
                    return port
            raise

    @staticmethod
    def nic_support(port):
        """A DCi/RDE adapter's function: a populated iSCSIBoot and a settings object to write it through."""
        return bool(port.body.get("iSCSIBoot")) and bool(port.settings_uri)

    def port_capable(self, port):
        return self.nic_support(port) or (self.client is not None and self.nic_source(self.client, port)[0] is not None)

    def iscsi_methods(self, client, port):
        methods = ["nic"] if self.nic_support(port) else []
        return methods + (["bios"] if self.nic_source(client, port)[0] else [])

    def _bios_channel(self, client, port, source, state="present"):
        (iscsi_uri, iscsi), (bios_uri, bios) = self.iscsi(client), self.bios(client)
        return HpeIscsiChannel(port, source, iscsi_uri, iscsi, bios_uri, bios, state, staged=self._staged)

    def _has_attempt(self, client, source):
        """An attempt of the software initiator names `source` once pending settings apply (the settings
        object's list where it has one, else the current one: as the channel reads them). The settings
        object read here is handed to the channel, so a run reads it once."""
        iscsi = self.iscsi(client)[1]
        if self._staged is None:
            self._staged = resources.get_optional(
                client, resources.link(iscsi.get("@Redfish.Settings") or {}, "SettingsObject")) or {}
        return attempt_of(self._staged.get("iSCSISources") or iscsi.get("iSCSISources"), source) is not None

    def shown_channel(self, client, port):
        """The software initiator when one of its attempts names this port, else the NIC's iSCSIBoot."""
        source, _why = self.nic_source(client, port)
        if source and attempt_of(self.iscsi(client)[1].get("iSCSISources"), source) is not None:
            return self._bios_channel(client, port, source)
        if port.body.get("iSCSIBoot"):
            return HpeNicChannel(self, port)
        return self._bios_channel(client, port, source) if source else None

    def iscsi_channel(self, client, port, state, method="auto", desired=None):
        method = method or "auto"
        if method not in ("auto", "nic", "bios"):
            raise ValidationError("iscsi_method", "unknown method %s" % method)
        source, why = self.nic_source(client, port)
        # auto: the channel that already holds this port's configuration, so absent clears it there.
        if method == "auto" and source and self._has_attempt(client, source):
            return self._bios_channel(client, port, source, state)
        if method in ("auto", "nic") and self.nic_support(port):
            return HpeNicChannel(self, port)
        if method == "nic":
            raise SanbootError("iscsi_method nic: port %s (%s) has no writable NetworkDeviceFunction iSCSIBoot with a "
                               "settings object (only iLO 6 DCi/RDE adapters have one); use iscsi_method bios"
                               % (port.function_id, port.mac), field="iscsi_method")
        if source:
            return self._bios_channel(client, port, source, state)
        raise SanbootError("port %s (%s) cannot boot from iSCSI: %s%s" % (
            port.function_id, port.mac, "its NIC offers no iSCSIBoot, and for the BIOS software initiator "
            if method == "auto" else "", why), field="port" if method == "auto" else "iscsi_method")

    # -- writing and applying -------------------------------------------------------------------
    def write_etag(self, etag):
        return None

    # -- boot order -------------------------------------------------------------------------------
    def boot_settings(self, client):
        return boot.BootSettings(client, self.bios(client)[1])

    def pending_boot(self, client, system):
        return boot.pending_order(client, self.boot_settings(client), system)

    def write_boot(self, client, uri, system, etag, change):
        change, pending = dict(change), False
        if "BootOrder" in change:
            settings = self.boot_settings(client)
            if not settings.settings_uri:
                raise SanbootError("the HPE boot settings (Bios Oem.Hpe.Links.Boot) advertise no settings object")
            strings = settings.as_strings(change.pop("BootOrder"))
            boot.patch_outside_post(client, uri, system, settings.settings_uri, {"PersistentBootConfigOrder": strings},
                                    clock=lambda: self.ilo_clock(client, system))
            pending = True
        if change:
            boot.patch_outside_post(client, uri, system, uri, {"Boot": change}, clock=lambda: self.ilo_clock(client, system))
        return {"job": None, "pending": pending}

    def find_boot_option(self, options, target=None, lun=None, display_name=None):
        """By the iSCSI(<iqn>,0x1,0x<lun>,...) node of the device path; else by the StructuredBootString
        the software initiator gave the attempt for this target."""
        found = super().find_boot_option(options, target, lun, display_name)
        if found or display_name is not None or target is None or self.client is None:
            return found
        for slot in self.iscsi(self.client)[1].get("iSCSISources") or []:
            if str(slot.get("iSCSITargetName") or "").lower() == target.lower() and slot.get("StructuredBootString") and \
                    (lun is None or lun_from_text(slot.get("iSCSILUN")) == lun):
                ref = self.boot_settings(self.client).ref_of.get(slot["StructuredBootString"])
                if ref in options:
                    return ref
        return None

    # -- reset and boot evidence ------------------------------------------------------------------
    def boot_marker(self, client, system):
        """The iLO's clock before the reset (the manager's DateTime)."""
        return self.manager(client, system).get("DateTime")

    def post_state(self, system):
        return hpe_of(system).get("PostState")

    def reset_seen(self, before, system):
        """A new device discovery, a move into a reset's PostState, or BootProgress going back to an
        earlier state; a boot already under way going on (InPost -> ... -> FinishedPost) is none."""
        then, now = hpe_of(before), hpe_of(system)
        stamp = now.get("PostDiscoveryCompleteTimeStamp")
        if stamp and stamp != then.get("PostDiscoveryCompleteTimeStamp"):
            return True
        if now.get("PostState") in RESET_STATES and now.get("PostState") != then.get("PostState"):
            return True
        return waiter.went_back(before, system)

    def boot_watch(self, client, uri, since, wanted):
        return HpeWatch(self, client, uri, since, wanted)

    def os_state(self, system):
        """Oem.Hpe.PostState, on every iLO 5 and 6 (captures): FinishedPost (an OS booting or booted,
        HPE's docs) or an OS state in BootProgress (iLO 6) -> True; InPost, InPostDiscoveryStart,
        InPostDiscoveryComplete (POST, then UEFI: a boot menu or a UEFI application) -> False;
        PowerOff, Reset, Unknown, Null or none -> None. BootProgress alone never says False here."""
        post = hpe_of(system).get("PostState")
        evidence = "Oem.Hpe.PostState is %s" % post
        running, progress = DmtfDialect.os_state(self, system)
        if running:
            return True, progress
        if post == "FinishedPost":
            return True, evidence
        if post in NO_OS_POST_STATES:
            return False, evidence
        return None, evidence if post else "Oem.Hpe.PostState is absent"
