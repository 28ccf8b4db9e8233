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
  port:
    description:
      - Which port. By O(port.mac), by O(port.adapter_id) and O(port.function_id) (fewest requests),
        or, with neither, the first iSCSI-capable port.
    type: dict
    suboptions:
      mac:
        description: MAC address of the port.
        type: str
      adapter_id:
        description: C(Id) of the NetworkAdapter.
        type: str
      function_id:
        description: C(Id) of the NetworkDeviceFunction on that adapter.
        type: str
  initiator:
    description: The host side.
    type: dict
    suboptions:
      name:
        description: Initiator iSCSI name (C(iqn.), C(eui.) or C(naa.) form, RFC 3720/3721).
        type: str
        required: true
      address:
        description: Initiator IP address. Required unless O(initiator.dhcp).
        type: str
      netmask:
        description: Netmask (C(255.255.255.0)) or prefix length (C(24)).
        type: str
      gateway:
        description: Default gateway.
        type: str
      primary_dns:
        description: Primary DNS server.
        type: str
      secondary_dns:
        description: Secondary DNS server.
        type: str
      dhcp:
        description: Take address, mask and DNS from DHCP (C(IPMaskDNSViaDHCP)).
        type: bool
        default: false
  target:
    description: The primary boot target.
    type: dict
    suboptions:
      name:
        description: Target iSCSI name.
        type: str
        required: true
      address:
        description: Target portal IP address.
        type: str
        required: true
      port:
        description: Target portal TCP port.
        type: int
        default: 3260
      lun:
        description: Boot LUN, 0-16383.
        type: int
        default: 0
      vlan_id:
        description:
          - VLAN id 1-4094 to tag iSCSI traffic with; omit for untagged.
          - An integer. Ansible converts a numeric string such as C("120"); a value that is not a whole number,
            such as C(vlan120), is refused before the BMC is contacted, naming O(target.vlan_id).
        type: int
  secondary_target:
    description: An optional secondary target, with the suboptions of O(target).
    type: dict
    suboptions:
      name:
        description: Target iSCSI name.
        type: str
        required: true
      address:
        description: Target portal IP address.
        type: str
        required: true
      port:
        description: Target portal TCP port.
        type: int
        default: 3260
      lun:
        description: Boot LUN, 0-16383.
        type: int
        default: 0
      vlan_id:
        description: VLAN id 1-4094; omit for untagged.
        type: int
  chap:
    description:
      - CHAP credentials. With O(chap.username) and O(chap.secret) the method is C(CHAP); adding
        O(chap.mutual_username) and O(chap.mutual_secret) makes it C(MutualCHAP); without them C(None).
    type: dict
    suboptions:
      username:
        description: CHAP user name the initiator logs in with.
        type: str
      secret:
        description: CHAP secret, 12 to 16 characters.
        type: str
      mutual_username:
        description: The target's CHAP name for mutual CHAP.
        type: str
      mutual_secret:
        description: The target's CHAP secret, 12 to 16 characters, different from O(chap.secret).
        type: str
  chap_secret_update:
    description:
      - V(on_change) sends the secrets only together with another change of this port (the secrets
        cannot be read back, so they are never the reason for a change).
      - V(always) sends them on every run, which then always reports a change; use it once to rotate a secret.
    type: str
    choices: [on_change, always]
    default: on_change
  apply_time:
    description:
      - When the BMC applies the change. V(auto) picks C(OnReset) if the BMC supports it (the change
        lands with the next reboot), else C(Immediate).
      - A value the BMC does not list in C(SupportedApplyTimes) fails before anything is written.
      - HPE's software initiator (V(hpe), O(iscsi_method=bios)) applies only at the next reset, so only V(auto) or V(OnReset).
    type: str
    choices: [auto, Immediate, OnReset, AtMaintenanceWindowStart, InMaintenanceWindowOnReset]
    default: auto
  target_os:
    description: The operating system that boots from the LUN. V(esxi) refuses IPv6 (ESXi does not boot from an IPv6 iBFT) unless O(allow_ipv6).
    type: str
    choices: [esxi, other]
    default: esxi
  allow_ipv6:
    description: Configure IPv6 even for O(target_os=esxi).
    type: bool
    default: false
  iscsi_method:
    description:
      - Which of the vendor's places for iSCSI boot values to use.
      - V(nic) is the port's C(NetworkDeviceFunction.iSCSIBoot) through its settings object (the NIC firmware's
        initiator; on Dell applied by a C(NICConfiguration) job).
      - V(bios) is Dell's BIOS UEFI software initiator (C(IscsiInitiatorName), C(IscsiDev1*), C(IscsiDev1Con1*) with
        C(IscsiDev1Con1Interface) set to the port's FQDD) through C(/Bios/Settings) and a C(BIOSConfiguration) job;
        Dell's guidance for UEFI boot mode. It has no DNS servers and no secondary target.
      - On V(hpe), V(bios) is the System ROM's iSCSI software initiator (C(Bios/Oem/Hpe/iscsi)), one of its 4 attempts,
        named by the port's BIOS NIC source (C(Slot<X>NicBoot<Y>), found through HPE's BIOS mappings), written through
        its settings object with the BIOS prerequisites (C(iSCSISoftwareInitiator) C(Enabled), the NIC's
        C(Slot<X>NicBoot<Y>) C(NetworkBoot)); applied at the next reset, no job. It has no VLAN, DNS or secondary target.
        V(nic) there is an iLO 6 DCi/RDE adapter's writable C(iSCSIBoot).
      - V(auto) takes V(nic) where the port's NIC firmware offers iSCSI boot (on Dell its C(DellNetworkAttributes)
        report C(iSCSIBootSupport) C(Available) and its C(iSCSIBoot) is populated, and it offers mutual CHAP when
        O(chap.mutual_username) is given, which iDRAC9 6.x does not), else V(bios) where the BIOS has
        the C(IscsiDev1) attributes (on HPE, where the port maps to a NIC source of the software initiator), else fails
        before anything is written. V(dmtf) offers only V(nic).
      - With V(bios) name the port (O(port)); the first-capable-port choice looks at the NIC's own iSCSI support.
    type: str
    choices: [auto, nic, bios]
    default: auto
  clear_pending:
    description:
      - On V(dell), a target that already has a pending configuration job refuses another change (C(SYS011)).
        V(true) deletes that Scheduled job, and the values it staged, before writing; V(false) fails with a
        message naming the pending job.
      - Only used when a change is needed; values already pending that equal the wanted ones are kept.
    type: bool
    default: false
  task_timeout:
    description: Seconds to wait for the BMC's task (or job) when the change is applied C(Immediate).
    type: int
    default: 300
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
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SanbootModule

