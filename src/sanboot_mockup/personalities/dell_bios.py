"""Dell BIOS: `/Bios` (current attributes), `/Bios/Settings` (pending ones, PATCHed with a
BIOSConfiguration job) and `/Bios/BiosRegistry`. Secrets always read back as ""."""
from ..errors import RedfishError, message
from ..http import reply, require
from . import dell_bios_registry as registry
from . import dell_jobs
from .dell_apply_time import read_settings_patch
from .dell_names import SYSTEM

BIOS = f"/redfish/v1/Systems/{SYSTEM}/Bios"
SETTINGS = f"{BIOS}/Settings"
REGISTRY = f"{BIOS}/BiosRegistry"
TARGET = "bios"
REGISTRY_ID = "BiosAttributeRegistry.v1_0_3"


def _shown(values):
    return {k: ("" if registry.is_secret(k) else v) for k, v in values.items()}


def apply_times(cfg):
    # iDRAC10 advertises OnReset only for the BIOS (vendors.md, UNCONFIRMED).
    return ["OnReset"] if cfg.personality == "idrac10" else list(cfg.supported_apply_times)


def render_bios(bmc):
    return {"@odata.id": BIOS, "@odata.type": "#Bios.v1_2_0.Bios", "Id": "Bios",
            "Name": "BIOS Configuration Current Settings", "Description": "BIOS Configuration Current Settings",
            "AttributeRegistry": REGISTRY_ID, "Attributes": _shown(bmc.state["dell"]["bios"]),
            "@Redfish.Settings": {"@odata.type": "#Settings.v1_3_3.Settings",
                                  "SettingsObject": {"@odata.id": SETTINGS},
                                  "SupportedApplyTimes": apply_times(bmc.cfg)}}


def render_settings(bmc):
    return {"@odata.id": SETTINGS, "@odata.type": "#Bios.v1_2_0.Bios", "Id": "Settings",
            "Name": "BIOS Configuration Pending Settings",
            "Description": "BIOS Configuration Pending Settings. These settings will be applied on next system reboot.",
            "AttributeRegistry": REGISTRY_ID, "Attributes": _shown(bmc.state["dell"]["bios_pending"])}


async def get_bios(request, bmc):
    return reply(render_bios(bmc), request=request)


async def get_settings(request, bmc):
    return reply(render_settings(bmc), request=request)


async def get_registry(request, bmc):
    body = {"@odata.id": REGISTRY, "@odata.type": "#AttributeRegistry.v1_3_6.AttributeRegistry",
            "Id": REGISTRY_ID, "Name": "BIOS Attribute Registry", "Language": "en", "OwningEntity": "Dell",
            "RegistryVersion": "1.0.0", "Description": "This registry defines a representation of BIOS Attribute instances",
            "SupportedSystems": [{"ProductName": bmc.cfg.model, "SystemId": bmc.cfg.model,
                                  "FirmwareVersion": registry.bios_version(bmc.cfg)}],
            "RegistryEntries": {"Attributes": registry.render_entries(bmc.cfg), "Dependencies": [], "Menus": []}}
    return reply(body, request=request)


async def patch_settings(request, bmc):
    require(request, "ConfigureComponents")
    props, when = await read_settings_patch(request, apply_times(bmc.cfg))
    unknown = [k for k in props if k != "Attributes"]
    if unknown:
        raise RedfishError(400, [message("PropertyUnknown", k, related=[f"#/{k}"]) for k in unknown])
    values = props.get("Attributes", {})
    if not isinstance(values, dict):
        raise RedfishError.of(400, "PropertyValueTypeError", str(values), "Attributes")
    dell_jobs.refuse_if_pending(bmc, TARGET)
    problems = registry.check(bmc.cfg, values)
    if problems:
        raise RedfishError(400, problems)  # one bad value stages nothing
    bmc.state["dell"]["bios_pending"].update(values)
    bmc.save()
    if when is None:
        return reply(render_settings(bmc), request=request)
    return dell_jobs.accepted(dell_jobs.create(bmc, "BIOSConfiguration", TARGET, SETTINGS, "Configure: BIOS.Setup.1-1"))


def discard(bmc):
    bmc.state["dell"]["bios_pending"] = {}


def apply(bmc):
    """The job runs: pending attributes become current, and the software initiator they describe
    becomes the canonical iSCSI state of the port IscsiDev1Con1Interface names."""
    dell = bmc.state["dell"]
    dell["bios"].update(dell["bios_pending"])
    dell["bios_pending"] = {}
    _map_initiator(bmc, dell["bios"])


def _map_initiator(bmc, attrs):
    functions = bmc.state["functions"]
    for function in functions.values():
        if function.pop("bios_initiator", False):
            function["BootMode"] = "Disabled"  # the BIOS no longer drives this port
    if attrs["IscsiDev1EnDis"] != "Enabled" or attrs["IscsiDev1Con1EnDis"] != "Enabled":
        return
    key = next((k for k in functions if k.split("/", 1)[1] == attrs["IscsiDev1Con1Interface"]), None)
    if key is None:
        return
    chap = attrs["IscsiDev1Con1Auth"] == "Chap"
    mutual = chap and attrs["IscsiDev1Con1ChapType"] == "Mutual"
    vlan = attrs["IscsiDev1Con1VlanEnDis"] == "Enabled"
    functions[key]["iSCSIBoot"].update({
        "InitiatorName": attrs["IscsiInitiatorName"] or None, "InitiatorIPAddress": attrs["IscsiDev1Con1Ip"] or None,
        "InitiatorNetmask": attrs["IscsiDev1Con1Mask"] or None,
        "InitiatorDefaultGateway": attrs["IscsiDev1Con1Gateway"] or None,
        "IPMaskDNSViaDHCP": attrs["IscsiDev1Con1DhcpEnDis"] == "Enabled",
        "TargetInfoViaDHCP": attrs["IscsiDev1Con1TgtDhcpEnDis"] == "Enabled",
        "PrimaryTargetName": attrs["IscsiDev1Con1TargetName"] or None,
        "PrimaryTargetIPAddress": attrs["IscsiDev1Con1TargetIp"] or None,
        "PrimaryTargetTCPPort": attrs["IscsiDev1Con1Port"], "PrimaryLUN": _lun(attrs["IscsiDev1Con1Lun"]),
        "PrimaryVLANEnable": vlan, "PrimaryVLANId": attrs["IscsiDev1Con1VlanId"] if vlan else 0,
        "AuthenticationMethod": "MutualCHAP" if mutual else "CHAP" if chap else "None",
        "CHAPUsername": attrs["IscsiDev1Con1ChapName"] or None if chap else None,
        "CHAPSecret": attrs["IscsiDev1Con1ChapSecret"] or None if chap else None,
        "MutualCHAPUsername": attrs["IscsiDev1Con1RevChapName"] or None if mutual else None,
        "MutualCHAPSecret": attrs["IscsiDev1Con1RevChapSecret"] or None if mutual else None})
    functions[key]["BootMode"] = "iSCSI"
    functions[key]["bios_initiator"] = True


def _lun(text):
    # The registry's LUN is T10 text ("1", "0001-0000-0000-0000"): the first field is the LUN.
    return int(text.split("-")[0] or "0", 16)


def routes():
    return [(BIOS, {"GET": get_bios}), (SETTINGS, {"GET": get_settings, "PATCH": patch_settings}),
            (REGISTRY, {"GET": get_registry})]
