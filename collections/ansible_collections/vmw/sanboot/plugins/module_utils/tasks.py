# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Following a DMTF task monitor until its task ends; a failed task is a failed run."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError


def wait_task(client, monitor, timeout, interval):
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
