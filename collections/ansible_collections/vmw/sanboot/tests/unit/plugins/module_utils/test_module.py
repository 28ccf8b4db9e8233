# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module glue: SanbootModule over a real AnsibleModule, with a fake RedfishClient."""

from __future__ import annotations

import json
import logging

import pytest
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.vmw.sanboot.plugins.module_utils import module as glue
from ansible_collections.vmw.sanboot.plugins.module_utils import transport
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError, ValidationError

ARGS = {"baseuri": "bmc1.example", "username": "root", "password": "calvin-password"}


class FakeClient:
    made = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.requests = ["GET /redfish/v1/"]
        self.warnings = []
        self.entered = self.exited = False
        FakeClient.made.append(self)

    def __enter__(self):
        self.entered = True
        return self

    def __exit__(self, *exc_info):
        self.exited = True
        self.requests.append("DELETE session")
        return False


def warning_texts(out):
    """Module warnings as text (ansible-core 2.19 returns them as WarningSummary objects)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in out.get("warnings") or []]


@pytest.fixture
def run(monkeypatch, capsys):
    FakeClient.made = []
    monkeypatch.setattr(transport, "RedfishClient", FakeClient)
    ansible_warnings._global_warnings.clear()        # AnsibleModule keeps warnings process-wide

    def run(args, work, prepare=None, spec=None):
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exited:
                module = glue.SanbootModule(spec or {"secret": {"type": "str", "no_log": True}})
                module.run(work, prepare)
        raw = capsys.readouterr().out
        return exited.value.code, json.loads(raw), raw

    yield run
    ansible_warnings._global_warnings.clear()


def test_success_returns_result_with_requests_and_client_warnings(run):
    def work(module, client, prepared):
        client.warnings.append("validate_certs is false: the BMC's identity is not verified")
        return {"changed": True, "prepared": prepared, "diff": {"before": 1, "after": 2}}

    code, out, _raw = run(ARGS, work, prepare=lambda module: "ready")
    assert code == 0
    assert out["changed"] is True
    assert out["prepared"] == "ready"
    assert out["requests"] == ["GET /redfish/v1/", "DELETE session"]
    assert warning_texts(out) == ["validate_certs is false: the BMC's identity is not verified"]
    assert "diff" not in out                                    # --diff is off
    client = FakeClient.made[0]
    assert client.entered and client.exited


def test_diff_returned_only_with_diff_mode(run):
    code, out, _raw = run(dict(ARGS, _ansible_diff=True),
                          lambda module, client, prepared: {"changed": True, "diff": {"before": "a", "after": "b"}})
    assert code == 0
    assert out["diff"] == {"before": "a", "after": "b"}


def test_client_built_from_connection_options(run):
    run(dict(ARGS, ca_path="/etc/bmc-ca.pem", timeout=9, retries=1), lambda module, client, prepared: {"changed": False})
    assert FakeClient.made[0].kwargs == {"baseuri": "bmc1.example", "username": "root", "password": "calvin-password",
                                         "auth_token": None, "validate_certs": True, "ca_path": "/etc/bmc-ca.pem",
                                         "timeout": 9, "retries": 1, "dialect": "auto"}


def test_sanboot_error_becomes_fail_json_with_details_and_requests(run):
    def work(module, client, prepared):
        client.requests.append("PATCH /redfish/v1/Systems/1")
        raise RedfishError("PATCH", "/redfish/v1/Systems/1", 400, {"error": {"@Message.ExtendedInfo": [
            {"MessageId": "Base.1.8.PropertyValueNotInList", "Message": "Bad BootOrder."}]}})

    code, out, _raw = run(ARGS, work)
    assert code == 1
    assert out["failed"] is True
    assert out["msg"] == "PATCH /redfish/v1/Systems/1 failed with HTTP 400: Bad BootOrder. (PropertyValueNotInList)"
    assert out["status"] == 400
    assert out["bmc_messages"] == ["Bad BootOrder. (PropertyValueNotInList)"]
    assert out["requests"] == ["GET /redfish/v1/", "PATCH /redfish/v1/Systems/1", "DELETE session"]
    assert FakeClient.made[0].exited                             # the session was closed before failing


def test_validation_error_in_prepare_fails_before_any_client(run):
    def prepare(module):
        raise ValidationError("target.port", "70000 is outside 1-65535")

    code, out, _raw = run(ARGS, lambda *a: pytest.fail("work must not run"), prepare=prepare)
    assert code == 1
    assert out["msg"] == "target.port: 70000 is outside 1-65535"
    assert out["field"] == "target.port"
    assert "requests" not in out
    assert FakeClient.made == []


def test_none_details_are_dropped(run):
    def work(module, client, prepared):
        raise SanbootError("no", empty=None, kept=0)

    _code, out, _raw = run(ARGS, work)
    assert "empty" not in out and out["kept"] == 0
    assert "warnings" not in out


def test_protected_values_never_reach_the_output(run):
    def work(module, client, prepared):
        module.protect("chap-secret-01", None, "")
        return {"changed": True, "echo": "the secret is chap-secret-01"}

    _code, _out, raw = run(dict(ARGS, secret="declared-secret"), work)
    assert "chap-secret-01" not in raw
    assert "calvin-password" not in raw
    assert "declared-secret" not in raw


def test_username_or_token_required(run):
    code, out, _raw = run({"baseuri": "bmc1.example"}, lambda *a: pytest.fail("must not run"))
    assert code == 1
    assert "one of the following is required: username, auth_token" in out["msg"]


def test_username_needs_password(run):
    code, out, _raw = run({"baseuri": "bmc1.example", "username": "root"}, lambda *a: pytest.fail("must not run"))
    assert code == 1
    assert "parameters are required together: username, password" in out["msg"]


def test_missing_library_is_reported(run, monkeypatch):
    monkeypatch.setattr(transport, "IMPORT_ERROR", ImportError("No module named 'redfish'"))
    code, out, _raw = run(ARGS, lambda *a: pytest.fail("must not run"))
    assert code == 1
    assert "redfish and tenacity" in out["msg"]


def test_debug_log_masks_secrets(run, monkeypatch, tmp_path):
    path = tmp_path / "redfish-debug.log"
    monkeypatch.setenv("SANBOOT_DEBUG_LOG", str(path))
    logger = logging.getLogger("redfish")
    level, handlers = logger.level, list(logger.handlers)

    def work(module, client, prepared):
        module.protect("debug-log-secret")
        logging.getLogger("redfish.rest.v1").debug('Body: {"CHAPSecret": "%s"}', "debug-log-secret")
        return {"changed": False}

    try:
        run(ARGS, work)
        for handler in logger.handlers:
            handler.flush()
        text = path.read_text()
    finally:
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
    assert 'Body: {"CHAPSecret": "********"}' in text
    assert "debug-log-secret" not in text


def test_the_library_log_does_not_reach_the_root_logger_during_a_run(run, monkeypatch):
    """In-process, the root logger may carry Ansible's log_path handler: nothing of the library's
    may reach it, with or without SANBOOT_DEBUG_LOG; propagation is restored after the run."""
    monkeypatch.delenv("SANBOOT_DEBUG_LOG", raising=False)
    seen = []

    class Catch(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    root, catch = logging.getLogger(), Catch(level=logging.DEBUG)
    root.addHandler(catch)
    library = logging.getLogger("redfish.rest.v1")
    before = library.level, logging.getLogger("redfish").propagate

    def work(module, client, prepared):
        library.setLevel(logging.DEBUG)
        library.info("Attempt %s of %s", 1, "/redfish/v1/")
        return {"changed": False}

    try:
        run(ARGS, work)
    finally:
        root.removeHandler(catch)
        library.setLevel(before[0])
    assert seen == []
    assert logging.getLogger("redfish").propagate is before[1]
