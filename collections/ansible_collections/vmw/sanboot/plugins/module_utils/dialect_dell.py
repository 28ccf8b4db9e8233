# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dell iDRAC9 and iDRAC10 (docs/behaviour.md has the table; ../notes/vendors.md the sources).

- Ports: NetworkDeviceFunctions with FQDD ids (NIC.Slot.1-1-1), found by the standard link walk.
- iSCSI in two places: `nic` (NetworkDeviceFunction.iSCSIBoot through its SettingsObject, which
  sits under /Systems while the resource is under /Chassis) and `bios` (dialect_dell_bios).
- Writes carry an apply time and start a job (dialect_dell_jobs); no If-Match is ever sent
  (bodies carry no ETag; iDRAC refuses If-Match on action POSTs with 412).
- Boot order: the ComputerSystem's SettingsObject where advertised (iDRAC9 7.x, iDRAC10), else a
  PATCH of the system; both create a BIOSConfiguration job applied at the next reset.
- The iSCSI boot option is a VenHw placeholder named "ISCSI Device <n>: <port>".
- Boot evidence: dialect_dell_watch."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_dell_jobs as jobs
from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell_bios import BiosChannel, bios_serves, has_initiator
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell_watch import DellWatch
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import NicChannel

ISCSI_OPTION_PREFIX = "iscsi device"


