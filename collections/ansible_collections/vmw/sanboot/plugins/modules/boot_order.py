#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: boot_order
short_description: Put the iSCSI boot option first, boot it once, or set a boot order or override
version_added: 0.1.0
description:
  - Finds the UEFI boot option of an iSCSI target by its device path (the C(iSCSI(<target IQN>,...,<LUN>,...))
    node), or by display name, and puts it first in C(Boot.BootOrder) (O(mode=persistent)) or boots it
    once through C(BootNext) (O(mode=once)).
  - Or sets an explicit order (O(order)), or a one-time or continuous override (O(override_target)).
  - Boot firmware lists an iSCSI option only after a reset in which it logged in to the target. Until
    then the module reports RV(option_missing) and changes nothing (or fails, with O(fail_on_missing)).
  - The write follows the dialect. V(dmtf) PATCHes the system with C(If-Match); if another client wrote in between, it
    re-reads and re-plans once. V(dell) sends the order to the system's settings object (C(/Systems/<id>/Settings))
    where the iDRAC advertises one (iDRAC9 7.x, iDRAC10), else PATCHes the system; either creates a C(BIOSConfiguration)
    job and the order changes at the next reset (RV(pending), RV(job)). V(hpe) writes C(PersistentBootConfigOrder)
    (StructuredBootStrings such as C(NIC.Slot.1.1.iSCSI)) to HPE's boot settings object, applied at the next reset
    (RV(pending), no job); iLO refuses a boot-order change during POST, so the module first waits (bounded) for
    C(PostState) C(FinishedPost) or C(PowerOff). V(lenovo) boot options are boot classes; the class order goes to
    C(/Systems/1/Pending) (on older firmware the OEM C(BootSettings) C(BootOrder.BootOrder)) and, for the iSCSI option,
    the port's iSCSI entry is also put first in the OEM C(BootOrder.NetworkBootOrder); both with C(If-Match) and
    applied at the next reset (RV(pending), no job, RV(after) shows C(NetworkBootOrder)).
  - The iSCSI option is found per dialect. V(dmtf) matches the C(iSCSI(<target>,...,<LUN>)) node of its UEFI device path;
    V(dell) lists C(VenHw) placeholders, so the option whose C(DisplayName) starts with C(ISCSI Device) is taken.
    V(hpe) matches the device path too (iLO prints the LUN number itself, C(0x1)), else the C(StructuredBootString)
    of the software initiator's attempt for that target. V(lenovo) takes the C(Network) class once the port whose
    C(iSCSIBoot) names the target has an iSCSI entry in the network boot order (added after a successful login).
  - Idempotent against the current order and, where the BMC shows it, the order already scheduled for the next reset.
  - O(enable_options) enables boot options again (C(BootOptionEnabled) true), such as those
    M(vmw.sanboot.configure) disabled for an isolated first boot; enabling needs no reset. Given alone, it only
    enables; given with an order that the BMC refuses, the options are still enabled before the task fails.
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.system
  - vmw.sanboot.reset
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change.
  diff_mode:
    support: full
    description: Shows BootOrder, BootNext and the override before and after.
options:
  iscsi_target:
    description: Match the iSCSI boot option of this target.
    type: dict
    suboptions:
      name:
        description: Target iSCSI name.
        type: str
        required: true
      lun:
        description: Boot LUN; any LUN of the target when omitted.
        type: int
  display_name:
    description: Match the boot option with exactly this C(DisplayName).
    type: str
  mode:
    description: With a matched option, V(persistent) puts it first in C(BootOrder); V(once) boots it at the next reset only.
    type: str
    choices: [persistent, once]
    default: persistent
  order:
    description: An explicit order of C(BootOptionReference)s; options not listed keep their order after these.
    type: list
    elements: str
  override_target:
    description: Set C(BootSourceOverrideTarget) (V(None) clears an override).
    type: str
    choices: ["None", Pxe, Cd, Hdd, BiosSetup]
  override_enabled:
    description: C(BootSourceOverrideEnabled) for O(override_target).
    type: str
    choices: [Once, Continuous]
    default: Once
  enable_options:
    description:
      - C(BootOptionReference)s to enable (C(BootOptionEnabled) true) after the order is written; those already enabled
        are left alone, those the BMC no longer lists are named in RV(options_enabled) (not an error).
    type: list
    elements: str
  read_back:
    description:
      - After a change, read the order (and the options O(enable_options) enabled) back, and fail when the BMC shows
        something else (RV(read_back)). An order the BMC schedules for a reset is compared with its schedule.
    type: bool
    default: false
  fail_on_missing:
    description: Fail instead of reporting RV(option_missing) when no option matches.
    type: bool
    default: false
  poll_interval:
    description:
      - With O(reboot), seconds before the second poll of a graceful reset's effect.
      - Each later pause is 1.5 times the one before, up to 4 times this value.
    type: float
    default: 5
