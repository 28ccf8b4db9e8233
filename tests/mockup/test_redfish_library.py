"""DMTF's python-redfish-library, as our collection will use it, against the mockup over HTTPS."""
import pytest
import redfish

FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"


def test_login_read_patch_with_if_match_logout(mockup):
    bmc = mockup.bmc("esxi01")
    client = redfish.redfish_client(base_url=bmc.base, username=bmc.auth[0], password=bmc.auth[1],
                                    cafile=mockup.ca_file, timeout=10, max_retry=0)
    client.login(auth="session")
    try:
        assert bmc.admin("stats")["sessions"] == 1
        root = client.get("/redfish/v1")
        assert root.status == 200 and root.dict["Vendor"] == "Contoso"
        settings_uri = client.get(FUNCTION).dict["@Redfish.Settings"]["SettingsObject"]["@odata.id"]
        current = client.get(settings_uri)
        etag = current.getheader("ETag")
        assert etag and current.dict["@odata.etag"] == etag

        stale = client.patch(settings_uri, body={"BootMode": "iSCSI"}, headers={"If-Match": 'W/"not-it"'})
        assert stale.status == 412
        assert client.get(settings_uri).dict["BootMode"] == current.dict["BootMode"]

        done = client.patch(settings_uri, body={"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1},
                                                "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}},
                            headers={"If-Match": etag})
        assert done.status == 200, done.text
        after = client.get(settings_uri)
        assert after.dict["BootMode"] == "iSCSI" and after.getheader("ETag") != etag
        assert client.get(FUNCTION).dict["BootMode"] == "PXE"  # still pending until a reset
    finally:
        client.logout()
    assert bmc.admin("stats")["sessions"] == 0
    by_path = bmc.admin("stats")["by_path"]
    assert by_path.get("POST /redfish/v1/SessionService/Sessions") == 1
    assert sum(v for k, v in by_path.items() if k.startswith("DELETE /redfish/v1/SessionService/Sessions/")) == 1


def test_wrong_ca_is_refused(mockup, tmp_path):
    """Given a CA file the library verifies the certificate: a foreign CA never gets to HTTP."""
    from sanboot_mockup.tls import ensure_ca
    other_ca, _, _ = ensure_ca(tmp_path / "other")
    bmc = mockup.bmc("esxi01")
    with pytest.raises(redfish.rest.v1.RetriesExhaustedError):
        redfish.redfish_client(base_url=bmc.base, username=bmc.auth[0], password=bmc.auth[1],
                               cafile=str(other_ca), timeout=5, max_retry=1)
    assert bmc.admin("stats")["total"] == 0  # the TLS handshake failed before any request
