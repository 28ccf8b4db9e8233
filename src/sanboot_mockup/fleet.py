"""The fleet file: which BMCs one mockup process serves, and the SAN their hosts boot from.

A YAML document with three keys: `defaults` (applied to every BMC), `bmcs` and `san`.
load_fleet() checks it and returns plain dataclasses; nothing else reads the YAML.
"""
import ipaddress
import re
import zlib
from dataclasses import dataclass, field, fields, replace

import yaml

from .fleet_option_rom import parse_option_rom

APPLY_TIMES = ("Immediate", "OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset")
LUN_CONTENTS = ("blank", "esxi")
PERSONALITIES = ("dmtf", "idrac9", "idrac10", "ilo5", "ilo6", "supermicro-x13", "xcc", "xcc2")
# What a BMC of each personality is unless the fleet file says otherwise.
_DELL_RESETS = ("On", "ForceOff", "ForceRestart", "GracefulRestart", "GracefulShutdown", "PushPowerButton", "Nmi",
                "PowerCycle")
_DELL_APPLY_TIMES = ("OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset")
# iLO offers no PowerCycle (capture) and applies settings at the next reset only.
_HPE_RESETS = ("On", "ForceOff", "GracefulShutdown", "ForceRestart", "Nmi", "PushPowerButton", "GracefulRestart")
# Supermicro's ResetActionInfo (capture), in its order.
_SMC_RESETS = ("On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PowerCycle")
# XCC's Reset (capture): no PowerCycle; settings apply at the next reset only.
_XCC_RESETS = ("On", "Nmi", "GracefulShutdown", "GracefulRestart", "ForceOn", "ForceOff", "ForceRestart")
PERSONALITY_DEFAULTS = {
    "dmtf": {"firmware": "1.0.0", "manufacturer": "Contoso", "model": "Contoso R650"},
    "idrac9": {"firmware": "6.00.30.00", "manufacturer": "Dell Inc.", "model": "PowerEdge R750",
               "reset_types": _DELL_RESETS, "supported_apply_times": _DELL_APPLY_TIMES},
    "idrac10": {"firmware": "1.20.70.50", "manufacturer": "Dell Inc.", "model": "PowerEdge R770",
                "reset_types": _DELL_RESETS, "supported_apply_times": _DELL_APPLY_TIMES},
    "ilo5": {"firmware": "2.72", "manufacturer": "HPE", "model": "ProLiant DL380 Gen10 Plus",
             "reset_types": _HPE_RESETS, "supported_apply_times": ("OnReset",)},
    "ilo6": {"firmware": "1.73", "manufacturer": "HPE", "model": "ProLiant DL380 Gen11",
             "reset_types": _HPE_RESETS, "supported_apply_times": ("OnReset",)},
    "supermicro-x13": {"firmware": "11.01.01", "manufacturer": "Supermicro", "model": "SYS-821GE-TNHR",
                       "reset_types": _SMC_RESETS, "supported_apply_times": ("OnReset",)},
    "xcc": {"firmware": "2.83", "manufacturer": "Lenovo", "model": "ThinkSystem SR670 V2",
            "reset_types": _XCC_RESETS, "supported_apply_times": ("OnReset",)},
    "xcc2": {"firmware": "3.10", "manufacturer": "Lenovo", "model": "ThinkSystem SR650 V3",
             "reset_types": _XCC_RESETS, "supported_apply_times": ("OnReset",)},
}
_MAC = re.compile(r"^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$")


class FleetError(ValueError):
    """The fleet file is not usable; the message names the field."""


@dataclass(frozen=True)
class Timing:
    """Seconds the simulated hardware takes; scale them down for tests and demos."""
    post_state: float = 0.5          # each of the six POST BootProgress states
    iscsi_login: float = 0.3         # firmware's login to the SAN during enumeration
    os_boot: float = 1.0             # OSBootStarted -> OSRunning
    install: float = 2.0             # the ESXi installer writing to the LUN
    graceful_shutdown: float = 1.0   # a running OS honouring ACPI shutdown
    settings_task: float = 0.5       # an Immediate settings task
    option_timeout: float = 0.2      # a boot option that finds nothing (PXE, empty disk)


@dataclass(frozen=True)
class Port:
    id: str
    mac: str
    iscsi: bool = True
    pci: tuple = (0x3B, 0, 0)


@dataclass(frozen=True)
class Nic:
    id: str
    manufacturer: str = "Contoso"
    model: str = "Contoso 25GbE 2P Converged Adapter"
    ports: tuple = ()


