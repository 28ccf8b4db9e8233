"""Tests for sanboot_mockup.ibft: layout, round trip, strict parsing, Redfish mapping."""
import dataclasses
import json
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from sanboot_mockup.ibft import (  # noqa: E402
    CHAP_MUTUAL, CHAP_NONE, CHAP_ONE_WAY, ORIGIN_DHCP, ORIGIN_MANUAL, Ibft, IbftError,
    IbftInitiator, IbftNic, IbftTarget, build_ibft, describe, ibft_from_iscsi_boot,
    netmask_to_prefix, parse_ibft)

IQN_I = "iqn.1998-01.com.vmware:esx01"
IQN_T = "iqn.2001-05.com.example:storage.lun1"
MAC = "aa:bb:cc:dd:ee:01"


def nic(**kw):
    base = dict(ip="192.0.2.10", prefix_length=24, origin=ORIGIN_MANUAL, gateway="192.0.2.1",
                primary_dns="192.0.2.53", secondary_dns="198.51.100.53", vlan=0, mac=MAC,
                pci_bdf=(0x3B, 0, 0), hostname="esx01")
    return IbftNic(**(base | kw))


def target(**kw):
    base = dict(ip="192.0.2.100", port=3260, lun=1, target_name=IQN_T)
    return IbftTarget(**(base | kw))


def table(**kw):
    base = dict(oem_id="SANBT", oem_table_id="MOCKUP", initiator=IbftInitiator(IQN_I),
                nics=[nic()], targets=[target()])
    return Ibft(**(base | kw))


def u16(buf, off):
    return struct.unpack_from("<H", buf, off)[0]


def fix_checksum(buf: bytearray) -> bytes:
    buf[9] = 0
    buf[9] = -sum(buf) & 0xFF
    return bytes(buf)


