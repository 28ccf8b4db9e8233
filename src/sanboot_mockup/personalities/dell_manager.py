"""iDRAC itself: the Manager resource, and DellLCService.GetRemoteServicesAPIStatus, which tells
whether the host is powered off, in POST or out of POST."""
from ..errors import RedfishError, message
from ..http import read_object, reply, require
from ..resources import managers
from .dell_names import MANAGER

MANAGER_URI = f"/redfish/v1/Managers/{MANAGER}"
LC_SERVICE = f"{MANAGER_URI}/Oem/Dell/DellLCService"
API_STATUS = f"{LC_SERVICE}/Actions/DellLCService.GetRemoteServicesAPIStatus"
_IN_POST = ("None", "OEM")


def render_manager(bmc):
    body = managers.render_manager(bmc)
    body.update(Name="Manager", Description="BMC", FirmwareVersion=bmc.cfg.firmware, LastResetTime=bmc.started,
                Model="17G Monolithic" if bmc.cfg.personality == "idrac10" else "15G Monolithic",
                LogServices={"@odata.id": f"{MANAGER_URI}/LogServices"})
    # Jobs is linked at its Oem/Dell URI (capture); /Managers/iDRAC.Embedded.1/Jobs serves the same jobs.
    body["Links"]["Oem"] = {"Dell": {"@odata.type": "#DellOem.v1_3_0.DellOemLinks",
                                     "DellLCService": {"@odata.id": LC_SERVICE},
                                     "Jobs": {"@odata.id": f"{MANAGER_URI}/Oem/Dell/Jobs"}}}
    return body


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


async def get_lc_service(request, bmc):
    return reply({"@odata.id": LC_SERVICE, "@odata.type": "#DellLCService.v1_3_0.DellLCService",
                  "Id": "DellLCService", "Name": "DellLCService", "Description": "The DellLCService resource",
                  "Actions": {"#DellLCService.GetRemoteServicesAPIStatus": {"target": API_STATUS}}}, request=request)


def server_status(bmc):
    state = bmc.state
    if state["power"] != "On":
        return "PoweredOff"
    progress = state["progress"]["LastState"]
    # Out of POST once the boot manager has handed over (an OS, or waiting at the boot menu).
    if progress in ("OSBootStarted", "OSRunning") or (progress == "OEM" and not state.get("boot_run")):
        return "OutOfPOST"
    return "InPOST"


async def remote_services_status(request, bmc):
    require(request, "Login")
    body = await read_object(request, allow_empty=True)
    if body:
        action = "DellLCService.GetRemoteServicesAPIStatus"
        raise RedfishError(400, [message("ActionParameterUnknown", action, k) for k in body])
    return reply({"LCStatus": "Ready", "RTStatus": "Ready", "ServerStatus": server_status(bmc), "Status": "Ready",
                  "@Message.ExtendedInfo": [{"MessageId": "IDRAC.2.8.LC061", "Message": "Lifecycle Controller Remote "
                                             "Services is ready.", "Severity": "Informational"}]}, etag=False)


def routes(ids):
    return [
        ("/redfish/v1/Managers", {"GET": managers.list_managers}),
        (MANAGER_URI, {"GET": get_manager}),
        (LC_SERVICE, {"GET": get_lc_service}),
        (API_STATUS, {"POST": remote_services_status}),
    ] + managers.media_routes(ids)