@dataclass(frozen=True)
class Bmc:
    name: str
    address: str = "127.0.0.1"
    port: int = 8443
    username: str = "admin"
    password: str = "changeme-lab-only"
    personality: str = "dmtf"
    manufacturer: str = "Contoso"
    model: str = "Contoso R650"
    serial: str = ""
    firmware: str = "1.0.0"
    power: str = "On"
    host_address: str = None         # the host's own address: answers TCP while its OS runs
    host_port: int = 443
    nics: tuple = ()
    supported_apply_times: tuple = ("Immediate", "OnReset")
    reset_types: tuple = ("On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart",
                          "PowerCycle", "Nmi")
    session_limit: int = 32
    session_timeout: int = 1800
    option_rom_iscsi: tuple = ()     # Supermicro: ports' iSCSI values set outside Redfish (fleet_option_rom.py)
    boot_order_property_unknown: bool = False  # Supermicro: Boot.BootOrder PATCH refused, FixedBootOrder instead
    graceful_restart_ignored: bool = False  # Lenovo: GracefulRestart accepted and ignored (vendors.md 3.5)
    local_os: str = None             # the OS on the host's local disk (its name); None: a blank disk
    timing: Timing = field(default_factory=Timing)


@dataclass(frozen=True)
class Lun:
    id: int
    content: str = "blank"
    size_mib: int = 64


@dataclass(frozen=True)
class Target:
    iqn: str
    portal: str
    luns: tuple = ()
    acl: tuple = ()                  # initiator IQNs; ("ALL",) lets anyone in
    chap: tuple = None               # (username, secret)
    mutual_chap: tuple = None        # (username, secret) the target answers with


@dataclass(frozen=True)
class San:
    backend: str = "model"
    portals: tuple = ("127.0.0.1:3260",)
    targets: tuple = ()


@dataclass(frozen=True)
class Fleet:
    bmcs: tuple
    san: San


def _pick(cls, data, where):
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise FleetError(f"{where}: unknown keys {sorted(unknown)}")
    return data


def _timing(data, base, where):
    data = _pick(Timing, data or {}, f"{where}.timing")
    for key, value in data.items():
        if not isinstance(value, (int, float)) or value < 0:
            raise FleetError(f"{where}.timing.{key}: must be a number of seconds >= 0")
    return replace(base, **{k: float(v) for k, v in data.items()})


def _pci(text, where):
    match = re.fullmatch(r"([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])", str(text))
    if not match:
        raise FleetError(f"{where}.pci: expected bus:dev.fn such as 3b:00.0")
    return tuple(int(part, 16) for part in match.groups())


def _nic(data, where):
    data = dict(_pick(Nic, data, where))
    ports = []
    for index, port in enumerate(data.pop("ports", []) or []):
        pwhere = f"{where}.ports[{index}]"
        port = dict(_pick(Port, port, pwhere))
        if not _MAC.match(str(port.get("mac", ""))):
            raise FleetError(f"{pwhere}.mac: expected aa:bb:cc:dd:ee:ff")
        port["id"] = str(port.get("id", index + 1))
        port["mac"] = port["mac"].upper()
        if "pci" in port:
            port["pci"] = _pci(port["pci"], pwhere)
        ports.append(Port(**port))
    if "id" not in data:
        raise FleetError(f"{where}.id: required")
    return Nic(**{**data, "id": str(data["id"]), "ports": tuple(ports)})


def _bmc(data, defaults, where):
    merged = {**defaults, **data}
    merged = dict(_pick(Bmc, merged, where))
    if "name" not in merged:
        raise FleetError(f"{where}.name: required")
    personality = merged.setdefault("personality", "dmtf")
    if personality not in PERSONALITIES:
        raise FleetError(f"{where}.personality: one of {list(PERSONALITIES)}")
    merged = {**PERSONALITY_DEFAULTS[personality], **merged}
    _host(merged, where)
    try:
        ipaddress.ip_address(merged.get("address", "127.0.0.1"))
    except ValueError as exc:
        raise FleetError(f"{where}.address: {exc}") from None
    merged["timing"] = _timing(data.get("timing"), _timing(defaults.get("timing"), Timing(), "defaults"), where)
    merged["nics"] = tuple(_nic(n, f"{where}.nics[{i}]") for i, n in enumerate(merged.get("nics") or []))
    _supermicro_keys(merged, where)
    _local_os(merged, where)
    for key in ("supported_apply_times", "reset_types"):
        if key in merged:
            merged[key] = tuple(merged[key])
    bad = set(merged.get("supported_apply_times", ())) - set(APPLY_TIMES)
    if bad:
        raise FleetError(f"{where}.supported_apply_times: unknown {sorted(bad)}")
    if merged.get("power", "On") not in ("On", "Off"):
        raise FleetError(f"{where}.power: On or Off")
    merged.setdefault("serial", f"MOCK{zlib.crc32(merged['name'].encode()) % 10**8:08d}")
    return Bmc(**merged)


