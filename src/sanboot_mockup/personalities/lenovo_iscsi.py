"""XCC's NetworkDeviceFunctions and their `Pending` objects (doc): on an iSCSI-capable adapter the
function has `iSCSIBoot` and `@Redfish.Settings` -> `.../<p.l>/Pending`; PATCHing Pending stages the
iSCSI values for the next reset (200 RebootRequired); a capture-like adapter (`iscsi: false`) has
neither. Pending's GET is the whole function as it will be (doc: Pending holds the full set)."""
from .. import settings
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, collection, read_object, reply, require, without_annotations
from ..resources import network
from ..schema import check_patch
from . import lenovo_names
from .lenovo_network import adapter_uri, find_nic, function_uri
from .lenovo_settings import annotation, reboot_required

_CHAP = ("CHAPUsername", "CHAPSecret")
_MUTUAL = ("MutualCHAPUsername", "MutualCHAPSecret")


def _find(bmc, nic_id, function):
    nic = find_nic(bmc, nic_id)
    port = lenovo_names.port_of(nic, function)
    if port is None:
        raise not_found("NetworkDeviceFunction", function)
    return nic, port, bmc.state["functions"][f"{nic.id}/{port.id}"]


def _body(bmc, nic, port, values, uri):
    number = lenovo_names.physical_port(port.id)
    body = {"@odata.id": uri, "@odata.type": "#NetworkDeviceFunction.v1_11_1.NetworkDeviceFunction",
            "Id": lenovo_names.function_id(port.id),
            "Name": f"Logical Port {number}", "NetDevFuncType": "Ethernet", "DeviceEnabled": True,
            "Status": {"State": "Enabled", "Health": "OK"},
            "Ethernet": {"MACAddress": port.mac.lower(), "PermanentMACAddress": port.mac.lower(), "MTUSize": 1500},
            "Links": {"PhysicalPortAssignment": {"@odata.id": f"{adapter_uri(bmc, nic)}/NetworkPorts/{number}"},
                      "PhysicalNetworkPortAssignment": {"@odata.id": f"{adapter_uri(bmc, nic)}/Ports/{number}"}}}
    if port.iscsi:
        body.update(NetDevFuncCapabilities=["Ethernet", "iSCSI"], iSCSIBoot=network.masked_iscsi(values["iSCSIBoot"]))
    return body


def render_function(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    uri = function_uri(bmc, nic, port)
    body = _body(bmc, nic, port, function, uri)
    if port.iscsi:
        body["@Redfish.Settings"] = annotation(f"{uri}/Pending")
    return body


def render_pending(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = _body(bmc, nic, port, settings.merged_view(function), f"{function_uri(bmc, nic, port)}/Pending")
    body.update(Id="Pending", Name="Pending")
    return body


async def list_functions(request, bmc, nic_id):
    nic = find_nic(bmc, nic_id)
    return reply(collection(f"{adapter_uri(bmc, nic)}/NetworkDeviceFunctions",
                            "#NetworkDeviceFunctionCollection.NetworkDeviceFunctionCollection",
                            "NetworkDeviceFunctionCollection", [function_uri(bmc, nic, p) for p in nic.ports]),
                 request=request)


async def get_function(request, bmc, nic_id, function_id):
    nic, port, function = _find(bmc, nic_id, function_id)
    return reply(render_function(bmc, nic, port), request=request, revision=function.get("rev"))


async def patch_function(request, bmc, nic_id, function_id):
    """The current resource is read-only: changes go through Pending (doc)."""
    require(request, "ConfigureComponents")
    nic, port, function = _find(bmc, nic_id, function_id)
    body = without_annotations(await read_object(request))
    check_if_match(request, render_function(bmc, nic, port), function.get("rev"))
    raise RedfishError(400, [message("PropertyNotWritable", k, related=[f"#/{k}"]) for k in body])


def _pending_of(bmc, nic_id, function_id):
    nic, port, function = _find(bmc, nic_id, function_id)
    if not port.iscsi:
        # The capture's adapter offers no settings object for its functions.
        raise not_found("NetworkDeviceFunction", f"{function_id}/Pending")
    return nic, port, function


async def get_pending(request, bmc, nic_id, function_id):
    nic, port, function = _pending_of(bmc, nic_id, function_id)
    return reply(render_pending(bmc, nic, port), request=request, revision=function.get("pending_rev"))


def chap_problems(function, boot):
    """CHAP keys only with CHAP, the mutual ones only with MutualCHAP, judged on the method the PATCH
    leaves (doc: "can be patched only when AuthenticationMethod is CHAP"; MessageId UNCONFIRMED)."""
    method = boot.get("AuthenticationMethod", settings.merged_view(function)["iSCSIBoot"].get("AuthenticationMethod"))
    allowed = {"CHAP": _CHAP, "MutualCHAP": _CHAP + _MUTUAL}.get(method, ())
    return [message("PropertyValueConflict", key, "AuthenticationMethod", related=[f"#/iSCSIBoot/{key}"])
            for key in _CHAP + _MUTUAL if key in boot and key not in allowed]


async def patch_pending(request, bmc, nic_id, function_id):
    require(request, "ConfigureComponents")
    nic, port, function = _pending_of(bmc, nic_id, function_id)
    body = without_annotations(await read_object(request))
    check_if_match(request, render_pending(bmc, nic, port), function.get("pending_rev"))
    problems = check_patch("NetworkDeviceFunction.v1_11_1.json", "NetworkDeviceFunction", body, {"iSCSIBoot.*"})
    values = network.values_only(body)
    if not problems:
        problems = chap_problems(function, values.get("iSCSIBoot", {}))
    if problems:
        raise RedfishError(400, problems)
    settings.stage(function, values, "OnReset")
    function["pending_rev"] = function.get("pending_rev", 0) + 1
    bmc.save()
    return reboot_required(request, render_pending(bmc, nic, port), function["pending_rev"])


def apply(bmc):
    """At a reset: pending values become current; a port with a target name boots iSCSI, else PXE
    (XCC shows no BootMode; the rule is the mockup's, UNCONFIRMED)."""
    for key, function in bmc.state["functions"].items():
        if settings.apply_pending(function):
            target = function["iSCSIBoot"].get("PrimaryTargetName")
            function["BootMode"] = "iSCSI" if target else "PXE"
            bmc.log("OK", f"Pending iSCSI settings of {key} applied at reset")


def routes(ids):
    functions = ids.adapters_uri + "/{nic_id}/NetworkDeviceFunctions"
    return [
        (functions, {"GET": list_functions}),
        (functions + "/{function_id}", {"GET": get_function, "PATCH": patch_function}),
        (functions + "/{function_id}/Pending", {"GET": get_pending, "PATCH": patch_pending}),
    ]
