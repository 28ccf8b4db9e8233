# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import ipaddress

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import validation as check
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError


def _refused(call, *args):
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value


# -- iSCSI names --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "iqn.1998-01.com.vmware:esxi01",
    "iqn.2005-10.org.freenas.ctl:esxi01",
    "iqn.2001-04.com.example",                               # no unique part
    "iqn.2001-04.com.example:storage:diskarrays-sn-a8675309",
    "iqn.1992-08.com.netapp:sn.84214990",
    "iqn.2020-12.x",
    "eui.02004567a425678d",
    "naa.52004567ba64678d",
    "naa.600a098038303053453f463045727a41",                  # 32 hex digits
])
def test_iscsi_name_accepts_rfc3720_forms(name):
    assert check.iscsi_name(name, "initiator.name") == name


@pytest.mark.parametrize("given, folded", [
    ("IQN.1998-01.COM.VMware:ESXi01", "iqn.1998-01.com.vmware:esxi01"),
    ("  iqn.2005-10.org.FreeNAS.ctl:esxi01 ", "iqn.2005-10.org.freenas.ctl:esxi01"),
    ("EUI.02004567A425678D", "eui.02004567a425678d"),
    ("naa.52004567BA64678D", "naa.52004567ba64678d"),
])
def test_iscsi_name_is_case_folded(given, folded):
    assert check.iscsi_name(given, "target.name") == folded


@pytest.mark.parametrize("name", [
    "iqn.98-01.com.vmware:esxi01",          # year must have four digits
    "iqn.1998-13.com.vmware:esxi01",        # month 13
    "iqn.1998-00.com.vmware:esxi01",        # month 00
    "iqn.1998-1.com.vmware:esxi01",         # month with one digit
    "iqn.1998-01",                          # no naming authority
    "iqn.1998-01.:esxi01",
    "iqn.1998-01.-vmware.com:esxi01",       # label starting with a hyphen
    "iqn.1998-01.vmware-.com:esxi01",       # label ending with a hyphen
    "iqn.1998-01.com..vmware:esxi01",       # empty label
    "iqn.1998-01.com.vmware:",              # empty unique part
    "iqn.1998-01.com.vmware:esxi 01",       # space
    "iqn.1998-01.com.vm_ware:esxi01",       # underscore in the domain
    "iqn1998-01.com.vmware:esxi01",
    "1998-01.com.vmware:esxi01",
    "esxi01",
    "eui.02004567a425678",                  # 15 hex digits
    "eui.02004567a425678d0",                # 17 hex digits
    "eui.02004567a425678g",                 # not hex
    "naa.52004567ba64678",                  # 15
    "naa.52004567ba64678d52004567ba64678",  # 31
    "naa.52004567ba64678d5",                # 17
    "iqn.1998-01.com.vmware:" + "a" * 220,  # longer than 223 bytes
])
def test_iscsi_name_refuses_malformed_names(name):
    exc = _refused(check.iscsi_name, name, "target.name")
    assert exc.field == "target.name"
    assert exc.message.startswith("target.name: ")


def test_iscsi_name_length_limit_is_223_bytes():
    prefix = "iqn.1998-01.com.vmware:"
    assert check.iscsi_name(prefix + "a" * (223 - len(prefix)), "x") == prefix + "a" * (223 - len(prefix))
    exc = _refused(check.iscsi_name, prefix + "a" * (224 - len(prefix)), "initiator.name")
    assert "longer than 223 bytes" in exc.message


@pytest.mark.parametrize("value", [None, "", 42])
def test_iscsi_name_required(value):
    exc = _refused(check.iscsi_name, value, "initiator.name")
    assert exc.field == "initiator.name"
    assert "is required" in exc.message


# -- addresses ----------------------------------------------------------------------------------

def test_ip_address_accepts_v4_and_v6():
    assert check.ip_address(" 192.168.10.5 ", "target.address") == ipaddress.ip_address("192.168.10.5")
    assert str(check.ip_address("2001:DB8:0:0::5", "target.address")) == "2001:db8::5"


