"""XCC's Pending iSCSIBoot: a PATCH stages (200 RebootRequired), Pending shows the full set merged,
the function changes only at the next reset, after which Pending equals it; If-Match: stale 412,
`*` and none accepted, the etag_race fault's one 412; CHAP keys only with CHAP; the current resource
is read-only; accounts want If-Match (428)."""
import pytest
from support.lenovo import FUNCTION, PENDING, PLAIN_FUNCTION, configure, patch_fresh, staged
from support.mockup import GOOD_ISCSI, assert_redfish_error

POOL_SIZE, POOL_ADDRESS_BASE, POOL_PERSONALITY = 12, "127.0.83.", "xcc"   # the pool fixture (conftest.py)


@pytest.fixture
def bmc(fresh_bmc):
    return fresh_bmc


def _iscsi(bmc, uri):
    return bmc.json(uri)["iSCSIBoot"]


def test_pending_holds_the_full_set_and_applies_at_reset(bmc):
    before = _iscsi(bmc, FUNCTION)
    body = configure(bmc)
    assert body["@odata.id"] == PENDING and body["iSCSIBoot"]["PrimaryTargetName"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    assert _iscsi(bmc, FUNCTION) == before  # nothing changes before the reset
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"PrimaryLUN": 2}}))
    pending = _iscsi(bmc, PENDING)
    assert set(pending) == set(before)  # the full set, not only what changed
    assert pending["PrimaryLUN"] == 2 and pending["InitiatorName"] == GOOD_ISCSI["esxi01"]["InitiatorName"]
    assert pending["CHAPSecret"] is None and pending["CHAPUsername"] == "esxi01"
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"PrimaryLUN": 1}}))
    assert bmc.boot_once()["outcome"] == "booted"
    current = _iscsi(bmc, FUNCTION)
    assert current["PrimaryTargetName"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"] and current["CHAPSecret"] is None
    assert _iscsi(bmc, PENDING) == current


def test_if_match_stale_star_and_none(bmc):
    old = bmc.get(PENDING).headers["ETag"]
    staged(bmc.patch(PENDING, {"iSCSIBoot": {"PrimaryLUN": 3}}, headers={"If-Match": old}))
    refused = bmc.patch(PENDING, {"iSCSIBoot": {"PrimaryLUN": 4}}, headers={"If-Match": old})
    error = assert_redfish_error(refused, 412, "PreconditionFailed")
    assert error["message"] == "The ETag supplied did not match the ETag required to change this resource."
    assert _iscsi(bmc, PENDING)["PrimaryLUN"] == 3
    staged(bmc.patch(PENDING, {"iSCSIBoot": {"PrimaryLUN": 5}}, headers={"If-Match": "*"}))
    staged(bmc.patch(PENDING, {"iSCSIBoot": {"PrimaryLUN": 6}}))  # no If-Match: taken (addendum 8.4c)
    assert _iscsi(bmc, PENDING)["PrimaryLUN"] == 6


def test_etag_race_gives_one_412_then_a_fresh_read_succeeds(bmc):
    bmc.fault("etag_race")
    refused = patch_fresh(bmc, PENDING, {"iSCSIBoot": GOOD_ISCSI["esxi01"]})
    assert_redfish_error(refused, 412, "PreconditionFailed")
    assert _iscsi(bmc, PENDING)["PrimaryTargetName"] is None  # nothing staged
    configure(bmc)  # read again, write again: taken
    assert bmc.admin("faults") == {}


@pytest.mark.parametrize("method, keys", [
    ("None", {"CHAPUsername": "u"}),
    ("None", {"CHAPSecret": "s"}),
    ("CHAP", {"MutualCHAPUsername": "m"}),
    ("CHAP", {"MutualCHAPSecret": "m"}),
])
def test_chap_keys_only_with_chap(bmc, method, keys):
    refused = patch_fresh(bmc, PENDING, {"iSCSIBoot": {"AuthenticationMethod": method, **keys}})
    key = next(iter(keys))
    assert_redfish_error(refused, 400, "PropertyValueConflict", related=[f"#/iSCSIBoot/{key}"])
    assert _iscsi(bmc, PENDING)["AuthenticationMethod"] == "None"  # nothing staged


def test_chap_keys_judged_on_the_method_already_pending(bmc):
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"AuthenticationMethod": "MutualCHAP"}}))
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"CHAPUsername": "u", "MutualCHAPUsername": "m"}}))
    refused = patch_fresh(bmc, PENDING, {"iSCSIBoot": {"AuthenticationMethod": "None", "CHAPSecret": "x"}})
    assert_redfish_error(refused, 400, "PropertyValueConflict")


def test_schema_refusals_stage_nothing(bmc):
    assert_redfish_error(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"PrimaryLUN": "one"}}), 400, "PropertyValueTypeError")
    assert_redfish_error(patch_fresh(bmc, PENDING, {"BootMode": "iSCSI"}), 400, "PropertyNotWritable")
    assert _iscsi(bmc, PENDING)["PrimaryLUN"] == 0


def test_the_current_resource_and_a_plain_port_take_no_write(bmc):
    assert_redfish_error(patch_fresh(bmc, FUNCTION, {"iSCSIBoot": {"PrimaryLUN": 1}}), 400, "PropertyNotWritable")
    assert bmc.patch(f"{PLAIN_FUNCTION}/Pending", {"iSCSIBoot": {"PrimaryLUN": 1}}).status_code == 404


def test_account_changes_need_if_match(bmc):
    uri = "/redfish/v1/AccountService/Accounts/1"
    assert_redfish_error(bmc.patch(uri, {"Locked": False}), 428, "PreconditionRequired")
    assert patch_fresh(bmc, uri, {"Locked": False}).status_code == 200
