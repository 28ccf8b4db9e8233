"""An HPE BMC's own state (pending BIOS, iSCSI and boot settings, the messages of the last reset,
PostState, what logged in) survives a mockup restart, and the pending settings still apply."""
from support.hpe import BIOS, BOOT, BOOT_SETTINGS, ISCSI, ISCSI_SETTINGS, SYSTEM, attempt, configure, patched, set_attempts
from support.mockup import fast_fleet


def test_hpe_state_survives_a_restart(mockup_factory):
    mockup = mockup_factory(fast_fleet(count=1, address_base="127.0.66.", personality="ilo6"))
    bmc = mockup.bmc("esxi01")
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    set_attempts(bmc, [{}, attempt(source="Slot1NicBoot2", instance=2, iSCSILUN="zz"), {}, {}])
    patched(bmc.patch(f"{BIOS}settings/", {"Attributes": {"Slot1NicBoot2": "NetworkBoot"}}))
    order = list(reversed(bmc.json(BOOT)["PersistentBootConfigOrder"]))
    patched(bmc.patch(BOOT_SETTINGS, {"PersistentBootConfigOrder": order}))
    seen = {uri: bmc.json(uri) for uri in (SYSTEM, ISCSI, ISCSI_SETTINGS, f"{BIOS}settings/", BOOT_SETTINGS)}
    mockup.restart()
    bmc = mockup.bmc("esxi01")
    for uri, body in seen.items():
        again = bmc.json(uri)
        if uri == SYSTEM:
            assert again["Oem"] == body["Oem"] and again["BootProgress"] == body["BootProgress"]
        else:
            assert again == body, uri
    assert bmc.json(ISCSI)["iSCSISources"][0]["StructuredBootString"] == "NIC.Slot.1.1.iSCSI"
    bmc.boot_once()
    assert bmc.json(BOOT)["PersistentBootConfigOrder"][:len(order)] == order
    messages = bmc.json(ISCSI)["@Redfish.Settings"]["Messages"]
    assert [m["RelatedProperties"] for m in messages[1:]] == [["#/iSCSISources/1/iSCSILUN"]]
    assert bmc.json(BIOS)["Attributes"]["Slot1NicBoot2"] == "NetworkBoot"
