"""The fleet key `option_rom_iscsi`: a port's iSCSI values as the NIC's option ROM (BIOS setup) holds them,
for BMCs such as Supermicro's that cannot set them over Redfish. Checked here; the boot firmware uses
each entry as a port configured for iSCSI (personalities/supermicro_option_rom.py)."""
import ipaddress
from dataclasses import dataclass, field

from .model import ISCSI_FIELDS

_KEYS = {"mac", "nic", "port", "initiator_name", "dhcp", "initiator_address", "initiator_netmask",
         "initiator_gateway", "target_name", "target_address", "target_port", "lun", "vlan_id", "chap", "mutual_chap"}


@dataclass(frozen=True)
class OptionRomIscsi:
    nic: str
    port: str
    boot: tuple = field(repr=False)  # DMTF iSCSIBoot (name, value) pairs: what the firmware logs in with


def _address(entry, key, where, fail):
    try:
        return str(ipaddress.IPv4Address(str(entry[key])))
    except (KeyError, ValueError):
        raise fail(f"{where}.{key}: an IPv4 address is required") from None


def _number(entry, key, low, high, default, where, fail):
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise fail(f"{where}.{key}: an integer {low}-{high}")
    return value


def _secret_pair(entry, key, where, fail):
    pair = entry.get(key)
    if pair is None:
        return None
    if not isinstance(pair, dict) or set(pair) != {"username", "secret"} or not pair["username"] or not pair["secret"]:
        raise fail(f"{where}.{key}: needs username and secret")
    return str(pair["username"]), str(pair["secret"])


def _which_port(entry, nics, where, fail):
    """(nic id, port id) named by `mac`, or by `nic` and `port`."""
    for nic in nics:
        for port in nic.ports:
            by_mac = "mac" in entry and str(entry["mac"]).upper() == port.mac
            by_id = "mac" not in entry and str(entry.get("nic")) == nic.id and str(entry.get("port")) == port.id
            if by_mac or by_id:
                return nic.id, port.id
    raise fail(f"{where}: names no port of this BMC (give `mac`, or `nic` and `port`)")


def _boot(entry, where, fail):
    boot = dict(ISCSI_FIELDS)
    if not str(entry.get("initiator_name") or "").strip() or not str(entry.get("target_name") or "").strip():
        raise fail(f"{where}: initiator_name and target_name are required")
    dhcp = entry.get("dhcp", False)
    if not isinstance(dhcp, bool):
        raise fail(f"{where}.dhcp: true or false")
    boot.update(InitiatorName=str(entry["initiator_name"]), PrimaryTargetName=str(entry["target_name"]),
                PrimaryTargetIPAddress=_address(entry, "target_address", where, fail),
                PrimaryTargetTCPPort=_number(entry, "target_port", 1, 65535, 3260, where, fail),
                PrimaryLUN=_number(entry, "lun", 0, 255, 0, where, fail), IPMaskDNSViaDHCP=dhcp)
    if not dhcp:
        boot.update(InitiatorIPAddress=_address(entry, "initiator_address", where, fail),
                    InitiatorNetmask=_address(entry, "initiator_netmask", where, fail),
                    InitiatorDefaultGateway=_address(entry, "initiator_gateway", where, fail)
                    if "initiator_gateway" in entry else None)
    if "vlan_id" in entry:
        boot.update(PrimaryVLANEnable=True, PrimaryVLANId=_number(entry, "vlan_id", 1, 4094, None, where, fail))
    chap, mutual = _secret_pair(entry, "chap", where, fail), _secret_pair(entry, "mutual_chap", where, fail)
    if mutual and not chap:
        raise fail(f"{where}.mutual_chap: needs chap as well")
    if chap:
        boot.update(AuthenticationMethod="MutualCHAP" if mutual else "CHAP", CHAPUsername=chap[0], CHAPSecret=chap[1])
    if mutual:
        boot.update(MutualCHAPUsername=mutual[0], MutualCHAPSecret=mutual[1])
    return boot


def parse_option_rom(entries, nics, where, fail):
    """A tuple of OptionRomIscsi from the fleet's list; `fail(text)` builds the error to raise."""
    if not isinstance(entries, (list, tuple)):
        raise fail(f"{where}: a list of ports")
    parsed, seen = [], set()
    for index, entry in enumerate(entries):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            raise fail(f"{at}: a mapping")
        unknown = set(entry) - _KEYS
        if unknown:
            raise fail(f"{at}: unknown keys {sorted(unknown)}")
        nic_id, port_id = _which_port(entry, nics, at, fail)
        if (nic_id, port_id) in seen:
            raise fail(f"{at}: port {nic_id}/{port_id} is listed twice")
        seen.add((nic_id, port_id))
        parsed.append(OptionRomIscsi(nic_id, port_id, tuple(_boot(entry, at, fail).items())))
    return tuple(parsed)
