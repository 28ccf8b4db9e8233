"""Dell NICs: adapters and functions by FQDD under /Chassis, their SettingsObject under /Systems
(NICConfiguration jobs), DellNetworkAttributes with iSCSIBootSupport, and iSCSIBoot read back
with secrets and unset strings null and unset addresses "0.0.0.0". iDRAC9 6.x (NetworkDeviceFunction
v1_7_0 in the capture) has no MutualCHAPUsername/MutualCHAPSecret: not shown, a PATCH of them refused."""
from .. import settings
from ..errors import RedfishError, message, not_found
from ..http import collection, reply, require
from ..resources import network
from . import dell_jobs
from .dell_apply_time import read_settings_patch
from .dell_names import SYSTEM, description, firmware_major

ADDRESSES = ("InitiatorIPAddress", "InitiatorNetmask", "InitiatorDefaultGateway", "PrimaryDNS", "PrimaryTargetIPAddress")
SETTINGS_BASE = f"/redfish/v1/Systems/{SYSTEM}/NetworkAdapters"
MUTUAL = ("MutualCHAPUsername", "MutualCHAPSecret")


def has_mutual_chap(cfg):
    """Whether iSCSIBoot has the MutualCHAP* properties: not on iDRAC9 6.x (capture 6.00.30); on 7.x
    and iDRAC10 (UNCONFIRMED, docs/personalities.md). Mutual CHAP on 6.x: the BIOS initiator."""
    return cfg.personality != "idrac9" or firmware_major(cfg) >= 7


def target(nic, port):
    return f"nic:{nic.id}/{port.id}"


def settings_uri(nic, port):
    return f"{SETTINGS_BASE}/{nic.id}/NetworkDeviceFunctions/{port.id}/Settings"


def attributes_uri(bmc, nic, port):
    return f"{network.function_uri(bmc, nic.id, port.id)}/Oem/Dell/DellNetworkAttributes/{port.id}"


def _iscsi(bmc, port, values):
    if not port.iscsi:
        return {}  # NIC firmware without iSCSI boot: iDRAC shows an empty object (capture)
    shown = {}
    hidden = () if has_mutual_chap(bmc.cfg) else MUTUAL
    for key, value in values.items():
        if key.startswith("Secondary") or key == "RouterAdvertisementEnabled" or key in hidden:
            continue
        if key in ADDRESSES:
            value = value or "0.0.0.0"
        elif key in ("CHAPSecret", "MutualCHAPSecret") or value == "":
            value = None
        shown[key] = value
    return shown


def _body(bmc, nic, port, values, uri):
    body = network.function_body(bmc, nic, port, values, uri)
    del body["DeviceEnabled"]  # not in iDRAC's function nor its settings (capture)
    body["NetDevFuncCapabilities"] = ["Disabled", "Ethernet", "iSCSI"] if port.iscsi else ["Disabled", "Ethernet"]
    body["iSCSIBoot"] = _iscsi(bmc, port, values["iSCSIBoot"])
    body["Name"] = "NetworkDeviceFunction"
    body["Description"] = "NetworkDeviceFunction"
    return body


