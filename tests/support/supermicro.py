"""What the supermicro-x13 tests share: the URIs of the X13 tree and a module-scoped fleet whose hosts'
iSCSI values sit in their NICs' option ROM (fast_fleet does that for this personality)."""
import time

from support.mockup import MockupProcess, fast_fleet

SYSTEM = "/redfish/v1/Systems/1"
OPTIONS = f"{SYSTEM}/BootOptions"
BIOS, BIOS_SD = f"{SYSTEM}/Bios", f"{SYSTEM}/Bios/SD"
FIXED = f"{SYSTEM}/Oem/Supermicro/FixedBootOrder"
RESET_INFO = f"{SYSTEM}/ResetActionInfo"
SEL = f"{SYSTEM}/LogServices/Log1/Entries"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions/1"
MEDIA = "/redfish/v1/Managers/1/VirtualMedia/VirtualMedia1"
# The SEL entries the mockup writes at a power-on from off and at a restart (UNCONFIRMED wording; not `[PWR-...]`,
# which the capture uses for power-supply events)
AC_ON = "[PWR-0020] First AC Power on"
HOST_POWER_ON = "[HOST-0000] System ACPI Power State, S0/G0: working"
HOST_RESET = "[HOST-0007] System Boot/Restart Initiated, System Restart"


def fleet(count=1, address_base="127.0.91.", **extra):
    return fast_fleet(count=count, address_base=address_base, personality="supermicro-x13", **extra)


def start(folder, count=3, address_base="127.0.91.", **extra):
    return MockupProcess(fleet(count, address_base, **extra), folder).start()


def names(bmc):
    """{DisplayName: BootOptionReference} of every boot option."""
    found = {}
    for member in bmc.json(OPTIONS)["Members"]:
        option = bmc.json(member["@odata.id"])
        found[option["DisplayName"]] = option["BootOptionReference"]
    return found


def iscsi_option(bmc, mac="02:00:00:00:01:01"):
    """The reference of the iSCSI option of the port with this MAC, or None."""
    return next((ref for name, ref in names(bmc).items() if "iSCSI" in name and mac.upper() in name), None)


def sel_messages(bmc):
    return [e["Message"] for e in bmc.json(SEL)["Members"]]


def watch_progress(bmc, until_boots, timeout=20):
    """BootProgress.LastState values seen (deduplicated in order) until the boot count passes `until_boots`
    and that boot is over."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = bmc.json(SYSTEM)["BootProgress"]["LastState"]
        if not seen or seen[-1] != state:
            seen.append(state)
        boots = bmc.admin("boot-history")["boots"]
        if boots and boots[-1]["id"] > until_boots and boots[-1]["outcome"] != "in_progress":
            return seen
    raise AssertionError(f"boot did not end; seen {seen}")
