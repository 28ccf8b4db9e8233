"""iLO's NetworkAdapters: MAC addresses in lower case (capture). On iLO 5, and for a port without
NIC-firmware iSCSI, no iSCSIBoot (capture). On iLO 6 a port with it is a DCi/RDE adapter function:
a DMTF iSCSIBoot and a `Settings` object applied at the next reset (vendors.md 2.1B)."""
from .. import settings
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, read_object, reply, require, without_annotations
from ..resources import network
from . import hpe_settings
from .hpe_names import is_ilo6, nic_boot, slot_port

CHAP_LENGTHS = (0, 12, 16)  # "Must be 0, 12, or 16 characters" (doc)


def is_dci(bmc, port):
    return is_ilo6(bmc.cfg) and port.iscsi


def _lower_mac(body, port):
    body["Ethernet"].update(MACAddress=port.mac.lower(), PermanentMACAddress=port.mac.lower())
    body["Name"] = "NetworkDeviceFunction"
    return body


def render_function(bmc, nic, port):
    if is_dci(bmc, port):
        return _lower_mac(network.render_function(bmc, nic, port), port)
    body = network.function_body(bmc, nic, port, bmc.state["functions"][f"{nic.id}/{port.id}"],
                                 network.function_uri(bmc, nic.id, port.id))
    del body["iSCSIBoot"]
    body["NetDevFuncCapabilities"] = ["Ethernet"]
    # Its boot protocol is what the BIOS says of the port; the software initiator is not the NIC's.
    k, j, _n, _p = slot_port(bmc.cfg, f"{nic.id}/{port.id}")
    body["BootMode"] = "PXE" if bmc.state["hpe"]["bios"].get(nic_boot(k, j)) == "NetworkBoot" else "Disabled"
    return _lower_mac(body, port)


def _dci(bmc, nic_id, port_id):
    nic, port = bmc.nic(nic_id), bmc.port(nic_id, port_id)
    if nic is None or port is None:
        raise not_found("NetworkDeviceFunction", port_id)
    return nic, port


async def get_function(request, bmc, nic_id, port_id):
    nic, port = _dci(bmc, nic_id, port_id)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    return reply(render_function(bmc, nic, port), request=request, revision=function.get("rev"))


async def get_settings(request, bmc, nic_id, port_id):
    nic, port = _dci(bmc, nic_id, port_id)
    if not is_dci(bmc, port):
        raise not_found("Settings", f"{nic_id}/{port_id}")
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = _lower_mac(network.render_settings(bmc, nic, port), port)
    return reply(body, request=request, revision=function.get("pending_rev"))


def _chap_problems(props):
    boot = props.get("iSCSIBoot") if isinstance(props.get("iSCSIBoot"), dict) else {}
    secret = boot.get("CHAPSecret")
    if isinstance(secret, str) and len(secret) not in CHAP_LENGTHS:
        return [message("PropertyValueFormatError", "(hidden)", "iSCSIBoot/CHAPSecret", related=["#/iSCSIBoot/CHAPSecret"])]
    return []


async def patch_settings(request, bmc, nic_id, port_id):
    require(request, "ConfigureComponents")
    nic, port = _dci(bmc, nic_id, port_id)
    if not is_dci(bmc, port):
        raise not_found("Settings", f"{nic_id}/{port_id}")
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = await read_object(request)
    check_if_match(request, network.render_settings(bmc, nic, port), function.get("pending_rev"))
    network.read_apply_time(bmc, body)  # OnReset is all iLO offers (capture)
    props = without_annotations(body)
    problems = network.check_values(bmc, port, props) or _chap_problems(props)
    if problems:
        raise RedfishError(400, problems)
    settings.stage(function, network.values_only(props), "OnReset")
    function["pending_rev"] = function.get("pending_rev", 0) + 1
    bmc.save()
    return hpe_settings.reset_required()


def apply(bmc):
    for function in bmc.state["functions"].values():
        if function.get("pending"):
            settings.apply_pending(function)


def routes(ids):
    adapters = ids.adapters_uri
    functions = adapters + "/{nic_id}/NetworkDeviceFunctions"
    return network.chassis_routes(ids) + network.interface_routes(ids) + [
        (adapters, {"GET": network.list_adapters}),
        (adapters + "/{nic_id}", {"GET": network.get_adapter}),
        (functions, {"GET": network.list_functions}),
        (functions + "/{port_id}", {"GET": get_function}),
        (functions + "/{port_id}/Settings", {"GET": get_settings, "PATCH": patch_settings}),
    ]
