# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake Lenovo XCC, next to the DMTF one in fakes.py.

The tree is shaped after the XCC 2.83 capture (SR670 V2): Vendor "Lenovo", boot options that are
boot classes (HardDisk, Network), the system's `Pending` settings object, the OEM BootSettings orders,
Oem.Lenovo SystemStatus and NumberOfReboots, the reset action with its ActionInfo and no PowerCycle,
the PlatformLog. Adapter `slot-1` has functions with iSCSIBoot and a `Pending` object; `slot-27` is
the capture's Broadcom OCP, whose functions have neither.

FakeLenovo behaves as docs/personalities.md says: strong ETags that change with every write; a stale
If-Match answers 412 (`race(uri)` makes the next PATCH of `uri` meet one); PATCHes of Pending objects
answer 200 RebootRequired and stage; CHAP keys under another AuthenticationMethod answer 400;
`reset()` applies what is staged, counts the reboot, runs the iSCSI login (adding the port's iSCSI
entry to the network order, or a PlatformLog entry when it fails) and sets SystemStatus."""

from __future__ import annotations

import copy

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed, RedfishError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC

V1 = "/redfish/v1"
SYSTEM = V1 + "/Systems/1"
SYSTEM_PENDING = SYSTEM + "/Pending"
MANAGER = V1 + "/Managers/1"
RESET = SYSTEM + "/Actions/ComputerSystem.Reset"
RESET_INFO = SYSTEM + "/ResetActionInfo"
BOOT_SETTINGS = SYSTEM + "/Oem/Lenovo/BootSettings"
CLASS_ORDER = BOOT_SETTINGS + "/BootOrder.BootOrder"
NETWORK_ORDER = BOOT_SETTINGS + "/BootOrder.NetworkBootOrder"
PLATFORM_LOG = SYSTEM + "/LogServices/PlatformLog"
ADAPTERS = V1 + "/Chassis/1/NetworkAdapters"
FUNCTIONS = ADAPTERS + "/%s/NetworkDeviceFunctions"
PORT1 = FUNCTIONS % "slot-1" + "/1.1"
PORT2 = FUNCTIONS % "slot-1" + "/2.1"
OCP = FUNCTIONS % "slot-27" + "/1.1"
MAC1, MAC2, MAC_OCP = "7c:d3:0a:11:22:01", "7c:d3:0a:11:22:02", "00:62:0b:4c:28:4e"
DATETIME = "2026-03-01T10:00:00+00:00"
RESET_AT = "2026-03-01T10:05:00+00:00"
XCC_RESETS = ["On", "Nmi", "GracefulShutdown", "GracefulRestart", "ForceOn", "ForceOff", "ForceRestart"]
HTTP_ENTRY = "UEFI:   SLOT1 (31/0/%d) HTTP IPv4  ThinkSystem Intel X710 2-Port 10Gb - %s"
ISCSI_ENTRY = "UEFI:   SLOT1 (31/0/%d) iSCSI  ThinkSystem Intel X710 2-Port 10Gb - %s"
OCP_ENTRY = "UEFI:   SLOT27 (4D/0/0) HTTP IPv4  Broadcom 5719 1GbE RJ45 4-port OCP Ethernet Adapter"
LOGIN_FAILED = "iSCSI login to target iqn.2024-01.org.example.san:esxi01 failed: authentication failure."
REBOOT_REQUIRED = {"@Message.ExtendedInfo": [{"MessageId": "Base.1.12.RebootRequired"}]}
BLANK = {"AuthenticationMethod": "None", "CHAPSecret": None, "CHAPUsername": None, "MutualCHAPSecret": None,
         "MutualCHAPUsername": None, "IPAddressType": "IPv4", "IPMaskDNSViaDHCP": False, "InitiatorName": None,
         "InitiatorIPAddress": "0.0.0.0", "InitiatorNetmask": "0.0.0.0", "InitiatorDefaultGateway": "0.0.0.0",
         "PrimaryTargetName": None, "PrimaryTargetIPAddress": "0.0.0.0", "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 0,
         "PrimaryVLANEnable": False, "PrimaryVLANId": 0, "TargetInfoViaDHCP": False}
CHAP = ("CHAPUsername", "CHAPSecret")
MUTUAL = ("MutualCHAPUsername", "MutualCHAPSecret")


def _order(uri, supported, current):
    return {"@odata.id": uri, "Id": uri.rsplit("/", 1)[-1], "BootOrderSupported": list(supported),
            "BootOrderCurrent": list(current), "BootOrderNext": list(current)}


def _function(uri, mac, iscsi):
    body = {"@odata.id": uri, "Id": uri.rsplit("/", 1)[-1], "Name": "Logical Port 1", "NetDevFuncType": "Ethernet",
            "Ethernet": {"MACAddress": mac, "PermanentMACAddress": mac}}
    if iscsi:
        body.update(NetDevFuncCapabilities=["Ethernet", "iSCSI"], iSCSIBoot=dict(BLANK),     # no BootMode (capture)
                    **{"@Redfish.Settings": {"SettingsObject": {"@odata.id": uri + "/Pending"},
                                             "SupportedApplyTimes": ["OnReset"]}})
    return body


def lenovo_tree(variant="xcc", firmware=2):
    """The XCC tree; `firmware` 1 has no system settings object (the OEM class order instead)."""
    system = {
        "@odata.id": SYSTEM, "Id": "1", "PowerState": "On", "Manufacturer": "Lenovo", "Model": "ThinkSystem SR670 V2",
        "Boot": {"BootOrder": ["Boot0003", "Boot0002"], "BootSourceOverrideEnabled": "Disabled",
                 "BootSourceOverrideTarget": "None", "BootOptions": {"@odata.id": SYSTEM + "/BootOptions"}},
        "Actions": {"#ComputerSystem.Reset": {"target": RESET, "ResetType@Redfish.AllowableValues": list(XCC_RESETS),
                                              "@Redfish.ActionInfo": RESET_INFO}},
        "LogServices": {"@odata.id": SYSTEM + "/LogServices"},
        "Links": {"ManagedBy": [{"@odata.id": MANAGER}], "Chassis": [{"@odata.id": V1 + "/Chassis/1"}]},
        "Oem": {"Lenovo": {"SystemStatus": "BootingOSOrInUndetectedOS", "NumberOfReboots": 16,
                           "BootSettings": {"@odata.id": BOOT_SETTINGS}}},
    }
    if firmware >= 2:
        system["@Redfish.Settings"] = {"SettingsObject": {"@odata.id": SYSTEM_PENDING}, "SupportedApplyTimes": ["OnReset"]}
    if variant == "xcc2":
        system["BootProgress"] = {"LastState": "OSRunning", "OemLastState": "BootingOSOrInUndetectedOS"}
    network = [HTTP_ENTRY % (0, MAC1.upper()), HTTP_ENTRY % (1, MAC2.upper()), OCP_ENTRY]
    tree = {
        V1 + "/": {"@odata.id": V1 + "/", "Vendor": "Lenovo", "Product": "ThinkSystem SR670 V2",
                   "Systems": {"@odata.id": V1 + "/Systems"}, "Chassis": {"@odata.id": V1 + "/Chassis"},
                   "Managers": {"@odata.id": V1 + "/Managers"},
                   "Links": {"Sessions": {"@odata.id": V1 + "/SessionService/Sessions"}}},
        V1 + "/Managers": {"Members": [{"@odata.id": MANAGER}]},
        MANAGER: {"@odata.id": MANAGER, "Id": "1", "DateTime": DATETIME,
                  "Model": "Lenovo XClarity Controller 2" if variant == "xcc2" else "Lenovo XClarity Controller",
                  "FirmwareVersion": "TGBT42S %s 2023-07-05" % ("2.83" if firmware >= 2 else "1.50"),
                  "VirtualMedia": {"@odata.id": MANAGER + "/VirtualMedia"}},
        # the capture's EXT devices list no InsertMedia/EjectMedia action
        MANAGER + "/VirtualMedia": {"Members": [{"@odata.id": MANAGER + "/VirtualMedia/EXT1"}]},
        MANAGER + "/VirtualMedia/EXT1": {"Id": "EXT1", "MediaTypes": ["CD", "DVD", "Floppy", "USBStick"], "Inserted": False,
                                         "Image": None, "Actions": None},
        V1 + "/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        SYSTEM: system,
        SYSTEM + "/BootOptions": {"Members": [{"@odata.id": SYSTEM + "/BootOptions/Boot0002"},
                                              {"@odata.id": SYSTEM + "/BootOptions/Boot0003"}]},
        SYSTEM + "/BootOptions/Boot0002": {"Id": "Boot0002", "BootOptionReference": "Boot0002", "DisplayName": "HardDisk",
                                           "UefiDevicePath": "VenHw_B2AD3248_4F72_4950_A966_CFE5062DB83A_01000000"},
        SYSTEM + "/BootOptions/Boot0003": {"Id": "Boot0003", "BootOptionReference": "Boot0003", "DisplayName": "Network",
                                           "UefiDevicePath": "VenHw_B2AD3248_4F72_4950_A966_CFE5062DB83A_05000000"},
        RESET_INFO: {"Parameters": [{"Name": "ResetType", "AllowableValues": list(XCC_RESETS)}]},
        BOOT_SETTINGS: {"Members": [{"@odata.id": CLASS_ORDER}, {"@odata.id": NETWORK_ORDER}]},
        CLASS_ORDER: _order(CLASS_ORDER, ["Network", "Hard Disk", "CD/DVD Rom", "USB Storage"], ["Network", "Hard Disk"]),
        NETWORK_ORDER: _order(NETWORK_ORDER, network, network),
        SYSTEM + "/LogServices": {"Members": [{"@odata.id": SYSTEM + "/LogServices/AuditLog"}, {"@odata.id": PLATFORM_LOG}]},
        SYSTEM + "/LogServices/AuditLog": {"Id": "AuditLog", "Entries": {"@odata.id": SYSTEM + "/LogServices/AuditLog/Entries"}},
        SYSTEM + "/LogServices/AuditLog/Entries": {"Members": []},
        PLATFORM_LOG: {"Id": "PlatformLog", "Entries": {"@odata.id": PLATFORM_LOG + "/Entries"}},
        PLATFORM_LOG + "/Entries": {"Members": [
            {"Id": "1", "Created": "2026-02-01T08:00:00+00:00", "EntryType": "Oem", "OemRecordFormat": "Lenovo", "Severity": "OK",
             "Message": "The connector Front USB Detect has been detected as present or connected."}]},
        V1 + "/Chassis": {"Members": [{"@odata.id": V1 + "/Chassis/1"}]},
        V1 + "/Chassis/1": {"Id": "1", "NetworkAdapters": {"@odata.id": ADAPTERS}},
        ADAPTERS: {"Members": [{"@odata.id": ADAPTERS + "/slot-1"}, {"@odata.id": ADAPTERS + "/slot-27"}]},
        ADAPTERS + "/slot-1": {"Id": "slot-1", "NetworkDeviceFunctions": {"@odata.id": FUNCTIONS % "slot-1"}},
        ADAPTERS + "/slot-27": {"Id": "slot-27", "NetworkDeviceFunctions": {"@odata.id": FUNCTIONS % "slot-27"}},
        FUNCTIONS % "slot-1": {"Members": [{"@odata.id": PORT1}, {"@odata.id": PORT2}]},
        FUNCTIONS % "slot-27": {"Members": [{"@odata.id": OCP}]},
        PORT1: _function(PORT1, MAC1, True),
        PORT2: _function(PORT2, MAC2, True),
        OCP: _function(OCP, MAC_OCP, False),
    }
    for port in (PORT1, PORT2):
        tree[port + "/Pending"] = copy.deepcopy(tree[port])
        tree[port + "/Pending"].pop("@Redfish.Settings")
    if firmware >= 2:
        tree[SYSTEM_PENDING] = {"@odata.id": SYSTEM_PENDING, "Boot": {"BootOrder": list(system["Boot"]["BootOrder"])}}
    return tree


def _error(uri, status, message_id, *args):
    return RedfishError("PATCH", uri, status, {"error": {"@Message.ExtendedInfo": [
        {"MessageId": message_id, "MessageArgs": list(args), "Message": "%s %s" % (message_id, " ".join(args))}]}})


class FakeLenovo(FakeBMC):
    """An XCC over the fake tree: strong ETags, Pending objects staged by PATCH and applied by reset()."""

    def __init__(self, variant="xcc", firmware=2, graceful_ignored=False):
        super().__init__(lenovo_tree(variant, firmware))
        self.variant = variant
        self.graceful_ignored = graceful_ignored
        self.stays_on = False       # ForceOff that never shows PowerState Off
        self.races = set()          # URIs whose next PATCH meets another writer (412)
        self.generation = 0
        for uri in self.tree:
            self._touch(uri)

    def _touch(self, uri):
        self.generation += 1
        self.etags[uri] = '"%08x"' % (hash(uri) & 0xFFFFFF ^ self.generation)

    def race(self, uri):
        self.races.add(uri)

    def patch(self, uri, body, etag=None):
        self.requests.append("PATCH %s" % uri)
        self.sent.append(("PATCH", uri, copy.deepcopy(body), etag))
        scripted = self._scripted("PATCH", uri)
        if scripted is not None:
            return scripted
        if uri in self.races:        # someone else wrote just before us: the ETag we hold is stale now
            self.races.discard(uri)
            self._touch(uri)
        if etag not in (None, "*", self.etags.get(uri)):
            raise PreconditionFailed("PATCH", uri, 412, {"error": {"@Message.ExtendedInfo": [{
                "MessageId": "Base.1.12.PreconditionFailed",
                "Message": "The ETag supplied did not match the ETag required to change this resource."}]}})
        if uri == SYSTEM and "BootOrder" in (body.get("Boot") or {}):
            raise _error(uri, 400, "Base.1.12.PropertyNotWritable", "BootOrder")
        if uri.endswith("/Pending") and uri != SYSTEM_PENDING:
            self._stage_iscsi(uri, body)
        elif uri == SYSTEM_PENDING:
            self.tree[uri]["Boot"].update(body["Boot"])
        elif uri in (CLASS_ORDER, NETWORK_ORDER):
            if sorted(body["BootOrderNext"]) != sorted(set(body["BootOrderNext"])) or \
                    not set(body["BootOrderNext"]) <= set(self.tree[uri]["BootOrderSupported"]):
                raise _error(uri, 400, "Base.1.12.PropertyValueNotInList", "BootOrderNext")
            self.tree[uri]["BootOrderNext"] = list(body["BootOrderNext"])
        else:
            self.tree[uri]["Boot"].update(body.get("Boot") or {})
        self._touch(uri)
        return Reply(200, dict(copy.deepcopy(self.tree[uri]), **REBOOT_REQUIRED), {"ETag": self.etags[uri]})

    def _stage_iscsi(self, uri, body):
        staged = self.tree[uri]
        if "BootMode" in body:
            raise _error(uri, 400, "Base.1.12.PropertyNotWritable", "BootMode")
        unknown = [k for k in body if k != "iSCSIBoot"]
        if unknown:
            raise _error(uri, 400, "Base.1.12.PropertyUnknown", unknown[0])
        boot = body.get("iSCSIBoot") or {}
        method = boot.get("AuthenticationMethod", staged["iSCSIBoot"]["AuthenticationMethod"])
        allowed = CHAP + MUTUAL if method == "MutualCHAP" else CHAP if method == "CHAP" else ()
        for key in CHAP + MUTUAL:
            if key in boot and key not in allowed:
                raise _error(uri, 400, "Base.1.12.PropertyValueConflict", key, "AuthenticationMethod")
        staged["iSCSIBoot"].update(boot)
        for key in ("CHAPSecret", "MutualCHAPSecret"):
            staged["iSCSIBoot"][key] = None     # secrets read back null

    def post(self, uri, body):
        reply = self._write("POST", uri, body)
        if uri != RESET:
            return reply
        kind, system = body["ResetType"], self.tree[SYSTEM]
        if kind == "ForceOff" and not self.stays_on:
            system["PowerState"] = "Off"
            system["Oem"]["Lenovo"]["SystemStatus"] = "SystemPowerOff_StateUnknown"
        elif kind == "On" or (kind == "GracefulRestart" and not self.graceful_ignored) or kind == "ForceRestart":
            self.reset()
        return reply

    def reset(self, at=RESET_AT, login=True, status="BootingOSOrInUndetectedOS"):
        """The next power-on: staged values applied, the reboot counted, the iSCSI logins run."""
        system = self.tree[SYSTEM]
        for port, index, mac in ((PORT1, 0, MAC1), (PORT2, 1, MAC2)):
            staged = self.tree[port + "/Pending"]
            self.tree[port]["iSCSIBoot"] = copy.deepcopy(staged["iSCSIBoot"])
            if staged["iSCSIBoot"].get("PrimaryTargetName"):      # a port naming a target boots from it
                if login:
                    self._add_entry(ISCSI_ENTRY % (index, mac.upper()))
                else:
                    self.tree[PLATFORM_LOG + "/Entries"]["Members"].append({
                        "Id": "2", "Created": at, "EntryType": "Oem", "OemRecordFormat": "Lenovo", "Severity": "Warning",
                        "Message": LOGIN_FAILED, "Oem": {"Lenovo": {"CommonEventID": "FQXSFIO0036W"}}})
        if SYSTEM_PENDING in self.tree:
            system["Boot"]["BootOrder"] = list(self.tree[SYSTEM_PENDING]["Boot"]["BootOrder"])
        else:
            names = self.tree[CLASS_ORDER]["BootOrderNext"]
            self.tree[CLASS_ORDER]["BootOrderCurrent"] = list(names)
            ref = {"Network": "Boot0003", "Hard Disk": "Boot0002"}
            system["Boot"]["BootOrder"] = [ref[n] for n in names if n in ref]
        self.tree[NETWORK_ORDER]["BootOrderCurrent"] = list(self.tree[NETWORK_ORDER]["BootOrderNext"])
        system["PowerState"] = "On"
        system["Oem"]["Lenovo"].update(SystemStatus=status, NumberOfReboots=system["Oem"]["Lenovo"]["NumberOfReboots"] + 1)
        if self.variant == "xcc2":
            system["BootProgress"] = {"LastState": "OSRunning" if status == "BootingOSOrInUndetectedOS" else "OEM",
                                      "OemLastState": status}
        for uri in self.tree:
            self._touch(uri)

    def _add_entry(self, entry):
        order = self.tree[NETWORK_ORDER]
        if entry not in order["BootOrderSupported"]:
            order["BootOrderSupported"].append(entry)
            order["BootOrderNext"].append(entry)