def _supermicro_keys(merged, where):
    if (merged.get("option_rom_iscsi") or merged.get("boot_order_property_unknown")) and \
            merged["personality"] != "supermicro-x13":
        raise FleetError(f"{where}: option_rom_iscsi and boot_order_property_unknown are for supermicro-x13 only")
    merged["option_rom_iscsi"] = parse_option_rom(merged.get("option_rom_iscsi") or [], merged["nics"],
                                                  f"{where}.option_rom_iscsi", FleetError)
    if not isinstance(merged.get("boot_order_property_unknown", False), bool):
        raise FleetError(f"{where}.boot_order_property_unknown: true or false")


def _local_os(merged, where):
    value = merged.get("local_os")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise FleetError(f"{where}.local_os: the name of the OS on the local disk (a string), or null for a blank disk")


def _host(merged, where):
    if merged.get("host_address") is not None:
        try:
            merged["host_address"] = str(ipaddress.ip_address(merged["host_address"]))
        except ValueError as exc:
            raise FleetError(f"{where}.host_address: {exc}") from None
    port = merged.get("host_port", 443)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise FleetError(f"{where}.host_port: a TCP port number")
    merged["firmware"] = str(merged["firmware"])


def _account(data, where):
    if data is None:
        return None
    if not isinstance(data, dict) or not data.get("username") or not data.get("secret"):
        raise FleetError(f"{where}: needs username and secret")
    return (str(data["username"]), str(data["secret"]))


def _san(data):
    data = dict(data or {})
    targets = []
    for index, target in enumerate(data.pop("targets", []) or []):
        where = f"san.targets[{index}]"
        target = dict(_pick(Target, target, where))
        luns = tuple(Lun(**_pick(Lun, lun, f"{where}.luns")) for lun in target.pop("luns", []) or [])
        for lun in luns:
            if lun.content not in LUN_CONTENTS:
                raise FleetError(f"{where}.luns: content must be one of {LUN_CONTENTS}")
        targets.append(Target(
            iqn=str(target["iqn"]), portal=str(target.get("portal", "127.0.0.1:3260")), luns=luns,
            acl=tuple(target.get("acl") or ()), chap=_account(target.get("chap"), f"{where}.chap"),
            mutual_chap=_account(target.get("mutual_chap"), f"{where}.mutual_chap")))
    san = _pick(San, data, "san")
    if san.get("backend", "model") not in ("model", "tgt"):
        raise FleetError("san.backend: model or tgt")
    return San(backend=san.get("backend", "model"), portals=tuple(san.get("portals", San.portals)),
               targets=tuple(targets))


def parse_fleet(document):
    if not isinstance(document, dict) or not document.get("bmcs"):
        raise FleetError("fleet file: needs a list under `bmcs`")
    defaults = document.get("defaults") or {}
    bmcs = tuple(_bmc(b, defaults, f"bmcs[{i}]") for i, b in enumerate(document["bmcs"]))
    names = [b.name for b in bmcs]
    endpoints = [(b.address, b.port) for b in bmcs]
    if len(set(names)) != len(names):
        raise FleetError("bmcs: names must be unique")
    if len(set(endpoints)) != len(endpoints):
        raise FleetError("bmcs: each BMC needs its own address or port")
    return Fleet(bmcs=bmcs, san=_san(document.get("san")))


def load_fleet(path):
    with open(path, encoding="utf-8") as handle:
        return parse_fleet(yaml.safe_load(handle))


def generate_fleet(count, base_address="127.0.1.1", port=8443, timing=None):
    """A fleet file document of `count` BMCs, each with one dual-port NIC, and one SAN."""
    first = ipaddress.ip_address(base_address)
    bmcs, targets = [], []
    for index in range(count):
        name = f"esxi{index + 1:03d}"
        mac = index + 1
        bmcs.append({
            "name": name, "address": str(first + index), "port": port,
            "nics": [{"id": "NIC.Slot.1", "ports": [
                {"id": "1", "mac": _mac(0x10, mac), "pci": "3b:00.0"},
                {"id": "2", "mac": _mac(0x11, mac), "pci": "3b:00.1", "iscsi": False}]}],
        })
        targets.append({
            "iqn": f"iqn.2024-01.org.example.san:{name}", "portal": "127.0.0.1:3260",
            "luns": [{"id": 1, "content": "blank"}], "acl": [f"iqn.1998-01.com.vmware:{name}"],
            "chap": {"username": name, "secret": f"chap{index:08d}x"}})
    doc = {"defaults": {"username": "admin", "password": "changeme-lab-only"}, "bmcs": bmcs,
           "san": {"backend": "model", "portals": ["127.0.0.1:3260"], "targets": targets}}
    if timing:
        doc["defaults"]["timing"] = timing
    return doc


def _mac(prefix, number):
    return "02:00:{:02X}:{:02X}:{:02X}:{:02X}".format(prefix, (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF)
