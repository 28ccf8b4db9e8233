"""XCC's NetworkAdapters (capture): adapters `slot-N`/`ob-N` with functions `<port>.<logical>`, and each
port twice, as a NetworkPort (`NetworkPorts/<n>`, deprecated) and a Port (`Ports/<n>`). The functions
and their `Pending` objects are lenovo_iscsi's."""
from ..errors import not_found
from ..http import collection, reply
from ..resources import network
from .lenovo_names import function_id, physical_port, slot_number


def adapter_uri(bmc, nic):
    return f"{bmc.ids.adapters_uri}/{nic.id}"


def function_uri(bmc, nic, port):
    return f"{adapter_uri(bmc, nic)}/NetworkDeviceFunctions/{function_id(port.id)}"


def find_nic(bmc, nic_id):
    nic = bmc.nic(nic_id)
    if nic is None:
        raise not_found("NetworkAdapter", nic_id)
    return nic


def _find_port(bmc, nic_id, number):
    nic = find_nic(bmc, nic_id)
    port = next((p for p in nic.ports if physical_port(p.id) == number), None)
    if port is None:
        raise not_found("Port", number)
    return nic, port


def render_adapter(bmc, nic):
    uri = adapter_uri(bmc, nic)
    links = {"NetworkDeviceFunctions": [{"@odata.id": function_uri(bmc, nic, p)} for p in nic.ports],
             "Ports": [{"@odata.id": f"{uri}/Ports/{physical_port(p.id)}"} for p in nic.ports]}
    slot = slot_number(nic.id)
    return {"@odata.id": uri, "@odata.type": "#NetworkAdapter.v1_14_0.NetworkAdapter", "Id": nic.id, "Name": nic.model,
            "Manufacturer": nic.manufacturer, "Model": nic.model, "Status": {"State": "Enabled", "Health": "OK"},
            "Controllers": [{"ControllerCapabilities": {"NetworkDeviceFunctionCount": len(nic.ports),
                                                        "NetworkPortCount": len(nic.ports)},
                             "Location": {"PartLocation": {"ServiceLabel": f"PCIe {slot}", "LocationType": "Slot",
                                                           "LocationOrdinalValue": slot}},
                             "Links": links}],
            "NetworkDeviceFunctions": {"@odata.id": f"{uri}/NetworkDeviceFunctions"},
            "NetworkPorts": {"@odata.id": f"{uri}/NetworkPorts"}, "Ports": {"@odata.id": f"{uri}/Ports"}}


def _bare_mac(port):
    return port.mac.replace(":", "").upper()


def render_network_port(bmc, nic, port):
    uri, number = adapter_uri(bmc, nic), physical_port(port.id)
    return {"@odata.id": f"{uri}/NetworkPorts/{number}", "@odata.type": "#NetworkPort.v1_4_1.NetworkPort",
            "Id": number, "Name": f"Phyical Port {number}", "PhysicalPortNumber": number,  # sic (capture)
            "ActiveLinkTechnology": "Ethernet", "LinkStatus": "Up", "AssociatedNetworkAddresses": [_bare_mac(port)],
            "Status": {"State": "Enabled", "Health": "OK"},
            "NetDevFuncMaxBWAlloc": [{"MaxBWAllocPercent": None,
                                      "NetworkDeviceFunction": {"@odata.id": function_uri(bmc, nic, port)}}]}


def render_port(bmc, nic, port):
    uri, number = adapter_uri(bmc, nic), physical_port(port.id)
    return {"@odata.id": f"{uri}/Ports/{number}", "@odata.type": "#Port.v1_6_0.Port", "Id": number,
            "Name": f"Phyical Port {number}", "LinkNetworkTechnology": "Ethernet", "LinkStatus": "LinkUp",
            "Ethernet": {"AssociatedMACAddresses": [port.mac.lower()]}, "Status": {"State": "Enabled", "Health": "OK"},
            "FunctionMaxBandwidth": [{"AllocationPercent": None,
                                      "NetworkDeviceFunction": {"@odata.id": function_uri(bmc, nic, port)}}]}


async def list_adapters(request, bmc):
    uri = bmc.ids.adapters_uri
    return reply(collection(uri, "#NetworkAdapterCollection.NetworkAdapterCollection", "NetworkAdapterCollection",
                            [adapter_uri(bmc, n) for n in bmc.cfg.nics]), request=request)


async def get_adapter(request, bmc, nic_id):
    return reply(render_adapter(bmc, find_nic(bmc, nic_id)), request=request)


def _port_collection(kind, odata_type):
    async def handler(request, bmc, nic_id):
        nic = find_nic(bmc, nic_id)
        uri = f"{adapter_uri(bmc, nic)}/{kind}"
        return reply(collection(uri, odata_type, f"{kind}Collection", [f"{uri}/{physical_port(p.id)}" for p in nic.ports]),
                     request=request)
    return handler


async def get_network_port(request, bmc, nic_id, number):
    return reply(render_network_port(bmc, *_find_port(bmc, nic_id, number)), request=request)


async def get_port(request, bmc, nic_id, number):
    return reply(render_port(bmc, *_find_port(bmc, nic_id, number)), request=request)


def routes(ids):
    adapter = ids.adapters_uri + "/{nic_id}"
    return network.chassis_routes(ids) + [
        (ids.adapters_uri, {"GET": list_adapters}),
        (adapter, {"GET": get_adapter}),
        (adapter + "/NetworkPorts", {"GET": _port_collection("NetworkPorts", "#NetworkPortCollection.NetworkPortCollection")}),
        (adapter + "/NetworkPorts/{number}", {"GET": get_network_port}),
        (adapter + "/Ports", {"GET": _port_collection("Ports", "#PortCollection.PortCollection")}),
        (adapter + "/Ports/{number}", {"GET": get_port}),
    ]
