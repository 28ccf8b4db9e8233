"""Every fault kind of faults.KINDS, and the admin API that injects them."""
import time
from types import SimpleNamespace

import pytest
import requests
from support.mockup import GOOD_ISCSI, assert_redfish_error
from support.polling import wait_for

from sanboot_mockup import admin
from sanboot_mockup.errors import RedfishError
from sanboot_mockup.faults import KINDS, FaultError, Faults, parse_fault
from sanboot_mockup.firmware import POST_STATES

SYSTEM = "/redfish/v1/Systems/1"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
SETTINGS = FUNCTION + "/Settings"
TESTED_KINDS = {"latency", "http503", "drop", "expire_sessions", "etag_race", "unavailable", "task_fail",
                "boot_hang", "san_down"}


def _answers(bmc):
    try:
        return bmc.get(SYSTEM, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def test_every_kind_is_tested():
    assert set(KINDS) == TESTED_KINDS


# -- request-level faults -------------------------------------------------------------------------

def test_latency(mockup):
    bmc = mockup.bmc()
    bmc.fault("latency", ms=20, jitter_ms=10)
    assert bmc.admin("faults") == {"latency": {"ms": 20, "jitter_ms": 10, "path": None}}
    for _ in range(3):
        assert bmc.get(SYSTEM).status_code == 200
    assert bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}).status_code == 200
    # Only this BMC is slowed down.
    assert mockup.bmc("esxi02").admin("faults") == {}


def test_latency_for_one_path_delays_only_the_requests_to_it():
    faults = Faults()
    faults.add(*parse_fault({"kind": "latency", "ms": 250, "path": "ComputerSystem.Reset"}))
    assert faults.latency("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset") == 0.25
    assert faults.latency("/redfish/v1/Systems/1") == 0.0
    faults.add(*parse_fault({"kind": "latency", "ms": 250}))
    assert faults.latency("/redfish/v1/Systems/1") == 0.25


def test_http503(mockup):
    bmc = mockup.bmc()
    bmc.fault("http503", rate=1, retry_after=7)
    for method, path in (("GET", SYSTEM), ("GET", "/redfish/v1"), ("PATCH", SYSTEM)):
        response = bmc.request(method, path, json={"Boot": {"BootSourceOverrideTarget": "Pxe"}})
        error = assert_redfish_error(response, 503, "ServiceTemporarilyUnavailable")
        assert response.headers["Retry-After"] == "7"
        assert error["@Message.ExtendedInfo"][0]["MessageArgs"] == ["7"]
    assert bmc.json("/mockup/faults") == {"http503": {"rate": 1, "retry_after": 7}}
    assert bmc.admin("boot-history")["boots"] == []  # the admin API is not affected
    bmc.clear_faults()
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "None"  # the refused PATCH did nothing


def test_http503_rate_zero_never_fires(mockup):
    bmc = mockup.bmc()
    bmc.fault("http503", rate=0)
    assert "http503" in bmc.admin("faults")
    for _ in range(10):
        assert bmc.get(SYSTEM).status_code == 200


def test_drop(mockup):
    bmc = mockup.bmc()
    bmc.fault("drop", rate=1)
    with pytest.raises(requests.ConnectionError):
        bmc.get(SYSTEM)
    with pytest.raises(requests.ConnectionError):
        bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}})
    assert mockup.bmc("esxi02").get(SYSTEM).status_code == 200  # other BMCs answer
    assert bmc.admin("faults") == {"drop": {"rate": 1}}
    assert bmc.delete("/mockup/faults/drop").status_code == 204
    assert bmc.get(SYSTEM).status_code == 200
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "None"


def test_expire_sessions(mockup):
    bmc = mockup.bmc()
    tokens = [bmc.login().headers["X-Auth-Token"] for _ in range(2)]
    assert bmc.stats()["sessions"] == 2
    bmc.fault("expire_sessions")
    for token in tokens:
        assert_redfish_error(bmc.with_token(token).get(SYSTEM), 401, "NoValidSession")
    assert bmc.stats()["sessions"] == 0
    assert bmc.admin("faults") == {}  # instant: nothing stays active
    assert bmc.get(SYSTEM).status_code == 200
    assert bmc.login().status_code == 201


def test_etag_race(mockup):
    bmc = mockup.bmc()
    etag = bmc.get(SYSTEM).headers["ETag"]
    bmc.fault("etag_race")
    assert "etag_race" in bmc.admin("faults")
    assert bmc.get(SYSTEM).status_code == 200  # GETs do not use it up
    refused = bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}, headers={"If-Match": etag})
    assert_redfish_error(refused, 412, "PreconditionFailed")
    assert bmc.get(SYSTEM).headers["ETag"] == etag
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "None"
    assert bmc.admin("faults") == {}  # one shot
    response = bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}}, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "Pxe"


