"""The NIC option ROM's iSCSI settings of a Supermicro host, standing in for what an operator sets in
BIOS setup: the fleet's `option_rom_iscsi` entries, copied into the canonical ports at every power-on so
the shared boot firmware logs in with them exactly as for a port configured over Redfish. Redfish on
this BMC neither shows nor changes them."""
from ..model import ISCSI_FIELDS


def apply(state, cfg):
    """Make the canonical functions match the fleet file (which may have changed since the last run)."""
    configured = {f"{e.nic}/{e.port}": dict(e.boot) for e in cfg.option_rom_iscsi}
    for key, function in state["functions"].items():
        if key in configured:
            function["BootMode"] = "iSCSI"
            function["iSCSIBoot"] = configured[key]
        elif function["BootMode"] == "iSCSI":
            # No longer in the option ROM: the port goes back to PXE, its iSCSI values cleared.
            function["BootMode"] = "PXE"
            function["iSCSIBoot"] = dict(ISCSI_FIELDS)
    return state
