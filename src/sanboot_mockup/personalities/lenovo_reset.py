"""XCC's resets (capture): ComputerSystem.Reset without PowerCycle and with its ActionInfo, and the
OEM actions SystemReset (ACPowerCycle) and CustomizedReset (On). On models where GracefulRestart is
"not a reliable mechanism" (vendors.md 3.5; fleet `graceful_restart_ignored`) it is accepted and
does nothing. BootToBIOSSetup and RemoteClearCMOS are listed as in the capture, not simulated."""
from ..errors import RedfishError
from ..http import no_content, read_object, reply, require
from ..resources import systems
from .lenovo_names import RESET_INFO, SYSTEM_URI

_ACTIONS = f"{SYSTEM_URI}/Actions"
_OEM = {"LenovoComputerSystem.SystemReset": ["ACPowerCycle"], "LenovoComputerSystem.CustomizedReset": ["On"],
        "LenovoComputerSystem.BootToBIOSSetup": None, "LenovoComputerSystem.RemoteClearCMOS": None}
# What the shared firmware does for each OEM reset type: an AC cycle is a cold restart.
_AS_STANDARD = {"ACPowerCycle": "ForceRestart", "On": "On"}


def actions(bmc):
    found = {"#ComputerSystem.Reset": {"target": f"{_ACTIONS}/ComputerSystem.Reset", "title": "Reset",
                                       "ResetType@Redfish.AllowableValues": list(bmc.cfg.reset_types),
                                       "@Redfish.ActionInfo": RESET_INFO}}
    oem = {}
    for name, allowed in _OEM.items():
        oem[f"#{name}"] = {"target": f"{_ACTIONS}/Oem/{name}", "title": name.split(".")[1]}
        if allowed:
            oem[f"#{name}"]["ResetType@Redfish.AllowableValues"] = allowed
    found["Oem"] = oem
    return found


async def reset(request, bmc):
    body = await read_object(request, allow_empty=True)  # aiohttp keeps the body for systems.reset
    if body.get("ResetType") == "GracefulRestart" and bmc.cfg.graceful_restart_ignored:
        require(request, "ConfigureComponents")
        bmc.log("Warning", "GracefulRestart accepted; this model ignores it")
        return no_content()
    return await systems.reset(request, bmc)


async def reset_info(request, bmc):
    return reply({"@odata.id": RESET_INFO, "@odata.type": "#ActionInfo.v1_1_2.ActionInfo", "Id": "Reset", "Name": "Reset",
                  "Description": "Information of the action 'Reset' of Computer System",
                  "Parameters": [{"Name": "ResetType", "Required": True, "DataType": "String",
                                  "AllowableValues": list(bmc.cfg.reset_types)}]}, request=request)


def _oem_action(name):
    action = name.split(".")[1]

    async def handler(request, bmc):
        require(request, "ConfigureComponents")
        body = await read_object(request, allow_empty=True)
        allowed = _OEM[name]
        if allowed is None:
            raise RedfishError.of(400, "ActionNotSupported", action)  # not simulated by the mockup
        reset_type = body.get("ResetType")
        if reset_type not in allowed:
            raise RedfishError.of(400, "ActionParameterValueNotInList", str(reset_type), "ResetType", action)
        bmc.firmware.reset(_AS_STANDARD[reset_type])
        return no_content()
    return handler


def routes():
    return [(f"{_ACTIONS}/ComputerSystem.Reset", {"POST": reset}), (RESET_INFO, {"GET": reset_info})] + [
        (f"{_ACTIONS}/Oem/{name}", {"POST": _oem_action(name)}) for name in _OEM]
