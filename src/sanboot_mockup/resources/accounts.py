"""AccountService: enough of it for real clients and the Protocol Validator to manage users."""
from ..errors import RedfishError, message, not_found
from ..http import PRIVILEGES, check_if_match, collection, no_content, read_object, reply, require, without_annotations
from ..schema import check_patch
from ..sessions import hash_password
from . import V1

SERVICE = f"{V1}/AccountService"
ACCOUNTS = f"{SERVICE}/Accounts"
ROLES = f"{SERVICE}/Roles"
MIN_PASSWORD, MAX_PASSWORD = 8, 64
ACCOUNT_WRITABLE = {"UserName", "Password", "RoleId", "Enabled", "Locked"}


def _service(bmc):
    return {"@odata.id": SERVICE, "@odata.type": "#AccountService.v1_18_1.AccountService",
            "Id": "AccountService", "Name": "Account Service", "ServiceEnabled": True,
            "MinPasswordLength": MIN_PASSWORD, "MaxPasswordLength": MAX_PASSWORD,
            "AuthFailureLoggingThreshold": 3, "AccountLockoutThreshold": 0,
            "LocalAccountAuth": "Enabled", "HTTPBasicAuth": "Enabled",
            "Accounts": {"@odata.id": ACCOUNTS}, "Roles": {"@odata.id": ROLES},
            "Status": {"State": "Enabled", "Health": "OK"}}


def _account(account_id, account):
    return {"@odata.id": f"{ACCOUNTS}/{account_id}", "@odata.type": "#ManagerAccount.v1_14_1.ManagerAccount",
            "Id": account_id, "Name": "User Account", "UserName": account["UserName"], "Password": None,
            "RoleId": account["RoleId"], "Enabled": account["Enabled"], "Locked": account["Locked"],
            "AccountTypes": ["Redfish"], "Links": {"Role": {"@odata.id": f"{ROLES}/{account['RoleId']}"}}}


def _role(role_id):
    return {"@odata.id": f"{ROLES}/{role_id}", "@odata.type": "#Role.v1_3_3.Role", "Id": role_id,
            "Name": f"{role_id} Role", "RoleId": role_id, "IsPredefined": True,
            "AssignedPrivileges": sorted(PRIVILEGES[role_id])}


def _validate_values(body):
    problems = []
    name = body.get("UserName")
    if isinstance(name, str) and (not name.strip() or ":" in name):
        # HTTP Basic splits "user:password" at the first colon: such a user could never log in.
        problems.append(message("PropertyValueFormatError", name, "UserName", related=["#/UserName"]))
    if "Password" in body and body["Password"] is None:
        # Null is what a GET shows; as a new password it would be stored as nothing (was a 500).
        problems.append(message("PropertyValueTypeError", "null", "Password", related=["#/Password"]))
    # Only strings: a list or object here (already a type error) is unhashable and was a 500.
    if isinstance(body.get("RoleId"), str) and body["RoleId"] not in PRIVILEGES:
        problems.append(message("PropertyValueNotInList", body["RoleId"], "RoleId", related=["#/RoleId"]))
    password = body.get("Password")
    if isinstance(password, str) and not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        problems.append(message("PropertyValueFormatError", "(hidden)", "Password", related=["#/Password"]))
    if body.get("Locked") is True:
        problems.append(message("PropertyValueNotInList", "true", "Locked", related=["#/Locked"]))
    return problems


async def get_service(request, bmc):
    return reply(_service(bmc), request=request)


async def list_accounts(request, bmc):
    ids = sorted(bmc.state["accounts"], key=int)
    return reply(collection(ACCOUNTS, "#ManagerAccountCollection.ManagerAccountCollection", "Accounts",
                            [f"{ACCOUNTS}/{i}" for i in ids]), request=request)


def _find(request, bmc, account_id):
    account = bmc.state["accounts"].get(account_id)
    principal = request["principal"]
    if account is None:
        raise not_found("ManagerAccount", account_id)
    if account["UserName"] != principal["username"]:
        require(request, "ConfigureUsers")
    return account


