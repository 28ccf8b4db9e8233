# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner of the action plugins: for the same arguments it returns what the module
returns (SanbootModule over a real AnsibleModule, run here too), with a fake RedfishClient."""

from __future__ import annotations

import json
import logging
import os
from types import SimpleNamespace

import pytest
from ansible.module_utils import _internal
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.vmw.sanboot.plugins.module_utils import module as glue
from ansible_collections.vmw.sanboot.plugins.module_utils import transport
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, ValidationError
from ansible_collections.vmw.sanboot.plugins.modules import iscsi_boot

ARGS = {"baseuri": "bmc1.example", "username": "root", "password": "calvin-password"}
SPEC = {"secret": {"type": "str", "no_log": True}, "count": {"type": "int", "default": 2},
        "choice": {"type": "str", "choices": ["a", "b"]},
        "chap": {"type": "dict", "no_log": False, "options": {"username": {"type": "str"},
                                                              "secret": {"type": "str", "no_log": True}}}}
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


class FakeClient:
    made = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.requests = ["GET /redfish/v1/"]
        self.warnings = []
        FakeClient.made.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.requests.append("DELETE session")
        return False


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """plugin_utils/in_process.py, imported by each test: importing the controller's code marks the
    process as the controller (AnsibleModule.warn then displays instead of returning), which must
    not reach the module tests that run after these in the same process."""
    monkeypatch.setattr(_internal, "is_controller", _internal.is_controller)
    from ansible_collections.vmw.sanboot.plugins.plugin_utils import in_process as plugin_utils
    return plugin_utils


@pytest.fixture
def both(monkeypatch, capsys, in_process):
    """run(args, work, ...) -> (module's result, in-process result), the module's warnings as text."""
    FakeClient.made = []
    monkeypatch.setattr(transport, "RedfishClient", FakeClient)

    def run(args, work, prepare=None, spec=None, constraints=None, check=False, diff=False):
        spec, constraints = spec or SPEC, constraints or {}
        ansible_warnings._global_warnings.clear()
        module_args = dict(args, _ansible_check_mode=check, _ansible_diff=diff, _ansible_module_name="vmw.sanboot.test")
        # this process imported the controller (the action plugin), where AnsibleModule.warn would
        # display a warning instead of returning it as a module process does
        with patch_module_args(module_args), monkeypatch.context() as patch:
            patch.setattr(_internal, "is_controller", False)
            with pytest.raises(SystemExit):
                glue.SanbootModule(spec, **constraints).run(work, prepare)
        module = json.loads(capsys.readouterr().out)
        ansible_warnings._global_warnings.clear()
        module["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in module.get("warnings", [])]
        module.pop("warnings") if not module["warnings"] else None
        here = in_process.run_in_process(glue.module_spec(spec, **constraints), work, prepare, args, "vmw.sanboot.test",
                                         check_mode=check, diff=diff)
        return module, here

    yield run
    ansible_warnings._global_warnings.clear()


def test_success_is_the_modules_result(both):
    def work(module, client, prepared):
        client.warnings.append("validate_certs is false: the BMC's identity is not verified")
        module.warn("from the work")
        return {"changed": True, "prepared": prepared, "check": module.check_mode, "diff": {"before": 1, "after": 2}}

    module, here = both(dict(ARGS, count="7"), work, prepare=lambda module: module.params["count"])
    assert here == module
    assert here["prepared"] == 7 and here["check"] is False           # coerced, as the module gets it
    assert here["requests"] == ["GET /redfish/v1/", "DELETE session"]
    assert here["warnings"] == ["from the work", "validate_certs is false: the BMC's identity is not verified"]
    assert "diff" not in here                                          # --diff is off
    assert here["invocation"]["module_args"]["password"] == MASK
    assert here["invocation"]["module_args"]["count"] == 7 and here["invocation"]["module_args"]["timeout"] == 30


def test_check_mode_and_diff_mode(both):
    def work(module, client, prepared):
        return {"changed": not module.check_mode, "diff": {"before": "a", "after": "b"}}

    module, here = both(ARGS, work, check=True, diff=True)
    assert here == module
    assert here["changed"] is False and here["diff"] == {"before": "a", "after": "b"}


def test_no_log_and_protected_values_are_masked_everywhere(both):
    def work(module, client, prepared):
        module.protect("chap-secret-01", None, "")
        return {"changed": True, "echo": "the secret is chap-secret-01", "password": "calvin-password",
                "nested": [{"value": "declared-secret"}], "flag": True, "none": None}

    args = dict(ARGS, secret="declared-secret", chap={"username": "esxi01", "secret": "nested-secret"})
    module, here = both(args, work)
    assert here == module
    text = json.dumps(here)
    assert not any(s in text for s in ("chap-secret-01", "calvin-password", "declared-secret", "nested-secret"))
    assert here["echo"] == "the secret is ********" and here["password"] == MASK
    assert here["invocation"]["module_args"]["chap"] == {"username": "esxi01", "secret": MASK}
    assert here["flag"] is True and here["none"] is None


def test_failure_has_the_modules_shape_and_masks_the_message(both):
    def work(module, client, prepared):
        module.protect("chap-secret-01")
        client.warnings.append("validate_certs is false: the BMC's identity is not verified")
        client.requests.append("PATCH /redfish/v1/Systems/1")
        raise RedfishError("PATCH", "/redfish/v1/Systems/1 chap-secret-01", 400, {"error": {"@Message.ExtendedInfo": [
            {"MessageId": "Base.1.8.PropertyValueNotInList", "Message": "Bad BootOrder."}]}})

    module, here = both(ARGS, work)
    assert here == module
    assert here["failed"] is True and here["status"] == 400
    assert here["msg"] == "PATCH /redfish/v1/Systems/1 ******** failed with HTTP 400: Bad BootOrder. (PropertyValueNotInList)"
    assert here["requests"] == ["GET /redfish/v1/", "PATCH /redfish/v1/Systems/1", "DELETE session"]
    assert here["warnings"] == ["validate_certs is false: the BMC's identity is not verified"]


def test_prepare_failure_before_any_client(both):
    def prepare(module):
        raise ValidationError("target.port", "70000 is outside 1-65535")

    module, here = both(ARGS, lambda *a: pytest.fail("work must not run"), prepare=prepare)
    assert here == module
    assert here["msg"] == "target.port: 70000 is outside 1-65535" and "requests" not in here
    assert FakeClient.made == []


@pytest.mark.parametrize("args, constraints, message", [
    ({"baseuri": "bmc1.example"}, {}, "one of the following is required: username, auth_token"),
    ({"baseuri": "bmc1.example", "username": "root"}, {}, "parameters are required together: username, password"),
    (dict(ARGS, choice="c"), {}, "value of choice must be one of: a, b, got: c"),
    (dict(ARGS, count="many"), {}, "cannot be converted to an int"),
    (dict(ARGS, bogus=1), {}, "Unsupported parameters for (vmw.sanboot.test) module: bogus."),
    (dict(ARGS, secret="s3cret-value", choice="a"), {"required_if": [("choice", "a", ("count", "chap"), False)]},
     "choice is a but all of the following are missing: chap"),
    (dict(ARGS, secret="s3cret-value", chap={"secret": "s3cret-value"}), {"mutually_exclusive": [("secret", "chap")]},
     "parameters are mutually exclusive: secret|chap"),
])
def test_validation_errors_are_the_modules(both, args, constraints, message):
    module, here = both(args, lambda *a: pytest.fail("must not run"), constraints=constraints)
    assert here == module
    assert here["failed"] is True and message in here["msg"]
    assert "s3cret-value" not in json.dumps(here)


def test_a_real_modules_spec_validates_the_same(both):
    """iscsi_boot's own spec and constraints: defaults of the suboptions, type coercion, required_if."""
    args = dict(ARGS, initiator={"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11"},
                target={"name": "iqn.2024-01.org.example.san:esxi01", "address": "192.0.2.1", "vlan_id": "120"},
                chap={"username": "esxi01", "secret": "esxi01-secret"})
    seen = []

    def work(module, client, prepared):
        seen.append(module.params)
        return {"changed": False}

    module, here = both(args, work, spec=iscsi_boot.ARGUMENT_SPEC, constraints=iscsi_boot.CONSTRAINTS)
    assert here == module
    assert seen[1]["target"] == {"name": "iqn.2024-01.org.example.san:esxi01", "address": "192.0.2.1", "port": 3260,
                                 "lun": 0, "vlan_id": 120}
    assert here["invocation"]["module_args"]["chap"]["secret"] == MASK
    module, here = both(dict(ARGS, state="present"), work, spec=iscsi_boot.ARGUMENT_SPEC,
                        constraints=iscsi_boot.CONSTRAINTS)
    assert here == module and here["msg"] == "state is present but all of the following are missing: initiator, target"


def test_unexpected_exception_is_a_masked_failure(monkeypatch, in_process):
    monkeypatch.setattr(transport, "RedfishClient", FakeClient)

    def work(module, client, prepared):
        raise KeyError("calvin-password")

    here = in_process.run_in_process(glue.module_spec(SPEC), work, None, ARGS, "vmw.sanboot.test")
    assert here["failed"] is True and here["msg"] == "KeyError: '********'"
    assert "calvin-password" not in json.dumps(here) and "Traceback" in here["exception"]


def test_missing_library_is_the_modules_failure(both, monkeypatch):
    monkeypatch.setattr(transport, "IMPORT_ERROR", ImportError("No module named 'redfish'"))
    module, here = both(ARGS, lambda *a: pytest.fail("must not run"))
    module.pop("exception", None)          # only with tracebacks on, in the module and here
    here.pop("exception", None)
    assert here == module and "redfish and tenacity" in here["msg"]


def test_debug_log_from_the_task_environment_then_gone(monkeypatch, in_process, tmp_path):
    monkeypatch.setattr(transport, "RedfishClient", FakeClient)
    monkeypatch.delenv("SANBOOT_DEBUG_LOG", raising=False)
    path = tmp_path / "redfish-debug.log"
    logger = logging.getLogger("redfish")
    handlers = list(logger.handlers)

    def work(module, client, prepared):
        module.protect("debug-log-secret")
        logging.getLogger("redfish.rest.v1").debug('Body: {"CHAPSecret": "%s"}', "debug-log-secret")
        return {"changed": False}

    with in_process.task_environment({"SANBOOT_DEBUG_LOG": str(path)}):
        in_process.run_in_process(glue.module_spec(SPEC), work, None, ARGS, "vmw.sanboot.test")
    assert 'Body: {"CHAPSecret": "********"}' in path.read_text()
    assert "SANBOOT_DEBUG_LOG" not in os.environ and logger.handlers == handlers


def test_task_environment_restores_what_was_there(monkeypatch, in_process):
    monkeypatch.setenv("SANBOOT_TEST_KEPT", "before")
    monkeypatch.delenv("SANBOOT_TEST_NEW", raising=False)
    with in_process.task_environment({"SANBOOT_TEST_KEPT": "during", "SANBOOT_TEST_NEW": 5}):
        assert os.environ["SANBOOT_TEST_KEPT"] == "during" and os.environ["SANBOOT_TEST_NEW"] == "5"
    assert os.environ["SANBOOT_TEST_KEPT"] == "before" and "SANBOOT_TEST_NEW" not in os.environ


def action(in_process, transport_name="local", async_val=0, become=False):
    """A SanbootAction with just what _in_process reads."""
    plugin = in_process.SanbootAction.__new__(in_process.SanbootAction)
    plugin._connection = SimpleNamespace(transport=transport_name)
    plugin._task = SimpleNamespace(async_val=async_val)
    plugin._play_context = SimpleNamespace(become=become)
    plugin._templar = SimpleNamespace(template=lambda value: value)
    return plugin


@pytest.mark.parametrize("task, task_vars, env, expected", [
    ({}, {}, None, True),
    ({}, {"sanboot_execution": "auto"}, "module", True),     # the variable wins over the environment
    ({}, {"sanboot_execution": "module"}, None, False),
    ({}, {}, "module", False),
    ({"transport_name": "ssh"}, {}, None, False),
    ({"async_val": 60}, {}, None, False),
    ({"become": True}, {}, None, False),
])
def test_in_process_only_when_local_and_not_asked_otherwise(monkeypatch, in_process, task, task_vars, env, expected):
    if env is None:
        monkeypatch.delenv("SANBOOT_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("SANBOOT_EXECUTION", env)
    assert action(in_process, **task)._in_process(task_vars) is expected


def test_module_when_the_libraries_are_missing_on_the_controller(monkeypatch, in_process):
    monkeypatch.delenv("SANBOOT_EXECUTION", raising=False)
    monkeypatch.setattr(transport, "IMPORT_ERROR", ImportError("No module named 'redfish'"))
    assert action(in_process)._in_process({}) is False


def test_unknown_execution_choice_fails(monkeypatch, in_process):
    from ansible.errors import AnsibleActionFail

    monkeypatch.setenv("SANBOOT_EXECUTION", "remote")
    with pytest.raises(AnsibleActionFail, match="sanboot_execution .or SANBOOT_EXECUTION. must be one of auto, module"):
        action(in_process)._in_process({})
