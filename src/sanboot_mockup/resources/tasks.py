"""TaskService: long operations answer 202 with a task monitor; Immediate settings run as tasks."""
import asyncio

from ..clock import now_iso
from ..errors import message, not_found
from ..http import collection, reply
from . import V1

SERVICE = f"{V1}/TaskService"
TASKS = f"{SERVICE}/Tasks"
MONITORS = f"{SERVICE}/TaskMonitors"
FINAL = ("Completed", "Exception", "Killed", "Cancelled")
_RUNNING = set()  # the event loop keeps only weak references to tasks: hold them until done


def render_task(task_id, task):
    body = {"@odata.id": f"{TASKS}/{task_id}", "@odata.type": "#Task.v1_7_4.Task", "Id": task_id,
            "Name": task["name"], "TaskState": task["state"], "TaskStatus": task["status"],
            "StartTime": task["start"], "PercentComplete": 100 if task["state"] in FINAL else 0,
            "TaskMonitor": f"{MONITORS}/{task_id}", "Messages": task["messages"]}
    if task.get("end"):
        body["EndTime"] = task["end"]
    return body


def start_task(bmc, name, action):
    """Record a task, run `action` after the configured delay, answer 202 with the monitor."""
    task_id = str(bmc.state["task_seq"])
    bmc.state["task_seq"] += 1
    task = {"name": name, "state": "Running", "status": "OK", "start": now_iso(), "end": None, "messages": []}
    bmc.state["tasks"][task_id] = task
    bmc.stats.tasks_created += 1
    tasks = bmc.state["tasks"]
    for old in sorted(tasks, key=int)[:-50]:  # keep the newest 50, as BMCs prune their job queues
        del tasks[old]
    bmc.save()
    _background(_run(bmc, task_id, action))
    return reply(render_task(task_id, task), status=202, etag=False,
                 headers={"Location": f"{MONITORS}/{task_id}", "Retry-After": "1"})


async def _run(bmc, task_id, action):
    await asyncio.sleep(bmc.cfg.timing.settings_task)
    task = bmc.state["tasks"].get(task_id)
    if task is None:
        return
    if bmc.faults.take("task_fail"):
        failed = message("GeneralError")
        failed["Message"] = "The task failed: injected fault (next task fails)."
        task.update(state="Exception", status="Critical", messages=[failed])
        for function in bmc.state["functions"].values():
            if (function.get("pending") or {}).get("apply_time") == "Immediate":
                function["pending"] = None
                function["settings_messages"] = [failed]
        bmc.log("Critical", f"Task {task_id} failed: {task['name']}")
    else:
        action()
        task.update(state="Completed", status="OK", messages=[message("Success")])
    task["end"] = now_iso()
    bmc.save()


def _background(coroutine):
    task = asyncio.get_running_loop().create_task(coroutine)
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


def resume_tasks(bmc):
    """After a restart, tasks that were running finish the work still pending."""
    from .. import settings
    for task_id, task in bmc.state["tasks"].items():
        if task["state"] not in FINAL:
            def action():
                for function in bmc.state["functions"].values():
                    if function.get("pending") and function["pending"]["apply_time"] == "Immediate":
                        settings.apply_pending(function)
            _background(_run(bmc, task_id, action))


def _task(bmc, task_id):
    task = bmc.state["tasks"].get(task_id)
    if task is None:
        raise not_found("Task", task_id)
    return task


async def get_service(request, bmc):
    return reply({"@odata.id": SERVICE, "@odata.type": "#TaskService.v1_3_0.TaskService", "Id": "TaskService",
                  "Name": "Task Service", "ServiceEnabled": True, "DateTime": now_iso(),
                  "CompletedTaskOverWritePolicy": "Oldest", "LifeCycleEventOnTaskStateChange": False,
                  "Status": {"State": "Enabled", "Health": "OK"}, "Tasks": {"@odata.id": TASKS}}, request=request)


async def list_tasks(request, bmc):
    ids = sorted(bmc.state["tasks"], key=int)
    return reply(collection(TASKS, "#TaskCollection.TaskCollection", "Task Collection",
                            [f"{TASKS}/{i}" for i in ids]), request=request)


async def get_task(request, bmc, task_id):
    return reply(render_task(task_id, _task(bmc, task_id)), request=request)


async def get_monitor(request, bmc, task_id):
    task = _task(bmc, task_id)
    if task["state"] not in FINAL:
        return reply(render_task(task_id, task), status=202, etag=False,
                     headers={"Location": f"{MONITORS}/{task_id}", "Retry-After": "1"})
    return reply(render_task(task_id, task), etag=False)


ROUTES = [
    (SERVICE, {"GET": get_service}),
    (TASKS, {"GET": list_tasks}),
    (TASKS + "/{task_id}", {"GET": get_task}),
    (MONITORS + "/{task_id}", {"GET": get_monitor}),
]


def routes(ids):
    return list(ROUTES)
