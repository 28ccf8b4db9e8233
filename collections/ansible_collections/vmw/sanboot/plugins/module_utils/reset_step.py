# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reset a writing module can end with (configure, boot_order: `reboot`), done by power's own
code with the module's client: its session and reads are reused, so a pass and its reset cost one
task and one session instead of two (doc fragment vmw.sanboot.reset)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import power_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.step import Step

RESET_ARGS = {
    "reboot": {"type": "str", "default": "never", "choices": ["never", "auto", "always"]},
    "reset_type": {"type": "str", "default": "GracefulRestart",
                   "choices": ["GracefulRestart", "ForceRestart", "PowerCycle"]},
    "graceful_timeout": {"type": "int", "default": 300},
    "force_when_no_os": {"type": "bool", "default": True},
}


def wanted(params, needed):
    """The module's `reboot` asks for a reset now: always, or `auto` when something waits for one."""
    reboot = params.get("reboot") or "never"     # the step modules' own callers may leave it out
    return reboot == "always" or (reboot == "auto" and needed)


def reset(module, client, needed):
    """power's result for the reset the module's `reboot` asks for (`needed`: something waits for a
    reset), or None when it asks for none."""
    params = module.params
    if not wanted(params, needed):
        return None
    power = {"dialect": params["dialect"], "system_id": params.get("system_id"), "reset_type": params["reset_type"],
             "force_fallback": True, "force_when_no_os": params["force_when_no_os"],
             "graceful_timeout": params["graceful_timeout"], "poll_interval": params["poll_interval"],
             "read_back": False}
    result = power_ops.run(Step(module, power, module.check_mode), client, None)
    result.pop("diff", None)
    return result


def end_with_reset(module, client, result, needed):
    """`result` with the reset `reboot` asks for (`reset`: power's result, or None); a reset sent, or
    one check mode would send, makes the run changed."""
    result["reset"] = reset(module, client, needed)
    result["changed"] = result["changed"] or bool(result["reset"] and result["reset"]["changed"])
    return result
