# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The iSCSI model: desired_iscsi() validation, differences() normalisation and plan()."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import iscsi
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import MASK

SECRET = "chap-secret-01"          # 14 characters
MUTUAL = "mutual-secret-2"         # 15 characters


def params(**changes):
    """Module parameters as AnsibleModule hands them over (suboptions present, unset ones None)."""
    base = {
        "state": "present",
        "initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.168.10.21", "netmask": "255.255.255.0",
                      "gateway": "192.168.10.1", "primary_dns": None, "secondary_dns": None, "dhcp": False},
        "target": {"name": "iqn.2005-10.org.freenas.ctl:esxi01", "address": "192.168.10.5", "port": 3260, "lun": 0,
                   "vlan_id": None},
        "secondary_target": None,
        "chap": {"username": "esxi01", "secret": SECRET, "mutual_username": None, "mutual_secret": None},
        "target_os": "esxi", "allow_ipv6": False,
    }
    for path, value in changes.items():
        section, _sep, key = path.partition("__")
        if key:
            base[section] = dict(base[section] or {}, **{key: value})
        else:
            base[section] = value
    return base


def refused(**changes):
    with pytest.raises(ValidationError) as caught:
        iscsi.desired_iscsi(params(**changes))
    return caught.value


DESIRED = {
    "InitiatorName": "iqn.1998-01.com.vmware:esxi01", "IPMaskDNSViaDHCP": False,
    "InitiatorIPAddress": "192.168.10.21", "InitiatorNetmask": "255.255.255.0",
    "InitiatorDefaultGateway": "192.168.10.1",
    "PrimaryTargetName": "iqn.2005-10.org.freenas.ctl:esxi01", "PrimaryTargetIPAddress": "192.168.10.5",
    "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 0, "PrimaryVLANEnable": False,
    "TargetInfoViaDHCP": False, "IPAddressType": "IPv4",
    "AuthenticationMethod": "CHAP", "CHAPUsername": "esxi01", "CHAPSecret": SECRET,
}


# -- desired_iscsi: the happy paths -------------------------------------------------------------

def test_desired_iscsi_full_ipv4_with_chap():
    assert iscsi.desired_iscsi(params()) == DESIRED


def test_desired_iscsi_dns_secondary_target_vlan_and_mutual_chap():
    desired = iscsi.desired_iscsi(params(
        initiator__primary_dns="192.168.10.2", initiator__secondary_dns="192.168.10.3",
        target__vlan_id=100, target__lun="7", target__port="3261",
        secondary_target={"name": "IQN.2005-10.org.freenas.ctl:ESXI01-B", "address": "192.168.10.6", "port": 3260,
                          "lun": 1, "vlan_id": None},
        chap={"username": "esxi01", "secret": SECRET, "mutual_username": "array", "mutual_secret": MUTUAL}))
    assert desired["PrimaryDNS"] == "192.168.10.2"
    assert desired["SecondaryDNS"] == "192.168.10.3"
    assert (desired["PrimaryVLANEnable"], desired["PrimaryVLANId"]) == (True, 100)
    assert (desired["PrimaryLUN"], desired["PrimaryTargetTCPPort"]) == (7, 3261)
    assert desired["SecondaryTargetName"] == "iqn.2005-10.org.freenas.ctl:esxi01-b"
    assert desired["SecondaryTargetIPAddress"] == "192.168.10.6"
    assert (desired["SecondaryLUN"], desired["SecondaryVLANEnable"]) == (1, False)
    assert "SecondaryVLANId" not in desired
    assert desired["AuthenticationMethod"] == "MutualCHAP"
    assert (desired["MutualCHAPUsername"], desired["MutualCHAPSecret"]) == ("array", MUTUAL)


