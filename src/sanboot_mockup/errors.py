"""Redfish error bodies built from the DMTF Base message registry (Base.1.22.1)."""
import json
from functools import lru_cache
from importlib import resources

REGISTRY = "Base.1.22.1"


@lru_cache(maxsize=1)
def _messages():
    text = resources.files(__package__).joinpath("schemas", f"{REGISTRY}.json").read_text()
    return json.loads(text)["Messages"]


def message(message_id, *args, related=None):
    """One @Message.ExtendedInfo entry for a Base registry message with its arguments filled in."""
    spec = _messages()[message_id]
    text = spec["Message"]
    for number, arg in reversed(list(enumerate(args, start=1))):
        text = text.replace(f"%{number}", str(arg))
    entry = {
        "@odata.type": "#Message.v1_3_0.Message",
        "MessageId": f"{REGISTRY}.{message_id}",
        "Message": text,
        "MessageArgs": [str(arg) for arg in args],
        "MessageSeverity": spec.get("MessageSeverity", "Warning"),
        "Resolution": spec.get("Resolution", ""),
    }
    if related:
        entry["RelatedProperties"] = related
    return entry


class RedfishError(Exception):
    """An HTTP error answered with a Redfish error body; raised by handlers, rendered by middleware."""

    def __init__(self, status, messages, headers=None):
        super().__init__(messages[0]["Message"] if messages else str(status))
        self.status = status
        self.messages = messages
        self.headers = headers or {}

    @classmethod
    def of(cls, status, message_id, *args, related=None, headers=None):
        return cls(status, [message(message_id, *args, related=related)], headers)

    def body(self):
        first = self.messages[0] if self.messages else message("GeneralError")
        code = first["MessageId"] if len(self.messages) == 1 else f"{REGISTRY}.GeneralError"
        text = first["Message"] if len(self.messages) == 1 else "See @Message.ExtendedInfo for more information."
        return {"error": {"code": code, "message": text, "@Message.ExtendedInfo": self.messages}}


def not_found(kind, name):
    return RedfishError.of(404, "ResourceNotFound", kind, name)
