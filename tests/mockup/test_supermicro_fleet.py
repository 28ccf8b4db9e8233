"""The fleet keys of supermicro-x13: `option_rom_iscsi` (a port's iSCSI values as its option ROM holds
them) checked like every other fleet key, secrets kept out of reprs, and `boot_order_property_unknown`."""
import pytest
from support.mockup import option_rom_iscsi

from sanboot_mockup.fleet import FleetError, parse_fleet

PORTS = [{"id": "1", "mac": "02:00:00:00:01:01"}, {"id": "2", "mac": "02:00:00:00:01:02"}]


def _fleet(entries, personality="supermicro-x13", **extra):
    return {"bmcs": [{"name": "smc", "personality": personality, "nics": [{"id": "1", "ports": PORTS}],
                      "option_rom_iscsi": entries, **extra}]}


def test_an_entry_becomes_the_port_s_dmtf_iscsi_values():
    entry = {**option_rom_iscsi("esxi02"), "port": "2"}
    bmc = parse_fleet(_fleet([entry])).bmcs[0]
    (rom,) = bmc.option_rom_iscsi
    boot = dict(rom.boot)
    assert (rom.nic, rom.port) == ("1", "2")
    assert boot["AuthenticationMethod"] == "MutualCHAP" and boot["MutualCHAPSecret"] == "san02-mutual"
    assert (boot["PrimaryVLANEnable"], boot["PrimaryVLANId"], boot["PrimaryLUN"]) == (True, 120, 1)
    assert "san02-mutual" not in repr(bmc) and "esxi02-secret" not in repr(bmc)


def test_a_port_by_mac_and_dhcp():
    entry = {"mac": "02:00:00:00:01:02", "initiator_name": "iqn.1998-01.com.vmware:a", "dhcp": True,
             "target_name": "iqn.2024-01.org.example.san:a", "target_address": "192.0.2.9"}
    (rom,) = parse_fleet(_fleet([entry])).bmcs[0].option_rom_iscsi
    boot = dict(rom.boot)
    assert rom.port == "2" and boot["IPMaskDNSViaDHCP"] is True and boot["InitiatorIPAddress"] is None
    assert (boot["PrimaryTargetTCPPort"], boot["AuthenticationMethod"]) == (3260, "None")


@pytest.mark.parametrize("change, field", [
    ({"mac": "02:00:00:00:09:09"}, "names no port"),
    ({"port": "7"}, "names no port"),
    ({"target_address": "san.example"}, "target_address"),
    ({"initiator_netmask": None}, "initiator_netmask"),
    ({"target_name": ""}, "target_name are required"),
    ({"lun": -1}, ".lun"),
    ({"lun": "1"}, ".lun"),
    ({"target_port": 70000}, ".target_port"),
    ({"vlan_id": 0}, ".vlan_id"),
    ({"chap": {"username": "u"}}, ".chap"),
    ({"chap": None, "mutual_chap": {"username": "u", "secret": "s"}}, ".mutual_chap"),
    ({"dhcp": "yes"}, ".dhcp"),
    ({"iscsi_boot": True}, "unknown keys"),
])
def test_a_bad_entry_is_refused_naming_the_field(change, field):
    entry = {**option_rom_iscsi("esxi01"), **change}
    if change.get("initiator_netmask", 1) is None:
        del entry["initiator_netmask"]
    if "mac" in change:
        entry.pop("nic"), entry.pop("port")
    with pytest.raises(FleetError) as error:
        parse_fleet(_fleet([entry]))
    assert field in str(error.value) and "bmcs[0].option_rom_iscsi[0]" in str(error.value)
    assert "esxi01-secret" not in str(error.value)


def test_a_port_listed_twice_and_other_personalities_are_refused():
    with pytest.raises(FleetError, match="listed twice"):
        parse_fleet(_fleet([option_rom_iscsi("esxi01"), option_rom_iscsi("esxi03")]))
    with pytest.raises(FleetError, match="supermicro-x13 only"):
        parse_fleet(_fleet([option_rom_iscsi("esxi01")], personality="ilo5"))
    with pytest.raises(FleetError, match="boot_order_property_unknown"):
        parse_fleet(_fleet([], boot_order_property_unknown="yes"))
    assert parse_fleet(_fleet([], boot_order_property_unknown=True)).bmcs[0].boot_order_property_unknown is True
