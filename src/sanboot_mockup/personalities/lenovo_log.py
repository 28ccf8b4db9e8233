"""XCC's PlatformLog (`Systems/1/LogServices/PlatformLog`): the firmware's failed iSCSI logins as
entries in the capture's shape (EntryType Oem, OemRecordFormat Lenovo, Oem.Lenovo.CommonEventID).
Lenovo's event id and text for a failed iSCSI login are UNCONFIRMED (vendors.md 8.6): ours below."""
from ..clock import now_iso
from ..http import collection, reply
from ..san_base import REASONS
from . import log_entries
from .lenovo_names import SYSTEM_URI

LOGS = f"{SYSTEM_URI}/LogServices"
PLATFORM_LOG = f"{LOGS}/PlatformLog"
ISCSI_LOGIN_FAILED = "SanbootFirmware.1.0.0.IscsiLoginFailed"
COMMON_EVENT_ID = "FQXSFIO0036W"
EVENT_ID = "0x8006011a2101ffff"


def iscsi_message(target, reason):
    return f"iSCSI login to target {target} failed: {reason}."


def entries(bmc):
    found = []
    for entry in bmc.state["logs"]:
        if entry["MessageId"] != ISCSI_LOGIN_FAILED:
            continue
        _port, code, target = (entry["MessageArgs"] + ["", "", ""])[:3]
        reason = REASONS.get(code, code)
        sequence = len(found) + 1
        found.append({"@odata.id": f"{PLATFORM_LOG}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_11_0.LogEntry",
                      "Id": entry["Id"], "Name": "LogEntry", "Created": entry["Created"], "EntryType": "Oem",
                      "OemRecordFormat": "Lenovo", "Severity": "Warning", "EventId": EVENT_ID,
                      "Message": iscsi_message(target, reason), "MessageArgs": [target, reason],
                      "Oem": {"Lenovo": {"@odata.type": "#LenovoLogEntry.v1_0_0.PlatformLogEntry",
                                         "CommonEventID": COMMON_EVENT_ID, "EventID": EVENT_ID,
                                         "EventSequenceNumber": sequence, "ReportingChain": "UEFI",
                                         "Source": "System", "Serviceable": "Not Serviceable"}}})
    return found


async def list_services(request, bmc):
    body = collection(LOGS, "#LogServiceCollection.LogServiceCollection", "LogServiceCollection", [PLATFORM_LOG])
    return reply(body, request=request)


async def get_service(request, bmc):
    return reply({"@odata.id": PLATFORM_LOG, "@odata.type": "#LogService.v1_3_0.LogService", "Id": "PlatformLog",
                  "Name": "LogService", "DateTime": now_iso(), "DateTimeLocalOffset": "+00:00",
                  "LogEntryType": "Multiple", "OverWritePolicy": "WrapsWhenFull", "MaxNumberOfRecords": 1024,
                  "ServiceEnabled": True, "Entries": {"@odata.id": f"{PLATFORM_LOG}/Entries"}}, request=request)


def routes():
    return [(LOGS, {"GET": list_services}), (PLATFORM_LOG, {"GET": get_service})] + log_entries.entry_routes(
        f"{PLATFORM_LOG}/Entries", entries, "LogEntryCollection", "A collection of LogEntry resource instances.")
