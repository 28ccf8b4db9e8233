# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a Supermicro boot (../notes/vendors.md 4.4 and addendum 5, 6).

The BMC gives no LastResetTime and no BootProgress time, and BootProgress stops at
SystemHardwareInitializationComplete for good (it never reaches OSBootStarted): it says POST is
done, never that an OS runs. So the reset is seen in the SEL-style log (Log1): a host boot entry
created at or after `since` (the BMC's clock read before the reset; `is_reset_entry`), or
BootProgress going back to an earlier state. After it, POST done
(SystemHardwareInitializationComplete with the power on) ends the watch, unless the log since
`since` names a boot failure. That is not proof of the boot: this watch proves nothing
(`proves_boot` False), and wait_for_boot reports the host `unverified` unless the network proves it."""

from __future__ import annotations

import re

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.boot_watch import BootWatch, Verdict, diagnosis

POST_DONE = "SystemHardwareInitializationComplete"
# What counts as a host reset in Log1 is judged by the entry's sensor type, never by its `[XXX-nnnn]` code:
# the X13 capture uses `[PWR-...]` for power-supply events (`[PWR-0001] PS5 Status, Power Supply Failure
# detected`, `[PWR-0000] PS1 Status, Power Supply Installed` at each BMC restart) and for `[PWR-0020]
# First AC Power on` (OEM sensor 0xC8, the BMC's own power), and shows no host power-on or reset entry at
# all. UNCONFIRMED rule (no capture has one): an asserted entry whose SensorType (or OemSensorType) is
# the IPMI host sensor 0x1D System Boot / Restart Initiated (Redfish `SystemBoot/Restart`), or 0x22
# System ACPI Power State (`System ACPI PowerState`) whose message names the working state (S0/G0); a
# power-supply entry (sensor `Power Supply / Converter`, or a `PS<n> Status`/"Power Supply" message) never.
BOOT_SENSORS = frozenset(("systembootrestart", "systembootrestartinitiated", "systembootinitiated"))
ACPI_SENSORS = frozenset(("systemacpipowerstate",))
POWER_SUPPLY_SENSORS = frozenset(("powersupplyconverter", "powersupply"))
ACPI_WORKING = re.compile(r"\bS0\b|\bG0\b|\bworking\b", re.IGNORECASE)
POWER_SUPPLY = re.compile(r"\bPS\s*\d+\s+Status\b|power\s+supply", re.IGNORECASE)


def _sensor(name):
    """A sensor type name folded for comparison ("System ACPI PowerState" -> "systemacpipowerstate")."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").lower())


def is_reset_entry(entry):
    """The SEL entry (resources.service_entries) records the host booting: see BOOT_SENSORS above."""
    if entry.get("entry_code") == "Deassert":
        return False
    sensors = {_sensor(entry.get("sensor_type")), _sensor(entry.get("oem_sensor_type"))} - {""}
    message = entry.get("message") or ""
    if sensors & POWER_SUPPLY_SENSORS or POWER_SUPPLY.search(message):
        return False
    if sensors & BOOT_SENSORS:
        return True
    return bool(sensors & ACPI_SENSORS) and bool(ACPI_WORKING.search(message))


def reset_entries(entries):
    return [e for e in entries if is_reset_entry(e)]


class SupermicroWatch(BootWatch):
    proves_boot = False
    evidence = "post"

    def __init__(self, client, uri, since, wanted):
        super().__init__(client, uri, since, wanted)
        self.reset_at = None        # Created of the first reset entry after `since`
        self.reset_seen = not since  # without `since` (nothing was reset this run) the current boot is judged
        self._entries_uris = None

    def entries_uris(self):
        """The Entries collections of the system's log services (Log1), found once."""
        if self._entries_uris is None:
            services = [resources.get_optional(self.client, uri) or {}
                        for uri in resources.members_optional(self.client, resources.link(self.system, "LogServices"))]
            self._entries_uris = [resources.link(s, "Entries") for s in services]
        return self._entries_uris

    def entries(self):
        return resources.service_entries(self.client, self.entries_uris(), self.since)

    def poll(self, elapsed):
        before = self.system
        self.system = self.client.get(self.uri).body
        if not self.reset_seen:
            found = reset_entries(self.entries())
            if found or (before and waiter.went_back(before, self.system)):
                self.reset_seen = True
                self.reset_at = found[0]["created"] if found else None
        self._see(waiter.boot_state(self.system), self.reset_at, elapsed)
        if not (self.reset_seen and waiter.power_is(self.system, "On") and waiter.progress(self.system).get("LastState") == POST_DONE):
            return Verdict()
        cause = diagnosis(self.entries()) if self.since else None
        if cause:
            return Verdict(failure="the BMC log reports a boot failure after the reset")
        return Verdict(done=True)

    def booted_now(self):
        """Check mode: one read; POST done counts (what it proves is said by wait_for_boot)."""
        verdict = self.poll(0)
        self.failure = verdict.failure
        return verdict.done

    def result(self):
        return {"state": waiter.boot_state(self.system), "state_time": self.reset_at, "last_boot_seconds": None}
