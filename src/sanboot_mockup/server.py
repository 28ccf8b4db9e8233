"""Serves every BMC of a fleet from one process: one aiohttp application, one listening socket per
BMC, the BMC picked by the local address a request arrived on."""
import asyncio
import base64
import json
import logging
import os
import signal
from pathlib import Path

from aiohttp import web

from . import admin, expand
from .bmc import Bmc
from .errors import RedfishError, message
from .firmware import Firmware
from .http import ODATA_HEADERS, reply
from .resources import root, sessions, tasks
from .router import Router
from .san import make_san
from .sessions import check_password
from .store import Store
from .tls import ensure_ca, ensure_server_cert, server_context

log = logging.getLogger("sanboot_mockup")
PUBLIC_POST = {sessions.SESSIONS, sessions.SESSIONS + "/Members"}


def _authenticate(request, bmc):
    token = request.headers.get("X-Auth-Token")
    if token:
        session = bmc.sessions.lookup(token)
        if session:
            return {"username": session.username, "role": session.role, "session": session}
    else:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                username, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                username, password = "", ""
            _, account = bmc.account_by_name(username)
            if account and account["Enabled"] and not account["Locked"] and _basic_ok(bmc, header, password, account):
                return {"username": username, "role": account["RoleId"], "session": None}
    raise RedfishError(401, [message("NoValidSession")], {"WWW-Authenticate": 'Basic realm="Redfish"'})


_BASIC_CACHE_SIZE = 64


def _basic_ok(bmc, header, password, account):
    """Basic auth costs a password hash per request; remember headers that matched the account's
    current password (a new password, or a new account, no longer matches)."""
    cache = bmc.__dict__.setdefault("basic_cache", {})
    if cache.get(header) == account["Password"]:
        return True
    if not check_password(password, account["Password"]):
        return False
    if len(cache) >= _BASIC_CACHE_SIZE:
        cache.clear()
    cache[header] = account["Password"]
    return True


def _check_protocol(request, bmc):
    """Refuse what this service does not speak: another OData version, OData query options other
    than the `$expand` forms its personality advertises (on a GET). Returns the (kind, levels) of
    the `$expand` asked for, or None."""
    version = request.headers.get("OData-Version")
    if version is not None and version.strip() != "4.0":
        raise RedfishError.of(412, "HeaderInvalid", f"OData-Version: {version}")
    expanding = None
    for key in request.query:
        if key == "$expand" and bmc.personality.expand and request.method in ("GET", "HEAD"):
            expanding = expand.parse(request.query[key], bmc.personality.expand)
        elif key.startswith("$") or key in ("only", "excerpt"):
            raise RedfishError.of(501, "QueryParameterUnsupported", key)
    return expanding


async def _expanded(request, bmc, response, kind, levels):
    """The handler's answer with its hyperlinks expanded: each linked resource rendered by its own
    GET handler, as the same principal, counted as no request of its own."""
    body = expand.body_of(response)
    if body is None:
        return response
    router = bmc.personality.router()
    principal = request.get("principal")
    if principal is None:  # a public resource (the root) read with credentials may expand what they allow
        try:
            principal = _authenticate(request, bmc)
        except RedfishError:
            principal = None

    async def fetch(uri):
        path = uri.split("?", 1)[0].rstrip("/") or "/"
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("if-none-match", "if-match")}
        inner = request.clone(method="GET", rel_url=path, headers=headers)
        if principal is not None:
            inner["principal"] = principal
        elif not _is_public(inner, path):
            return None  # an unauthenticated read of a public resource expands nothing protected
        try:
            bmc.personality.check_request(inner, path)
            handler, params, _allowed = router.resolve("GET", path)
            return expand.body_of(await handler(inner, bmc, **params))
        except RedfishError:
            return None

    expanded = await expand.expand(body, kind, levels, fetch)
    answer = reply({k: v for k, v in expanded.items() if k != "@odata.etag"}, request=request)
    for name in ("Allow", "Cache-Control"):
        if name in response.headers:
            answer.headers[name] = response.headers[name]
    return answer


def _is_public(request, path):
    return path in root.PUBLIC or (request.method == "POST" and path in PUBLIC_POST)