def test_desired_iscsi_folds_iqn_case():
    desired = iscsi.desired_iscsi(params(initiator__name="IQN.1998-01.COM.VMWARE:ESXi01",
                                         target__name="iqn.2005-10.ORG.FreeNAS.ctl:esxi01"))
    assert desired["InitiatorName"] == "iqn.1998-01.com.vmware:esxi01"
    assert desired["PrimaryTargetName"] == "iqn.2005-10.org.freenas.ctl:esxi01"


@pytest.mark.parametrize("netmask", ["255.255.255.0", "24", "/24", 24])
def test_desired_iscsi_netmask_forms_become_dotted(netmask):
    assert iscsi.desired_iscsi(params(initiator__netmask=netmask))["InitiatorNetmask"] == "255.255.255.0"


def test_desired_iscsi_eui_and_naa_targets():
    assert iscsi.desired_iscsi(params(target__name="EUI.02004567A425678D"))["PrimaryTargetName"] == "eui.02004567a425678d"
    naa = "naa.600a098038303053453f463045727a41"
    assert iscsi.desired_iscsi(params(target__name=naa))["PrimaryTargetName"] == naa


def test_desired_iscsi_dhcp_needs_no_address():
    desired = iscsi.desired_iscsi(params(initiator={"name": "iqn.1998-01.com.vmware:esxi01", "address": None,
                                                    "netmask": None, "gateway": None, "dhcp": True}))
    assert desired["IPMaskDNSViaDHCP"] is True
    assert "InitiatorIPAddress" not in desired and "InitiatorNetmask" not in desired
    assert desired["IPAddressType"] == "IPv4"


def test_desired_iscsi_without_chap():
    desired = iscsi.desired_iscsi(params(chap=None))
    assert desired["AuthenticationMethod"] == "None"
    assert not set(desired) & {"CHAPUsername", "CHAPSecret", "MutualCHAPUsername", "MutualCHAPSecret"}


def test_desired_iscsi_defaults_port_and_lun_when_absent():
    desired = iscsi.desired_iscsi(params(target={"name": "iqn.2005-10.org.freenas.ctl:esxi01", "address": "192.168.10.5"}))
    assert (desired["PrimaryTargetTCPPort"], desired["PrimaryLUN"], desired["PrimaryVLANEnable"]) == (3260, 0, False)


def test_desired_iscsi_ipv6_allowed_with_allow_ipv6():
    desired = iscsi.desired_iscsi(params(
        initiator__address="2001:DB8::21", initiator__netmask="/64", initiator__gateway="2001:db8::1",
        target__address="2001:db8:0:0::5", allow_ipv6=True))
    assert desired["IPAddressType"] == "IPv6"
    assert desired["InitiatorIPAddress"] == "2001:db8::21"
    assert desired["InitiatorNetmask"] == "64"
    assert desired["InitiatorDefaultGateway"] == "2001:db8::1"
    assert desired["PrimaryTargetIPAddress"] == "2001:db8::5"


def test_desired_iscsi_ipv6_allowed_for_other_os():
    desired = iscsi.desired_iscsi(params(initiator__address="2001:db8::21", initiator__netmask="64",
                                         initiator__gateway=None, target__address="2001:db8::5", target_os="other"))
    assert desired["IPAddressType"] == "IPv6"


