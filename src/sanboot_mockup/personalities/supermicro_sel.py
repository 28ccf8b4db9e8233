"""Supermicro's system event log, `Systems/1/LogServices/Log1` (SEL, X13 capture). The BMC records power
events, not the UEFI's: the mockup writes one entry per power-on (from off, or a restart), which is what
a client can take as its reset marker; a failed iSCSI login writes nothing here (vendors.md 8.6)."""
from ..clock import now_iso
from ..http import collection, reply
from .log_entries import entry_routes
from .supermicro_names import LOG1, SYSTEM_URI

LOGS = f"{SYSTEM_URI}/LogServices"
# (Message, MessageId, OemSensorType, SensorType byte): the capture's first entry, and ours (UNCONFIRMED
# text in the capture's "[PWR-00xx]" style) for a power-on and a reset.
EVENTS = {"ac_on": ("[PWR-0020] First AC Power on", "0xA0FFFF", "AC Power On", "0xC8"),
          "power_on": ("[PWR-0001] System power on", "0xA1FFFF", "System ACPI Power State", "0x22"),
          "reset": ("[PWR-0005] System reset", "0xA5FFFF", "System ACPI Power State", "0x22")}


def initial():
    return {"sel": [{"Id": "1", "Created": now_iso(), "event": "ac_on"}], "sel_seq": 2}


def record(bmc, event):
    smc = bmc.state["smc"]
    smc["sel"] = (smc["sel"] + [{"Id": str(smc["sel_seq"]), "Created": now_iso(), "event": event}])[-4096:]
    smc["sel_seq"] += 1


def render_entry(entry):
    text, message_id, sensor, sensor_byte = EVENTS[entry["event"]]
    return {"@odata.id": f"{LOG1}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_7_0.LogEntry", "Id": entry["Id"],
            "Name": f"Health Event Log Entry {entry['Id']}", "EntryType": "SEL", "Severity": "OK",
            "Created": entry["Created"], "EntryCode": "Assert", "OemSensorType": sensor, "SensorNumber": 255,
            "Message": text, "MessageId": message_id, "GeneratorId": "0x0020",
            "Oem": {"Supermicro": {"@odata.type": "#SmcLogEntryExtensions.v1_0_1.LogEntry", "MarkAsAcknowledged": False,
                                   "RawEventData": {"EventDirAndType": "0x6F", "SensorType": sensor_byte,
                                                    "SensorName": None}}}}


def entries(bmc):
    return [render_entry(e) for e in bmc.state["smc"]["sel"]]


async def list_services(request, bmc):
    return reply(collection(LOGS, "#LogServiceCollection.LogServiceCollection", "Collection of Health Event Logs",
                            [LOG1]), request=request)


async def get_log1(request, bmc):
    return reply({"@odata.id": LOG1, "@odata.type": "#LogService.v1_2_0.LogService", "Id": "Log1",
                  "Name": "Health Event Log Service", "MaxNumberOfRecords": 4096, "OverWritePolicy": "WrapsWhenFull",
                  "DateTime": now_iso(), "DateTimeLocalOffset": "+00:00", "ServiceEnabled": True,
                  "Status": {"State": "Enabled", "Health": "OK"}, "LogEntryType": "SEL",
                  "Entries": {"@odata.id": f"{LOG1}/Entries"}}, request=request)


def routes():
    return [(LOGS, {"GET": list_services}), (LOG1, {"GET": get_log1})] + entry_routes(
        f"{LOG1}/Entries", entries, "Health Event Log Service Collection", "Collection of Health Event Logs")
