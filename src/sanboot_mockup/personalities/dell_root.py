"""iDRAC's service root: Vendor Dell, its product name and the Oem.Dell section detection reads;
no UUID and no ProtocolFeaturesSupported.MultipleHTTPRequests (capture 6.00.30)."""
from ..http import reply
from ..resources import root


def render_root(bmc):
    body = root.render_root(bmc)
    del body["UUID"]
    del body["ProtocolFeaturesSupported"]["MultipleHTTPRequests"]
    body.update(Vendor="Dell", Product="Integrated Dell Remote Access Controller", RedfishVersion="1.13.1",
                Oem={"Dell": {"@odata.type": "#DellServiceRoot.v1_0_0.DellServiceRoot",
                              "ServiceTag": bmc.cfg.serial[:7].upper(), "IsBranded": 0}})
    return body


async def get_root(request, bmc):
    return reply(render_root(bmc), request=request)


def routes(ids):
    return [(path, {"GET": get_root}) if path == root.V1 else (path, handlers) for path, handlers in root.routes(ids)]
