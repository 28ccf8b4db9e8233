#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: bmc_info
short_description: Read what a BMC knows about its host's iSCSI boot
version_added: 0.1.0
description:
  - Vendor, model and firmware; the computer system with its power state and C(BootProgress);
    every NIC port with its capabilities, C(BootMode), iSCSI values (secrets masked), pending
    changes and supported apply times; the boot options, order, C(BootNext) and override.
  - Read-only.
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.system
attributes:
  check_mode:
    support: full
    description: Read-only; behaves the same.
  diff_mode:
    support: none
    description: Nothing is configured, so there is no diff.
"""

EXAMPLES = r"""
- name: Gather what the BMC reports
  vmw.sanboot.bmc_info:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
  register: info

- name: Show the first boot option
  ansible.builtin.debug:
    msg: "{{ info.bmc.boot.order[0] }}"
"""

RETURN = r"""
bmc:
  description: What the BMC reports.
  returned: success
  type: dict
  contains:
    vendor:
      description: The service root's C(Vendor).
      type: str
    dialect:
      description: The dialect the collection speaks with this BMC.
      type: str
    system:
      description: Manufacturer, model, serial number, BIOS version, power state, C(BootProgress), allowed reset types.
      type: dict
    boot:
      description: Boot order, C(BootNext), override, and every boot option (with the iSCSI target and LUN of its device path).
      type: dict
    ports:
      description: Every NIC port (NetworkDeviceFunction) with capabilities, C(BootMode), C(iscsi) (masked) and C(pending) changes.
      type: list
      elements: dict
    firmware_version:
      description: The manager's firmware version.
      type: str
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import info_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SanbootModule

ARGUMENT_SPEC = {"system_id": {"type": "str"}}


def main():
    SanbootModule(ARGUMENT_SPEC).run(info_ops.run)


if __name__ == "__main__":
    main()
