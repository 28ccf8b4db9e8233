"""Small helpers every resource handler uses: JSON replies with ETags, bodies, If-Match, privileges."""
import hashlib
import json

from aiohttp import web

from .errors import RedfishError

ODATA_HEADERS = {"OData-Version": "4.0"}
PRIVILEGES = {
    "Administrator": {"Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"},
    "Operator": {"Login", "ConfigureSelf", "ConfigureComponents"},
    "ReadOnly": {"Login", "ConfigureSelf"},
}


def _dumps(body):
    return json.dumps(body, separators=(",", ":"))


def etag_of(body, revision=None):
    """Stable across reads; changes with the content and with every write (`revision` counts writes
    that do not show, such as a new password or CHAP secret)."""
    text = json.dumps(body, sort_keys=True) + f"#{revision}"
    return f'W/"{hashlib.sha1(text.encode()).hexdigest()[:16]}"'


def described_by(odata_type):
    """Link header naming the JSON schema of a payload, as DSP0266 asks of GETs."""
    namespace = odata_type.lstrip("#").rsplit(".", 1)[0]
    return f"<https://redfish.dmtf.org/schemas/v1/{namespace}.json>; rel=describedby"


def reply(body, status=200, headers=None, etag=True, request=None, revision=None):
    """A Redfish JSON reply; @odata.etag in the body equals the ETag header."""
    headers = dict(headers or {})
    if "@odata.type" in body:
        headers["Link"] = described_by(body["@odata.type"])
    if etag:
        tag = etag_of(body, revision)
        if request is not None and request["bmc"].personality.strong_etags:
            tag = tag.removeprefix("W/")  # the same opaque value; _tag_matches compares either form
        if request is None or request["bmc"].personality.etag_in_body(request.path):
            body = {**body, "@odata.etag": tag}
        headers["ETag"] = tag
        if request is not None and request.method in ("GET", "HEAD") and _tag_matches(
                request.headers.get("If-None-Match"), tag):
            return web.Response(status=304, headers=headers)
    return web.json_response(body, status=status, headers=headers, dumps=_dumps)


def no_content(headers=None):
    return web.Response(status=204, headers=headers)


def _tag_matches(header, tag):
    if not header:
        return False
    wanted = [t.strip() for t in header.split(",")]
    bare = tag[2:] if tag.startswith("W/") else tag
    return "*" in wanted or any(t == tag or t == bare or t.removeprefix("W/") == bare for t in wanted)


def check_if_match(request, current_body, revision=None):
    """412 PreconditionFailed (and no change) when If-Match names another version of the resource.
    Callers check and then write without awaiting in between, so concurrent PATCHes cannot both win."""
    bmc = request["bmc"]
    header = request.headers.get("If-Match")
    if header is not None and bmc.personality.checks_if_match(request.path) \
            and not _tag_matches(header, etag_of(current_body, revision)):
        raise RedfishError.of(412, "PreconditionFailed")
    if request.method == "PATCH" and bmc.faults.take("etag_race"):
        raise RedfishError.of(412, "PreconditionFailed")


def _reject_constant(name):
    # Python's json accepts NaN and Infinity; JSON (RFC 8259) does not, and neither does a BMC.
    raise ValueError(f"{name} is not JSON")


async def read_object(request, allow_empty=False):
    """The request body as a JSON object, or the Base registry error a real service answers."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        # aiohttp raises its own HTTP exception here; uncaught it became a 500 InternalError.
        raise RedfishError.of(413, "PayloadTooLarge") from None
    try:
        body = json.loads(raw or b"{}", parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        raise RedfishError.of(400, "MalformedJSON") from None
    if not isinstance(body, dict):
        raise RedfishError.of(400, "UnrecognizedRequestBody")
    if not body and not allow_empty:
        raise RedfishError.of(400, "EmptyJSON")
    return body


def without_annotations(body):
    """The properties of a PATCH body; a body of annotations only is a request to do nothing."""
    props = {k: v for k, v in body.items() if "@" not in k}
    if not props:
        raise RedfishError.of(400, "NoOperation")
    return props


def require(request, privilege):
    role = request["principal"]["role"]
    if privilege not in PRIVILEGES.get(role, ()):
        raise RedfishError.of(403, "InsufficientPrivilege")


def collection(odata_id, odata_type, name, member_ids):
    return {"@odata.id": odata_id, "@odata.type": odata_type, "Name": name,
            "Members": [{"@odata.id": m} for m in member_ids], "Members@odata.count": len(member_ids)}