# -- desired_iscsi: every rule names its field ------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"initiator__name": "iqn.1998-1.com.vmware:esxi01"}, "initiator.name"),
    ({"initiator__name": None}, "initiator.name"),
    ({"target__name": "iqn.2005-10.org.freenas.ctl:"}, "target.name"),
    ({"target__name": "eui.0123"}, "target.name"),
    ({"target__name": "naa.0123456789abcdef0"}, "target.name"),
    ({"initiator__address": "192.168.10.300"}, "initiator.address"),
    ({"initiator__address": None}, "initiator.address"),
    ({"initiator__address": ""}, "initiator.address"),
    ({"initiator__address": "2001:db8::zz"}, "initiator.address"),
    ({"initiator__netmask": None}, "initiator.netmask"),
    ({"initiator__netmask": "255.0.255.0"}, "initiator.netmask"),
    ({"initiator__netmask": "33"}, "initiator.netmask"),
    ({"initiator__netmask": "wide"}, "initiator.netmask"),
    ({"initiator__gateway": "192.168.10.999"}, "initiator.gateway"),
    ({"initiator__primary_dns": "dns.example"}, "initiator.primary_dns"),
    ({"target__address": None}, "target.address"),
    ({"target__address": "10.0.0"}, "target.address"),
    ({"target__address": "fe80::1::2"}, "target.address"),
    ({"target__port": 0}, "target.port"),
    ({"target__port": 70000}, "target.port"),
    ({"target__lun": -1}, "target.lun"),
    ({"target__lun": 16384}, "target.lun"),
    ({"target__vlan_id": 0}, "target.vlan_id"),
    ({"target__vlan_id": 4095}, "target.vlan_id"),
    ({"secondary_target": {"name": "iqn.2005-10.org.freenas.ctl:b", "address": "192.168.10.6", "port": 0}},
     "secondary_target.port"),
    ({"secondary_target": {"name": "iqn.bad", "address": "192.168.10.6"}}, "secondary_target.name"),
    ({"secondary_target": {"name": "iqn.2005-10.org.freenas.ctl:b", "address": "192.168.10.6", "lun": 16384}},
     "secondary_target.lun"),
    ({"secondary_target": {"name": "iqn.2005-10.org.freenas.ctl:b", "address": None}}, "secondary_target.address"),
    ({"chap__secret": "x" * 11}, "chap.secret"),
    ({"chap__secret": "x" * 17}, "chap.secret"),
    ({"chap__secret": None}, "chap.secret"),
    ({"chap__username": None}, "chap.username"),
    ({"chap__mutual_username": "array", "chap__mutual_secret": SECRET}, "chap.mutual_secret"),
    ({"chap__mutual_username": "array", "chap__mutual_secret": "y" * 11}, "chap.mutual_secret"),
    ({"chap__mutual_username": "array", "chap__mutual_secret": "y" * 17}, "chap.mutual_secret"),
    ({"chap__mutual_username": "array"}, "chap.mutual_secret"),
    ({"chap__mutual_secret": MUTUAL}, "chap.mutual_username"),
    ({"chap": {"mutual_username": "array", "mutual_secret": MUTUAL}}, "chap.username"),
])
def test_desired_iscsi_rule_names_field(changes, field):
    exc = refused(**changes)
    assert exc.field == field
    assert exc.message.startswith(field + ": ")


def test_boundaries_are_inclusive():
    desired = iscsi.desired_iscsi(params(target__port=65535, target__lun=16383, target__vlan_id=4094))
    assert (desired["PrimaryTargetTCPPort"], desired["PrimaryLUN"], desired["PrimaryVLANId"]) == (65535, 16383, 4094)
    desired = iscsi.desired_iscsi(params(target__port=1, target__lun=0, target__vlan_id=1,
                                         chap__secret="x" * 12))
    assert (desired["PrimaryTargetTCPPort"], desired["PrimaryLUN"], desired["PrimaryVLANId"]) == (1, 0, 1)
    assert desired["CHAPSecret"] == "x" * 12
    assert iscsi.desired_iscsi(params(chap__secret="x" * 16))["CHAPSecret"] == "x" * 16


def test_mutual_secret_equal_to_chap_secret_is_refused_with_reason():
    exc = refused(chap__mutual_username="array", chap__mutual_secret=SECRET)
    assert "must differ from chap.secret" in exc.message


def test_mutual_chap_without_chap_is_refused():
    exc = refused(chap={"username": None, "secret": None, "mutual_username": "array", "mutual_secret": MUTUAL})
    assert exc.field == "chap.username"
    assert "CHAP needs both username and secret" in exc.message


