"""The protocol surface: version document, public and protected resources, OData headers, Link
and Allow, HEAD, $metadata against every payload of the tree, ETags, and secrets that read back null."""
import threading
import xml.etree.ElementTree as ET

import pytest
from support.mockup import GOOD_ISCSI, assert_redfish_error

SYSTEM = "/redfish/v1/Systems/1"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
SETTINGS = FUNCTION + "/Settings"
EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"


@pytest.fixture(scope="module")
def populated(shared_mockup):
    """A BMC whose tree has every kind of resource: a task, log entries, an iSCSI boot option,
    a second account and a session."""
    bmc = shared_mockup.bmc("esxi01")
    response = bmc.configure_iscsi(GOOD_ISCSI["esxi01"], apply_time="Immediate")
    assert response.status_code == 202, response.text
    assert bmc.wait_task(response.headers["Location"])["TaskState"] == "Completed"
    assert bmc.boot_once()["outcome"] == "booted"
    response = bmc.post("/redfish/v1/AccountService/Accounts",
                        {"UserName": "viewer", "Password": "viewer-pass-1", "RoleId": "ReadOnly"})
    assert response.status_code == 201, response.text
    assert bmc.login().status_code == 201
    return bmc


def walk(bmc):
    """GET every resource reachable from the service root through @odata.id links."""
    seen, queue, payloads = set(), ["/redfish/v1"], {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = bmc.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text)
        payloads[path] = response
        for link in _links(response.json()):
            link = link.rstrip("/") or link
            if link.startswith("/redfish/v1") and "#" not in link and "$metadata" not in link and link not in seen:
                queue.append(link)
    return payloads


