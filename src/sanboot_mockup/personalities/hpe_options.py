"""UEFI boot options as iLO names them: `BootOptions/<n>` numbered in boot-order order (Id is not the
reference), `Slot <k> Port <j> : <model> - <MAC> (PXE IPv4)` names and short device paths (capture),
and the StructuredBootString each option has in HpeServerBootSettings."""
import re

from ..errors import not_found
from ..http import collection, reply
from ..resources import systems
from . import hpe_initiator
from .hpe_names import SYSTEM_URI, mac_hex, port_pci_path, slot_port

OPTIONS = f"{SYSTEM_URI}/BootOptions"
# Our names for the devices no capture shows (UNCONFIRMED, docs/personalities.md).
_OTHERS = {"cd": ("iLO Virtual USB 2 : iLO Virtual CD-ROM", "CD.Virtual.2.1"),
           "hdd": ("Embedded SATA Port 1 HDD : Local Disk 0", "HD.Emb.1.1")}


def describe(bmc, option):
    """{DisplayName, UefiDevicePath, StructuredBootString, CorrelatableID} of a canonical option."""
    kind = option["kind"]
    if kind in ("pxe", "iscsi"):
        k, j, nic, port = slot_port(bmc.cfg, option["port"])
        pci = port_pci_path(bmc, option["port"])
        if kind == "pxe":
            return {"DisplayName": f"Slot {k} Port {j} : {nic.model} - {port.mac.upper()} (PXE IPv4)",
                    "UefiDevicePath": f"{pci}/MAC({mac_hex(port)},0x1)/IPv4(0.0.0.0)",
                    "StructuredBootString": f"NIC.Slot.{k}.{j}.IPv4", "CorrelatableID": pci}
        path = bmc.state["hpe"]["iscsi_paths"].get(option["port"]) or hpe_initiator.device_path(bmc, option["port"])
        return {"DisplayName": f"Slot {k} Port {j} : {nic.model} - NIC (iSCSI IPv4)", "UefiDevicePath": path,
                "StructuredBootString": f"NIC.Slot.{k}.{j}.iSCSI", "CorrelatableID": pci}
    name, structured = _OTHERS.get(kind, (option["DisplayName"], f"Unknown.{kind}.1.1"))
    pci = re.match(r"^(PciRoot\([^)]*\)(?:/Pci\([^)]*\))*)", option["UefiDevicePath"])
    return {"DisplayName": name, "UefiDevicePath": option["UefiDevicePath"], "StructuredBootString": structured,
            "CorrelatableID": pci.group(1) if pci else option["UefiDevicePath"]}


def structured_names(bmc):
    """{StructuredBootString: canonical ref}."""
    return {describe(bmc, o)["StructuredBootString"]: r for r, o in bmc.state["boot_options"].items()}


def render_option(bmc, number, ref):
    described = describe(bmc, bmc.state["boot_options"][ref])
    return {"@odata.id": f"{OPTIONS}/{number}", "@odata.type": "#BootOption.v1_0_6.BootOption", "Id": str(number),
            "Name": "Boot Option", "Alias": "None", "BootOptionReference": ref,
            "DisplayName": described["DisplayName"], "UefiDevicePath": described["UefiDevicePath"]}


async def list_options(request, bmc):
    count = len(bmc.state["boot_options"])
    return reply(collection(OPTIONS, "#BootOptionCollection.BootOptionCollection", "Boot Options",
                            [f"{OPTIONS}/{n}" for n in range(1, count + 1)]), request=request)


async def get_option(request, bmc, number):
    refs = systems.ordered_refs(bmc)
    if not number.isdigit() or not 1 <= int(number) <= len(refs):
        raise not_found("BootOption", number)
    return reply(render_option(bmc, int(number), refs[int(number) - 1]), request=request)


def routes():
    return [(OPTIONS, {"GET": list_options}), (OPTIONS + "/{number}", {"GET": get_option})]


