# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reset a writing module can end with (module_utils/reset_step.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  reboot:
    description:
      - Reset the host at the end of the run, as M(vmw.sanboot.power) does (same fallbacks, same evidence), with this
        run's client (its session and reads are reused).
      - V(auto) resets when something the run wrote or found pending waits for a reset; V(always) resets anyway;
        V(never) (the default) leaves it to you.
      - In check mode it reports the reset it would send and sends nothing. RV(reset) holds power's result, with its
        C(since) for M(vmw.sanboot.wait_for_boot); its C(power_state) is null (the system is not read again after the
        reset, as a wait for the boot follows). A reset sent (or, in check mode, one that would be) makes the run
        report C(changed).
    type: str
    choices: [never, auto, always]
    default: never
  reset_type:
    description: The reset O(reboot) sends (a graceful one falls back to its forced twin, as in M(vmw.sanboot.power)).
    type: str
    choices: [GracefulRestart, ForceRestart, PowerCycle]
    default: GracefulRestart
  graceful_timeout:
    description: Seconds a graceful reset may take before its forced twin is sent.
    type: int
    default: 300
  force_when_no_os:
    description: Send the forced twin at once when the BMC shows that no OS runs to honour a graceful reset.
    type: bool
    default: true
"""
