# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the boot_order module does: find the iSCSI boot option, put it first (or boot it once),
or set an explicit order or a one-time override; idempotent, with a 412 re-plan."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, system_ops, validation, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed, SanbootError, ValidationError

BOOT_KEYS = ("BootOrder", "BootNext", "BootSourceOverrideTarget", "BootSourceOverrideEnabled")


def prepare(module):
    params = module.params
    target = params.get("iscsi_target") or {}
    if target.get("name"):
        target["name"] = validation.iscsi_name(target["name"], "iscsi_target.name")
    if target.get("lun") is not None:
        validation.integer_in(target["lun"], 0, 16383, "iscsi_target.lun")
    chosen = [k for k in ("iscsi_target", "display_name", "order", "override_target") if params.get(k)]
    if len(chosen) != 1:
        raise ValidationError("iscsi_target", "give exactly one of iscsi_target, display_name, order, override_target")
    if params.get("order") and len(set(params["order"])) != len(params["order"]):
        raise ValidationError("order", "lists a boot option twice")
    return None


def find_option(options, params):
    target = params.get("iscsi_target") or {}
    for ref, option in options.items():
        if waiter.option_matches(option, target.get("name"), target.get("lun"), params.get("display_name")):
            return ref
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
    params = module.params
    for attempt in (1, 2):
        uri, system, etag = system_ops.read_system(client, params.get("system_id"))
        current = _boot_view(system)
        options = resources.boot_options(client, system)
        ref = find_option(options, params) if (params.get("iscsi_target") or params.get("display_name")) else None
        result = {"changed": False, "before": current, "after": current, "option_missing": False, "system": uri}
        if (params.get("iscsi_target") or params.get("display_name")) and ref is None:
            what = params.get("iscsi_target") or {"display_name": params.get("display_name")}
            if params["fail_on_missing"]:
                raise SanbootError("no boot option matches %s; the firmware lists an iSCSI option only after a "
                                   "reset in which it logged in to the target" % (what,), option_missing=True)
            result.update(option_missing=True, msg="no boot option matches %s yet (the firmware enumerates it at the next reset)" % (what,))
            return result
        if ref:
            option = options[ref]
            result["option"] = {"reference": ref, "display_name": option.get("DisplayName"),
                                "device_path": option.get("UefiDevicePath"), "enabled": option.get("BootOptionEnabled")}
        change = desired_boot(params, current, options, ref)
        after = dict(current, **change)
        result.update(changed=bool(change), after=after, diff={"before": current, "after": after})
        if not change or module.check_mode:
            return result
        try:
            client.patch(uri, {"Boot": change}, etag=etag)
            return result
        except PreconditionFailed:
            if attempt == 2:
                raise
    return result
