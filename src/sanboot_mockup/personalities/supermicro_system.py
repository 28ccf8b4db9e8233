"""Supermicro's Systems/1 (X13 capture): BootProgress with LastState only, which never gets past
SystemHardwareInitializationComplete; the Reset action with no inline AllowableValues, its types in
ResetActionInfo; Oem.Supermicro linking FixedBootOrder; `Boot.BootOrder` PATCHed on the system itself,
or refused PropertyUnknown on models that take only FixedBootOrder (fleet `boot_order_property_unknown`)."""
from ..errors import RedfishError, message
from ..http import reply
from ..model import POST_STATES
from ..resources import systems
from .supermicro_names import BIOS, BIOS_VERSION, FIXED_ORDER, RESET_INFO, SYSTEM_URI

DONE = "SystemHardwareInitializationComplete"


def last_state(bmc):
    """What the BMC reports: the POST states, then DONE for good, whatever the host runs (capture)."""
    state = bmc.state["progress"]["LastState"]
    if bmc.state["power"] != "On" or state == "None":
        return "None"
    return state if state in POST_STATES else DONE


def render_system(bmc):
    body = systems.render_system(bmc)
    body.update(Name="System", Description="Description of server", SystemType="Physical",
                BiosVersion=BIOS_VERSION, BootProgress={"LastState": last_state(bmc)},
                Bios={"@odata.id": BIOS},
                Actions={"#ComputerSystem.Reset": {"target": f"{SYSTEM_URI}/Actions/ComputerSystem.Reset",
                                                   "@Redfish.ActionInfo": RESET_INFO}},
                Oem={"Supermicro": {"@odata.type": "#SmcSystemExtensions.v1_0_0.System",
                                    "FixedBootOrder": {"@odata.id": FIXED_ORDER}}})
    del body["HostName"]
    return body


async def get_system(request, bmc):
    return reply(render_system(bmc), request=request)


async def patch_system(request, bmc):
    boot = await systems.read_boot_patch(request, bmc, render_system, systems.BOOT_WRITABLE)
    if "BootOrder" in boot and bmc.cfg.boot_order_property_unknown:
        # Some models take the order only through FixedBootOrder (doc: libredfish's fallback).
        raise RedfishError(400, [message("PropertyUnknown", "BootOrder", related=["#/Boot/BootOrder"])])
    bmc.state["boot"].update(boot)
    bmc.save()
    return reply(render_system(bmc), request=request)


async def get_reset_info(request, bmc):
    return reply({"@odata.id": RESET_INFO, "@odata.type": "#ActionInfo.v1_1_2.ActionInfo", "Id": "ResetActionInfo",
                  "Name": "Reset Action Info", "Oem": {},
                  "Parameters": [{"Name": "ResetType", "Required": True, "DataType": "String",
                                  "AllowableValues": list(bmc.cfg.reset_types)}]}, request=request)


def routes():
    return [("/redfish/v1/Systems", {"GET": systems.list_systems}),
            (SYSTEM_URI, {"GET": get_system, "PATCH": patch_system}),
            (f"{SYSTEM_URI}/Actions/ComputerSystem.Reset", {"POST": systems.reset}),
            (RESET_INFO, {"GET": get_reset_info})]
