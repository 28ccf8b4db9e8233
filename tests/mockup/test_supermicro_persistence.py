"""supermicro-x13's own state (the SEL, pending BIOS attributes, the boot order set through FixedBootOrder,
the iSCSI option) survives a mockup restart; the option ROM is the fleet file, read again at each power-on."""
import yaml
from support.mockup import option_rom_iscsi
from support.supermicro import BIOS, BIOS_SD, FIXED, HOST_RESET, SYSTEM, fleet, iscsi_option, sel_messages


def test_supermicro_state_survives_a_restart(mockup_factory):
    mockup = mockup_factory(fleet(address_base="127.0.95.", boot_order_property_unknown=True))
    bmc = mockup.bmc("esxi01")
    assert bmc.boot_once()["outcome"] == "booted"
    network = bmc.json(FIXED)["UEFINetwork"]
    iscsi = next(n for n in network if "iSCSI" in n)
    assert bmc.patch(FIXED, {"UEFINetwork": [iscsi] + [n for n in network if n != iscsi]}).status_code == 200
    assert bmc.patch(BIOS, {"Attributes": {"IPv6PXESupport_00F6": "Enabled"}}).status_code == 200
    seen = {uri: bmc.json(uri) for uri in (FIXED, BIOS_SD, f"{SYSTEM}/LogServices/Log1/Entries")}
    mockup.restart()
    bmc = mockup.bmc("esxi01")
    for uri, body in seen.items():
        assert bmc.json(uri) == body, uri
    boot = bmc.boot_once()  # the local disk's class first still, then the network in its new order
    assert [a["kind"] for a in boot["attempts"]] == ["hdd", "iscsi"] and boot["outcome"] == "booted"
    assert bmc.json(BIOS)["Attributes"]["IPv6PXESupport_00F6"] == "Enabled"
    assert sel_messages(bmc)[-1] == HOST_RESET and len(sel_messages(bmc)) == 3


def test_the_option_rom_is_read_from_the_fleet_file_at_each_power_on(mockup_factory):
    mockup = mockup_factory(fleet(address_base="127.0.95."))
    bmc = mockup.bmc("esxi01")
    assert bmc.boot_once()["outcome"] == "booted"
    # The operator re-does the NIC's option ROM: now esxi03's (blank) LUN.
    entry = mockup.fleet["bmcs"][0]
    entry["option_rom_iscsi"] = [{**option_rom_iscsi("esxi03"), "initiator_name": "iqn.1998-01.com.vmware:esxi03"}]
    mockup.fleet_file.write_text(yaml.safe_dump(mockup.fleet))
    mockup.restart()
    bmc = mockup.bmc("esxi01")
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device"
    assert any("blank" in a["reason"] for a in boot["attempts"] if a["kind"] == "iscsi")
    # Taken out of the option ROM: the port no longer logs in, its iSCSI option goes.
    entry.pop("option_rom_iscsi")
    mockup.fleet_file.write_text(yaml.safe_dump(mockup.fleet))
    mockup.restart()
    bmc = mockup.bmc("esxi01")
    bmc.boot_once()
    assert iscsi_option(bmc) is None
