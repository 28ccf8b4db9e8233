"""Supermicro's adapters and functions (X13 capture): `Chassis/1/NetworkAdapters/<n>`, functions `1..`
with only NetDevFuncType, DeviceEnabled, the MAC and Links: no iSCSIBoot, no BootMode, no settings
object, nothing writable (a PATCH answers 405). Chassis/1 names the baseboard."""
from ..errors import RedfishError, not_found
from ..http import reply
from ..resources import network
from .supermicro_names import BOARD


def render_adapter(bmc, nic):
    uri = f"{bmc.ids.adapters_uri}/{nic.id}"
    functions = [{"@odata.id": network.function_uri(bmc, nic.id, p.id)} for p in nic.ports]
    return {"@odata.id": uri, "@odata.type": "#NetworkAdapter.v1_5_0.NetworkAdapter", "Id": nic.id,
            "Name": "Network Adapter View", "Manufacturer": "Supermicro", "Model": nic.model,
            "NetworkDeviceFunctions": {"@odata.id": f"{uri}/NetworkDeviceFunctions"},
            "Controllers": [{"Links": {"NetworkDeviceFunctions": functions},
                             "ControllerCapabilities": {"NetworkPortCount": len(nic.ports),
                                                        "NetworkDeviceFunctionCount": len(nic.ports)}}]}


def render_function(bmc, nic, port):
    return {"@odata.id": network.function_uri(bmc, nic.id, port.id),
            "@odata.type": "#NetworkDeviceFunction.v1_5_0.NetworkDeviceFunction", "Id": port.id,
            "Name": "Network Device Function View", "NetDevFuncType": "Ethernet", "DeviceEnabled": True,
            "Ethernet": {"MACAddress": port.mac}, "Links": {}}


def _lookup(bmc, nic_id, port_id=None):
    nic = bmc.nic(nic_id)
    port = bmc.port(nic_id, port_id) if nic and port_id is not None else None
    if nic is None or (port_id is not None and port is None):
        raise not_found("NetworkAdapter" if nic is None else "NetworkDeviceFunction", port_id or nic_id)
    return nic, port


async def get_chassis(request, bmc):
    body = network.render_chassis(bmc)
    body.update(Manufacturer="Supermicro", Model=BOARD)
    return reply(body, request=request)


async def get_adapter(request, bmc, nic_id):
    return reply(render_adapter(bmc, _lookup(bmc, nic_id)[0]), request=request)


async def get_function(request, bmc, nic_id, port_id):
    return reply(render_function(bmc, *_lookup(bmc, nic_id, port_id)), request=request)


async def read_only(request, bmc, nic_id, port_id):
    _lookup(bmc, nic_id, port_id)
    raise RedfishError.of(405, "OperationNotAllowed", headers={"Allow": "GET, HEAD"})


def routes(ids):
    adapters = ids.adapters_uri
    functions = adapters + "/{nic_id}/NetworkDeviceFunctions"
    return network.interface_routes(ids) + [
        ("/redfish/v1/Chassis", {"GET": network.get_chassis_collection}), (ids.chassis_uri, {"GET": get_chassis}),
        (adapters, {"GET": network.list_adapters}),
        (adapters + "/{nic_id}", {"GET": get_adapter}),
        (functions, {"GET": network.list_functions}),
        (functions + "/{port_id}", {"GET": get_function, "PATCH": read_only}),
    ]