def test_ipv6_for_esxi_without_allow_ipv6_is_refused():
    exc = refused(initiator__address="2001:db8::21", initiator__netmask="64", initiator__gateway=None,
                  target__address="2001:db8::5")
    assert exc.field == "initiator.address"
    assert "allow_ipv6" in exc.message


def test_ipv6_target_with_dhcp_initiator_for_esxi_is_refused():
    exc = refused(initiator={"name": "iqn.1998-01.com.vmware:esxi01", "dhcp": True}, target__address="2001:db8::5")
    assert "allow_ipv6" in exc.message


@pytest.mark.parametrize("changes, field", [
    ({"target__address": "2001:db8::5"}, "target.address"),                      # IPv4 initiator, IPv6 target
    ({"initiator__gateway": "2001:db8::1"}, "initiator.gateway"),
    ({"initiator__primary_dns": "2001:db8::53"}, "initiator.primary_dns"),
    ({"secondary_target": {"name": "iqn.2005-10.org.freenas.ctl:b", "address": "2001:db8::6"}},
     "secondary_target.address"),
    ({"initiator__address": "2001:db8::21", "initiator__netmask": "64", "initiator__gateway": None,
      "allow_ipv6": True}, "target.address"),                                     # IPv6 initiator, IPv4 target
])
def test_mixing_ipv4_and_ipv6_is_refused(changes, field):
    exc = refused(**changes)
    assert exc.field == field
    assert "cannot be mixed" in exc.message


def test_mixing_checked_across_targets_with_dhcp_initiator():
    exc = refused(initiator={"name": "iqn.1998-01.com.vmware:esxi01", "dhcp": True},
                  secondary_target={"name": "iqn.2005-10.org.freenas.ctl:b", "address": "2001:db8::6"})
    assert exc.field == "secondary_target.address"


def test_ipv4_netmask_in_ipv6_family_is_refused():
    exc = refused(initiator__address="2001:db8::21", initiator__netmask="255.255.255.0", initiator__gateway=None,
                  target__address="2001:db8::5", allow_ipv6=True)
    assert exc.field == "initiator.netmask"


# -- differences: normalisation -----------------------------------------------------------------

def bmc_view(desired, **changes):
    """What a BMC reports for a port configured as `desired`: secrets read back as null."""
    boot = dict(desired, CHAPSecret=None, MutualCHAPSecret=None)
    boot.update(changes)
    return boot


def test_differences_none_when_equal_and_secrets_never_compared():
    assert iscsi.differences(DESIRED, bmc_view(DESIRED)) == []
    assert iscsi.differences(DESIRED, bmc_view(DESIRED, CHAPSecret="something-else")) == []


def test_differences_lists_changed_keys_in_desired_order():
    actual = bmc_view(DESIRED, PrimaryTargetIPAddress="192.168.10.9", PrimaryLUN=3, CHAPUsername="other")
    assert iscsi.differences(DESIRED, actual) == ["PrimaryTargetIPAddress", "PrimaryLUN", "CHAPUsername"]


def test_differences_against_nothing():
    assert iscsi.differences({"InitiatorName": "iqn.1998-01.com.vmware:a", "PrimaryLUN": 0}, None) == \
        ["InitiatorName", "PrimaryLUN"]


@pytest.mark.parametrize("reported", ["24", 24, "255.255.255.0"])
def test_netmask_dotted_equals_prefix(reported):
    assert iscsi.differences({"InitiatorNetmask": "255.255.255.0"}, {"InitiatorNetmask": reported}) == []
    assert iscsi.differences({"InitiatorNetmask": "255.255.255.0"}, {"InitiatorNetmask": "255.255.0.0"}) == \
        ["InitiatorNetmask"]


def test_ipv6_prefix_netmask_compared_as_number():
    assert iscsi.differences({"InitiatorNetmask": "64"}, {"InitiatorNetmask": 64}) == []
    assert iscsi.differences({"InitiatorNetmask": "64"}, {"InitiatorNetmask": "48"}) == ["InitiatorNetmask"]


