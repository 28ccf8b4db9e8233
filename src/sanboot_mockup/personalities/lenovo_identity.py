"""Who the BMC says it is (capture): the service root's Vendor "Lenovo", the Manager `Managers/1`
"Lenovo XClarity Controller" (XCC2's "... Controller 2" is UNCONFIRMED) with XCC's firmware string
"<build> <version> <date>"."""
from ..http import reply
from ..resources import managers, root
from .lenovo_names import BUILD, BUILD_DATE, is_xcc2


def model(cfg):
    return "Lenovo XClarity Controller 2" if is_xcc2(cfg) else "Lenovo XClarity Controller"


def render_root(bmc):
    body = root.render_root(bmc)
    body.update(Name="Root Service", Vendor="Lenovo")
    return body


def render_manager(bmc):
    body = managers.render_manager(bmc)
    body.update(Name="Manager", Model=model(bmc.cfg), FirmwareVersion=f"{BUILD} {bmc.cfg.firmware} {BUILD_DATE}",
                DateTimeLocalOffset="+00:00")
    return body


async def get_root(request, bmc):
    return reply(render_root(bmc), request=request)


async def get_manager(request, bmc):
    return reply(render_manager(bmc), request=request)


def routes(ids):
    found = [(path, {"GET": get_root}) if path == root.V1 else (path, handlers) for path, handlers in root.routes(ids)]
    return found + [("/redfish/v1/Managers", {"GET": managers.list_managers}), (ids.manager_uri, {"GET": get_manager})]
