"""Build and parse the iSCSI Boot Firmware Table (iBFT), revision 1.

Layout per the iBFT specification (ACPI 3.0b), as Linux
drivers/firmware/iscsi_ibft.c accepts it; cross-checked with iPXE ibft.h and
edk2 IScsiBootFirmwareTable.h. Standard library only.

Choices worth knowing:
* Structures are 8-byte aligned in the order Control, Initiator, NIC0, Target0,
  NIC1, Target1 (absent ones take no space), then the string heap.
* Boot LUN uses SAM-2 single-level addressing: peripheral device addressing
  (00 LL) for LUN < 256, flat space addressing (0x40|hi, lo) for 256..16383.
  Parsing accepts exactly these two forms and rejects anything else.
* Empty strings are written as absent (length 0, offset 0) and read back as None.
* The parser is stricter than Linux in two places: any structure with the wrong
  id or length raises (Linux skips it; it also only requires Control >= 18), and
  string and structure bounds are checked against the table length.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import struct
from dataclasses import dataclass, field

SIGNATURES = (b"iBFT", b"IBFT", b"BIFT")  # Linux accepts all three
ID_CONTROL, ID_INITIATOR, ID_NIC, ID_TARGET = 1, 2, 3, 4
ORIGIN_MANUAL, ORIGIN_DHCP = 1, 3
CHAP_NONE, CHAP_ONE_WAY, CHAP_MUTUAL = 0, 1, 2
FLAG_VALID, FLAG_BOOT_SELECTED = 0x01, 0x02

_ACPI = struct.Struct("<4sIBB6s8sIII")           # 36-byte ACPI header
_CONTROL = struct.Struct("<BBHBB6H")              # 18
_INITIATOR = struct.Struct("<BBHBB16s16s16s16sHH")  # 74
_NIC = struct.Struct("<BBHBB16sBB16s16s16s16sH6sHHH")  # 102
_TARGET = struct.Struct("<BBHBB16sH8sBB10H")      # 54
_CONTROL_OFFSET = 0x30  # ACPI header + 12 reserved bytes
_ZERO_IP = bytes(16)
_MASK = "********"


class IbftError(ValueError):
    """The bytes are not an iBFT that Linux would accept."""


@dataclass
class IbftNic:
    ip: str | None = None
    prefix_length: int = 0
    origin: int = ORIGIN_MANUAL
    gateway: str | None = None
    primary_dns: str | None = None
    secondary_dns: str | None = None
    dhcp_server: str | None = None
    vlan: int = 0  # VLAN id; 0 = no VLAN
    mac: str | None = None  # "aa:bb:cc:dd:ee:ff"
    pci_bdf: tuple[int, int, int] = (0, 0, 0)
    hostname: str | None = None


@dataclass
class IbftTarget:
    ip: str | None = None
    port: int = 3260
    lun: int = 0
    chap_type: int = CHAP_NONE
    nic_index: int = 0
    target_name: str | None = None
    chap_name: str | None = None
    chap_secret: str | None = None
    reverse_chap_name: str | None = None
    reverse_chap_secret: str | None = None


@dataclass
class IbftInitiator:
    name: str | None = None


@dataclass
class Ibft:
    oem_id: str = ""
    oem_table_id: str = ""
    initiator: IbftInitiator = field(default_factory=IbftInitiator)
    nics: list[IbftNic] = field(default_factory=list)
    targets: list[IbftTarget] = field(default_factory=list)
    oem_revision: int = 1
    creator_id: str = "SNBT"
    creator_revision: int = 1


# --- field encoders / decoders ---------------------------------------------

def _align8(n: int) -> int:
    return (n + 7) & ~7


def netmask_to_prefix(mask: str | int, ipv6: bool = False) -> int:
    """'255.255.255.0' -> 24; also accepts 24, '24', '/64' and IPv6 masks."""
    width = 128 if ipv6 else 32
    text = str(mask).strip().lstrip("/")
    if text.isdigit():
        prefix = int(text)
    else:
        try:
            bits = int(ipaddress.ip_address(text))
        except ValueError:
            raise ValueError(f"invalid netmask {mask!r}") from None
        width = 128 if ":" in text else 32
        prefix = bin(bits).count("1")
        if bits != ((1 << prefix) - 1) << (width - prefix):
            raise ValueError(f"netmask {mask!r} is not contiguous")
    if not 0 <= prefix <= width:
        raise ValueError(f"prefix length {prefix} out of range 0..{width}")
    return prefix


def _ip_bytes(addr: str | None) -> bytes:
    if not addr:
        return _ZERO_IP
    ip = ipaddress.ip_address(addr)
    if ip.version == 4:  # IPv4 is stored IPv4-mapped: ::ffff:a.b.c.d
        return bytes(10) + b"\xff\xff" + ip.packed
    return ip.packed


def _ip_str(raw: bytes) -> str | None:
    ip = ipaddress.IPv6Address(raw)
    if ip.ipv4_mapped is not None:
        return None if int(ip.ipv4_mapped) == 0 else str(ip.ipv4_mapped)
    return None if raw == _ZERO_IP else str(ip)


def _lun_bytes(lun: int) -> bytes:
    # SAM: big-endian first level; not u-root's little-endian u64.
    if 0 <= lun < 256:
        return bytes([0, lun]) + bytes(6)  # peripheral device addressing
    if lun < 0x4000:
        return bytes([0x40 | lun >> 8, lun & 0xFF]) + bytes(6)  # flat space
    raise ValueError(f"LUN {lun} out of range 0..16383")


def _lun_int(raw: bytes) -> int:
    # Only the two single-level forms _lun_bytes writes; a multi-level LUN or a
    # non-zero peripheral bus id has no single-int meaning here.
    if any(raw[2:]) or not (raw[0] == 0 or raw[0] >> 6 == 1):
        raise IbftError(f"unsupported boot LUN encoding {raw.hex(' ')}")
    return (raw[0] & 0x3F) << 8 | raw[1]


def _mac_bytes(mac: str | None) -> bytes:
    if not mac:
        return bytes(6)
    parts = mac.replace("-", ":").split(":")
    if len(parts) != 6:
        raise ValueError(f"invalid MAC address {mac!r}")
    return bytes(int(p, 16) for p in parts)


def _bdf_u16(bdf: tuple[int, int, int]) -> int:
    bus, dev, fn = bdf
    if not (0 <= bus <= 0xFF and 0 <= dev <= 0x1F and 0 <= fn <= 7):
        raise ValueError(f"invalid PCI bus/dev/fn {bdf!r}")
    return bus << 8 | dev << 3 | fn


def _fixed(text: str, size: int, what: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > size:
        raise ValueError(f"{what} {text!r} longer than {size} bytes")
    return raw.ljust(size, b"\0")  # NUL padding: Linux prints with %.*s


class _Heap:
    """String area: NUL-terminated strings addressed by (length, offset)."""

    def __init__(self, start: int):
        self.start, self.data = start, bytearray()

    def add(self, text: str | None) -> tuple[int, int]:
        if not text:
            return 0, 0  # absent
        raw = text.encode("utf-8")
        offset = self.start + len(self.data)
        self.data += raw + b"\0"
        return len(raw), offset


# --- builder ---------------------------------------------------------------

def build_ibft(table: Ibft) -> bytes:
    """Serialise `table` into a checksummed iBFT; ValueError on bad input."""
    try:
        return _build(table)
    except struct.error as exc:  # a number that does not fit its field
        raise ValueError(f"iBFT field out of range: {exc}") from None


def _build(table: Ibft) -> bytes:
    nics, targets = table.nics, table.targets
    if len(nics) > 2 or len(targets) > 2:
        raise ValueError("iBFT holds at most two NICs and two targets")
    for t in targets:
        if nics and not 0 <= t.nic_index < len(nics):
            raise ValueError(f"target NIC index {t.nic_index} has no NIC")

    init_off = _align8(_CONTROL_OFFSET + _CONTROL.size)
    pos = _align8(init_off + _INITIATOR.size)
    nic_offs, tgt_offs = [0, 0], [0, 0]
    for i in range(2):
        if i < len(nics):
            nic_offs[i], pos = pos, _align8(pos + _NIC.size)
        if i < len(targets):
            tgt_offs[i], pos = pos, _align8(pos + _TARGET.size)
    heap = _Heap(pos)

    init_name = heap.add(table.initiator.name)
    nic_blobs = []
    for i, n in enumerate(nics):
        flags = FLAG_VALID | (FLAG_BOOT_SELECTED if i == 0 else 0)
        nic_blobs.append(_NIC.pack(
            ID_NIC, 1, _NIC.size, i, flags, _ip_bytes(n.ip), n.prefix_length,
            n.origin, _ip_bytes(n.gateway), _ip_bytes(n.primary_dns),
            _ip_bytes(n.secondary_dns), _ip_bytes(n.dhcp_server), n.vlan,
            _mac_bytes(n.mac), _bdf_u16(n.pci_bdf), *heap.add(n.hostname)))
    tgt_blobs = []
    for i, t in enumerate(targets):
        if t.chap_type not in (CHAP_NONE, CHAP_ONE_WAY, CHAP_MUTUAL):
            raise ValueError(f"invalid CHAP type {t.chap_type}")
        flags = FLAG_VALID | (FLAG_BOOT_SELECTED if i == 0 else 0)
        strings = [heap.add(s) for s in (t.target_name, t.chap_name, t.chap_secret,
                                          t.reverse_chap_name, t.reverse_chap_secret)]
        tgt_blobs.append(_TARGET.pack(
            ID_TARGET, 1, _TARGET.size, i, flags, _ip_bytes(t.ip), t.port,
            _lun_bytes(t.lun), t.chap_type, t.nic_index,
            *(v for pair in strings for v in pair)))

    length = heap.start + len(heap.data)
    if length > 0xFFFF:  # offsets are u16
        raise ValueError(f"iBFT too large ({length} bytes)")
    buf = bytearray(length)
    _ACPI.pack_into(buf, 0, b"iBFT", length, 1, 0,
                    _fixed(table.oem_id, 6, "OEM id"),
                    _fixed(table.oem_table_id, 8, "OEM table id"), table.oem_revision,
                    int.from_bytes(_fixed(table.creator_id, 4, "creator id"), "little"),
                    table.creator_revision)
    _CONTROL.pack_into(buf, _CONTROL_OFFSET, ID_CONTROL, 1, _CONTROL.size, 0, 0,
                       0, init_off, nic_offs[0], tgt_offs[0], nic_offs[1], tgt_offs[1])
    _INITIATOR.pack_into(buf, init_off, ID_INITIATOR, 1, _INITIATOR.size, 0,
                         FLAG_VALID | FLAG_BOOT_SELECTED, _ZERO_IP, _ZERO_IP,
                         _ZERO_IP, _ZERO_IP, *init_name)
    for off, blob in [*zip(nic_offs, nic_blobs), *zip(tgt_offs, tgt_blobs)]:
        buf[off:off + len(blob)] = blob
    buf[heap.start:] = heap.data
    buf[9] = -sum(buf) & 0xFF  # all bytes must sum to 0 mod 256
    return bytes(buf)


# --- parser ----------------------------------------------------------------

def _structure(data: bytes, length: int, off: int, st: struct.Struct,
               kind: int, name: str) -> tuple:
    if not _CONTROL_OFFSET <= off <= length - st.size:
        raise IbftError(f"{name} offset 0x{off:x} outside table (length {length})")
    values = st.unpack_from(data, off)
    if values[0] != kind:
        raise IbftError(f"{name} at 0x{off:x}: structure id {values[0]}, expected {kind}")
    if values[2] != st.size:
        raise IbftError(f"{name} at 0x{off:x}: length {values[2]}, expected {st.size}")
    return values


def _string(data: bytes, length: int, size: int, off: int, name: str) -> str | None:
    if size == 0:
        return None
    if off == 0 or off + size > length:
        raise IbftError(f"{name} string (offset 0x{off:x}, length {size}) outside table")
    try:
        return data[off:off + size].decode("utf-8")
    except UnicodeDecodeError:
        raise IbftError(f"{name} string is not valid UTF-8") from None


def parse_ibft(data: bytes) -> Ibft:
    """Parse and validate an iBFT; raise IbftError where Linux would refuse it."""
    data = bytes(data)
    if len(data) < _ACPI.size:
        raise IbftError(f"truncated: {len(data)} bytes, ACPI header needs {_ACPI.size}")
    sig, length, rev, _, oem_id, oem_tid, oem_rev, creator, creator_rev = _ACPI.unpack_from(data)
    if sig not in SIGNATURES:
        raise IbftError(f"bad signature {sig!r}, expected one of iBFT/IBFT/BIFT")
    if length > len(data):
        raise IbftError(f"truncated: table length {length} exceeds buffer of {len(data)} bytes")
    if length < _CONTROL_OFFSET + _CONTROL.size:
        raise IbftError(f"table length {length} too small for the Control structure")
    if rev != 1:
        raise IbftError(f"unsupported revision {rev}, only revision 1")
    csum = sum(data[:length]) & 0xFF
    if csum:
        raise IbftError(f"bad checksum: bytes sum to 0x{csum:02x} mod 256, expected 0")

    ctrl = _structure(data, length, _CONTROL_OFFSET, _CONTROL, ID_CONTROL, "Control")
    if ctrl[3] != 0:
        raise IbftError(f"Control index is {ctrl[3]}, must be 0")
    _, init_off, nic0, tgt0, nic1, tgt1 = ctrl[5:]

    def text(size, off, name):
        return _string(data, length, size, off, name)

    table = Ibft(oem_id=oem_id.rstrip(b"\0 ").decode("ascii", "replace"),
                 oem_table_id=oem_tid.rstrip(b"\0 ").decode("ascii", "replace"),
                 oem_revision=oem_rev, creator_revision=creator_rev,
                 creator_id=creator.to_bytes(4, "little").rstrip(b"\0").decode("ascii", "replace"))
    if init_off:
        v = _structure(data, length, init_off, _INITIATOR, ID_INITIATOR, "Initiator")
        table.initiator = IbftInitiator(text(v[9], v[10], "initiator name"))
    for i, off in enumerate((nic0, nic1)):
        if not off:
            continue
        v = _structure(data, length, off, _NIC, ID_NIC, f"NIC{i}")
        mac = None if not any(v[13]) else ":".join(f"{b:02x}" for b in v[13])
        bdf = v[14]
        table.nics.append(IbftNic(
            ip=_ip_str(v[5]), prefix_length=v[6], origin=v[7], gateway=_ip_str(v[8]),
            primary_dns=_ip_str(v[9]), secondary_dns=_ip_str(v[10]),
            dhcp_server=_ip_str(v[11]), vlan=v[12], mac=mac,
            pci_bdf=(bdf >> 8, bdf >> 3 & 0x1F, bdf & 7),
            hostname=text(v[15], v[16], f"NIC{i} hostname")))
    for i, off in enumerate((tgt0, tgt1)):
        if not off:
            continue
        v = _structure(data, length, off, _TARGET, ID_TARGET, f"Target{i}")
        names = ("target name", "CHAP name", "CHAP secret",
                 "reverse CHAP name", "reverse CHAP secret")
        s = [text(v[10 + 2 * k], v[11 + 2 * k], f"Target{i} {n}") for k, n in enumerate(names)]
        table.targets.append(IbftTarget(
            ip=_ip_str(v[5]), port=v[6], lun=_lun_int(v[7]), chap_type=v[8],
            nic_index=v[9], target_name=s[0], chap_name=s[1], chap_secret=s[2],
            reverse_chap_name=s[3], reverse_chap_secret=s[4]))
    return table


# --- Redfish mapping and admin view ------------------------------------------

_AUTH = {None: CHAP_NONE, "None": CHAP_NONE, "CHAP": CHAP_ONE_WAY, "MutualCHAP": CHAP_MUTUAL}


def ibft_from_iscsi_boot(iscsi_boot: dict, mac: str, pci_bdf=(0x3B, 0, 0),
                         oem_id: str = "SANBT", oem_table_id: str = "MOCKUP") -> Ibft:
    """Map a Redfish NetworkDeviceFunction.iSCSIBoot object to an Ibft.

    Redfish has one initiator address, so the secondary path (present only when
    SecondaryTargetName is set) gets NIC1 = NIC0's settings with the Secondary
    VLAN, and Target1 bound to NIC1. Credentials not needed by the
    AuthenticationMethod are left out of the table.
    """
    b = iscsi_boot
    auth = b.get("AuthenticationMethod")
    if auth not in _AUTH:
        raise ValueError(f"unknown AuthenticationMethod {auth!r}")
    chap = _AUTH[auth]
    ip = b.get("InitiatorIPAddress")
    ipv6 = b.get("IPAddressType") == "IPv6" or (
        bool(ip) and ipaddress.ip_address(ip).version == 6)
    mask = b.get("InitiatorNetmask")
    nic0 = IbftNic(
        ip=ip, prefix_length=netmask_to_prefix(mask, ipv6) if mask not in (None, "") else 0,
        origin=ORIGIN_DHCP if b.get("IPMaskDNSViaDHCP") else ORIGIN_MANUAL,
        gateway=b.get("InitiatorDefaultGateway"), primary_dns=b.get("PrimaryDNS"),
        secondary_dns=b.get("SecondaryDNS"), mac=mac, pci_bdf=tuple(pci_bdf),
        vlan=(b.get("PrimaryVLANId") or 0) if b.get("PrimaryVLANEnable") else 0)

    def target(prefix: str, nic_index: int) -> IbftTarget:
        port, lun = b.get(f"{prefix}TargetTCPPort"), b.get(f"{prefix}LUN")
        return IbftTarget(
            ip=b.get(f"{prefix}TargetIPAddress"), port=3260 if port is None else port,
            lun=lun or 0, chap_type=chap, nic_index=nic_index,
            target_name=b.get(f"{prefix}TargetName"),
            chap_name=b.get("CHAPUsername") if chap else None,
            chap_secret=b.get("CHAPSecret") if chap else None,
            reverse_chap_name=b.get("MutualCHAPUsername") if chap == CHAP_MUTUAL else None,
            reverse_chap_secret=b.get("MutualCHAPSecret") if chap == CHAP_MUTUAL else None)

    table = Ibft(oem_id=oem_id, oem_table_id=oem_table_id,
                 initiator=IbftInitiator(b.get("InitiatorName")),
                 nics=[nic0], targets=[target("Primary", 0)])
    if b.get("SecondaryTargetName"):
        vlan1 = (b.get("SecondaryVLANId") or 0) if b.get("SecondaryVLANEnable") else 0
        table.nics.append(dataclasses.replace(nic0, vlan=vlan1))
        table.targets.append(target("Secondary", 1))
    return table


def describe(table: Ibft) -> dict:
    """JSON-able dict of every field, CHAP secrets masked (for logs and admin views)."""
    out = dataclasses.asdict(table)
    for nic in out["nics"]:
        nic["pci_bdf"] = list(nic["pci_bdf"])
    for tgt in out["targets"]:
        for key in ("chap_secret", "reverse_chap_secret"):
            if tgt[key]:
                tgt[key] = _MASK
    return out
