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
  - Names the vendor and the dialect the collection speaks with it; works on any vendor's BMC, also one without a
    dialect of its own (read with V(dmtf)), and leaves out what the BMC links but cannot serve.
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
bmc:
  description: What the BMC reports.
  returned: success
  type: dict
  contains:
    vendor:
      description: The vendor as the service root names it (C(Vendor), else its C(Oem) section), else the system's C(Manufacturer).
      type: str
    dialect:
      description: The dialect the collection speaks with this BMC (V(dmtf) for vendors without a dialect of their own).
      type: str
    dialect_variant:
      description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6), C(x12), C(x13)), or null.
      type: str
    system:
      description:
        - Manufacturer, model, serial number, BIOS version, power state, C(BootProgress), allowed reset types.
        - C(post_state) is where the host is in its POST as the vendor reports it (V(hpe) C(Oem.Hpe.PostState), one of
          C(PowerOff), C(InPost), C(InPostDiscoveryComplete), C(FinishedPost); V(lenovo) C(Oem.Lenovo.SystemStatus));
          null where the dialect has none.
        - C(bios_pending) are the BIOS attributes waiting for the next reset, where the dialect reads them (V(supermicro)
          C(/Bios/SD), C({}) when it has no C(Attributes)); null elsewhere.
      type: dict
    boot:
      description:
        - Boot order, C(BootNext), override, and every boot option (with the iSCSI target and LUN of its device path).
        - C(device_order) is, where the options are boot classes (Lenovo), the order of the devices inside each class
          the BMC shows, by the class's display name (the C(Network) class's list from the OEM NetworkBootOrder); else null.
      type: dict
    ports:
      description:
        - Every NIC port (NetworkDeviceFunction) with capabilities, C(boot_mode), C(iscsi) (masked) and C(pending) changes.
        - C(boot_mode) is the port's boot mode as its iSCSI configuration shows it (C(iSCSI) where the BIOS software
          initiator boots from the port, whatever the NIC's own C(BootMode) says), else the function's C(BootMode).
        - C(iscsi_methods) lists the methods of M(vmw.sanboot.iscsi_boot) that could configure the port
          (C(nic), C(bios)); empty when none can.
        - Ports are found through the chassis' C(NetworkAdapters) links, else the system's C(NetworkInterfaces);
          a chassis without adapters, or a linked resource the BMC cannot serve, is skipped.
      type: list
      elements: dict
      sample: [{"uri": "/redfish/v1/Chassis/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1",
                "adapter_id": "NIC.Slot.1", "function_id": "NIC.Slot.1-1-1", "mac": "b0:26:28:a1:00:01",
                "capabilities": ["Disabled", "Ethernet", "iSCSI"], "boot_mode": "PXE",
                "supported_apply_times": ["OnReset"], "iscsi_methods": ["nic", "bios"]}]
    firmware_version:
      description: The manager's firmware version.
      type: str
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import bmc_info_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, SanbootModule

ARGUMENT_SPEC = dict(SYSTEM_ARGS)

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(bmc_info_ops.run)


if __name__ == "__main__":
    main()
