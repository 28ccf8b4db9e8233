"""Sessions (login, logout, expiry, limit) and accounts with fewer privileges."""
import re

import pytest
from support.mockup import assert_redfish_error, fast_fleet

SERVICE = "/redfish/v1/SessionService"
SESSIONS = SERVICE + "/Sessions"
ACCOUNTS = "/redfish/v1/AccountService/Accounts"
SYSTEM = "/redfish/v1/Systems/1"


def _login_ok(bmc, **kwargs):
    response = bmc.login(**kwargs)
    assert response.status_code == 201, response.text
    return response


def _create_account(bmc, username, role, password="readonly-pass-1"):
    response = bmc.post(ACCOUNTS, {"UserName": username, "Password": password, "RoleId": role})
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == response.json()["@odata.id"]
    return response.headers["Location"]


def test_login_resource_and_logout(mockup):
    bmc = mockup.bmc()
    sessions_before = bmc.stats()["sessions"]
    response = _login_ok(bmc)
    token, location = response.headers["X-Auth-Token"], response.headers["Location"]
    assert re.fullmatch(r"[0-9a-f]{32}", token), token
    assert location.startswith(SESSIONS + "/")
    body = response.json()
    assert body["@odata.id"] == location and body["UserName"] == "admin"
    assert body["@odata.type"].startswith("#Session.")
    assert token not in response.text  # the token travels in the header only
    assert bmc.stats()["sessions"] == sessions_before + 1

    client = bmc.with_token(token)
    session = client.get(location)
    assert session.status_code == 200 and session.json()["Id"] == body["Id"]
    assert token not in session.text
    members = [m["@odata.id"] for m in client.json(SESSIONS)["Members"]]
    assert location in members
    assert client.get(SYSTEM).status_code == 200

    assert client.delete(location).status_code == 204
    assert bmc.stats()["sessions"] == sessions_before
    assert_redfish_error(client.get(SYSTEM), 401, "NoValidSession")
    assert_redfish_error(bmc.get(location), 404, "ResourceNotFound")
    assert location not in [m["@odata.id"] for m in bmc.json(SESSIONS)["Members"]]


def test_two_sessions_have_different_tokens_and_ids(mockup):
    bmc = mockup.bmc()
    first, second = _login_ok(bmc), _login_ok(bmc)
    assert first.headers["X-Auth-Token"] != second.headers["X-Auth-Token"]
    assert first.headers["Location"] != second.headers["Location"]
    # Logging one out leaves the other alone.
    assert bmc.delete(first.headers["Location"]).status_code == 204
    assert bmc.with_token(second.headers["X-Auth-Token"]).get(SYSTEM).status_code == 200


def test_post_to_members_creates_a_session(mockup):
    bmc = mockup.bmc()
    response = _login_ok(bmc, path=SESSIONS + "/Members")
    assert response.headers["Location"].startswith(SESSIONS + "/")
    assert bmc.with_token(response.headers["X-Auth-Token"]).get(SYSTEM).status_code == 200


@pytest.mark.parametrize("body, status, message_ids", [
    ({"UserName": "admin"}, 400, ["CreateFailedMissingReqProperties"]),
    ({"Password": "x"}, 400, ["CreateFailedMissingReqProperties"]),
    ({"UserName": "admin", "Password": 5}, 400, ["PropertyValueTypeError"]),
    ({"UserName": "admin", "Password": "wrong-password"}, 401, ["NoValidSession"]),
    ({"UserName": "nobody", "Password": "test-only-bmc-pass"}, 401, ["NoValidSession"]),
])
def test_bad_logins_create_nothing(shared_mockup, body, status, message_ids):
    bmc = shared_mockup.bmc()
    before = bmc.stats()["sessions"]
    response = bmc.post(SESSIONS, body, auth=False)
    assert_redfish_error(response, status, *message_ids)
    assert "X-Auth-Token" not in response.headers
    assert bmc.stats()["sessions"] == before


