"""Manager with VirtualMedia (InsertMedia, EjectMedia) and the system's event log."""
from urllib.parse import urlparse

from ..clock import now_iso
from ..errors import RedfishError, message, not_found
from ..http import collection, no_content, read_object, reply, require
from . import CHASSIS_URI, MANAGER, MANAGER_URI, SYSTEM_URI, V1

MEDIA = f"{SYSTEM_URI}/VirtualMedia"  # the Manager location is deprecated
LOGS = f"{SYSTEM_URI}/LogServices"
EVENT_LOG = f"{LOGS}/EventLog"
INSERT_PARAMS = {"Image": str, "Inserted": bool, "WriteProtected": bool, "TransferProtocolType": str,
                 "TransferMethod": str, "UserName": str, "Password": str}


def render_manager(bmc):
    return {"@odata.id": MANAGER_URI, "@odata.type": "#Manager.v1_24_0.Manager", "Id": MANAGER,
            "Name": "Baseboard Management Controller", "ManagerType": "BMC", "FirmwareVersion": bmc.cfg.firmware,
            "Model": f"{bmc.cfg.manufacturer} BMC", "UUID": bmc.uuid, "DateTime": now_iso(),
            "PowerState": "On", "Status": {"State": "Enabled", "Health": "OK"},
            "Links": {"ManagerForServers": [{"@odata.id": SYSTEM_URI}], "ManagerForChassis": [{"@odata.id": CHASSIS_URI}]}}


def render_media(media_id, media):
    uri = f"{MEDIA}/{media_id}"
    return {"@odata.id": uri, "@odata.type": "#VirtualMedia.v1_6_5.VirtualMedia", "Id": media_id,
            "Name": "Virtual CD", "MediaTypes": ["CD", "DVD"], "Image": media["Image"],
            "ImageName": media["ImageName"], "Inserted": media["Inserted"],
            "WriteProtected": media["WriteProtected"], "ConnectedVia": media["ConnectedVia"],
            "Actions": {"#VirtualMedia.InsertMedia": {"target": f"{uri}/Actions/VirtualMedia.InsertMedia"},
                        "#VirtualMedia.EjectMedia": {"target": f"{uri}/Actions/VirtualMedia.EjectMedia"}}}


def render_entry(entry):
    return {"@odata.id": f"{EVENT_LOG}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_21_0.LogEntry",
            "Id": entry["Id"], "Name": f"Log Entry {entry['Id']}", "EntryType": "Event",
            "Created": entry["Created"], "Severity": entry["Severity"], "Message": entry["Message"],
            "MessageId": entry["MessageId"], "MessageArgs": entry["MessageArgs"]}


async def list_managers(request, bmc):
    return reply(collection(f"{V1}/Managers", "#ManagerCollection.ManagerCollection", "Manager Collection",
                            [MANAGER_URI]), request=request)


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


async def list_media(request, bmc):
    return reply(collection(MEDIA, "#VirtualMediaCollection.VirtualMediaCollection", "Virtual Media Collection",
                            [f"{MEDIA}/{m}" for m in bmc.state["virtual_media"]]), request=request)


def _media(bmc, media_id):
    media = bmc.state["virtual_media"].get(media_id)
    if media is None:
        raise not_found("VirtualMedia", media_id)
    return media


async def get_media(request, bmc, media_id):
    return reply(render_media(media_id, _media(bmc, media_id)), request=request)


