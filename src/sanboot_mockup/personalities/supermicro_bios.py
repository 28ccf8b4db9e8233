"""Supermicro BIOS (X13 capture): `/Systems/1/Bios` with `_XXXX`-suffixed attribute names and a
SettingsObject `/Bios/SD` without SupportedApplyTimes. SD has no `Attributes` at all while nothing is
pending. A PATCH of either stages attributes (checked at once) that apply at the next power-on."""
from ..errors import RedfishError, message
from ..http import check_if_match, read_object, reply, require
from .supermicro_names import BIOS, BIOS_SD

REGISTRY = "BiosAttributeRegistry.v1_0_0"
EN_DIS = ("Enabled", "Disabled")
# A subset of the capture's 379 attributes: the network-boot ones and a few neighbours, with the
# capture's values; enumerations by display name as the Bios resource shows them (registry).
DEFAULTS = {"BootupNumLockState_002F": "On", "CSMSupport_0121": "Enabled", "IPv4HTTPSupport_00F5": "Disabled",
            "IPv4PXESupport_00F4": "Enabled", "IPv6HTTPSupport_00F7": "Disabled", "IPv6PXESupport_00F6": "Disabled",
            "NetworkStack_00F3": "Enabled", "PXEBootWaitTime_00F8": 0, "QuietBoot_002D": True,
            "Re_tryBoot_0032": "Disabled", "SecureBootEnable_0122": False}
ALLOWED = {"BootupNumLockState_002F": ("On", "Off"), "CSMSupport_0121": EN_DIS, "IPv4HTTPSupport_00F5": EN_DIS,
           "IPv4PXESupport_00F4": EN_DIS, "IPv6HTTPSupport_00F7": EN_DIS, "IPv6PXESupport_00F6": EN_DIS,
           "NetworkStack_00F3": EN_DIS, "PXEBootWaitTime_00F8": range(0, 6), "QuietBoot_002D": (True, False),
           "Re_tryBoot_0032": ("Disabled", "Legacy Boot", "EFI Boot"), "SecureBootEnable_0122": (True, False)}


def initial():
    return {"bios": dict(DEFAULTS), "bios_pending": {}}


def render_bios(bmc):
    return {"@odata.id": BIOS, "@odata.type": "#Bios.v1_1_1.Bios", "Id": "Bios",
            "Name": "BIOS Configuration Current Settings", "Description": "BIOS Configuration Current Settings",
            "AttributeRegistry": REGISTRY, "Attributes": dict(bmc.state["smc"]["bios"]),
            "@Redfish.Settings": {"@odata.type": "#Settings.v1_0_4.Settings", "SettingsObject": {"@odata.id": BIOS_SD}}}


def render_sd(bmc):
    body = {"@odata.id": BIOS_SD, "@odata.type": "#Bios.v1_1_1.Bios", "Id": "SD",
            "Name": "BIOS Configuration Pending Settings", "AttributeRegistry": REGISTRY,
            "Description": "BIOS Configuration Pending Settings. These settings will be applied on next system reboot."}
    if bmc.state["smc"]["bios_pending"]:
        body["Attributes"] = dict(bmc.state["smc"]["bios_pending"])
    return body


def _problems(attributes):
    problems = []
    for name, value in attributes.items():
        where = [f"#/Attributes/{name}"]
        if name not in ALLOWED:
            problems.append(message("PropertyUnknown", name, related=where))
        elif type(value) is not type(DEFAULTS[name]):
            problems.append(message("PropertyValueTypeError", value, name, related=where))
        elif value not in ALLOWED[name]:
            problems.append(message("PropertyValueNotInList", value, name, related=where))
    return problems


def _patch(render):
    async def patch(request, bmc):
        require(request, "ConfigureComponents")
        body = await read_object(request)
        check_if_match(request, render(bmc))  # accepted, not required (addendum 5a)
        attributes = body.get("Attributes")
        if not isinstance(attributes, dict) or not attributes:
            raise RedfishError.of(400, "PropertyValueTypeError", attributes, "Attributes")
        problems = _problems(attributes)
        if problems:
            raise RedfishError(400, problems)
        bmc.state["smc"]["bios_pending"].update(attributes)
        bmc.save()
        return reply({"@Message.ExtendedInfo": [message("Success")]}, etag=False)
    return patch


def apply(bmc):
    """At power-on: the pending attributes become current and SD is empty again."""
    smc = bmc.state["smc"]
    smc["bios"].update(smc["bios_pending"])
    smc["bios_pending"] = {}


async def get_bios(request, bmc):
    return reply(render_bios(bmc), request=request)


async def get_sd(request, bmc):
    return reply(render_sd(bmc), request=request)


def routes():
    return [(BIOS, {"GET": get_bios, "PATCH": _patch(render_bios)}), (BIOS_SD, {"GET": get_sd, "PATCH": _patch(render_sd)})]
