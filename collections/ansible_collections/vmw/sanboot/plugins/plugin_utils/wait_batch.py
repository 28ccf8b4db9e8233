# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wait per batch (vmw.sanboot.wait_for_boots): every host's vmw.sanboot.wait_for_boot run, each in
its own thread of the controller's worker, all at once (or `max_concurrent` at a time).

What the threads share, and why it is safe:
- the `redfish` logger: module.debug_log() nests; the batch enters it once in the worker's main thread
  before any thread starts, so each run's own entry only counts itself in and out, and the logger
  is set up once (SANBOOT_DEBUG_LOG of the task's environment) and restored once, after the last run;
- redaction.protect()'s registry (one logging filter with a set of values): installed on its loggers
  here once, before the threads start, so no two threads race to add it; each run only adds its own
  values to the set (set.update and the filter's copy of the set are single operations under the GIL);
  a record of one host is masked with every host's values, which hides more, never less;
- os.environ: the task's `environment:` is set once for the whole batch (in_process.task_environment),
  never per thread; the runs only read it;
- each run has its own SanbootRun, its own client and HTTP session, its own no_log values, warnings
  and result: nothing else of a run is shared.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import traceback

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.vmw.sanboot.plugins.module_utils import redaction
from ansible_collections.vmw.sanboot.plugins.module_utils.module import debug_log


def run_all(requests, run_one, max_concurrent=0):
    """{host: run_one(request)} for every host of `requests` ({host: request}), each in its own thread,
    at most `max_concurrent` at a time (0: all at once). A run that raises gives that host a failed
    result; the others go on."""
    if not requests:
        return {}
    workers = len(requests) if max_concurrent <= 0 else min(max_concurrent, len(requests))
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wait_for_boots") as pool:
        futures = {pool.submit(run_one, request): host for host, request in requests.items()}
        for future in concurrent.futures.as_completed(futures):
            host = futures[future]
            try:
                results[host] = future.result()
            except Exception as exc:  # pylint: disable=broad-exception-caught
                results[host] = {"failed": True, "msg": "%s: %s" % (type(exc).__name__, exc),
                                 "exception": traceback.format_exc()}
    return {host: results[host] for host in requests}


@contextlib.contextmanager
def shared_state():
    """What every thread of a batch shares, set up once around it (see the module's docstring)."""
    redaction.protect()
    with debug_log():
        yield


def no_log_values(spec, request):
    """The values wait_for_boot's spec keeps secret in one host's `request` (password, auth_token)."""
    try:
        return set(ArgumentSpecValidator(**spec).validate(dict(request))._no_log_values)
    except Exception:  # pylint: disable=broad-exception-caught
        return set()    # a request the spec cannot read fails in its own run, masked there


def _masked(result, values):
    """remove_values as run_in_process applies it: booleans and nulls at the top are kept as they are."""
    preserved = {k: v for k, v in result.items() if v is None or isinstance(v, bool)}
    result = remove_values(result, values)
    result.update(preserved)
    return result


def batch_result(order, results, skipped, secrets=()):
    """The task's result: each host's own result (failed true or false), masked again with every host's
    secrets, and the hosts that failed, were skipped and booted, in `order`."""
    hosts = {}
    for host in order:
        if host in skipped:
            hosts[host] = {"failed": False, "skipped": True, "msg": skipped[host]}
        elif host in results:
            result = dict(results[host])
            result["failed"] = bool(result.get("failed"))
            result.setdefault("changed", False)
            hosts[host] = _masked(result, set(secrets)) if secrets else result
    return {
        "changed": False,
        "hosts": hosts,
        "failed_hosts": [h for h in order if h in hosts and hosts[h]["failed"]],
        "skipped_hosts": [h for h in order if h in skipped],
        "booted_hosts": [h for h in order if h in results and not hosts[h]["failed"] and hosts[h].get("booted") is True],
    }
