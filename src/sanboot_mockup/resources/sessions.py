"""SessionService: log in with POST, log out with DELETE; the idle timeout is writable."""
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, collection, no_content, read_object, reply, require, without_annotations
from ..schema import check_patch
from ..sessions import check_password
from . import V1

SERVICE = f"{V1}/SessionService"
SESSIONS = f"{SERVICE}/Sessions"


def _service(bmc):
    return {"@odata.id": SERVICE, "@odata.type": "#SessionService.v1_2_0.SessionService",
            "Id": "SessionService", "Name": "Session Service", "ServiceEnabled": True,
            "SessionTimeout": bmc.sessions.timeout, "Sessions": {"@odata.id": SESSIONS},
            "Status": {"State": "Enabled", "Health": "OK"}}


def _session(session):
    return {"@odata.id": f"{SESSIONS}/{session.id}", "@odata.type": "#Session.v1_8_0.Session",
            "Id": session.id, "Name": "User Session", "UserName": session.username,
            "CreatedTime": session.created, "SessionType": "Redfish"}


async def get_service(request, bmc):
    return reply(_service(bmc), request=request)


async def patch_service(request, bmc):
    require(request, "ConfigureManager")
    body = without_annotations(await read_object(request))
    check_if_match(request, _service(bmc))
    problems = check_patch("SessionService.v1_2_0.json", "SessionService", body, {"SessionTimeout"})
    timeout = body.get("SessionTimeout")
    if not problems and timeout is not None and not 30 <= timeout <= 86400:
        problems = [message("PropertyValueOutOfRange", timeout, "SessionTimeout", related=["#/SessionTimeout"])]
    if problems:
        raise RedfishError(400, problems)
    if timeout is not None:
        bmc.sessions.timeout = bmc.state["session_timeout"] = timeout
        bmc.save()
    return reply(_service(bmc), request=request)


async def list_sessions(request, bmc):
    principal = request["principal"]
    visible = [s for s in bmc.sessions.live()
               if principal["role"] == "Administrator" or s.username == principal["username"]]
    return reply(collection(SESSIONS, "#SessionCollection.SessionCollection", "Session Collection",
                            [f"{SESSIONS}/{s.id}" for s in visible]), request=request)


async def login(request, bmc):
    body = await read_object(request)
    username, password = body.get("UserName"), body.get("Password")
    missing = [name for name in ("UserName", "Password") if name not in body]
    if missing:
        raise RedfishError(400, [message("CreateFailedMissingReqProperties", name) for name in missing])
    if not isinstance(username, str) or not isinstance(password, str):
        raise RedfishError.of(400, "PropertyValueTypeError", "(hidden)", "UserName/Password")
    account_id, account = bmc.account_by_name(username)
    if account is None or not account["Enabled"] or account["Locked"] or not check_password(password, account["Password"]):
        bmc.log("Warning", f"Failed login for user {username!r}")
        raise RedfishError.of(401, "NoValidSession")
    session = bmc.sessions.create(username, account["RoleId"], request.remote or "")
    if session is None:
        raise RedfishError.of(503, "SessionLimitExceeded")
    location = f"{SESSIONS}/{session.id}"
    return reply(_session(session), status=201, etag=False,
                 headers={"X-Auth-Token": session.token, "Location": location})


def _find(request, bmc, session_id):
    session = bmc.sessions.by_id(session_id)
    principal = request["principal"]
    if session is None or (principal["role"] != "Administrator" and session.username != principal["username"]):
        raise not_found("Session", session_id)
    return session


async def get_session(request, bmc, session_id):
    return reply(_session(_find(request, bmc, session_id)), request=request)


async def delete_session(request, bmc, session_id):
    bmc.sessions.delete(_find(request, bmc, session_id))
    return no_content()


ROUTES = [
    (SERVICE, {"GET": get_service, "PATCH": patch_service}),
    (SESSIONS, {"GET": list_sessions, "POST": login}),
    (SESSIONS + "/Members", {"POST": login}),  # DSP0266: POST to the Members property creates too
    (SESSIONS + "/{session_id}", {"GET": get_session, "DELETE": delete_session}),
]


def routes(ids):
    return list(ROUTES)
