"""Bad requests: each gets the error a real Redfish service gives, and changes nothing.

"Nothing changed" is checked three ways: the resource (and, for settings, the SettingsObject) reads
back with the same body and ETag, the admin API shows the same boots, faults, SAN and session count,
and every BMC's state file is the same as before the request.
"""
import json

import pytest
from support.mockup import assert_redfish_error

SYSTEM = "/redfish/v1/Systems/1"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
SETTINGS = FUNCTION + "/Settings"
OPTION = "/redfish/v1/Systems/1/BootOptions/Boot0000"
ACCOUNT = "/redfish/v1/AccountService/Accounts/1"
SESSION_SERVICE = "/redfish/v1/SessionService"
WATCHED = (SYSTEM, FUNCTION, SETTINGS, OPTION, ACCOUNT, SESSION_SERVICE)
JSON = {"Content-Type": "application/json"}


def snapshot(mockup, bmc):
    """Everything a bad request must leave alone."""
    resources = {}
    for path in WATCHED:
        response = bmc.get(path)
        assert response.status_code == 200, response.text
        resources[path] = (response.headers["ETag"], response.json())
    admin = {name: bmc.admin(name) for name in ("boot-history", "san", "faults")}
    files = {path.name: path.read_text() for path in sorted((mockup.state_dir / "bmcs").glob("*"))}
    return {"resources": resources, "admin": admin, "sessions": bmc.stats()["sessions"], "files": files}


@pytest.fixture
def unchanged(shared_mockup):
    """Yields the BMC; after the test, asserts that nothing a client or the admin API sees changed."""
    bmc = shared_mockup.bmc("esxi01")
    before = snapshot(shared_mockup, bmc)
    yield bmc
    after = snapshot(shared_mockup, bmc)
    for key in before:
        assert after[key] == before[key], f"{key} changed by a refused request"


# -- bodies that are not a usable JSON object ---------------------------------------------------------

@pytest.mark.parametrize("raw, message_id", [
    (b'{"Boot": {"BootSourceOverrideTarget": "Pxe"}', "MalformedJSON"),
    (b'{"Boot": {"BootSourceOverrideTarget": "Pxe",}}', "MalformedJSON"),
    (b"\xff\xfe{}", "MalformedJSON"),
    (b'{"Boot": {"BootOrder": NaN}}', "MalformedJSON"),  # not JSON, though Python's parser takes it
    (b'[{"Boot": {"BootSourceOverrideTarget": "Pxe"}}]', "UnrecognizedRequestBody"),
    (b'"Pxe"', "UnrecognizedRequestBody"),
    (b"null", "UnrecognizedRequestBody"),
    (b"{}", "EmptyJSON"),
    (b"", "EmptyJSON"),
])
@pytest.mark.parametrize("path", [SYSTEM, SETTINGS])
def test_unusable_body(unchanged, path, raw, message_id):
    response = unchanged.request("PATCH", path, data=raw, headers=JSON)
    assert_redfish_error(response, 400, message_id)


def test_payload_too_large_is_413_not_500(unchanged):
    body = json.dumps({"Boot": {"BootOrder": ["Boot0000"] * 200_000}}).encode()
    assert len(body) > 1024 * 1024
    response = unchanged.request("PATCH", SYSTEM, data=body, headers=JSON)
    assert_redfish_error(response, 413, "PayloadTooLarge")


