"""iLO's service root: Vendor HPE, Product the server model, Oem.Hpe naming the iLO generation
(capture)."""
from ..http import reply
from ..resources import root
from .hpe_manager import model


def render_root(bmc):
    body = root.render_root(bmc)
    body.update(Name="HPE RESTful Root Service", Vendor="HPE", Product=bmc.cfg.model,
                Oem={"Hpe": {"@odata.type": "#HpeiLOServiceExt.v2_4_0.HpeiLOServiceExt",
                             "Manager": [{"ManagerType": model(bmc.cfg), "ManagerFirmwareVersion": bmc.cfg.firmware,
                                          "Status": {"Health": "OK"}}],
                             "Moniker": {"PRODGEN": model(bmc.cfg), "VENDABR": "HPE", "BMC": "iLO"}}})
    return body


async def get_root(request, bmc):
    return reply(render_root(bmc), request=request)


def routes(ids):
    return [(path, {"GET": get_root}) if path == root.V1 else (path, handlers) for path, handlers in root.routes(ids)]