_TARGET = {
    "name": {"type": "str", "required": True},
    "address": {"type": "str", "required": True},
    "port": {"type": "int", "default": 3260},
    "lun": {"type": "int", "default": 0},
    "vlan_id": {"type": "int"},
}
ARGUMENT_SPEC = {
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "port": {"type": "dict", "options": {"mac": {"type": "str"}, "adapter_id": {"type": "str"},
                                         "function_id": {"type": "str"}}},
    "initiator": {"type": "dict", "options": {
        "name": {"type": "str", "required": True}, "address": {"type": "str"}, "netmask": {"type": "str"},
        "gateway": {"type": "str"}, "primary_dns": {"type": "str"}, "secondary_dns": {"type": "str"},
        "dhcp": {"type": "bool", "default": False}}},
    "target": {"type": "dict", "options": _TARGET},
    "secondary_target": {"type": "dict", "options": _TARGET},
    "chap": {"type": "dict", "no_log": False, "options": {
        "username": {"type": "str"}, "secret": {"type": "str", "no_log": True},
        "mutual_username": {"type": "str"}, "mutual_secret": {"type": "str", "no_log": True}}},
    "chap_secret_update": {"type": "str", "default": "on_change", "choices": ["on_change", "always"]},
    "apply_time": {"type": "str", "default": "auto",
                   "choices": ["auto", "Immediate", "OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset"]},
    "target_os": {"type": "str", "default": "esxi", "choices": ["esxi", "other"]},
    "allow_ipv6": {"type": "bool", "default": False},
    "iscsi_method": {"type": "str", "default": "auto", "choices": ["auto", "nic", "bios"]},
    "clear_pending": {"type": "bool", "default": False},
    "task_timeout": {"type": "int", "default": 300},
    "poll_interval": {"type": "float", "default": 2},
}

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {"required_if": [("state", "present", ("initiator", "target"))]}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(iscsi_boot_ops.run, prepare=iscsi_boot_ops.prepare)


if __name__ == "__main__":
    main()
