# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vmw.sanboot.wait_for_boots: one task per batch (run_once) that runs every host's vmw.sanboot.wait_for_boot
in-process on the controller, each in its own thread (plugin_utils/wait_batch.py), and returns each
host's own result. It needs the other hosts' variables, so there is no module to fall back to: the
connection must be local."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.vmw.sanboot.plugins.module_utils import wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import module_spec
from ansible_collections.vmw.sanboot.plugins.modules import wait_for_boot, wait_for_boots
from ansible_collections.vmw.sanboot.plugins.plugin_utils import wait_batch
from ansible_collections.vmw.sanboot.plugins.plugin_utils.in_process import run_in_process, task_environment

NAME = "vmw.sanboot.wait_for_boots"
WAIT = "vmw.sanboot.wait_for_boot"
SPEC = module_spec(wait_for_boot.ARGUMENT_SPEC, **wait_for_boot.CONSTRAINTS)

display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self.validate_argument_spec(argument_spec=wait_for_boots.ARGUMENT_SPEC)[1]
        if args["max_concurrent"] < 0:
            raise AnsibleActionFail("%s: max_concurrent must be 0 (every host at once) or more, not %d"
                                    % (NAME, args["max_concurrent"]))
        if self._connection.transport != "local":
            raise AnsibleActionFail(
                "%s runs only on the controller, in-process, and the connection of this task is %r: set "
                "connection: local (or delegate_to: localhost) on it; there is no module to run remotely, "
                "as it reads the other hosts' variables" % (NAME, self._connection.transport))
        hostvars = task_vars.get("hostvars")
        if hostvars is None:
            raise AnsibleActionFail("%s: the task has no hostvars to read the hosts' requests from" % NAME)
        hosts = list(dict.fromkeys(args["hosts"]))
        unknown = [host for host in hosts if host not in hostvars]
        if unknown:
            raise AnsibleActionFail("%s: hosts not in the inventory: %s" % (NAME, ", ".join(unknown)))

        requests, failed, skipped, secrets = {}, {}, {}, set()
        for host in hosts:
            request, problem = self._request(hostvars, host, args["request_var"])
            if request and not problem and args["since_from"]:
                request, skip = self._since(hostvars, host, args["since_from"], request)
                if skip:
                    skipped[host] = skip
                    continue
            if problem:
                failed[host] = {"failed": True, "msg": problem}
            elif not request:
                skipped[host] = "%s is not set for %s: not waited for" % (args["request_var"], host)
            else:
                requests[host] = request
                secrets.update(wait_batch.no_log_values(SPEC, request))

        check_mode, workers = bool(self._task.check_mode), args["max_concurrent"] or len(requests)
        display.vvv("%s waits for %d hosts in-process on the controller, %d at a time (%s skipped)"
                    % (NAME, len(requests), min(workers, len(requests)), len(skipped)),
                    host=self._play_context.remote_addr)

        def run_one(request):
            return run_in_process(SPEC, wait_for_boot_ops.run, wait_for_boot_ops.prepare, request, WAIT,
                                  check_mode=check_mode, diff=False)

        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment), wait_batch.shared_state():
            results = wait_batch.run_all(requests, run_one, args["max_concurrent"])
        results.update(failed)
        result.update(wait_batch.batch_result(hosts, results, skipped, secrets))
        return result

    @staticmethod
    def _since(hostvars, host, names, request):
        """(the request with `since` from the first of the host's registered power results that reset
        it, None), or (None, why the host is not waited for)."""
        for name in names:
            variable, *keys = name.split(".")
            reset = hostvars[host].get(variable) if variable in hostvars[host] else None
            for key in keys:
                reset = reset.get(key) if isinstance(reset, dict) else None
            if isinstance(reset, dict) and reset.get("changed") and not reset.get("skipped") and reset.get("since"):
                return dict(request, since=reset["since"]), None
        return None, "none of %s reset %s: not waited for" % (", ".join(names), host)

    @staticmethod
    def _request(hostvars, host, name):
        """(the host's request, None), templated in the host's own variables, or (None, why it cannot be read)."""
        variables = hostvars[host]
        if name not in variables:
            return None, None
        try:
            request = variables[name]
        except AnsibleError as exc:
            return None, "%s: hostvars[%r][%r] cannot be templated: %s" % (host, host, name, exc.message)
        if request and not isinstance(request, dict):
            kind = next((t.__name__ for t in (str, bool, int, float, list) if isinstance(request, t)), type(request).__name__)
            return None, "%s: %s must be a dict of %s's arguments, not %s" % (host, name, WAIT, kind)
        return request, None
