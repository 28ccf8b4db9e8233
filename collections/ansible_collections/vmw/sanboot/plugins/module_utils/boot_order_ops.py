# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the boot_order module does: find the iSCSI boot option (the dialect knows how its vendor
names it), put it first (or boot it once), or set an explicit order or a one-time override;
idempotent against the current order and the one already scheduled, with a 412 re-plan. The
dialect writes it (a PATCH of the system, or of its settings object with a job)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import (
    dialects, first_boot, replan, reset_step, resources, system_ops, validation)
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError

BOOT_KEYS = ("BootOrder", "BootNext", "BootSourceOverrideTarget", "BootSourceOverrideEnabled")
ORDER_CHOICES = ("iscsi_target", "display_name", "order", "override_target")


def prepare(module):
    params = module.params
    target = params.get("iscsi_target") or {}
    if target.get("name"):
        target["name"] = validation.iscsi_name(target["name"], "iscsi_target.name")
    if target.get("lun") is not None:
        validation.integer_in(target["lun"], 0, 16383, "iscsi_target.lun")
    chosen = [k for k in ORDER_CHOICES if params.get(k)]
    if len(chosen) > 1 or not (chosen or params.get("enable_options")):
        raise ValidationError("iscsi_target", "give exactly one of iscsi_target, display_name, order, override_target "
                              "(or only enable_options)")
    if params.get("order") and len(set(params["order"])) != len(params["order"]):
        raise ValidationError("order", "lists a boot option twice")
    return None


def _boot_view(system):
    boot = system.get("Boot") or {}
    return {k: boot.get(k) for k in BOOT_KEYS}


def desired_boot(params, current, options, ref):
    """The Boot properties to PATCH (only those that differ), or raise when an input is impossible."""
    wanted = {}
    if params.get("order"):
        unknown = [r for r in params["order"] if r not in options]
        if unknown:
            raise ValidationError("order", "unknown boot options %s (the BMC has: %s)" % (", ".join(unknown), ", ".join(options)))
        rest = [r for r in current["BootOrder"] or [] if r not in params["order"]]
        wanted["BootOrder"] = list(params["order"]) + rest
    elif params.get("override_target"):
        wanted["BootSourceOverrideTarget"] = params["override_target"]
        wanted["BootSourceOverrideEnabled"] = params["override_enabled"] if params["override_target"] != "None" else "Disabled"
    elif params["mode"] == "once":
        wanted.update(BootNext=ref, BootSourceOverrideTarget="UefiBootNext", BootSourceOverrideEnabled="Once")
    else:
        order = current["BootOrder"] or []
        wanted["BootOrder"] = [ref] + [r for r in order if r != ref]
    return {k: v for k, v in wanted.items() if current.get(k) != v}


def run(module, client, _prepared):
    """The order's result, the options enabled again (`enable_options`), the order read back
    (`read_back`), then the reset `reboot` asks for (auto: when the order changed or is pending;
    enabling an option needs none)."""
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    try:
        # the options the plan read (None when it read none) serve enable_options too
        result, options = _order(module, client, dialect) if any(params.get(k) for k in ORDER_CHOICES) \
            else (_unchanged(module, client, dialect), None)
    except SanbootError as exc:
        # an order refused (a rollback's, say) must not keep the options disabled: enable them, then fail
        if params.get("enable_options") and not module.check_mode:
            try:
                exc.details["options_enabled"] = _enable(module, client, dialect, None)
            except SanbootError as also:
                exc.details["options_enabled"] = {"error": str(also)}
        raise
    needed = bool(result["changed"] or result["pending"])
    if params.get("enable_options"):
        result["options_enabled"] = enabled = _enable(module, client, dialect, options)
        if enabled["enabled"]:
            result["changed"] = True
            diff = result.setdefault("diff", {"before": dict(result["before"]), "after": dict(result["after"])})
            diff["before"]["disabled"], diff["after"]["disabled"] = list(enabled["enabled"]), []
    if params.get("read_back") and not module.check_mode and result["changed"]:
        result["read_back"] = _read_back(module, client, dialect, result)
    return reset_step.end_with_reset(module, client, result, needed)


def _unchanged(module, client, dialect):
    """The result of a run that only enables options (no order asked for)."""
    uri, system, _etag = system_ops.read_system(client, module.params.get("system_id"))
    view = _boot_view(system)
    return dict(dialect.describe(), changed=False, before=view, after=dict(view), option_missing=False, system=uri,
                pending=False, job=None)


