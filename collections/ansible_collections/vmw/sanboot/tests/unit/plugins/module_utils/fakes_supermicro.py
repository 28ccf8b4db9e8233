# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake Supermicro X13 BMC, next to the DMTF one in fakes.py.

The tree is shaped after the X13 capture (SYS-821GE-TNHR, board X13DEG-OAD, BMC 11.01.01): a root
with Oem.Supermicro and no Vendor, functions without iSCSIBoot, boot options without a device path,
FixedBootOrder, /Bios/SD without Attributes, the ResetActionInfo and the SEL (Log1).

FakeSupermicro behaves as docs/personalities.md says: a BootOrder PATCH is applied, or refused 400
PropertyUnknown with `property_unknown`; a FixedBootOrder PATCH reorders the network options and
Boot.BootOrder with them; `reset()` logs a host boot SEL entry (sensor `SystemBoot/Restart`, the
mockup's UNCONFIRMED wording) and leaves BootProgress at SystemHardwareInitializationComplete;
`power_supply_event()` logs the capture's `[PWR-0001] PS5 Status, ...` entry, which is no reset."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC

V1 = "/redfish/v1"
SYSTEM = V1 + "/Systems/1"
FIXED = SYSTEM + "/Oem/Supermicro/FixedBootOrder"
BIOS, BIOS_SD = SYSTEM + "/Bios", SYSTEM + "/Bios/SD"
ENTRIES = SYSTEM + "/LogServices/Log1/Entries"
PORT1 = V1 + "/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions/1"
PORT2 = V1 + "/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions/2"
MAC1, MAC2 = "7c:c2:55:79:3f:8e", "7c:c2:55:79:3f:8f"
PXE1 = "(B220/D0/F0) UEFI PXE IPv4 Intel(R) Ethernet Controller X550 - 7CC255793F8E"
PXE2 = "(B220/D0/F1) UEFI PXE IPv4 Intel(R) Ethernet Controller X550 - 7CC255793F8F"
ISCSI1 = "(B220/D0/F0) UEFI iSCSI IPv4 Intel Network Adapter - 7C:C2:55:79:3F:8E - 7CC255793F8E"
ISCSI2 = "(B220/D0/F1) UEFI iSCSI IPv4 Intel Network Adapter - 7C:C2:55:79:3F:8F - 7CC255793F8F"
DISK = "UEFI OS (Local Disk 0)"
CLOCK = "2026-05-01T10:00:00Z"
RESET_AT = "2026-05-01T10:00:07Z"
RESETS = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PowerCycle"]
POST_DONE = "SystemHardwareInitializationComplete"
HOST_RESET = "[HOST-0007] System Boot/Restart Initiated, System Restart"   # the mockup's UNCONFIRMED wording
PSU_FAILURE = "[PWR-0001] PS5 Status, Power Supply Failure detected"        # the X13 capture's, entry 18


def _option(number, name):
    return {"@odata.id": SYSTEM + "/BootOptions/Boot%s" % number, "Id": "Boot%s" % number,
            "BootOptionReference": "Boot%s" % number, "DisplayName": name, "BootOptionEnabled": True}


def _function(uri, number, mac):
    return {"@odata.id": uri, "Id": number, "NetDevFuncType": "Ethernet", "DeviceEnabled": True,
            "Ethernet": {"MACAddress": mac.upper()}, "Links": {}}


def _entry(number, created, message, severity="OK", sensor=None, oem_sensor=None, code="Assert", message_id="0xA1FFFF"):
    entry = {"@odata.id": "%s/%s" % (ENTRIES, number), "Id": str(number), "EntryType": "SEL", "Severity": severity,
             "Created": created, "EntryCode": code, "Message": message, "MessageId": message_id}
    entry.update({k: v for k, v in (("SensorType", sensor), ("OemSensorType", oem_sensor)) if v})
    return entry


def supermicro_tree(iscsi_options=1, board="X13DEG-OAD"):
    """`iscsi_options`: how many iSCSI options the firmware lists (0 before the first logged-in reset)."""
    options = [("0001", PXE1), ("0002", PXE2), ("0003", DISK)] + [("0004", ISCSI1), ("0005", ISCSI2)][:iscsi_options]
    network = [PXE1, PXE2] + [ISCSI1, ISCSI2][:iscsi_options]
    tree = {
        V1 + "/": {"@odata.id": V1, "RedfishVersion": "1.11.0", "Systems": {"@odata.id": V1 + "/Systems"},
                   "Chassis": {"@odata.id": V1 + "/Chassis"}, "Managers": {"@odata.id": V1 + "/Managers"},
                   "Oem": {"Supermicro": {"DumpService": {"@odata.id": V1 + "/Oem/Supermicro/DumpService"}}}},
        V1 + "/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        SYSTEM: {
            "@odata.id": SYSTEM, "Id": "1", "Manufacturer": "Supermicro", "Model": "SYS-821GE-TNHR", "PowerState": "On",
            "BiosVersion": "1.4", "LastResetTime": None, "BootProgress": {"LastState": POST_DONE},
            "Boot": {"BootOrder": ["Boot%s" % number for number, _name in options], "BootNext": None, "BootSourceOverrideTarget": "Pxe",
                     "BootSourceOverrideEnabled": "Disabled", "BootOptions": {"@odata.id": SYSTEM + "/BootOptions"}},
            "Bios": {"@odata.id": BIOS}, "LogServices": {"@odata.id": SYSTEM + "/LogServices"},
            "Actions": {"#ComputerSystem.Reset": {"target": SYSTEM + "/Actions/ComputerSystem.Reset",
                                                  "@Redfish.ActionInfo": SYSTEM + "/ResetActionInfo"}},
            "Oem": {"Supermicro": {"FixedBootOrder": {"@odata.id": FIXED}}},
            "Links": {"Chassis": [{"@odata.id": V1 + "/Chassis/1"}], "ManagedBy": [{"@odata.id": V1 + "/Managers/1"}]},
        },
        SYSTEM + "/ResetActionInfo": {"Parameters": [{"Name": "ResetType", "Required": True, "AllowableValues": list(RESETS)}]},
        SYSTEM + "/BootOptions": {"Members": [{"@odata.id": SYSTEM + "/BootOptions/Boot%s" % number} for number, _name in options]},
        FIXED: {"@odata.id": FIXED, "BootModeSelected": "UEFI",
                "FixedBootOrder": ["UEFI Hard Disk", "UEFI CD/DVD", "UEFI USB Hard Disk", "UEFI USB CD/DVD", "UEFI USB Key",
                                   "UEFI USB Floppy", "UEFI USB Lan", "UEFI Network:" + PXE1, "UEFI AP:UEFI: Built-in EFI Shell"],
                "FixedBootOrderDisabledItem": ["Disabled"], "UEFINetwork": network, "UEFINetworkDisabledItem": ["Disabled"]},
        BIOS: {"@odata.id": BIOS, "Attributes": {"QuietBoot_002D": True, "NetworkStack_00F3": "Enabled"},
               "@Redfish.Settings": {"SettingsObject": {"@odata.id": BIOS_SD}}},
        BIOS_SD: {"@odata.id": BIOS_SD, "Name": "BIOS Configuration Pending Settings"},
        SYSTEM + "/LogServices": {"Members": [{"@odata.id": SYSTEM + "/LogServices/Log1"}]},
        SYSTEM + "/LogServices/Log1": {"Id": "Log1", "Entries": {"@odata.id": ENTRIES}},
        ENTRIES: {"Members": [_entry(1, "2026-04-01T09:00:00Z", "[PWR-0020] First AC Power on", "Warning",
                                     oem_sensor="AC Power On", message_id="0xA0FFFF"),
                              _entry(2, "2026-04-01T09:10:00Z", "[LAN-0006] Dedicated LAN Link Down", "Warning",
                                     oem_sensor="System NIC", message_id="0xA401FF")]},
        V1 + "/Chassis": {"Members": [{"@odata.id": V1 + "/Chassis/1"}]},
        V1 + "/Chassis/1": {"Id": "1", "Model": board, "NetworkAdapters": {"@odata.id": V1 + "/Chassis/1/NetworkAdapters"}},
        V1 + "/Chassis/1/NetworkAdapters": {"Members": [{"@odata.id": V1 + "/Chassis/1/NetworkAdapters/1"}]},
        V1 + "/Chassis/1/NetworkAdapters/1": {"Id": "1", "NetworkDeviceFunctions": {
            "@odata.id": V1 + "/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions"}},
        V1 + "/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions": {"Members": [{"@odata.id": PORT1}, {"@odata.id": PORT2}]},
        PORT1: _function(PORT1, "1", MAC1), PORT2: _function(PORT2, "2", MAC2),
        V1 + "/Managers": {"Members": [{"@odata.id": V1 + "/Managers/1"}]},
        V1 + "/Managers/1": {"@odata.id": V1 + "/Managers/1", "Model": "ASPEED", "FirmwareVersion": "11.01.01", "DateTime": CLOCK},
    }
    for number, name in options:
        tree[SYSTEM + "/BootOptions/Boot%s" % number] = _option(number, name)
    return tree


