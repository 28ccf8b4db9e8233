"""ComputerSystem: power, Boot (order, options, BootNext, overrides), BootProgress, Reset."""
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, collection, no_content, read_object, reply, require, without_annotations
from ..schema import check_patch
from . import V1

OVERRIDE_TARGETS = ["None", "Pxe", "Cd", "Hdd", "BiosSetup", "UefiTarget", "UefiBootNext"]
OVERRIDE_ENABLED = ["Disabled", "Once", "Continuous"]
OVERRIDE_MODES = ["UEFI"]
BOOT_WRITABLE = {"Boot.BootOrder", "Boot.BootNext", "Boot.BootSourceOverrideTarget",
                 "Boot.BootSourceOverrideEnabled", "Boot.BootSourceOverrideMode",
                 "Boot.UefiTargetBootSourceOverride"}


def render_system(bmc):
    state, cfg, ids = bmc.state, bmc.cfg, bmc.ids
    boot, progress = state["boot"], state["progress"]
    body = {
        "@odata.id": ids.system_uri, "@odata.type": "#ComputerSystem.v1_27_0.ComputerSystem",
        "Id": ids.system, "Name": cfg.name, "SystemType": "Physical", "HostName": cfg.name,
        "Manufacturer": cfg.manufacturer, "Model": cfg.model, "SerialNumber": cfg.serial,
        "UUID": bmc.uuid, "BiosVersion": cfg.firmware, "PowerState": state["power"],
        "Status": {"State": "Enabled", "Health": "OK"},
        "Boot": {
            "BootOrder": list(boot["BootOrder"]), "BootNext": boot["BootNext"],
            "BootSourceOverrideTarget": boot["BootSourceOverrideTarget"],
            "BootSourceOverrideTarget@Redfish.AllowableValues": OVERRIDE_TARGETS,
            "BootSourceOverrideEnabled": boot["BootSourceOverrideEnabled"],
            "BootSourceOverrideEnabled@Redfish.AllowableValues": OVERRIDE_ENABLED,
            "BootSourceOverrideMode": boot["BootSourceOverrideMode"],
            "BootSourceOverrideMode@Redfish.AllowableValues": OVERRIDE_MODES,
            "UefiTargetBootSourceOverride": boot["UefiTargetBootSourceOverride"],
            "BootOptions": {"@odata.id": ids.options_uri},
        },
        "BootProgress": {"LastState": progress["LastState"], "LastStateTime": progress["LastStateTime"],
                         "LastBootTimeSeconds": progress.get("LastBootTimeSeconds")},
        "Actions": {"#ComputerSystem.Reset": {"target": f"{ids.system_uri}/Actions/ComputerSystem.Reset",
                                              "ResetType@Redfish.AllowableValues": list(cfg.reset_types)}},
        "NetworkInterfaces": {"@odata.id": f"{ids.system_uri}/NetworkInterfaces"},
        "LogServices": {"@odata.id": f"{ids.system_uri}/LogServices"},
        "VirtualMedia": {"@odata.id": ids.media_uri},
        "Links": {"Chassis": [{"@odata.id": ids.chassis_uri}], "ManagedBy": [{"@odata.id": ids.manager_uri}]},
    }
    if progress["LastState"] == "OEM":
        body["BootProgress"]["OemLastState"] = progress.get("OemLastState")
    if progress.get("LastBootTimeSeconds") is None:
        del body["BootProgress"]["LastBootTimeSeconds"]
    return body


def render_option(bmc, ref, option):
    return {"@odata.id": f"{bmc.ids.options_uri}/{ref}", "@odata.type": "#BootOption.v1_0_6.BootOption", "Id": ref,
            "Name": option["DisplayName"], "BootOptionReference": ref, "DisplayName": option["DisplayName"],
            "UefiDevicePath": option["UefiDevicePath"], "BootOptionEnabled": option["BootOptionEnabled"],
            "Alias": option["Alias"]}


async def list_systems(request, bmc):
    return reply(collection(f"{V1}/Systems", "#ComputerSystemCollection.ComputerSystemCollection",
                            "Computer System Collection", [bmc.ids.system_uri]), request=request)


async def get_system(request, bmc):
    return reply(render_system(bmc), request=request)