def _links(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@odata.id" and isinstance(value, str):
                yield value
            else:
                yield from _links(value)
    elif isinstance(node, list):
        for item in node:
            yield from _links(item)


def _types(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@odata.type":
                yield value
            else:
                yield from _types(value)
    elif isinstance(node, list):
        for item in node:
            yield from _types(item)


def _namespace(odata_type):
    return odata_type.lstrip("#").rsplit(".", 1)[0]


# -- entry points and authentication ---------------------------------------------------------

@pytest.mark.parametrize("path", ["/redfish", "/redfish/"])
def test_version_document(shared_mockup, path):
    response = shared_mockup.bmc().get(path, auth=None)
    assert response.status_code == 200
    assert response.json() == {"v1": "/redfish/v1/"}
    assert response.headers["OData-Version"] == "4.0"


@pytest.mark.parametrize("path", ["/redfish/v1", "/redfish/v1/", "/redfish/v1/odata", "/redfish/v1/$metadata"])
def test_public_resources_need_no_credentials(shared_mockup, path):
    response = shared_mockup.bmc().get(path, auth=None)
    assert response.status_code == 200, response.text
    assert "WWW-Authenticate" not in response.headers


def test_service_root(shared_mockup):
    root = shared_mockup.bmc().get("/redfish/v1", auth=None).json()
    assert root["@odata.id"] == "/redfish/v1"
    assert root["Links"]["Sessions"]["@odata.id"] == "/redfish/v1/SessionService/Sessions"
    for name in ("Systems", "Chassis", "Managers", "SessionService", "AccountService"):
        assert root[name]["@odata.id"].startswith("/redfish/v1/")


def test_everything_else_needs_credentials(populated):
    protected = [p for p in walk(populated) if p not in ("/redfish/v1", "/redfish/v1/odata")]
    assert len(protected) > 30, protected
    for path in protected:
        response = populated.get(path, auth=None)
        assert_redfish_error(response, 401, "NoValidSession")
        assert response.headers["WWW-Authenticate"].startswith("Basic"), path


# -- headers on every response ----------------------------------------------------------------

def test_every_get_has_odata_version_etag_link_and_allow(populated):
    for path, response in walk(populated).items():
        headers, body = response.headers, response.json()
        assert headers["OData-Version"] == "4.0", path
        assert headers["Content-Type"].startswith("application/json"), path
        assert body["@odata.id"] == path, path
        assert body["@odata.etag"] == headers["ETag"], path
        assert headers["Link"] == (f"<https://redfish.dmtf.org/schemas/v1/{_namespace(body['@odata.type'])}.json>;"
                                   " rel=describedby"), path
        allowed = {m.strip() for m in headers["Allow"].split(",")}
        assert {"GET", "HEAD"} <= allowed, path


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/redfish/v1/Nope", 404), ("DELETE", SYSTEM, 405), ("GET", SYSTEM + "?$select=Id", 501),
    ("PATCH", SYSTEM, 400), ("GET", "/redfish/v1/$metadata", 200), ("GET", "/redfish/v1/odata", 200),
])
def test_odata_version_on_errors_and_documents(shared_mockup, method, path, status):
    response = shared_mockup.bmc().request(method, path, data=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.headers["OData-Version"] == "4.0"
    response = shared_mockup.bmc().request(method, path, auth=None)
    assert response.headers["OData-Version"] == "4.0"


def test_head_is_get_without_a_body(shared_mockup):
    bmc = shared_mockup.bmc()
    get, head = bmc.get(SYSTEM), bmc.request("HEAD", SYSTEM)
    assert head.status_code == 200 and head.content == b""
    for name in ("ETag", "Link", "Allow", "OData-Version", "Content-Type"):
        assert head.headers[name] == get.headers[name], name
    assert bmc.request("HEAD", SYSTEM, auth=None).status_code == 401
    assert bmc.request("HEAD", "/redfish/v1", auth=None).status_code == 200


def test_odata_service_document(shared_mockup):
    body = shared_mockup.bmc().get("/redfish/v1/odata", auth=None).json()
    assert body["@odata.context"] == "/redfish/v1/$metadata"
    bmc = shared_mockup.bmc()
    for entry in body["value"]:
        assert bmc.get(entry["url"]).status_code == 200, entry


# -- $metadata ------------------------------------------------------------------------------------

def test_metadata_references_every_namespace_in_use(populated):
    response = populated.get("/redfish/v1/$metadata", auth=None)
    assert response.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{EDMX}Edmx" and root.get("Version") == "4.0"
    included = {inc.get("Namespace") for ref in root.iter(f"{EDMX}Reference") for inc in ref.iter(f"{EDMX}Include")}
    seen = set()
    for path, response in walk(populated).items():
        for odata_type in _types(response.json()):
            seen.add(_namespace(odata_type))
            assert _namespace(odata_type) in included, (path, odata_type)
    # Both the versioned namespace and the unversioned one it derives from.
    for namespace in [n for n in seen if ".v" in n]:
        assert namespace.split(".v")[0] in included, namespace
    assert {"Task.v1_7_4", "LogEntry.v1_21_0", "Settings.v1_4_0", "Message.v1_3_0", "Session.v1_8_0"} <= seen


def test_metadata_references_are_unique_schema_files(shared_mockup):
    root = ET.fromstring(shared_mockup.bmc().get("/redfish/v1/$metadata").content)
    uris = [ref.get("Uri") for ref in root.iter(f"{EDMX}Reference")]
    assert len(uris) == len(set(uris))
    assert all(u.startswith("http://redfish.dmtf.org/schemas/v1/") and u.endswith("_v1.xml") for u in uris)


# -- ETags ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [SYSTEM, FUNCTION, SETTINGS, "/redfish/v1/AccountService/Accounts/1",
                                  "/redfish/v1/SessionService", "/redfish/v1/Systems/1/BootOptions/Boot0000"])
