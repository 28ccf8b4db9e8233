"""One simulated BMC: its persisted state, sessions, log, tasks, statistics and faults.

State is a plain JSON-able dict, written through to the state directory after every change.
Resource handlers render Redfish payloads from it; the firmware (firmware.py) drives boots.
"""
import itertools
import uuid

from .clock import now_iso
from .faults import Faults
from .host_network import HostListener
from .model import ISCSI_FIELDS
from .personalities import personality_for
from .sessions import SessionTable, hash_password
from .stats import Stats

STATE_VERSION = 1
LOG_LIMIT = 500
HISTORY_LIMIT = 100



def function_key(nic_id, port_id):
    return f"{nic_id}/{port_id}"


def _initial_state(cfg):
    options, order = {}, []
    seq = itertools.count(0)

    def add(kind, name, path, alias, port=None):
        ref = f"Boot{next(seq):04X}"
        options[ref] = {"DisplayName": name, "UefiDevicePath": path, "BootOptionEnabled": True,
                        "Alias": alias, "kind": kind, "port": port}
        order.append(ref)
        return ref

    add("hdd", "UEFI: Local Disk 0", "PciRoot(0x0)/Pci(0x17,0x0)/Sata(0x0,0xFFFF,0x0)", "Hdd")
    functions = {}
    for nic_index, nic in enumerate(cfg.nics):
        for port in nic.ports:
            key = function_key(nic.id, port.id)
            add("pxe", f"UEFI: PXE IPv4 {nic.model} Port {port.id}",
                f"{_pci_path(nic_index, port)}/MAC({port.mac.replace(':', '')},0x1)/IPv4(0.0.0.0,0x0,DHCP,0.0.0.0,0.0.0.0,0.0.0.0)",
                "Pxe", key)
            functions[key] = {"BootMode": "PXE" if port.id == nic.ports[0].id else "Disabled",
                              "NetDevFuncType": "Ethernet", "iSCSIBoot": dict(ISCSI_FIELDS),
                              "pending": None, "settings_messages": [], "settings_time": now_iso()}
    add("cd", "UEFI: Virtual CD/DVD", "PciRoot(0x0)/Pci(0x14,0x0)/USB(0xD,0x0)/USB(0x2,0x0)/CDROM(0x1,0x0,0x0)", "Cd")
    running = cfg.power == "On"
    return {
        "version": STATE_VERSION,
        "power": cfg.power,
        "boot": {"BootOrder": order, "BootNext": None, "BootSourceOverrideTarget": "None",
                 "BootSourceOverrideEnabled": "Disabled", "BootSourceOverrideMode": "UEFI",
                 "UefiTargetBootSourceOverride": None},
        "boot_options": options,
        "next_option": next(seq),
        # A powered-on host of a new fleet sits where its last boot left it: nothing bootable.
        "progress": {"LastState": "OEM" if running else "None", "OemLastState": "NoBootableDevice" if running else None,
                     "LastStateTime": now_iso(), "LastBootTimeSeconds": None},
        "boot_run": None,
        "functions": functions,
        "accounts": {"1": {"UserName": cfg.username, "Password": hash_password(cfg.password),
                           "RoleId": "Administrator", "Enabled": True, "Locked": False}},
        "account_seq": 2,
        "session_timeout": cfg.session_timeout,
        "logs": [], "log_seq": 1,
        "tasks": {}, "task_seq": 1,
        "virtual_media": {"CD": {"Image": None, "ImageName": None, "Inserted": False, "WriteProtected": True,
                                 "ConnectedVia": "NotConnected"}},
        "boot_history": [], "boot_seq": 1,
        "ibft": None,
        "booted_from": None,
    }


def _pci_path(nic_index, port):
    bus, dev, fn = port.pci
    return f"PciRoot(0x0)/Pci(0x{2 + nic_index:X},0x0)/Pci(0x{dev:X},0x{fn:X})"


class Bmc:
    def __init__(self, cfg, store, san, ca_file=None):
        self.cfg = cfg
        self.name = cfg.name
        self.store = store
        self.san = san
        self.ca_file = ca_file
        self.personality = personality_for(cfg)
        self.ids = self.personality.ids
        self.state = store.load(cfg.name) or self.personality.initial_state(_initial_state(cfg))
        self.host_net = HostListener(cfg.host_address, cfg.host_port)
        self.started = now_iso()  # when this BMC (the mockup process) last started
        self.sessions = SessionTable(cfg.session_limit, self.state["session_timeout"])
        self.stats = Stats()
        self.faults = Faults()
        self.firmware = None  # set by the server once the event loop runs
        self.base_uri = None
        self.uuid = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{cfg.name}.sanboot-mockup"))

    # -- persistence and logging -------------------------------------------------------------
    def save(self):
        self.store.save(self.name, self.state)

    def log(self, severity, text, message_id="SanbootFirmware.1.0.0.Event", args=()):
        entry = {"Id": str(self.state["log_seq"]), "Created": now_iso(), "Severity": severity,
                 "Message": text, "MessageId": message_id, "MessageArgs": [str(a) for a in args]}
        self.state["log_seq"] += 1
        self.state["logs"] = (self.state["logs"] + [entry])[-LOG_LIMIT:]
        self.save()
        return entry

    # -- lookups ---------------------------------------------------------------------------
    def nic(self, nic_id):
        return next((n for n in self.cfg.nics if n.id == nic_id), None)

    def port(self, nic_id, port_id):
        nic = self.nic(nic_id)
        return next((p for p in nic.ports if p.id == port_id), None) if nic else None

    def account_by_name(self, username):
        return next(((i, a) for i, a in self.state["accounts"].items() if a["UserName"] == username), (None, None))
