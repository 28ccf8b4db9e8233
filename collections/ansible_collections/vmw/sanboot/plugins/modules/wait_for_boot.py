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
  - The BMC's evidence depends on the dialect. V(dmtf) uses C(BootProgress) with its C(LastStateTime). V(dell) has no
    BootProgress time (iDRAC9 6.x has no BootProgress at all), so the boot counts once the system's C(LastResetTime) moved
    past O(since), then C(BootProgress.LastState) where present, else the Lifecycle Controller's C(ServerStatus)
    C(OutOfPOST); its iSCSI option (C(ISCSI Device ...)) exists only after a successful target login; a Lifecycle log
    entry C(UEFI0263)-C(UEFI0277) after O(since) fails the wait at once with its text, and so does a configuration job
    that failed in that reset's POST (C(JobState) C(Failed), C(CompletionTime) after O(since)), once POST is over. V(hpe) has no C(LastResetTime), so
    the boot counts once C(Oem.Hpe.PostDiscoveryCompleteTimeStamp) is after O(since), then C(BootProgress.LastState)
    (iLO 6) or C(PostState) C(FinishedPost) (iLO 5, and iLO 6 while its C(BootProgress) has no state); a refusal in
    the iSCSI or BIOS resource's C(@Redfish.Settings.Messages) from that reset, no connected attempt with a
    C(StructuredBootString) (no login succeeded), or an IML entry of a failed iSCSI login since O(since), fails the
    wait at once with the BMC's words and the IML's. Without O(since) only the attempts are judged (older messages and
    log entries belong to earlier boots).
  - V(lenovo) has no C(LastResetTime) and XCC no BootProgress, so the reset counts once C(Oem.Lenovo.NumberOfReboots) is
    above the count O(since) carries, then C(Oem.Lenovo.SystemStatus) C(BootingOSOrInUndetectedOS) or C(OSBooted) (an ESXi
    without an in-band agent stays at the first), or C(BootProgress.LastState) where XCC2 has one; a PlatformLog entry
    since O(since) naming a failed iSCSI login fails the wait at once with its words. The iSCSI option is the C(Network)
    boot class (see M(vmw.sanboot.boot_order)); with O(iscsi_target) the port's iSCSI entry must also be first in the
    OEM network boot order the reset used (C(BootOrderCurrent)).
  - V(supermicro) has no C(LastResetTime) and no BootProgress time, and its C(BootProgress) stops at
    C(SystemHardwareInitializationComplete) (it never reaches the OS). The reset counts once the SEL (C(Log1)) has a
    host power-on or reset entry created since O(since), judged by its IPMI sensor type (C(SensorType) or
    C(OemSensorType) C(System Boot/Restart Initiated), or C(System ACPI Power State) naming S0/G0 working; unconfirmed
    on hardware), never by its C([PWR-...]) code, which the X13 also gives power-supply events, and never a power-supply
    entry (or C(BootProgress) went back to an earlier state), then POST done
    (C(SystemHardwareInitializationComplete), power C(On)) ends the wait, and a boot-related Critical or Warning log
    entry since O(since) fails it. The iSCSI option counts as first when C(BootOrder) or the OEM C(FixedBootOrder)
    leads with it, as M(vmw.sanboot.boot_order) reads it back. POST done proves nothing about the OS, so the host is RV(booted) only with the
    network proof (O(host_address), RV(evidence) C(post+network)); without it the module succeeds with
    RV(outcome) C(unverified), RV(booted) false, RV(verified) false and RV(why), never C(booted).
  - With O(host_address), after the BMC's evidence the controller connects to O(host_address):O(host_port) until the
    host answers. RV(evidence) says how strong the proof is; a host the network does not confirm is a failure,
    never C(booted).
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
      - Pass RV(vmw.sanboot.power#module:since) of the reset, so a state left from an earlier boot is not taken for this one.
      - On V(dell) the system's C(LastResetTime) must be later than this, and only Lifecycle log entries since it count.
      - On V(hpe) the system's C(Oem.Hpe.PostDiscoveryCompleteTimeStamp) must be later than this, and only settings
        messages and IML entries since it count.
      - On V(supermicro) a C([PWR-...]) SEL entry must be created at or after this, and only log entries since it count.
      - On V(lenovo) it is C(<DateTime>;reboots=<count>) (as RV(vmw.sanboot.power#module:since) gives it); the reboot count
        must have moved past the count, and only PlatformLog entries since the time count. A plain time is accepted too.
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
  first_enabled:
    description:
      - With O(iscsi_target), accept the iSCSI option as evidence when it is the first B(enabled) option of C(BootOrder),
        every option ahead of it disabled (C(BootOptionEnabled) false), instead of the first option. This is the first
        boot after M(vmw.sanboot.configure) O(vmw.sanboot.configure#module:isolate_first_boot), in which the firmware adds
        the iSCSI option behind the options the pass disabled.
      - Not offered by the dialects that cannot isolate a boot (V(dell), V(hpe), V(lenovo), V(supermicro)).
    type: bool
    default: false
  host_address:
    description:
      - The host's management address. Once the BMC's evidence is complete, the controller opens a TCP connection to it
        (O(host_port)) until the host answers or O(wait_timeout) runs out; success gives RV(evidence) C(bmc+network).
    type: str
  host_port:
    description: The TCP port the booted host answers on (ESXi's HTTPS).
    type: int
    default: 443
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
    since: "{{ reset.since }}"
    host_address: "{{ esxi_management_ip }}"
    iscsi_target:
      name: iqn.2024-01.org.example.san:esxi01
      lun: 1
    wait_timeout: 1200
"""

RETURN = r"""
dialect:
  description: The dialect spoken with the BMC (V(dmtf), V(dell), V(hpe), V(supermicro)).
  returned: always
  type: str
  sample: dell
dialect_variant:
  description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6), C(x12), C(x13)), or null when the dialect has none.
  returned: always
  type: str
  sample: idrac9
booted:
  description: True when the host booted as required, on the evidence in RV(evidence); false when RV(outcome) is C(unverified).
  returned: always
  type: bool
verified:
  description: True when the evidence proves the boot (RV(outcome) C(booted)); false for an C(unverified) host.
  returned: success
  type: bool
outcome:
  description:
    - C(booted) (proven), or C(unverified) where the BMC's evidence proves only POST done (V(supermicro)) and no
      O(host_address) was given; in check mode also C(not_booted).
    - An C(unverified) host is not a failure of the module, and never counts as booted.
  returned: success
  type: str
  sample: unverified
why:
  description: For an C(unverified) host, what the BMC showed and why it does not prove the boot.
  returned: when outcome is unverified
  type: str
evidence:
  description:
    - How strong the proof of the boot is. C(bmc+network) the BMC's evidence and the host answering on O(host_address);
      C(bmc) the BMC's evidence alone (no O(host_address) given). On V(supermicro) C(post+network) (POST done and the
      host answering, booted) or C(post) (POST done alone, unverified).
    - On failure C(bmc) (C(post)) when the BMC's evidence was complete but the host did not answer (unverified), else C(none).
  returned: always
  type: str
  sample: bmc+network
network:
  description: The network proof, C(address), C(port) and C(answered_after_s).
  returned: when host_address is given and the host answered
  type: dict
state:
  description:
    - The BootProgress state reached (OEM states as C(OEM:<name>)); on V(hpe) iLO 5 (and iLO 6 without a BootProgress state)
      the C(PostState); on V(lenovo) without a BootProgress state the C(SystemStatus).
  returned: success
  type: str
state_time:
  description:
    - Its C(LastStateTime) (V(dell) the system's C(LastResetTime), V(hpe) its C(PostDiscoveryCompleteTimeStamp),
      V(supermicro) the C(Created) of the reset's SEL entry).
  returned: success
  type: str
last_boot_seconds:
  description: C(BootProgress.LastBootTimeSeconds) when the BMC reports it; null on V(dell) and iLO 5.
  returned: success
  type: float
boot_option:
  description:
    - The iSCSI boot option that is the evidence (C(reference), C(display_name), C(device_path)); with O(first_enabled),
      C(through) says which options were disabled ahead of it.
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

from ansible_collections.vmw.sanboot.plugins.module_utils import wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, WAIT_ARGS, SanbootModule

ARGUMENT_SPEC = dict(WAIT_ARGS, **SYSTEM_ARGS)
ARGUMENT_SPEC.update({
    "state": {"type": "str", "default": "OSRunning", "choices": ["OSBootStarted", "OSRunning"]},
    "since": {"type": "str"},
    "iscsi_target": {"type": "dict", "options": {"name": {"type": "str", "required": True}, "lun": {"type": "int"}}},
    "boot_option": {"type": "str"},
    "first_enabled": {"type": "bool", "default": False},
    "host_address": {"type": "str"},
    "host_port": {"type": "int", "default": 443},
})

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(wait_for_boot_ops.run, prepare=wait_for_boot_ops.prepare)


if __name__ == "__main__":
    main()
