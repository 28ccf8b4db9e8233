# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the configure module does: one pass over a host, with one client and one set of reads.

It reads the system and the port, plans the iSCSI values (iscsi_boot_ops) and the boot order
(boot_order_ops) without writing, writes the before-state to a backup file when something is to
change, then applies both; the applying runs find the plans' reads in the client's per-task cache,
so they send only the writes. With `verify`, a host whose pass leaves nothing for a reset is
checked in the same pass to be running from its LUN now (wait_for_boot_ops)."""

from __future__ import annotations

import json
import os
import time

from ansible_collections.vmw.sanboot.plugins.module_utils import (
    bmc_info_ops, boot_order_ops, dialects, first_boot, iscsi_boot_ops, reset_step, resources, system_ops, validation,
    wait_for_boot_ops)
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.plugins.module_utils.iscsi_args import ISCSI_VALUE_ARGS
from ansible_collections.vmw.sanboot.plugins.module_utils.step import Step

# the options of the step modules this pass runs (the rest of its options are its own)
ISCSI_KEYS = tuple(ISCSI_VALUE_ARGS) + ("poll_interval",)
SHARED_KEYS = ("dialect", "system_id")


def boot_target(params):
    """The boot option to put first: iscsi_target, else the target's name and LUN."""
    if params.get("iscsi_target"):
        return dict(params["iscsi_target"])
    target = params.get("target") or {}
    return {"name": target.get("name"), "lun": target.get("lun")}


