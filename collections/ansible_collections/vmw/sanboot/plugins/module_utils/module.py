# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue every module uses: the shared argument spec, one client per run, one error handler.

`SanbootRun` is the core: the validated parameters, check and diff mode, the values to keep secret
and the warnings, and `execute()`, which runs a module's prepare and work in one client session and
returns the result or raises `Failure`. `SanbootModule` puts it behind AnsibleModule (the module,
exit_json/fail_json); the action plugins (plugin_utils/in_process.py) run it in the controller's
worker process and return the same dicts."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.vmw.sanboot.plugins.module_utils import transport
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import protect

CONNECTION_ARGS = {
    "baseuri": {"type": "str", "required": True},
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "auth_token": {"type": "str", "no_log": True},
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "timeout": {"type": "int", "default": 30},
    "retries": {"type": "int", "default": 3},
    "dialect": {"type": "str", "default": "auto", "choices": ["auto", "dell", "dmtf", "hpe", "lenovo", "supermicro"]},
}
SYSTEM_ARGS = {
    "system_id": {"type": "str"},
}
WAIT_ARGS = {
    "wait_timeout": {"type": "int", "default": 900},
    "poll_interval": {"type": "float", "default": 5},
}


def module_spec(argument_spec, **constraints):
    """AnsibleModule's (and ArgumentSpecValidator's) arguments for a module whose own options are
    `argument_spec`: the connection options added, and their constraints added to the module's."""
    spec = dict(CONNECTION_ARGS)
    spec.update(argument_spec)
    constraints = dict(constraints)
    constraints["required_one_of"] = [("username", "auth_token")] + list(constraints.get("required_one_of") or [])
    constraints["required_together"] = [("username", "password")] + list(constraints.get("required_together") or [])
    return dict(argument_spec=spec, **constraints)


_DEBUG_LOG_LOCK = threading.Lock()
_DEBUG_LOG_USERS = {"count": 0, "restore": None}


@contextlib.contextmanager
def debug_log():
    """SANBOOT_DEBUG_LOG=<file> (set with the task's `environment:`) sends python-redfish-library's
    DEBUG log, request and response bodies included, to that file, for support cases. Secrets
    are masked there like everywhere else (redaction.protect). The library's log goes nowhere
    else: a NullHandler keeps Python's last-resort handler from printing it, and it does not
    propagate to the root logger, where an in-process run would find Ansible's own log_path
    handler. Handlers, level and propagation are restored when the run ends, so a run in a
    longer-lived process leaves nothing behind.
    Nested entries (vmw.sanboot.wait_for_boots enters it once around a batch, then each host's
    thread enters it again) share the outermost one's setup: only the first sets the logger up
    and only the last restores it, whichever thread they run in."""
    with _DEBUG_LOG_LOCK:
        if not _DEBUG_LOG_USERS["count"]:
            _DEBUG_LOG_USERS["restore"] = _debug_log_setup()
        _DEBUG_LOG_USERS["count"] += 1
    try:
        yield
    finally:
        with _DEBUG_LOG_LOCK:
            _DEBUG_LOG_USERS["count"] -= 1
            if not _DEBUG_LOG_USERS["count"]:
                restore, _DEBUG_LOG_USERS["restore"] = _DEBUG_LOG_USERS["restore"], None
                restore()


def _debug_log_setup():
    """debug_log()'s setup of the redfish logger; returns the function that undoes it."""
    logger = logging.getLogger("redfish")
    level, propagate = logger.level, logger.propagate
    logger.propagate = False
    handlers = [logging.NullHandler()]
    path = os.environ.get("SANBOOT_DEBUG_LOG")
    if path:
        handlers.append(logging.FileHandler(path))
        handlers[-1].setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.setLevel(logging.DEBUG)
    for handler in handlers:
        logger.addHandler(handler)

    def restore():
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(level)
        logger.propagate = propagate
    return restore


class Failure(Exception):
    """A failed run; `result` holds fail_json's arguments (msg, the error's details, requests)."""

    def __init__(self, result):
        super().__init__(result["msg"])
        self.result = result


class SanbootRun:
    """One run of a module's work on validated parameters. The *_ops functions are given this object
    (params, check_mode, protect, warn); `no_log_values` and `warnings` are what the caller must
    mask in and add to the result."""

    def __init__(self, params, check_mode=False, diff=False):
        self.params, self.check_mode, self.diff = params, check_mode, diff
        self.no_log_values = set()
        self.warnings = []

    def protect(self, *values):
        """Keep these values out of results and logs, wherever they might appear."""
        values = [v for v in values if isinstance(v, str) and v]
        self.no_log_values.update(values)
        protect(*values)

    def warn(self, text):
        self.warnings.append(text)

    def client(self):
        return transport.RedfishClient(**{k: self.params[k] for k in CONNECTION_ARGS})

    def execute(self, work, prepare=None):
        """`prepare(self)` checks the input before anything is sent to the BMC; then
        `work(self, client, prepared)` runs inside a session. Returns the result (with `requests`,
        `diff` only in diff mode); every SanbootError becomes one readable Failure, with the
        requests made so far."""
        if transport.IMPORT_ERROR is not None:
            raise Failure({"msg": missing_required_lib("redfish and tenacity"),
                           "exception": "".join(traceback.format_exception_only(transport.IMPORT_ERROR))})
        client = None
        with debug_log():
            try:
                prepared = prepare(self) if prepare else None
                client = self.client()
                with client:
                    result = work(self, client, prepared)
            except SanbootError as exc:
                failure = {"msg": exc.message}
                failure.update({k: v for k, v in exc.details.items() if v is not None})
                if client is not None:
                    failure["requests"] = client.requests
                    self.warnings.extend(client.warnings)
                raise Failure(failure) from exc
        result.setdefault("requests", client.requests)
        self.warnings.extend(client.warnings)
        diff = result.pop("diff", None)
        if diff is not None and self.diff:
            result["diff"] = diff
        return result


class SanbootModule:
    """AnsibleModule plus a SanbootRun; `run(work, prepare)` runs them and exits."""

    def __init__(self, argument_spec, **constraints):
        self.module = AnsibleModule(supports_check_mode=True, **module_spec(argument_spec, **constraints))
        self.core = SanbootRun(self.module.params, self.module.check_mode, self.module._diff)
        self.params = self.module.params
        self.check_mode = self.module.check_mode

    def protect(self, *values):
        self.core.protect(*values)

    def warn(self, text):
        self.core.warn(text)

    def run(self, work, prepare=None):
        try:
            result = self.core.execute(work, prepare)
        except Failure as failure:
            self._hand_over()
            self.module.fail_json(**failure.result)
        self._hand_over()
        self.module.exit_json(**result)

    def _hand_over(self):
        """The run's secrets and warnings to AnsibleModule, which masks and returns them."""
        self.module.no_log_values.update(self.core.no_log_values)
        for warning in self.core.warnings:
            self.module.warn(warning)
