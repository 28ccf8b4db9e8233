"""Manager with VirtualMedia (InsertMedia, EjectMedia) and the system's event log."""
from urllib.parse import urlparse

from ..clock import now_iso
from ..errors import RedfishError, message, not_found
from ..http import collection, no_content, read_object, reply, require
from . import V1



def _event_log(bmc):
    return f"{bmc.ids.system_uri}/LogServices/EventLog"
INSERT_PARAMS = {"Image": str, "Inserted": bool, "WriteProtected": bool, "TransferProtocolType": str,
                 "TransferMethod": str, "UserName": str, "Password": str}


def render_manager(bmc):
    ids = bmc.ids
    return {"@odata.id": ids.manager_uri, "@odata.type": "#Manager.v1_24_0.Manager", "Id": ids.manager,
            "Name": "Baseboard Management Controller", "ManagerType": "BMC", "FirmwareVersion": bmc.cfg.firmware,
            "Model": f"{bmc.cfg.manufacturer} BMC", "UUID": bmc.uuid, "DateTime": now_iso(),
            "PowerState": "On", "Status": {"State": "Enabled", "Health": "OK"},
            "Links": {"ManagerForServers": [{"@odata.id": ids.system_uri}],
                      "ManagerForChassis": [{"@odata.id": ids.chassis_uri}]}}


def render_media(bmc, media_id, media):
    uri = f"{bmc.ids.media_uri}/{media_id}"
    return {"@odata.id": uri, "@odata.type": "#VirtualMedia.v1_6_5.VirtualMedia", "Id": media_id,
            "Name": "Virtual CD", "MediaTypes": ["CD", "DVD"], "Image": media["Image"],
            "ImageName": media["ImageName"], "Inserted": media["Inserted"],
            "WriteProtected": media["WriteProtected"], "ConnectedVia": media["ConnectedVia"],
            "Actions": {"#VirtualMedia.InsertMedia": {"target": f"{uri}/Actions/VirtualMedia.InsertMedia"},
                        "#VirtualMedia.EjectMedia": {"target": f"{uri}/Actions/VirtualMedia.EjectMedia"}}}


def render_entry(bmc, entry):
    return {"@odata.id": f"{_event_log(bmc)}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_21_0.LogEntry",
            "Id": entry["Id"], "Name": f"Log Entry {entry['Id']}", "EntryType": "Event",
            "Created": entry["Created"], "Severity": entry["Severity"], "Message": entry["Message"],
            "MessageId": entry["MessageId"], "MessageArgs": entry["MessageArgs"]}


async def list_managers(request, bmc):
    return reply(collection(f"{V1}/Managers", "#ManagerCollection.ManagerCollection", "Manager Collection",
                            [bmc.ids.manager_uri]), request=request)


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


async def list_media(request, bmc):
    uri = bmc.ids.media_uri
    return reply(collection(uri, "#VirtualMediaCollection.VirtualMediaCollection", "Virtual Media Collection",
                            [f"{uri}/{bmc.ids.media_id(m)}" for m in bmc.state["virtual_media"]]), request=request)


def find_media(bmc, media_id):
    media = bmc.state["virtual_media"].get(bmc.ids.media.get(media_id, ""))
    if media is None:
        raise not_found("VirtualMedia", media_id)
    return media


async def get_media(request, bmc, media_id):
    return reply(render_media(bmc, media_id, find_media(bmc, media_id)), request=request)


async def insert_media(request, bmc, media_id):
    require(request, "ConfigureManager")
    media = find_media(bmc, media_id)
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
    media = find_media(bmc, media_id)
    body = await read_object(request, allow_empty=True)
    if body:
        raise RedfishError(400, [message("ActionParameterUnknown", "VirtualMedia.EjectMedia", k) for k in body])
    media.update(Image=None, ImageName=None, Inserted=False, ConnectedVia="NotConnected")
    bmc.log("OK", "Virtual media ejected")
    return no_content()


async def list_log_services(request, bmc):
    return reply(collection(f"{bmc.ids.system_uri}/LogServices", "#LogServiceCollection.LogServiceCollection",
                            "Log Service Collection", [_event_log(bmc)]), request=request)


async def get_log_service(request, bmc):
    event_log = _event_log(bmc)
    return reply({"@odata.id": event_log, "@odata.type": "#LogService.v1_9_0.LogService", "Id": "EventLog",
                  "Name": "System Event Log", "ServiceEnabled": True, "MaxNumberOfRecords": 500,
                  "OverWritePolicy": "WrapsWhenFull", "DateTime": now_iso(), "LogEntryType": "Event",
                  "Status": {"State": "Enabled", "Health": "OK"}, "Entries": {"@odata.id": f"{event_log}/Entries"},
                  "Actions": {"#LogService.ClearLog": {"target": f"{event_log}/Actions/LogService.ClearLog"}}},
                 request=request)


async def list_entries(request, bmc):
    entries = bmc.state["logs"]
    body = collection(f"{_event_log(bmc)}/Entries", "#LogEntryCollection.LogEntryCollection", "Log Entries", [])
    body["Members"] = [render_entry(bmc, e) for e in entries]
    body["Members@odata.count"] = len(entries)
    return reply(body, request=request)


async def get_entry(request, bmc, entry_id):
    entry = next((e for e in bmc.state["logs"] if e["Id"] == entry_id), None)
    if entry is None:
        raise not_found("LogEntry", entry_id)
    return reply(render_entry(bmc, entry), request=request)


async def clear_log(request, bmc):
    require(request, "ConfigureComponents")
    await read_object(request, allow_empty=True)
    bmc.state["logs"] = []
    bmc.save()
    return no_content()


def manager_routes(ids):
    return [(f"{V1}/Managers", {"GET": list_managers}), (ids.manager_uri, {"GET": get_manager})]


def media_routes(ids):
    media = ids.media_uri
    return [
        (media, {"GET": list_media}),
        (media + "/{media_id}", {"GET": get_media}),
        (media + "/{media_id}/Actions/VirtualMedia.InsertMedia", {"POST": insert_media}),
        (media + "/{media_id}/Actions/VirtualMedia.EjectMedia", {"POST": eject_media}),
    ]


def log_routes(ids):
    logs = f"{ids.system_uri}/LogServices"
    return [
        (logs, {"GET": list_log_services}),
        (f"{logs}/EventLog", {"GET": get_log_service}),
        (f"{logs}/EventLog/Entries", {"GET": list_entries}),
        (f"{logs}/EventLog/Entries" + "/{entry_id}", {"GET": get_entry}),
        (f"{logs}/EventLog/Actions/LogService.ClearLog", {"POST": clear_log}),
    ]


def routes(ids):
    return manager_routes(ids) + media_routes(ids) + log_routes(ids)