def steps(run):
    """The parameters of each step: (iscsi or None, order, verify or None)."""
    params = run.params
    shared = {k: params.get(k) for k in SHARED_KEYS}
    iscsi = None
    if params["iscsi"]:
        iscsi = dict(shared, state="present", **{k: params.get(k) for k in ISCSI_KEYS})
    order = dict(shared, iscsi_target=boot_target(params), display_name=None, mode="persistent", order=None,
                 override_target=None, override_enabled="Once", fail_on_missing=False, reboot="never")
    verify = None
    if params["verify"]:
        verify = dict(shared, state="OSRunning", since=None, iscsi_target=boot_target(params), boot_option=None,
                      host_address=params.get("host_address"), host_port=params["host_port"],
                      wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"])
    return iscsi, order, verify


def prepare(run):
    """Every input checked before the BMC is contacted; returns (steps, desired iSCSI values)."""
    if run.params.get("backup_name") is not None:
        validation.file_name(run.params["backup_name"], "backup_name")
    port = run.params.get("port") or {}
    if port.get("mac"):     # also when the port is only read (iscsi false): the BMC's MACs are compared lowercase
        port["mac"] = validation.mac_address(port["mac"], "port.mac")
    iscsi, order, verify = steps(run)
    desired = iscsi_boot_ops.prepare(Step(run, iscsi, run.check_mode)) if iscsi else None
    boot_order_ops.prepare(Step(run, order, run.check_mode))
    if verify:
        wait_for_boot_ops.prepare(Step(run, verify, run.check_mode))
    return (iscsi, order, verify), desired


def run(module, client, prepared):
    (iscsi, order, verify), desired = prepared
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    uri, system, _etag = system_ops.read_system(client, params.get("system_id"))
    result = dict(dialect.describe(), changed=False, system=uri, vendor=dialects.vendor_of(client.root) or system.get("Manufacturer"),
                  backup=None, boot=None, reset=None)
    if iscsi:
        iscsi_plan = iscsi_boot_ops.run(Step(module, iscsi, True), client, desired)
        port = dialect.find_port(client, iscsi.get("port") or {})
    else:
        iscsi_plan = None
        port = _any_port(client, dialect, params.get("port") or {}, uri)
    port_view = bmc_info_ops.port_view(client, dialect, port)
    if not iscsi:
        _check_target(port_view, order["iscsi_target"]["name"])
    order_plan = boot_order_ops.run(Step(module, order, True), client, None)
    options = resources.boot_options(client, system)     # the order plan's read: no request
    # an isolation an interrupted run left (first_boot.left_isolated): those options count as enabled before it
    carried = first_boot.left_isolated(dialect, system, options) if params.get("isolate_first_boot") else []
    if carried and not (order_plan["option_missing"] or order_plan["changed"]):
        carried = []    # the option is first already: the owner's choice to keep the others disabled, not a killed run's
    result["before"] = {"power": system.get("PowerState"), "post_state": dialect.post_state(system),
                        "boot": {"order": (system.get("Boot") or {}).get("BootOrder"),
                                 "enabled": dict(first_boot.enabled_map(system, options), **{r: True for r in carried})},
                        "port": port_view}
    # the boot that will list the iSCSI option: isolated where the dialect allows it (first_boot.py)
    result["first_boot"] = first_boot.plan(dialect, system, options, params["isolate_first_boot"],
                                           reset_step.wanted(params, True), carried) if order_plan["option_missing"] else None
    to_write = bool(iscsi_plan and iscsi_plan["changed"]) or order_plan["changed"]
    if (to_write or order_plan["option_missing"]) and params.get("backup_dir") and not module.check_mode:
        try:
            result["backup"] = write_backup(params["backup_dir"], params["backup_name"], result)
        except OSError as exc:
            raise SanbootError("backup_dir: cannot write the before-state to %s (%s); nothing was written to the BMC"
                               % (params["backup_dir"], exc), field="backup_dir") from None
    try:
        if carried and not order_plan["option_missing"]:
            return _finish_isolation(module, client, prepared, result, (iscsi_plan, order_plan, options, dialect), carried)
        return _apply_and_verify(module, client, prepared, result, (iscsi_plan, order_plan, options, dialect), to_write)
    except SanbootError as exc:
        # a failure after the reads: the before-state (and backup, and the options disabled so far) go with it,
        # for the rollback
        exc.details.update(before=result["before"], backup=result["backup"], first_boot=result["first_boot"])
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # anything else after a write may still have changed the order: the rollback needs the before-state too
        raise SanbootError("%s: %s" % (type(exc).__name__, exc), before=result["before"], backup=result["backup"],
                           first_boot=result["first_boot"]) from exc


def _apply_and_verify(module, client, prepared, result, plans, to_write):
    verify = prepared[0][2]
    iscsi_plan, order_plan, options, dialect = plans
    iscsi_done, order_done = _write_steps(module, client, prepared, plans) if to_write and not module.check_mode \
        else (iscsi_plan, order_plan)
    isolation = result["first_boot"]
    if isolation and isolation["isolated"] and not module.check_mode:
        # those an interrupted run disabled are disabled already: only the others are written
        planned = isolation["disabled"]
        isolation["disabled"] = [ref for ref in planned if options[ref].get("BootOptionEnabled") is False]
        first_boot.set_enabled(client, dialect, options, [ref for ref in planned if ref not in isolation["disabled"]], False,
                               isolation["disabled"])
    disabled = isolation["disabled"] if isolation else []
    _record(result, iscsi_done, order_done, ([], list(disabled)) if disabled else None)
    result["changed"] = bool(iscsi_done and iscsi_done["changed"]) or order_done["changed"] or bool(disabled)
    if verify and not result["reboot_required"]:
        result["boot"] = _step_result(wait_for_boot_ops.run(Step(module, verify, module.check_mode), client, None))
    return reset_step.end_with_reset(module, client, result, result["reboot_required"])


def _finish_isolation(module, client, prepared, result, plans, carried):
    """A run killed after its isolated boot began: the iSCSI option is listed and every other option is still
    disabled. The boot that run started is waited for and proven (first_enabled); then the order is put first
    and the options enabled again, with no reset. Unproven (or without `verify`), the order is written and the
    host reset as in the two-reset way, the options enabled again first."""
    verify = prepared[0][2]
    iscsi_plan, order_plan, options, dialect = plans
    result["first_boot"] = {"isolated": True, "disabled": list(carried), "why_not": None, "resumed": True}
    proven = None
    if verify and not (iscsi_plan and iscsi_plan.get("reboot_required")):
        proven = wait_for_boot_ops.run(Step(module, dict(verify, first_enabled=True), module.check_mode), client, None)
    iscsi_done, order_done = iscsi_plan, order_plan
    enabled = list(carried) if module.check_mode else []
    if not module.check_mode:
        iscsi_done, order_done = _write_steps(module, client, prepared, plans)
        first_boot.set_enabled(client, dialect, options, carried, True, enabled)
    result["first_boot"]["enabled_again"] = enabled
    if not proven:     # the role then verifies the boot after this pass's reset, through the order
        result["first_boot"].update(isolated=False, why_not="an interrupted run's isolated boot could not be proven "
                                    "(no verify, or iSCSI values still pending): the order is written and the host reset")
    _record(result, iscsi_done, order_done, (list(carried), []))
    result.update(changed=True, boot=_step_result(proven) if proven else None)
    # proven: the order is persisted after the verified boot, nothing waits for a reset
    result["reboot_required"] = result["reboot_required"] and not proven
    return reset_step.end_with_reset(module, client, result, result["reboot_required"])


def _write_steps(module, client, prepared, plans):
    """(iscsi, order) results of writing what the plans found to change, with the steps' own code."""
    (iscsi, order, _verify), desired = prepared
    iscsi_plan, order_plan = plans[0], plans[1]
    iscsi_done, order_done = iscsi_plan, order_plan
    if iscsi_plan and iscsi_plan["changed"]:
        iscsi_done = iscsi_boot_ops.run(Step(module, iscsi, False), client, desired)
    # the iSCSI write may change what the firmware lists: the order is planned again on fresh reads,
    # unless the option is still missing (the firmware lists a new iSCSI option only after a reset)
    if order_plan["changed"] or not order_plan["option_missing"]:
        order_done = boot_order_ops.run(Step(module, order, False), client, None)
    return iscsi_done, order_done


def _record(result, iscsi_done, order_done, disabled):
    """The steps' results, whether something waits for a reset, and the diff; `disabled`: the options disabled
    for the first boot (before, after), or None."""
    result.update(iscsi=_step_result(iscsi_done), order=_step_result(order_done))
    result["reboot_required"] = bool(iscsi_done and iscsi_done.get("reboot_required")) or order_done["changed"] \
        or order_done["option_missing"] or bool(order_done.get("pending"))
    result["diff"] = {"before": {"iscsi": (iscsi_done or {}).get("before"), "boot": order_done["before"]},
                      "after": {"iscsi": (iscsi_done or {}).get("after"), "boot": order_done["after"]}}
    if disabled:
        result["diff"]["before"]["disabled_for_first_boot"], result["diff"]["after"]["disabled_for_first_boot"] = disabled


def _any_port(client, dialect, selector, system_uri):
    """Without iSCSI to write, the port is only read: by the selector, else the first capable
    port, else the first port the BMC lists."""
    try:
        return dialect.find_port(client, selector, system_uri)
    except SanbootError:
        if selector:
            raise
        for port in dialect.ports(client, system_uri):
            return port
        raise


def _check_target(port_view, wanted):
    """A port whose readable target (pending, else current) is another one would boot elsewhere
    after the reset: refused before anything is written."""
    pending = ((port_view.get("pending") or {}).get("iSCSIBoot") or {}).get("PrimaryTargetName")
    seen = pending or (port_view.get("iscsi") or {}).get("PrimaryTargetName")
    if seen and wanted and seen.lower() != wanted.lower():
        raise SanbootError("iscsi values: not managed here (iscsi is false), and the BMC reports port %s's target as %s, "
                           "not %s: correct it in the NIC's setup (or set iscsi true where the BMC can write it)"
                           % (port_view.get("mac"), seen, wanted), field="iscsi_target")


def _step_result(result):
    if result is None:
        return None
    return {k: v for k, v in result.items() if k not in ("diff", "requests", "dialect", "dialect_variant")}


def write_backup(directory, name, result):
    """The before-state, secrets already masked, in <dir>/<name>-<UTC time>.json (mode 0600), written
    before the first write; returns its path."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    now = time.gmtime()
    path = os.path.join(directory, "%s-%s.json" % (name, time.strftime("%Y%m%dT%H%M%SZ", now)))
    before = result["before"]
    content = {"host": name, "saved": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", now), "power": before["power"],
               "boot": before["boot"], "port": before["port"], "dialect": result["dialect"]}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(content, handle, indent=4, sort_keys=True)
        handle.write("\n")
    return path
