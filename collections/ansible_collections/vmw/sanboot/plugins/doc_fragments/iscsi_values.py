# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The iSCSI boot values of a port: the options of iscsi_boot and of configure's one pass."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
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
"""
