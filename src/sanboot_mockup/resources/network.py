"""Chassis, NetworkAdapters and NetworkDeviceFunctions (iSCSIBoot, BootMode, @Redfish.Settings),
and the system's NetworkInterfaces that point at them."""
from .. import settings
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, collection, etag_of, read_object, reply, require, without_annotations
from ..model import SECRET_FIELDS
from ..schema import check_patch
from . import V1
from .tasks import start_task

WRITABLE = {"BootMode", "iSCSIBoot.*"}
APPLY_TIME = "@Redfish.SettingsApplyTime"
PREFERRED_APPLY_TIME = {"ApplyTime", "MaintenanceWindowStartTime", "MaintenanceWindowDurationInSeconds"}


def masked_iscsi(boot):
    """iSCSIBoot as the Redfish service shows it: secrets always read back as null."""
    return {k: (None if k in SECRET_FIELDS else v) for k, v in boot.items()}


def function_uri(bmc, nic_id, port_id):
    return f"{bmc.ids.adapters_uri}/{nic_id}/NetworkDeviceFunctions/{port_id}"


def render_chassis(bmc):
    cfg, ids = bmc.cfg, bmc.ids
    return {"@odata.id": ids.chassis_uri, "@odata.type": "#Chassis.v1_28_0.Chassis", "Id": ids.chassis,
            "Name": f"{cfg.name} chassis", "ChassisType": "RackMount", "Manufacturer": cfg.manufacturer,
            "Model": cfg.model, "SerialNumber": cfg.serial, "PowerState": bmc.state["power"],
            "Status": {"State": "Enabled", "Health": "OK"}, "NetworkAdapters": {"@odata.id": ids.adapters_uri},
            "Links": {"ComputerSystems": [{"@odata.id": ids.system_uri}], "ManagedBy": [{"@odata.id": ids.manager_uri}]}}


def render_adapter(bmc, nic):
    uri = f"{bmc.ids.adapters_uri}/{nic.id}"
    iscsi = any(p.iscsi for p in nic.ports)
    return {"@odata.id": uri, "@odata.type": "#NetworkAdapter.v1_14_0.NetworkAdapter", "Id": nic.id,
            "Name": nic.model, "Manufacturer": nic.manufacturer, "Model": nic.model,
            "Status": {"State": "Enabled", "Health": "OK"},
            "Controllers": [{"ControllerCapabilities": {
                "NetworkDeviceFunctionCount": len(nic.ports), "NetworkPortCount": len(nic.ports),
                "DataCenterBridging": {"Capable": iscsi}}}],
            "NetworkDeviceFunctions": {"@odata.id": f"{uri}/NetworkDeviceFunctions"}}


def function_body(bmc, nic, port, values, uri):
    caps = ["Ethernet", "iSCSI"] if port.iscsi else ["Ethernet"]
    return {"@odata.id": uri, "@odata.type": "#NetworkDeviceFunction.v1_11_1.NetworkDeviceFunction",
            "Id": port.id, "Name": f"{nic.model} Port {port.id}", "NetDevFuncType": "Ethernet",
            "NetDevFuncCapabilities": caps, "DeviceEnabled": True,
            "Status": {"State": "Enabled", "Health": "OK"},
            "Ethernet": {"MACAddress": port.mac, "PermanentMACAddress": port.mac, "MTUSize": 1500},
            "BootMode": values["BootMode"], "iSCSIBoot": masked_iscsi(values["iSCSIBoot"])}