seealso:
  - module: vmw.sanboot.iscsi_boot
"""

EXAMPLES = r"""
- name: Put the option of our boot LUN first
  vmw.sanboot.boot_order:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    iscsi_target:
      name: iqn.2024-01.org.example.san:esxi01
      lun: 1
  register: order

- name: Boot the virtual CD once
  vmw.sanboot.boot_order:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    override_target: Cd
"""

RETURN = r"""
dialect:
  description: The dialect spoken with the BMC (V(dmtf), V(dell), V(hpe), V(lenovo), V(supermicro)).
  returned: always
  type: str
  sample: dell
dialect_variant:
  description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6)), or null when the dialect has none.
  returned: always
  type: str
  sample: idrac9
option_missing:
  description: True when no boot option matched (yet).
  returned: success
  type: bool
pending:
  description: True when a boot order change is scheduled for the next reset (written now by a job, or already
    scheduled before this run).
  returned: success
  type: bool
job:
  description: The configuration job that carries the change to the next reset (V(dell)), with C(id), C(uri), C(type),
    C(state), C(message); null when none was created.
  returned: success
  type: dict
  sample: {"id": "JID_123456789012", "uri": "/redfish/v1/Managers/iDRAC.Embedded.1/Jobs/JID_123456789012",
           "type": "BIOSConfiguration", "state": "Scheduled", "message": "Task successfully scheduled."}
option:
  description: The matched boot option.
  returned: when an option matched
  type: dict
  sample: {"reference": "Boot0004", "display_name": "UEFI: iSCSI iqn.2024-01.org.example.san:esxi01 LUN 1",
           "device_path": "PciRoot(0x0)/.../iSCSI(iqn.2024-01.org.example.san:esxi01,0x1,0x0001000000000000,None,None,CHAP_UNI,TCP)",
           "enabled": true}
before:
  description: C(BootOrder), C(BootNext), C(BootSourceOverrideTarget) and C(BootSourceOverrideEnabled) before.
  returned: success
  type: dict
after:
  description: The same after the change.
  returned: success
  type: dict
system:
  description: URI of the computer system.
  returned: success
  type: str
options_enabled:
  description: With O(enable_options), C(enabled) (the references enabled by this run) and C(missing) (those not listed).
  returned: when O(enable_options) is given
  type: dict
  sample: {"enabled": ["Boot0000", "Boot0001"], "missing": []}
read_back:
  description: With O(read_back) and a change, the C(order) and the C(enabled) options as read back.
  returned: when O(read_back) is true and something changed
  type: dict
reset:
  description: What M(vmw.sanboot.power) returns for the reset O(reboot) asked for (with C(since)), or null when none.
    V(auto) resets when the order changed or a change is pending.
  returned: success
  type: dict
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import boot_order_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, SanbootModule
from ansible_collections.vmw.sanboot.plugins.module_utils.reset_step import RESET_ARGS

ARGUMENT_SPEC = dict(SYSTEM_ARGS, **{
    "iscsi_target": {"type": "dict", "options": {"name": {"type": "str", "required": True}, "lun": {"type": "int"}}},
    "display_name": {"type": "str"},
    "mode": {"type": "str", "default": "persistent", "choices": ["persistent", "once"]},
    "order": {"type": "list", "elements": "str"},
    "override_target": {"type": "str", "choices": ["None", "Pxe", "Cd", "Hdd", "BiosSetup"]},
    "override_enabled": {"type": "str", "default": "Once", "choices": ["Once", "Continuous"]},
    "fail_on_missing": {"type": "bool", "default": False},
    "enable_options": {"type": "list", "elements": "str"},
    "read_back": {"type": "bool", "default": False},
    "poll_interval": {"type": "float", "default": 5},
})
ARGUMENT_SPEC.update(RESET_ARGS)

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {"mutually_exclusive": [("iscsi_target", "display_name", "order", "override_target")],
               "required_one_of": [("iscsi_target", "display_name", "order", "override_target", "enable_options")]}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(boot_order_ops.run, prepare=boot_order_ops.prepare)


if __name__ == "__main__":
    main()
