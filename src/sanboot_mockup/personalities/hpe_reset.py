"""What a reset does to the HPE settings, before POST's discovery and in this order: the DCi
functions' settings, the BIOS, the iSCSI attempts (refused wholesale under the task_fail fault),
the ports the initiator now boots from, the boot order."""
from . import hpe_bios, hpe_boot, hpe_initiator, hpe_iscsi, hpe_network


def apply_pending(bmc):
    hpe_network.apply(bmc)
    hpe_bios.apply(bmc)
    failed = bool(bmc.state["hpe"]["iscsi_pending"]) and bool(bmc.faults.take("task_fail"))
    hpe_iscsi.apply(bmc, failed=failed)
    hpe_initiator.map_to_ports(bmc)
    hpe_boot.apply(bmc)