def test_etag_equals_odata_etag_and_is_stable(shared_mockup, path):
    bmc = shared_mockup.bmc("esxi02")
    first, second = bmc.get(path), bmc.get(path)
    assert first.headers["ETag"] == first.json()["@odata.etag"]
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["ETag"].startswith(('W/"', '"'))
    not_modified = bmc.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    assert bmc.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_etag_changes_after_writes(mockup):
    bmc = mockup.bmc()
    system = bmc.get(SYSTEM).headers["ETag"]
    response = bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"}})
    assert response.status_code == 200
    assert response.headers["ETag"] == bmc.get(SYSTEM).headers["ETag"] != system
    assert bmc.get(SYSTEM, headers={"If-None-Match": system}).status_code == 200

    # A write that does not show (a CHAP secret) still changes the SettingsObject's ETag, and the
    # resource's @Redfish.Settings.ETag follows it.
    assert bmc.configure_iscsi({"CHAPSecret": "first-secret"}).status_code == 200
    settings_tag = bmc.get(SETTINGS).headers["ETag"]
    assert bmc.json(FUNCTION)["@Redfish.Settings"]["ETag"] == settings_tag
    assert bmc.configure_iscsi({"CHAPSecret": "second-secret"}).status_code == 200
    assert bmc.get(SETTINGS).headers["ETag"] != settings_tag
    assert bmc.json(FUNCTION)["@Redfish.Settings"]["ETag"] == bmc.get(SETTINGS).headers["ETag"]

    # So does a new password.
    account = "/redfish/v1/AccountService/Accounts/1"
    before = bmc.get(account).headers["ETag"]
    assert bmc.patch(account, {"Password": bmc.auth[1]}).status_code == 200
    assert bmc.get(account).headers["ETag"] != before


def test_concurrent_patches_with_one_etag(mockup):
    """Four clients PATCH with the same If-Match: exactly one wins, three get 412."""
    entry = mockup.bmc().entry
    bmc = mockup.bmc()
    etag = bmc.get(SYSTEM).headers["ETag"]
    # Each body really changes the resource (a no-op PATCH would leave the ETag valid for the next).
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "None"
    bodies = [{"Boot": {"BootSourceOverrideTarget": target}} for target in ("Pxe", "Cd", "Hdd", "BiosSetup")]
    barrier, results = threading.Barrier(4), [None] * 4

    def patch(index):
        from support.mockup import BmcClient
        client = BmcClient(entry)
        client.get("/redfish/v1")  # connect first, so the PATCHes leave together
        barrier.wait()
        results[index] = client.patch(SYSTEM, bodies[index], headers={"If-Match": etag})

    threads = [threading.Thread(target=patch, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 412, 412, 412], [r.text for r in results]
    winner = next(r for r in results if r.status_code == 200)
    target = winner.json()["Boot"]["BootSourceOverrideTarget"]
    assert target != "None" and bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == target
    for loser in (r for r in results if r.status_code == 412):
        assert_redfish_error(loser, 412, "PreconditionFailed")


# -- secrets --------------------------------------------------------------------------------------

def test_chap_secrets_read_back_null(mockup):
    bmc = mockup.bmc("esxi02")
    values = GOOD_ISCSI["esxi02"]
    assert values["CHAPSecret"] and values["MutualCHAPSecret"]
    response = bmc.configure_iscsi(values)
    assert response.status_code == 200, response.text
    for body in (response.json(), bmc.json(SETTINGS)):
        boot = body["iSCSIBoot"]
        assert boot["CHAPSecret"] is None and boot["MutualCHAPSecret"] is None
        assert boot["CHAPUsername"] == "esxi02" and boot["MutualCHAPUsername"] == "san02"
    assert bmc.boot_once()["outcome"] == "booted"  # the secrets were kept: the login needed them
    for path in (FUNCTION, SETTINGS):
        raw = bmc.get(path).text
        assert bmc.json(path)["iSCSIBoot"]["CHAPSecret"] is None
        assert values["CHAPSecret"] not in raw and values["MutualCHAPSecret"] not in raw
    # Immediate, straight on the resource, too.
    response = bmc.patch(FUNCTION, {"iSCSIBoot": {"CHAPSecret": "changed-secret-1"}})
    assert response.status_code == 200, response.text
    assert response.json()["iSCSIBoot"]["CHAPSecret"] is None
    assert "changed-secret-1" not in response.text and "changed-secret-1" not in bmc.get(FUNCTION).text


def test_account_password_reads_back_null(shared_mockup):
    bmc = shared_mockup.bmc()
    response = bmc.get("/redfish/v1/AccountService/Accounts/1")
    assert response.json()["Password"] is None
    assert bmc.auth[1] not in response.text
