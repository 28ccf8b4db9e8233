#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: wait_for_boot
short_description: Wait until a host has really booted from its iSCSI LUN
version_added: 0.1.0
description:
  - Redfish has no "booted from iSCSI" property, so success is the conjunction of the signals a BMC gives
    (power C(On); C(BootProgress.LastState) reached O(state) with C(LastStateTime) after O(since); and,
    when O(iscsi_target) is given, the UEFI boot option whose device path carries
    C(iSCSI(<target>,...,<LUN>,...)) exists and is first in C(BootOrder) or is O(boot_option)).
  - Fails early when the firmware reports no bootable device, and on failure or timeout returns the
    timeline of states seen and the BMC's log entries since O(since), with the most telling entry
    (for example C(iSCSI login failed ... authentication failure)) in the message.
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.system
  - vmw.sanboot.wait
attributes:
  check_mode:
    support: full
    description: Reads the current state once and reports whether the host is already booted.
  diff_mode:
    support: none
    description: Nothing is configured, so there is no diff.
options:
  state:
    description: The C(BootProgress.LastState) to wait for.
    type: str
    choices: [OSBootStarted, OSRunning]
    default: OSRunning
  since:
    description:
      - Only states with a C(LastStateTime) later than this count (ISO 8601, by the BMC's clock).
      - Pass RV(vmw.sanboot.power#module:boot_progress_time_before) of the reset, so a state left from an earlier boot is not taken for this one.
    type: str
  iscsi_target:
    description: The target the host must have booted from.
    type: dict
    suboptions:
      name:
        description: Target iSCSI name.
        type: str
        required: true
      lun:
        description: Boot LUN.
        type: int
  boot_option:
    description: The C(BootOptionReference) booted through C(BootNext), accepted as evidence instead of being first in C(BootOrder).
    type: str
seealso:
  - module: vmw.sanboot.power
"""

EXAMPLES = r"""
- name: Restart
  vmw.sanboot.power:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    reset_type: ForceRestart
  register: reset

- name: Wait until ESXi runs from the SAN LUN
  vmw.sanboot.wait_for_boot:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    since: "{{ reset.boot_progress_time_before }}"
    iscsi_target:
      name: iqn.2024-01.org.example.san:esxi01
      lun: 1
    wait_timeout: 1200
"""

RETURN = r"""
booted:
  description: True when the host booted as required.
  returned: always
  type: bool
state:
  description: The BootProgress state reached (OEM states as C(OEM:<name>)).
  returned: success
  type: str
state_time:
  description: Its C(LastStateTime).
  returned: success
  type: str
last_boot_seconds:
  description: C(BootProgress.LastBootTimeSeconds) when the BMC reports it.
  returned: success
  type: float
boot_option:
  description: The iSCSI boot option that is the evidence.
  returned: when iscsi_target is given and the host booted from it
  type: dict
timeline:
  description: Each distinct state seen, with its time and when it was seen.
  returned: always
  type: list
  elements: dict
  sample: [{"state": "PrimaryProcessorInitializationStarted", "time": "2026-11-26T04:50:01.120Z", "power": "On", "seen_after_s": 0.0},
           {"state": "OSRunning", "time": "2026-11-26T04:50:09.400Z", "power": "On", "seen_after_s": 10.0}]
log_entries:
  description: The BMC's log entries since O(since), on failure.
  returned: failure
  type: list
  elements: dict
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import wait_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import WAIT_ARGS, SanbootModule

ARGUMENT_SPEC = dict(WAIT_ARGS, **{
    "state": {"type": "str", "default": "OSRunning", "choices": ["OSBootStarted", "OSRunning"]},
    "since": {"type": "str"},
    "iscsi_target": {"type": "dict", "options": {"name": {"type": "str", "required": True}, "lun": {"type": "int"}}},
    "boot_option": {"type": "str"},
    "system_id": {"type": "str"},
})


def main():
    SanbootModule(ARGUMENT_SPEC).run(wait_ops.run, prepare=wait_ops.prepare)


if __name__ == "__main__":
    main()
