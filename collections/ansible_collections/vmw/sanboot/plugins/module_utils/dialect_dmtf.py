# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DMTF standard dialect, and the base every vendor dialect refines.

Everything that differs per vendor is a method here: locating ports, the iSCSI channel (read,
check, write, apply time), what a write's answer means (a task to follow), pending conflicts,
the boot order (read, write, finding the iSCSI option), and the evidence of a finished boot.
The *_ops modules call only these methods and never name a vendor."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_watch, nic_channel, ports, resources, tasks, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError

METHODS = ("auto", "nic", "bios")
# BootProgress states that show an OS started or running (power's graceful request is left to it).
OS_STATES = ("OSBootStarted", "OSRunning")
# No POST state counts as "no OS" for the generic dialect: a BMC that updates BootProgress only from the
# host's POST codes may leave an early POST state in place while the OS runs (OpenBMC-style; a review's
# concern, UNCONFIRMED either way), and forcing a reset there would cut a running OS off. Only the OEM
# state that says the firmware found nothing to boot does (the mockup's; UNCONFIRMED on real BMCs).
# OEM states that say the firmware found nothing to boot (wait_for_boot fails at once on it too).
NO_OS_OEM_STATES = ("NoBootableDevice",)


class DmtfDialect:
    name = "dmtf"
    restart_by_power_off = False    # power's restart fallback is ForceOff, wait for Off, On (Lenovo)

    def __init__(self, client=None, variant=None):
        self.client = client
        self.variant = variant
        self._manager = None  # the manager's body, read once per run

    @classmethod
    def detect(cls, root):
        return True

    def describe(self):
        return {"dialect": self.name, "dialect_variant": self.variant}

    # -- ports -----------------------------------------------------------------------------------
    def ports(self, client, system_uri=None):
        return ports.all_ports(client, system_uri)

    def find_port(self, client, selector, system_uri=None):
        return ports.find_port(client, selector or {}, self.port_capable, system_uri)

    def port_capable(self, port):
        return port.iscsi_capable

    def iscsi_methods(self, client, port):
        """The methods that could configure this port's iSCSI boot (bmc_info)."""
        return ["nic"] if port.iscsi_capable else []

    def port_summary(self, client, port):
        summary = port.summary()
        summary["iscsi_methods"] = self.iscsi_methods(client, port)
        return summary

    # -- iSCSI configuration -----------------------------------------------------------------------
    def shown_channel(self, client, port):
        """The channel holding this port's iSCSI boot values as the BMC reports them (bmc_info), or None."""
        if port.iscsi_capable or port.body.get("iSCSIBoot"):
            return nic_channel.NicChannel(self, port)
        return None

    def iscsi_channel(self, client, port, state, method="auto", desired=None):
        """The channel that reads and writes this port's iSCSI boot values (`desired`: what will be
        written, for dialects whose choice depends on it)."""
        if method not in (None, "auto", "nic"):
            raise ValidationError("iscsi_method", "%s is not offered by the %s dialect (use auto or nic)" % (method, self.name))
        if state == "present" and not port.iscsi_capable:
            raise SanbootError("port %s (%s) is not iSCSI-capable (NetDevFuncCapabilities: %s)"
                               % (port.uri, port.mac, ", ".join(port.body.get("NetDevFuncCapabilities") or [])),
                               field="port")
        return nic_channel.NicChannel(self, port)

    def write_etag(self, etag):
        """The ETag to send as If-Match with a PATCH (None: send none)."""
        return etag

    def applied(self, client, reply, job_type=None):
        """What the answer to a settings write started: {"task": monitor} or {}."""
        if reply is not None and reply.status == 202 and reply.header("Location"):
            return {"task": reply.header("Location")}
        return {}

    def track(self, client, applied, timeout, interval, wait=True):
        """Follow what a write started; returns what the module reports (task or job). A task
        monitor (an Immediate change) is always followed to its end."""
        if applied.get("task"):
            return {"task": tasks.wait_task(client, applied["task"], timeout, interval)}
        return {}

    def pending_conflict(self, error):
        """A write refused because a change is already pending for the target: its description, or None."""
        return None

    def identify(self, client):
        """Read what tells this dialect's variants apart; returns the variant (None here)."""
        return self.variant

    def pending_bios(self, client, system):
        """BIOS attributes waiting for the next reset, where the dialect reads them (bmc_info), else None."""
        return None

    def clear_pending(self, client, target_uri, job_type=None):
        raise SanbootError("clear_pending: the %s dialect has nothing to clear" % self.name)

    # -- boot order ----------------------------------------------------------------------------------
    def pending_boot(self, client, system):
        """Boot properties already scheduled for the next reset ({} when none can be seen)."""
        return {}

    def scheduled_boot_job(self, client, uri, system):
        """A job already scheduled to change the boot order, where only a job shows it, or None."""
        return None

    def device_order(self, client, system):
        """Where the vendor's boot options are classes (Lenovo), the order of the devices inside
        each class it shows, by the class option's DisplayName (bmc_info); else None."""
        return None

    def write_boot(self, client, uri, system, etag, change):
        """Write the Boot properties in `change`; returns {"job": ..., "pending": bool}."""
        client.patch(uri, {"Boot": change}, etag=self.write_etag(etag))
        return {"job": None, "pending": False}

    def device_order_change(self, client, system, ref):
        """More to write for `ref` (the iSCSI option just found) to come first, beyond Boot.BootOrder: {}
        here; Lenovo's boot options are classes, and the port's entry is ordered inside its class."""
        return {}

    # Why the role's one-reset rollout cannot be used on this dialect (None: it can, first_boot.plan). It needs
    # options it can disable (BootOptionEnabled) and an order that takes effect when written, so that it can be
    # made persistent after the verified boot, without a reset.
    isolation_unsupported = None

    def first_boot_option(self, client, system):
        """The BootOptionReference the firmware tries first (wait_for_boot's evidence): Boot.BootOrder's
        first here; a dialect whose order can live elsewhere (Supermicro's FixedBootOrder) reads it there too."""
        order = (system.get("Boot") or {}).get("BootOrder") or []
        return order[0] if order else None

    def device_not_first(self, client, system, ref):
        """Why the device of `ref` (the iSCSI option just found) is not the first tried inside it, or None
        (wait_for_boot's evidence); only Lenovo's options are classes holding devices."""
        return None

    def find_boot_option(self, options, target=None, lun=None, display_name=None):
        """The BootOptionReference of the iSCSI option (by UEFI device path), or of `display_name`."""
        for ref, option in options.items():
            if waiter.option_matches(option, target, lun, display_name):
                return ref
        return None

    # -- reset and boot evidence ------------------------------------------------------------------
    def boot_marker(self, client, system):
        """What `since` is for wait_for_boot, read before a reset: here the last BootProgress time."""
        return waiter.progress(system).get("LastStateTime")

    def post_state(self, system):
        """Where the host is in its POST, where the vendor says so (bmc_info; the role's rollback), or None."""
        return None

    def reset_seen(self, before, system):
        """The system shows that a reset happened since `before` (its body read before the reset)."""
        return waiter.progress(system).get("LastStateTime") != waiter.progress(before).get("LastStateTime")

    def boot_watch(self, client, uri, since, wanted):
        return boot_watch.BootWatch(client, uri, since, wanted)

    def os_running(self, system):
        """Whether an OS runs on this (powered-on) host by the BMC's evidence: True, False, or None
        (unknown). power sends the forced twin of a graceful request at once only on False."""
        return self.os_state(system)[0]

    def os_state(self, system):
        """(os_running, the evidence in words). Here BootProgress.LastState: OSRunning or
        OSBootStarted -> True; the OEM state NoBootableDevice (the firmware found nothing to boot)
        -> False; anything else (absent, None, any POST state, another OEM state) -> None."""
        state = waiter.progress(system).get("LastState")
        if state is None:
            return None, "BootProgress.LastState is absent"
        oem = waiter.progress(system).get("OemLastState")
        evidence = "BootProgress.LastState is %s%s" % (state, " (%s)" % oem if state == "OEM" and oem else "")
        if state in OS_STATES:
            return True, evidence
        if state == "OEM" and oem in NO_OS_OEM_STATES:
            return False, evidence
        return None, evidence

    def manager(self, client, system):
        """The body of the system's manager (cached), or {}."""
        if self._manager is None:
            managers = (system.get("Links") or {}).get("ManagedBy") or []
            uri = managers[0].get("@odata.id") if managers else None
            self._manager = resources.get_optional(client, uri) or {}
        return self._manager
