# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a boot through DMTF BootProgress: LastState with its LastStateTime after `since`.

A watch is polled by wait_for_boot; each poll reads the system once and says whether the boot is
done, has failed (with a reason), or is still on its way. Vendor dialects bring their own watch
with the same methods."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter

DIAGNOSTIC_WORDS = ("iSCSI", "boot", "Boot", "install", "bootable", "login")


class Verdict:
    def __init__(self, done=False, failure=None):
        self.done, self.failure = done, failure


class BootWatch:
    """The timeline of states seen while polling, and the BMC's view of the boot.

    `proves_boot`: a watch that ends proves the host booted (BootProgress reached the OS). A watch
    whose end proves only POST done (Supermicro) sets it False, and wait_for_boot then needs the
    network proof to say `booted`. `evidence` names what the watch saw."""

    proves_boot = True
    evidence = "bmc"

    def __init__(self, client, uri, since, wanted):
        self.client, self.uri, self.since, self.wanted = client, uri, since, wanted
        self.timeline = []
        self.system = {}
        self.failure = None         # check mode: a failure booted_now() saw, for wait_for_boot to say

    def _see(self, state, when, elapsed):
        entry = {"state": state, "time": when, "power": self.system.get("PowerState"), "seen_after_s": round(elapsed, 1)}
        last = self.timeline[-1] if self.timeline else None
        if last is None or (last["state"], last["time"], last["power"]) != (state, when, entry["power"]):
            self.timeline.append(entry)

    def poll(self, elapsed):
        self.system = self.client.get(self.uri).body
        self._see(waiter.boot_state(self.system), waiter.progress(self.system).get("LastStateTime"), elapsed)
        if waiter.power_is(self.system, "On") and waiter.reached(self.system, self.wanted, self.since):
            return Verdict(done=True)
        fresh = waiter.is_after(waiter.progress(self.system).get("LastStateTime"), self.since)
        if fresh and waiter.stuck_without_boot_device(self.system):
            return Verdict(failure="the host found no bootable device")
        return Verdict()

    def booted_now(self):
        """Check mode: one read, no waiting."""
        self.poll(0)
        return waiter.reached(self.system, self.wanted, self.since)

    def last_state(self):
        return waiter.boot_state(self.system)

    def result(self):
        progress = waiter.progress(self.system)
        return {"state": waiter.boot_state(self.system), "state_time": progress.get("LastStateTime"),
                "last_boot_seconds": progress.get("LastBootTimeSeconds")}

    def log(self):
        """The BMC log entries since `since`, oldest first, and the one that best names a failure."""
        entries = resources.log_entries(self.client, self.system, self.since)
        return entries, diagnosis(entries)


def failed_login_entries(entries):
    """Critical or Warning entries of a failed iSCSI login (vendors' texts UNCONFIRMED: matched on words)."""
    return [e for e in entries if e["severity"] in ("Critical", "Warning") and "iscsi" in (e["message"] or "").lower()
            and "login" in (e["message"] or "").lower()]


def iscsi_cause(entries):
    """The newest entry naming iSCSI, else the usual diagnosis (vendor logs whose UEFI words are free text)."""
    iscsi = [e for e in entries if "iscsi" in (e["message"] or "").lower()]
    return iscsi[-1]["message"] if iscsi else diagnosis(entries)


def diagnosis(entries):
    """The log entry that best names the cause: the newest failed iSCSI login, else the newest
    critical boot-related entry, else the newest boot-related warning."""
    relevant = [e for e in entries if e["severity"] in ("Critical", "Warning") and
                any(word in (e["message"] or "") for word in DIAGNOSTIC_WORDS)]
    ranked = ([e for e in relevant if "login failed" in (e["message"] or "")],
              [e for e in relevant if e["severity"] == "Critical"], relevant)
    best = next((group for group in ranked if group), [])
    return best[-1]["message"] if best else None
