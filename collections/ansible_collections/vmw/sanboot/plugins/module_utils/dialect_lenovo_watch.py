# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a Lenovo XCC boot. XCC has no BootProgress (XCC2 has one, UNCONFIRMED) and no
LastResetTime; `Oem.Lenovo.NumberOfReboots` counts every reset, so the reset marker (`since`) is the
BMC's clock and that count read before the reset: `<DateTime>;reboots=<N>`. The boot counts once the
count moved and `Oem.Lenovo.SystemStatus` says an OS loader runs (`BootingOSOrInUndetectedOS`; an ESXi
without an in-band agent stays there, `OSBooted` needs one), or XCC2's BootProgress reached the state.

A failed iSCSI login leaves an entry in the PlatformLog (its event id and text UNCONFIRMED: matched on
the words iSCSI and login): once the count moved, such an entry since the marker's time fails the
host with the BMC's words. Without `since` no log is judged (old entries are from earlier boots)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.boot_watch import BootWatch, Verdict, failed_login_entries, iscsi_cause

BOOTED = ("BootingOSOrInUndetectedOS", "OSBooted")
IN_UEFI = ("SystemOn_StartingUEFI", "SystemRunningInUEFI")
MARKER = ";reboots="


def lenovo_of(system):
    return (system.get("Oem") or {}).get("Lenovo") or {}


def reboots(system):
    return lenovo_of(system).get("NumberOfReboots")


def marker(clock, system):
    """The reset marker: the BMC's clock and the reboot count, read before the reset."""
    count = reboots(system)
    if count is None:
        return clock
    return "%s%s%s" % (clock or "", MARKER, count)


def split_marker(since):
    """(time or None, reboot count or None) of a marker; a plain ISO time is a marker without a count."""
    if not since:
        return None, None
    text, _sep, count = str(since).partition(MARKER)
    return text or None, int(count) if count.isdigit() else None


class LenovoWatch(BootWatch):

    def __init__(self, client, uri, since, wanted):
        super().__init__(client, uri, since, wanted)
        self.since_time, self.since_reboots = split_marker(since)
        self._log_uri = False       # the PlatformLog's Entries URI, looked up once

    def reset_moved(self):
        count = reboots(self.system)
        return self.since_reboots is None or (count is not None and count > self.since_reboots)

    def poll(self, elapsed):
        self.system = self.client.get(self.uri).body
        self._see(self.last_state(), reboots(self.system), elapsed)
        if not self.reset_moved():
            return Verdict()
        if self.since_time:
            failed = failed_login_entries(self.platform_log())
            if failed:
                return Verdict(failure="the BMC's platform log reports a failed iSCSI login after the reset: %s"
                                       % failed[-1]["message"])
        return Verdict(done=waiter.power_is(self.system, "On") and self.booted())

    def booted(self):
        """XCC2's BootProgress where it has a state (after the marker's time where it carries a
        LastStateTime: an OSRunning from before the reset is not this boot), else SystemStatus.

        SystemStatus has no time: a status read once the count moved is taken as this boot's
        (that XCC updates it with the count, never after, is UNCONFIRMED; docs/behaviour.md)."""
        progress = waiter.progress(self.system)
        if progress.get("LastState") not in (None, "None", "OEM"):
            timed = self.since_time if progress.get("LastStateTime") else None
            return waiter.reached({"BootProgress": progress}, self.wanted, timed)
        status = lenovo_of(self.system).get("SystemStatus")
        if self.wanted in waiter.ORDER and waiter.ORDER.index(self.wanted) < waiter.ORDER.index("SetupEntered"):
            return status in IN_UEFI[1:] + BOOTED
        return status in BOOTED

    def booted_now(self):
        """Check mode: one read; a failure is kept in `failure` (not booted)."""
        verdict = self.poll(0)
        self.failure = verdict.failure
        return verdict.done and not verdict.failure

    def last_state(self):
        state = waiter.boot_state(self.system)
        if state not in (None, "None"):
            return state
        return lenovo_of(self.system).get("SystemStatus")

    def result(self):
        return {"state": self.last_state(), "state_time": waiter.progress(self.system).get("LastStateTime"),
                "last_boot_seconds": waiter.progress(self.system).get("LastBootTimeSeconds"),
                "number_of_reboots": reboots(self.system)}

    def platform_log_uri(self):
        if self._log_uri is False:
            self._log_uri = self._find_platform_log()
        return self._log_uri

    def _find_platform_log(self):
        for uri in resources.members_optional(self.client, resources.link(self.system, "LogServices")):
            if uri.rstrip("/").endswith("/PlatformLog"):
                return resources.link(resources.get_optional(self.client, uri) or {}, "Entries")
        return None

    def platform_log(self):
        return resources.service_entries(self.client, [self.platform_log_uri()], self.since_time)

    def log(self):
        """PlatformLog entries since the marker's time; the cause: the newest naming iSCSI, else the usual diagnosis."""
        entries = self.platform_log() if self.since_time else []
        return entries, iscsi_cause(entries)
