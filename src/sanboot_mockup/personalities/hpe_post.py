"""Oem.Hpe.PostState: PowerOff, InPost (from power-on through POST), InPostDiscoveryComplete (the
configuration applied and the iSCSI logins done), FinishedPost (an OS loader started). A host at the
boot menu stays InPostDiscoveryComplete (vendors.md 2.4: UEFI applications keep it there)."""
from ..clock import now_iso
from .hpe_names import IloError

IN_POST = ("InPost", "InPostDiscoveryComplete")


def initial(state):
    """A new BMC's host is off, or on at the boot menu with nothing bootable (bmc.py)."""
    return "PowerOff" if state["power"] != "On" else "InPostDiscoveryComplete"


def set_state(bmc, post_state):
    bmc.state["hpe"]["post_state"] = post_state


def discovery_complete(bmc):
    bmc.state["hpe"]["post_state"] = "InPostDiscoveryComplete"
    bmc.state["hpe"]["post_discovery_time"] = now_iso()


def refuse_in_post(bmc, prop):
    """The boot order can only be changed Off or in FinishedPost (doc); iLO answers 400."""
    if bmc.state["hpe"]["post_state"] in IN_POST:
        raise IloError(400, "UnableToModifyDuringSystemPOST", prop)
