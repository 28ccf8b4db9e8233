#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: configure
short_description: Read, plan and apply a host's iSCSI boot values and boot order in one pass
version_added: 0.1.0
description:
  - One pass over one host, with one client and one set of reads; what the role runs instead of
    M(vmw.sanboot.bmc_info), the read-only plans and the applying runs of M(vmw.sanboot.iscsi_boot) and M(vmw.sanboot.boot_order).
  - Reads the system and the port, plans the iSCSI values (as M(vmw.sanboot.iscsi_boot) does, O(iscsi=true)) and
    the order with the iSCSI option first (as M(vmw.sanboot.boot_order) does), and, when something is to change
    (or the option is still missing), writes the before-state to O(backup_dir) B(before) the first write.
    Then it applies both; the applying steps reuse the plans' reads, so they send only the writes (and re-read
    the system and its boot options after an iSCSI write, which may change what the firmware lists).
  - Every input of every step is checked before the BMC is contacted.
  - With O(iscsi=false) the port is only read (by O(port), else the first iSCSI-capable port, else the first port),
    and a port whose target (pending, else current) is another one than O(iscsi_target) fails before anything is written.
  - With O(verify=true), a host whose pass leaves nothing to apply at a reset (RV(reboot_required) false) is checked in
    the same pass to be running from O(iscsi_target) now, as M(vmw.sanboot.wait_for_boot) without O(vmw.sanboot.wait_for_boot#module:since)
    checks it (RV(boot)); a failed check fails the task with its diagnosis.
  - With O(isolate_first_boot=true), when the iSCSI option is not listed yet (the firmware adds it in the boot after the
    settings), the pass also disables every enabled option of C(BootOrder) (C(BootOptionEnabled) false) before the
    reset, so that the boot can only come from the new iSCSI option. M(vmw.sanboot.wait_for_boot) with
    O(vmw.sanboot.wait_for_boot#module:first_enabled) then proves that boot, and M(vmw.sanboot.boot_order) with
    O(vmw.sanboot.boot_order#module:enable_options) puts the option first and enables the others again, without a
    second reset. RV(first_boot) lists the options disabled, or says why the dialect cannot do this (the boot order
    of V(dell), V(hpe), V(lenovo) and V(supermicro) applies only at a reset; an iSCSI option listed already).
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.iscsi_values
  - vmw.sanboot.system
  - vmw.sanboot.reset
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change; writes no backup.
  diff_mode:
    support: full
    description: Shows the port's iSCSI values (secrets masked) and the boot order before and after.
options:
  iscsi:
    description:
      - V(true) manages the port's iSCSI values (O(initiator) and O(target) required); V(false) leaves them as they
        are and only puts O(iscsi_target)'s option first.
    type: bool
    default: true
  iscsi_target:
    description: The iSCSI boot option to put first; by default O(target)'s name and LUN. Required with O(iscsi=false).
    type: dict
    suboptions:
      name:
        description: Target iSCSI name.
        type: str
        required: true
      lun:
        description: Boot LUN; any LUN of the target when omitted.
        type: int
  backup_dir:
    description:
      - Directory for the before-state (power, boot order, the port's values, secrets masked), written as
        C(<backup_name>-<UTC time>.json), mode 0600, before the first write; created (mode 0700) if missing.
      - Written where the task runs (the controller when it runs in-process, see the collection's docs).
    type: path
  backup_name:
    description: The backup file's name prefix, usually the inventory name; required with O(backup_dir).
    type: str
  isolate_first_boot:
    description:
      - When the iSCSI option is not listed yet, disable the other enabled boot options before the reset, so that the
        first boot can only come from the iSCSI option the firmware adds in it (RV(first_boot)). The options are not
        enabled again by this module; M(vmw.sanboot.boot_order) O(vmw.sanboot.boot_order#module:enable_options) does
        that after the boot (the role does it, and its rollback does it on failure).
      - The before-state (RV(before), the backup) holds every option's C(BootOptionEnabled) (C(boot.enabled)).
      - A run killed after the isolation leaves its mark on the BMC (every option of the order but the iSCSI ones
        disabled); the next run with O(isolate_first_boot=true) finishes that isolation (RV(first_boot)).
    type: bool
    default: false
  verify:
    description: Check a host that needs no reset to be running from O(iscsi_target) now (RV(boot)).
    type: bool
    default: false
  host_address:
    description: With O(verify), also require the host to answer on this address (TCP O(host_port)).
    type: str
  host_port:
    description: TCP port for O(host_address).
    type: int
    default: 443
  wait_timeout:
    description: With O(verify), seconds to wait for the host to answer on O(host_address).
    type: int
    default: 900
  poll_interval:
    description: Seconds before the second poll (of a BMC task, or of the check); each later pause is 1.5 times the one before, up to 4 times this value.
    type: float
    default: 5
seealso:
  - module: vmw.sanboot.iscsi_boot
  - module: vmw.sanboot.boot_order
  - module: vmw.sanboot.wait_for_boot
"""

EXAMPLES = r"""
- name: Configure iSCSI boot and put its option first, saving the before-state first; reset when something waits for it
  vmw.sanboot.configure:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    port:
      mac: "b0:26:28:a1:00:01"
    initiator:
      name: "iqn.1998-01.com.vmware:{{ inventory_hostname }}"
      address: 192.0.2.11
      netmask: 255.255.255.0
    target:
      name: iqn.2024-01.org.example.san:esxi01
      address: 192.0.2.50
      lun: 1
    backup_dir: "{{ playbook_dir }}/backups"
    backup_name: "{{ inventory_hostname }}"
    verify: true
    reboot: auto
  register: sanboot_pass
"""

RETURN = r"""
dialect:
  description: The dialect spoken with the BMC (V(dmtf), V(dell), V(hpe), V(lenovo), V(supermicro)).
  returned: always
  type: str
  sample: dmtf
dialect_variant:
  description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6)), or null when the dialect has none.
  returned: always
  type: str
  sample: null
vendor:
  description: The BMC's vendor (service root C(Vendor), else the system's C(Manufacturer)).
  returned: success
  type: str
system:
  description: URI of the computer system.
  returned: success
  type: str
before:
  description:
    - The before-state the backup holds, C(power), C(post_state), C(boot.order), C(boot.enabled) (each ordered option's
      C(BootOptionEnabled)) and C(port) (as M(vmw.sanboot.bmc_info) shows a port).
  returned: success
  type: dict
first_boot:
  description:
    - When the iSCSI option is not listed yet, the boot that will list it; null otherwise.
    - C(isolated) (the other options are disabled for it, O(isolate_first_boot)), C(disabled) (the references disabled;
      on failure, the ones disabled before it), C(why_not) (why not isolated, else null).
    - After a run killed during its isolated boot (the iSCSI option listed, every other option still disabled), also
      C(resumed) true and C(enabled_again) (the options enabled again). That boot is waited for and proven (with
      O(verify)), then the order is put first and the options enabled again, with no reset (RV(boot) is the proof).
  returned: success
  type: dict
  sample: {"isolated": true, "disabled": ["Boot0000", "Boot0001", "Boot0003"], "why_not": null}
backup:
  description: Path of the backup written, or null (nothing to change, check mode, or no O(backup_dir)).
  returned: success
  type: str
iscsi:
  description: What M(vmw.sanboot.iscsi_boot) would return for the port (its plan when nothing was written); null with O(iscsi=false).
  returned: success
  type: dict
order:
  description: What M(vmw.sanboot.boot_order) returns for O(iscsi_target) (C(option_missing) until the firmware lists it).
  returned: success
  type: dict
reboot_required:
  description: True when something waits for the next reset (iSCSI values, the order, or the option not listed yet).
  returned: success
  type: bool
boot:
  description: With O(verify) and nothing for a reset, what M(vmw.sanboot.wait_for_boot) returns for the current boot; else null.
  returned: success
  type: dict
reset:
  description: What M(vmw.sanboot.power) returns for the reset O(reboot) asked for (with C(since)), or null when none.
  returned: success
  type: dict
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import configure_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.iscsi_args import ISCSI_VALUE_ARGS
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, SanbootModule
from ansible_collections.vmw.sanboot.plugins.module_utils.reset_step import RESET_ARGS

_BOOT_TARGET = {"name": {"type": "str", "required": True}, "lun": {"type": "int"}}
ARGUMENT_SPEC = dict(SYSTEM_ARGS, **ISCSI_VALUE_ARGS)
ARGUMENT_SPEC.update({
    "iscsi": {"type": "bool", "default": True},
    "iscsi_target": {"type": "dict", "options": _BOOT_TARGET},
    "backup_dir": {"type": "path"},
    "backup_name": {"type": "str"},
    "isolate_first_boot": {"type": "bool", "default": False},
    "verify": {"type": "bool", "default": False},
    "host_address": {"type": "str"},
    "host_port": {"type": "int", "default": 443},
    "wait_timeout": {"type": "int", "default": 900},
    "poll_interval": {"type": "float", "default": 5},
})
ARGUMENT_SPEC.update(RESET_ARGS)

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {"required_if": [("iscsi", True, ("initiator", "target")), ("iscsi", False, ("iscsi_target",))],
               "required_by": {"backup_dir": ("backup_name",)}}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(configure_ops.run, prepare=configure_ops.prepare)


if __name__ == "__main__":
    main()