def render_function(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = _body(bmc, nic, port, function, network.function_uri(bmc, nic.id, port.id))
    # The Oem section is the function's only; its SettingsObject has none (capture).
    body["Oem"] = {"Dell": {"@odata.type": "#DellOem.v1_3_0.DellOemResources", "DellNIC": {
        "@odata.type": "#DellNIC.v1_5_0.DellNIC", "Id": port.id, "FQDD": port.id,
        "DeviceDescription": description(port.id), "ProductName": f"{nic.model} - {port.mac}"}}}
    body["@Redfish.Settings"] = {"@odata.type": "#Settings.v1_3_3.Settings",
                                "SettingsObject": {"@odata.id": settings_uri(nic, port)},
                                "SupportedApplyTimes": list(bmc.cfg.supported_apply_times)}
    body["Links"] = {"Oem": {"Dell": {"@odata.type": "#DellOem.v1_3_0.DellOemLinks",
                                      "DellNetworkAttributes": {"@odata.id": attributes_uri(bmc, nic, port)}}}}
    return body


def render_settings(bmc, nic, port):
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    return _body(bmc, nic, port, settings.merged_view(function), settings_uri(nic, port))


def _lookup(bmc, nic_id, port_id):
    nic, port = bmc.nic(nic_id), bmc.port(nic_id, port_id)
    if nic is None or port is None:
        raise not_found("NetworkDeviceFunction", port_id)
    return nic, port


async def get_adapter(request, bmc, nic_id):
    nic = bmc.nic(nic_id)
    if nic is None:
        raise not_found("NetworkAdapter", nic_id)
    body = network.render_adapter(bmc, nic)
    body.update(Name="Network Adapter View", Description="Network Adapter View")
    return reply(body, request=request)


async def get_function(request, bmc, nic_id, port_id):
    return reply(render_function(bmc, *_lookup(bmc, nic_id, port_id)), request=request)


async def get_settings(request, bmc, nic_id, port_id):
    return reply(render_settings(bmc, *_lookup(bmc, nic_id, port_id)), request=request)


async def patch_settings(request, bmc, nic_id, port_id):
    require(request, "ConfigureComponents")
    nic, port = _lookup(bmc, nic_id, port_id)
    props, when = await read_settings_patch(request, bmc.cfg.supported_apply_times)
    dell_jobs.refuse_if_pending(bmc, target(nic, port))
    problems = _unknown(bmc, props) or (network.check_values(bmc, port, props) if props else [])
    if not problems and "iSCSIBoot" in props and not port.iscsi:
        problems = [message("PropertyNotWritable", "iSCSIBoot", related=["#/iSCSIBoot"])]
    if problems:
        raise RedfishError(400, problems)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    if props:
        settings.stage(function, network.values_only(props), when or "OnReset")
    bmc.save()
    if when is None:
        return reply(render_settings(bmc, nic, port), request=request)
    return dell_jobs.accepted(dell_jobs.create(bmc, "NICConfiguration", target(nic, port), settings_uri(nic, port),
                                               f"Configure: {port.id}"))


def _unknown(bmc, props):
    """iDRAC9 6.x refuses MutualCHAP* as it refuses any property its schema lacks."""
    boot = props.get("iSCSIBoot")
    if has_mutual_chap(bmc.cfg) or not isinstance(boot, dict):
        return []
    return [message("PropertyUnknown", f"iSCSIBoot.{key}", related=[f"#/iSCSIBoot/{key}"])
            for key in MUTUAL if key in boot]


async def get_attributes(request, bmc, nic_id, port_id, fqdd):
    nic, port = _lookup(bmc, nic_id, port_id)
    if fqdd != port.id:
        raise not_found("DellNetworkAttributes", fqdd)
    function = bmc.state["functions"][f"{nic.id}/{port.id}"]
    body = {"@odata.id": attributes_uri(bmc, nic, port), "@odata.type": "#DellAttributes.v1_0_0.DellAttributes",
            "Id": port.id, "Name": "DellNetworkAttributes", "AttributeRegistry": f"NetworkAttributeRegistry_{port.id}",
            "Description": "DellNetworkAttributes represents the Network device attribute details.",
            "Attributes": {"MacAddr": port.mac, "VirtMacAddr": port.mac, "PXEBootSupport": "Available",
                           "iSCSIBootSupport": "Available" if port.iscsi else "Unavailable",
                           "iSCSIOffloadSupport": "Unavailable",
                           "LegacyBootProto": {"iSCSI": "iSCSI", "PXE": "PXE"}.get(function["BootMode"], "NONE")}}
    return reply(body, request=request)


def discard(bmc, key):
    bmc.state["functions"][key]["pending"] = None


def apply(bmc, key):
    """The NICConfiguration job runs. A port given a target starts booting iSCSI even where the
    PATCH named no BootMode (iDRAC has no such property to set; UNCONFIRMED, see the contract)."""
    function = bmc.state["functions"][key]
    named_mode = "BootMode" in ((function.get("pending") or {}).get("values") or {})
    settings.apply_pending(function)
    if not named_mode and function["iSCSIBoot"].get("PrimaryTargetName"):
        function["BootMode"] = "iSCSI"


def routes(ids):
    adapters = ids.adapters_uri
    functions = adapters + "/{nic_id}/NetworkDeviceFunctions"
    return network.chassis_routes(ids) + network.interface_routes(ids) + [
        (adapters, {"GET": network.list_adapters}),
        (adapters + "/{nic_id}", {"GET": get_adapter}),
        (functions, {"GET": network.list_functions}),
        (functions + "/{port_id}", {"GET": get_function}),
        (functions + "/{port_id}/Oem/Dell/DellNetworkAttributes/{fqdd}", {"GET": get_attributes}),
        (SETTINGS_BASE + "/{nic_id}/NetworkDeviceFunctions/{port_id}/Settings",
         {"GET": get_settings, "PATCH": patch_settings}),
    ]
