"""Serve a recorded BMC (a Redfish Mockup Creator tree: one index.json per URI) read-only over
real HTTPS, so the collection can be run against what a real BMC answered.

- GET/HEAD answer the index.json of the path; `/redfish/v1` and `/redfish/v1/`, `/Systems/1` and
  `/Systems/1/` are the same resource (HPE links carry trailing slashes), and a segment that differs
  only in case finds its folder (iLO links lowercase paths). Query strings are ignored
  (the body is what the BMC answered without them).
- POST, PATCH, PUT and DELETE answer 405: the recording cannot change. So a session login is
  refused too; the collection reads with HTTP Basic, and any test credentials are accepted.
- Every request is logged (method, path, status); `not_found` lists the 404s, so a test can show
  which paths the collection asked for that the recording does not have.
The certificate comes from the mockup's own CA helper (sanboot_mockup.tls), so clients verify it.
"""
import asyncio
import base64
import json
import threading
from pathlib import Path

from aiohttp import web
from sanboot_mockup.tls import ensure_ca, ensure_server_cert, server_context

PUBLIC = {"/redfish", "/redfish/v1", "/redfish/v1/odata", "/redfish/v1/$metadata"}
READ_METHODS = {"GET", "HEAD"}


def _error(status, message_id, text, headers=None):
    body = {"error": {"code": message_id, "message": text,
                      "@Message.ExtendedInfo": [{"MessageId": message_id, "Message": text, "Severity": "Critical"}]}}
    return web.json_response(body, status=status, headers={"OData-Version": "4.0", **(headers or {})})


def _child(folder, part):
    """The sub-folder for one path segment: exact, else the one whose name differs only in case.
    iLO answers its links' lowercase paths (/redfish/v1/systems/1/bios/) for resources the Mockup
    Creator stored under the names in their @odata.id elsewhere (Systems/1/Bios)."""
    exact = folder / part
    if exact.is_dir():
        return exact
    if not folder.is_dir():
        return None
    return next((child for child in sorted(folder.iterdir()) if child.is_dir() and child.name.lower() == part.lower()), None)


class CaptureServer:
    """`with CaptureServer(tree, folder) as server:` serves `tree` (the folder that holds `redfish/`)
    at `server.base_uri`, trusted through `server.ca_file`."""

    def __init__(self, tree, folder, address="127.0.0.1", username="capture-reader", password="capture-pass"):
        self.tree = Path(tree).resolve()
        self.folder = Path(folder)
        self.address = address
        self.username, self.password = username, password
        self.requests = []  # (method, path, status), in order
        self.ca_file = None
        self.base_uri = None
        self._loop = self._thread = self._runner = None

    # -- what the tests look at ------------------------------------------------------------
    @property
    def not_found(self):
        return [path for method, path, status in self.requests if status == 404]

    @property
    def paths_read(self):
        return sorted({path for method, path, status in self.requests if method == "GET" and status == 200})

    def request_log(self):
        return "\n".join(f"{method} {path} {status}" for method, path, status in self.requests)

    # -- resolution ------------------------------------------------------------------------
    def resolve(self, path):
        """The index.json a URI path stands for, or None."""
        parts = [part for part in path.split("/") if part]
        if not parts or any(part in (".", "..") for part in parts):
            return None
        folder = self.tree
        for part in parts:
            folder = _child(folder, part)
            if folder is None:
                return None
        candidate = folder / "index.json"
        if not candidate.resolve().is_relative_to(self.tree):
            return None
        return candidate if candidate.is_file() else None

    # -- HTTP ------------------------------------------------------------------------------
    def _authorised(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return bool(username and password)

    async def _handle(self, request):
        path = request.path
        normalised = "/" + "/".join(part for part in path.split("/") if part)
        if request.method not in READ_METHODS:
            response = _error(405, "Base.1.8.OperationNotAllowed",
                              "This recorded service is read-only.", {"Allow": "GET, HEAD"})
        elif normalised not in PUBLIC and not self._authorised(request):
            response = _error(401, "Base.1.8.NoValidSession", "HTTP Basic credentials are required.",
                              {"WWW-Authenticate": 'Basic realm="capture"'})
        else:
            found = self.resolve(path)
            if found is None:
                response = _error(404, "Base.1.8.ResourceMissingAtURI", f"The resource at {path} was not recorded.")
            else:
                body = json.loads(found.read_text())
                headers = {"OData-Version": "4.0"}
                if isinstance(body, dict) and isinstance(body.get("@odata.etag"), str):
                    headers["ETag"] = body["@odata.etag"]
                response = web.json_response(body, headers=headers)
        self.requests.append((request.method, path, response.status))
        return response

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        ca_path, ca_cert, ca_key = ensure_ca(self.folder)
        cert, key = ensure_server_cert(self.folder, "capture", self.address, ca_cert, ca_key)
        self.ca_file = str(ca_path)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="capture-server", daemon=True)
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._serve(server_context(cert, key)), self._loop).result(30)
        self.base_uri = f"https://{self.address}:{port}"
        return self

    async def _serve(self, context):
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address, 0, ssl_context=context)
        await site.start()
        return self._runner.addresses[0][1]

    def stop(self):
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()
        self._loop = None
        (self.folder / "requests.log").write_text(self.request_log() + "\n")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False
