"""A Lenovo BMC's own state (pending iSCSI values and boot orders, the NetworkBootOrder with its iSCSI
entry, SystemStatus and NumberOfReboots, the PlatformLog) survives a mockup restart, and what was
pending still applies at the next reset."""
from support.lenovo import (CLASS_ORDER, FUNCTION, HARD_DISK, NETWORK, NETWORK_ORDER, PENDING, PLATFORM_LOG, SYSTEM,
                            SYSTEM_PENDING, configure, entry, patch_fresh, staged)
from support.mockup import fast_fleet


def test_lenovo_state_survives_a_restart(mockup_factory):
    mockup = mockup_factory(fast_fleet(count=1, address_base="127.0.88.", personality="xcc2"))
    bmc = mockup.bmc("esxi01")
    configure(bmc, CHAPSecret="wrong-secret-1")
    bmc.boot_once()  # a failed login: a PlatformLog entry
    configure(bmc)
    bmc.boot_once()  # logged in: the iSCSI entry
    iscsi = entry(1, 1, "iscsi")
    staged(patch_fresh(bmc, NETWORK_ORDER, {"BootOrderNext": [iscsi, entry(1, 1), entry(1, 2)]}))
    staged(patch_fresh(bmc, SYSTEM_PENDING, {"Boot": {"BootOrder": [NETWORK, HARD_DISK]}}))
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"PrimaryLUN": 1, "InitiatorIPAddress": "192.0.2.99"}}))
    uris = (SYSTEM, SYSTEM_PENDING, FUNCTION, PENDING, CLASS_ORDER, NETWORK_ORDER, PLATFORM_LOG)
    seen = {uri: bmc.json(uri) for uri in uris}
    tags = {uri: bmc.get(uri).headers["ETag"] for uri in (PENDING, NETWORK_ORDER)}
    mockup.restart()
    bmc = mockup.bmc("esxi01")
    for uri, body in seen.items():
        again = bmc.json(uri)
        if uri == SYSTEM:
            assert again["Oem"] == body["Oem"] and again["BootProgress"] == body["BootProgress"]
            assert again["Boot"]["BootOrder"] == body["Boot"]["BootOrder"]
        else:
            assert again == body, uri
    for uri, tag in tags.items():  # an ETag read before the restart still writes
        assert bmc.get(uri).headers["ETag"] == tag
    count = seen[SYSTEM]["Oem"]["Lenovo"]["NumberOfReboots"]
    boot = bmc.boot_once()
    assert boot["attempts"][0]["kind"] == "iscsi" and boot["outcome"] == "booted"
    assert bmc.json(FUNCTION)["iSCSIBoot"]["InitiatorIPAddress"] == "192.0.2.99"
    assert bmc.json(SYSTEM)["Oem"]["Lenovo"]["NumberOfReboots"] == count + 1
    assert len(bmc.json(PLATFORM_LOG)["Members"]) == 1
