"""What the System ROM checks of an iSCSI attempt at reset (the iLO 5 2.72 schema, vendors.md 8.3a).
Each rule gives the Base 1.0 message id of a refusal; which id for which rule is the mockup's choice."""
import ipaddress
import re

from . import hpe_settings

TARGET_NAME = re.compile(r"^iqn\.[0-9]{4}-[0-9]{2}\.[^:]+(:.*)?$")
LUN = re.compile(r"^$|^([0-9A-Fa-f]{4}-){0,3}[0-9A-Fa-f]{1,4}$")
SECRETS = ("iSCSIChapSecret", "iSCSIReverseChapSecret")
ADDRESSES = ("iSCSIInitiatorIpAddress", "iSCSIInitiatorNetmask", "iSCSIInitiatorGateway", "iSCSITargetIpAddress")
ENUMS = {"iSCSIAuthenticationMethod": ("None", "CHAP"), "iSCSIChapType": ("OneWay", "Mutual"),
         "iSCSIConnection": ("Disabled", "Enabled", "EnabledMpio"), "iSCSIIpAddressType": ("IPv4", "IPv6", "Auto")}
RANGES = {"iSCSIAttemptInstance": (0, 4), "iSCSITargetTcpPort": (1, 65535), "iSCSIConnectRetry": (0, 16),
          "iSCSIConnectTimeoutMS": (100, 20000)}
BOOLEANS = ("iSCSIInitiatorInfoViaDHCP", "iSCSITargetInfoViaDHCP")
STRINGS = {"iSCSIAttemptName": 255, "iSCSIChapUsername": 126, "iSCSIReverseChapUsername": 126}
DEFAULT_ATTEMPT = {
    "iSCSIAttemptInstance": 0, "iSCSIAttemptName": "", "iSCSIAuthenticationMethod": "None", "iSCSIChapSecret": "",
    "iSCSIChapType": "OneWay", "iSCSIChapUsername": "", "iSCSIConnectRetry": 3, "iSCSIConnectTimeoutMS": 20000,
    "iSCSIConnection": "Disabled", "iSCSIInitiatorGateway": "0.0.0.0", "iSCSIInitiatorInfoViaDHCP": True,
    "iSCSIInitiatorIpAddress": "0.0.0.0", "iSCSIInitiatorNetmask": "0.0.0.0", "iSCSIIpAddressType": "IPv4",
    "iSCSILUN": "0", "iSCSINicSource": None, "iSCSIReverseChapSecret": "", "iSCSIReverseChapUsername": "",
    "iSCSITargetInfoViaDHCP": True, "iSCSITargetIpAddress": "0.0.0.0", "iSCSITargetName": "", "iSCSITargetTcpPort": 3260,
}


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _address_ok(value, kind):
    try:
        address = ipaddress.ip_address(value)
    except (TypeError, ValueError):
        return False
    return kind == "Auto" or address.version == (6 if kind == "IPv6" else 4)


def _problem(name, value, kind):
    """The Base message id refusing one property of an attempt, or None."""
    if name not in DEFAULT_ATTEMPT:
        return "PropertyUnknown"
    if name in ENUMS:
        return None if value in ENUMS[name] else "PropertyValueNotInList"
    if name in RANGES:
        if not _integer(value):
            return "PropertyValueFormatError"
        low, high = RANGES[name]
        return None if low <= value <= high else "PropertyValueOutOfRange"
    if name in BOOLEANS:
        return None if isinstance(value, bool) else "PropertyValueFormatError"
    if name == "iSCSINicSource":
        return None  # checked against iSCSINicSources by check_attempt
    if not isinstance(value, str):
        return "PropertyValueFormatError"
    if name in SECRETS:
        return None if value == "" or 12 <= len(value) <= 16 else "PropertyValueFormatError"
    if name == "iSCSITargetName":
        # An unused attempt's name is "" (capture); any other must be an IQN.
        return None if value == "" or (len(value) <= 223 and TARGET_NAME.match(value)) else "PropertyValueFormatError"
    if name == "iSCSILUN":
        return None if LUN.match(value) else "PropertyValueFormatError"
    if name in ADDRESSES:
        # The netmask is a dotted IPv4 mask whatever the address type.
        return None if _address_ok(value, "IPv4" if name == "iSCSIInitiatorNetmask" else kind) \
            else "PropertyValueFormatError"
    if name in STRINGS:
        return None if len(value) <= STRINGS[name] else "PropertyValueFormatError"
    return None


def check_attempt(index, attempt, nic_sources):
    """Refusal messages for one attempt as it would be after the reset; empty when it may apply."""
    kind = attempt.get("iSCSIIpAddressType") if attempt.get("iSCSIIpAddressType") in ENUMS["iSCSIIpAddressType"] \
        else "IPv4"
    refusals = []
    for name, value in attempt.items():
        message_id = _problem(name, value, kind)
        if message_id is None and name == "iSCSINicSource" and value is not None and value not in nic_sources:
            message_id = "PropertyValueNotInList"
        if message_id:
            refusals.append(hpe_settings.refusal(message_id, name, f"#/iSCSISources/{index}/{name}", value,
                                                 secret=name in SECRETS))
    return refusals


def check_initiator_name(name):
    if isinstance(name, str) and len(name) <= 223 and TARGET_NAME.match(name):
        return []
    return [hpe_settings.refusal("PropertyValueFormatError", "iSCSIInitiatorName", "#/iSCSIInitiatorName", name)]
