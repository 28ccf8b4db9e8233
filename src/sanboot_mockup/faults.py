"""Faults injected through the admin API, consulted by the middleware and the firmware."""
import random
import time

from .model import POST_STATES

KINDS = {
    "latency": {"ms": 100, "jitter_ms": 0, "path": None},
    "http503": {"rate": 1.0, "retry_after": 1},
    "drop": {"rate": 1.0},
    "expire_sessions": {},
    "etag_race": {},
    "unavailable": {"seconds": 5},
    "task_fail": {},
    "boot_hang": {"state": "MemoryInitializationStarted"},
    "san_down": {"target": None},
}
_INSTANT = ("expire_sessions",)
# `after`: arm a fault instead of activating it (any kind); it fires when `count` Redfish requests
# matching `method` (and `path`, a part of the request path) have been answered below 400.
AFTER = {"method": None, "path": None, "count": 1}
AFTER_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


class FaultError(ValueError):
    pass


def parse_fault(body):
    if not isinstance(body, dict) or body.get("kind") not in KINDS:
        raise FaultError(f"kind must be one of {sorted(KINDS)}")
    kind = body["kind"]
    params = {**KINDS[kind], **{k: v for k, v in body.items() if k not in ("kind", "after")}}
    unknown = set(params) - set(KINDS[kind])
    if unknown:
        raise FaultError(f"{kind}: unknown parameters {sorted(unknown)}")
    for key in ("rate",):
        if key in params and not (_is_number(params[key]) and 0 <= params[key] <= 1):
            raise FaultError(f"{kind}.{key}: a number from 0 to 1")
    for key in ("ms", "jitter_ms", "seconds"):
        if key in params and not (_is_number(params[key]) and params[key] >= 0):
            raise FaultError(f"{kind}.{key}: a number >= 0")
    # Retry-After is a whole number of seconds (RFC 9110); "1.5" is not a valid header value.
    if "retry_after" in params and not (_is_number(params["retry_after"]) and params["retry_after"] >= 0
                                        and int(params["retry_after"]) == params["retry_after"]):
        raise FaultError(f"{kind}.retry_after: a whole number of seconds >= 0")
    if kind == "boot_hang":
        # A state the firmware never passes through would silently never hang.
        if params["state"] not in POST_STATES:
            raise FaultError(f"boot_hang.state: one of {list(POST_STATES)}")
    if kind == "latency" and not (params["path"] is None or (isinstance(params["path"], str) and params["path"])):
        raise FaultError("latency.path: a part of the request path the delay is for, or null for every request")
    if kind == "san_down" and not (params["target"] is None or isinstance(params["target"], str)):
        raise FaultError("san_down.target: a target IQN, or null for the whole SAN")
    if body.get("after") is not None:
        params["after"] = _parse_after(kind, body["after"])
    return kind, params


def _parse_after(kind, after):
    """The trigger of an armed fault, with its defaults: {"method", "path", "count"}."""
    if not isinstance(after, dict):
        raise FaultError(f'{kind}.after: an object {{"method", "path", "count"}}, or null to apply the fault now')
    unknown = set(after) - set(AFTER)
    if unknown:
        raise FaultError(f"{kind}.after: unknown parameters {sorted(unknown)}")
    after = {**AFTER, **after}
    if after["method"] not in AFTER_METHODS:
        raise FaultError(f"{kind}.after.method: required, one of {list(AFTER_METHODS)}")
    if not (after["path"] is None or (isinstance(after["path"], str) and after["path"])):
        raise FaultError(f"{kind}.after.path: a part of the request path that triggers the fault, or null for any path")
    if not (isinstance(after["count"], int) and not isinstance(after["count"], bool) and after["count"] >= 1):
        raise FaultError(f"{kind}.after.count: a whole number >= 1 (the matching answers that fire the fault)")
    return after


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Faults:
    def __init__(self, rng=None):
        self.active = {}
        self.armed = {}  # kind: params with "after" {"method", "path", "count", "remaining"}
        self.rng = rng or random.Random()

    def add(self, kind, params):
        if kind in _INSTANT:
            return
        if kind == "unavailable":
            params = {**params, "until": time.monotonic() + params["seconds"]}
        self.active[kind] = params

    def arm(self, kind, params):
        """Hold a fault (params with "after") until its trigger fires; it replaces the one of its kind armed before."""
        self.armed[kind] = {**params, "after": {**params["after"], "remaining": params["after"]["count"]}}

    def trigger(self, method, path):
        """A Redfish request to `path` was answered below 400: count it for the armed faults it matches.
        Returns the faults it fires, disarmed, as [(kind, params without "after")] to activate now."""
        fired = []
        for kind, params in list(self.armed.items()):
            after = params["after"]
            if after["method"] != method or (after["path"] is not None and after["path"] not in path):
                continue
            after["remaining"] -= 1
            if after["remaining"] <= 0:
                del self.armed[kind]
                fired.append((kind, {k: v for k, v in params.items() if k != "after"}))
        return fired

    def clear(self, kind=None):
        if kind is None:
            self.active.clear()
            self.armed.clear()
        else:
            self.active.pop(kind, None)
            self.armed.pop(kind, None)

    def view(self):
        """The active faults by kind, and under "armed" (not a kind) those waiting for their trigger."""
        self.unavailable()  # an expired outage is no longer listed, even before the next request
        view = {k: {p: v for p, v in params.items() if p != "until"} for k, params in self.active.items()}
        if self.armed:
            view["armed"] = {k: {**params, "after": dict(params["after"])} for k, params in self.armed.items()}
        return view

    def latency(self, path=""):
        """The delay for a request to `path`: every request's, or only those whose path holds the fault's `path`
        (a test holds one request, say a reset, while the client is killed)."""
        fault = self.active.get("latency")
        if not fault or (fault.get("path") and fault["path"] not in path):
            return 0.0
        return max(0.0, fault["ms"] + self.rng.uniform(-fault["jitter_ms"], fault["jitter_ms"])) / 1000

    def hits(self, kind):
        fault = self.active.get(kind)
        return bool(fault) and self.rng.random() < fault["rate"]

    def unavailable(self):
        fault = self.active.get("unavailable")
        if fault and time.monotonic() >= fault["until"]:
            del self.active["unavailable"]
            return False
        return bool(fault)

    def take(self, kind):
        """One-shot faults: true once, then gone."""
        return self.active.pop(kind, None) is not None
