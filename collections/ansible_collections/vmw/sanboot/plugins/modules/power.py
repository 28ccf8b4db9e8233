#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: power
short_description: Power a host on or off, or restart it, through Redfish
version_added: 0.1.0
description:
  - Sends one C(#ComputerSystem.Reset) action, after checking it against the BMC's
    C(ResetType@Redfish.AllowableValues), or, where the action has none inline, the C(AllowableValues) of its
    C(@Redfish.ActionInfo) (Supermicro, Lenovo).
  - V(On), V(ForceOff) and V(GracefulShutdown) are idempotent, nothing is sent when the host is already in that power state.
  - A graceful request that has no effect within O(graceful_timeout) seconds (no OS listening)
    is followed by its forced twin (C(ForceOff), C(ForceRestart)) unless O(force_fallback=false).
  - A graceful request (V(GracefulRestart), V(GracefulShutdown)) to a host that is on while its BMC shows that no OS
    runs is not sent at all when O(force_when_no_os) and O(force_fallback) are on. Its forced twin (C(ForceRestart),
    C(ForceOff), or C(ForceOff+On) on V(lenovo)) goes at once, with a warning naming the evidence, in a single reset
    action. RV(forced_because) says why, and RV(fallback_used) stays false. This happens, for example, at the first
    rollout of a SAN-boot host, whose firmware found nothing to boot.
  - The evidence depends on the dialect. With V(dmtf) and V(dell) it is C(BootProgress.LastState) C(OEM) with
    C(OemLastState) C(NoBootableDevice) (no POST state counts, as a BMC may leave one in place while its OS runs). With V(hpe) it is
    C(Oem.Hpe.PostState) C(InPost), C(InPostDiscoveryStart) or C(InPostDiscoveryComplete). V(lenovo) and
    V(supermicro) never give it, as their pre-OS states are unconfirmed or do not tell an OS from none. Where the
    evidence is missing or unclear the graceful request is sent as before. A host that is off is not judged.
  - A type the BMC does not offer is replaced, with a warning, when O(force_fallback) is on (a graceful one by its
    forced twin, V(PowerCycle) by V(ForceRestart) as HPE iLO offers no PowerCycle); otherwise the module fails naming
    the types the BMC allows.
  - On V(lenovo) (XCC offers no PowerCycle; GracefulRestart is not reliable on some models and ForceRestart can hang
    some, Lenovo advises power off then on) a restart that needs a substitute or a fallback is done by power,
    C(ForceOff), a wait of up to O(graceful_timeout) seconds for C(PowerState) C(Off), then C(On); RV(reset_type) is then
    C(ForceOff+On). PowerCycle is never sent there.
  - The action is never re-sent blindly. If its answer is lost, the system is read to see whether it happened.
  - Returns once the action was accepted; use M(vmw.sanboot.wait_for_boot) to wait for the boot.
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.system
attributes:
  check_mode:
    support: full
    description: Reports whether an action would be sent; sends nothing.
  diff_mode:
    support: full
    description: Shows the power state before and after.
options:
  reset_type:
    description: The reset to perform.
    type: str
    choices: ["On", ForceOff, GracefulShutdown, GracefulRestart, ForceRestart, PowerCycle]
    default: GracefulRestart
  force_fallback:
    description: Send the forced variant when the graceful one is not offered or has no effect.
    type: bool
    default: true
  force_when_no_os:
    description:
      - Send the forced twin of a graceful request at once, without waiting O(graceful_timeout), when the BMC shows
        that no OS runs on the host to honour it (see the description). It needs O(force_fallback).
      - Set it to V(false) for the behaviour before it existed, where the graceful request is always sent first.
    type: bool
    default: true
  graceful_timeout:
    description: Seconds to wait for a graceful request to show an effect before falling back.
    type: int
    default: 300
  poll_interval:
    description: Seconds before the second poll while waiting for a graceful request; each later pause is 1.5 times the one before, up to 4 times this value.
    type: float
    default: 5
seealso:
  - module: vmw.sanboot.wait_for_boot
"""

EXAMPLES = r"""
- name: Restart gracefully, forced after two minutes if the OS does not react
  vmw.sanboot.power:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    reset_type: GracefulRestart
    graceful_timeout: 120
  register: reset

- name: Make sure the host is on
  vmw.sanboot.power:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    reset_type: "On"
"""

RETURN = r"""
dialect:
  description: The dialect spoken with the BMC (V(dmtf), V(dell), V(hpe)).
  returned: always
  type: str
  sample: dell
dialect_variant:
  description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6)), or null when the dialect has none.
  returned: always
  type: str
  sample: idrac9
reset_type:
  description: The ResetType finally sent; C(ForceOff+On) when the restart was done by power (V(lenovo)).
  returned: when an action was sent (or would be, in check mode)
  type: str
  sample: ForceRestart
fallback_used:
  description: True when the graceful request had no effect and the forced one was sent (false when RV(forced_because) is set).
  returned: when an action was sent
  type: bool
forced_because:
  description:
    - Why the forced twin was sent instead of the graceful request, without waiting. It names the BMC's evidence that no
      OS runs. Null when no such evidence was used.
  returned: when an action was sent (or would be, in check mode)
  type: str
  sample: "BootProgress.LastState is OEM (NoBootableDevice): no OS is running to honour GracefulRestart"
sent_at:
  description: When the action was sent, by the controller's clock (UTC, ISO 8601).
  returned: when an action was sent
  type: str
  sample: "2026-11-26T04:46:21Z"
since:
  description:
    - The mark, by the BMC's clock, that evidence of the boot this reset starts must be later than; give it to
      M(vmw.sanboot.wait_for_boot) as O(vmw.sanboot.wait_for_boot#module:since). Read before the action.
    - With the V(dmtf) dialect the last C(BootProgress.LastStateTime); with V(dell) the iDRAC's C(DateTime)
      (its clock), else the system's C(LastResetTime); with V(hpe) the iLO's C(DateTime); with V(lenovo) the XCC's
      C(DateTime) and C(Oem.Lenovo.NumberOfReboots), as C(<DateTime>;reboots=<count>). Null when the BMC reports neither.
  returned: success
  type: str
  sample: "2026-11-26T04:46:20-06:00"
boot_progress_time_before:
  description: C(BootProgress.LastStateTime) before the action, by the BMC's clock (kept for compatibility; use RV(since)).
  returned: success
  type: str
power_state_before:
  description: C(PowerState) before the run.
  returned: success
  type: str
power_state:
  description: C(PowerState) after the action was accepted (may still be changing).
  returned: success
  type: str
system:
  description: URI of the computer system.
  returned: success
  type: str
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import power_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, SanbootModule

ARGUMENT_SPEC = dict(SYSTEM_ARGS, **{
    "reset_type": {"type": "str", "default": "GracefulRestart",
                   "choices": ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle"]},
    "force_fallback": {"type": "bool", "default": True},
    "force_when_no_os": {"type": "bool", "default": True},
    "graceful_timeout": {"type": "int", "default": 300},
    "poll_interval": {"type": "float", "default": 5},
})

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(power_ops.run)


if __name__ == "__main__":
    main()
