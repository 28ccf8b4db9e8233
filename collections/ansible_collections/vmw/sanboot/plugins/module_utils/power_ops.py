# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the power module does: idempotent on/off, restarts, graceful-to-forced fallback."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, system_ops, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, TransportError, ValidationError

FORCED = {"GracefulShutdown": "ForceOff", "GracefulRestart": "ForceRestart"}
# What to send instead when a BMC does not offer the type asked for (HPE iLO has no PowerCycle).
SUBSTITUTE = dict(FORCED, PowerCycle="ForceRestart")
ALREADY = {"On": "On", "ForceOn": "On", "ForceOff": "Off", "GracefulShutdown": "Off"}


def choose_reset(wanted, allowable, fallback):
    """The ResetType to send: `wanted` if the BMC allows it; if it does not and fallback is on, its
    forced twin (some BMCs offer no graceful restart) or, for PowerCycle, ForceRestart (HPE offers no
    PowerCycle); else a clear error naming what the BMC allows."""
    if allowable is None or wanted in allowable:
        return wanted, None
    forced = SUBSTITUTE.get(wanted)
    if fallback and forced and forced in allowable:
        return forced, "%s is not offered by this BMC; sent %s instead" % (wanted, forced)
    raise ValidationError("reset_type", "%s is not allowed by this BMC (ResetType@Redfish.AllowableValues: %s)"
                          % (wanted, ", ".join(allowable)))


def graceful_done(dialect, reset_type, before, system):
    """The OS honoured the graceful request: power went off, or a new boot began (the dialect
    knows what shows a reset: a new BootProgress time, a new LastResetTime)."""
    if reset_type == "GracefulShutdown":
        return waiter.power_is(system, "Off")
    return dialect.reset_seen(before, system) or waiter.power_is(system, "Off")


def run(module, client, _prepared):
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    uri, system, _etag = system_ops.read_system(client, params.get("system_id"))
    target, allowable = system_ops.reset_action(system)
    if not target:
        raise SanbootError("the system %s offers no #ComputerSystem.Reset action" % uri)
    wanted = params["reset_type"]
    power = system.get("PowerState")
    result = dict(dialect.describe(), changed=False, power_state_before=power, system=uri,
                  boot_progress_time_before=waiter.progress(system).get("LastStateTime"),
                  since=dialect.boot_marker(client, system))
    if ALREADY.get(wanted) == power:
        result.update(power_state=power, msg="already %s" % power)
        return result
    reset_type, note = choose_reset(wanted, allowable, params["force_fallback"])
    if note:
        module.warn(note)
    result.update(changed=True, reset_type=reset_type, diff={"before": {"power": power}, "after": {"power": ALREADY.get(reset_type, "On")}})
    if module.check_mode:
        return result
    result["sent_at"] = send_reset(dialect, client, uri, target, reset_type, system)
    if reset_type in FORCED and params["force_fallback"]:
        if not _wait_graceful(dialect, client, uri, reset_type, system, params["graceful_timeout"], params["poll_interval"]):
            forced = FORCED[reset_type]
            if allowable is not None and forced not in allowable:
                raise SanbootError("%s had no effect within %s s and %s is not allowed" % (reset_type, params["graceful_timeout"], forced))
            module.warn("%s had no effect within %s s; sent %s" % (reset_type, params["graceful_timeout"], forced))
            result["sent_at"] = send_reset(dialect, client, uri, target, forced, system)
            result.update(reset_type=forced, fallback_used=True)
    result.setdefault("fallback_used", False)
    result["power_state"] = client.get(uri).body.get("PowerState")
    return result


def send_reset(dialect, client, uri, target, reset_type, before):
    """POST the action once. If the answer is lost, read the system to see whether it happened
    rather than sending it again (a second reset would interrupt the boot the first started)."""
    sent_at = system_ops.now_iso()
    try:
        client.post(target, {"ResetType": reset_type})
    except TransportError as exc:
        system = client.get(uri).body
        happened = dialect.reset_seen(before, system) or \
            (ALREADY.get(reset_type) and waiter.power_is(system, ALREADY[reset_type]))
        if not happened:
            raise SanbootError("the %s request got no answer (%s) and the system shows no effect; "
                               "check the host before retrying" % (reset_type, exc.message)) from None
    return sent_at


def _wait_graceful(dialect, client, uri, reset_type, before, timeout, interval):
    for _elapsed in waiter.clock(timeout, interval):
        if graceful_done(dialect, reset_type, before, client.get(uri).body):
            return True
    return False
