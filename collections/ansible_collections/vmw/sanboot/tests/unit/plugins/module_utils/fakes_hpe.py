# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake HPE iLO, next to the DMTF one in fakes.py.

The tree is shaped after the iLO 5 2.72 capture (DL385 Gen10 Plus): lower-case BIOS links with
trailing slashes, Oem.Hpe PostState and PostDiscoveryCompleteTimeStamp, BaseNetworkAdapters, the
BIOS mappings, the iSCSI software initiator with 4 attempt slots, HPE's boot settings and the IML.
`variant="ilo6"` adds BootProgress and, with `nic_iscsi`, a DCi adapter's writable iSCSIBoot.

FakeHpe behaves as docs/personalities.md says: every settings PATCH answers 200 with the
SystemResetRequired envelope and stages; `reset()` validates and applies what is staged, writes
@Redfish.Settings.Messages, runs the attempts' logins and sets the POST timestamps."""

from __future__ import annotations

import copy
import re

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC

V1 = "/redfish/v1"
SYSTEM = V1 + "/Systems/1"
MANAGER = V1 + "/Managers/1"
BIOS = V1 + "/systems/1/bios/"
BIOS_SETTINGS = BIOS + "settings/"
ISCSI = BIOS + "oem/hpe/iscsi/"
ISCSI_SETTINGS = ISCSI + "settings/"
BOOT = BIOS + "oem/hpe/boot/"
BOOT_SETTINGS = BOOT + "settings/"
MAPPINGS = BIOS + "oem/hpe/mappings/"
ADAPTERS = SYSTEM + "/BaseNetworkAdapters"
IML = SYSTEM + "/LogServices/IML"
FUNCTIONS = V1 + "/Chassis/1/NetworkAdapters/%s/NetworkDeviceFunctions"
PORT1 = FUNCTIONS % "DE080000" + "/0"
PORT2 = FUNCTIONS % "DE080000" + "/1"
UNMAPPED = FUNCTIONS % "DE083000" + "/0"
PORT1_SETTINGS = PORT1 + "/Settings"
MAC1, MAC2, MAC_UNMAPPED = "88:e9:a4:87:42:c8", "88:e9:a4:87:42:c9", "b8:3f:d2:d7:f7:4a"
SLOT1_PATH = "PciRoot(0x2)/Pci(0x3,0x1)/Pci(0x0,0x0)"
DATETIME = "2026-03-01T10:00:00Z"
BOOTED_AT = "2026-03-01T09:00:00Z"
RESET_AT = "2026-03-01T10:05:00Z"
HPE_RESETS = ["On", "ForceOff", "GracefulShutdown", "ForceRestart", "Nmi", "PushPowerButton", "GracefulRestart"]
RESET_REQUIRED = {"error": {"code": "iLO.0.10.ExtendedInfo", "message": "See @Message.ExtendedInfo for more information.",
                            "@Message.ExtendedInfo": [{"MessageId": "iLO.2.15.SystemResetRequired"}]}}
IML_LOGIN_FAILED = "iSCSI boot: attempt 1 (Slot1NicBoot1) failed to log in to the target"
TARGET_PATTERN = r"^iqn\.[0-9]{4}-[0-9]{2}\.[^:]+(:.*)?$"
BLANK = {
    "StructuredBootString": None, "UEFIDevicePath": None, "iSCSIAttemptInstance": 0, "iSCSIAttemptName": "",
    "iSCSIAuthenticationMethod": "None", "iSCSIChapSecret": "", "iSCSIChapType": "OneWay", "iSCSIChapUsername": "",
    "iSCSIConnectRetry": 3, "iSCSIConnectTimeoutMS": 20000, "iSCSIConnection": "Disabled", "iSCSIInitiatorGateway": "0.0.0.0",
    "iSCSIInitiatorInfoViaDHCP": True, "iSCSIInitiatorIpAddress": "0.0.0.0", "iSCSIInitiatorNetmask": "0.0.0.0",
    "iSCSIIpAddressType": "IPv4", "iSCSILUN": "0", "iSCSINicSource": None, "iSCSIReverseChapSecret": "",
    "iSCSIReverseChapUsername": "", "iSCSITargetInfoViaDHCP": True, "iSCSITargetIpAddress": "0.0.0.0",
    "iSCSITargetName": "", "iSCSITargetTcpPort": 3260,
}
SUCCESS = [{"MessageId": "Base.1.0.Success"}]


