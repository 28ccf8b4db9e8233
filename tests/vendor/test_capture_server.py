"""The capture server itself: real HTTPS verified against its CA, the same resource with and
without a trailing slash, lowercase links to recorded folders, read-only, Basic credentials required past the service root, 404s logged."""
import pytest
import requests

DELL = "dell-idrac9-6.00.30-r750"
HPE = "hpe-ilo5-2.72-dl385gen10plus"


@pytest.fixture
def http():
    session = requests.Session()
    session.trust_env = False
    return session


def test_serves_the_recorded_resource_with_and_without_trailing_slash(capture_server, http):
    server = capture_server(HPE)
    auth = (server.username, server.password)
    for path in ("/redfish/v1", "/redfish/v1/", "/redfish/v1/Systems/1", "/redfish/v1/Systems/1/",
                 "/redfish/v1/Chassis/1/NetworkAdapters/DE084000/"):
        response = http.get(server.base_uri + path, auth=auth, verify=server.ca_file, timeout=10)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["@odata.id"].rstrip("/") == path.rstrip("/"), path
        assert response.headers["OData-Version"] == "4.0"


def test_lowercase_links_find_the_recorded_folders(capture_server, http):
    """iLO links /redfish/v1/systems/1/bios/oem/hpe/iscsi/ while the recording sits under
    Systems/1/Bios/oem/hpe/iscsi: each link the capture itself gives must answer 200."""
    server = capture_server(HPE)
    auth = (server.username, server.password)
    bios = http.get(server.base_uri + "/redfish/v1/systems/1/bios/", auth=auth, verify=server.ca_file, timeout=10)
    assert bios.status_code == 200, bios.text
    links = bios.json()["Oem"]["Hpe"]["Links"]
    for name in ("iScsi", "Boot", "Mappings"):
        path = links[name]["@odata.id"]
        response = http.get(server.base_uri + path, auth=auth, verify=server.ca_file, timeout=10)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["@odata.id"] == path
    missing = http.get(server.base_uri + "/redfish/v1/systems/1/bios/oem/hpe/nothing/", auth=auth,
                       verify=server.ca_file, timeout=10)
    assert missing.status_code == 404


def test_certificate_is_verified_against_the_test_ca_only(capture_server, http):
    server = capture_server(DELL)
    with pytest.raises(requests.exceptions.SSLError):
        http.get(server.base_uri + "/redfish/v1", verify=True, timeout=10)


def test_read_only_and_no_session(capture_server, http):
    server = capture_server(DELL)
    auth = (server.username, server.password)
    base, verify = server.base_uri, server.ca_file
    login = http.post(base + "/redfish/v1/SessionService/Sessions", json={"UserName": "a", "Password": "b"},
                      verify=verify, timeout=10)
    assert login.status_code == 405
    patch = http.patch(base + "/redfish/v1/Systems/System.Embedded.1", json={"AssetTag": "x"}, auth=auth,
                       verify=verify, timeout=10)
    delete = http.delete(base + "/redfish/v1/Managers/iDRAC.Embedded.1/Oem/Dell/Jobs/JID_102241909559",
                         auth=auth, verify=verify, timeout=10)
    assert (patch.status_code, delete.status_code) == (405, 405)
    assert http.get(base + "/redfish/v1/Systems", verify=verify, timeout=10).status_code == 401
    assert http.get(base + "/redfish/v1/Systems", auth=auth, verify=verify, timeout=10).status_code == 200


def test_every_request_and_404_is_logged(capture_server, http):
    server = capture_server(DELL)
    before = len(server.requests)
    missing = "/redfish/v1/Chassis/Enclosure.Internal.0-1/NetworkAdapters"
    response = http.get(server.base_uri + missing, auth=(server.username, server.password), verify=server.ca_file,
                        timeout=10)
    assert response.status_code == 404
    assert server.requests[before:] == [("GET", missing, 404)]
    assert missing in server.not_found
