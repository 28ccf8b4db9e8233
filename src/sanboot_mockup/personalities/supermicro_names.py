"""Supermicro naming (X13 capture): the URIs of Systems/1, the FixedBootOrder classes, and the
DisplayNames the BIOS gives network boot options: `(B<bus>/D<dev>/F<fn>) UEFI PXE IPv4 <vendor> Network
Adapter - <MAC> - <MACHEX>`, decimal bus/dev/fn."""
from ..resources import Ids

SYSTEM_URI = "/redfish/v1/Systems/1"
BIOS = f"{SYSTEM_URI}/Bios"
BIOS_SD = f"{BIOS}/SD"
RESET_INFO = f"{SYSTEM_URI}/ResetActionInfo"
FIXED_ORDER = f"{SYSTEM_URI}/Oem/Supermicro/FixedBootOrder"
LOG1 = f"{SYSTEM_URI}/LogServices/Log1"
BIOS_VERSION = "1.4"  # capture
BOARD = "X13DEG-OAD"  # the capture's baseboard: Chassis/1 Model, what states the generation
SHELL = "UEFI: Built-in EFI Shell"
# Our names for devices the capture does not show (UNCONFIRMED, docs/personalities.md).
OTHER_NAMES = {"cd": "UEFI: ATEN Virtual CDROM YS0J", "hdd": "UEFI OS (Local Disk 0)"}
# FixedBootOrder's classes (capture), and the class each kind of boot option belongs to.
CLASSES = ("UEFI Hard Disk", "UEFI CD/DVD", "UEFI USB Hard Disk", "UEFI USB CD/DVD", "UEFI USB Key", "UEFI USB Floppy",
           "UEFI USB Lan", "UEFI Network", "UEFI AP")
CLASS_OF_KIND = {"hdd": "UEFI Hard Disk", "cd": "UEFI USB CD/DVD", "pxe": "UEFI Network", "iscsi": "UEFI Network"}


class SmcIds(Ids):
    """Systems/1, Chassis/1, Managers/1 (capture); virtual media under the Manager (capture)."""

    @property
    def media_uri(self):
        return f"{self.manager_uri}/VirtualMedia"


def port_of(bmc, key):
    """(nic, port) of a canonical function key `<nic id>/<port id>`."""
    nic_id, port_id = key.split("/", 1)
    return bmc.nic(nic_id), bmc.port(nic_id, port_id)


def network_name(bmc, key, protocol):
    nic, port = port_of(bmc, key)
    bus, dev, fn = port.pci
    return (f"(B{bus}/D{dev}/F{fn}) UEFI {protocol} IPv4 {nic.manufacturer} Network Adapter - {port.mac.upper()} - "
            f"{port.mac.replace(':', '').upper()}")


def display_name(bmc, option):
    if option["kind"] == "pxe":
        return network_name(bmc, option["port"], "PXE")
    if option["kind"] == "iscsi":
        return network_name(bmc, option["port"], "iSCSI")  # UNCONFIRMED wording: the PXE sibling's pattern
    return OTHER_NAMES.get(option["kind"], option["DisplayName"])
