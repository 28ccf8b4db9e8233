# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fakes shared by the module_utils unit tests (fixtures for them are in conftest.py).

- FakeBMC stands in for transport.RedfishClient (the object the *_ops modules are given): it
  serves a small Redfish tree from a dict, records every request, and can be told to fail.
- FakeModule stands in for module.SanbootModule (params, check_mode, protect, warn).
- fakes_dell.py holds the Dell iDRAC tree, shaped after the iDRAC9 6.00.30 capture.
- FakeTime gives clock()/wait loops a fake monotonic clock and a sleep that only records.
"""

from __future__ import annotations

import copy

from ansible_collections.vmw.sanboot.plugins.module_utils import iscsi_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply

SYSTEM = "/redfish/v1/Systems/1"
PORT1 = "/redfish/v1/Chassis/1/NetworkAdapters/NIC1/NetworkDeviceFunctions/1"
PORT2 = "/redfish/v1/Chassis/1/NetworkAdapters/NIC1/NetworkDeviceFunctions/2"
SETTINGS2 = PORT2 + "/Settings"
MEDIA = "/redfish/v1/Managers/1/VirtualMedia/CD1"
TARGET_IQN = "iqn.2005-10.org.freenas.ctl:esxi01"
ISCSI_PATH = ("PciRoot(0x0)/Pci(0x1C,0x0)/Pci(0x0,0x0)/MAC(AABBCC000002,0x1)/"
              "IPv4(192.168.10.5,TCP,Static,192.168.10.21,255.255.255.0)/"
              "iSCSI(iqn.2005-10.org.freenas.ctl:esxi01,0x1,0x0001000000000000,None,None,CHAP_UNI,TCP)")

BLANK_ISCSI = {
    "IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:blank", "InitiatorIPAddress": "0.0.0.0",
    "InitiatorNetmask": "0.0.0.0", "InitiatorDefaultGateway": "0.0.0.0", "PrimaryDNS": "0.0.0.0",
    "SecondaryDNS": "0.0.0.0", "IPMaskDNSViaDHCP": False, "TargetInfoViaDHCP": False,
    "PrimaryTargetName": None, "PrimaryTargetIPAddress": "0.0.0.0", "PrimaryTargetTCPPort": 3260,
    "PrimaryLUN": 0, "PrimaryVLANEnable": False, "PrimaryVLANId": 0, "AuthenticationMethod": "None",
    "CHAPUsername": None, "CHAPSecret": None, "MutualCHAPUsername": None, "MutualCHAPSecret": None,
}


def bmc_tree():
    """A small BMC: one system, one chassis with a two-port NIC (port 2 iSCSI-capable), a log,
    virtual media on the manager, and three boot options (the third one iSCSI)."""
    port2 = {
        "@odata.id": PORT2, "Id": "2", "NetDevFuncCapabilities": ["Ethernet", "iSCSI"],
        "Ethernet": {"MACAddress": "AA-BB-CC-00-00-02"}, "BootMode": "Disabled",
        "iSCSIBoot": dict(BLANK_ISCSI),
        "@Redfish.Settings": {"SettingsObject": {"@odata.id": SETTINGS2},
                              "SupportedApplyTimes": ["Immediate", "OnReset"]},
    }
    return {
        "/redfish/v1/": {"@odata.id": "/redfish/v1/", "Vendor": "Contoso",
                         "Systems": {"@odata.id": "/redfish/v1/Systems"},
                         "Chassis": {"@odata.id": "/redfish/v1/Chassis"},
                         "Managers": {"@odata.id": "/redfish/v1/Managers"},
                         "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}},
        "/redfish/v1/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        SYSTEM: {
            "@odata.id": SYSTEM, "Id": "1", "PowerState": "On",
            "Boot": {"BootOrder": ["Boot0001", "Boot0002", "Boot0003"], "BootNext": None,
                     "BootSourceOverrideTarget": "None", "BootSourceOverrideEnabled": "Disabled",
                     "BootOptions": {"@odata.id": SYSTEM + "/BootOptions"}},
            "BootProgress": {"LastState": "OSRunning", "LastStateTime": "2026-01-01T10:00:00Z"},
            "Actions": {"#ComputerSystem.Reset": {
                "target": SYSTEM + "/Actions/ComputerSystem.Reset",
                "ResetType@Redfish.AllowableValues": ["On", "ForceOff", "GracefulShutdown", "ForceRestart",
                                                      "GracefulRestart", "PowerCycle"]}},
            "LogServices": {"@odata.id": SYSTEM + "/LogServices"},
            "Links": {"ManagedBy": [{"@odata.id": "/redfish/v1/Managers/1"}]},
        },
        SYSTEM + "/BootOptions": {"Members": [{"@odata.id": SYSTEM + "/BootOptions/%s" % n}
                                              for n in ("0001", "0002", "0003")]},
        SYSTEM + "/BootOptions/0001": {"Id": "0001", "BootOptionReference": "Boot0001", "DisplayName": "UEFI PXEv4",
                                       "UefiDevicePath": "PciRoot(0x0)/Pci(0x1C,0x0)/MAC(AABBCC000001,0x1)/IPv4(0.0.0.0)"},
        SYSTEM + "/BootOptions/0002": {"Id": "0002", "BootOptionReference": "Boot0002", "DisplayName": "Virtual CD",
                                       "UefiDevicePath": "PciRoot(0x0)/Pci(0x14,0x0)/USB(0x3,0x0)"},
        SYSTEM + "/BootOptions/0003": {"Id": "0003", "BootOptionReference": "Boot0003",
                                       "DisplayName": "UEFI iSCSI esxi01", "BootOptionEnabled": True,
                                       "UefiDevicePath": ISCSI_PATH},
        SYSTEM + "/LogServices": {"Members": [{"@odata.id": SYSTEM + "/LogServices/Log"}]},
        SYSTEM + "/LogServices/Log": {"Id": "Log", "Entries": {"@odata.id": SYSTEM + "/LogServices/Log/Entries"}},
        SYSTEM + "/LogServices/Log/Entries": {"Members": [
            {"Id": "1", "Created": "2026-01-01T09:00:00Z", "Severity": "OK", "Message": "Host powered on",
             "MessageId": "OEM.1.0.PowerOn"},
            {"@odata.id": SYSTEM + "/LogServices/Log/Entries/2"},
            {"Id": "3", "Created": "2026-01-01T10:00:05Z", "Severity": "Critical",
             "Message": "iSCSI login failed: authentication failure", "MessageId": "OEM.1.0.IscsiLogin"},
        ]},
        SYSTEM + "/LogServices/Log/Entries/2": {"Id": "2", "Created": "2026-01-01T10:00:01Z", "Severity": "Warning",
                                                "Message": "Boot option Boot0001 failed", "MessageId": "OEM.1.0.Boot"},
        "/redfish/v1/Chassis": {"Members": [{"@odata.id": "/redfish/v1/Chassis/Enclosure"},
                                            {"@odata.id": "/redfish/v1/Chassis/1"}]},
        "/redfish/v1/Chassis/Enclosure": {"Id": "Enclosure", "ChassisType": "Enclosure"},
        "/redfish/v1/Chassis/1": {"Id": "1", "NetworkAdapters": {"@odata.id": "/redfish/v1/Chassis/1/NetworkAdapters"}},
        "/redfish/v1/Chassis/1/NetworkAdapters": {"Members": [{"@odata.id": "/redfish/v1/Chassis/1/NetworkAdapters/NIC1"}]},
        "/redfish/v1/Chassis/1/NetworkAdapters/NIC1": {
            "Id": "NIC1", "NetworkDeviceFunctions": {"@odata.id": "/redfish/v1/Chassis/1/NetworkAdapters/NIC1/NetworkDeviceFunctions"}},
        "/redfish/v1/Chassis/1/NetworkAdapters/NIC1/NetworkDeviceFunctions": {"Members": [
            {"@odata.id": PORT1}, {"@odata.id": PORT2}]},
        PORT1: {"@odata.id": PORT1, "Id": "1", "NetDevFuncCapabilities": ["Ethernet"],
                "Ethernet": {"MACAddress": "aa:bb:cc:00:00:01"}, "BootMode": "Disabled"},
        PORT2: port2,
        SETTINGS2: {"@odata.id": SETTINGS2, "BootMode": "Disabled", "iSCSIBoot": dict(BLANK_ISCSI)},
        "/redfish/v1/Managers": {"Members": [{"@odata.id": "/redfish/v1/Managers/1"}]},
        "/redfish/v1/Managers/1": {"@odata.id": "/redfish/v1/Managers/1", "DateTime": "2026-01-01T10:00:30Z",
                                   "VirtualMedia": {"@odata.id": "/redfish/v1/Managers/1/VirtualMedia"}},
        "/redfish/v1/Managers/1/VirtualMedia": {"Members": [{"@odata.id": "/redfish/v1/Managers/1/VirtualMedia/USB1"},
                                                            {"@odata.id": MEDIA}]},
        "/redfish/v1/Managers/1/VirtualMedia/USB1": {"Id": "USB1", "MediaTypes": ["USBStick"], "Inserted": False},
        MEDIA: {"Id": "CD1", "MediaTypes": ["CD", "DVD"], "Inserted": False, "Image": None,
                "Actions": {"#VirtualMedia.InsertMedia": {"target": MEDIA + "/Actions/VirtualMedia.InsertMedia"},
                            "#VirtualMedia.EjectMedia": {"target": MEDIA + "/Actions/VirtualMedia.EjectMedia"}}},
    }


class FakeBMC:
    """Stands in for transport.RedfishClient: get/patch/post/delete over a dict of bodies.

    `script[(METHOD, uri)]` is a list consumed one item per request: a Reply/body to return or an
    exception to raise; when it is empty the tree answers."""

    def __init__(self, tree=None):
        self.tree = tree if tree is not None else bmc_tree()
        self.root = self.tree["/redfish/v1/"]
        self.etags = {}
        self.script = {}
        self.requests = []
        self.sent = []          # (method, uri, body, etag)
        self.warnings = []

    def _scripted(self, method, uri):
        queue = self.script.get((method, uri))
        if queue:
            item = queue.pop(0)
            if isinstance(item, BaseException):
                raise item
            return item if isinstance(item, Reply) else Reply(200, copy.deepcopy(item), {})
        return None

    def get(self, uri):
        self.requests.append("GET %s" % uri)
        reply = self._scripted("GET", uri)
        if reply is not None:
            return reply
        if uri not in self.tree:
            raise RedfishError("GET", uri, 404, {"error": {"@Message.ExtendedInfo": [
                {"MessageId": "Base.1.8.ResourceNotFound", "Message": "The requested resource was not found."}]}})
        etag = self.etags.get(uri)
        return Reply(200, copy.deepcopy(self.tree[uri]), {"ETag": etag} if etag else {})

    def get_members(self, collection_uri):
        """transport.RedfishClient.get_members without `$expand`: the collection, no member body."""
        return [(m["@odata.id"], None) for m in self.get(collection_uri).body.get("Members", [])
                if isinstance(m, dict) and "@odata.id" in m]

    def _write(self, method, uri, body, etag=None):
        self.requests.append("%s %s" % (method, uri))
        self.sent.append((method, uri, copy.deepcopy(body), etag))
        reply = self._scripted(method, uri)
        return reply if reply is not None else Reply(204, {}, {})

    def patch(self, uri, body, etag=None):
        return self._write("PATCH", uri, body, etag)

    def post(self, uri, body):
        return self._write("POST", uri, body)

    def delete(self, uri):
        return self._write("DELETE", uri, None)

    def writes(self, method=None):
        return [s for s in self.sent if method is None or s[0] == method]


class ExpandingBMC(FakeBMC):
    """A FakeBMC whose collections come expanded (transport.get_members with `$expand`): a member's Reply
    where the tree has it and `expanded(uri)` says so, else None."""

    def __init__(self, expanded=lambda uri: True):
        super().__init__()
        self.expanded = expanded

    def get_members(self, collection_uri):
        self.requests.append("GET %s?$expand=.($levels=1)" % collection_uri)
        if collection_uri not in self.tree:
            raise RedfishError("GET", collection_uri, 404, {})
        return [(m["@odata.id"], Reply(200, dict(self.tree[m["@odata.id"]]), {}) if self.expanded(m["@odata.id"]) else None)
                for m in self.tree[collection_uri]["Members"]]


class FakeModule:
    """Stands in for module.SanbootModule as the *_ops functions use it."""

    def __init__(self, params, check_mode=False):
        self.params = dict({"dialect": "auto"}, **params)
        self.check_mode = check_mode
        self.diff = False
        self.protected = []
        self.warnings = []

    def protect(self, *values):
        self.protected.extend(v for v in values if v)

    def warn(self, text):
        self.warnings.append(text)


class FakeTime:
    """A monotonic clock that moves only when slept on (or when told to)."""

    def __init__(self, start=1000.0):
        self.t = start
        self.sleeps = []

    def now(self):
        return self.t

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.t += seconds


def iscsi_boot_params(changes, port, secret, lun, netmask="24", target_name="iqn.2024-01.org.example.san:esxi01"):
    """iscsi_boot's parameters for esxi01 as the vendor dialect tests use them (`changes` replace keys)."""
    base = {
        "state": "present", "port": port, "dialect": "auto", "apply_time": "auto", "chap_secret_update": "on_change",
        "iscsi_method": "auto", "clear_pending": False,
        "initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11", "netmask": netmask,
                      "gateway": "192.0.2.1", "primary_dns": None, "secondary_dns": None, "dhcp": False},
        "target": {"name": target_name, "address": "192.0.2.200", "port": 3260, "lun": lun, "vlan_id": None},
        "secondary_target": None,
        "chap": {"username": "esxi01", "secret": secret, "mutual_username": None, "mutual_secret": None},
        "target_os": "esxi", "allow_ipv6": False, "task_timeout": 30, "poll_interval": 2,
    }
    base.update(changes)
    return base


def run_iscsi_boot(bmc, params, check_mode=False):
    module = FakeModule(params, check_mode=check_mode)
    return iscsi_boot_ops.run(module, bmc, iscsi_boot_ops.prepare(module))
