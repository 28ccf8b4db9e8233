# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vmw.sanboot modules run in-process on the controller.

Every module has an action plugin of the same name (plugins/action/<module>.py, a SanbootAction).
When the task's connection is local (ansible_connection local, or delegate_to localhost), the
action runs the module's own code (module_utils: module_spec, SanbootRun with the module's prepare
and work) inside the controller's worker process: no AnsiballZ payload, no new Python process.
`run_in_process` returns what the module returns: the arguments validated by the module's spec
(ArgumentSpecValidator, as AnsibleModule does), no_log and protect()ed values masked with
remove_values (invocation.module_args and failure messages too), warnings, check and diff mode.

The module runs instead (self._execute_module, as before this plugin) when the connection is not
local, the task is async or uses become, redfish or tenacity cannot be imported on the controller
(the module then reports them missing, or finds them in the interpreter it is given), or
`sanboot_execution: module` (a variable) or SANBOOT_EXECUTION=module (the controller's environment)
asks for it.

Cost per task: the action plugin, module_utils and python-redfish-library are imported when the
strategy loads the action class in the main process (class_only), so each forked worker inherits them.
"""

from __future__ import annotations

import contextlib
import json
import os
import traceback

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.vmw.sanboot.plugins.module_utils import transport
from ansible_collections.vmw.sanboot.plugins.module_utils.module import Failure, SanbootRun

EXECUTION_VAR = "sanboot_execution"
EXECUTION_ENV = "SANBOOT_EXECUTION"
EXECUTION_CHOICES = ("auto", "module")
PROFILE = "legacy"  # the modules' serialization profile (they declare none)

display = Display()


def _through_json(value, direction):
    """`value` as it crosses between controller and module: JSON with the modules' profile."""
    text = json.dumps(value, cls=get_module_encoder(PROFILE, direction))
    return json.loads(text, cls=get_module_decoder(PROFILE, direction))


def run_in_process(spec, work, prepare, args, name, check_mode=False, diff=False):
    """The result the module `name` returns for the task arguments `args`, computed here.
    `spec` is module_spec()'s dict; `work` and `prepare` are what the module gives SanbootModule.run."""
    params = _through_json(args, Direction.CONTROLLER_TO_MODULE)
    validation = ArgumentSpecValidator(**spec).validate(params)
    params.update(validation.validated_parameters)
    no_log_values = set(validation._no_log_values)
    warnings = ["Both option {option} and its alias {alias} are set.".format(**w) for w in validation._warnings]
    deprecations = [dict(d) for d in validation._deprecations]
    if validation.error_messages:
        msg = validation.errors.msg
        if isinstance(validation.errors[0], UnsupportedError):
            msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
        result = {"failed": True, "msg": msg}
    else:
        run = SanbootRun(params, check_mode=check_mode, diff=diff)
        try:
            result = run.execute(work, prepare)
        except Failure as failure:
            result = dict(failure.result, failed=True)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # where the module would die with a traceback: the same failure, masked like the rest
            result = {"failed": True, "msg": "%s: %s" % (type(exc).__name__, exc), "exception": traceback.format_exc()}
        no_log_values.update(run.no_log_values)
        warnings.extend(run.warnings)
    # AnsibleModule._return_formatted: the invocation, warnings and deprecations, then every
    # no_log value masked except in booleans and nulls
    result["invocation"] = {"module_args": params}
    if warnings:
        result["warnings"] = warnings
    if deprecations:
        result["deprecations"] = deprecations
    preserved = {k: v for k, v in result.items() if v is None or isinstance(v, bool)}
    result = remove_values(result, no_log_values)
    result.update(preserved)
    return _through_json(result, Direction.MODULE_TO_CONTROLLER)


@contextlib.contextmanager
def task_environment(environment):
    """The task's `environment:` in os.environ while the module's code runs (a module process would
    have it), then os.environ as it was. The worker is a fork for this one task, so nothing could
    reach another task anyway; restoring keeps the process clean whatever runs after."""
    saved = {str(key): os.environ.get(str(key)) for key in environment}
    os.environ.update({str(key): str(value) for key, value in environment.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class SanbootAction(ActionBase):
    """The action of one vmw.sanboot module: SPEC is module_spec() of the module's ARGUMENT_SPEC and
    CONSTRAINTS, WORK and PREPARE the functions the module's main() gives SanbootModule.run."""

    _supports_check_mode = True
    _supports_async = True

    SPEC = None
    WORK = None
    PREPARE = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        if not self._in_process(task_vars):
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        name = self._task.resolved_action or self._task.action  # the FQCN, as the module names itself
        display.vvv("%s runs in-process on the controller" % name, host=self._play_context.remote_addr)
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            result.update(run_in_process(self.SPEC, self.WORK, self.PREPARE, self._task.args, name,
                                         check_mode=bool(self._task.check_mode), diff=bool(self._task.diff)))
        return result

    def _in_process(self, task_vars):
        choice = task_vars.get(EXECUTION_VAR)
        choice = self._templar.template(choice) if choice is not None else os.environ.get(EXECUTION_ENV, "auto")
        if choice not in EXECUTION_CHOICES:
            raise AnsibleActionFail("%s (or %s) must be one of %s, not %r" % (
                EXECUTION_VAR, EXECUTION_ENV, ", ".join(EXECUTION_CHOICES), choice))
        return (choice == "auto" and self._connection.transport == "local" and not self._task.async_val
                and not self._play_context.become and transport.IMPORT_ERROR is None)