@pytest.mark.parametrize("value", ["192.168.10.256", "192.168.10", "10.0.0.1.5", "bmc.example.com", "2001:db8::g",
                                   "2001:db8:::1", "", None])
def test_ip_address_refuses(value):
    exc = _refused(check.ip_address, value, "target.address")
    assert exc.field == "target.address"
    assert "is not an IPv4 or IPv6 address" in exc.message


# -- netmasks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, length", [
    ("255.255.255.0", 24), ("255.255.0.0", 16), ("255.255.255.252", 30), ("255.255.255.255", 32),
    ("128.0.0.0", 1), (24, 24), ("24", 24), ("/24", 24), (" /8 ", 8), ("32", 32),
])
def test_prefix_length_ipv4(value, length):
    assert check.prefix_length(value, 4, "initiator.netmask") == length


@pytest.mark.parametrize("value, length", [("64", 64), ("/48", 48), (128, 128)])
def test_prefix_length_ipv6(value, length):
    assert check.prefix_length(value, 6, "initiator.netmask") == length


@pytest.mark.parametrize("value, family, words", [
    ("255.0.255.0", 4, "is not a netmask"),       # not contiguous
    ("255.255.255.1", 4, "is not a netmask"),
    ("abc", 4, "is not a netmask"),
    ("ffff:ffff::", 4, "is not a netmask"),       # an IPv6 mask for IPv4
    ("255.255.255.0", 6, "is not a netmask"),     # an IPv4 mask for IPv6
    ("33", 4, "outside 1-32"),
    ("0", 4, "outside 1-32"),
    ("129", 6, "outside 1-128"),
    ("0.0.0.0", 4, "is not a usable netmask"),
    ("-24", 4, "is not a netmask"),
])
def test_prefix_length_refuses(value, family, words):
    exc = _refused(check.prefix_length, value, family, "initiator.netmask")
    assert exc.field == "initiator.netmask"
    assert words in exc.message


def test_prefix_to_netmask():
    assert check.prefix_to_netmask(24, 4) == "255.255.255.0"
    assert check.prefix_to_netmask(20, 4) == "255.255.240.0"
    assert check.prefix_to_netmask(32, 4) == "255.255.255.255"
    assert check.prefix_to_netmask(64, 6) == "64"


# -- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(1, 1), (65535, 65535), ("3260", 3260), (3260, 3260)])
def test_integer_in_range(value, expected):
    assert check.integer_in(value, 1, 65535, "target.port") == expected


@pytest.mark.parametrize("value, words", [(0, "0 is outside 1-65535"), (70000, "70000 is outside 1-65535"),
                                          ("-1", "-1 is outside 1-65535"), ("3260a", "is not a whole number"),
                                          ("3.5", "is not a whole number"), (True, "is not a whole number")])
def test_integer_in_refuses(value, words):
    exc = _refused(check.integer_in, value, 1, 65535, "target.port")
    assert exc.field == "target.port"
    assert words in exc.message


# -- CHAP secrets and MACs ----------------------------------------------------------------------

@pytest.mark.parametrize("length", [12, 13, 16])
def test_chap_secret_lengths_accepted(length):
    assert check.chap_secret("x" * length, "chap.secret") == "x" * length


@pytest.mark.parametrize("value, got", [("x" * 11, 11), ("x" * 17, 17), ("", 0), (None, 0), (123456789012, 0)])
def test_chap_secret_lengths_refused(value, got):
    exc = _refused(check.chap_secret, value, "chap.secret")
    assert exc.field == "chap.secret"
    assert exc.message.endswith("got %d" % got)


@pytest.mark.parametrize("value", ["AA:BB:CC:00:00:02", "aa-bb-cc-00-00-02", " aa:bb:cc:00:00:02 "])
def test_mac_address_normalised(value):
    assert check.mac_address(value, "port.mac") == "aa:bb:cc:00:00:02"


@pytest.mark.parametrize("value", ["aa:bb:cc:00:00", "aabbcc000002", "aa:bb:cc:00:00:0g", "aa:bb:cc:00:00:02:03"])
def test_mac_address_refused(value):
    assert _refused(check.mac_address, value, "port.mac").field == "port.mac"
