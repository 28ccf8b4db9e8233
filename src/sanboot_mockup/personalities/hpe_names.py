"""HPE naming: iLO's URIs (the BIOS family in lower case, linked with a trailing slash), the
slot/port numbers the BIOS names NICs by, the iLO message registry and its error envelope."""
from ..errors import RedfishError
from ..resources import Ids

SYSTEM_URI = "/redfish/v1/Systems/1"
MANAGER_URI = "/redfish/v1/Managers/1"
BASE_ADAPTERS = f"{SYSTEM_URI}/BaseNetworkAdapters"
# The real iLO serves these lower case with a trailing slash (capture); the router strips the slash.
BIOS = "/redfish/v1/systems/1/bios"
# The BIOS resource's own @odata.id, also served: the DMTF Service Validator checks a linked resource's
# @odata.id against Bios' URI pattern, case-sensitively (the real iLO writes the lower-case link).
BIOS_DMTF = f"{SYSTEM_URI}/Bios"
BIOS_SETTINGS = f"{BIOS}/settings"
BASECONFIGS = f"{BIOS}/oem/hpe/baseconfigs"
ISCSI = f"{BIOS}/oem/hpe/iscsi"
ISCSI_SETTINGS = f"{ISCSI}/settings"
BOOT = f"{BIOS}/oem/hpe/boot"
BOOT_SETTINGS = f"{BOOT}/settings"
MAPPINGS = f"{BIOS}/oem/hpe/mappings"
ILO_REGISTRY = "iLO.2.15"  # the iLO registry of the 2.72 capture
ROM_FAMILY = "U30"


class HpeIds(Ids):
    """iLO keeps virtual media under the Manager (capture: /Managers/1/VirtualMedia/2 is the CD)."""

    @property
    def media_uri(self):
        return f"{self.manager_uri}/VirtualMedia"


def link(uri):
    """An iLO OEM link: lower case with the trailing slash, as iLO writes them (capture)."""
    return {"@odata.id": f"{uri}/"}


def is_ilo6(cfg):
    return cfg.personality == "ilo6"


def ports(cfg):
    """(k, j, nic, port) for every port: k the NIC's slot (1-based, fleet order), j the port number."""
    for k, nic in enumerate(cfg.nics, start=1):
        for j, port in enumerate(nic.ports, start=1):
            yield k, j, nic, port


def nic_boot(k, j):
    return f"Slot{k}NicBoot{j}"


def slot_port(cfg, key):
    """(k, j, nic, port) of a canonical function key "nic/port", or None."""
    return next(((k, j, n, p) for k, j, n, p in ports(cfg) if f"{n.id}/{p.id}" == key), None)


def key_of_nic_boot(cfg, name):
    return next((f"{n.id}/{p.id}" for k, j, n, p in ports(cfg) if nic_boot(k, j) == name), None)


def port_pci_path(bmc, key):
    """The port's PCI device path: its PXE option's path up to the MAC node."""
    option = next(o for o in bmc.state["boot_options"].values() if o["kind"] == "pxe" and o["port"] == key)
    return option["UefiDevicePath"].split("/MAC(")[0]


def mac_hex(port):
    return port.mac.replace(":", "").upper()


def ilo_message(name, *args):
    entry = {"MessageId": f"{ILO_REGISTRY}.{name}"}
    if args:
        entry["MessageArgs"] = [str(a) for a in args]
    return entry


def envelope(messages):
    """iLO's error envelope; iLO also answers a successful settings PATCH with it (doc)."""
    return {"error": {"code": "iLO.0.10.ExtendedInfo", "message": "See @Message.ExtendedInfo for more information.",
                      "@Message.ExtendedInfo": messages}}


class IloError(RedfishError):
    """A refusal in iLO's own registry and envelope."""

    def __init__(self, status, name, *args):
        entry = ilo_message(name, *args)
        super().__init__(status, [{**entry, "Message": name}])
        self.entry = entry

    def body(self):
        return envelope([self.entry])