def test_iqn_case_is_ignored():
    desired = {"InitiatorName": "iqn.1998-01.com.vmware:esxi01", "PrimaryTargetName": "iqn.2005-10.org.freenas.ctl:x",
               "SecondaryTargetName": "eui.02004567a425678d"}
    actual = {"InitiatorName": "IQN.1998-01.COM.VMWARE:ESXI01", "PrimaryTargetName": "iqn.2005-10.org.FreeNAS.ctl:X",
              "SecondaryTargetName": "EUI.02004567A425678D"}
    assert iscsi.differences(desired, actual) == []
    # CHAP user names are not iSCSI names: their case matters.
    assert iscsi.differences({"CHAPUsername": "esxi01"}, {"CHAPUsername": "ESXI01"}) == ["CHAPUsername"]


@pytest.mark.parametrize("unset", [None, "", "0.0.0.0", "::", "::ffff:0.0.0.0"])
def test_unset_address_forms_are_equal(unset):
    for key in ("InitiatorDefaultGateway", "PrimaryDNS", "SecondaryTargetIPAddress"):
        assert iscsi.differences({key: "0.0.0.0"}, {key: unset}) == []
        assert iscsi.differences({key: unset}, {key: None}) == []
        assert iscsi.differences({key: "192.168.10.1"}, {key: unset}) == [key]


def test_addresses_compared_after_parsing():
    assert iscsi.differences({"PrimaryTargetIPAddress": "2001:db8::5"},
                             {"PrimaryTargetIPAddress": "2001:DB8:0:0:0:0:0:5"}) == []
    assert iscsi.differences({"PrimaryTargetIPAddress": "192.168.10.5"},
                             {"PrimaryTargetIPAddress": "not-an-address"}) == ["PrimaryTargetIPAddress"]


def test_vlan_id_ignored_while_vlan_disabled():
    assert iscsi.differences({"PrimaryVLANEnable": False, "PrimaryVLANId": 5},
                             {"PrimaryVLANEnable": False, "PrimaryVLANId": 0}) == []
    assert iscsi.differences({"PrimaryVLANEnable": True, "PrimaryVLANId": 5},
                             {"PrimaryVLANEnable": True, "PrimaryVLANId": 0}) == ["PrimaryVLANId"]
    assert iscsi.differences({"SecondaryVLANEnable": False, "SecondaryVLANId": 7},
                             {"SecondaryVLANEnable": False, "SecondaryVLANId": 1}) == []
    assert iscsi.differences({"PrimaryVLANEnable": True, "PrimaryVLANId": 5},
                             {"PrimaryVLANEnable": False, "PrimaryVLANId": 5}) == ["PrimaryVLANEnable"]


# -- plan ---------------------------------------------------------------------------------------

def configured(desired=None, mode="iSCSI", **changes):
    return {"BootMode": mode, "iSCSIBoot": bmc_view(desired or DESIRED, **changes)}


def test_plan_nothing_to_do():
    current = configured()
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current))
    assert result.payload == {}
    assert result.changed is False
    assert result.reboot_required is False
    assert result.pending_before == {}
    assert result.before == result.after
    assert result.after["BootMode"] == "iSCSI"


def test_plan_nothing_to_do_without_settings_object():
    result = iscsi.plan("present", DESIRED, configured(), None)
    assert (result.payload, result.changed, result.reboot_required, result.pending_before) == ({}, False, False, {})


def test_plan_a_change_sends_only_the_change_and_the_secret():
    current = configured(PrimaryTargetIPAddress="192.168.10.9", PrimaryLUN=3)
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current))
    assert result.payload == {"iSCSIBoot": {"PrimaryTargetIPAddress": "192.168.10.5", "PrimaryLUN": 0,
                                            "CHAPSecret": SECRET}}
    assert result.changed is True
    assert result.reboot_required is True
    assert result.pending_before == {}
    assert result.before["iSCSIBoot"]["PrimaryTargetIPAddress"] == "192.168.10.9"
    assert result.after["iSCSIBoot"]["PrimaryTargetIPAddress"] == "192.168.10.5"
    assert result.after["iSCSIBoot"]["PrimaryLUN"] == 0


