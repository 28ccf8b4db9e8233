"""Armed faults (`after`): a fault that starts when the BMC has answered a given request, so a test or a
seeded chaos plan puts a BMC reboot or a session expiry at a chosen point of a run without racing it."""

import pytest
import requests
from support.mockup import GOOD_ISCSI, assert_redfish_error
from support.polling import wait_for

from sanboot_mockup.faults import KINDS, Faults, parse_fault

POOL_SIZE, POOL_ADDRESS_BASE = 8, "127.0.150."   # the pool fixture (conftest.py)
SYSTEM = "/redfish/v1/Systems/1"
RESET = SYSTEM + "/Actions/ComputerSystem.Reset"
SETTINGS = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1/Settings"
PXE = {"Boot": {"BootSourceOverrideTarget": "Pxe"}}
REFUSED = {"Boot": {"BootSourceOverrideTarget": "Nowhere"}}   # 400: not an allowed value


def _answers(bmc):
    try:
        return bmc.get(SYSTEM, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def _session(bmc):
    response = bmc.login()
    assert response.status_code == 201, response.text
    return bmc.with_token(response.headers["X-Auth-Token"])


def test_unavailable_after_the_first_patch(fresh_bmc):
    bmc = fresh_bmc
    session = _session(bmc)
    bmc.fault("unavailable", seconds=3, after={"method": "PATCH", "path": SYSTEM})
    for _ in range(3):
        assert session.get(SYSTEM).status_code == 200
    assert session.patch(SETTINGS, {"BootMode": "iSCSI"}).status_code == 200  # a PATCH elsewhere is not the trigger
    assert bmc.admin("faults") == {"armed": {"unavailable": {
        "seconds": 3, "after": {"method": "PATCH", "path": SYSTEM, "count": 1, "remaining": 1}}}}
    bmc.delete("/mockup/stats")
    patched = session.patch(SYSTEM, PXE)
    assert patched.status_code == 200, patched.text  # the BMC accepts the PATCH, then reboots
    assert patched.json()["Boot"]["BootSourceOverrideTarget"] == "Pxe"
    with pytest.raises(requests.ConnectionError):
        session.get(SYSTEM)
    assert bmc.admin("faults") == {"unavailable": {"seconds": 3}}  # active now, no longer armed
    assert bmc.stats()["sessions"] == 0
    assert bmc.stats()["by_path"] == {f"PATCH {SYSTEM}": 1, f"GET {SYSTEM}": 1}
    wait_for(lambda: _answers(bmc), timeout=20, what="the BMC to come back")
    assert_redfish_error(session.get(SYSTEM), 401, "NoValidSession")
    assert bmc.admin("faults") == {}
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "Pxe"  # the triggering PATCH was applied


def test_expire_sessions_after_the_reset(fresh_bmc):
    bmc = fresh_bmc
    session = _session(bmc)
    bmc.fault("expire_sessions", after={"method": "POST", "path": "ComputerSystem.Reset"})
    assert bmc.stats()["sessions"] == 1  # armed: the session lives on
    assert session.get(SYSTEM).status_code == 200
    assert session.patch(SYSTEM, PXE).status_code == 200
    assert session.post(RESET, {"ResetType": "ForceRestart"}).status_code == 204
    assert_redfish_error(session.get(SYSTEM), 401, "NoValidSession")
    assert bmc.stats()["sessions"] == 0
    assert bmc.admin("faults") == {}  # instant: fired, nothing armed or active
    assert _session(bmc).get(SYSTEM).status_code == 200  # a new session works


def test_count_two_fires_on_the_second_answered_match_and_refusals_do_not_count(fresh_bmc):
    bmc = fresh_bmc
    session = _session(bmc)
    bmc.fault("expire_sessions", after={"method": "PATCH", "count": 2})
    assert session.patch(SYSTEM, REFUSED).status_code == 400
    assert bmc.admin("faults")["armed"]["expire_sessions"]["after"]["remaining"] == 2
    assert session.patch(SYSTEM, PXE).status_code == 200
    assert bmc.admin("faults")["armed"]["expire_sessions"]["after"]["remaining"] == 1
    assert session.patch(SYSTEM, REFUSED).status_code == 400
    assert session.get(SYSTEM).status_code == 200  # a GET does not match either
    assert session.patch(SETTINGS, {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi01"]}).status_code == 200
    assert_redfish_error(session.get(SYSTEM), 401, "NoValidSession")
    assert bmc.admin("faults") == {}


def test_a_path_that_does_not_match_never_fires(fresh_bmc):
    bmc = fresh_bmc
    bmc.fault("http503", retry_after=2, after={"method": "PATCH", "path": "NetworkDeviceFunctions"})
    armed = {"armed": {"http503": {"rate": 1.0, "retry_after": 2, "after": {
        "method": "PATCH", "path": "NetworkDeviceFunctions", "count": 1, "remaining": 1}}}}
    for _ in range(4):
        assert bmc.patch(SYSTEM, PXE).status_code == 200
        assert bmc.get(SETTINGS).status_code == 200  # the path matches, the method does not
    for _ in range(3):
        bmc.admin("faults")  # the admin API never counts
    assert bmc.admin("faults") == armed
    assert bmc.patch(SETTINGS, {"BootMode": "iSCSI"}).status_code == 200
    assert bmc.admin("faults") == {"http503": {"rate": 1.0, "retry_after": 2}}
    refused = bmc.get(SYSTEM)
    assert_redfish_error(refused, 503, "ServiceTemporarilyUnavailable")
    assert refused.headers["Retry-After"] == "2"


def test_delete_clears_armed_faults(fresh_bmc):
    bmc = fresh_bmc
    session = _session(bmc)
    bmc.fault("drop", after={"method": "GET"})
    bmc.fault("expire_sessions", after={"method": "GET", "count": 5})
    bmc.fault("expire_sessions", after={"method": "PATCH", "count": 3})  # replaces the armed one of its kind
    bmc.fault("etag_race")
    bmc.fault("etag_race", after={"method": "PATCH"})  # armed and active of one kind coexist
    view = bmc.admin("faults")
    assert set(view) == {"etag_race", "armed"}
    assert set(view["armed"]) == {"drop", "expire_sessions", "etag_race"}
    assert view["armed"]["expire_sessions"]["after"] == {"method": "PATCH", "path": None, "count": 3, "remaining": 3}
    assert bmc.delete("/mockup/faults/etag_race").status_code == 204  # its active and its armed
    assert set(bmc.admin("faults")) == {"armed"} and set(bmc.admin("faults")["armed"]) == {"drop", "expire_sessions"}
    assert bmc.delete("/mockup/faults").status_code == 204
    assert bmc.admin("faults") == {}
    for _ in range(3):
        assert session.get(SYSTEM).status_code == 200
        assert session.patch(SYSTEM, PXE).status_code == 200
    assert bmc.admin("faults") == {}


def test_san_down_after_the_reset_fails_that_boot(fresh_bmc):
    bmc = fresh_bmc
    target = GOOD_ISCSI["esxi01"]["PrimaryTargetName"]  # this pool's SAN: no other test boots from it
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    bmc.fault("san_down", target=target, after={"method": "POST", "path": "ComputerSystem.Reset"})
    assert bmc.admin("san")["down"] == []  # armed: the SAN still answers
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device", boot
    assert bmc.admin("san")["down"] == [target]
    assert bmc.admin("faults") == {"san_down": {"target": target}}


@pytest.mark.parametrize("after, message", [
    ({}, "after.method: required"),
    ({"path": "Systems"}, "after.method: required"),
    ({"method": "FETCH"}, "after.method: required, one of"),
    ({"method": "patch"}, "after.method: required, one of"),
    ({"method": "PATCH", "count": 0}, "after.count: a whole number >= 1"),
    ({"method": "PATCH", "count": 1.5}, "after.count: a whole number >= 1"),
    ({"method": "PATCH", "count": True}, "after.count: a whole number >= 1"),
    ({"method": "PATCH", "path": 3}, "after.path: a part of the request path"),
    ({"method": "PATCH", "path": ""}, "after.path: a part of the request path"),
    ({"method": "PATCH", "status": 200}, "after: unknown parameters ['status']"),
    ("PATCH", "after: an object"),
])
def test_bad_after(shared_mockup, after, message):
    bmc = shared_mockup.bmc()
    response = bmc.post("/mockup/faults", {"kind": "unavailable", "after": after})
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(f"unavailable.{message}"), response.text
    assert bmc.admin("faults") == {}


# -- unit level -----------------------------------------------------------------------------------

def test_every_kind_accepts_after():
    for kind in KINDS:
        parsed_kind, params = parse_fault({"kind": kind, "after": {"method": "DELETE"}})
        assert parsed_kind == kind and params["after"] == {"method": "DELETE", "path": None, "count": 1}
        assert "after" not in parse_fault({"kind": kind, "after": None})[1]  # null: apply it now


def test_trigger_counts_matching_answers_only():
    faults = Faults()
    faults.arm(*parse_fault({"kind": "drop", "after": {"method": "POST", "path": "Sessions", "count": 2}}))
    assert faults.trigger("POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset") == []
    assert faults.trigger("GET", "/redfish/v1/SessionService/Sessions") == []
    assert faults.trigger("POST", "/redfish/v1/SessionService/Sessions") == []
    assert faults.active == {}
    assert faults.trigger("POST", "/redfish/v1/SessionService/Sessions") == [("drop", {"rate": 1.0})]
    assert faults.armed == {}
    assert faults.trigger("POST", "/redfish/v1/SessionService/Sessions") == []
