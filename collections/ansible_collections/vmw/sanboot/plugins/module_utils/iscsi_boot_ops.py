# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the iscsi_boot module does, kept out of the module so it can be unit-tested."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, iscsi, resources, validation, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed, SanbootError


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
    dialect = dialects.choose(client.root, params["dialect"])
    selector = params.get("port") or {}
    port = resources.find_port(client, mac=selector.get("mac"), adapter_id=selector.get("adapter_id"),
                               function_id=selector.get("function_id"))
    dialect.check_port(port, params["state"])
    apply_time = dialect.choose_apply_time(port, params["apply_time"])
    plan, read = _plan(client, dialect, port, desired, params)
    result = {"changed": plan.changed, "port": port.summary(), "apply_time": apply_time,
              "before": plan.before, "after": plan.after, "pending": plan.pending_before,
              "reboot_required": plan.reboot_required, "diff": {"before": plan.before, "after": plan.after}}
    if not plan.changed or module.check_mode:
        return result
    try:
        task = dialect.write_iscsi(client, port, plan.payload, apply_time, read.settings_etag)
    except PreconditionFailed:
        # Someone wrote between our read and our PATCH: read again, plan again, try once more.
        # The port itself too: without a SettingsObject its body and ETag are what is planned on and sent.
        reply = client.get(port.uri)
        port = resources.Port(port.uri, reply.body, reply.etag)
        plan, read = _plan(client, dialect, port, desired, params)
        # Nothing left to do may also mean our own PATCH landed and only its answer was lost:
        # report the change rather than hide it.
        result.update(after=plan.after, diff={"before": result["before"], "after": plan.after})
        if not plan.changed:
            return result
        task = dialect.write_iscsi(client, port, plan.payload, apply_time, read.settings_etag)
    if task:
        result["task"] = wait_task(client, task, params["task_timeout"], params.get("poll_interval") or 2)
    return result


def _plan(client, dialect, port, desired, params):
    read = dialect.read_iscsi(client, port)
    return iscsi.plan(params["state"], desired, read.current, read.future, params["chap_secret_update"]), read


def wait_task(client, monitor, timeout, interval):
    """Poll a task monitor until the task ends; a failed task is a failed run."""
    body = {}
    for _elapsed in waiter.clock(timeout, interval):
        reply = client.get(monitor)
        body = reply.body
        if reply.status != 202 and waiter.task_finished(body):
            break
    else:
        raise SanbootError("task %s did not finish within %s s" % (monitor, timeout), task=body)
    if waiter.task_failed(body):
        messages = [m.get("Message") for m in body.get("Messages") or [] if m.get("Message")]
        raise SanbootError("the BMC's task failed: %s" % ("; ".join(messages) or body.get("TaskState")), task=body)
    return {"uri": monitor, "state": body.get("TaskState"), "status": body.get("TaskStatus")}
