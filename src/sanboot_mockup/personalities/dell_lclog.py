"""The Lifecycle log: the firmware's canonical events as iDRAC words them. A failed iSCSI login
becomes the EEMI message for its cause (UEFI0274/0275/0268/0264, docs/personalities.md)."""
from ..http import collection, reply
from ..san_base import AUTH_FAILURE, LUN_NOT_SUPPORTED, MUTUAL_AUTH_FAILURE, PORTAL_UNREACHABLE, TARGET_NOT_FOUND
from . import log_entries
from .dell_names import MANAGER, registry_prefix

LOGS = f"/redfish/v1/Managers/{MANAGER}/LogServices"
LCLOG = f"{LOGS}/Lclog"
_LOGIN_FAILED = "SanbootFirmware.1.0.0.IscsiLoginFailed"
_EEMI = {
    "UEFI0274": "Unable to perform iSCSI boot on connection 1 because the iSCSI login operation did not complete "
                "successfully.",
    "UEFI0275": "Unable to perform iSCSI boot on connection 1 because the TCP connection timed out when connecting "
                "to the iSCSI target.",
    "UEFI0268": "Unable to perform iSCSI boot on connection 1 because the iSCSI target name is invalid.",
    "UEFI0264": "Unable to perform iSCSI boot because the iSCSI initiator name is invalid.",
}


def eemi_for(bmc, code, target):
    """The UEFI02xx message id for a login outcome. A target that exists but refuses the initiator
    (ACL) reads as a refused initiator name; an unknown target as an invalid target name."""
    if code == PORTAL_UNREACHABLE:
        return "UEFI0275"
    if code == TARGET_NOT_FOUND:
        return "UEFI0264" if target in getattr(bmc.san, "targets", {}) else "UEFI0268"
    if code in (AUTH_FAILURE, MUTUAL_AUTH_FAILURE, LUN_NOT_SUPPORTED):
        return "UEFI0274"
    return "UEFI0274"


def entries(bmc):
    """[(id, LogEntry body)], oldest first: only what iDRAC itself would have recorded."""
    found = []
    for entry in bmc.state["logs"]:
        if entry["MessageId"] != _LOGIN_FAILED:
            continue
        _key, code, target = (entry["MessageArgs"] + ["", "", ""])[:3]
        eemi = eemi_for(bmc, code, target)
        uri = f"{LCLOG}/Entries/{entry['Id']}"
        found.append({"@odata.id": uri, "@odata.type": "#LogEntry.v1_15_0.LogEntry", "Id": entry["Id"],
                      "Name": f"Log Entry {entry['Id']}", "Description": f"Log Entry {entry['Id']}",
                      "Created": entry["Created"], "EntryType": "Oem", "OemRecordFormat": "Dell",
                      "Severity": "Warning", "MessageId": f"{registry_prefix(bmc.cfg)}.{eemi}",
                      "Message": _EEMI[eemi], "MessageArgs": [] if eemi == "UEFI0264" else ["1"],
                      "Oem": {"Dell": {"@odata.type": "#DellLCLogEntry.v1_1_0.DellLCLogEntry", "Category": "Configuration"}}})
    return found


async def list_services(request, bmc):
    return reply(collection(LOGS, "#LogServiceCollection.LogServiceCollection", "Log Service Collection", [LCLOG]),
                 request=request)


async def get_service(request, bmc):
    return reply({"@odata.id": LCLOG, "@odata.type": "#LogService.v1_9_0.LogService", "Id": "Lclog",
                  "Name": "LifeCycle Controller Log Service", "Description": "LifeCycle Controller Log Service",
                  "LogEntryType": "OEM", "MaxNumberOfRecords": 500000, "OverWritePolicy": "WrapsWhenFull",
                  "ServiceEnabled": True, "Entries": {"@odata.id": f"{LCLOG}/Entries"}}, request=request)


def routes():
    # iDRAC lists the newest first
    return [(LOGS, {"GET": list_services}), (LCLOG, {"GET": get_service})] + log_entries.entry_routes(
        f"{LCLOG}/Entries", entries, "Log Entry Collection", "LC Logs for this manager", newest_first=True)
