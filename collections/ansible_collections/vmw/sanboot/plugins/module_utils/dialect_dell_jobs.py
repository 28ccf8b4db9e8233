# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dell iDRAC configuration jobs: a settings PATCH with an apply time answers 202 with the job's
`Location` (`/redfish/v1/Managers/iDRAC.Embedded.1/Jobs/JID_...`). A Scheduled job runs during
the next reset's POST. One pending job per target: a second write is refused 400 SYS011."""

from __future__ import annotations

from urllib.parse import urlparse

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError

DONE = ("Completed", "CompletedWithErrors", "RebootCompleted", "Downloaded")
FAILED = ("Failed", "RebootFailed", "Unknown")
PENDING = ("Scheduled", "Scheduling", "New", "Starting", "Waiting", "ReadyForExecution", "PendingActivation",
           "RebootPending")
CONFLICT_ID = "SYS011"


def job_uri(location, manager_uri):
    """The job's URI under the manager's Jobs collection, from the Location header."""
    path = urlparse(location).path or location
    job_id = path.rstrip("/").rsplit("/", 1)[-1]
    if "/Jobs/" in path:
        return path
    return "%s/Jobs/%s" % (manager_uri.rstrip("/"), job_id)


def view(uri, body):
    return {"id": body.get("Id") or uri.rstrip("/").rsplit("/", 1)[-1], "uri": uri, "type": body.get("JobType"),
            "state": body.get("JobState"), "message": body.get("Message"), "message_id": body.get("MessageId"),
            "percent_complete": body.get("PercentComplete"), "target": body.get("TargetSettingsURI")}


def read(client, uri):
    job = view(uri, client.get(uri).body)
    if job["state"] in FAILED:
        raise SanbootError("the iDRAC job %s failed: %s" % (job["id"], job["message"] or job["state"]), job=job)
    return job


def wait(client, uri, timeout, interval):
    """Poll the job until it ends (used where the run asked to wait for an Immediate change)."""
    job = {}
    for _elapsed in waiter.clock(timeout, interval):
        job = read(client, uri)
        if job["state"] in DONE:
            return job
    raise SanbootError("the iDRAC job %s did not finish within %s s (state %s)" % (job.get("id"), timeout, job.get("state")),
                       job=job)


def is_conflict(error):
    return isinstance(error, RedfishError) and error.status == 400 and any(CONFLICT_ID in m for m in error.extended)


def scheduled(client, manager_uri, job_type, target_uri=None):
    """The pending jobs of this type (and target, where the job names it) in the manager's queue."""
    found = []
    for uri in resources.members_optional(client, "%s/Jobs" % manager_uri.rstrip("/")):
        body = resources.get_optional(client, uri) or {}
        target = body.get("TargetSettingsURI")
        if body.get("JobState") in PENDING and body.get("JobType") == job_type and (
                not target or not target_uri or target.rstrip("/") == target_uri.rstrip("/")):
            found.append(view(uri, body))
    return found
