"""Dell configuration jobs: a SettingsObject PATCH with an apply time schedules one; it runs during
the next reset's POST (Running, then Completed or Failed) before the boot manager starts."""
from aiohttp import web

from ..clock import now_iso
from ..errors import RedfishError, not_found
from ..http import collection, reply
from .dell_names import MANAGER, dell_message

JOBS = f"/redfish/v1/Managers/{MANAGER}/Jobs"
OEM_JOBS = f"/redfish/v1/Managers/{MANAGER}/Oem/Dell/Jobs"
PENDING = ("Scheduled", "Running")
_KEEP = 100  # iDRAC's job queue is bounded; the oldest finished jobs go first


def job_time():
    """A job's times as the capture shows them: no offset, whole seconds (the iDRAC's clock, UTC here)."""
    return now_iso()[:19]


def create(bmc, job_type, target, settings_uri, name):
    """Record a Scheduled job for `target`; returns its id. Counted for the admin API."""
    jobs = bmc.state["dell"]["jobs"]
    seq = bmc.state["dell"]["job_seq"] = bmc.state["dell"]["job_seq"] + 1
    job_id = f"JID_{700000000000 + seq:012d}"
    jobs[job_id] = {"JobType": job_type, "target": target, "TargetSettingsURI": settings_uri, "Name": name,
                    "JobState": "Scheduled", "Message": "Task successfully scheduled.", "MessageId": "JCP001",
                    "PercentComplete": 0, "StartTime": job_time(), "CompletionTime": None,
                    "ActualRunningStartTime": None, "ActualRunningStopTime": None}
    finished = [j for j, job in jobs.items() if job["JobState"] not in PENDING]
    for old in finished[:max(0, len(jobs) - _KEEP)]:
        del jobs[old]
    bmc.stats.jobs_created += 1
    bmc.save()
    return job_id


def scheduled_for(bmc, target):
    return next((j for j, job in bmc.state["dell"]["jobs"].items()
                 if job["target"] == target and job["JobState"] == "Scheduled"), None)


def refuse_if_pending(bmc, target):
    """One pending job per target: iDRAC answers SYS011 to a second set operation."""
    if scheduled_for(bmc, target):
        raise RedfishError(400, [dell_message(
            bmc.cfg, "SYS011", "Pending configuration values are already committed, unable to perform another "
            "set operation.", resolution="Wait for the scheduled job to complete or delete the configuration job "
            "before attempting more set attribute operations.")])


def accepted(job_id):
    """The answer to a PATCH that scheduled a job: 202 and the job's Location, no body."""
    return web.Response(status=202, headers={"Location": f"{JOBS}/{job_id}"})


def start_all(bmc):
    """At power-on: every Scheduled job starts running."""
    for job in bmc.state["dell"]["jobs"].values():
        if job["JobState"] == "Scheduled":
            job.update(JobState="Running", Message="Job in progress.", MessageId="PR20", PercentComplete=50,
                       ActualRunningStartTime=job_time())


def running(bmc):
    return [(j, job) for j, job in bmc.state["dell"]["jobs"].items() if job["JobState"] == "Running"]


def finish(job, ok):
    job.update(JobState="Completed" if ok else "Failed", PercentComplete=100, CompletionTime=job_time(),
               ActualRunningStopTime=job_time(),
               Message="Job completed successfully." if ok else "Job failed.", MessageId="PR19" if ok else "PR21")


def render(job_id, job, base=JOBS):
    body = {"@odata.id": f"{base}/{job_id}", "@odata.type": "#DellJob.v1_2_0.DellJob", "Id": job_id,
            "Name": job["Name"], "Description": "Job Instance", "JobType": job["JobType"], "JobState": job["JobState"],
            "Message": job["Message"], "MessageId": job["MessageId"], "MessageArgs": [],
            "PercentComplete": job["PercentComplete"], "StartTime": job["StartTime"], "EndTime": "TIME_NA",
            "CompletionTime": job["CompletionTime"], "ActualRunningStartTime": job["ActualRunningStartTime"],
            "ActualRunningStopTime": job["ActualRunningStopTime"], "TargetSettingsURI": job["TargetSettingsURI"]}
    return body


def _job(bmc, job_id):
    job = bmc.state["dell"]["jobs"].get(job_id)
    if job is None:
        raise not_found("DellJob", job_id)
    return job


def _lister(base):
    async def list_jobs(request, bmc):
        body = collection(base, "#DellJobCollection.DellJobCollection", "JobQueue",
                          [f"{base}/{j}" for j in bmc.state["dell"]["jobs"]])
        return reply(body, request=request)
    return list_jobs


def _getter(base):
    async def get_job(request, bmc, job_id):
        return reply(render(job_id, _job(bmc, job_id), base), request=request)
    return get_job


async def delete_job(request, bmc, job_id):
    """Deleting a Scheduled job drops it and the values it would have applied (OpenManage clear_pending)."""
    job = _job(bmc, job_id)
    if job["JobState"] == "Running":
        raise RedfishError(400, [dell_message(bmc.cfg, "SYS046", "Unable to delete the job because it is running.")])
    if job["JobState"] == "Scheduled":
        bmc.personality.discard_staged(bmc, job["target"])
    del bmc.state["dell"]["jobs"][job_id]
    bmc.save()
    return reply({"@Message.ExtendedInfo": [dell_message(bmc.cfg, "SUP020", "The request was successful.",
                                                          severity="Informational")]}, etag=False)


def routes():
    return [
        (JOBS, {"GET": _lister(JOBS)}),
        (JOBS + "/{job_id}", {"GET": _getter(JOBS), "DELETE": delete_job}),
        (OEM_JOBS, {"GET": _lister(OEM_JOBS)}),
        (OEM_JOBS + "/{job_id}", {"GET": _getter(OEM_JOBS), "DELETE": delete_job}),
    ]
