"""HpeServerBootSettings (`bios/oem/hpe/boot/`): BootSources and PersistentBootConfigOrder by
StructuredBootString; `boot/settings/` takes a new order, applied at the next reset (unknown strings
refused there, options left out keep their relative order after the listed ones). While the host
is in POST a boot-order change is refused 400 UnableToModifyDuringSystemPOST (doc)."""
from ..errors import RedfishError
from ..http import check_if_match, read_object, reply, require
from ..resources import systems
from . import hpe_options, hpe_post, hpe_settings
from .hpe_names import BOOT, BOOT_SETTINGS

BOOT_TYPE = "#HpeServerBootSettings.v2_0_0.HpeServerBootSettings"
DEFAULT_ORDER = ["Cd", "Usb", "EmbeddedStorage", "PcieSlotStorage", "EmbeddedFlexLOM", "PcieSlotNic", "UefiShell", "iPXE"]
_DESIRED = {"CorrelatableID": "", "Lun": "", "Wwn": "", "iScsiTargetName": ""}


def _sources(bmc):
    found = []
    for ref in systems.ordered_refs(bmc):
        described = hpe_options.describe(bmc, bmc.state["boot_options"][ref])
        found.append({"BootOptionNumber": ref[4:], "BootString": described["DisplayName"],
                      "CorrelatableID": described["CorrelatableID"],
                      "StructuredBootString": described["StructuredBootString"],
                      "UEFIDevicePath": described["UefiDevicePath"]})
    return found


def resulting_order(bmc, wanted):
    """The canonical BootOrder a PersistentBootConfigOrder gives: listed options first, then the others."""
    names = hpe_options.structured_names(bmc)
    listed = list(dict.fromkeys(names[s] for s in wanted if s in names))
    return listed + [r for r in bmc.state["boot"]["BootOrder"] if r not in listed]


def _body(bmc, uri, order):
    names = {r: s for s, r in hpe_options.structured_names(bmc).items()}
    return {"@odata.id": f"{uri}/", "@odata.type": BOOT_TYPE, "BootSources": _sources(bmc),
            "DefaultBootOrder": list(DEFAULT_ORDER), "DesiredBootDevices": [dict(_DESIRED) for _ in range(5)],
            "PersistentBootConfigOrder": [names[r] for r in order if r in names]}


def render_settings(bmc, pending=True):
    staged = bmc.state["hpe"]["boot_pending"] if pending else None
    order = resulting_order(bmc, staged) if staged is not None else bmc.state["boot"]["BootOrder"]
    return {**_body(bmc, BOOT_SETTINGS, order), "Id": "settings", "Name": "Boot Order Pending Settings"}


def render_boot(bmc):
    return {**_body(bmc, BOOT, bmc.state["boot"]["BootOrder"]), "Id": "boot", "Name": "Boot Order Current Settings",
            "@Redfish.Settings": hpe_settings.annotation(bmc, "boot", BOOT_SETTINGS),
            "Oem": hpe_settings.oem({"BaseConfigs": f"{BOOT}/baseconfigs"}, render_settings(bmc, pending=False))}


async def get_boot(request, bmc):
    return reply(render_boot(bmc), request=request)


async def get_settings(request, bmc):
    return reply(render_settings(bmc), request=request)


def stage(bmc, structured):
    bmc.state["hpe"]["boot_pending"] = list(structured)
    bmc.save()


async def patch_settings(request, bmc):
    require(request, "ConfigureComponents")
    body = await read_object(request)
    check_if_match(request, render_settings(bmc))
    hpe_post.refuse_in_post(bmc, "PersistentBootConfigOrder")
    order = body.get("PersistentBootConfigOrder")
    if not isinstance(order, list) or not all(isinstance(s, str) for s in order):
        raise RedfishError.of(400, "PropertyValueTypeError", hpe_settings.shown(order), "PersistentBootConfigOrder",
                              related=["#/PersistentBootConfigOrder"])
    stage(bmc, order)
    return hpe_settings.reset_required()


def apply(bmc):
    hpe = bmc.state["hpe"]
    staged = hpe["boot_pending"]
    if staged is None:
        return
    names = hpe_options.structured_names(bmc)
    refusals = [hpe_settings.refusal("PropertyValueNotInList", "PersistentBootConfigOrder",
                                     f"#/PersistentBootConfigOrder/{i}", s) for i, s in enumerate(staged) if s not in names]
    bmc.state["boot"]["BootOrder"] = resulting_order(bmc, staged)
    hpe["boot_pending"] = None
    hpe_settings.record(bmc, "boot", refusals)


async def get_baseconfigs(request, bmc):
    return reply({"@odata.id": f"{BOOT}/baseconfigs/", "@odata.type": "#HpeBaseConfigs.v2_0_0.HpeBaseConfigs",
                  "Id": "baseconfigs", "Name": "Boot Order Default Settings",
                  "BaseConfigs": [{"default": {"DefaultBootOrder": list(DEFAULT_ORDER)}}]}, request=request)


def routes():
    return [(BOOT, {"GET": get_boot}), (BOOT_SETTINGS, {"GET": get_settings, "PATCH": patch_settings}),
            (f"{BOOT}/baseconfigs", {"GET": get_baseconfigs})]
