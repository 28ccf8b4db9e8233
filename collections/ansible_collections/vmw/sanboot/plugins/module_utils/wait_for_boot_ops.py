# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What wait_for_boot does: poll until the host booted from its iSCSI LUN, on the evidence a BMC
gives; on failure, say why, with the timeline seen and the BMC's log since the reset.

Success is the conjunction of: power On; BootProgress reached the wanted state after `since`;
and, when a target is named, the UEFI option whose device path carries iSCSI(<target>,...,<LUN>)
exists and is first in BootOrder (or is the option booted through BootNext)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, validation, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError

DIAGNOSTIC_WORDS = ("iSCSI", "boot", "Boot", "install", "bootable", "login")


def prepare(module):
    target = module.params.get("iscsi_target") or {}
    if target.get("name"):
        target["name"] = validation.iscsi_name(target["name"], "iscsi_target.name")
    if module.params.get("since") and waiter.parse_time(module.params["since"]) is None:
        raise SanbootError("since: %r is not an ISO 8601 time" % module.params["since"], field="since")
    return None


class Watch:
    """The timeline of BootProgress states seen while polling."""

    def __init__(self):
        self.timeline = []

    def see(self, system, elapsed):
        state, when = waiter.boot_state(system), waiter.progress(system).get("LastStateTime")
        entry = {"state": state, "time": when, "power": system.get("PowerState"), "seen_after_s": round(elapsed, 1)}
        last = self.timeline[-1] if self.timeline else None
        if last is None or (last["state"], last["time"], last["power"]) != (state, when, entry["power"]):
            self.timeline.append(entry)


def run(module, client, _prepared):
    params = module.params
    uri = resources.system_uri(client, params.get("system_id"))
    since, wanted = params.get("since"), params["state"]
    watch = Watch()
    if module.check_mode:
        system = client.get(uri).body
        watch.see(system, 0)
        return {"changed": False, "timeline": watch.timeline, "booted": waiter.reached(system, wanted, since)}
    system = {}
    for elapsed in waiter.clock(params["wait_timeout"], params["poll_interval"]):
        system = client.get(uri).body
        watch.see(system, elapsed)
        fresh = waiter.is_after(waiter.progress(system).get("LastStateTime"), since)
        if waiter.power_is(system, "On") and waiter.reached(system, wanted, since):
            break
        if fresh and waiter.stuck_without_boot_device(system):
            _fail(client, system, watch, since, "the host found no bootable device")
    else:
        _fail(client, system, watch, since, "the host did not reach %s within %s s (last state: %s)"
              % (wanted, params["wait_timeout"], waiter.boot_state(system)))
    result = {"changed": False, "booted": True, "timeline": watch.timeline, "system": uri,
              "state": waiter.boot_state(system), "state_time": waiter.progress(system).get("LastStateTime"),
              "last_boot_seconds": waiter.progress(system).get("LastBootTimeSeconds")}
    if params.get("iscsi_target"):
        result["boot_option"] = _evidence(client, system, watch, since, params)
    return result


def _evidence(client, system, watch, since, params):
    target = params["iscsi_target"]
    options = resources.boot_options(client, system)
    ref = next((r for r, o in options.items() if waiter.option_matches(o, target["name"], target.get("lun"))), None)
    order = (system.get("Boot") or {}).get("BootOrder") or []
    if ref is None:
        _fail(client, system, watch, since, "the host is running, but the firmware lists no boot option for %s LUN %s: "
              "it did not boot from that target" % (target["name"], target.get("lun")))
    if not (order and order[0] == ref) and ref != params.get("boot_option"):
        _fail(client, system, watch, since, "the host is running, but %s (the option of %s) is not first in the boot "
              "order (%s): it may have booted from something else" % (ref, target["name"], ", ".join(order)))
    option = options[ref]
    return {"reference": ref, "display_name": option.get("DisplayName"), "device_path": option.get("UefiDevicePath")}


def _fail(client, system, watch, since, reason):
    entries = resources.log_entries(client, system, since)
    message = reason + (": " + diagnosis(entries) if diagnosis(entries) else "")
    raise SanbootError(message, timeline=watch.timeline, log_entries=entries, booted=False)


def diagnosis(entries):
    """The log entry that best names the cause: the newest failed iSCSI login, else the newest
    critical boot-related entry, else the newest boot-related warning."""
    relevant = [e for e in entries if e["severity"] in ("Critical", "Warning") and
                any(word in (e["message"] or "") for word in DIAGNOSTIC_WORDS)]
    ranked = ([e for e in relevant if "login failed" in (e["message"] or "")],
              [e for e in relevant if e["severity"] == "Critical"], relevant)
    best = next((group for group in ranked if group), [])
    return best[-1]["message"] if best else None
