# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the iscsi_boot module does, kept out of the module so it can be unit-tested.

Read, plan, write once, through the dialect's channel for the port (`nic` or `bios`); every
value is checked (by us, then against what the BMC says it accepts) before anything is written."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, iscsi, replan, validation
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError


def prepare(module):
    """Validate every option before the BMC is contacted; returns the desired iSCSIBoot values."""
    params = module.params
    port = params.get("port") or {}
    if port.get("mac"):
        port["mac"] = validation.mac_address(port["mac"], "port.mac")
    if bool(port.get("adapter_id")) != bool(port.get("function_id")) and not port.get("mac") and port.get("function_id"):
        raise SanbootError("port.function_id needs port.adapter_id", field="port")
    if params["state"] == "absent":
        return {}
    desired = iscsi.desired_iscsi(params)
    module.protect(desired.get("CHAPSecret"), desired.get("MutualCHAPSecret"))
    return desired


def run(module, client, desired):
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    port = dialect.find_port(client, params.get("port") or {})
    channel = dialect.iscsi_channel(client, port, params["state"], params.get("iscsi_method") or "auto", desired)
    channel.check(client, desired)
    apply_time = channel.choose_apply_time(params["apply_time"])
    try:
        first, plan, reply = _write(module, client, channel, desired, apply_time)
    except RedfishError as exc:
        conflict = dialect.pending_conflict(exc)
        if not conflict:
            raise
        if not params.get("clear_pending"):
            raise SanbootError("%s: %s. Reset the host to apply it, or set clear_pending: true to delete it first"
                               % (port.function_id, conflict), field="clear_pending") from None
        cleared = dialect.clear_pending(client, channel.target_uri, channel.job_type)
        module.warn("deleted the pending job(s) %s of %s before writing" % (", ".join(cleared) or "(none)", channel.target_uri))
        first, plan, reply = _write(module, client, channel, desired, apply_time)
    result = dict(dialect.describe(), changed=plan.changed or first.changed, port=port.summary(),
                  method=channel.method, apply_time=apply_time, before=first.before, after=plan.after,
                  pending=first.pending_before, reboot_required=first.reboot_required or plan.reboot_required,
                  diff={"before": first.before, "after": plan.after}, job=None)
    if reply is not None:
        applied = dialect.applied(client, reply, channel.job_type)
        result.update(dialect.track(client, applied, params["task_timeout"], params.get("poll_interval") or 2,
                                    wait=apply_time == "Immediate"))
    return result


def _write(module, client, channel, desired, apply_time):
    """(first plan, last plan, reply): read and plan, write unless nothing differs or check mode,
    and on a 412 read, plan and write once more."""
    params = module.params

    def read_and_plan():
        state = channel.read(client)
        return _Planned(iscsi.plan(params["state"], desired, state.current, state.future, params["chap_secret_update"],
                                   state.leftover), state)

    first, last, reply = replan.replan_once(read_and_plan, lambda p: p.plan.changed,
                                            lambda p: channel.write(client, p.plan.payload, apply_time, p.state),
                                            dry_run=module.check_mode)
    return first.plan, last.plan, reply


class _Planned:
    def __init__(self, plan, state):
        self.plan, self.state = plan, state