@pytest.mark.parametrize("path, body", [
    (SYSTEM, {"@odata.etag": 'W/"0"'}),
    (SYSTEM, {"Boot@Redfish.AllowableValues": ["Pxe"]}),
    (SETTINGS, {"@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}),
])
def test_annotations_only_is_no_operation(unchanged, path, body):
    assert_redfish_error(unchanged.patch(path, body), 400, "NoOperation")


# -- properties the schema refuses ----------------------------------------------------------------

@pytest.mark.parametrize("path, body, message_id, pointer", [
    # wrong types
    (SETTINGS, {"iSCSIBoot": {"PrimaryLUN": "one"}}, "PropertyValueTypeError", "#/iSCSIBoot/PrimaryLUN"),
    (SETTINGS, {"iSCSIBoot": {"PrimaryVLANEnable": "yes"}}, "PropertyValueTypeError", "#/iSCSIBoot/PrimaryVLANEnable"),
    (SETTINGS, {"iSCSIBoot": {"PrimaryTargetTCPPort": True}}, "PropertyValueTypeError", "#/iSCSIBoot/PrimaryTargetTCPPort"),
    (SETTINGS, {"iSCSIBoot": "iqn.2024-01.org.example.san:esxi01"}, "PropertyValueTypeError", "#/iSCSIBoot"),
    (SYSTEM, {"Boot": {"BootOrder": [1]}}, "PropertyValueTypeError", "#/Boot/BootOrder"),
    (SYSTEM, {"Boot": {"BootOrder": "Boot0000"}}, "PropertyValueTypeError", "#/Boot/BootOrder"),
    (SYSTEM, {"Boot": ["Boot0000"]}, "PropertyValueTypeError", "#/Boot"),
    (OPTION, {"BootOptionEnabled": "false"}, "PropertyValueTypeError", "#/BootOptionEnabled"),
    (SESSION_SERVICE, {"SessionTimeout": "600"}, "PropertyValueTypeError", "#/SessionTimeout"),
    # out of range
    (SETTINGS, {"iSCSIBoot": {"PrimaryVLANId": 5000}}, "PropertyValueOutOfRange", "#/iSCSIBoot/PrimaryVLANId"),
    (SETTINGS, {"iSCSIBoot": {"SecondaryVLANId": -1}}, "PropertyValueOutOfRange", "#/iSCSIBoot/SecondaryVLANId"),
    (SESSION_SERVICE, {"SessionTimeout": 29}, "PropertyValueOutOfRange", "#/SessionTimeout"),
    # enums
    (SETTINGS, {"BootMode": "Floppy"}, "PropertyValueNotInList", "#/BootMode"),
    (SETTINGS, {"iSCSIBoot": {"AuthenticationMethod": "Kerberos"}}, "PropertyValueNotInList",
     "#/iSCSIBoot/AuthenticationMethod"),
    (SETTINGS, {"iSCSIBoot": {"IPAddressType": "IPv5"}}, "PropertyValueNotInList", "#/iSCSIBoot/IPAddressType"),
    (SYSTEM, {"Boot": {"BootSourceOverrideEnabled": "Sometimes"}}, "PropertyValueNotInList",
     "#/Boot/BootSourceOverrideEnabled"),
    # read-only
    (SYSTEM, {"Id": "2"}, "PropertyNotWritable", "#/Id"),
    (SYSTEM, {"PowerState": "Off"}, "PropertyNotWritable", "#/PowerState"),
    (SYSTEM, {"Status": {"State": "Disabled"}}, "PropertyNotWritable", "#/Status/State"),
    (SYSTEM, {"BootProgress": {"LastState": "OSRunning"}}, "PropertyNotWritable", "#/BootProgress/LastState"),
    (SETTINGS, {"NetDevFuncCapabilities": ["iSCSI"]}, "PropertyNotWritable", "#/NetDevFuncCapabilities"),
    (SETTINGS, {"Status": {"State": "Disabled"}}, "PropertyNotWritable", "#/Status/State"),
    (FUNCTION, {"Id": "3"}, "PropertyNotWritable", "#/Id"),
    (FUNCTION, {"NetDevFuncCapabilities": ["iSCSI"]}, "PropertyNotWritable", "#/NetDevFuncCapabilities"),
    (OPTION, {"Alias": "Pxe"}, "PropertyNotWritable", "#/Alias"),
    # writable in the schema, not implemented by this BMC
    (SYSTEM, {"AssetTag": "rack-7"}, "PropertyNotWritable", "#/AssetTag"),
    (SETTINGS, {"Ethernet": {"MTUSize": 9000}}, "PropertyNotWritable", "#/Ethernet/MTUSize"),
    # unknown
    (SYSTEM, {"Bootorder": ["Boot0000"]}, "PropertyUnknown", "#/Bootorder"),
    (SYSTEM, {"Boot": {"BootOrders": ["Boot0000"]}}, "PropertyUnknown", "#/Boot/BootOrders"),
    (SETTINGS, {"iSCSIBoot": {"PrimaryTarget": "iqn.x"}}, "PropertyUnknown", "#/iSCSIBoot/PrimaryTarget"),
    (FUNCTION, {"Frobnicate": 1}, "PropertyUnknown", "#/Frobnicate"),
    (ACCOUNT, {"Pasword": "another-password-1"}, "PropertyUnknown", "#/Pasword"),
])
def test_schema_refuses(unchanged, path, body, message_id, pointer):
    error = assert_redfish_error(unchanged.patch(path, body), 400, message_id, related=[pointer])
    dotted = pointer[2:].replace("/", ".")
    assert dotted in error["@Message.ExtendedInfo"][0]["MessageArgs"]


def test_override_target_not_offered(unchanged):
    # Floppy is in the schema's enum, but not in BootSourceOverrideTarget@Redfish.AllowableValues.
    assert "Floppy" not in unchanged.json(SYSTEM)["Boot"]["BootSourceOverrideTarget@Redfish.AllowableValues"]
    response = unchanged.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Floppy"}})
    assert_redfish_error(response, 400, "PropertyValueNotInList")


def test_null_boot_order_item_is_refused_not_500(unchanged):
    response = unchanged.patch(SYSTEM, {"Boot": {"BootOrder": [None]}})
    assert_redfish_error(response, 400, "PropertyValueNotInList")


def test_boot_order_must_name_existing_options(unchanged):
    response = unchanged.patch(SYSTEM, {"Boot": {"BootOrder": ["Boot0000", "Boot00FF"]}})
    assert_redfish_error(response, 400, "PropertyValueNotInList")


def test_one_good_one_bad_property_applies_neither(unchanged):
    response = unchanged.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe",
                                                  "BootSourceOverrideEnabled": "Once"}, "Frobnicate": 1})
    assert_redfish_error(response, 400, "PropertyUnknown", related=["#/Frobnicate"])
    response = unchanged.patch(SETTINGS, {"BootMode": "iSCSI", "iSCSIBoot": {
        "PrimaryTargetName": "iqn.2024-01.org.example.san:esxi01", "PrimaryVLANId": 5000}})
    assert_redfish_error(response, 400, "PropertyValueOutOfRange", related=["#/iSCSIBoot/PrimaryVLANId"])
    assert unchanged.json(SETTINGS)["BootMode"] == "PXE"
    assert unchanged.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "None"


