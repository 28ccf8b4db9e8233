"""Supermicro's system event log, `Systems/1/LogServices/Log1` (SEL, X13 capture). The BMC records power
events, not the UEFI's: the mockup writes one entry per power-on (from off, or a restart), under the IPMI
host sensor types (never the capture's `[PWR-...]` power-supply style), which is what a client can take as
its reset marker; a failed iSCSI login writes nothing here (vendors.md 8.6)."""
from ..clock import now_iso
from ..http import collection, reply
from .log_entries import entry_routes
from .supermicro_names import LOG1, SYSTEM_URI

LOGS = f"{SYSTEM_URI}/LogServices"
# (Message, MessageId, OemSensorType, SensorType, SensorType byte). The capture's first entry: an OEM sensor
# (0xC8) named in OemSensorType. The capture names standard IPMI sensor types in SensorType (its power-supply
# events: `[PWR-0001] PS5 Status, Power Supply Failure detected`, SensorType "Power Supply / Converter", 0x08),
# so `[PWR-...]` is not ours to use: it would read as a power-supply event. The capture shows no host power-on
# or reset entry at all; ours (UNCONFIRMED text, code and MessageId; the `HOST-` area is the mockup's own, used
# by no capture) are the IPMI host sensors: 0x22 System ACPI Power State, S0/G0 working (offset 00h) for a
# power-on from off, and 0x1D System Boot / Restart Initiated, System Restart (offset 07h) for a restart.
# MessageId is the event data bytes 1-3, as the capture's are (`0xF1FFFF`: offset 1, no data 2 and 3).
EVENTS = {"ac_on": ("[PWR-0020] First AC Power on", "0xA0FFFF", "AC Power On", None, "0xC8"),
          "power_on": ("[HOST-0000] System ACPI Power State, S0/G0: working", "0x00FFFF", None, "System ACPI PowerState",
                       "0x22"),
          "reset": ("[HOST-0007] System Boot/Restart Initiated, System Restart", "0x07FFFF", None, "SystemBoot/Restart",
                    "0x1D")}


def initial():
    return {"sel": [{"Id": "1", "Created": now_iso(), "event": "ac_on"}], "sel_seq": 2}


def record(bmc, event):
    smc = bmc.state["smc"]
    smc["sel"] = (smc["sel"] + [{"Id": str(smc["sel_seq"]), "Created": now_iso(), "event": event}])[-4096:]
    smc["sel_seq"] += 1


def render_entry(entry):
    text, message_id, oem_sensor, sensor, sensor_byte = EVENTS[entry["event"]]
    body = {"@odata.id": f"{LOG1}/Entries/{entry['Id']}", "@odata.type": "#LogEntry.v1_7_0.LogEntry", "Id": entry["Id"],
            "Name": f"Health Event Log Entry {entry['Id']}", "EntryType": "SEL", "Severity": "OK",
            "Created": entry["Created"], "EntryCode": "Assert"}
    body.update({"OemSensorType": oem_sensor} if oem_sensor else {"SensorType": sensor})
    body.update({"SensorNumber": 255, "Message": text, "MessageId": message_id, "GeneratorId": "0x0020",
                 "Oem": {"Supermicro": {"@odata.type": "#SmcLogEntryExtensions.v1_0_1.LogEntry", "MarkAsAcknowledged": False,
                                        "RawEventData": {"EventDirAndType": "0x6F", "SensorType": sensor_byte,
                                                         "SensorName": None}}}})
    return body


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