def check_boot_values(bmc, boot):
    options, problems = bmc.state["boot_options"], []
    if "BootOrder" in boot:
        order = boot["BootOrder"]
        unknown = [ref for ref in order if ref not in options]  # null items too: the schema allows them
        if unknown or len(set(order)) != len(order):
            shown = ",".join("null" if ref is None else str(ref) for ref in unknown) or "duplicate"
            problems.append(message("PropertyValueNotInList", shown, "Boot.BootOrder"))
    if boot.get("BootNext") is not None and boot["BootNext"] not in options:
        problems.append(message("PropertyValueNotInList", boot["BootNext"], "Boot.BootNext"))
    for key, allowed in (("BootSourceOverrideTarget", OVERRIDE_TARGETS), ("BootSourceOverrideEnabled", OVERRIDE_ENABLED),
                         ("BootSourceOverrideMode", OVERRIDE_MODES)):
        if key in boot and boot[key] not in allowed:
            problems.append(message("PropertyValueNotInList", boot[key], f"Boot.{key}"))
    merged = {**bmc.state["boot"], **boot}
    if merged["BootSourceOverrideTarget"] == "UefiBootNext" and merged["BootSourceOverrideEnabled"] == "Continuous":
        problems.append(message("PropertyValueConflict", "Boot.BootSourceOverrideEnabled", "Boot.BootSourceOverrideTarget"))
    return problems


def ordered_refs(bmc):
    """The boot options in boot order, then the rest by reference (how vendor collections list them)."""
    refs = [r for r in bmc.state["boot"]["BootOrder"] if r in bmc.state["boot_options"]]
    return refs + sorted(r for r in bmc.state["boot_options"] if r not in refs)


async def read_boot_patch(request, bmc, render, writable):
    """The Boot properties of a ComputerSystem PATCH, checked as every personality checks them: the
    privilege, If-Match against `render(bmc)` (the system as rendered), the schema with `writable`,
    the values. Raises the 400 with every problem."""
    require(request, "ConfigureComponents")
    body = without_annotations(await read_object(request))
    # Rendered after the body's await: a system rendered before it may already be stale when a
    # concurrent PATCH wins meanwhile, and both would pass If-Match.
    check_if_match(request, render(bmc))
    problems = check_patch("ComputerSystem.v1_27_0.json", "ComputerSystem", body, writable)
    # Annotations inside Boot (BootSourceOverrideTarget@Redfish.AllowableValues, ...) are not settings.
    boot = body.get("Boot") if isinstance(body.get("Boot"), dict) else {}
    boot = {k: v for k, v in boot.items() if "@" not in k}
    if not problems:
        problems = check_boot_values(bmc, boot)
    if problems:
        raise RedfishError(400, problems)
    return boot


async def patch_system(request, bmc):
    boot = await read_boot_patch(request, bmc, render_system, BOOT_WRITABLE)
    bmc.state["boot"].update(boot)
    bmc.save()
    return reply(render_system(bmc), request=request)


async def reset(request, bmc):
    require(request, "ConfigureComponents")
    body = await read_object(request, allow_empty=True)
    action = "ComputerSystem.Reset"
    unknown = [k for k in body if k != "ResetType"]
    if unknown:
        raise RedfishError(400, [message("ActionParameterUnknown", action, k) for k in unknown])
    reset_type = body.get("ResetType")
    if reset_type is None:
        raise RedfishError.of(400, "ActionParameterMissing", action, "ResetType")
    if not isinstance(reset_type, str):
        raise RedfishError.of(400, "ActionParameterValueTypeError", reset_type, "ResetType", action)
    if reset_type not in bmc.cfg.reset_types:
        raise RedfishError.of(400, "ActionParameterValueNotInList", reset_type, "ResetType", action)
    bmc.firmware.reset(reset_type)
    return no_content()


async def list_options(request, bmc):
    refs = sorted(bmc.state["boot_options"])
    uri = bmc.ids.options_uri
    return reply(collection(uri, "#BootOptionCollection.BootOptionCollection", "Boot Options",
                            [f"{uri}/{r}" for r in refs]), request=request)


def find_option(bmc, ref):
    option = bmc.state["boot_options"].get(ref)
    if option is None:
        raise not_found("BootOption", ref)
    return option


async def get_option(request, bmc, ref):
    return reply(render_option(bmc, ref, find_option(bmc, ref)), request=request)


async def patch_option(request, bmc, ref):
    require(request, "ConfigureComponents")
    option = find_option(bmc, ref)
    body = without_annotations(await read_object(request))
    check_if_match(request, render_option(bmc, ref, option))
    problems = check_patch("BootOption.v1_0_6.json", "BootOption", body, {"BootOptionEnabled"})
    if not problems and "BootOptionEnabled" in body and body["BootOptionEnabled"] is None:
        # Nullable in the schema, but an option is either enabled or not.
        problems = [message("PropertyValueTypeError", "null", "BootOptionEnabled", related=["#/BootOptionEnabled"])]
    if problems:
        raise RedfishError(400, problems)
    option.update(body)
    bmc.save()
    return reply(render_option(bmc, ref, option), request=request)


def routes(ids):
    return [
        (f"{V1}/Systems", {"GET": list_systems}),
        (ids.system_uri, {"GET": get_system, "PATCH": patch_system}),
        (f"{ids.system_uri}/Actions/ComputerSystem.Reset", {"POST": reset}),
        (ids.options_uri, {"GET": list_options}),
        (ids.options_uri + "/{ref}", {"GET": get_option, "PATCH": patch_option}),
    ]