def test_every_problem_is_reported(unchanged):
    response = unchanged.patch(SETTINGS, {"BootMode": "Floppy", "Frobnicate": 1,
                                          "iSCSIBoot": {"PrimaryLUN": "one", "PrimaryVLANId": 5000}})
    error = assert_redfish_error(response, 400, "PropertyValueNotInList", "PropertyUnknown",
                                 "PropertyValueTypeError", "PropertyValueOutOfRange")
    assert error["code"] == "Base.1.22.1.GeneralError"


def test_bad_apply_time(unchanged):
    body = {"BootMode": "iSCSI", "@Redfish.SettingsApplyTime": {"ApplyTime": "Whenever"}}
    assert_redfish_error(unchanged.patch(SETTINGS, body), 400, "PropertyValueNotInList")


# -- URIs and methods ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path, patchable", [
    ("/redfish/v1/Systems/2", True), ("/redfish/v1/Nope", True), ("/redfish/v2", True),
    ("/redfish/v1/Systems/1/BootOptions/Boot00FF", True), ("/redfish/v1/AccountService/Accounts/99", True),
    (FUNCTION.replace("Functions/1", "Functions/9"), True), (SETTINGS.replace("Functions/1", "Functions/9"), True),
    ("/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.9", False), ("/redfish/v1/SessionService/Sessions/nope", False),
    ("/redfish/v1/TaskService/Tasks/999", False),
])
def test_unknown_uri_is_404(unchanged, path, patchable):
    assert_redfish_error(unchanged.get(path), 404, "ResourceNotFound")
    assert unchanged.request("HEAD", path).status_code == 404
    if patchable:
        # Where such resources take PATCH (or no route matches), a missing one is 404 as well.
        assert_redfish_error(unchanged.patch(path, {"Name": "x"}), 404, "ResourceNotFound")