def _settings(uri, time=None):
    return {"@odata.type": "#Settings.v1_0_0.Settings", "ETag": "", "Messages": copy.deepcopy(SUCCESS),
            "SettingsObject": {"@odata.id": uri}, "Time": time}


def _function(uri, mac, nic_iscsi=False):
    body = {"@odata.id": uri, "@odata.etag": 'W/"8F3C0A12"', "Id": uri.rsplit("/", 1)[-1],
            "NetDevFuncCapabilities": ["Ethernet"], "Ethernet": {"MACAddress": mac, "PermanentMACAddress": mac},
            "BootMode": "PXE"}     # the capture's functions say PXE, whatever the software initiator does
    if nic_iscsi:
        body.update(NetDevFuncCapabilities=["Ethernet", "iSCSI"], BootMode="Disabled",
                    iSCSIBoot={"AuthenticationMethod": "None", "CHAPSecret": None, "CHAPUsername": None,
                               "IPAddressType": "IPv4", "IPMaskDNSViaDHCP": False, "InitiatorName": None,
                               "InitiatorIPAddress": "0.0.0.0", "InitiatorNetmask": "0.0.0.0",
                               "PrimaryTargetName": None, "PrimaryTargetIPAddress": "0.0.0.0", "PrimaryLUN": 0,
                               "PrimaryTargetTCPPort": 3260, "TargetInfoViaDHCP": False},
                    **{"@Redfish.Settings": {"SettingsObject": {"@odata.id": uri + "/Settings"}}})
    return body