def _enable(module, client, dialect, options):
    """Set BootOptionEnabled on each of `enable_options` that is disabled (`options`: the plan's read, or None);
    returns {"enabled": [refs], "missing": [refs the BMC no longer lists: not an error, a rollback enables
    what it can]}."""
    params = module.params
    if options is None:
        options = resources.boot_options(client, system_ops.read_system(client, params.get("system_id"))[1])
    wanted = list(dict.fromkeys(params["enable_options"]))
    disabled = [ref for ref in wanted if ref in options and options[ref].get("BootOptionEnabled") is False]
    done = list(disabled) if module.check_mode else []
    if not module.check_mode:
        first_boot.set_enabled(client, dialect, options, disabled, True, done)
    return {"enabled": done, "missing": [ref for ref in wanted if ref not in options]}


def _read_back(module, client, dialect, result):
    """The order (and the options enabled) as the BMC shows them after the writes; fails when they
    are not what was written. A change the BMC schedules for a reset is compared with its schedule."""
    _uri, system, _etag = system_ops.read_system(client, module.params.get("system_id"))
    seen = dict(_boot_view(system), **dialect.pending_boot(client, system))
    wrong = ["BootOrder"] if seen.get("BootOrder") != result["after"].get("BootOrder") else []
    enabled = (result.get("options_enabled") or {}).get("enabled") or []
    if enabled:
        options = resources.boot_options(client, system)
        wrong += ["%s disabled" % ref for ref in enabled if (options.get(ref) or {}).get("BootOptionEnabled") is False]
    if wrong:
        raise SanbootError("the BMC accepted the boot order but reads back otherwise (%s): BootOrder %s"
                           % (", ".join(wrong), ", ".join(seen.get("BootOrder") or [])))
    return {"order": seen.get("BootOrder"), "enabled": enabled}


def _order(module, client, dialect):
    """(the order's result, the boot options its plan read or None)."""
    params = module.params
    matching = bool(params.get("iscsi_target") or params.get("display_name"))
    target = params.get("iscsi_target") or {}
    outcome = {}

    def read_and_plan():
        uri, system, etag = system_ops.read_system(client, params.get("system_id"))
        current = _boot_view(system)
        scheduled = dialect.pending_boot(client, system)
        # the options are read only to find the iSCSI option or check an explicit order; an override needs none
        needs_options = matching or params.get("order") or params.get("enable_options")
        options = resources.boot_options(client, system) if needs_options else {}
        ref = dialect.find_boot_option(options, target.get("name"), target.get("lun"), params.get("display_name")) \
            if matching else None
        planned = _Plan(uri, system, etag, current, dict(current, **scheduled), options, ref)
        if not (matching and ref is None):
            planned.change = desired_boot(params, planned.future, options, ref)
        if ref is not None and params["mode"] == "persistent":
            planned.change.update(dialect.device_order_change(client, system, ref))
        if planned.change:
            planned.blocked = dialect.scheduled_boot_job(client, uri, system)
        return planned

    def write(planned):
        outcome.update(dialect.write_boot(client, planned.uri, planned.system, planned.etag, planned.change))
        return outcome

    first, plan, _written = replan.replan_once(read_and_plan, lambda p: bool(p.change) and not p.blocked, write,
                                               dry_run=module.check_mode)
    result = dict(dialect.describe(), changed=False, before=first.current, after=first.future, option_missing=False,
                  system=plan.uri, pending=plan.future != plan.current, job=None)
    options = plan.options or None
    if matching and plan.ref is None:
        what = params.get("iscsi_target") or {"display_name": params.get("display_name")}
        if params["fail_on_missing"]:
            raise SanbootError("no boot option matches %s; the firmware lists an iSCSI option only after a "
                               "reset in which it logged in to the target" % (what,), option_missing=True)
        result.update(option_missing=True, msg="no boot option matches %s yet (the firmware enumerates it at the next reset)" % (what,))
        return result, options
    if plan.ref:
        option = plan.options[plan.ref]
        result["option"] = {"reference": plan.ref, "display_name": option.get("DisplayName"),
                            "device_path": option.get("UefiDevicePath"), "enabled": option.get("BootOptionEnabled")}
    blocked = plan.blocked
    if blocked:
        # Only a job shows that an order is pending, not which one: it is compared again after the reset.
        module.warn("the boot order is not written: job %s already carries a boot configuration to the next reset"
                    % blocked["id"])
        result.update(pending=True, job=blocked, msg="a boot configuration is already scheduled (job %s); reset "
                      "the host and run again" % blocked["id"])
        return result, options
    after = dict(plan.future, **first.change)
    changed = bool(first.change)
    result.update(changed=changed, after=after, diff={"before": first.current, "after": after})
    if outcome:
        result.update(job=outcome.get("job"), pending=bool(outcome.get("pending")) or result["pending"])
    return result, options


class _Plan:
    """One read of the system's boot settings and the change wanted from it."""

    def __init__(self, uri, system, etag, current, future, options, ref):
        self.uri, self.system, self.etag = uri, system, etag
        self.current, self.future, self.options, self.ref = current, future, options, ref
        self.change = {}
        self.blocked = None     # a job that already carries a boot configuration to the next reset
