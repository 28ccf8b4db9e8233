"""Dell's ComputerSystem: BootProgress by firmware generation, LastResetTime, the boot order
written through a BIOSConfiguration job (a system PATCH on 6.x; the system's SettingsObject on
7.x and iDRAC10, which refuses Boot.BootOrder on the system itself), Dell-named boot options."""
from ..errors import RedfishError, message
from ..http import collection, reply, require
from ..resources import systems
from ..schema import check_patch
from . import dell_jobs
from .dell_apply_time import read_settings_patch
from .dell_names import ISCSI_GUID, PXE_GUID, SYSTEM, description, firmware_major
from .dell_bios_registry import bios_version

SYSTEM_URI = f"/redfish/v1/Systems/{SYSTEM}"
SETTINGS = f"{SYSTEM_URI}/Settings"
TARGET = "system"
_NOT_WRITABLE_REGISTRY = "Base.1.18"  # what iDRAC10 names in its refusal (libredfish PR #33)


def has_settings_object(cfg):
    return cfg.personality == "idrac10" or firmware_major(cfg) >= 7


def has_boot_progress(cfg):
    return has_settings_object(cfg)


def render_system(bmc):
    body = systems.render_system(bmc)
    body["Name"] = "System"
    body["HostName"] = bmc.cfg.name
    body["BiosVersion"] = bios_version(bmc.cfg)
    body["Bios"] = {"@odata.id": f"{SYSTEM_URI}/Bios"}
    body["LastResetTime"] = bmc.state.get("last_reset_time") or bmc.state["progress"]["LastStateTime"]
    body.pop("LogServices")  # iDRAC keeps its logs under the Manager
    body["Boot"].pop("BootNext", None)
    # Only the target's AllowableValues, as the capture: the capture's targets the simulated boot manager knows.
    body["Boot"].pop("BootSourceOverrideEnabled@Redfish.AllowableValues")
    body["Boot"].pop("BootSourceOverrideMode@Redfish.AllowableValues")
    body["Boot"]["BootSourceOverrideTarget@Redfish.AllowableValues"] = [
        t for t in ("None", "Pxe", "Floppy", "Cd", "Hdd", "BiosSetup", "Utilities", "UefiTarget", "SDCard", "UefiHttp")
        if t in systems.OVERRIDE_TARGETS]
    if has_boot_progress(bmc.cfg):
        body["BootProgress"] = {"LastState": bmc.state["progress"]["LastState"]}
    else:
        body.pop("BootProgress")
    if has_settings_object(bmc.cfg):
        body["@Redfish.Settings"] = {"@odata.type": "#Settings.v1_3_3.Settings",
                                     "SettingsObject": {"@odata.id": SETTINGS}, "SupportedApplyTimes": ["OnReset"]}
    generation = "17G Monolithic" if bmc.cfg.personality == "idrac10" else "15G Monolithic"
    body["Oem"] = {"Dell": {"@odata.type": "#DellOem.v1_3_0.DellOemResources", "DellSystem": {
        "@odata.type": "#DellSystem.v1_3_0.DellSystem", "Id": SYSTEM, "Name": "DellSystem",
        "SystemGeneration": generation, "LastSystemInventoryTime": body["LastResetTime"]}}}
    return body


def render_settings(bmc):
    pending = bmc.state["dell"]["boot_pending"] or {}
    return {"@odata.id": SETTINGS, "@odata.type": "#ComputerSystem.v1_27_0.ComputerSystem", "Id": "Settings",
            "Name": "System Settings", "Boot": {"BootOrder": list(pending.get("BootOrder", []))},
            "@Redfish.SettingsApplyTime": {"@odata.type": "#Settings.v1_3_3.PreferredApplyTime", "ApplyTime": "OnReset"}}


async def get_system(request, bmc):
    return reply(render_system(bmc), request=request)


async def get_settings(request, bmc):
    return reply(render_settings(bmc), request=request)


def _boot_part(body):
    boot = body.get("Boot") if isinstance(body.get("Boot"), dict) else {}
    return {k: v for k, v in boot.items() if "@" not in k}


def _check(bmc, body, writable):
    problems = check_patch("ComputerSystem.v1_27_0.json", "ComputerSystem", body, writable)
    if not problems:
        problems = systems.check_boot_values(bmc, _boot_part(body))
    if problems:
        raise RedfishError(400, problems)


def _stage_order(bmc, order, when):
    dell_jobs.refuse_if_pending(bmc, TARGET)
    bmc.state["dell"]["boot_pending"] = {"BootOrder": list(order)}
    bmc.save()
    if when is None:
        return None
    return dell_jobs.create(bmc, "BIOSConfiguration", TARGET, SETTINGS if has_settings_object(bmc.cfg) else SYSTEM_URI,
                            "Configure: BIOS.Setup.1-1")


