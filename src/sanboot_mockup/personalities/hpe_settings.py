"""What every HPE settings resource shares: the 200 SystemResetRequired answer to a PATCH, the
current resource's @Redfish.Settings (ETag, Time, Messages of the last reset that applied it),
the Base 1.0 refusal messages written at reset, and Oem.Hpe.SettingsObject.UnmodifiedETag."""
import itertools
import json
import zlib

from aiohttp import web

from ..clock import now_iso
from ..http import etag_of
from .hpe_names import envelope, ilo_message, link

SUCCESS = {"MessageId": "Base.1.0.Success"}
RESOURCES = ("bios", "iscsi", "boot")
SECRET_SHOWN = "(hidden)"


def initial():
    now = now_iso()
    # The capture's iSCSI resource has never been applied: empty ETag, no Time.
    return {"bios": {"messages": [SUCCESS], "time": now, "etag": _new_etag("bios", now)},
            "iscsi": {"messages": [SUCCESS], "time": None, "etag": ""},
            "boot": {"messages": [SUCCESS], "time": now, "etag": _new_etag("boot", now)}}


_seq = itertools.count()


def _new_etag(name, time):
    return f"{zlib.crc32(f'{name}{time}{next(_seq)}'.encode()):08X}"


def annotation(bmc, name, settings_uri):
    record = bmc.state["hpe"]["settings"][name]
    return {"@odata.type": "#Settings.v1_0_0.Settings", "ETag": record["etag"], "Messages": record["messages"],
            "SettingsObject": link(settings_uri), "Time": record["time"]}


def record(bmc, name, refusals):
    """A reset applied this resource's pending settings: Success, then one message per refusal."""
    now = now_iso()
    bmc.state["hpe"]["settings"][name] = {"messages": [SUCCESS] + refusals, "time": now, "etag": _new_etag(name, now)}


def shown(value):
    return value if isinstance(value, str) else json.dumps(value)


def refusal(message_id, name, pointer, value=None, secret=False):
    """A Base 1.0 refusal as iLO writes it in Messages (doc: MessageArgs, RelatedProperties)."""
    args = [name] if message_id == "PropertyUnknown" else [SECRET_SHOWN if secret else shown(value), name]
    return {"MessageId": f"Base.1.0.{message_id}", "MessageArgs": args, "RelatedProperties": [pointer]}


def reset_required():
    """A settings PATCH that was taken: 200 with iLO's error-shaped body (doc, H-RFD biosDoc.md)."""
    return web.json_response(envelope([ilo_message("SystemResetRequired")]), status=200)


def oem(links, unmodified_body):
    """Oem.Hpe of a current resource: its links and the ETag of its settings resource with nothing pending."""
    body = {"@odata.type": "#HpeBiosExt.v2_0_0.HpeBiosExt",
            "SettingsObject": {"UnmodifiedETag": etag_of(unmodified_body)}}
    if links:
        body["Links"] = {name: link(uri) for name, uri in links.items()}
    return {"Hpe": body}
