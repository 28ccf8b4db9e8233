# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a Dell boot. iDRAC gives no BootProgress time (7.x, iDRAC10: LastState only; 6.x:
no BootProgress at all), so a boot counts once the system's LastResetTime moved past `since`
(the iDRAC's clock read before the reset); then BootProgress.LastState where present, else
DellLCService.GetRemoteServicesAPIStatus's ServerStatus `OutOfPOST`. The Lifecycle log's EEMI
UEFI0263-UEFI0277 entries name each iSCSI boot failure; one written after `since` fails the
watch at once with its text. Without `since` (no reset to watch) the current state is judged:
power On, BootProgress where present, and no status action is sent. A configuration job that failed in the
watched reset's POST (JobState Failed, CompletionTime after `since`) fails the watch with its message: the boot
went on without its settings."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialect_dell_jobs as jobs
from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.boot_watch import BootWatch, Verdict, diagnosis
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError

ISCSI_FAILURES = tuple("UEFI%04d" % n for n in range(263, 278))
STATUS_ACTION = "/Actions/DellLCService.GetRemoteServicesAPIStatus"
# A configuration job that ran in POST and failed ("Unknown" is not a failure, other job types not ours).
FAILED_JOB_STATES = ("Failed", "RebootFailed")
CONFIGURATION_JOBS = ("BIOSConfiguration", "NICConfiguration")
# BootProgress states once POST is over (the jobs of the reset have run); an OEM state (no bootable device) too
AFTER_POST = waiter.ORDER[waiter.ORDER.index("SystemHardwareInitializationComplete"):]


def iscsi_failures(entries):
    return [e for e in entries if (e.get("message_id") or "").rsplit(".", 1)[-1] in ISCSI_FAILURES]


class DellWatch(BootWatch):

    def __init__(self, dialect, client, uri, since, wanted):
        super().__init__(client, uri, since, wanted)
        self.dialect = dialect
        self.server_status = None
        self.actions = True         # False in check mode: the status action is a POST
        self._lclog = None
        self._jobs_checked = False

    def _manager(self):
        return self.dialect.manager(self.client, self.system)

    def remote_status(self):
        """ServerStatus (OutOfPOST, InPOST, PoweredOff) from the Lifecycle Controller, or None."""
        service = resources.link(self._manager(), "Links", "Oem", "Dell", "DellLCService")
        if not service:
            return None
        try:
            return self.client.post(service.rstrip("/") + STATUS_ACTION, {}).body.get("ServerStatus")
        except RedfishError:
            return None

    def lclog_entries_uri(self):
        if self._lclog is None:
            self._lclog = ""
            for uri in resources.members_optional(self.client, resources.link(self._manager(), "LogServices")):
                if uri.rstrip("/").endswith("/Lclog"):
                    self._lclog = resources.link(resources.get_optional(self.client, uri) or {}, "Entries") or ""
        return self._lclog

    def poll(self, elapsed):
        self.system = self.client.get(self.uri).body
        reset = waiter.is_after(self.system.get("LastResetTime"), self.since)
        state = waiter.boot_state(self.system) if "BootProgress" in self.system else None
        on = waiter.power_is(self.system, "On")
        # The status is an action (a POST): asked only while watching a reset (`since` given); without
        # one, the boot being judged happened earlier, and a no-change run sends no action at all.
        watching = self.since and self.actions
        self.server_status = self.remote_status() if (reset and on and state is None and watching) else None
        self._see(state or self.server_status, self.system.get("LastResetTime"), elapsed)
        if not reset:
            return Verdict()
        failures = iscsi_failures(resources.service_entries(self.client, [self.lclog_entries_uri()], self._log_since()))
        if failures:
            return Verdict(failure="the iSCSI boot failed")
        if not on:
            return Verdict()
        if state is not None:
            done = waiter.reached({"BootProgress": {"LastState": self.system["BootProgress"].get("LastState")}}, self.wanted)
        else:
            done = self.server_status in ("OutOfPOST", None)
        # once per watch, when POST is over (done, or a state after it such as no bootable device): the jobs ran
        failed = None
        post_over = done or (state is not None and (state.startswith("OEM:") or state in AFTER_POST))
        if self.since and not self._jobs_checked and post_over:
            self._jobs_checked = True
            failed = self.failed_job()
        if failed:
            # the boot went on without the job's settings: say so, not what its absence caused later
            return Verdict(failure="the iDRAC job %s (%s) failed during this reset's POST, so its settings were not applied: "
                                   "%s (%s)" % (failed["id"], failed["type"], failed["message"] or failed["state"],
                                                failed["message_id"] or "no message id"))
        return Verdict(done=done)

    def failed_job(self):
        """A configuration job (BIOS or NIC) the iDRAC ran in this reset's POST and that failed: its CompletionTime
        is not before `since`, read in `since`'s offset where it has none (the capture's job times have no offset:
        the iDRAC's local clock, UNCONFIRMED) and to the second (they have no fraction)."""
        start = waiter.parse_time(self.since)
        for uri, reply in self.client.get_members("%s/Jobs" % self.dialect.manager_uri(self.client).rstrip("/")):
            body = reply.body if reply is not None else (resources.get_optional(self.client, uri) or {})
            if body.get("JobState") not in FAILED_JOB_STATES or body.get("JobType") not in CONFIGURATION_JOBS:
                continue
            completed = waiter.parse_time(body.get("CompletionTime"), assume=start.tzinfo)
            if completed is not None and completed >= start.replace(microsecond=0):
                return jobs.view(uri, body)
        return None

    def _log_since(self):
        """Log entries count from `since`; without it, from the last reset (not older boots)."""
        return self.since or self.system.get("LastResetTime")

    def booted_now(self):
        self.actions = False
        return self.poll(0).done

    def last_state(self):
        return waiter.boot_state(self.system) if "BootProgress" in self.system else self.server_status

    def result(self):
        return {"state": self.last_state(), "state_time": self.system.get("LastResetTime"), "last_boot_seconds": None}

    def log(self):
        entries = resources.service_entries(self.client, [self.lclog_entries_uri()], self._log_since())
        failures = iscsi_failures(entries)
        return entries, (failures[-1]["message"] if failures else diagnosis(entries))