def test_plan_from_a_blank_port_enables_iscsi():
    blank = {"PrimaryTargetName": None, "InitiatorIPAddress": "0.0.0.0", "CHAPSecret": None}
    current = {"BootMode": "Disabled", "iSCSIBoot": blank}
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current))
    assert result.payload["BootMode"] == "iSCSI"
    assert result.payload["iSCSIBoot"] == DESIRED        # everything differs; the secret goes along
    assert result.after["BootMode"] == "iSCSI"
    assert result.before["BootMode"] == "Disabled"


def test_plan_bootmode_only_change_also_sends_secret_on_change():
    current = configured(mode="Disabled")
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current))
    assert result.payload == {"BootMode": "iSCSI", "iSCSIBoot": {"CHAPSecret": SECRET}}


def test_plan_desired_already_pending():
    current = configured(mode="Disabled", PrimaryTargetIPAddress="192.168.10.9")
    future = configured()                                   # the SettingsObject already holds what we want
    result = iscsi.plan("present", DESIRED, current, future)
    assert result.payload == {}
    assert result.changed is False
    assert result.reboot_required is True
    assert result.pending_before == {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryTargetIPAddress": "192.168.10.5"}}
    assert result.before["BootMode"] == "Disabled"
    assert result.after["BootMode"] == "iSCSI"
    assert result.after["iSCSIBoot"]["PrimaryTargetIPAddress"] == "192.168.10.5"


def test_plan_compares_with_pending_not_current():
    current = configured()                                    # what we want is live...
    future = configured(PrimaryLUN=9)                         # ...but someone staged LUN 9
    result = iscsi.plan("present", DESIRED, current, future)
    assert result.payload == {"iSCSIBoot": {"PrimaryLUN": 0, "CHAPSecret": SECRET}}
    assert result.pending_before == {"iSCSIBoot": {"PrimaryLUN": 9}}
    assert result.reboot_required is True


def test_plan_chap_secret_on_change_alone_changes_nothing():
    current = configured()
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current), chap_secret_update="on_change")
    assert result.payload == {}
    assert result.changed is False


def test_plan_chap_secret_always_is_always_changed():
    current = configured()
    result = iscsi.plan("present", DESIRED, current, copy.deepcopy(current), chap_secret_update="always")
    assert result.payload == {"iSCSIBoot": {"CHAPSecret": SECRET}}
    assert result.changed is True
    assert result.reboot_required is True
    assert result.after["iSCSIBoot"]["CHAPSecret"] == MASK


def test_plan_always_sends_both_secrets_of_mutual_chap():
    desired = dict(DESIRED, AuthenticationMethod="MutualCHAP", MutualCHAPUsername="array", MutualCHAPSecret=MUTUAL)
    current = configured(desired)
    result = iscsi.plan("present", desired, current, None, chap_secret_update="always")
    assert result.payload == {"iSCSIBoot": {"CHAPSecret": SECRET, "MutualCHAPSecret": MUTUAL}}


def test_plan_without_chap_never_sends_secrets():
    desired = {k: v for k, v in DESIRED.items() if k not in ("CHAPUsername", "CHAPSecret")}
    desired["AuthenticationMethod"] = "None"
    current = configured(desired)
    result = iscsi.plan("present", desired, current, None, chap_secret_update="always")
    assert result.payload == {}


def test_plan_absent_disables_and_leaves_values():
    current = configured()
    result = iscsi.plan("absent", {}, current, copy.deepcopy(current))
    assert result.payload == {"BootMode": "Disabled"}
    assert result.changed is True
    assert result.reboot_required is True
    assert result.after["BootMode"] == "Disabled"
    assert result.after["iSCSIBoot"]["PrimaryTargetIPAddress"] == "192.168.10.5"