@pytest.mark.parametrize("method, path, allow", [
    ("DELETE", SYSTEM, {"GET", "HEAD", "PATCH"}),
    ("POST", SYSTEM, {"GET", "HEAD", "PATCH"}),
    ("PUT", SYSTEM, {"GET", "HEAD", "PATCH"}),
    ("POST", OPTION, {"GET", "HEAD", "PATCH"}),
    ("DELETE", OPTION, {"GET", "HEAD", "PATCH"}),
    ("POST", FUNCTION, {"GET", "HEAD", "PATCH"}),
    ("DELETE", SETTINGS, {"GET", "HEAD", "PATCH"}),
    ("PATCH", "/redfish/v1/Systems", {"GET", "HEAD"}),
    ("GET", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", {"POST"}),
    ("DELETE", "/redfish/v1", {"GET", "HEAD"}),
])
def test_method_not_allowed(unchanged, method, path, allow):
    response = unchanged.request(method, path, json={"ResetType": "ForceOff"})
    assert_redfish_error(response, 405, "OperationNotAllowed")
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allow


def test_fleet_admin_account_cannot_be_deleted(unchanged):
    response = unchanged.delete(ACCOUNT)
    assert_redfish_error(response, 405, "OperationNotAllowed")
    assert "DELETE" not in response.headers["Allow"]


# -- authentication -----------------------------------------------------------------------------------

def _assert_unauthorized(response):
    assert_redfish_error(response, 401, "NoValidSession")


@pytest.mark.parametrize("method, path, body", [
    ("GET", SYSTEM, None), ("PATCH", SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}),
    ("GET", "/redfish/v1/Systems/2", None),  # authentication first: a 404 would tell what exists
    ("PATCH", SETTINGS, {"BootMode": "iSCSI"}), ("DELETE", SYSTEM, None),
    ("POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", {"ResetType": "ForceOff"}),
    ("GET", "/redfish/v1/SessionService/Sessions", None),
])
def test_missing_credentials(unchanged, method, path, body):
    response = unchanged.request(method, path, auth=None, json=body)
    _assert_unauthorized(response)
    assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("credentials", [("admin", "not-the-password"), ("nobody", "test-only-bmc-pass"),
                                         ("admin", ""), ("", "")])
def test_bad_basic_credentials(unchanged, credentials):
    _assert_unauthorized(unchanged.request("GET", SYSTEM, auth=credentials))
    response = unchanged.request("PATCH", SYSTEM, auth=credentials, json={"Boot": {"BootSourceOverrideTarget": "Pxe"}})
    _assert_unauthorized(response)


@pytest.mark.parametrize("header", ["Basic !!!not-base64", "Basic " + "//79OnBhc3M=", "Bearer abc", "Digest x"])
def test_garbled_authorization_header(unchanged, header):
    _assert_unauthorized(unchanged.request("GET", SYSTEM, auth=None, headers={"Authorization": header}))


def test_bogus_and_deleted_tokens(unchanged):
    for token in ("0" * 32, "not-a-token", "x" * 1000):
        _assert_unauthorized(unchanged.with_token(token).get(SYSTEM))
    login = unchanged.login()
    assert login.status_code == 201, login.text
    client = unchanged.with_token(login.headers["X-Auth-Token"])
    assert client.get(SYSTEM).status_code == 200
    assert client.delete(login.headers["Location"]).status_code == 204
    _assert_unauthorized(client.get(SYSTEM))
    _assert_unauthorized(client.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}))


def test_bad_token_does_not_fall_back_to_basic(unchanged):
    response = unchanged.get(SYSTEM, headers={"X-Auth-Token": "0" * 32}, auth=unchanged.auth)
    _assert_unauthorized(response)


# -- preconditions and protocol ------------------------------------------------------------------

@pytest.mark.parametrize("path, body", [
    (SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}),
    (SETTINGS, {"BootMode": "iSCSI"}),
    (FUNCTION, {"BootMode": "Disabled"}),
    (OPTION, {"BootOptionEnabled": False}),
    (SESSION_SERVICE, {"SessionTimeout": 600}),
    (ACCOUNT, {"Enabled": True}),
])
@pytest.mark.parametrize("if_match", ['W/"0123456789abcdef"', '"0123456789abcdef"', ""])
def test_wrong_if_match_is_412(unchanged, path, body, if_match):
    response = unchanged.patch(path, body, headers={"If-Match": if_match})
    assert_redfish_error(response, 412, "PreconditionFailed")


