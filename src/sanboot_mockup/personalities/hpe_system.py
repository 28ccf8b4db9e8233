"""iLO's ComputerSystem: no LastResetTime; Oem.Hpe.PostState and PostDiscoveryCompleteTimeStamp;
BootProgress absent on iLO 5 and {LastState, LastBootTimeSeconds} on iLO 6 1.63+ (CAP-H6); the Bios
link in lower case; a Boot.BootOrder PATCH staged into the pending boot order (refused in POST)."""
from ..http import reply
from ..resources import systems
from . import hpe_boot, hpe_options, hpe_post, hpe_settings
from .hpe_names import BASE_ADAPTERS, BIOS, ROM_FAMILY, SYSTEM_URI, is_ilo6, link
from .versions import firmware_version

# The capture's override targets that the simulated boot manager knows.
_TARGETS = ("None", "Cd", "Hdd", "SDCard", "Utilities", "Diags", "BiosSetup", "Pxe", "UefiShell", "UefiHttp",
            "UefiTarget")


def has_boot_progress(cfg):
    return is_ilo6(cfg) and firmware_version(cfg) >= (1, 63)


def render_system(bmc):
    body = systems.render_system(bmc)
    hpe = bmc.state["hpe"]
    body.update(Name="Computer System", BiosVersion=f"{ROM_FAMILY} v{bmc.cfg.firmware}", Bios=link(BIOS))
    body.pop("VirtualMedia")  # iLO's virtual media hang off the Manager
    boot = body["Boot"]
    for key in ("BootNext", "BootSourceOverrideEnabled@Redfish.AllowableValues",
                "BootSourceOverrideMode@Redfish.AllowableValues"):
        boot.pop(key)
    boot["BootSourceOverrideTarget@Redfish.AllowableValues"] = [t for t in _TARGETS if t in systems.OVERRIDE_TARGETS]
    if has_boot_progress(bmc.cfg):
        progress = bmc.state["progress"]
        body["BootProgress"] = {"LastState": progress["LastState"]}
        if progress.get("LastBootTimeSeconds") is not None:
            body["BootProgress"]["LastBootTimeSeconds"] = progress["LastBootTimeSeconds"]
    else:
        body.pop("BootProgress")
    body["Oem"] = {"Hpe": {"@odata.type": "#HpeComputerSystemExt.v2_12_0.HpeComputerSystemExt",
                           "PostState": hpe["post_state"], "PostDiscoveryCompleteTimeStamp": hpe["post_discovery_time"],
                           "PostDiscoveryMode": None, "PostMode": None,
                           "Links": {"NetworkAdapters": {"@odata.id": BASE_ADAPTERS}}}}
    return body


async def get_system(request, bmc):
    return reply(render_system(bmc), request=request)


async def patch_system(request, bmc):
    """Overrides act at once; a BootOrder goes to the pending boot order (UNCONFIRMED, as the contract)."""
    boot = await systems.read_boot_patch(request, bmc, render_system, systems.BOOT_WRITABLE - {"Boot.BootNext"})
    if "BootOrder" in boot:
        hpe_post.refuse_in_post(bmc, "BootOrder")
    bmc.state["boot"].update({k: v for k, v in boot.items() if k != "BootOrder"})
    if "BootOrder" not in boot:
        bmc.save()
        return reply(render_system(bmc), request=request)
    names = {r: s for s, r in hpe_options.structured_names(bmc).items()}
    hpe_boot.stage(bmc, [names[r] for r in boot["BootOrder"]])
    return hpe_settings.reset_required()


def routes():
    return [
        ("/redfish/v1/Systems", {"GET": systems.list_systems}),
        (SYSTEM_URI, {"GET": get_system, "PATCH": patch_system}),
        (f"{SYSTEM_URI}/Actions/ComputerSystem.Reset", {"POST": systems.reset}),
    ] + hpe_options.routes()