def property_unknown(uri):
    return RedfishError("PATCH", uri, 400, {"error": {"@Message.ExtendedInfo": [{
        "MessageId": "Base.1.10.3.PropertyUnknown",
        "Message": "The property BootOrder is not in the list of valid properties for the resource."}]}})


class FakeSupermicro(FakeBMC):
    def __init__(self, property_unknown_order=False, **tree_options):
        super().__init__(supermicro_tree(**tree_options))
        self.property_unknown_order = property_unknown_order

    def patch(self, uri, body, etag=None):
        reply = super().patch(uri, body, etag)
        if uri == SYSTEM and "BootOrder" in (body.get("Boot") or {}):
            if self.property_unknown_order:
                raise property_unknown(uri)
            self.tree[SYSTEM]["Boot"]["BootOrder"] = list(body["Boot"]["BootOrder"])
        elif uri == FIXED:
            self.tree[FIXED].update(body)
            self._order_from_fixed()
        return reply

    def _order_from_fixed(self):
        """Boot.BootOrder follows FixedBootOrder: network options first in UEFINetwork order when the class leads."""
        names = {o["DisplayName"]: o["BootOptionReference"] for u, o in self.tree.items() if "/BootOptions/" in u}
        network = [names[n] for n in self.tree[FIXED]["UEFINetwork"] if n in names]
        rest = [r for r in self.tree[SYSTEM]["Boot"]["BootOrder"] if r not in network]
        self.tree[SYSTEM]["Boot"]["BootOrder"] = network + rest

    def reset(self, failed_log=None):
        """A reset: a host boot SEL entry (and `failed_log`, a Critical entry), POST done again."""
        members = self.tree[ENTRIES]["Members"]
        members.append(_entry(len(members) + 1, RESET_AT, HOST_RESET, sensor="SystemBoot/Restart", message_id="0x07FFFF"))
        if failed_log:
            members.append(_entry(len(members) + 1, RESET_AT, failed_log, "Critical"))
        self.tree[SYSTEM]["BootProgress"] = {"LastState": POST_DONE}

    def power_supply_event(self, message=PSU_FAILURE, created=RESET_AT, code="Assert"):
        """A power-supply SEL entry as the capture logs it (`[PWR-...]`, SensorType Power Supply / Converter)."""
        members = self.tree[ENTRIES]["Members"]
        members.append(_entry(len(members) + 1, created, message, "Critical", sensor="Power Supply / Converter",
                              code=code, message_id="0xF1FFFF"))
