"""ModelSan alone: the login rules, in the order a real target checks them, and LUN contents."""
import asyncio
import dataclasses

import pytest
from support.mockup import GOOD_ISCSI, fast_fleet

from sanboot_mockup import san
from sanboot_mockup.firmware import login_request
from sanboot_mockup.fleet import parse_fleet


@pytest.fixture
def model(tmp_path):
    return san.ModelSan(parse_fleet(fast_fleet()).san, tmp_path)


def request_for(host, **changes):
    return dataclasses.replace(login_request(GOOD_ISCSI[host]), **changes)


def login(model, request):
    return asyncio.run(model.login(request))


def read_sector(model, request):
    return asyncio.run(model.read_boot_sector(request))


WRONG = "iqn.2024-01.org.example.san:nobody"
MATRIX = [
    # (case, host, changes to the correct request, expected code)
    ("chap", "esxi01", {}, san.OK),
    ("mutual chap", "esxi02", {}, san.OK),
    ("no chap", "esxi03", {}, san.OK),
    ("one-way chap where mutual is offered", "esxi02", {"auth": "CHAP"}, san.OK),
    ("wrong chap secret", "esxi01", {"chap_secret": "not-the-secret"}, san.AUTH_FAILURE),
    ("wrong chap user", "esxi01", {"chap_user": "esxi99"}, san.AUTH_FAILURE),
    ("no chap where the target needs it", "esxi01", {"auth": "None"}, san.AUTH_FAILURE),
    ("wrong chap secret before mutual", "esxi02", {"chap_secret": "not-the-secret"}, san.AUTH_FAILURE),
    ("wrong mutual secret", "esxi02", {"mutual_secret": "not-the-mutual"}, san.MUTUAL_AUTH_FAILURE),
    ("wrong mutual user", "esxi02", {"mutual_user": "san99"}, san.MUTUAL_AUTH_FAILURE),
    # As tgt with libiscsi (the tgt backend) decides: the initiator offers CHAP or None, the target picks None.
    ("chap where the target has none", "esxi03", {"auth": "CHAP", "chap_user": "u", "chap_secret": "s" * 12},
     san.OK),
    # The target never answers the initiator's challenge (libiscsi: no CHAP_N during SECNEG).
    ("mutual where the target has no chap", "esxi03",
     {"auth": "MutualCHAP", "chap_user": "u", "chap_secret": "s" * 12, "mutual_user": "m", "mutual_secret": "t" * 12},
     san.MUTUAL_AUTH_FAILURE),
    # The target has CHAP but no account to answer with: the target itself fails the login (tgt: 0x0201).
    ("mutual where the target has no mutual account", "esxi01",
     {"auth": "MutualCHAP", "mutual_user": "x", "mutual_secret": "y" * 12}, san.AUTH_FAILURE),
    ("initiator not in the ACL", "esxi01", {"initiator": "iqn.1998-01.com.vmware:esxi02"}, san.TARGET_NOT_FOUND),
    ("no initiator name", "esxi03", {"initiator": ""}, san.TARGET_NOT_FOUND),
    ("wrong target name", "esxi01", {"target": WRONG}, san.TARGET_NOT_FOUND),
    ("wrong lun", "esxi01", {"lun": 2}, san.LUN_NOT_SUPPORTED),
    ("portal the san does not have", "esxi01", {"portal": "127.0.0.1:3261"}, san.PORTAL_UNREACHABLE),
    ("other address", "esxi01", {"portal": "192.0.2.200:3260"}, san.PORTAL_UNREACHABLE),
    # The portal is checked before anything else: a wrong secret on a dead portal is unreachable.
    ("portal before auth", "esxi01", {"portal": "127.0.0.1:3261", "chap_secret": "bad"}, san.PORTAL_UNREACHABLE),
    # The ACL hides a target before CHAP runs: an unknown initiator never gets to authenticate.
    ("acl before chap", "esxi01", {"initiator": "iqn.x:y", "chap_secret": "bad"}, san.TARGET_NOT_FOUND),
    ("auth before lun", "esxi01", {"lun": 2, "chap_secret": "bad"}, san.AUTH_FAILURE),
]


@pytest.mark.parametrize("host,changes,code", [m[1:] for m in MATRIX], ids=[m[0] for m in MATRIX])
def test_login_matrix(model, host, changes, code):
    result = login(model, request_for(host, **changes))
    assert result.code == code, result
    assert result.ok is (code == san.OK)
    if code != san.OK:
        assert result.reason.startswith(san.REASONS[code]), result.reason
        assert result.detail, "a failure names what was refused"


def test_portal_without_port_means_3260(model):
    assert login(model, request_for("esxi03", portal="127.0.0.1")).ok


def test_whole_san_down_then_up(model):
    model.set_down()
    for host in GOOD_ISCSI:
        assert login(model, request_for(host)).code == san.PORTAL_UNREACHABLE
    model.set_down(down=False)
    assert all(login(model, request_for(host)).ok for host in GOOD_ISCSI)


def test_one_target_down_leaves_the_others(model):
    model.set_down(GOOD_ISCSI["esxi01"]["PrimaryTargetName"])
    assert login(model, request_for("esxi01")).code == san.PORTAL_UNREACHABLE
    assert login(model, request_for("esxi02")).ok


def test_acl_all_lets_any_initiator_in(tmp_path):
    fleet = fast_fleet()
    fleet["san"]["targets"][2]["acl"] = ["ALL"]
    model = san.ModelSan(parse_fleet(fleet).san, tmp_path)
    assert login(model, request_for("esxi03", initiator="iqn.1998-01.com.vmware:someone-else")).ok


def test_target_only_reachable_through_its_own_portal(tmp_path):
    fleet = fast_fleet()
    fleet["san"]["portals"] = ["127.0.0.1:3260", "127.0.0.2:3260"]
    model = san.ModelSan(parse_fleet(fleet).san, tmp_path)
    assert login(model, request_for("esxi03", portal="127.0.0.2:3260")).code == san.TARGET_NOT_FOUND


def test_boot_sectors_blank_and_installed(model):
    assert san.is_bootable(read_sector(model, request_for("esxi01")))
    blank = read_sector(model, request_for("esxi03"))
    assert len(blank) == san.SECTOR and not san.is_bootable(blank)


def test_install_survives_a_new_model(model, tmp_path):
    asyncio.run(model.install_esxi(request_for("esxi03")))
    assert san.is_bootable(read_sector(model, request_for("esxi03")))
    again = san.ModelSan(parse_fleet(fast_fleet()).san, tmp_path)
    assert again.lun_states()["iqn.2024-01.org.example.san:esxi03/1"] == "esxi"
    assert san.is_bootable(read_sector(again, request_for("esxi03")))


def test_login_request_from_iscsi_boot():
    request = login_request(GOOD_ISCSI["esxi02"])
    assert request == san.LoginRequest(
        initiator="iqn.1998-01.com.vmware:esxi02", portal="127.0.0.1:3260",
        target="iqn.2024-01.org.example.san:esxi02", lun=1, auth="MutualCHAP", chap_user="esxi02",
        chap_secret="esxi02-secret", mutual_user="san02", mutual_secret="san02-mutual", vlan=120)
    assert login_request(GOOD_ISCSI["esxi01"]).vlan is None
