"""Oem.Lenovo.SystemStatus and NumberOfReboots through a reset (capture names; transitions
UNCONFIRMED), and XCC2's BootProgress {LastState, OemLastState} (UNCONFIRMED, a README example).
A running ESXi has no in-band agent, so it stays BootingOSOrInUndetectedOS: OSBooted never shows."""
from ..model import POST_STATES

OFF, STARTING, IN_UEFI, BOOTING_OS = ("SystemPowerOff_StateUnknown", "SystemOn_StartingUEFI", "SystemRunningInUEFI",
                                      "BootingOSOrInUndetectedOS")


def initial(state):
    """A new BMC's host is off, or on at the boot menu with nothing bootable (bmc.py)."""
    return {"status": IN_UEFI if state["power"] == "On" else OFF, "reboots": 0}


def _lenovo(bmc):
    return bmc.state["lenovo"]


def powered_on(bmc):
    """Every power-on by a reset: a new boot starts and the reset counter moves (the reset marker)."""
    _lenovo(bmc)["status"] = STARTING
    _lenovo(bmc)["reboots"] += 1


def set_status(bmc, status):
    _lenovo(bmc)["status"] = status


def system_status(bmc):
    status = _lenovo(bmc)["status"]
    # The shared firmware walks POST after power-on; once past its first state the UEFI is running.
    if status == STARTING and bmc.state["progress"]["LastState"] in POST_STATES[1:]:
        return IN_UEFI
    return status


def reboots(bmc):
    return _lenovo(bmc)["reboots"]


def boot_progress(bmc):
    """XCC2: the canonical state, with SystemStatus as OemLastState. Until this boot's POST has begun
    the previous boot's state is not shown as this one's."""
    status = system_status(bmc)
    state = bmc.state["progress"]["LastState"]
    if status == STARTING and state not in POST_STATES:
        state = "None"
    return {"LastState": state, "OemLastState": status}
