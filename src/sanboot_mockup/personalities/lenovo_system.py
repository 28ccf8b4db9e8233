"""XCC's ComputerSystem (capture): Boot.BootOrder of boot classes, written through `/Systems/1/Pending`
(2.x) and refused on the system itself (400 PropertyNotWritable, UNCONFIRMED); Oem.Lenovo with
SystemStatus, NumberOfReboots and the BootSettings link; BootProgress only on XCC2; the class
BootOptions; Reset without PowerCycle, its ActionInfo, the OEM reset actions."""
from ..errors import not_found
from ..http import collection, reply
from ..resources import systems
from . import lenovo_reset, lenovo_status
from .lenovo_names import (BOOT_SETTINGS, CLASSES, SYSTEM_PENDING, SYSTEM_URI, device_path, has_system_pending,
                           is_xcc2)
from .lenovo_settings import annotation

_OVERRIDE_TARGETS = ["None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "Diags", "UefiTarget"]  # capture
_KNOWN_TARGETS = [t for t in _OVERRIDE_TARGETS if t in systems.OVERRIDE_TARGETS]


def render_system(bmc):
    body = systems.render_system(bmc)
    body.pop("NetworkInterfaces")  # the mockup serves XCC's adapters under the Chassis only
    boot = body["Boot"]
    for key in ("BootNext", "BootSourceOverrideMode@Redfish.AllowableValues"):
        boot.pop(key)
    boot.update({"BootOrder": list(bmc.state["lenovo"]["classes"]), "BootOrderPropertySelection": "BootOrder",
                 "AutomaticRetryConfig": "RetryAlways", "BootSourceOverrideEnabled@Redfish.AllowableValues": ["Once", "Disabled"],
                 "BootSourceOverrideTarget@Redfish.AllowableValues": _KNOWN_TARGETS})
    if is_xcc2(bmc.cfg):
        body["BootProgress"] = lenovo_status.boot_progress(bmc)
    else:
        body.pop("BootProgress")
    if has_system_pending(bmc.cfg):
        body["@Redfish.Settings"] = annotation(SYSTEM_PENDING)
    body["Actions"] = lenovo_reset.actions(bmc)
    body["Oem"] = {"Lenovo": {"@odata.type": "#LenovoComputerSystem.v1_0_0.LenovoSystemProperties",
                              "SystemStatus": lenovo_status.system_status(bmc),
                              "NumberOfReboots": lenovo_status.reboots(bmc),
                              "BootSettings": {"@odata.id": BOOT_SETTINGS},
                              "BootSettings@Redfish.Deprecated": "The property is deprecated. Please use BootOrder instead."}}
    return body


async def get_system(request, bmc):
    return reply(render_system(bmc), request=request)


async def patch_system(request, bmc):
    """Overrides act at once; the order of the classes is not writable here (Pending or the OEM order)."""
    writable = systems.BOOT_WRITABLE - {"Boot.BootNext", "Boot.BootOrder"}
    boot = await systems.read_boot_patch(request, bmc, render_system, writable)
    bmc.state["boot"].update(boot)
    bmc.save()
    return reply(render_system(bmc), request=request)


def render_option(bmc, ref):
    name = CLASSES[ref][0]
    return {"@odata.id": f"{bmc.ids.options_uri}/{ref}", "@odata.type": "#BootOption.v1_0_6.BootOption", "Id": ref,
            "Name": name, "DisplayName": name, "BootOptionReference": ref, "UefiDevicePath": device_path(ref),
            "Description": "This resource shall be used to represent a single boot option contained within a system."}


async def list_options(request, bmc):
    uri = bmc.ids.options_uri
    return reply(collection(uri, "#BootOptionCollection.BootOptionCollection", "BootOptionCollection",
                            [f"{uri}/{ref}" for ref in sorted(CLASSES)]), request=request)


async def get_option(request, bmc, ref):
    if ref not in CLASSES:
        raise not_found("BootOption", ref)
    return reply(render_option(bmc, ref), request=request)


def routes():
    options = f"{SYSTEM_URI}/BootOptions"
    return [
        ("/redfish/v1/Systems", {"GET": systems.list_systems}),
        (SYSTEM_URI, {"GET": get_system, "PATCH": patch_system}),
        (options, {"GET": list_options}),
        (options + "/{ref}", {"GET": get_option}),
    ] + lenovo_reset.routes()