def test_session_limit(mockup_factory):
    fleet = fast_fleet()
    fleet["defaults"]["session_limit"] = 2
    bmc = mockup_factory(fleet).bmc()
    first, second = _login_ok(bmc), _login_ok(bmc)
    refused = bmc.login()
    assert_redfish_error(refused, 503, "SessionLimitExceeded")
    assert "X-Auth-Token" not in refused.headers
    assert bmc.stats()["sessions"] == 2
    # Basic authentication does not need a session slot.
    assert bmc.get(SYSTEM).status_code == 200
    assert bmc.delete(first.headers["Location"]).status_code == 204
    third = _login_ok(bmc)
    assert bmc.with_token(third.headers["X-Auth-Token"]).get(SYSTEM).status_code == 200
    assert bmc.with_token(second.headers["X-Auth-Token"]).get(SYSTEM).status_code == 200
    assert_redfish_error(bmc.login(), 503, "SessionLimitExceeded")


def test_expired_sessions_are_refused(mockup):
    bmc = mockup.bmc()
    token = _login_ok(bmc).headers["X-Auth-Token"]
    assert bmc.with_token(token).get(SYSTEM).status_code == 200
    bmc.fault("expire_sessions")
    assert_redfish_error(bmc.with_token(token).get(SYSTEM), 401, "NoValidSession")
    assert bmc.stats()["sessions"] == 0
    assert bmc.get(SYSTEM).status_code == 200  # basic authentication still works
    assert bmc.with_token(_login_ok(bmc).headers["X-Auth-Token"]).get(SYSTEM).status_code == 200


def test_session_timeout_range(mockup):
    bmc = mockup.bmc()
    assert bmc.json(SERVICE)["SessionTimeout"] == 1800
    for value in (29, 86401, 0, -30):
        response = bmc.patch(SERVICE, {"SessionTimeout": value})
        assert_redfish_error(response, 400, "PropertyValueOutOfRange", related=["#/SessionTimeout"])
    assert bmc.json(SERVICE)["SessionTimeout"] == 1800
    for value in (30, 86400):
        response = bmc.patch(SERVICE, {"SessionTimeout": value})
        assert response.status_code == 200, response.text
        assert response.json()["SessionTimeout"] == value == bmc.json(SERVICE)["SessionTimeout"]
    assert mockup.persisted()["session_timeout"] == 86400


def test_readonly_account(mockup):
    admin = mockup.bmc()
    location = _create_account(admin, "viewer", "ReadOnly")
    viewer = admin.as_user("viewer", "readonly-pass-1")
    assert viewer.get(SYSTEM).status_code == 200
    before = admin.get(SYSTEM).headers["ETag"]
    response = viewer.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}})
    assert_redfish_error(response, 403, "InsufficientPrivilege")
    assert admin.get(SYSTEM).headers["ETag"] == before
    response = viewer.post(SYSTEM + "/Actions/ComputerSystem.Reset", {"ResetType": "ForceOff"})
    assert_redfish_error(response, 403, "InsufficientPrivilege")
    assert admin.json(SYSTEM)["PowerState"] == "On"
    # Not another user's password, nor its own role; its own password, yes.
    response = viewer.patch(ACCOUNTS + "/1", {"Password": "hijacked-pass-1"})
    assert_redfish_error(response, 403, "InsufficientPrivilege")
    assert admin.get(SYSTEM).status_code == 200
    assert_redfish_error(viewer.patch(location, {"RoleId": "Administrator"}), 403, "InsufficientPrivilege")
    assert_redfish_error(viewer.post(ACCOUNTS, {"UserName": "x", "Password": "xxxxxxxxxx", "RoleId": "ReadOnly"}),
                         403, "InsufficientPrivilege")
    assert_redfish_error(viewer.patch(SERVICE, {"SessionTimeout": 600}), 403, "InsufficientPrivilege")
    assert viewer.patch(location, {"Password": "readonly-pass-2"}).status_code == 200
    assert_redfish_error(viewer.get(SYSTEM), 401, "NoValidSession")
    viewer = admin.as_user("viewer", "readonly-pass-2")
    assert viewer.get(SYSTEM).status_code == 200
    # The admin API is for administrators (it is not Redfish: no OData-Version header there).
    response = viewer.get("/mockup/stats")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "Base.1.22.1.InsufficientPrivilege"


