#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iscsi_boot
short_description: Ensure a NIC port's iSCSI boot configuration through Redfish
version_added: 0.1.0
description:
  - Sets the iSCSI boot values of one NIC port (C(NetworkDeviceFunction.iSCSIBoot) and C(BootMode)),
    the values the NIC firmware writes into the iBFT that ESXi boots from.
  - Compares the desired values with what the BMC reports B(and) with what is already pending
    in its settings object, so values staged earlier are not sent again and a second run changes nothing.
  - Every option is validated before the BMC is contacted.
  - CHAP secrets cannot be compared (BMCs read them back as null or empty); O(chap_secret_update) decides when they are sent.
  - Where the iSCSI values live depends on the vendor (O(dialect)) and, on Dell and HPE, on O(iscsi_method), either the
    port's C(NetworkDeviceFunction.iSCSIBoot) (C(nic)) or the BIOS UEFI software initiator (C(bios)).
  - On V(dell) every value is also checked against the live BIOS attribute registry before anything is written
    (patterns, lengths, types and bounds change with the BIOS version), and the change is carried by an iDRAC
    configuration job (RV(job)) that runs at the next reset.
  - On V(hpe) the values HPE's schema refuses (a target name other than C(iqn.), CHAP secrets other than 12-16
    characters, user names over 126, VLAN, DNS or a secondary target with the software initiator) fail before
    anything is written; iLO judges the rest only at the next reset, where M(vmw.sanboot.wait_for_boot) reports a refusal.
  - On V(lenovo) the values go to the function's C(Pending) object with C(If-Match) (the ETag just read from it; a 412
    is read again and retried once), CHAP keys only under CHAP or MutualCHAP, C(BootMode) never sent (XCC shows none;
    a port naming a target boots iSCSI; O(state=absent) clears the target name); a port whose adapter offers no
    C(Pending) iSCSI settings fails before anything is written. Applied at the next reset (C(OnReset) only).
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.iscsi_values
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change.
  diff_mode:
    support: full
    description: Shows the port's values before and after, secrets masked.
options:
  state:
    description:
      - V(present) configures iSCSI boot on the port; V(absent) sets its C(BootMode) to C(Disabled)
        (the other values are left as they are).
    type: str
    choices: [present, absent]
    default: present
  poll_interval:
    description: Seconds before the second poll of a task; each later pause is 1.5 times the one before, up to 4 times this value.
    type: float
    default: 2
seealso:
  - module: vmw.sanboot.boot_order
  - module: vmw.sanboot.wait_for_boot
"""

EXAMPLES = r"""
- name: Configure iSCSI boot on the port with this MAC, applied at the next reset
  vmw.sanboot.iscsi_boot:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    ca_path: /etc/pki/bmc-ca.pem
    port:
      mac: "b0:26:28:a1:00:01"
    initiator:
      name: "iqn.1998-01.com.vmware:{{ inventory_hostname }}"
      address: 192.0.2.11
      netmask: 255.255.255.0
      gateway: 192.0.2.1
    target:
      name: iqn.2024-01.org.example.san:esxi01
      address: 192.0.2.200
      lun: 1
      vlan_id: 120
    chap:
      username: esxi01
      secret: "{{ vault_chap_secret }}"
  register: iscsi

- name: Reboot only when something is pending
  vmw.sanboot.power:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    reset_type: GracefulRestart
  when: iscsi.reboot_required

- name: Configure the Dell BIOS iSCSI initiator on port NIC.Integrated.1-1-1
  vmw.sanboot.iscsi_boot:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    iscsi_method: bios
    port:
      adapter_id: NIC.Integrated.1
      function_id: NIC.Integrated.1-1-1
    initiator:
      name: "iqn.1998-01.com.vmware:{{ inventory_hostname }}"
      address: 192.0.2.12
      netmask: 24
    target:
      name: iqn.2024-01.org.example.san:esxi02
      address: 192.0.2.200
      lun: 1

- name: Turn iSCSI boot off on adapter NIC.Slot.1, function 1
  vmw.sanboot.iscsi_boot:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    state: absent
    port:
      adapter_id: NIC.Slot.1
      function_id: "1"
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
port:
  description: The port worked on.
  returned: success
  type: dict
  sample: {"uri": "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1",
           "adapter_id": "NIC.Slot.1", "function_id": "1", "mac": "b0:26:28:a1:00:01",
           "capabilities": ["Ethernet", "iSCSI"], "boot_mode": "PXE", "supported_apply_times": ["Immediate", "OnReset"]}
apply_time:
  description: The apply time used (or that would be used).
  returned: success
  type: str
  sample: OnReset
before:
  description: C(BootMode) and C(iSCSIBoot) as the BMC reported them before the run; secrets masked.
  returned: success
  type: dict
after:
  description: C(BootMode) and C(iSCSIBoot) as they will be once applied; secrets masked.
  returned: success
  type: dict
pending:
  description: Changes that were already pending in the BMC's settings object before this run (masked); empty when none.
  returned: success
  type: dict
reboot_required:
  description: True when a change was made or is pending that only a reset of the host puts into effect.
  returned: success
  type: bool
method:
  description: The iSCSI method used, C(nic) or C(bios) (see O(iscsi_method)).
  returned: success
  type: str
  sample: bios
job:
  description: The configuration job the change created (V(dell)), with C(id), C(uri), C(type), C(state), C(message);
    null when no job was created (nothing changed, check mode, or a dialect without jobs).
  returned: success
  type: dict
  sample: {"id": "JID_123456789012", "uri": "/redfish/v1/Managers/iDRAC.Embedded.1/Jobs/JID_123456789012",
           "type": "BIOSConfiguration", "state": "Scheduled", "message": "Task successfully scheduled."}
task:
  description: The BMC task that applied an C(Immediate) change.
  returned: when the BMC ran a task
  type: dict
  sample: {"uri": "/redfish/v1/TaskService/TaskMonitors/3", "state": "Completed", "status": "OK"}
requests:
  description: The HTTP requests made, C(METHOD path), login and logout included.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import iscsi_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.iscsi_args import ISCSI_VALUE_ARGS
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SanbootModule

ARGUMENT_SPEC = dict({"state": {"type": "str", "default": "present", "choices": ["present", "absent"]}}, **ISCSI_VALUE_ARGS)
ARGUMENT_SPEC.update({"poll_interval": {"type": "float", "default": 2}})

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {"required_if": [("state", "present", ("initiator", "target"))]}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(iscsi_boot_ops.run, prepare=iscsi_boot_ops.prepare)


if __name__ == "__main__":
    main()