def hpe_tree(variant="ilo5", nic_iscsi=False):
    ilo6 = variant == "ilo6"
    system = {
        "@odata.id": SYSTEM, "@odata.etag": 'W/"9B9F7D67"', "Id": "1", "PowerState": "On", "Manufacturer": "HPE",
        "Model": "ProLiant DL380 Gen11" if ilo6 else "ProLiant DL385 Gen10 Plus v2", "Bios": {"@odata.id": BIOS.rstrip("/")},
        "Boot": {"BootOrder": ["Boot0001", "Boot0002"], "BootSourceOverrideEnabled": "Disabled",
                 "BootSourceOverrideTarget": "None", "BootOptions": {"@odata.id": SYSTEM + "/BootOptions"}},
        "Actions": {"#ComputerSystem.Reset": {"ResetType@Redfish.AllowableValues": list(HPE_RESETS),
                                              "target": SYSTEM + "/Actions/ComputerSystem.Reset"}},
        "LogServices": {"@odata.id": SYSTEM + "/LogServices"},
        "Links": {"ManagedBy": [{"@odata.id": MANAGER}], "Chassis": [{"@odata.id": V1 + "/Chassis/1"}]},
        "Oem": {"Hpe": {"PostState": "FinishedPost", "PostDiscoveryCompleteTimeStamp": BOOTED_AT,
                        "Links": {"NetworkAdapters": {"@odata.id": ADAPTERS}}}},
    }
    if ilo6:
        system["BootProgress"] = {"LastState": "OSRunning", "LastBootTimeSeconds": 103}
    attributes = {"BootMode": "Uefi", "iSCSISoftwareInitiator": "Disabled", "Slot1NicBoot1": "NetworkBoot",
                  "Slot1NicBoot2": "Disabled", "Slot4NicBoot1": "NetworkBoot"}
    if ilo6:
        del attributes["BootMode"]
    sources = [
        {"BootOptionNumber": "0001", "BootString": "Slot 1 Port 1 : HPE Ethernet Adapter - 88:E9:A4:87:42:C8 (PXE IPv4)",
         "CorrelatableID": SLOT1_PATH, "StructuredBootString": "NIC.Slot.1.1.IPv4",
         "UEFIDevicePath": SLOT1_PATH + "/MAC(88E9A48742C8,0x1)/IPv4(0.0.0.0)"},
        {"BootOptionNumber": "0002", "BootString": "Embedded SATA Port 1 HDD", "CorrelatableID": "PciRoot(0x1)/Pci(0x8,0x2)",
         "StructuredBootString": "HD.Emb.1.1", "UEFIDevicePath": "PciRoot(0x1)/Pci(0x8,0x2)/Sata(0x0,0x0,0x0)"},
    ]
    tree = {
        V1 + "/": {"@odata.id": V1, "Vendor": "HPE", "Product": system["Model"], "Oem": {"Hpe": {"Manager": [{"ManagerType": "iLO 5"}]}},
                   "Systems": {"@odata.id": V1 + "/Systems"}, "Chassis": {"@odata.id": V1 + "/Chassis"},
                   "Managers": {"@odata.id": V1 + "/Managers"},
                   "Links": {"Sessions": {"@odata.id": V1 + "/SessionService/Sessions"}}},
        V1 + "/Managers": {"Members": [{"@odata.id": MANAGER}]},
        MANAGER: {"@odata.id": MANAGER, "Id": "1", "Model": "iLO 6" if ilo6 else "iLO 5", "DateTime": DATETIME,
                  "FirmwareVersion": "iLO 6 v1.73" if ilo6 else "iLO 5 v2.72",
                  "VirtualMedia": {"@odata.id": MANAGER + "/VirtualMedia"}},
        MANAGER + "/VirtualMedia": {"Members": [{"@odata.id": MANAGER + "/VirtualMedia/1"},
                                                {"@odata.id": MANAGER + "/VirtualMedia/2"}]},
        MANAGER + "/VirtualMedia/1": {"Id": "1", "MediaTypes": ["Floppy", "USBStick"], "Inserted": False},
        MANAGER + "/VirtualMedia/2": {
            "Id": "2", "MediaTypes": ["CD", "DVD"], "Inserted": False, "Image": "",
            "Actions": {"#VirtualMedia.InsertMedia": {"target": MANAGER + "/VirtualMedia/2/Actions/VirtualMedia.InsertMedia"},
                        "#VirtualMedia.EjectMedia": {"target": MANAGER + "/VirtualMedia/2/Actions/VirtualMedia.EjectMedia"}}},
        V1 + "/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        SYSTEM: system,
        SYSTEM + "/BootOptions": {"Members": [{"@odata.id": SYSTEM + "/BootOptions/1"}, {"@odata.id": SYSTEM + "/BootOptions/2"}]},
        SYSTEM + "/LogServices": {"Members": [{"@odata.id": IML}]},
        IML: {"Id": "IML", "Entries": {"@odata.id": IML + "/Entries"}},
        IML + "/Entries": {"Members": [{"Id": "1", "Created": "2026-02-01T08:00:00Z", "EntryType": "Oem", "OemRecordFormat": "Hpe-IML",
                                        "Severity": "OK", "Message": "IML Cleared ( user: System Administrator)"}]},
        ADAPTERS: {"Members": [{"@odata.id": ADAPTERS + "/1"}, {"@odata.id": ADAPTERS + "/2"}]},
        ADAPTERS + "/1": {"Id": "1", "Name": "HPE Ethernet 10/25Gb 2-port Adapter", "StructuredName": "NIC.Slot.1.1",
                          "Location": "PCI-E Slot 1", "UEFIDevicePath": SLOT1_PATH,
                          "PhysicalPorts": [{"MacAddress": MAC1}, {"MacAddress": MAC2}]},
        ADAPTERS + "/2": {"Id": "2", "Name": "BlueField-2 SmartNIC Main Card", "StructuredName": "NIC.Slot.5.1",
                          "UEFIDevicePath": "PciRoot(0x7)/Pci(0x1,0x1)/Pci(0x0,0x0)", "PhysicalPorts": [{"MacAddress": MAC_UNMAPPED}]},
        BIOS: {"@odata.id": BIOS, "@odata.etag": 'W/"2C3F7FBA"', "Attributes": attributes,
               "@Redfish.Settings": _settings(BIOS_SETTINGS, "2026-02-01T08:00:00+00:00"),
               "Oem": {"Hpe": {"Links": {"Boot": {"@odata.id": BOOT}, "Mappings": {"@odata.id": MAPPINGS},
                                         "iScsi": {"@odata.id": ISCSI}}}}},
        BIOS_SETTINGS: {"@odata.id": BIOS_SETTINGS, "Attributes": dict(attributes)},
        MAPPINGS: {"BiosPciSettingsMappings": [
            {"Associations": ["EmbSata1Enable"], "CorrelatableID": "PciRoot(0x1)/Pci(0x8,0x2)/Pci(0x0,0x0)", "Instance": 1,
             "Subinstances": []},
            {"Associations": ["PciSlot1Enable"], "CorrelatableID": SLOT1_PATH, "Instance": 6, "Subinstances": [
                {"Associations": [{"PreBootNetwork": "Slot1NicPort1"}, "Slot1NicBoot1"], "CorrelatableID": SLOT1_PATH,
                 "Subinstance": 1},
                {"Associations": ["Slot1NicBoot2"], "CorrelatableID": "PciRoot(0x2)/Pci(0x3,0x1)/Pci(0x0,0x1)", "Subinstance": 2}]},
            {"Associations": ["PciSlot5Enable"], "CorrelatableID": "PciRoot(0x7)/Pci(0x1,0x1)/Pci(0x0,0x0)", "Instance": 9,
             "Subinstances": []}]},
        ISCSI: {"@odata.id": ISCSI, "@odata.etag": 'W/"581D742D"', "Name": "iSCSI Software Initiator Current Settings",
                "@Redfish.Settings": _settings(ISCSI_SETTINGS), "iSCSIInitiatorName": "iqn.2015-02.com.hpe:uefi-U30-CZ2D1X0N7P",
                "iSCSINicSources": ["Slot1NicBoot1", "Slot1NicBoot2", "Slot4NicBoot1"],
                "iSCSISources": [dict(BLANK) for _slot in range(4)]},
        ISCSI_SETTINGS: {"@odata.id": ISCSI_SETTINGS, "iSCSIInitiatorName": "iqn.2015-02.com.hpe:uefi-U30-CZ2D1X0N7P",
                         "iSCSINicSources": ["Slot1NicBoot1", "Slot1NicBoot2", "Slot4NicBoot1"]},
        BOOT: {"@odata.id": BOOT, "@Redfish.Settings": _settings(BOOT_SETTINGS), "BootSources": sources,
               "PersistentBootConfigOrder": ["NIC.Slot.1.1.IPv4", "HD.Emb.1.1"]},
        BOOT_SETTINGS: {"@odata.id": BOOT_SETTINGS, "PersistentBootConfigOrder": ["NIC.Slot.1.1.IPv4", "HD.Emb.1.1"]},
        V1 + "/Chassis": {"Members": [{"@odata.id": V1 + "/Chassis/1"}]},
        V1 + "/Chassis/1": {"Id": "1", "NetworkAdapters": {"@odata.id": V1 + "/Chassis/1/NetworkAdapters"}},
        V1 + "/Chassis/1/NetworkAdapters": {"Members": [{"@odata.id": V1 + "/Chassis/1/NetworkAdapters/DE080000"},
                                                        {"@odata.id": V1 + "/Chassis/1/NetworkAdapters/DE083000"}]},
        V1 + "/Chassis/1/NetworkAdapters/DE080000": {"Id": "DE080000", "NetworkDeviceFunctions": {"@odata.id": FUNCTIONS % "DE080000"}},
        V1 + "/Chassis/1/NetworkAdapters/DE083000": {"Id": "DE083000", "NetworkDeviceFunctions": {"@odata.id": FUNCTIONS % "DE083000"}},
        FUNCTIONS % "DE080000": {"Members": [{"@odata.id": PORT1}, {"@odata.id": PORT2}]},
        FUNCTIONS % "DE083000": {"Members": [{"@odata.id": UNMAPPED}]},
        PORT1: _function(PORT1, MAC1, ilo6 and nic_iscsi),
        PORT2: _function(PORT2, MAC2),
        UNMAPPED: _function(UNMAPPED, MAC_UNMAPPED),
    }
    for n, source in enumerate(sources, 1):
        tree[SYSTEM + "/BootOptions/%d" % n] = {"Id": str(n), "BootOptionReference": "Boot" + source["BootOptionNumber"],
                                                "DisplayName": source["BootString"], "UefiDevicePath": source["UEFIDevicePath"],
                                                "Alias": "None"}
    tree[BIOS.rstrip("/")] = tree[BIOS]     # the system links the BIOS without its trailing slash (capture)
    if ilo6 and nic_iscsi:
        tree[PORT1_SETTINGS] = {"@odata.id": PORT1_SETTINGS, "BootMode": "Disabled",
                                "iSCSIBoot": copy.deepcopy(tree[PORT1]["iSCSIBoot"])}
    return tree


