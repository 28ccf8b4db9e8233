"""The admin API under /mockup/: inspect a BMC and inject faults. Loopback callers with the BMC's
own credentials only; it is not part of Redfish and never counted in the request statistics."""
import base64
import ipaddress

from aiohttp import web

from .errors import RedfishError
from .faults import KINDS, FaultError, parse_fault
from .ibft import describe, parse_ibft


def _json(body, status=200):
    return web.json_response(body, status=status)


async def stats(request, bmc):
    return _json({**bmc.stats.report(), "sessions": len(bmc.sessions.live()), "personality": bmc.cfg.personality})


async def sessions(request, bmc):
    """Live sessions (no tokens) and every token issued since the mockup started: a test checks that none of
    them appears in a client's output."""
    live = [{"Id": s.id, "UserName": s.username, "Created": s.created} for s in bmc.sessions.live()]
    return _json({"live": live, "issued_tokens": list(bmc.sessions.issued)})


async def reset_stats(request, bmc):
    bmc.stats.reset()
    return web.Response(status=204)


async def jobs(request, bmc):
    """Dell jobs (DellJob bodies) and DMTF tasks, so a test can assert that a run created none."""
    tasks = [{"Id": i, "TaskState": t["state"], "Name": t["name"]} for i, t in bmc.state["tasks"].items()]
    return _json({"jobs": bmc.personality.jobs(bmc), "tasks": tasks})


async def ibft(request, bmc):
    if not bmc.state.get("ibft"):
        return _json({"error": "no iBFT: no iSCSI login has succeeded since the last reset"}, 404)
    raw = base64.b64decode(bmc.state["ibft"])
    if request.query.get("format") == "json":
        return _json(describe(parse_ibft(raw)))
    return web.Response(body=raw, content_type="application/octet-stream")


async def boot_history(request, bmc):
    return _json({"power": bmc.state["power"], "progress": bmc.state["progress"],
                  "booted_from": bmc.state.get("booted_from"), "boots": bmc.state["boot_history"],
                  "next_boot_order": bmc.personality.next_boot_order(bmc),
                  "host_network": bmc.host_net.view()})


async def san(request, bmc):
    return _json({"backend": bmc.san.backend, "luns": bmc.san.lun_states(), "down": sorted(bmc.san.down)})


async def list_faults(request, bmc):
    return _json(bmc.faults.view())


async def add_fault(request, bmc):
    try:
        kind, params = parse_fault(await request.json())
    except (ValueError, FaultError) as exc:
        return _json({"error": str(exc)}, 400)
    if "after" in params:
        bmc.faults.arm(kind, params)  # nothing changes until its trigger fires (fire_armed)
    else:
        activate(bmc, kind, params)
    return _json(bmc.faults.view(), 201)


def activate(bmc, kind, params):
    """A fault takes effect now: when it is POSTed without `after`, or when its trigger fires."""
    if kind == "expire_sessions":
        bmc.sessions.expire_all()
    elif kind == "unavailable":
        bmc.sessions.expire_all()  # a BMC that reboots forgets its sessions
    elif kind == "san_down":
        bmc.san.set_down(params.get("target"))
    bmc.faults.add(kind, params)


def fire_armed(bmc, method, path):
    """A Redfish request was answered below 400: activate the armed faults it is the trigger of
    (its own answer is sent as it is; the next request meets the fault)."""
    for kind, params in bmc.faults.trigger(method, path):
        activate(bmc, kind, params)


async def clear_faults(request, bmc, kind=None):
    if kind is not None and kind not in KINDS:
        # A typo must not look like a cleared fault.
        return _json({"error": f"unknown fault kind {kind!r}; one of {sorted(KINDS)}"}, 404)
    if kind in (None, "san_down"):
        bmc.san.down.clear()
    bmc.faults.clear(kind)
    return web.Response(status=204)


ROUTES = [
    ("/mockup/stats", {"GET": stats, "DELETE": reset_stats}),
    ("/mockup/sessions", {"GET": sessions}),
    ("/mockup/jobs", {"GET": jobs}),
    ("/mockup/ibft", {"GET": ibft}),
    ("/mockup/boot-history", {"GET": boot_history}),
    ("/mockup/san", {"GET": san}),
    ("/mockup/faults", {"GET": list_faults, "POST": add_fault, "DELETE": clear_faults}),
    ("/mockup/faults/{kind}", {"DELETE": clear_faults}),
]


def check_caller(request):
    """Loopback only; the caller must already be authenticated with the BMC's credentials."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    if not peer or not ipaddress.ip_address(peer[0]).is_loopback:
        raise RedfishError.of(403, "InsufficientPrivilege")
    if request["principal"]["role"] != "Administrator":
        raise RedfishError.of(403, "InsufficientPrivilege")