def assert_same(a, b):
    """Field-by-field comparison so a failure names the field."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, list):
            assert len(x) == len(y), f.name
            for i, (xi, yi) in enumerate(zip(x, y)):
                for g in dataclasses.fields(xi):
                    assert getattr(xi, g.name) == getattr(yi, g.name), f"{f.name}[{i}].{g.name}"
        else:
            assert x == y, f.name


# --- round trip ----------------------------------------------------------------

def test_round_trip_ipv4_single_path():
    t = table()
    assert_same(parse_ibft(build_ibft(t)), t)


def test_round_trip_ipv6_compressed():
    t = table(nics=[nic(ip="2001:0db8:0000::0010", prefix_length=64, gateway="2001:db8::1",
                        primary_dns="2001:db8::53", secondary_dns=None, dhcp_server="fe80::1")],
              targets=[target(ip="2001:db8:0:0:0:0:0:100")])
    got = parse_ibft(build_ibft(t))
    assert got.nics[0].ip == "2001:db8::10"
    assert got.nics[0].prefix_length == 64
    assert got.nics[0].gateway == "2001:db8::1"
    assert got.nics[0].secondary_dns is None
    assert got.nics[0].dhcp_server == "fe80::1"
    assert got.targets[0].ip == "2001:db8::100"


@pytest.mark.parametrize("chap", [
    dict(chap_type=CHAP_NONE),
    dict(chap_type=CHAP_ONE_WAY, chap_name="esx01", chap_secret="s3cretS3cret"),
    dict(chap_type=CHAP_MUTUAL, chap_name="esx01", chap_secret="s3cretS3cret",
         reverse_chap_name="array", reverse_chap_secret="arraySecret1"),
])
def test_round_trip_chap(chap):
    t = table(targets=[target(**chap)])
    assert_same(parse_ibft(build_ibft(t)), t)


@pytest.mark.parametrize("vlan", [0, 100, 4094])
def test_round_trip_vlan(vlan):
    data = build_ibft(table(nics=[nic(vlan=vlan)]))
    assert u16(data, 0x98 + 88) == vlan
    assert parse_ibft(data).nics[0].vlan == vlan


def test_round_trip_two_nics_two_targets():
    t = table(nics=[nic(), nic(vlan=200, mac="aa:bb:cc:dd:ee:02", pci_bdf=(0x3B, 0, 1),
                             hostname=None, origin=ORIGIN_DHCP, dhcp_server="192.0.2.2")],
              targets=[target(chap_type=CHAP_ONE_WAY, chap_name="u", chap_secret="p" * 12),
                       target(ip="198.51.100.7", port=3261, lun=300, nic_index=1,
                              target_name=IQN_T + "b")])
    assert_same(parse_ibft(build_ibft(t)), t)


def test_round_trip_header_fields():
    t = table(oem_revision=7, creator_id="ABCD", creator_revision=9)
    data = build_ibft(t)
    assert data[:4] == b"iBFT" and data[8] == 1
    assert data[10:16] == b"SANBT\0" and data[16:24] == b"MOCKUP\0\0"
    assert_same(parse_ibft(data), t)


def test_empty_table_has_only_control_and_initiator():
    t = Ibft(oem_id="X", oem_table_id="Y")
    data = build_ibft(t)
    assert len(data) == 0x98
    assert_same(parse_ibft(data), t)


# --- layout --------------------------------------------------------------------

def test_checksum_sums_to_zero():
    for t in (table(), Ibft()):
        data = build_ibft(t)
        assert sum(data) % 256 == 0
        assert struct.unpack_from("<I", data, 4)[0] == len(data)


def test_offsets_single_path():
    data = build_ibft(table())
    assert data[0x24:0x30] == bytes(12)  # reserved
    assert (data[0x30], data[0x31], u16(data, 0x32), data[0x34]) == (1, 1, 18, 0)
    assert [u16(data, 0x30 + o) for o in range(6, 18, 2)] == [0, 0x48, 0x98, 0x100, 0, 0]
    assert (data[0x48], u16(data, 0x4A), data[0x4D]) == (2, 74, 0x03)
    assert (data[0x98], u16(data, 0x9A), data[0x9C], data[0x9D]) == (3, 102, 0, 0x03)
    assert (data[0x100], u16(data, 0x102), data[0x104], data[0x105]) == (4, 54, 0, 0x03)
    # The string heap starts right after Target0, 8-byte aligned; the initiator name comes first.
    assert u16(data, 0x48 + 72) == 0x138
    assert data[0x138:0x138 + len(IQN_I) + 1] == IQN_I.encode() + b"\0"


def test_offsets_two_paths():
    t = table(nics=[nic(), nic()], targets=[target(), target(nic_index=1)])
    data = build_ibft(t)
    offsets = [u16(data, 0x30 + o) for o in range(8, 18, 2)]
    assert offsets == [0x48, 0x98, 0x100, 0x138, 0x1A0]
    assert all(o % 8 == 0 for o in offsets)
    assert (data[0x138], data[0x13C], data[0x13D]) == (3, 1, 0x01)  # NIC1 valid, not boot-selected
    assert (data[0x1A0], data[0x1A4], data[0x1A5]) == (4, 1, 0x01)
    assert u16(data, 0x48 + 72) == 0x1D8  # heap after all structures


def test_strings_nul_terminated_length_without_nul():
    data = build_ibft(table())
    length, off = u16(data, 0x100 + 34), u16(data, 0x100 + 36)
    assert length == len(IQN_T)
    assert data[off:off + length + 1] == IQN_T.encode() + b"\0"


def test_absent_strings_are_zero_zero():
    data = build_ibft(table(nics=[nic(hostname=None)], targets=[target(chap_name="")]))
    assert struct.unpack_from("<HH", data, 0x98 + 98) == (0, 0)
    assert struct.unpack_from("<8H", data, 0x100 + 38) == (0,) * 8
    got = parse_ibft(data)
    assert got.nics[0].hostname is None and got.targets[0].chap_name is None


def test_absent_initiator_name():
    data = build_ibft(table(initiator=IbftInitiator(None)))
    assert struct.unpack_from("<HH", data, 0x48 + 70) == (0, 0)
    assert parse_ibft(data).initiator.name is None


def test_ipv4_mapped_bytes():
    data = build_ibft(table())
    assert data[0x98 + 6:0x98 + 22] == bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 10])
    assert data[0x100 + 6:0x100 + 22] == bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 100])


def test_empty_ip_is_zero_and_mapped_zero_reads_as_none():
    data = bytearray(build_ibft(table(nics=[nic(gateway=None)])))
    assert data[0x98 + 24:0x98 + 40] == bytes(16)
    data[0x98 + 34:0x98 + 36] = b"\xff\xff"  # ::ffff:0.0.0.0
    assert parse_ibft(fix_checksum(data)).nics[0].gateway is None


def test_nic_scalar_fields():
    data = build_ibft(table(nics=[nic(pci_bdf=(0x3B, 2, 1), prefix_length=24)]))
    assert data[0x98 + 22] == 24 and data[0x98 + 23] == ORIGIN_MANUAL
    assert data[0x98 + 90:0x98 + 96] == bytes.fromhex("aabbccddee01")
    assert u16(data, 0x98 + 96) == 0x3B << 8 | 2 << 3 | 1
    assert parse_ibft(data).nics[0].pci_bdf == (0x3B, 2, 1)


@pytest.mark.parametrize("lun,raw", [
    (0, "0000000000000000"), (1, "0001000000000000"),
    (255, "00ff000000000000"), (300, "412c000000000000"),  # 300 = 0x12c, flat addressing
])
def test_lun_encoding(lun, raw):
    data = build_ibft(table(targets=[target(lun=lun)]))
    assert data[0x100 + 24:0x100 + 32].hex() == raw
    assert parse_ibft(data).targets[0].lun == lun


def test_lun_out_of_range():
    with pytest.raises(ValueError, match="LUN"):
        build_ibft(table(targets=[target(lun=16384)]))


@pytest.mark.parametrize("raw", ["0001000100000000", "8001000000000000", "0101000000000000"])
def test_lun_unsupported_encodings_rejected(raw):
    data = bytearray(build_ibft(table()))
    data[0x100 + 24:0x100 + 32] = bytes.fromhex(raw)
    with pytest.raises(IbftError, match="LUN"):
        parse_ibft(fix_checksum(data))


def test_build_rejects_bad_input():
    with pytest.raises(ValueError, match="at most two"):
        build_ibft(table(nics=[nic()] * 3))
    with pytest.raises(ValueError, match="NIC index"):
        build_ibft(table(targets=[target(nic_index=1)]))
    with pytest.raises(ValueError, match="CHAP type"):
        build_ibft(table(targets=[target(chap_type=3)]))
    with pytest.raises(ValueError, match="MAC"):
        build_ibft(table(nics=[nic(mac="aa:bb")]))
    with pytest.raises(ValueError, match="PCI"):
        build_ibft(table(nics=[nic(pci_bdf=(0, 32, 0))]))
    with pytest.raises(ValueError, match="OEM id"):
        build_ibft(table(oem_id="TOOLONG"))
    with pytest.raises(ValueError, match="out of range"):
        build_ibft(table(nics=[nic(vlan=70000)]))


# --- strict parsing ------------------------------------------------------------

def test_bad_checksum():
    data = bytearray(build_ibft(table()))
    data[0x120] ^= 0x01
    with pytest.raises(IbftError, match="checksum"):
        parse_ibft(bytes(data))


@pytest.mark.parametrize("sig", [b"IBFT", b"BIFT"])
def test_alternative_signatures_accepted(sig):
    data = bytearray(build_ibft(table()))
    data[0:4] = sig
    assert parse_ibft(fix_checksum(data)).targets[0].target_name == IQN_T


def test_bad_signature():
    data = bytearray(build_ibft(table()))
    data[0:4] = b"ibft"
    with pytest.raises(IbftError, match="signature"):
        parse_ibft(fix_checksum(data))


def test_bad_revision():
    data = bytearray(build_ibft(table()))
    data[8] = 2
    with pytest.raises(IbftError, match="revision 2"):
        parse_ibft(fix_checksum(data))


def test_truncated():
    data = build_ibft(table())
    with pytest.raises(IbftError, match="exceeds buffer"):
        parse_ibft(data[:-1])
    with pytest.raises(IbftError, match="ACPI header"):
        parse_ibft(data[:20])


def test_trailing_bytes_after_table_ignored():
    data = build_ibft(table())
    assert parse_ibft(data + b"\xaa" * 16).nics[0].ip == "192.0.2.10"


def test_table_length_too_small():
    data = bytearray(build_ibft(table()))
    struct.pack_into("<I", data, 4, 0x40)
    with pytest.raises(IbftError, match="too small"):
        parse_ibft(fix_checksum(data))


@pytest.mark.parametrize("name,off,bad", [
    ("Control", 0x30, 20), ("Initiator", 0x48, 72), ("NIC0", 0x98, 104), ("Target0", 0x100, 56)])
def test_wrong_structure_length(name, off, bad):
    data = bytearray(build_ibft(table()))
    struct.pack_into("<H", data, off + 2, bad)
    with pytest.raises(IbftError, match=f"{name} at 0x{off:x}: length {bad}, expected"):
        parse_ibft(fix_checksum(data))


def test_wrong_structure_id():
    data = bytearray(build_ibft(table()))
    data[0x98] = 4  # a target header where NIC0 should be
    with pytest.raises(IbftError, match="NIC0 at 0x98: structure id 4, expected 3"):
        parse_ibft(fix_checksum(data))


def test_control_index_must_be_zero():
    data = bytearray(build_ibft(table()))
    data[0x34] = 1
    with pytest.raises(IbftError, match="Control index"):
        parse_ibft(fix_checksum(data))


def test_structure_offset_outside_table():
    data = bytearray(build_ibft(table()))
    struct.pack_into("<H", data, 0x30 + 12, len(data) - 10)  # Target0 runs past the end
    with pytest.raises(IbftError, match="Target0 offset .* outside table"):
        parse_ibft(fix_checksum(data))


def test_string_outside_table():
    data = bytearray(build_ibft(table()))
    struct.pack_into("<H", data, 0x100 + 34, 0x1000)  # target name length
    with pytest.raises(IbftError, match="target name string"):
        parse_ibft(fix_checksum(data))


# --- helpers and Redfish mapping -------------------------------------------------

@pytest.mark.parametrize("mask,ipv6,prefix", [
    ("255.255.255.0", False, 24), ("255.255.255.255", False, 32), ("0.0.0.0", False, 0),
    (24, False, 24), ("16", False, 16), ("64", True, 64), ("/48", True, 48), (128, True, 128),
    ("ffff:ffff:ffff:ffff::", True, 64)])
def test_netmask_to_prefix(mask, ipv6, prefix):
    assert netmask_to_prefix(mask, ipv6) == prefix


@pytest.mark.parametrize("mask,ipv6", [("255.0.255.0", False), ("33", False), ("129", True),
                                       ("bogus", False)])
def test_netmask_to_prefix_rejects(mask, ipv6):
    with pytest.raises(ValueError):
        netmask_to_prefix(mask, ipv6)


REDFISH_V4 = {
    "IPAddressType": "IPv4", "InitiatorName": IQN_I, "InitiatorIPAddress": "192.0.2.10",
    "InitiatorNetmask": "255.255.255.0", "InitiatorDefaultGateway": "192.0.2.1",
    "PrimaryDNS": "192.0.2.53", "SecondaryDNS": None, "IPMaskDNSViaDHCP": False,
    "PrimaryTargetName": IQN_T, "PrimaryTargetIPAddress": "192.0.2.100",
    "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 1, "PrimaryVLANEnable": True,
    "PrimaryVLANId": 100, "SecondaryTargetName": None, "AuthenticationMethod": "CHAP",
    "CHAPUsername": "esx01", "CHAPSecret": "s3cretS3cret",
    "MutualCHAPUsername": "array", "MutualCHAPSecret": "arraySecret1",
}


def test_from_iscsi_boot_ipv4_chap():
    t = ibft_from_iscsi_boot(REDFISH_V4, MAC)
    assert (t.oem_id, t.oem_table_id, t.initiator.name) == ("SANBT", "MOCKUP", IQN_I)
    assert len(t.nics) == 1 and len(t.targets) == 1
    n, tg = t.nics[0], t.targets[0]
    assert (n.ip, n.prefix_length, n.origin, n.gateway) == ("192.0.2.10", 24, 1, "192.0.2.1")
    assert (n.primary_dns, n.secondary_dns, n.vlan, n.mac, n.pci_bdf) == (
        "192.0.2.53", None, 100, MAC, (0x3B, 0, 0))
    assert (tg.ip, tg.port, tg.lun, tg.nic_index, tg.target_name) == (
        "192.0.2.100", 3260, 1, 0, IQN_T)
    # One-way CHAP: the mutual credentials stay out of the table.
    assert (tg.chap_type, tg.chap_name, tg.chap_secret) == (1, "esx01", "s3cretS3cret")
    assert tg.reverse_chap_name is None and tg.reverse_chap_secret is None
    assert_same(parse_ibft(build_ibft(t)), t)


def test_from_iscsi_boot_auth_methods():
    none = ibft_from_iscsi_boot(REDFISH_V4 | {"AuthenticationMethod": "None"}, MAC).targets[0]
    assert none.chap_type == 0 and none.chap_name is None and none.chap_secret is None
    mutual = ibft_from_iscsi_boot(REDFISH_V4 | {"AuthenticationMethod": "MutualCHAP"}, MAC)
    tg = mutual.targets[0]
    assert (tg.chap_type, tg.reverse_chap_name, tg.reverse_chap_secret) == (
        2, "array", "arraySecret1")
    with pytest.raises(ValueError, match="AuthenticationMethod"):
        ibft_from_iscsi_boot(REDFISH_V4 | {"AuthenticationMethod": "Kerberos"}, MAC)


def test_from_iscsi_boot_vlan_disabled_dhcp_and_int_mask():
    t = ibft_from_iscsi_boot(REDFISH_V4 | {"PrimaryVLANEnable": False, "IPMaskDNSViaDHCP": True,
                                           "InitiatorNetmask": 16}, MAC)
    assert (t.nics[0].vlan, t.nics[0].origin, t.nics[0].prefix_length) == (0, ORIGIN_DHCP, 16)


def test_from_iscsi_boot_ipv6_prefix_string():
    rf = REDFISH_V4 | {"IPAddressType": "IPv6", "InitiatorIPAddress": "2001:db8::10",
                       "InitiatorNetmask": "64", "InitiatorDefaultGateway": "2001:db8::1",
                       "PrimaryDNS": None, "PrimaryTargetIPAddress": "2001:db8::100"}
    t = ibft_from_iscsi_boot(rf, MAC, pci_bdf=(1, 0, 0))
    assert (t.nics[0].prefix_length, t.nics[0].pci_bdf) == (64, (1, 0, 0))
    got = parse_ibft(build_ibft(t))
    assert (got.nics[0].ip, got.targets[0].ip) == ("2001:db8::10", "2001:db8::100")


def test_from_iscsi_boot_secondary():
    rf = REDFISH_V4 | {"SecondaryTargetName": IQN_T + "b",
                       "SecondaryTargetIPAddress": "192.0.2.101",
                       "SecondaryTargetTCPPort": 3261, "SecondaryLUN": 2,
                       "SecondaryVLANEnable": True, "SecondaryVLANId": 200}
    t = ibft_from_iscsi_boot(rf, MAC)
    assert len(t.nics) == 2 and len(t.targets) == 2
    assert (t.nics[1].ip, t.nics[1].vlan, t.nics[0].vlan) == ("192.0.2.10", 200, 100)
    tg = t.targets[1]
    assert (tg.ip, tg.port, tg.lun, tg.nic_index, tg.target_name, tg.chap_type) == (
        "192.0.2.101", 3261, 2, 1, IQN_T + "b", 1)
    assert_same(parse_ibft(build_ibft(t)), t)


def test_describe_masks_secrets_and_is_json():
    t = ibft_from_iscsi_boot(REDFISH_V4 | {"AuthenticationMethod": "MutualCHAP"}, MAC)
    d = describe(t)
    assert json.loads(json.dumps(d)) == d
    tg = d["targets"][0]
    assert tg["chap_secret"] == tg["reverse_chap_secret"] == "********"
    assert tg["chap_name"] == "esx01" and d["initiator"]["name"] == IQN_I
    assert d["nics"][0]["pci_bdf"] == [0x3B, 0, 0] and d["nics"][0]["vlan"] == 100
    assert "s3cretS3cret" not in json.dumps(d)
    assert t.targets[0].chap_secret == "s3cretS3cret"  # the table itself is untouched
    assert describe(table())["targets"][0]["chap_secret"] is None