class DellDialect(DmtfDialect):
    # why the role's one-reset rollout is not possible here (first_boot.plan)
    isolation_unsupported = ("the iDRAC applies a boot order only at a reset (a BIOS configuration job), so the iSCSI option "
                             "cannot be made first after the first boot without another reset")
    name = "dell"

    def __init__(self, client=None, variant=None):
        super().__init__(client, variant)
        self._nic_cache = {}  # port URI -> (usable, why)
        self._bios = None     # (uri, body) of the system's Bios, read once per run

    @classmethod
    def detect(cls, root):
        return root.get("Vendor") == "Dell" or "Dell" in (root.get("Oem") or {})

    def identify(self, client):
        """The variant from the manager: idrac10 for a 17G model or a firmware major below 3."""
        for uri in resources.members_optional(client, resources.link(client.root, "Managers"))[:1]:
            self._manager = resources.get_optional(client, uri) or {}
        manager = self._manager or {}
        model, firmware = str(manager.get("Model") or ""), str(manager.get("FirmwareVersion") or "")
        major = firmware.split(".", 1)[0]
        self.variant = "idrac10" if model.startswith("17G") or (major.isdigit() and int(major) < 3) else "idrac9"
        return self.variant

    def manager_uri(self, client):
        return (self._manager or {}).get("@odata.id") or \
            (resources.members_optional(client, resources.link(client.root, "Managers")) or [""])[0]

    # -- ports and methods -----------------------------------------------------------------------
    def port_capable(self, port):
        return port.iscsi_capable or bool(port.body.get("iSCSIBoot"))

    def nic_support(self, client, port):
        """(usable, why): the NIC firmware's own iSCSI boot. Capabilities are not enough (iDRAC
        7.10 shows a full iSCSIBoot on a port whose capabilities say only Disabled): the
        DellNetworkAttributes must report iSCSIBootSupport Available and iSCSIBoot be populated."""
        if port.uri not in self._nic_cache:
            self._nic_cache[port.uri] = self._nic_support(client, port)
        return self._nic_cache[port.uri]

    def _nic_support(self, client, port):
        if not port.body.get("iSCSIBoot"):
            return False, "its iSCSIBoot is empty"
        attributes = resources.link(port.body, "Links", "Oem", "Dell", "DellNetworkAttributes")
        support = ((resources.get_optional(client, attributes) or {}).get("Attributes") or {}).get("iSCSIBootSupport")
        if support is None:
            return port.iscsi_capable, "NetDevFuncCapabilities %s" % (port.body.get("NetDevFuncCapabilities") or [])
        return support == "Available", "iSCSIBootSupport is %s" % support

    def bios(self, client):
        """(uri, body) of the system's Bios resource (cached), or (None, {})."""
        if self._bios is None:
            system = resources.get_optional(client, resources.system_uri(client)) or {}
            uri = resources.link(system, "Bios")
            self._bios = (uri, resources.get_optional(client, uri) or {})
        return self._bios

    def bios_support(self, client, port):
        uri, body = self.bios(client)
        return bool(uri) and has_initiator(body.get("Attributes"))

    def iscsi_methods(self, client, port):
        methods = ["nic"] if self.nic_support(client, port)[0] else []
        return methods + (["bios"] if self.bios_support(client, port) else [])

    def shown_channel(self, client, port):
        """The BIOS initiator when it is enabled on this port, else the NIC's iSCSIBoot where the port has it."""
        uri, body = self.bios(client)
        if uri and bios_serves(body.get("Attributes"), port.function_id):
            return BiosChannel(self, port, uri, body)
        return NicChannel(self, port) if port.body.get("iSCSIBoot") else None

    def iscsi_channel(self, client, port, state, method="auto", desired=None):
        method = method or "auto"
        if method not in ("auto", "nic", "bios"):
            raise ValidationError("iscsi_method", "unknown method %s" % method)
        nic, why = self.nic_support(client, port) if method in ("auto", "nic") else (False, "")
        if method == "nic" and not nic:
            raise SanbootError("iscsi_method nic: port %s cannot boot from iSCSI through its NIC firmware (%s)"
                               % (port.function_id, why), field="iscsi_method")
        if nic and (desired or {}).get("MutualCHAPUsername") and "MutualCHAPUsername" not in port.body["iSCSIBoot"]:
            # iDRAC9 6.x: the function's iSCSIBoot has no mutual CHAP keys (a PATCH naming them is refused).
            if method == "nic":
                raise ValidationError("chap.mutual_username", "port %s's NIC iSCSI boot (iSCSIBoot) offers no mutual CHAP "
                                      "on this iDRAC; use iscsi_method bios" % port.function_id)
            nic, why = False, "its iSCSIBoot offers no mutual CHAP"
        if nic:
            return NicChannel(self, port)
        if self.bios_support(client, port):
            uri, body = self.bios(client)
            return BiosChannel(self, port, uri, body)
        raise SanbootError("port %s cannot boot from iSCSI: %s%s, and the BIOS has no iSCSI initiator (IscsiDev1) attributes"
                           % (port.function_id, "its NIC firmware offers no iSCSI boot, " if method == "auto" else "",
                              why or "iscsi_method bios"), field="iscsi_method" if method != "auto" else "port")

    # -- writing and applying -------------------------------------------------------------------
    def write_etag(self, etag):
        return None

    def applied(self, client, reply, job_type=None):
        location = reply.header("Location") if reply is not None else None
        if reply is not None and reply.status == 202 and location:
            return {"job": jobs.job_uri(location, self.manager_uri(client))}
        return {}

    def track(self, client, applied, timeout, interval, wait=False):
        if not applied.get("job"):
            return super().track(client, applied, timeout, interval)
        job = jobs.wait(client, applied["job"], timeout, interval) if wait else jobs.read(client, applied["job"])
        return {"job": job}

    def pending_conflict(self, error):
        if jobs.is_conflict(error):
            return "a configuration job is already pending for this target (%s)" % "; ".join(error.extended)
        return None

    def clear_pending(self, client, target_uri, job_type=None):
        """Delete the pending (Scheduled) jobs of this target and their staged values; returns their
        ids. A Running job is not touched: the write after it is refused again, with the BMC's message."""
        found = jobs.scheduled(client, self.manager_uri(client), job_type, target_uri)
        for job in found:
            client.delete(job["uri"])
        return [job["id"] for job in found]

    # -- boot order -------------------------------------------------------------------------------
    def _system_settings(self, system):
        return resources.link(system.get("@Redfish.Settings") or {}, "SettingsObject")

    def pending_boot(self, client, system):
        settings = self._system_settings(system)
        if not settings:
            return {}  # iDRAC9 6.x: only the Scheduled job shows that an order is pending
        order = ((resources.get_optional(client, settings) or {}).get("Boot") or {}).get("BootOrder")
        return {"BootOrder": order} if order else {}

    def scheduled_boot_job(self, client, uri, system):
        """iDRAC9 6.x shows a pending order only through its Scheduled BIOSConfiguration job on the
        system (a second write would be refused SYS011); 7.x and iDRAC10 show it in the settings object."""
        if self._system_settings(system):
            return None
        found = jobs.scheduled(client, self.manager_uri(client), "BIOSConfiguration", uri)
        return next((job for job in found if job.get("target") == uri), None)

    def write_boot(self, client, uri, system, etag, change):
        change = dict(change)
        settings = self._system_settings(system)
        replies = []
        if settings and "BootOrder" in change:
            replies.append(client.patch(settings, {"Boot": {"BootOrder": change.pop("BootOrder")},
                                                   "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}))
        if change:
            replies.append(client.patch(uri, {"Boot": change}))
        job = None
        for reply in replies:
            applied = self.applied(client, reply)
            if applied.get("job"):
                job = jobs.read(client, applied["job"])
        return {"job": job, "pending": bool(job and job["state"] in jobs.PENDING)}

    def find_boot_option(self, options, target=None, lun=None, display_name=None):
        """Dell names no target in its VenHw placeholder: the option of an iSCSI device is the
        one whose DisplayName starts with "ISCSI Device"; the BIOS lists it only after a reset in
        which that device logged in to its target."""
        if display_name is not None:
            return super().find_boot_option(options, display_name=display_name)
        found = super().find_boot_option(options, target, lun)
        if found:
            return found
        for ref, option in options.items():
            if str(option.get("DisplayName") or "").lower().startswith(ISCSI_OPTION_PREFIX):
                return ref
        return None

    # -- reset and boot evidence ------------------------------------------------------------------
    def boot_marker(self, client, system):
        """The iDRAC's clock before the reset (its DateTime), else the system's LastResetTime."""
        return self.manager(client, system).get("DateTime") or system.get("LastResetTime")

    def reset_seen(self, before, system):
        return system.get("LastResetTime") != before.get("LastResetTime") or \
            waiter.progress(system).get("LastState") != waiter.progress(before).get("LastState")

    def boot_watch(self, client, uri, since, wanted):
        return DellWatch(self, client, uri, since, wanted)

    # os_state (power's "no OS runs" evidence) is DmtfDialect's: BootProgress.LastState where 7.x and
    # iDRAC10 have it (OSRunning captured on 7.10), None where 6.x has none. Dell's states during POST
    # are UNCONFIRMED: no POST state says False, only OEM NoBootableDevice where an OemLastState says so;
    # "None" (a powered-off host, a Dell fixture) and an OEM state without OemLastState stay None.