def test_plan_absent_when_already_disabled():
    current = configured(mode="Disabled")
    result = iscsi.plan("absent", {}, current, copy.deepcopy(current), chap_secret_update="always")
    assert result.payload == {}
    assert result.changed is False
    assert result.reboot_required is False


def test_plan_absent_already_pending():
    current = configured()
    future = configured(mode="Disabled")
    result = iscsi.plan("absent", {}, current, future)
    assert result.payload == {}
    assert result.reboot_required is True
    assert result.pending_before == {"BootMode": "Disabled"}


def test_plan_absent_overrides_a_pending_enable():
    current = configured(mode="Disabled")
    future = configured(mode="iSCSI")
    result = iscsi.plan("absent", {}, current, future)
    assert result.payload == {"BootMode": "Disabled"}


def test_plan_normalisation_means_no_change():
    desired = dict(DESIRED, InitiatorDefaultGateway="0.0.0.0")
    current = configured(desired,
                         InitiatorNetmask="24",                                   # prefix instead of dotted
                         InitiatorName="IQN.1998-01.COM.VMWARE:ESXI01",           # other case
                         PrimaryTargetName="iqn.2005-10.org.FreeNAS.ctl:ESXI01",
                         InitiatorDefaultGateway=None,                            # null instead of 0.0.0.0
                         PrimaryVLANId=100)                                       # VLAN id while disabled
    result = iscsi.plan("present", desired, current, copy.deepcopy(current))
    assert result.payload == {}
    assert result.changed is False


def test_plan_masks_secrets_in_before_after_and_pending():
    desired = dict(DESIRED, AuthenticationMethod="MutualCHAP", MutualCHAPUsername="array", MutualCHAPSecret=MUTUAL)
    current = configured(desired, CHAPSecret="bmc-echoed-secret", MutualCHAPSecret="", PrimaryLUN=4)
    future = configured(desired, CHAPSecret="pending-secret-x", MutualCHAPSecret=None, PrimaryLUN=5)
    result = iscsi.plan("present", desired, current, future)
    assert result.before["iSCSIBoot"]["CHAPSecret"] == MASK
    assert result.before["iSCSIBoot"]["MutualCHAPSecret"] is None      # unset stays visible as unset
    assert result.after["iSCSIBoot"]["CHAPSecret"] == MASK
    assert result.after["iSCSIBoot"]["MutualCHAPSecret"] == MASK
    assert result.payload["iSCSIBoot"]["CHAPSecret"] == SECRET             # the payload itself is not masked
    shown = repr((result.before, result.after, result.pending_before))
    for secret in (SECRET, MUTUAL, "bmc-echoed-secret", "pending-secret-x"):
        assert secret not in shown


def test_view_and_pending_changes():
    assert iscsi.view("iSCSI", {"CHAPSecret": "x" * 12, "CHAPUsername": "u", "MutualCHAPSecret": None}) == \
        {"BootMode": "iSCSI", "iSCSIBoot": {"CHAPSecret": MASK, "CHAPUsername": "u", "MutualCHAPSecret": None}}
    assert iscsi.view(None, None) == {"BootMode": None, "iSCSIBoot": {}}
    current = configured()
    assert iscsi.pending_changes(current, None) == {}
    assert iscsi.pending_changes(current, copy.deepcopy(current)) == {}
    assert iscsi.pending_changes(current, configured(mode="Disabled", PrimaryLUN=2, CHAPSecret="zzzzzzzzzzzz")) == \
        {"BootMode": "Disabled", "iSCSIBoot": {"PrimaryLUN": 2}}


def test_plan_does_not_modify_its_inputs():
    current = configured(PrimaryLUN=3)
    future = copy.deepcopy(current)
    snapshot = copy.deepcopy((DESIRED, current, future))
    iscsi.plan("present", DESIRED, current, future, chap_secret_update="always")
    assert (DESIRED, current, future) == snapshot
