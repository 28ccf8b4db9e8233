"""Lenovo naming: XCC's URIs (Systems/1, Managers/1, `Pending` settings objects, the OEM BootSettings),
the boot classes its BootOptions stand for, and the strings the UEFI shows for each NIC's boot entry."""
from ..resources import Ids
from .versions import firmware_version

SYSTEM_URI = "/redfish/v1/Systems/1"
SYSTEM_PENDING = f"{SYSTEM_URI}/Pending"
BOOT_SETTINGS = f"{SYSTEM_URI}/Oem/Lenovo/BootSettings"
CLASS_ORDER_URI = f"{BOOT_SETTINGS}/BootOrder.BootOrder"
NETWORK_ORDER_URI = f"{BOOT_SETTINGS}/BootOrder.NetworkBootOrder"
RESET_INFO = f"{SYSTEM_URI}/ResetActionInfo"
# XCC 2.83 (capture); the fleet's `firmware` gives the number, the build id and date stay.
BUILD, BUILD_DATE = "TGBT42S", "2023-07-05"
# The boot classes: BootOption reference -> (DisplayName, OEM class name, UefiDevicePath suffix,
# canonical option kinds it boots), in the capture's BootOrderSupported order. HardDisk and Network are
# the capture's; the CD and USB classes' references and paths are UNCONFIRMED.
_VENHW = "VenHw_B2AD3248_4F72_4950_A966_CFE5062DB83A_"
CLASSES = {
    "Boot0003": ("Network", "Network", "05000000", ("iscsi", "pxe")),
    "Boot0002": ("HardDisk", "Hard Disk", "01000000", ("hdd",)),
    "Boot0004": ("CD/DVD Rom", "CD/DVD Rom", "02000000", ("cd",)),
    "Boot0005": ("USB Storage", "USB Storage", "03000000", ()),
}
DEFAULT_CLASS_ORDER = ("Boot0003", "Boot0002")  # the capture's Boot.BootOrder


# XCC's virtual drives are under the system, named EXT1.. (capture); the CD is EXT1 (UNCONFIRMED).
IDS = Ids(system="1", chassis="1", manager="1", media={"EXT1": "CD"})


def device_path(ref):
    return _VENHW + CLASSES[ref][2]


def class_ref(oem_name):
    return next((ref for ref, spec in CLASSES.items() if spec[1] == oem_name), None)


def is_xcc2(cfg):
    return cfg.personality == "xcc2"


def has_system_pending(cfg):
    """Firmware 1.x predates `/Systems/1/Pending`: the boot order goes through the OEM BootSettings
    (the cut-off is UNCONFIRMED, docs/personalities.md)."""
    return firmware_version(cfg) >= (2, 0)


def slot_number(nic_id):
    digits = "".join(ch for ch in nic_id if ch.isdigit())
    return int(digits) if digits else 0


def function_id(port_id):
    """A port's NetworkDeviceFunction id, `<port>.<logical>` (capture): the fleet's port id when it has
    that form (`1.1`), else its first logical port (`1` -> `1.1`)."""
    return port_id if "." in port_id else f"{port_id}.1"


def physical_port(port_id):
    """The physical port number of a fleet port (`1.1` -> `1`): its NetworkPorts/Ports id."""
    return port_id.split(".", 1)[0]


def port_of(nic, function):
    """The fleet port a function id (`1.1`) names, or None."""
    return next((p for p in nic.ports if function_id(p.id) == function), None)


def boot_entry(nic, port, kind):
    """What the UEFI lists in NetworkBootOrder for a port (capture format: three spaces after `UEFI:`,
    two before the adapter name). `pxe` is the option ROM's PXE entry (the capture shows HTTP IPv4
    ones; PXE is UNCONFIRMED), `iscsi` the entry a logged-in iSCSI attempt adds (UNCONFIRMED)."""
    bus, _dev, fn = port.pci
    word = "iSCSI" if kind == "iscsi" else "PXE IPv4"
    return f"UEFI:   SLOT{slot_number(nic.id)} ({bus:X}/0/{fn}) {word}  {nic.model} - {port.mac.upper()}"
