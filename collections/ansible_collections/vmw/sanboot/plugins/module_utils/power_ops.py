# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the power module does: idempotent on/off, restarts, graceful-to-forced fallback.

The allowed reset types come from the action's inline AllowableValues, else from its
@Redfish.ActionInfo (Supermicro has only that). Where the dialect restarts by power (Lenovo: no
PowerCycle, GracefulRestart unreliable on some models, ForceRestart known to hang some), a restart
that needs forcing is ForceOff, a wait for PowerState Off, then On.

A graceful request to a powered-on host whose BMC shows that no OS runs (the dialect's os_state:
False) is not sent at all: its forced twin goes at once, with `forced_because` saying why."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, resources, system_ops, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, TransportError, ValidationError

FORCED = {"GracefulShutdown": "ForceOff", "GracefulRestart": "ForceRestart"}
# What to send instead when a BMC does not offer the type asked for (HPE iLO has no PowerCycle).
SUBSTITUTE = dict(FORCED, PowerCycle="ForceRestart")
ALREADY = {"On": "On", "ForceOn": "On", "ForceOff": "Off", "GracefulShutdown": "Off"}
OFF_THEN_ON = "ForceOff+On"     # what the result says when a restart was done by power
RESTARTS = ("GracefulRestart", "ForceRestart", "PowerCycle")


def allowed_resets(client, system):
    """(target, allowed ResetTypes or None): inline AllowableValues, else the action's ActionInfo."""
    target, allowable = system_ops.reset_action(system)
    if allowable is None:
        action = (system.get("Actions") or {}).get("#ComputerSystem.Reset") or {}
        info = resources.get_optional(client, action.get("@Redfish.ActionInfo")) or {}
        for parameter in info.get("Parameters") or []:
            if parameter.get("Name") == "ResetType" and parameter.get("AllowableValues") is not None:
                allowable = list(parameter["AllowableValues"])
    return target, allowable


def by_power(dialect, allowable):
    """This BMC restarts by ForceOff then On (the dialect says so, and both are allowed)."""
    return dialect.restart_by_power_off and \
        (allowable is None or ("ForceOff" in allowable and "On" in allowable))


def choose_reset(wanted, allowable, fallback, power_restart=False):
    """The ResetType to send: `wanted` if the BMC allows it; if it does not and fallback is on, its
    forced twin (some BMCs offer no graceful restart) or, for PowerCycle, ForceRestart (HPE offers no
    PowerCycle), or, with `power_restart`, a restart by ForceOff then On (Lenovo); else a clear error
    naming what the BMC allows."""
    if allowable is None or wanted in allowable:
        return wanted, None
    if fallback and power_restart and wanted in RESTARTS:
        return OFF_THEN_ON, "%s is not offered by this BMC; sent ForceOff, waited for Off, then On" % wanted
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
    target, allowable = allowed_resets(client, system)
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
    power_restart = by_power(dialect, allowable)
    reset_type, note = choose_reset(wanted, allowable, params["force_fallback"], power_restart)
    if note:
        module.warn(note)
    forced_because = None
    # force_when_no_os is read with a default: callers of run() that predate the option keep working.
    if reset_type in FORCED and params["force_fallback"] and params.get("force_when_no_os", True) and power == "On":
        forced, forced_because = no_os_twin(dialect, system, reset_type, allowable, power_restart)
        if forced_because:
            module.warn("%s; sending %s at once instead" % (forced_because, _said(forced)))
            reset_type = forced
    result.update(changed=True, reset_type=reset_type, forced_because=forced_because,
                  diff={"before": {"power": power}, "after": {"power": ALREADY.get(reset_type, "On")}})
    if module.check_mode:
        return result
    timing = (params["graceful_timeout"], params["poll_interval"])
    if reset_type == OFF_THEN_ON:
        result.update(sent_at=off_then_on(dialect, client, uri, target, system, *timing), fallback_used=not forced_because)
    else:
        result["sent_at"] = send_reset(dialect, client, uri, target, reset_type, system)
    if reset_type in FORCED and params["force_fallback"]:
        if not _wait_graceful(dialect, client, uri, reset_type, system, *timing):
            forced = forced_twin(reset_type, power_restart)
            if forced != OFF_THEN_ON and allowable is not None and forced not in allowable:
                raise SanbootError("%s had no effect within %s s and %s is not allowed" % (reset_type, params["graceful_timeout"], forced))
            module.warn("%s had no effect within %s s; sent %s" % (reset_type, params["graceful_timeout"], _said(forced)))
            if forced == OFF_THEN_ON:
                result["sent_at"] = off_then_on(dialect, client, uri, target, system, *timing)
            else:
                result["sent_at"] = send_reset(dialect, client, uri, target, forced, system)
            result.update(reset_type=forced, fallback_used=True)
    result.setdefault("fallback_used", False)
    # a module ending with a reset (reset_step) goes on to wait for the boot: no read-back for it
    result["power_state"] = client.get(uri).body.get("PowerState") if params.get("read_back", True) else None
    return result


def forced_twin(reset_type, power_restart):
    """What forces a graceful `reset_type`: ForceOff, ForceRestart, or (where the dialect restarts
    by power) a GracefulRestart by ForceOff then On."""
    return OFF_THEN_ON if reset_type == "GracefulRestart" and power_restart else FORCED[reset_type]


def no_os_twin(dialect, system, reset_type, allowable, power_restart):
    """(the forced twin, why) when the BMC's evidence says no OS runs to honour the graceful
    `reset_type` and the BMC allows the twin; else (None, None), and the graceful path stands.
    The dialect answers True, False or None (unknown); only False forces."""
    running, evidence = dialect.os_state(system)
    if running is not False:
        return None, None
    forced = forced_twin(reset_type, power_restart)
    if forced != OFF_THEN_ON and allowable is not None and forced not in allowable:
        return None, None
    return forced, "%s: no OS is running to honour %s" % (evidence, reset_type)


def _said(reset_type):
    return "ForceOff, waited for Off, then On" if reset_type == OFF_THEN_ON else reset_type


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


def off_then_on(dialect, client, uri, target, before, timeout, interval):
    """ForceOff, wait (up to `timeout`) for PowerState Off, then On; returns when ForceOff was sent."""
    sent_at = send_reset(dialect, client, uri, target, "ForceOff", before)
    for _elapsed in waiter.clock(timeout, interval):
        if waiter.power_is(client.get(uri).body, "Off"):
            send_reset(dialect, client, uri, target, "On", before)
            return sent_at
    raise SanbootError("ForceOff was sent, but the host did not show PowerState Off within %s s; On was not sent" % timeout)


def _wait_graceful(dialect, client, uri, reset_type, before, timeout, interval):
    for _elapsed in waiter.clock(timeout, interval):
        if graceful_done(dialect, reset_type, before, client.get(uri).body):
            return True
    return False