class Fleet:
    """The running fleet: BMC objects by listening address, the router, the SAN."""

    def __init__(self, fleet, state_dir, use_https=True):
        self.fleet = fleet
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.use_https = use_https
        self.store = Store(self.state_dir)
        self.san = make_san(fleet.san, self.state_dir)
        self.admin_router = Router()
        self.admin_router.extend(admin.ROUTES)
        self.ca_file = None
        self.bmcs = [Bmc(cfg, self.store, self.san) for cfg in fleet.bmcs]
        for bmc in self.bmcs:
            # Write-through from the start: a new BMC's state file exists before its first change.
            bmc.save()
        self.by_socket = {}
        self.runner = None

    async def handle(self, request):
        bmc = self.by_socket.get(request.transport.get_extra_info("sockname")[:2]) if request.transport else None
        if bmc is None:
            return web.Response(status=421)
        request["bmc"] = bmc
        path = request.path.rstrip("/") or "/"
        is_admin = path.startswith("/mockup")
        allowed = expanding = None
        try:
            if not is_admin:
                bmc.stats.count(request.method, path)
                dropped = await self._faults(request, bmc)
                if dropped is not None:
                    return dropped
                expanding = _check_protocol(request, bmc)
                bmc.personality.check_request(request, path)
            # Authentication comes first: without it, even a 404 would tell what exists.
            if is_admin or not _is_public(request, path):
                request["principal"] = _authenticate(request, bmc)
            router = self.admin_router if is_admin else bmc.personality.router()
            handler, params, allowed = router.resolve(request.method, path)
            if is_admin:
                admin.check_caller(request)
            response = await handler(request, bmc, **params)
            if not is_admin and expanding:
                response = await _expanded(request, bmc, response, *expanding)
        except RedfishError as error:
            response = web.json_response(error.body(), status=error.status, headers=error.headers)
        except Exception:  # noqa: BLE001 - a BMC answers 500, it does not crash
            log.exception("%s %s failed", request.method, path)
            response = web.json_response(RedfishError(500, [message("InternalError")]).body(), status=500)
        if not is_admin:
            response.headers.update(ODATA_HEADERS)
            response.headers.setdefault("Cache-Control", "no-cache")
            if allowed and request.method in ("GET", "HEAD"):
                response.headers.setdefault("Allow", allowed)
            if bmc.faults.armed and response.status < 400:  # one dict test while nothing is armed
                admin.fire_armed(bmc, request.method, path)
        return response

    async def _faults(self, request, bmc):
        faults = bmc.faults
        if faults.unavailable() or faults.hits("drop"):
            request.transport.abort()  # the client sees the connection reset, as with a rebooting BMC
            return web.Response(status=503)
        delay = faults.latency(request.path)
        if delay:
            await asyncio.sleep(delay)
        if faults.hits("http503"):
            retry = int(faults.active["http503"]["retry_after"])  # 1.0 from JSON is "1" in the header
            raise RedfishError(503, [message("ServiceTemporarilyUnavailable", retry)], {"Retry-After": str(retry)})
        return None

    async def start(self):
        await self.san.start()
        context_for = lambda bmc: None  # noqa: E731
        if self.use_https:
            ca_path, ca_cert, ca_key = ensure_ca(self.state_dir)
            self.ca_file = str(ca_path)

            def context_for(bmc):
                return server_context(*ensure_server_cert(self.state_dir, bmc.name, bmc.cfg.address, ca_cert, ca_key))
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        access = logging.getLogger("sanboot_mockup.access")
        self.runner = web.AppRunner(app, access_log=access, access_log_format='%a "%r" %s %b %Tf',
                                    handle_signals=False)
        await self.runner.setup()
        scheme = "https" if self.use_https else "http"
        for bmc in self.bmcs:
            site = web.TCPSite(self.runner, bmc.cfg.address, bmc.cfg.port, ssl_context=context_for(bmc),
                               reuse_address=True, backlog=256)
            await site.start()
            self.by_socket[(bmc.cfg.address, bmc.cfg.port)] = bmc
            bmc.base_uri = f"{scheme}://{bmc.cfg.address}:{bmc.cfg.port}"
            bmc.ca_file = self.ca_file
            bmc.firmware = Firmware(bmc)
            bmc.firmware.resume()
            if bmc.state["power"] == "On" and bmc.state["progress"]["LastState"] == "OSRunning":
                await bmc.host_net.up()  # a restarted mockup: the host kept running meanwhile
            tasks.resume_tasks(bmc)

    def ready_document(self):
        return {"pid": os.getpid(), "ca_file": self.ca_file, "san": self.san.backend,
                "bmcs": [{"name": b.name, "base_uri": b.base_uri, "username": b.cfg.username,
                          "password": b.cfg.password, "ca_file": self.ca_file, "personality": b.cfg.personality,
                          "system_uri": b.ids.system_uri, "host_address": b.cfg.host_address,
                          "host_port": b.cfg.host_port} for b in self.bmcs]}

    async def stop(self):
        if self.runner:
            await self.runner.cleanup()
        for bmc in self.bmcs:
            bmc.save()
        # A graceful stop must leave the same state on disk as a crash: a boot in progress resumes
        # at the next start instead of being recorded as interrupted by the cancellation below.
        self.store.freeze()
        for bmc in self.bmcs:
            bmc.host_net.down()
            if bmc.firmware and bmc.firmware.task:
                bmc.firmware.task.cancel()
        await self.san.stop()


async def serve(fleet, state_dir, use_https=True, ready_file=None):
    running = Fleet(fleet, state_dir, use_https)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await running.start()
    try:
        if ready_file:
            tmp = Path(ready_file).with_suffix(".tmp")
            tmp.write_text(json.dumps(running.ready_document(), indent=2))
            tmp.replace(ready_file)
        log.info("serving %d BMCs", len(running.bmcs))
        await stop.wait()
    finally:
        await running.stop()
        if ready_file:
            Path(ready_file).unlink(missing_ok=True)