async def patch_system(request, bmc):
    require(request, "ConfigureComponents")
    props, _ = await read_settings_patch(request, ["OnReset"])
    boot = _boot_part(props)
    if "BootOrder" in boot and bmc.cfg.personality == "idrac10":
        refusal = message("PropertyNotWritable", "Boot", related=["#/Boot/BootOrder"])
        refusal["MessageId"] = f"{_NOT_WRITABLE_REGISTRY}.PropertyNotWritable"
        raise RedfishError(400, [refusal])
    _check(bmc, props, systems.BOOT_WRITABLE - {"Boot.BootNext"})
    if "BootOrder" in boot:
        dell_jobs.refuse_if_pending(bmc, TARGET)
    now = {k: v for k, v in boot.items() if k != "BootOrder"}
    bmc.state["boot"].update(now)  # one-time overrides take effect at once, as on iDRAC
    bmc.save()
    if "BootOrder" in boot:
        # A boot order change is a BIOS change: a job applies it at the next reset.
        return dell_jobs.accepted(_stage_order(bmc, boot["BootOrder"], "OnReset"))
    return reply(render_system(bmc), request=request)


async def patch_settings(request, bmc):
    require(request, "ConfigureComponents")
    props, when = await read_settings_patch(request, ["OnReset"])
    _check(bmc, props, {"Boot.BootOrder", "Boot.BootSourceOverrideMode"})
    boot = _boot_part(props)
    if "BootOrder" not in boot:
        raise RedfishError.of(400, "PropertyMissing", "Boot/BootOrder")
    job_id = _stage_order(bmc, boot["BootOrder"], when)
    return dell_jobs.accepted(job_id) if job_id else reply(render_settings(bmc), request=request)


def discard(bmc):
    bmc.state["dell"]["boot_pending"] = None


def next_order(bmc):
    """The order the next reset applies: the pending one first, then the options it does not name."""
    pending = bmc.state["dell"]["boot_pending"]
    if not pending:
        return list(bmc.state["boot"]["BootOrder"])
    # Options that vanished meanwhile are dropped, as the BIOS does with a stale entry.
    order = [r for r in pending["BootOrder"] if r in bmc.state["boot_options"]]
    return order + [r for r in bmc.state["boot"]["BootOrder"] if r not in order]


def apply(bmc):
    bmc.state["boot"]["BootOrder"] = next_order(bmc)
    bmc.state["dell"]["boot_pending"] = None


def render_option(bmc, ref, option):
    body = systems.render_option(bmc, ref, option)
    port = (option.get("port") or "").split("/", 1)[-1]
    named = {"iscsi": (f"ISCSI Device 1: {description(port)}", f"VenHw({ISCSI_GUID})"),
             "pxe": (f"PXE Device {_ordinal(bmc, option)}: {description(port)}", f"VenHw({PXE_GUID})"),
             "cd": ("Virtual Optical Drive", option["UefiDevicePath"])}
    name, path = named.get(option["kind"], (option["DisplayName"], option["UefiDevicePath"]))
    body.update(DisplayName=name, UefiDevicePath=path, Name="Uefi Boot Option",
                Description="Current settings of the UEFI Boot option")
    body.pop("Alias", None)
    return body


def _ordinal(bmc, option):
    ports = [o["port"] for o in bmc.state["boot_options"].values() if o["kind"] == "pxe"]
    return ports.index(option["port"]) + 1 if option["port"] in ports else 1


async def list_options(request, bmc):
    uri = f"{SYSTEM_URI}/BootOptions"
    refs = [r for r in bmc.state["boot"]["BootOrder"] if r in bmc.state["boot_options"]]
    refs += sorted(r for r in bmc.state["boot_options"] if r not in refs)
    return reply(collection(uri, "#BootOptionCollection.BootOptionCollection", "Boot Options Collection",
                            [f"{uri}/{r}" for r in refs]), request=request)


async def get_option(request, bmc, ref):
    return reply(render_option(bmc, ref, systems.find_option(bmc, ref)), request=request)


def routes(cfg):
    found = [
        (f"/redfish/v1/Systems", {"GET": systems.list_systems}),
        (SYSTEM_URI, {"GET": get_system, "PATCH": patch_system}),
        (f"{SYSTEM_URI}/Actions/ComputerSystem.Reset", {"POST": systems.reset}),
        (f"{SYSTEM_URI}/BootOptions", {"GET": list_options}),
        (f"{SYSTEM_URI}/BootOptions" + "/{ref}", {"GET": get_option}),
    ]
    if has_settings_object(cfg):
        found.append((SETTINGS, {"GET": get_settings, "PATCH": patch_settings}))
    return found
