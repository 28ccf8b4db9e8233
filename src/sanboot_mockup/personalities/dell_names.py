"""Dell naming: FQDDs, the descriptions iDRAC gives them, message ids, device-path GUIDs."""
import re

SYSTEM = "System.Embedded.1"
MANAGER = "iDRAC.Embedded.1"
# The GUID iDRAC gives PXE devices (capture CAP-D510); no capture shows an iSCSI device, so this
# one is ours (UNCONFIRMED, docs/personalities.md).
PXE_GUID = "3A191845-5F86-4E78-8FCE-C4CFF59F9DAA"
ISCSI_GUID = "5F6E3C2A-1B8D-4E7F-9A0C-D1E2F3A4B5C6"
_KINDS = {"Slot": "NIC in Slot {n}", "Integrated": "Integrated NIC {n}", "Embedded": "Embedded NIC {n}"}


def description(fqdd):
    """`NIC.Slot.1-1-1` -> `NIC in Slot 1 Port 1 Partition 1`, as DellNIC.DeviceDescription reads."""
    found = re.fullmatch(r"NIC\.(\w+)\.(\d+)-(\d+)(?:-(\d+))?", fqdd)
    if not found or found.group(1) not in _KINDS:
        return fqdd
    kind, number, port, partition = found.groups()
    text = f"{_KINDS[kind].format(n=number)} Port {port}"
    return f"{text} Partition {partition}" if partition else text


def registry_prefix(cfg):
    """EEMI MessageIds carry the registry version: IDRAC.2.7 on iDRAC9 6.x, IDRAC.2.9 on 7.x and 10."""
    return "IDRAC.2.7" if cfg.personality == "idrac9" and firmware_major(cfg) < 7 else "IDRAC.2.9"


def firmware_major(cfg):
    try:
        return int(str(cfg.firmware).split(".")[0])
    except ValueError:
        return 0


def dell_message(cfg, message_id, text, args=(), severity="Warning", resolution="", related=None):
    """An @Message.ExtendedInfo entry the way iDRAC writes its own (EEMI) messages."""
    return {"MessageId": f"{registry_prefix(cfg)}.{message_id}", "Message": text,
            "MessageArgs": [str(a) for a in args], "Severity": severity, "MessageSeverity": severity,
            "Resolution": resolution or "No response action is required.", "RelatedProperties": related or []}