async def insert_media(request, bmc, media_id):
    require(request, "ConfigureManager")
    media = _media(bmc, media_id)
    body = await read_object(request)
    action = "VirtualMedia.InsertMedia"
    problems = [message("ActionParameterUnknown", action, k) for k in body if k not in INSERT_PARAMS]
    problems += [message("ActionParameterValueTypeError", "(hidden)" if k == "Password" else v, k, action)
                 for k, v in body.items() if k in INSERT_PARAMS and not isinstance(v, INSERT_PARAMS[k])]
    if "Image" not in body:
        problems.append(message("ActionParameterMissing", action, "Image"))
    elif isinstance(body["Image"], str) and urlparse(body["Image"]).scheme not in ("http", "https", "nfs", "smb", "cifs"):
        problems.append(message("ActionParameterValueFormatError", body["Image"], "Image", action))
    if problems:
        raise RedfishError(400, problems)
    if media["Inserted"]:
        raise RedfishError.of(409, "ResourceInUse")
    image = body["Image"]
    media.update(Image=image, ImageName=urlparse(image).path.rsplit("/", 1)[-1], Inserted=body.get("Inserted", True),
                 WriteProtected=body.get("WriteProtected", True), ConnectedVia="URI")
    bmc.log("OK", f"Virtual media inserted: {media['ImageName']}")
    return no_content()


async def eject_media(request, bmc, media_id):
    require(request, "ConfigureManager")
    media = _media(bmc, media_id)
    body = await read_object(request, allow_empty=True)
    if body:
        raise RedfishError(400, [message("ActionParameterUnknown", "VirtualMedia.EjectMedia", k) for k in body])
    media.update(Image=None, ImageName=None, Inserted=False, ConnectedVia="NotConnected")
    bmc.log("OK", "Virtual media ejected")
    return no_content()


async def list_log_services(request, bmc):
    return reply(collection(LOGS, "#LogServiceCollection.LogServiceCollection", "Log Service Collection",
                            [EVENT_LOG]), request=request)


async def get_log_service(request, bmc):
    return reply({"@odata.id": EVENT_LOG, "@odata.type": "#LogService.v1_9_0.LogService", "Id": "EventLog",
                  "Name": "System Event Log", "ServiceEnabled": True, "MaxNumberOfRecords": 500,
                  "OverWritePolicy": "WrapsWhenFull", "DateTime": now_iso(), "LogEntryType": "Event",
                  "Status": {"State": "Enabled", "Health": "OK"}, "Entries": {"@odata.id": f"{EVENT_LOG}/Entries"},
                  "Actions": {"#LogService.ClearLog": {"target": f"{EVENT_LOG}/Actions/LogService.ClearLog"}}},
                 request=request)


async def list_entries(request, bmc):
    entries = bmc.state["logs"]
    body = collection(f"{EVENT_LOG}/Entries", "#LogEntryCollection.LogEntryCollection", "Log Entries", [])
    body["Members"] = [render_entry(e) for e in entries]
    body["Members@odata.count"] = len(entries)
    return reply(body, request=request)


async def get_entry(request, bmc, entry_id):
    entry = next((e for e in bmc.state["logs"] if e["Id"] == entry_id), None)
    if entry is None:
        raise not_found("LogEntry", entry_id)
    return reply(render_entry(entry), request=request)


async def clear_log(request, bmc):
    require(request, "ConfigureComponents")
    await read_object(request, allow_empty=True)
    bmc.state["logs"] = []
    bmc.save()
    return no_content()


ROUTES = [
    (f"{V1}/Managers", {"GET": list_managers}),
    (MANAGER_URI, {"GET": get_manager}),
    (MEDIA, {"GET": list_media}),
    (MEDIA + "/{media_id}", {"GET": get_media}),
    (MEDIA + "/{media_id}/Actions/VirtualMedia.InsertMedia", {"POST": insert_media}),
    (MEDIA + "/{media_id}/Actions/VirtualMedia.EjectMedia", {"POST": eject_media}),
    (LOGS, {"GET": list_log_services}),
    (EVENT_LOG, {"GET": get_log_service}),
    (f"{EVENT_LOG}/Entries", {"GET": list_entries}),
    (f"{EVENT_LOG}/Entries" + "/{entry_id}", {"GET": get_entry}),
    (f"{EVENT_LOG}/Actions/LogService.ClearLog", {"POST": clear_log}),
]
