"""Supermicro's service root and Manager (X13 capture): the root has no `Vendor` but an `Oem.Supermicro`
section (the capture's links a DumpService the mockup does not serve); the Manager is `Managers/1`,
Model "ASPEED", FirmwareVersion the BMC's (11.01.01), with the virtual media under it."""
from ..http import reply
from ..resources import managers, root


def render_root(bmc):
    body = root.render_root(bmc)
    del body["Vendor"], body["Product"]
    body["Oem"] = {"Supermicro": {}}
    return body


async def get_root(request, bmc):
    return reply(render_root(bmc), request=request)


def render_manager(bmc):
    body = managers.render_manager(bmc)
    body.update(Name="Manager", Description="BMC", Model="ASPEED", DateTimeLocalOffset="+00:00",
                VirtualMedia={"@odata.id": bmc.ids.media_uri})
    return body


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


def routes(ids):
    found = [(path, {"GET": get_root}) if path == root.V1 else (path, handlers) for path, handlers in root.routes(ids)]
    found += [("/redfish/v1/Managers", {"GET": managers.list_managers}), (ids.manager_uri, {"GET": get_manager})]
    return found + managers.media_routes(ids)