def render_function(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    uri = function_uri(bmc, nic.id, port.id)
    body = function_body(bmc, nic, port, function, uri)
    settings_body = render_settings(bmc, nic, port)
    body["@Redfish.Settings"] = {
        "@odata.type": "#Settings.v1_4_0.Settings", "SettingsObject": {"@odata.id": f"{uri}/Settings"},
        "SupportedApplyTimes": list(bmc.cfg.supported_apply_times), "Time": function["settings_time"],
        "ETag": etag_of(settings_body, function.get("pending_rev")), "Messages": function["settings_messages"]}
    return body


def render_settings(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    return function_body(bmc, nic, port, settings.merged_view(function), f"{function_uri(bmc, nic.id, port.id)}/Settings")


def _lookup(bmc, nic_id, port_id=None):
    nic = bmc.nic(nic_id)
    if nic is None:
        raise not_found("NetworkAdapter", nic_id)
    if port_id is None:
        return nic, None
    port = bmc.port(nic_id, port_id)
    if port is None:
        raise not_found("NetworkDeviceFunction", port_id)
    return nic, port


def values_only(body):
    """Annotations inside iSCSIBoot (PrimaryLUN@Redfish.AllowableNumbers, ...) describe values; they
    are not values to store and show back."""
    if isinstance(body.get("iSCSIBoot"), dict):
        body = {**body, "iSCSIBoot": {k: v for k, v in body["iSCSIBoot"].items() if "@" not in k}}
    return body


def read_apply_time(bmc, body):
    """The ApplyTime a Settings PATCH asks for (OnReset when it names none). The annotation is a
    Settings.PreferredApplyTime: clients such as sushy send its @odata.type and, for maintenance
    windows, its start time and duration along with ApplyTime."""
    value = body.pop(APPLY_TIME, None) or {}
    if not isinstance(value, dict):
        raise RedfishError.of(400, "PropertyValueTypeError", str(value), APPLY_TIME)
    unknown = [k for k in value if k not in PREFERRED_APPLY_TIME and not k.startswith("@odata.")]
    if unknown:
        raise RedfishError(400, [message("PropertyUnknown", f"{APPLY_TIME}/{k}") for k in unknown])
    when = value.get("ApplyTime", "OnReset")
    if not isinstance(when, str) or when not in bmc.cfg.supported_apply_times:
        raise RedfishError.of(400, "PropertyValueNotInList", str(when), f"{APPLY_TIME}/ApplyTime")
    return when


def check_values(bmc, port, body):
    problems = check_patch("NetworkDeviceFunction.v1_11_1.json", "NetworkDeviceFunction", body, WRITABLE)
    if not problems and body.get("BootMode") == "iSCSI" and not port.iscsi:
        problems = [message("PropertyValueNotInList", "iSCSI", "BootMode", related=["#/BootMode"])]
    # null is in the schema, but a port always boots some way: this one offers these three.
    if not problems and "BootMode" in body and body["BootMode"] not in ("Disabled", "PXE", "iSCSI"):
        shown = "null" if body["BootMode"] is None else body["BootMode"]
        problems = [message("PropertyValueNotInList", shown, "BootMode", related=["#/BootMode"])]
    return problems


async def get_chassis_collection(request, bmc):
    return reply(collection(f"{V1}/Chassis", "#ChassisCollection.ChassisCollection", "Chassis Collection",
                            [bmc.ids.chassis_uri]), request=request)


async def get_chassis(request, bmc):
    return reply(render_chassis(bmc), request=request)


async def list_adapters(request, bmc):
    uri = bmc.ids.adapters_uri
    return reply(collection(uri, "#NetworkAdapterCollection.NetworkAdapterCollection",
                            "Network Adapter Collection", [f"{uri}/{n.id}" for n in bmc.cfg.nics]),
                 request=request)


async def get_adapter(request, bmc, nic_id):
    return reply(render_adapter(bmc, _lookup(bmc, nic_id)[0]), request=request)


async def list_functions(request, bmc, nic_id):
    nic, _ = _lookup(bmc, nic_id)
    return reply(collection(f"{bmc.ids.adapters_uri}/{nic_id}/NetworkDeviceFunctions",
                            "#NetworkDeviceFunctionCollection.NetworkDeviceFunctionCollection",
                            "Network Device Function Collection", [function_uri(bmc, nic.id, p.id) for p in nic.ports]),
                 request=request)


async def get_function(request, bmc, nic_id, port_id):
    nic, port = _lookup(bmc, nic_id, port_id)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    return reply(render_function(bmc, nic, port), request=request, revision=function.get("rev"))


async def patch_function(request, bmc, nic_id, port_id):
    """PATCH on the resource itself: applies at once where the BMC supports Immediate."""
    require(request, "ConfigureComponents")
    nic, port = _lookup(bmc, nic_id, port_id)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = without_annotations(await read_object(request))
    check_if_match(request, render_function(bmc, nic, port), function.get("rev"))
    problems = check_values(bmc, port, body)
    if problems:
        raise RedfishError(400, problems)
    if "Immediate" not in bmc.cfg.supported_apply_times:
        # Such a BMC takes changes only through the SettingsObject.
        raise RedfishError.of(405, "OperationNotAllowed", headers={"Allow": "GET, HEAD"})
    settings.apply_values(function, values_only(body))
    function["rev"] = function.get("rev", 0) + 1
    bmc.save()
    return reply(render_function(bmc, nic, port), request=request, revision=function["rev"])


async def get_settings(request, bmc, nic_id, port_id):
    nic, port = _lookup(bmc, nic_id, port_id)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    return reply(render_settings(bmc, nic, port), request=request, revision=function.get("pending_rev"))


async def patch_settings(request, bmc, nic_id, port_id):
    require(request, "ConfigureComponents")
    nic, port = _lookup(bmc, nic_id, port_id)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = await read_object(request)
    check_if_match(request, render_settings(bmc, nic, port), function.get("pending_rev"))
    when = read_apply_time(bmc, body)
    body = without_annotations(body)
    problems = check_values(bmc, port, body)
    if problems:
        raise RedfishError(400, problems)
    settings.stage(function, values_only(body), when)
    function["pending_rev"] = function.get("pending_rev", 0) + 1
    bmc.save()
    if when == "Immediate":
        return start_task(bmc, f"Apply settings to {function_uri(bmc, nic.id, port.id)}", lambda: _apply_now(bmc, function))
    return reply(render_settings(bmc, nic, port), request=request, revision=function["pending_rev"])


def _apply_now(bmc, function):
    settings.apply_pending(function)
    bmc.save()


async def list_interfaces(request, bmc):
    uri = f"{bmc.ids.system_uri}/NetworkInterfaces"
    return reply(collection(uri, "#NetworkInterfaceCollection.NetworkInterfaceCollection",
                            "Network Interface Collection", [f"{uri}/{n.id}" for n in bmc.cfg.nics]), request=request)


async def get_interface(request, bmc, nic_id):
    nic, _ = _lookup(bmc, nic_id)
    uri = f"{bmc.ids.system_uri}/NetworkInterfaces/{nic.id}"
    return reply({"@odata.id": uri, "@odata.type": "#NetworkInterface.v1_2_3.NetworkInterface", "Id": nic.id,
                  "Name": nic.model, "Status": {"State": "Enabled", "Health": "OK"},
                  "NetworkDeviceFunctions": {"@odata.id": f"{uri}/NetworkDeviceFunctions"},
                  "Links": {"NetworkAdapter": {"@odata.id": f"{bmc.ids.adapters_uri}/{nic.id}"}}}, request=request)


async def list_interface_functions(request, bmc, nic_id):
    nic, _ = _lookup(bmc, nic_id)
    return reply(collection(f"{bmc.ids.system_uri}/NetworkInterfaces/{nic.id}/NetworkDeviceFunctions",
                            "#NetworkDeviceFunctionCollection.NetworkDeviceFunctionCollection",
                            "Network Device Function Collection", [function_uri(bmc, nic.id, p.id) for p in nic.ports]),
                 request=request)


def chassis_routes(ids):
    return [(f"{V1}/Chassis", {"GET": get_chassis_collection}), (ids.chassis_uri, {"GET": get_chassis})]


def interface_routes(ids):
    interfaces = f"{ids.system_uri}/NetworkInterfaces"
    return [
        (interfaces, {"GET": list_interfaces}),
        (interfaces + "/{nic_id}", {"GET": get_interface}),
        (interfaces + "/{nic_id}/NetworkDeviceFunctions", {"GET": list_interface_functions}),
    ]


def routes(ids):
    adapters = ids.adapters_uri
    functions = adapters + "/{nic_id}/NetworkDeviceFunctions"
    return chassis_routes(ids) + interface_routes(ids) + [
        (adapters, {"GET": list_adapters}),
        (adapters + "/{nic_id}", {"GET": get_adapter}),
        (functions, {"GET": list_functions}),
        (functions + "/{port_id}", {"GET": get_function, "PATCH": patch_function}),
        (functions + "/{port_id}/Settings", {"GET": get_settings, "PATCH": patch_settings}),
    ]
