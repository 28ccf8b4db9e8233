"""The Integrated Management Log (`Systems/1/LogServices/IML`): the firmware's events an iLO would
record there (a failed iSCSI login, no bootable device), in the firmware's words (HPE's own text
is UNCONFIRMED, vendors.md 8.3b), shaped as the capture's Hpe-IML entries."""
from ..clock import now_iso
from ..http import collection, reply
from . import log_entries
from .hpe_names import SYSTEM_URI

LOGS = f"{SYSTEM_URI}/LogServices"
IML = f"{LOGS}/IML"
# Firmware event -> (IML class, class description, code, categories); the codes are ours.
_EVENTS = {"SanbootFirmware.1.0.0.IscsiLoginFailed": (17, "Network", 0x60, ["Hardware", "Configuration"]),
           "SanbootFirmware.1.0.0.NoBootableDevice": (1, "POST Message", 0x2A, ["Configuration"])}
_HPE_SEVERITY = {"OK": "Informational", "Warning": "Caution", "Critical": "Critical"}


def entries(bmc):
    found = []
    for entry in bmc.state["logs"]:
        event = _EVENTS.get(entry["MessageId"])
        if event is None:
            continue
        klass, description, code, categories = event
        found.append({"@odata.id": f"{IML}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_11_0.LogEntry",
                      "Id": entry["Id"], "Name": "Integrated Management Log", "Created": entry["Created"],
                      "EntryType": "Oem", "OemRecordFormat": "Hpe-IML", "Severity": entry["Severity"],
                      "Message": entry["Message"],
                      "Oem": {"Hpe": {"@odata.type": "#HpeLogEntry.v2_4_0.HpeLogEntry", "Categories": categories,
                                      "Class": klass, "ClassDescription": description, "Code": code, "Count": 1,
                                      "EventNumber": int(entry["Id"]), "Repaired": False,
                                      "Severity": _HPE_SEVERITY.get(entry["Severity"], "Informational"),
                                      "Updated": entry["Created"]}}})
    return found


async def list_services(request, bmc):
    body = collection(LOGS, "#LogServiceCollection.LogServiceCollection", "Logs", [IML])
    return reply({**body, "Description": "Logs view"}, request=request)


async def get_service(request, bmc):
    return reply({"@odata.id": IML, "@odata.type": "#LogService.v1_1_0.LogService", "Id": "IML",
                  "Name": "Integrated Management Log", "DateTime": now_iso(), "DateTimeLocalOffset": "+00:00",
                  "OverWritePolicy": "WrapsWhenFull", "ServiceEnabled": True,
                  "Status": {"Health": "OK", "State": "Enabled"}, "Entries": {"@odata.id": f"{IML}/Entries"}},
                 request=request)


def routes():
    return [(LOGS, {"GET": list_services}), (IML, {"GET": get_service})] + log_entries.entry_routes(
        f"{IML}/Entries", entries, "Integrated Management Logs view", "Integrated Management Logs view")
