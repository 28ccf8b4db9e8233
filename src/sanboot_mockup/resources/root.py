"""Service root, the version document, the OData service document and $metadata."""
from aiohttp import web

from .. import __version__, expand
from ..http import reply
from . import V1

# (CSDL file, namespaces) for every type the service returns; $metadata references exactly these.
SCHEMAS = [
    ("ServiceRoot_v1.xml", ["ServiceRoot", "ServiceRoot.v1_20_0"]),
    ("SessionService_v1.xml", ["SessionService", "SessionService.v1_2_0"]),
    ("Session_v1.xml", ["Session", "Session.v1_8_0"]),
    ("SessionCollection_v1.xml", ["SessionCollection"]),
    ("AccountService_v1.xml", ["AccountService", "AccountService.v1_18_1"]),
    ("ManagerAccount_v1.xml", ["ManagerAccount", "ManagerAccount.v1_14_1"]),
    ("ManagerAccountCollection_v1.xml", ["ManagerAccountCollection"]),
    ("Role_v1.xml", ["Role", "Role.v1_3_3"]),
    ("RoleCollection_v1.xml", ["RoleCollection"]),
    ("ComputerSystem_v1.xml", ["ComputerSystem", "ComputerSystem.v1_27_0"]),
    ("ComputerSystemCollection_v1.xml", ["ComputerSystemCollection"]),
    ("BootOption_v1.xml", ["BootOption", "BootOption.v1_0_6"]),
    ("BootOptionCollection_v1.xml", ["BootOptionCollection"]),
    ("Chassis_v1.xml", ["Chassis", "Chassis.v1_28_0"]),
    ("ChassisCollection_v1.xml", ["ChassisCollection"]),
    ("NetworkAdapter_v1.xml", ["NetworkAdapter", "NetworkAdapter.v1_14_0"]),
    ("NetworkAdapterCollection_v1.xml", ["NetworkAdapterCollection"]),
    ("NetworkDeviceFunction_v1.xml", ["NetworkDeviceFunction", "NetworkDeviceFunction.v1_11_1"]),
    ("NetworkDeviceFunctionCollection_v1.xml", ["NetworkDeviceFunctionCollection"]),
    ("NetworkInterface_v1.xml", ["NetworkInterface", "NetworkInterface.v1_2_3"]),
    ("NetworkInterfaceCollection_v1.xml", ["NetworkInterfaceCollection"]),
    ("Manager_v1.xml", ["Manager", "Manager.v1_24_0"]),
    ("ManagerCollection_v1.xml", ["ManagerCollection"]),
    ("VirtualMedia_v1.xml", ["VirtualMedia", "VirtualMedia.v1_6_5"]),
    ("VirtualMediaCollection_v1.xml", ["VirtualMediaCollection"]),
    ("LogService_v1.xml", ["LogService", "LogService.v1_9_0"]),
    ("LogServiceCollection_v1.xml", ["LogServiceCollection"]),
    ("LogEntry_v1.xml", ["LogEntry", "LogEntry.v1_21_0"]),
    ("LogEntryCollection_v1.xml", ["LogEntryCollection"]),
    ("TaskService_v1.xml", ["TaskService", "TaskService.v1_3_0"]),
    ("Task_v1.xml", ["Task", "Task.v1_7_4"]),
    ("TaskCollection_v1.xml", ["TaskCollection"]),
    ("Settings_v1.xml", ["Settings", "Settings.v1_4_0"]),
    ("Message_v1.xml", ["Message", "Message.v1_3_0"]),
    ("Resource_v1.xml", ["Resource", "Resource.v1_23_0"]),
    ("RedfishExtensions_v1.xml", ["RedfishExtensions.v1_0_0"]),
]
_DMTF = "http://redfish.dmtf.org/schemas/v1/"


def _metadata_xml():
    refs = []
    for file_name, namespaces in SCHEMAS:
        includes = "".join(f'<edmx:Include Namespace="{ns}"/>' for ns in namespaces)
        refs.append(f'  <edmx:Reference Uri="{_DMTF}{file_name}">{includes}</edmx:Reference>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">\n'
            + "\n".join(refs) + "\n"
            '  <edmx:DataServices>\n'
            '    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">\n'
            '      <EntityContainer Name="Service" Extends="ServiceRoot.v1_20_0.ServiceContainer"/>\n'
            '    </Schema>\n'
            '  </edmx:DataServices>\n'
            '</edmx:Edmx>\n')


METADATA = _metadata_xml()
TOP_LEVEL = {"Systems": "Systems", "Chassis": "Chassis", "Managers": "Managers", "SessionService": "SessionService",
             "AccountService": "AccountService", "Tasks": "TaskService"}


async def version_doc(request, bmc):
    return web.json_response({"v1": "/redfish/v1/"})


def render_root(bmc):
    body = {
        "@odata.id": f"{V1}", "@odata.type": "#ServiceRoot.v1_20_0.ServiceRoot",
        "Id": "RootService", "Name": "Root Service", "RedfishVersion": "1.22.0",
        "UUID": bmc.uuid, "Vendor": bmc.cfg.manufacturer,
        "Product": f"sanboot-mockup {__version__}",
        "ProtocolFeaturesSupported": {
            "ExcerptQuery": False, "OnlyMemberQuery": False, "FilterQuery": False, "SelectQuery": False,
            "ExpandQuery": dict(bmc.personality.expand or expand.NO_FORM),
            "DeepOperations": {"DeepPATCH": False, "DeepPOST": False}, "MultipleHTTPRequests": False,
        },
        "Links": {"Sessions": {"@odata.id": f"{V1}/SessionService/Sessions"}},
    }
    for name, path in TOP_LEVEL.items():
        body[name] = {"@odata.id": f"{V1}/{path}"}
    return body


async def service_root(request, bmc):
    return reply(render_root(bmc), request=request)


async def odata_doc(request, bmc):
    value = [{"name": name, "kind": "Singleton", "url": f"{V1}/{path}"} for name, path in TOP_LEVEL.items()]
    value.insert(0, {"name": "Service", "kind": "Singleton", "url": f"{V1}/"})
    return web.json_response({"@odata.context": f"{V1}/$metadata", "value": value})


async def metadata(request, bmc):
    return web.Response(text=METADATA, content_type="application/xml", charset="utf-8")


ROUTES = [
    ("/redfish", {"GET": version_doc}),
    (V1, {"GET": service_root}),
    (f"{V1}/odata", {"GET": odata_doc}),
    (f"{V1}/$metadata", {"GET": metadata}),
]


def routes(ids):
    return list(ROUTES)
PUBLIC = {"/redfish", V1, f"{V1}/odata", f"{V1}/$metadata"}
