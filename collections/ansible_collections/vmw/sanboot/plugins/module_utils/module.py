# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue every module uses: the shared argument spec, one client per run, one error handler."""

from __future__ import annotations

import logging
import os
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


def _debug_log():
    """SANBOOT_DEBUG_LOG=<file> (set with the task's `environment:`) sends python-redfish-library's
    DEBUG log, request and response bodies included, to that file, for support cases. Secrets
    are masked there like everywhere else (redaction.protect)."""
    path = os.environ.get("SANBOOT_DEBUG_LOG")
    if not path:
        return
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("redfish")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)


class SanbootModule:
    """AnsibleModule plus the Redfish client; `run(work)` calls work(self, client) and exits."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGS)
        spec.update(argument_spec)
        kwargs["required_one_of"] = [("username", "auth_token")] + list(kwargs.get("required_one_of") or [])
        kwargs["required_together"] = [("username", "password")] + list(kwargs.get("required_together") or [])
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        if transport.IMPORT_ERROR is not None:
            self.module.fail_json(msg=missing_required_lib("redfish and tenacity"),
                                  exception="".join(traceback.format_exception_only(transport.IMPORT_ERROR)))
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        _debug_log()

    def protect(self, *values):
        """Keep these values out of results and logs, wherever they might appear."""
        values = [v for v in values if isinstance(v, str) and v]
        self.module.no_log_values.update(values)
        protect(*values)

    def warn(self, text):
        self.module.warn(text)

    def client(self):
        return transport.RedfishClient(**{k: self.params[k] for k in CONNECTION_ARGS})

    def run(self, work, prepare=None):
        """`prepare(self)` checks the input before anything is sent to the BMC; then
        `work(self, client, prepared)` runs inside a session. Every SanbootError becomes one
        readable failure, with the requests made so far."""
        client = None
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
                failure["warnings"] = client.warnings or None
            self.module.fail_json(**{k: v for k, v in failure.items() if v is not None})
        result.setdefault("requests", client.requests)
        for warning in client.warnings:
            self.module.warn(warning)
        diff = result.pop("diff", None)
        if diff is not None and self.module._diff:
            result["diff"] = diff
        self.module.exit_json(**result)
