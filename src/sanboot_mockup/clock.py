"""Timestamps as Redfish writes them (DateTimeOffset, UTC, milliseconds so that a fast simulated
boot still has strictly increasing BootProgress times)."""
import datetime


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