def test_readonly_session_sees_only_its_own_sessions(mockup):
    admin = mockup.bmc()
    _create_account(admin, "viewer", "ReadOnly")
    admin_session = _login_ok(admin).headers["Location"]
    viewer_login = _login_ok(admin, username="viewer", password="readonly-pass-1")
    viewer = admin.with_token(viewer_login.headers["X-Auth-Token"])
    members = [m["@odata.id"] for m in viewer.json(SESSIONS)["Members"]]
    assert members == [viewer_login.headers["Location"]]
    assert_redfish_error(viewer.get(admin_session), 404, "ResourceNotFound")
    assert_redfish_error(viewer.delete(admin_session), 404, "ResourceNotFound")
    assert admin.get(admin_session).status_code == 200
    all_members = {m["@odata.id"] for m in admin.json(SESSIONS)["Members"]}
    assert {admin_session, viewer_login.headers["Location"]} <= all_members


def test_password_change_and_deletion_end_other_sessions(mockup):
    admin = mockup.bmc()
    location = _create_account(admin, "operator", "Operator", password="operator-pass-1")
    token = _login_ok(admin, username="operator", password="operator-pass-1").headers["X-Auth-Token"]
    operator = admin.with_token(token)
    assert operator.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}).status_code == 200
    assert admin.patch(location, {"Password": "operator-pass-2"}).status_code == 200
    assert_redfish_error(operator.get(SYSTEM), 401, "NoValidSession")
    token = _login_ok(admin, username="operator", password="operator-pass-2").headers["X-Auth-Token"]
    assert admin.delete(location).status_code == 204
    assert_redfish_error(admin.with_token(token).get(SYSTEM), 401, "NoValidSession")
    assert_redfish_error(admin.login(username="operator", password="operator-pass-2"), 401, "NoValidSession")


@pytest.mark.parametrize("body, message_id", [
    ({"UserName": "admin", "Password": "another-pass-1", "RoleId": "ReadOnly"}, "ResourceAlreadyExists"),
    ({"UserName": "x", "Password": "short", "RoleId": "ReadOnly"}, "PropertyValueFormatError"),
    ({"UserName": "x", "Password": "long-enough-1", "RoleId": "Emperor"}, "PropertyValueNotInList"),
    ({"UserName": "a:b", "Password": "long-enough-1", "RoleId": "ReadOnly"}, "PropertyValueFormatError"),
    ({"UserName": "", "Password": "long-enough-1", "RoleId": "ReadOnly"}, "PropertyValueFormatError"),
    ({"UserName": "x", "Password": None, "RoleId": "ReadOnly"}, "PropertyValueTypeError"),
    ({"UserName": "x", "Password": "long-enough-1", "RoleId": ["ReadOnly"]}, "PropertyValueTypeError"),
    ({"UserName": "x", "RoleId": "ReadOnly"}, "CreateFailedMissingReqProperties"),
])
def test_bad_account_creation(shared_mockup, body, message_id):
    bmc = shared_mockup.bmc()
    before = bmc.json(ACCOUNTS)["Members"]
    response = bmc.post(ACCOUNTS, body)
    assert response.status_code in (400, 409), response.text
    assert message_id in [m["MessageId"].rsplit(".", 1)[-1] for m in response.json()["error"]["@Message.ExtendedInfo"]]
    assert bmc.json(ACCOUNTS)["Members"] == before


def test_account_cannot_be_renamed_onto_another(mockup):
    bmc = mockup.bmc()
    location = _create_account(bmc, "viewer", "ReadOnly")
    response = bmc.patch(location, {"UserName": "admin"})
    assert_redfish_error(response, 409, "ResourceAlreadyExists")
    assert bmc.json(location)["UserName"] == "viewer"
    assert bmc.get(SYSTEM).status_code == 200  # admin still logs in with its own password
    assert_redfish_error(bmc.patch(ACCOUNTS + "/1", {"Password": None}), 400, "PropertyValueTypeError")
    assert bmc.get(SYSTEM).status_code == 200


def test_admin_sessions_lists_live_sessions_and_every_token_issued(mockup):
    """GET /mockup/sessions: the live sessions without their tokens, and every token issued since the start
    (a logged-out one too), so that a test can look for them in a client's output."""
    bmc = mockup.bmc()
    first, second = _login_ok(bmc), _login_ok(bmc)
    assert bmc.delete(first.headers["Location"]).status_code == 204
    view = bmc.admin("sessions")
    assert [s["Id"] for s in view["live"]] == [second.json()["Id"]]
    assert view["live"][0]["UserName"] == "admin"
    assert second.headers["X-Auth-Token"] not in str(view["live"])
    assert view["issued_tokens"][-2:] == [first.headers["X-Auth-Token"], second.headers["X-Auth-Token"]]