def test_etag_race_on_settings(mockup):
    bmc = mockup.bmc()
    etag = bmc.get(SETTINGS).headers["ETag"]
    bmc.fault("etag_race")
    response = bmc.patch(SETTINGS, {"BootMode": "iSCSI"}, headers={"If-Match": etag})
    assert_redfish_error(response, 412, "PreconditionFailed")
    assert bmc.get(SETTINGS).headers["ETag"] == etag
    assert bmc.patch(SETTINGS, {"BootMode": "iSCSI"}, headers={"If-Match": etag}).status_code == 200


def test_unavailable(mockup):
    bmc = mockup.bmc()
    token = bmc.login().headers["X-Auth-Token"]
    bmc.fault("unavailable", seconds=4)  # long enough to see it down on a busy machine
    with pytest.raises(requests.ConnectionError):
        bmc.get(SYSTEM)
    with pytest.raises(requests.ConnectionError):
        bmc.get("/redfish/v1", auth=None)
    assert mockup.bmc("esxi02").get(SYSTEM).status_code == 200  # only this BMC is down
    # The admin API still answers: the outage is listed and the sessions are gone.
    assert set(bmc.admin("faults")) <= {"unavailable"}
    assert bmc.stats()["sessions"] == 0
    wait_for(lambda: _answers(bmc), timeout=20, what="the BMC to come back")
    assert bmc.admin("faults") == {}
    assert_redfish_error(bmc.with_token(token).get(SYSTEM), 401, "NoValidSession")
    assert bmc.login().status_code == 201


def test_unavailable_expires_in_the_listing_too(mockup):
    bmc = mockup.bmc()
    bmc.fault("unavailable", seconds=0.2)
    # No Redfish request is made: the listing alone must notice the outage ended.
    wait_for(lambda: bmc.admin("faults") == {}, timeout=20, what="the outage to end")


# -- firmware faults ------------------------------------------------------------------------------

def test_task_fail(mockup):
    bmc = mockup.bmc()
    before = bmc.json(FUNCTION)
    bmc.fault("task_fail")
    response = bmc.configure_iscsi(GOOD_ISCSI["esxi01"], apply_time="Immediate")
    assert response.status_code == 202, response.text
    task = bmc.wait_task(response.headers["Location"])
    assert task["TaskState"] == "Exception" and task["TaskStatus"] == "Critical"
    after = bmc.json(FUNCTION)
    assert after["BootMode"] == before["BootMode"] == "PXE"
    assert after["iSCSIBoot"] == before["iSCSIBoot"]
    assert bmc.json(SETTINGS)["BootMode"] == "PXE"  # nothing left pending either
    assert "failed" in after["@Redfish.Settings"]["Messages"][0]["Message"]
    # One shot: the next task completes and applies.
    response = bmc.configure_iscsi(GOOD_ISCSI["esxi01"], apply_time="Immediate")
    assert bmc.wait_task(response.headers["Location"])["TaskState"] == "Completed"
    assert bmc.json(FUNCTION)["BootMode"] == "iSCSI"


def test_boot_hang(mockup):
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    state = "PCIResourceConfigStarted"
    bmc.fault("boot_hang", state=state)
    before = bmc.boot_count()
    bmc.reset()
    hung = bmc.wait_boot_done(before)
    assert hung["outcome"] == "hung"
    assert [s["state"] for s in hung["states"]][-1] == state
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == state
    # It stays there: the boot history does not move on while the fault holds.
    for _ in range(5):
        time.sleep(0.05)
        assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == state
        assert bmc.admin("boot-history")["boots"][-1]["id"] == hung["id"]
    assert any(f"Boot hung at {state}" in m for m in bmc.log_messages())
    bmc.clear_faults()
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"


def test_san_down(mockup):
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    bmc.fault("san_down")
    assert bmc.admin("san")["down"] == ["*"]
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device", boot
    iscsi = [a for a in boot["attempts"] if a["kind"] == "iscsi"]
    assert not iscsi or "portal unreachable" in iscsi[0]["reason"]
    assert any("iSCSI login failed" in m and "portal unreachable" in m for m in bmc.log_messages())
    assert bmc.delete("/mockup/faults/san_down").status_code == 204
    assert bmc.admin("san")["down"] == []
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot


def test_san_down_one_target(mockup):
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    bmc.fault("san_down", target="iqn.2024-01.org.example.san:esxi01")
    assert bmc.boot_once()["outcome"] == "no_bootable_device"
    bmc.clear_faults()
    assert bmc.boot_once()["outcome"] == "booted"


# -- the admin API --------------------------------------------------------------------------------

def test_clear_all_and_clear_one(mockup):
    bmc = mockup.bmc()
    bmc.fault("latency", ms=1)
    bmc.fault("http503", rate=0)
    bmc.fault("etag_race")
    assert set(bmc.admin("faults")) == {"latency", "http503", "etag_race"}
    assert bmc.delete("/mockup/faults/http503").status_code == 204
    assert set(bmc.admin("faults")) == {"latency", "etag_race"}
    response = bmc.delete("/mockup/faults/no_such_kind")
    assert response.status_code == 404
    assert set(bmc.admin("faults")) == {"latency", "etag_race"}
    bmc.clear_faults()
    assert bmc.admin("faults") == {}