async def get_account(request, bmc, account_id):
    account = _find(request, bmc, account_id)
    return reply(_account(account_id, account), request=request, revision=account.get("rev"))


async def create_account(request, bmc):
    require(request, "ConfigureUsers")
    body = await read_object(request)
    problems = check_patch("ManagerAccount.v1_14_1.json", "ManagerAccount", body, ACCOUNT_WRITABLE)
    problems += [message("CreateFailedMissingReqProperties", name)
                 for name in ("UserName", "Password", "RoleId") if name not in body]
    problems += _validate_values(body)
    if problems:
        raise RedfishError(400, problems)
    if bmc.account_by_name(body["UserName"])[1] is not None:
        raise RedfishError.of(409, "ResourceAlreadyExists", "ManagerAccount", "UserName", body["UserName"])
    account_id = str(bmc.state["account_seq"])
    bmc.state["account_seq"] += 1
    account = {"UserName": body["UserName"], "Password": hash_password(body["Password"]),
               "RoleId": body["RoleId"], "Enabled": body.get("Enabled", True), "Locked": False}
    bmc.state["accounts"][account_id] = account
    bmc.save()
    return reply(_account(account_id, account), status=201, headers={"Location": f"{ACCOUNTS}/{account_id}"})


async def patch_account(request, bmc, account_id):
    account = _find(request, bmc, account_id)
    body = without_annotations(await read_object(request))
    check_if_match(request, _account(account_id, account), account.get("rev"))
    own = account["UserName"] == request["principal"]["username"]
    if own and set(body) - {"Password"} and request["principal"]["role"] != "Administrator":
        raise RedfishError.of(403, "InsufficientPrivilege")
    problems = check_patch("ManagerAccount.v1_14_1.json", "ManagerAccount", body, ACCOUNT_WRITABLE)
    problems += _validate_values(body)
    if problems:
        raise RedfishError(400, problems)
    old_name = account["UserName"]
    if body.get("UserName", old_name) != old_name and bmc.account_by_name(body["UserName"])[1] is not None:
        # Two accounts with one name: logins would silently pick the first of them.
        raise RedfishError.of(409, "ResourceAlreadyExists", "ManagerAccount", "UserName", body["UserName"])
    for key, value in body.items():
        account[key] = hash_password(value) if key == "Password" else value
    account["rev"] = account.get("rev", 0) + 1
    if "Password" in body or body.get("Enabled") is False or "UserName" in body or "RoleId" in body:
        # A changed credential or role ends the account's other sessions, as BMCs do.
        current = request["principal"].get("session")
        for session in [s for s in bmc.sessions.live() if s.username == old_name and s is not current]:
            bmc.sessions.delete(session)
    bmc.save()
    return reply(_account(account_id, account), request=request, revision=account["rev"])


async def delete_account(request, bmc, account_id):
    require(request, "ConfigureUsers")
    account = _find(request, bmc, account_id)
    if account_id == "1":
        # The fleet's own administrator account stays: the BMC would be unreachable without it.
        raise RedfishError.of(405, "OperationNotAllowed", headers={"Allow": "GET, HEAD, PATCH"})
    del bmc.state["accounts"][account_id]
    bmc.sessions.delete_user(account["UserName"])
    bmc.save()
    return no_content()


async def list_roles(request, bmc):
    return reply(collection(ROLES, "#RoleCollection.RoleCollection", "Roles",
                            [f"{ROLES}/{r}" for r in PRIVILEGES]), request=request)


async def get_role(request, bmc, role_id):
    if role_id not in PRIVILEGES:
        raise not_found("Role", role_id)
    return reply(_role(role_id), request=request)


ROUTES = [
    (SERVICE, {"GET": get_service}),
    (ACCOUNTS, {"GET": list_accounts, "POST": create_account}),
    (ACCOUNTS + "/{account_id}", {"GET": get_account, "PATCH": patch_account, "DELETE": delete_account}),
    (ROLES, {"GET": list_roles}),
    (ROLES + "/{role_id}", {"GET": get_role}),
]


def routes(ids):
    return list(ROUTES)