def test_correct_if_match_succeeds(mockup):
    bmc = mockup.bmc()
    etag = bmc.get(SYSTEM).headers["ETag"]
    response = bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    assert response.json()["Boot"]["BootSourceOverrideTarget"] == "Pxe"
    assert response.headers["ETag"] != etag
    # The old ETag is now stale.
    stale = bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Cd"}}, headers={"If-Match": etag})
    assert_redfish_error(stale, 412, "PreconditionFailed")
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "Pxe"
    # A strong form of the same tag and "*" are accepted too.
    etag = bmc.get(SETTINGS).headers["ETag"]
    response = bmc.patch(SETTINGS, {"BootMode": "iSCSI"}, headers={"If-Match": etag.removeprefix("W/")})
    assert response.status_code == 200, response.text
    response = bmc.patch(FUNCTION, {"BootMode": "Disabled"}, headers={"If-Match": "*"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("version", ["4.1", "5.0", "3"])
def test_unsupported_odata_version_is_412(unchanged, version):
    response = unchanged.get(SYSTEM, headers={"OData-Version": version})
    assert_redfish_error(response, 412, "HeaderInvalid")
    response = unchanged.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}, headers={"OData-Version": version})
    assert_redfish_error(response, 412, "HeaderInvalid")
    assert unchanged.get(SYSTEM, headers={"OData-Version": "4.0"}).status_code == 200


@pytest.mark.parametrize("query", ["$select=Id", "$skip=1", "$filter=Id eq '1'", "$top=1", "only", "excerpt"])
def test_query_options_are_501(unchanged, query):
    """Every query option but the advertised `$expand` forms (test_expand.py)."""
    response = unchanged.get(f"{SYSTEM}?{query}")
    assert_redfish_error(response, 501, "QueryParameterUnsupported")


# -- secrets in error bodies --------------------------------------------------------------------

SECRET = "Sup3r-Secret-Value-42"


@pytest.mark.parametrize("path, body", [
    (ACCOUNT, {"Password": 9876543210123}),
    (ACCOUNT, {"Password": [SECRET]}),
    (ACCOUNT, {"Password": {"value": SECRET}}),
    (ACCOUNT, {"Password": SECRET[:5]}),
    (ACCOUNT, {"Password": SECRET * 5}),
    (SETTINGS, {"iSCSIBoot": {"CHAPSecret": [SECRET]}}),
    (SETTINGS, {"iSCSIBoot": {"MutualCHAPSecret": {"s": SECRET}}}),
    (SETTINGS, {"iSCSIBoot": {"CHAPSecret": 9876543210123}}),
    ("/redfish/v1/AccountService/Accounts", {"UserName": "op", "Password": [SECRET], "RoleId": "Operator"}),
])
def test_errors_never_echo_secrets(unchanged, path, body):
    method = "POST" if path.endswith("Accounts") else "PATCH"
    response = unchanged.request(method, path, json=body)
    assert response.status_code == 400, response.text
    for leaked in (SECRET, SECRET[:5], "9876543210123"):
        assert leaked not in response.text


def test_failed_logins_never_echo_password_or_token(shared_mockup):
    # Not `unchanged`: a failed login is logged in the event log, as BMCs do.
    unchanged = shared_mockup.bmc()
    response = unchanged.login(password=SECRET)
    assert_redfish_error(response, 401, "NoValidSession")
    assert SECRET not in response.text and "X-Auth-Token" not in response.headers
    response = unchanged.post("/redfish/v1/SessionService/Sessions", {"UserName": "admin", "Password": [SECRET]},
                              auth=False)
    assert response.status_code == 400 and SECRET not in response.text
    token = "f" * 32
    response = unchanged.with_token(token).get(SYSTEM)
    assert response.status_code == 401 and token not in response.text
    response = unchanged.request("GET", SYSTEM, auth=("admin", SECRET))
    assert response.status_code == 401 and SECRET not in response.text
