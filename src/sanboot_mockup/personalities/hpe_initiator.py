"""The software initiator's effect on the canonical state: at reset, each port named by an enabled
attempt boots iSCSI with that attempt's values in DMTF form; after POST's discovery, the attempts
that logged in get their StructuredBootString and UEFIDevicePath."""
from ..model import ISCSI_FIELDS
from .hpe_names import key_of_nic_boot, mac_hex, port_pci_path, slot_port

ENABLED = ("Enabled", "EnabledMpio")  # EnabledMpio is an enabled attempt too (mockup choice)
_UNSET_ADDRESSES = ("", "0.0.0.0", "::")


def lun(text):
    # The LUN in hex, its first field the LUN, as Dell's BIOS (docs/personalities.md, UNCONFIRMED).
    return int(str(text).split("-")[0] or "0", 16)


def _address(value):
    return None if value in _UNSET_ADDRESSES else value


def canonical(initiator_name, attempt):
    chap = attempt["iSCSIAuthenticationMethod"] == "CHAP"
    mutual = chap and attempt["iSCSIChapType"] == "Mutual"
    return {**ISCSI_FIELDS,
            "IPAddressType": "IPv6" if attempt["iSCSIIpAddressType"] == "IPv6" else "IPv4",
            "InitiatorName": initiator_name, "InitiatorIPAddress": _address(attempt["iSCSIInitiatorIpAddress"]),
            "InitiatorNetmask": _address(attempt["iSCSIInitiatorNetmask"]),
            "InitiatorDefaultGateway": _address(attempt["iSCSIInitiatorGateway"]),
            "IPMaskDNSViaDHCP": attempt["iSCSIInitiatorInfoViaDHCP"], "TargetInfoViaDHCP": attempt["iSCSITargetInfoViaDHCP"],
            "PrimaryTargetName": attempt["iSCSITargetName"] or None,
            "PrimaryTargetIPAddress": _address(attempt["iSCSITargetIpAddress"]),
            "PrimaryTargetTCPPort": attempt["iSCSITargetTcpPort"], "PrimaryLUN": lun(attempt["iSCSILUN"]),
            "AuthenticationMethod": "MutualCHAP" if mutual else "CHAP" if chap else "None",
            "CHAPUsername": (attempt["iSCSIChapUsername"] or None) if chap else None,
            "CHAPSecret": (attempt["iSCSIChapSecret"] or None) if chap else None,
            "MutualCHAPUsername": (attempt["iSCSIReverseChapUsername"] or None) if mutual else None,
            "MutualCHAPSecret": (attempt["iSCSIReverseChapSecret"] or None) if mutual else None}


def wanted_ports(bmc):
    """{function key: attempt slot} of the ports the initiator boots from after this reset."""
    hpe = bmc.state["hpe"]
    if hpe["bios"].get("iSCSISoftwareInitiator") != "Enabled":
        return {}
    found = {}
    for index, attempt in enumerate(hpe["iscsi"]["iSCSISources"]):
        source = attempt["iSCSINicSource"]
        if not attempt["iSCSIAttemptInstance"] or attempt["iSCSIConnection"] not in ENABLED or not source:
            continue
        key = key_of_nic_boot(bmc.cfg, source)
        if key and hpe["bios"].get(source) == "NetworkBoot":
            found.setdefault(key, index)  # the first attempt naming a port is the one it boots
    return found


def map_to_ports(bmc):
    hpe, functions = bmc.state["hpe"], bmc.state["functions"]
    wanted = wanted_ports(bmc)
    for key, function in functions.items():
        if key in wanted:
            attempt = hpe["iscsi"]["iSCSISources"][wanted[key]]
            function["iSCSIBoot"] = canonical(hpe["iscsi"]["iSCSIInitiatorName"], attempt)
            function["BootMode"] = "iSCSI"
            function["hpe_attempt"] = wanted[key]
        elif function.pop("hpe_attempt", None) is not None:
            function["BootMode"] = "Disabled"  # the initiator no longer drives this port


def device_path(bmc, key):
    """The iSCSI boot option's device path in HPE's (doc) form; the LUN in hex (UNCONFIRMED beyond 0)."""
    boot = bmc.state["functions"][key]["iSCSIBoot"]
    _k, _j, _nic, port = slot_port(bmc.cfg, key)
    return (f"{port_pci_path(bmc, key)}/MAC({mac_hex(port)},0x1)/IPv4({boot.get('PrimaryTargetIPAddress')})/"
            f"iSCSI({boot.get('PrimaryTargetName')},0x1,0x{boot.get('PrimaryLUN') or 0:X},None,None,None,TCP)")


def structured_name(cfg, key, kind="iSCSI"):
    k, j, _nic, _port = slot_port(cfg, key)
    return f"NIC.Slot.{k}.{j}.{kind}"


def record_logins(bmc, logins):
    """After discovery: the device path of each port that logged in, and its attempt's read-back."""
    hpe, functions = bmc.state["hpe"], bmc.state["functions"]
    hpe["iscsi_paths"] = {key: device_path(bmc, key) for key, (result, _sector) in logins.items() if result.ok}
    hpe["iscsi_logged"] = {
        str(functions[key]["hpe_attempt"]): {"StructuredBootString": structured_name(bmc.cfg, key),
                                             "UEFIDevicePath": path}
        for key, path in hpe["iscsi_paths"].items() if functions[key].get("hpe_attempt") is not None}
