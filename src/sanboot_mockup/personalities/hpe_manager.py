"""iLO itself (`Managers/1`): Model "iLO 5"/"iLO 6", FirmwareVersion "iLO 5 v2.72", DateTime the
iLO's clock; virtual media under the Manager, `2` the CD and `1` the floppy/USB key (capture)."""
from ..http import collection, reply
from ..resources import managers
from .hpe_names import MANAGER_URI, is_ilo6

_MEDIA = {"Floppy": ["Floppy", "USBStick"], "CD": ["CD", "DVD"]}


def model(cfg):
    return "iLO 6" if is_ilo6(cfg) else "iLO 5"


def render_manager(bmc):
    body = managers.render_manager(bmc)
    version = f"{model(bmc.cfg)} v{bmc.cfg.firmware}"
    major, _, minor = str(bmc.cfg.firmware).partition(".")
    body.update(Name="Manager", Model=model(bmc.cfg), FirmwareVersion=version, DateTimeLocalOffset="+00:00",
                VirtualMedia={"@odata.id": bmc.ids.media_uri})
    body["Oem"] = {"Hpe": {"@odata.type": "#HpeiLO.v2_8_1.HpeiLO", "Firmware": {"Current": {
        "MajorVersion": int(major) if major.isdigit() else 0, "MinorVersion": int(minor) if minor.isdigit() else 0,
        "VersionString": version}}}}
    return body


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


async def list_media(request, bmc):
    uri = bmc.ids.media_uri
    body = collection(uri, "#VirtualMediaCollection.VirtualMediaCollection", "Virtual Media Services",
                      [f"{uri}/{media_id}" for media_id in sorted(bmc.ids.media)])
    return reply(body, request=request)


async def get_media(request, bmc, media_id):
    body = managers.render_media(bmc, media_id, managers.find_media(bmc, media_id))
    slot = bmc.ids.media[media_id]
    body.update(Name="VirtualMedia", Description="Virtual Removable Media", MediaTypes=list(_MEDIA[slot]),
                Image=body["Image"] or "")
    return reply(body, request=request)


def routes(ids):
    media = ids.media_uri
    return [
        ("/redfish/v1/Managers", {"GET": managers.list_managers}),
        (MANAGER_URI, {"GET": get_manager}),
        (media, {"GET": list_media}),
        (media + "/{media_id}", {"GET": get_media}),
        (media + "/{media_id}/Actions/VirtualMedia.InsertMedia", {"POST": managers.insert_media}),
        (media + "/{media_id}/Actions/VirtualMedia.EjectMedia", {"POST": managers.eject_media}),
    ]
