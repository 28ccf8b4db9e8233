# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake Dell iDRAC, next to the DMTF one in fakes.py.

The tree is shaped after the iDRAC9 6.00.30 capture (R750, BIOS 1.8.2): FQDD ids, adapters under
/Chassis with their settings objects under /Systems, DellNetworkAttributes, the BIOS iSCSI
initiator attributes and a registry subset, the Lifecycle log, jobs. `variant="idrac9-7"` and
`"idrac10"` add BootProgress (LastState only) and the system's SettingsObject.

FakeDell behaves as the contract in docs/personalities.md says: a settings PATCH with an apply
time stages the values and answers 202 with a job Location; a second write to a target whose
job is Scheduled answers 400 SYS011; DELETE of a Scheduled job drops it and what it staged;
`reset()` runs the Scheduled jobs, as the next POST would."""

from __future__ import annotations

import copy

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC

V1 = "/redfish/v1"
SYSTEM = V1 + "/Systems/System.Embedded.1"
MANAGER = V1 + "/Managers/iDRAC.Embedded.1"
CHASSIS = V1 + "/Chassis/System.Embedded.1"
JOBS = MANAGER + "/Jobs"
LCLOG = MANAGER + "/LogServices/Lclog"
BIOS = SYSTEM + "/Bios"
BIOS_SETTINGS = BIOS + "/Settings"
SYSTEM_SETTINGS = SYSTEM + "/Settings"
SLOT = CHASSIS + "/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1"
SLOT_SETTINGS = SYSTEM + "/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/NIC.Slot.1-1-1/Settings"
EMBEDDED = CHASSIS + "/NetworkAdapters/NIC.Embedded.1/NetworkDeviceFunctions/NIC.Embedded.1-1-1"
EMBEDDED_SETTINGS = SYSTEM + "/NetworkAdapters/NIC.Embedded.1/NetworkDeviceFunctions/NIC.Embedded.1-1-1/Settings"
LC_STATUS = MANAGER + "/Oem/Dell/DellLCService/Actions/DellLCService.GetRemoteServicesAPIStatus"
OLD_IQN_PATTERN = r"^(iqn|IQN)\.[0-9a-zA-Z\.\-]+[0-9a-zA-Z\-](\:[0-9a-zA-Z\-]*)?$|^$"
NEW_IQN_PATTERN = r"^(iqn|IQN)\.[0-9a-zA-Z\.\-]+[0-9a-zA-Z\-](\:[0-9a-zA-Z\-\.\:]*)?$|^$"
APPLY_TIMES = ["OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset"]
UEFI0274 = "Unable to perform iSCSI boot on connection 1 because the iSCSI login operation did not complete successfully."

NULL_ISCSI = {
    "AuthenticationMethod": "None", "CHAPSecret": None, "CHAPUsername": None, "IPAddressType": "IPv4",
    "IPMaskDNSViaDHCP": False, "InitiatorDefaultGateway": "0.0.0.0", "InitiatorIPAddress": "0.0.0.0",
    "InitiatorName": None, "InitiatorNetmask": "0.0.0.0", "PrimaryDNS": "0.0.0.0", "PrimaryLUN": 0,
    "PrimaryTargetIPAddress": "0.0.0.0", "PrimaryTargetName": None, "PrimaryTargetTCPPort": 3260,
    "PrimaryVLANEnable": None, "PrimaryVLANId": None, "SecondaryDNS": None, "TargetInfoViaDHCP": False,
    "MutualCHAPUsername": None, "MutualCHAPSecret": None,
}
BIOS_ISCSI = {
    "IscsiInitiatorName": "", "IscsiDev1EnDis": "Disabled", "IscsiDev1ConOrder": "Con1Con2",
    "IscsiDev1Con1EnDis": "Disabled", "IscsiDev1Con1Interface": "NIC.Embedded.1-1-1", "IscsiDev1Con1Protocol": "IPv4",
    "IscsiDev1Con1VlanEnDis": "Disabled", "IscsiDev1Con1VlanId": 1, "IscsiDev1Con1DhcpEnDis": "Disabled",
    "IscsiDev1Con1Ip": "", "IscsiDev1Con1Mask": "", "IscsiDev1Con1Gateway": "", "IscsiDev1Con1TgtDhcpEnDis": "Disabled",
    "IscsiDev1Con1TargetName": "", "IscsiDev1Con1TargetIp": "", "IscsiDev1Con1Port": 3260, "IscsiDev1Con1Lun": "0",
    "IscsiDev1Con1Auth": "None", "IscsiDev1Con1ChapType": "OneWay", "IscsiDev1Con1ChapName": "",
    "IscsiDev1Con1ChapSecret": "", "IscsiDev1Con1RevChapName": "", "IscsiDev1Con1RevChapSecret": "",
}
SECRET_ATTRIBUTES = ("IscsiDev1Con1ChapSecret", "IscsiDev1Con1RevChapSecret")


def _string(name, maximum=223, minimum=0, pattern=None):
    return {"AttributeName": name, "Type": "String", "MinLength": minimum, "MaxLength": maximum, "ValueExpression": pattern,
            "ReadOnly": False, "ResetRequired": True}


def _enum(name, *values):
    return {"AttributeName": name, "Type": "Enumeration", "Value": [{"ValueName": v} for v in values], "ReadOnly": False}


def _integer(name, low, high):
    return {"AttributeName": name, "Type": "Integer", "LowerBound": low, "UpperBound": high, "ReadOnly": False}


def registry(iqn_pattern=OLD_IQN_PATTERN):
    ipv4 = r"^$|^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$"
    c = "IscsiDev1Con1"
    entries = [
        _string("IscsiInitiatorName", pattern=iqn_pattern), _enum("IscsiDev1EnDis", "Enabled", "Disabled"),
        _enum(c + "EnDis", "Enabled", "Disabled"), _enum(c + "Interface", "NIC.Embedded.1-1-1", "NIC.Slot.1-1-1"),
        _enum(c + "Protocol", "IPv4", "IPv6"), _enum(c + "VlanEnDis", "Enabled", "Disabled"), _integer(c + "VlanId", 1, 4094),
        _enum(c + "DhcpEnDis", "Enabled", "Disabled"), _string(c + "Ip", 39, pattern=ipv4), _string(c + "Mask", 39, pattern=ipv4),
        _string(c + "Gateway", 39, pattern=ipv4), _enum(c + "TgtDhcpEnDis", "Enabled", "Disabled"),
        _string(c + "TargetName", pattern=iqn_pattern), _string(c + "TargetIp", 39, pattern=ipv4),
        _integer(c + "Port", 0, 65535), _string(c + "Lun", 21, pattern=r"^([0-9a-fA-f]{1,4}\-){0,3}[0-9a-fA-F]{1,4}$"),
        _enum(c + "Auth", "Chap", "None"), _enum(c + "ChapType", "OneWay", "Mutual"), _string(c + "ChapName", 128),
        _string(c + "ChapSecret", 16, 12), _string(c + "RevChapName", 128), _string(c + "RevChapSecret", 16, 12),
    ]
    return {"@odata.id": BIOS + "/BiosRegistry", "RegistryEntries": {"Attributes": entries}}


def _function(uri, settings, nic_iscsi):
    fqdd = uri.rsplit("/", 1)[-1]
    return {
        "@odata.id": uri, "Id": fqdd, "NetDevFuncCapabilities": ["Disabled", "Ethernet"] + (["iSCSI"] if nic_iscsi else []),
        "Ethernet": {"MACAddress": "B0:26:28:A1:00:%02X" % (1 if "Slot" in fqdd else 2)},
        "iSCSIBoot": dict(NULL_ISCSI) if nic_iscsi else {}, "BootMode": "PXE",
        "@Redfish.Settings": {"SettingsObject": {"@odata.id": settings}, "SupportedApplyTimes": list(APPLY_TIMES)},
        "Links": {"Oem": {"Dell": {"DellNetworkAttributes": {"@odata.id": uri + "/Oem/Dell/DellNetworkAttributes/" + fqdd}}}},
        "Oem": {"Dell": {"DellNIC": {"DeviceDescription": "NIC in Slot 1 Port 1 Partition 1"}}},
    }


def dell_tree(variant="idrac9"):
    """idrac9 (6.00.30: no BootProgress, no system SettingsObject), idrac9-7 (7.10) or idrac10."""
    newer = variant != "idrac9"
    tree = {
        V1 + "/": {"@odata.id": V1 + "/", "Vendor": "Dell", "Product": "Integrated Dell Remote Access Controller",
                   "Oem": {"Dell": {}}, "Systems": {"@odata.id": V1 + "/Systems"}, "Chassis": {"@odata.id": V1 + "/Chassis"},
                   "Managers": {"@odata.id": V1 + "/Managers"},
                   "Links": {"Sessions": {"@odata.id": V1 + "/SessionService/Sessions"}}},
        V1 + "/Managers": {"Members": [{"@odata.id": MANAGER}]},
        MANAGER: {"@odata.id": MANAGER, "Id": "iDRAC.Embedded.1", "Model": "17G Monolithic" if variant == "idrac10" else "15G Monolithic",
                  "FirmwareVersion": {"idrac9": "6.00.30.00", "idrac9-7": "7.10.30.00"}.get(variant, "1.20.70.50"),
                  "DateTime": "2026-11-30T10:00:00-06:00", "LogServices": {"@odata.id": MANAGER + "/LogServices"},
                  "VirtualMedia": {"@odata.id": MANAGER + "/VirtualMedia"},
                  "Links": {"Oem": {"Dell": {"DellLCService": {"@odata.id": MANAGER + "/Oem/Dell/DellLCService"}}}}},
        MANAGER + "/LogServices": {"Members": [{"@odata.id": MANAGER + "/LogServices/Sel"}, {"@odata.id": LCLOG}]},
        MANAGER + "/VirtualMedia": {"Members": [{"@odata.id": MANAGER + "/VirtualMedia/RemovableDisk"},
                                                {"@odata.id": MANAGER + "/VirtualMedia/CD"}]},
        MANAGER + "/VirtualMedia/RemovableDisk": {"Id": "RemovableDisk", "MediaTypes": ["USBStick"], "Inserted": False},
        MANAGER + "/VirtualMedia/CD": {
            "Id": "CD", "MediaTypes": ["CD", "DVD"], "Inserted": False, "Image": None,
            "Actions": {"#VirtualMedia.InsertMedia": {"target": MANAGER + "/VirtualMedia/CD/Actions/VirtualMedia.InsertMedia"},
                        "#VirtualMedia.EjectMedia": {"target": MANAGER + "/VirtualMedia/CD/Actions/VirtualMedia.EjectMedia"}}},
        LCLOG: {"Id": "Lclog", "Entries": {"@odata.id": LCLOG + "/Entries"}},
        LCLOG + "/Entries": {"Members": [
            {"Id": "1", "Created": "2026-11-30T09:00:00-06:00", "Severity": "OK", "MessageId": "IDRAC.2.7.USR0030",
             "Message": "Successfully logged in using root, from 192.0.2.1 and REDFISH."}]},
        JOBS: {"Members": []},
        V1 + "/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        SYSTEM: {
            "@odata.id": SYSTEM, "Id": "System.Embedded.1", "PowerState": "On", "Manufacturer": "Dell Inc.",
            "Model": "PowerEdge R750", "LastResetTime": "2026-11-30T09:00:00-06:00",
            "Boot": {"BootOrder": ["Boot0000", "Boot0001"], "BootSourceOverrideTarget": "None",
                     "BootSourceOverrideEnabled": "Disabled", "BootOptions": {"@odata.id": SYSTEM + "/BootOptions"}},
            "Bios": {"@odata.id": BIOS},
            "NetworkInterfaces": {"@odata.id": SYSTEM + "/NetworkInterfaces"},
            "Links": {"ManagedBy": [{"@odata.id": MANAGER}]},
            "Actions": {"#ComputerSystem.Reset": {
                "target": SYSTEM + "/Actions/ComputerSystem.Reset",
                "ResetType@Redfish.AllowableValues": ["On", "ForceOff", "ForceRestart", "GracefulRestart",
                                                      "GracefulShutdown", "PushPowerButton", "Nmi", "PowerCycle"]}},
        },
        SYSTEM + "/BootOptions": {"Members": [{"@odata.id": SYSTEM + "/BootOptions/Boot0000"},
                                              {"@odata.id": SYSTEM + "/BootOptions/Boot0001"}]},
        SYSTEM + "/BootOptions/Boot0000": {"Id": "Boot0000", "BootOptionReference": "Boot0000",
                                           "DisplayName": "PXE Device 1: Embedded NIC 1 Port 1 Partition 1",
                                           "UefiDevicePath": "VenHw(3A191845-5F86-4E78-8FCE-C4CFF59F9DAA)"},
        SYSTEM + "/BootOptions/Boot0001": {"Id": "Boot0001", "BootOptionReference": "Boot0001",
                                           "DisplayName": "Unavailable: ubuntu", "UefiDevicePath": "HD(1,GPT,...)"},
        BIOS: {"@odata.id": BIOS, "Attributes": dict(BIOS_ISCSI),
               "@Redfish.Settings": {"SettingsObject": {"@odata.id": BIOS_SETTINGS},
                                     "SupportedApplyTimes": ["OnReset"] if variant == "idrac10" else list(APPLY_TIMES)}},
        BIOS_SETTINGS: {"@odata.id": BIOS_SETTINGS, "Attributes": {}},
        BIOS + "/BiosRegistry": registry(OLD_IQN_PATTERN if variant == "idrac9" else NEW_IQN_PATTERN),
        V1 + "/Chassis": {"Members": [{"@odata.id": CHASSIS}, {"@odata.id": V1 + "/Chassis/Enclosure.Internal.0-1"}]},
        V1 + "/Chassis/Enclosure.Internal.0-1": {"Id": "Enclosure.Internal.0-1"},
        CHASSIS: {"Id": "System.Embedded.1", "NetworkAdapters": {"@odata.id": CHASSIS + "/NetworkAdapters"}},
        CHASSIS + "/NetworkAdapters": {"Members": [{"@odata.id": CHASSIS + "/NetworkAdapters/NIC.Embedded.1"},
                                                   {"@odata.id": CHASSIS + "/NetworkAdapters/NIC.Slot.1"}]},
    }
    for adapter, function, settings, nic_iscsi in (("NIC.Embedded.1", EMBEDDED, EMBEDDED_SETTINGS, False),
                                                   ("NIC.Slot.1", SLOT, SLOT_SETTINGS, True)):
        functions = CHASSIS + "/NetworkAdapters/%s/NetworkDeviceFunctions" % adapter
        tree[CHASSIS + "/NetworkAdapters/" + adapter] = {"Id": adapter, "NetworkDeviceFunctions": {"@odata.id": functions}}
        tree[functions] = {"Members": [{"@odata.id": function}]}
        tree[function] = _function(function, settings, nic_iscsi)
        tree[settings] = {"@odata.id": settings, "BootMode": "PXE", "iSCSIBoot": copy.deepcopy(tree[function]["iSCSIBoot"])}
        tree[function + "/Oem/Dell/DellNetworkAttributes/" + function.rsplit("/", 1)[-1]] = {
            "Attributes": {"iSCSIBootSupport": "Available" if nic_iscsi else "Unavailable"}}
    if newer:
        tree[SYSTEM]["BootProgress"] = {"LastState": "OSRunning"}
        tree[SYSTEM]["@Redfish.Settings"] = {"SettingsObject": {"@odata.id": SYSTEM_SETTINGS}, "SupportedApplyTimes": ["OnReset"]}
        tree[SYSTEM_SETTINGS] = {"@odata.id": SYSTEM_SETTINGS, "Boot": {"BootOrder": []}}
    return tree


class FakeDell(FakeBMC):
    """A Dell iDRAC over the fake tree, with jobs, one pending job per target, and resets."""

    def __init__(self, variant="idrac9"):
        super().__init__(dell_tree(variant))
        self.variant = variant
        self.jobs = {}          # id -> (target settings URI, staged body)
        self.created = 0
        self.server_status = "OutOfPOST"
        self.login_fails = False

    def _job(self, target, body, job_type):
        self.created += 1
        job_id = "JID_%012d" % self.created
        self.jobs[job_id] = (target, body)
        self.tree[JOBS + "/" + job_id] = {"Id": job_id, "JobType": job_type, "JobState": "Scheduled",
                                          "Message": "Task successfully scheduled.", "MessageId": "JCP001",
                                          "PercentComplete": 0, "TargetSettingsURI": target}
        self.tree[JOBS]["Members"].append({"@odata.id": JOBS + "/" + job_id})
        return Reply(202, {}, {"Location": JOBS + "/" + job_id})

    def _pending_for(self, target):
        return [i for i, (t, _b) in self.jobs.items() if t == target and self.tree[JOBS + "/" + i]["JobState"] == "Scheduled"]

    def patch(self, uri, body, etag=None):
        scripted = self._scripted("PATCH", uri)
        self.requests.append("PATCH %s" % uri)
        self.sent.append(("PATCH", uri, copy.deepcopy(body), etag))
        if scripted is not None:
            return scripted
        if self._pending_for(uri):
            raise RedfishError("PATCH", uri, 400, {"error": {"@Message.ExtendedInfo": [{
                "MessageId": "IDRAC.2.7.SYS011",
                "Message": "Pending configuration values are already committed, unable to perform another set operation."}]}})
        body = copy.deepcopy(body)
        apply_time = body.pop("@Redfish.SettingsApplyTime", None)
        if uri == SYSTEM and "Boot" in body and self.variant == "idrac10":
            raise RedfishError("PATCH", uri, 400, {"error": {"@Message.ExtendedInfo": [{
                "MessageId": "Base.1.18.PropertyNotWritable", "Message": "The property Boot is a read-only property."}]}})
        if uri == SYSTEM:
            return self._job(uri, body, "BIOSConfiguration")
        staged = self.tree[uri]
        if uri == BIOS_SETTINGS:
            staged["Attributes"].update(body["Attributes"])
            job_type = "BIOSConfiguration"
        elif uri == SYSTEM_SETTINGS:
            staged["Boot"].update(body["Boot"])
            job_type = "BIOSConfiguration"
        else:
            staged["BootMode"] = body.get("BootMode", staged["BootMode"])
            staged["iSCSIBoot"].update(body.get("iSCSIBoot") or {})
            job_type = "NICConfiguration"
        return self._job(uri, body, job_type) if apply_time else Reply(200, {}, {})

    def post(self, uri, body):
        self.requests.append("POST %s" % uri)
        self.sent.append(("POST", uri, copy.deepcopy(body), None))
        scripted = self._scripted("POST", uri)
        if scripted is not None:
            return scripted
        if uri == LC_STATUS:
            return Reply(200, {"LCStatus": "Ready", "ServerStatus": self.server_status, "Status": "Ready"}, {})
        return Reply(204, {}, {})

    def delete(self, uri):
        self.requests.append("DELETE %s" % uri)
        self.sent.append(("DELETE", uri, None, None))
        job_id = uri.rsplit("/", 1)[-1]
        target, _body = self.jobs.pop(job_id)
        del self.tree[uri]
        self.tree[JOBS]["Members"].remove({"@odata.id": uri})
        self._unstage(target)
        return Reply(200, {}, {})

    def _unstage(self, target):
        if target == BIOS_SETTINGS:
            self.tree[target]["Attributes"] = {}
        elif target == SYSTEM_SETTINGS:
            self.tree[target]["Boot"] = {"BootOrder": []}
        elif target != SYSTEM:
            function = SLOT if target == SLOT_SETTINGS else EMBEDDED
            self.tree[target]["BootMode"] = self.tree[function]["BootMode"]
            self.tree[target]["iSCSIBoot"] = copy.deepcopy(self.tree[function]["iSCSIBoot"])

    def reset(self, at="2026-11-30T10:05:00-06:00", iscsi_login=True, jobs_fail=False):
        """The next POST: Scheduled jobs run and complete (or fail, applying nothing), LastResetTime moves; the
        iSCSI option appears when the login succeeds, else the Lifecycle log gets UEFI0274."""
        for job_id, (target, body) in list(self.jobs.items()):
            job = self.tree[JOBS + "/" + job_id]
            if job["JobState"] != "Scheduled":
                continue
            if jobs_fail:
                self._unstage(target)
                # as the capture's jobs: no offset, whole seconds (the iDRAC's local time)
                job.update(JobState="Failed", Message="Job failed.", MessageId="PR21", PercentComplete=100,
                           CompletionTime=at[:19])
                continue
            if target == BIOS_SETTINGS:
                self.tree[BIOS]["Attributes"].update({k: ("" if k in SECRET_ATTRIBUTES else v) for k, v in body["Attributes"].items()})
            elif target in (SYSTEM, SYSTEM_SETTINGS):
                self.tree[SYSTEM]["Boot"].update(body["Boot"])
            else:
                function = SLOT if target == SLOT_SETTINGS else EMBEDDED
                self.tree[function]["BootMode"] = body.get("BootMode", self.tree[function]["BootMode"])
                self.tree[function]["iSCSIBoot"].update({k: (None if "Secret" in k else v)
                                                         for k, v in (body.get("iSCSIBoot") or {}).items()})
            self._unstage(target)
            job.update(JobState="Completed", Message="Job completed successfully.", MessageId="PR19", PercentComplete=100,
                       CompletionTime=at[:19])
        self.tree[SYSTEM]["LastResetTime"] = at
        if jobs_fail:
            return      # no iSCSI values applied: no login tried, no option, no UEFI entry
        if iscsi_login:
            self.tree[SYSTEM + "/BootOptions/Boot0002"] = {
                "Id": "Boot0002", "BootOptionReference": "Boot0002", "UefiDevicePath": "VenHw(0C8CB6CC-13AE-45F4-BBCE-BF9F8D4B1B8B)",
                "DisplayName": "ISCSI Device 1: NIC in Slot 1 Port 1 Partition 1"}
            members = self.tree[SYSTEM + "/BootOptions"]["Members"]
            if {"@odata.id": SYSTEM + "/BootOptions/Boot0002"} not in members:
                members.append({"@odata.id": SYSTEM + "/BootOptions/Boot0002"})
                self.tree[SYSTEM]["Boot"]["BootOrder"].append("Boot0002")
        else:
            self.tree[LCLOG + "/Entries"]["Members"].append({
                "Id": "2", "Created": at, "Severity": "Warning", "MessageId": "IDRAC.2.7.UEFI0274", "Message": UEFI0274,
                "EntryType": "Oem", "OemRecordFormat": "Dell"})

    def job_count(self):
        return len(self.jobs)