def _in_post_error(uri):
    return RedfishError("PATCH", uri, 400, {"error": {"code": "iLO.0.10.ExtendedInfo", "@Message.ExtendedInfo": [
        {"MessageId": "iLO.2.15.UnableToModifyDuringSystemPOST"}]}})


class FakeHpe(FakeBMC):
    """An iLO over the fake tree: settings objects staged by PATCH, applied and judged by reset()."""

    def __init__(self, variant="ilo5", nic_iscsi=False):
        super().__init__(hpe_tree(variant, nic_iscsi))
        self.variant = variant

    @property
    def post_state(self):
        return self.tree[SYSTEM]["Oem"]["Hpe"]["PostState"]

    def patch(self, uri, body, etag=None):
        self.requests.append("PATCH %s" % uri)
        self.sent.append(("PATCH", uri, copy.deepcopy(body), etag))
        scripted = self._scripted("PATCH", uri)
        if scripted is not None:
            return scripted
        if uri in (BOOT_SETTINGS, SYSTEM) and self.post_state in ("InPost", "InPostDiscoveryComplete"):
            raise _in_post_error(uri)
        if uri == SYSTEM:
            self.tree[SYSTEM]["Boot"].update(body["Boot"])
            return Reply(200, copy.deepcopy(RESET_REQUIRED), {})
        staged = self.tree[uri]
        if uri == ISCSI_SETTINGS:
            if "iSCSISources" in body:
                if not isinstance(body["iSCSISources"], list) or len(body["iSCSISources"]) != 4:
                    raise RedfishError("PATCH", uri, 400, {"error": {"@Message.ExtendedInfo": [
                        {"MessageId": "Base.1.0.PropertyValueTypeError"}]}})
                slots = staged.get("iSCSISources") or copy.deepcopy(self.tree[ISCSI]["iSCSISources"])
                for slot, change in zip(slots, body["iSCSISources"]):
                    slot.update(change)
                staged["iSCSISources"] = slots
            if "iSCSIInitiatorName" in body:
                staged["iSCSIInitiatorName"] = body["iSCSIInitiatorName"]
        elif uri == BIOS_SETTINGS:
            staged["Attributes"].update(body["Attributes"])
        elif uri == BOOT_SETTINGS:
            staged["PersistentBootConfigOrder"] = list(body["PersistentBootConfigOrder"])
        else:   # an iLO 6 function's settings object
            staged["BootMode"] = body.get("BootMode", staged["BootMode"])
            staged["iSCSIBoot"].update(body.get("iSCSIBoot") or {})
        return Reply(200, copy.deepcopy(RESET_REQUIRED), {})

    def reset(self, at=RESET_AT, login=True, post_state="FinishedPost"):
        """The next reset: staged settings validated and applied (refusals in Messages), the attempts
        log in (or fail, with an IML entry), the boot option appears, POST ends in `post_state`."""
        self._apply_bios(at)
        self._apply_iscsi(at)
        self._apply_boot(at)
        attributes = self.tree[BIOS]["Attributes"]
        for slot in self.tree[ISCSI]["iSCSISources"]:
            on = slot["iSCSIAttemptInstance"] and slot["iSCSIConnection"] == "Enabled" and \
                attributes.get("iSCSISoftwareInitiator") == "Enabled" and attributes.get(slot["iSCSINicSource"]) == "NetworkBoot"
            if not on:
                continue
            if login:
                self._logged_in(slot)
            else:
                self.tree[IML + "/Entries"]["Members"].append({
                    "Id": "2", "Created": at, "EntryType": "Oem", "OemRecordFormat": "Hpe-IML", "Severity": "Warning",
                    "Message": IML_LOGIN_FAILED})
        hpe = self.tree[SYSTEM]["Oem"]["Hpe"]
        hpe.update(PostState=post_state, PostDiscoveryCompleteTimeStamp=at)
        self.tree[SYSTEM]["PowerState"] = "On"

    def _logged_in(self, slot):
        j = slot["iSCSINicSource"][-1]
        slot["StructuredBootString"] = "NIC.Slot.1.%s.iSCSI" % j
        slot["UEFIDevicePath"] = "%s/MAC(88E9A48742C8,0x1)/IPv4(%s)/iSCSI(%s,0x1,0x%s,None,None,None,TCP)" % (
            SLOT1_PATH, slot["iSCSITargetIpAddress"], slot["iSCSITargetName"], slot["iSCSILUN"])
        sources = self.tree[BOOT]["BootSources"]
        if not any(s["StructuredBootString"] == slot["StructuredBootString"] for s in sources):
            sources.append({"BootOptionNumber": "0003", "BootString": "Slot 1 Port %s : HPE Ethernet Adapter - NIC (iSCSI IPv4)" % j,
                            "CorrelatableID": SLOT1_PATH, "StructuredBootString": slot["StructuredBootString"],
                            "UEFIDevicePath": slot["UEFIDevicePath"]})
            self.tree[SYSTEM + "/BootOptions/3"] = {"Id": "3", "BootOptionReference": "Boot0003", "Alias": "None",
                                                    "DisplayName": sources[-1]["BootString"], "UefiDevicePath": slot["UEFIDevicePath"]}
            self.tree[SYSTEM + "/BootOptions"]["Members"].append({"@odata.id": SYSTEM + "/BootOptions/3"})
            self.tree[SYSTEM]["Boot"]["BootOrder"].append("Boot0003")
            self.tree[BOOT]["PersistentBootConfigOrder"].append(slot["StructuredBootString"])
            self.tree[BOOT_SETTINGS]["PersistentBootConfigOrder"].append(slot["StructuredBootString"])

    def _apply_bios(self, at):
        staged = self.tree[BIOS_SETTINGS]["Attributes"]
        if staged != self.tree[BIOS]["Attributes"]:
            self.tree[BIOS]["Attributes"] = dict(staged)
            self.tree[BIOS]["@Redfish.Settings"].update(Time=at, Messages=copy.deepcopy(SUCCESS))

    def _apply_iscsi(self, at):
        staged = self.tree[ISCSI_SETTINGS]
        if "iSCSISources" not in staged and staged["iSCSIInitiatorName"] == self.tree[ISCSI]["iSCSIInitiatorName"]:
            return
        messages = copy.deepcopy(SUCCESS)
        current = self.tree[ISCSI]
        current["iSCSIInitiatorName"] = staged["iSCSIInitiatorName"]
        for i, slot in enumerate(staged.pop("iSCSISources", None) or []):
            name = slot.get("iSCSITargetName") or ""
            if name and not re.match(TARGET_PATTERN, name):
                messages.append({"MessageId": "Base.1.0.PropertyValueFormatError", "MessageArgs": [name, "iSCSITargetName"],
                                 "RelatedProperties": ["#/iSCSISources/%d/iSCSITargetName" % i]})
                continue    # a refused property leaves the whole attempt as it was
            secrets = {"iSCSIChapSecret": "", "iSCSIReverseChapSecret": ""}
            current["iSCSISources"][i] = dict(slot, StructuredBootString=None, UEFIDevicePath=None, **secrets)
        current["@Redfish.Settings"].update(Time=at, Messages=messages)

    def _apply_boot(self, at):
        staged = self.tree[BOOT_SETTINGS]["PersistentBootConfigOrder"]
        if staged == self.tree[BOOT]["PersistentBootConfigOrder"]:
            return
        self.tree[BOOT]["PersistentBootConfigOrder"] = list(staged)
        ref_of = {s["StructuredBootString"]: "Boot" + s["BootOptionNumber"] for s in self.tree[BOOT]["BootSources"]}
        order = [ref_of[s] for s in staged if s in ref_of]
        self.tree[SYSTEM]["Boot"]["BootOrder"] = order + [r for r in self.tree[SYSTEM]["Boot"]["BootOrder"] if r not in order]
        self.tree[BOOT]["@Redfish.Settings"]["Time"] = at
