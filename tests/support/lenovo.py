"""What the Lenovo mockup tests share: XCC's URIs, a Pending PATCH with the ETag just read, and
the NetworkBootOrder entries of the fast fleet's ports (docs/personalities.md, Lenovo)."""
from support.mockup import GOOD_ISCSI

SYSTEM = "/redfish/v1/Systems/1"
SYSTEM_PENDING = f"{SYSTEM}/Pending"
BOOT_SETTINGS = f"{SYSTEM}/Oem/Lenovo/BootSettings"
CLASS_ORDER = f"{BOOT_SETTINGS}/BootOrder.BootOrder"
NETWORK_ORDER = f"{BOOT_SETTINGS}/BootOrder.NetworkBootOrder"
PLATFORM_LOG = f"{SYSTEM}/LogServices/PlatformLog/Entries"
ADAPTER = "/redfish/v1/Chassis/1/NetworkAdapters/slot-1"
FUNCTION = f"{ADAPTER}/NetworkDeviceFunctions/1.1"        # port 1: iSCSI-capable
PENDING = f"{FUNCTION}/Pending"
PLAIN_FUNCTION = f"{ADAPTER}/NetworkDeviceFunctions/2.1"  # port 2: `iscsi: false`, as the capture's 5719
NIC_MODEL = "Contoso 25GbE 2P Converged Adapter"
NETWORK, HARD_DISK = "Boot0003", "Boot0002"


def entry(index, port, kind="pxe"):
    """The NetworkBootOrder entry of fast_fleet host `index`'s port (1 or 2) on bus 3B."""
    word = "iSCSI" if kind == "iscsi" else "PXE IPv4"
    return f"UEFI:   SLOT1 (3B/0/{port - 1}) {word}  {NIC_MODEL} - 02:00:00:00:{index:02X}:{port:02X}"


def patch_fresh(bmc, uri, body):
    """PATCH with the ETag just read from the same URI, as the collection does."""
    return bmc.patch(uri, body, headers={"If-Match": bmc.get(uri).headers["ETag"]})


def staged(response):
    """A Pending PATCH taken: 200, the RebootRequired message, the Pending resource."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in body["@Message.ExtendedInfo"]] == ["RebootRequired"]
    return body


def configure(bmc, name="esxi01", **changes):
    """Stage the host's good iSCSI values (with `changes`) on port 1, to apply at the next reset."""
    return staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {**GOOD_ISCSI[name], **changes}}))


def system_status(bmc):
    return bmc.json(SYSTEM)["Oem"]["Lenovo"]["SystemStatus"]


def reboots(bmc):
    return bmc.json(SYSTEM)["Oem"]["Lenovo"]["NumberOfReboots"]