@pytest.mark.parametrize("body", [
    {"kind": "meteor"}, {}, {"kind": "latency", "seconds": 1}, {"kind": "http503", "rate": 2},
    {"kind": "http503", "rate": True}, {"kind": "drop", "rate": "all"}, {"kind": "latency", "ms": -1},
    {"kind": "http503", "retry_after": 1.5}, {"kind": "unavailable", "seconds": "5"},
    {"kind": "boot_hang", "state": "OSRunning"}, {"kind": "boot_hang", "state": "Nowhere"},
    {"kind": "san_down", "target": 3}, {"kind": "latency", "path": ""}, {"kind": "latency", "path": 3},
])
def test_bad_fault_requests(shared_mockup, body):
    bmc = shared_mockup.bmc()
    response = bmc.post("/mockup/faults", body)
    assert response.status_code == 400, response.text
    assert bmc.admin("faults") == {}


def test_malformed_fault_body(shared_mockup):
    bmc = shared_mockup.bmc()
    response = bmc.request("POST", "/mockup/faults", data=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize("method, path", [("GET", "/mockup/stats"), ("GET", "/mockup/faults"),
                                          ("POST", "/mockup/faults"), ("DELETE", "/mockup/faults"),
                                          ("GET", "/mockup/boot-history"), ("GET", "/mockup/san"),
                                          ("GET", "/mockup/ibft"), ("DELETE", "/mockup/faults/latency")])
def test_admin_needs_credentials(shared_mockup, method, path):
    bmc = shared_mockup.bmc()
    for auth in (None, ("admin", "wrong-password")):
        response = bmc.request(method, path, auth=auth, json={"kind": "drop"})
        assert response.status_code == 401, (path, response.text)
        assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert bmc.admin("faults") == {}


class _Request(dict):
    """What check_caller reads of an aiohttp request: the peer address and the principal."""

    def __init__(self, peer, role="Administrator"):
        super().__init__(principal={"role": role})
        self.transport = SimpleNamespace(get_extra_info=lambda name: peer if name == "peername" else None)


@pytest.mark.parametrize("peer", [("192.0.2.10", 50000), ("10.0.0.1", 1), ("::ffff:192.0.2.1", 2, 0, 0), None])
def test_admin_refuses_callers_off_loopback(peer):
    with pytest.raises(RedfishError) as refused:
        admin.check_caller(_Request(peer))
    assert refused.value.status == 403


@pytest.mark.parametrize("peer", [("127.0.0.1", 50000), ("127.0.20.3", 1), ("::1", 2, 0, 0)])
def test_admin_accepts_loopback_administrators(peer):
    admin.check_caller(_Request(peer))
    with pytest.raises(RedfishError):
        admin.check_caller(_Request(peer, role="Operator"))


def test_stats_count_redfish_requests_only(mockup):
    bmc = mockup.bmc()
    assert bmc.delete("/mockup/stats").status_code == 204
    assert bmc.stats()["total"] == 0
    bmc.get(SYSTEM)
    bmc.get(SYSTEM + "/")
    bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe"}})
    bmc.get("/redfish/v1/Nope")
    bmc.get(SYSTEM, auth=None)
    for _ in range(3):
        bmc.admin("faults")
        bmc.admin("boot-history")
    stats = bmc.stats()
    assert stats["total"] == 5
    assert stats["by_method"] == {"GET": 4, "PATCH": 1}
    assert stats["by_path"] == {"GET /redfish/v1/Systems/1": 3, "PATCH /redfish/v1/Systems/1": 1,
                                "GET /redfish/v1/Nope": 1}
    assert not any("/mockup" in key for key in stats["by_path"])
    assert mockup.bmc("esxi02").stats()["total"] == 0  # per BMC


# -- unit level -----------------------------------------------------------------------------------

def test_parse_fault_defaults_and_validation():
    assert parse_fault({"kind": "http503"}) == ("http503", {"rate": 1.0, "retry_after": 1})
    assert parse_fault({"kind": "boot_hang", "state": POST_STATES[0]})[1] == {"state": POST_STATES[0]}
    for state in POST_STATES:
        parse_fault({"kind": "boot_hang", "state": state})
    with pytest.raises(FaultError):
        parse_fault(["http503"])


def test_one_shot_and_rate_faults():
    faults = Faults()
    faults.add("etag_race", {})
    assert faults.take("etag_race") and not faults.take("etag_race")
    faults.add("http503", {"rate": 0.0, "retry_after": 1})
    assert not any(faults.hits("http503") for _ in range(100))
    faults.add("http503", {"rate": 1.0, "retry_after": 1})
    assert all(faults.hits("http503") for _ in range(100))
    faults.add("expire_sessions", {})
    assert "expire_sessions" not in faults.view()
    faults.add("latency", {"ms": 100, "jitter_ms": 500})
    assert all(faults.latency() >= 0 for _ in range(100))
