# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import power_ops, system_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell import DellDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe import HpeDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo import LenovoDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro import SupermicroDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, TransportError, ValidationError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import SYSTEM, FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_hpe import SYSTEM as HPE_SYSTEM
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_hpe import FakeHpe
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_lenovo import SYSTEM as LENOVO_SYSTEM
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_lenovo import FakeLenovo

RESET = SYSTEM + "/Actions/ComputerSystem.Reset"
ALL = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle"]


# -- choose_reset -------------------------------------------------------------------------------

def test_choose_reset_allowed_or_unknown_allowable():
    assert power_ops.choose_reset("GracefulRestart", ALL, True) == ("GracefulRestart", None)
    assert power_ops.choose_reset("PowerCycle", None, False) == ("PowerCycle", None)


@pytest.mark.parametrize("wanted, forced", [("GracefulRestart", "ForceRestart"), ("GracefulShutdown", "ForceOff")])
def test_choose_reset_falls_back_to_forced_twin(wanted, forced):
    sent, note = power_ops.choose_reset(wanted, ["On", "ForceOff", "ForceRestart"], True)
    assert sent == forced
    assert note == "%s is not offered by this BMC; sent %s instead" % (wanted, forced)


def test_choose_reset_refuses_without_fallback():
    with pytest.raises(ValidationError) as caught:
        power_ops.choose_reset("GracefulRestart", ["On", "ForceOff", "ForceRestart"], False)
    assert caught.value.field == "reset_type"
    assert caught.value.message == ("reset_type: GracefulRestart is not allowed by this BMC "
                                    "(ResetType@Redfish.AllowableValues: On, ForceOff, ForceRestart)")


def test_choose_reset_refuses_when_forced_twin_missing_too():
    with pytest.raises(ValidationError):
        power_ops.choose_reset("GracefulRestart", ["On", "ForceOff"], True)


HPE = ["On", "ForceOff", "GracefulShutdown", "ForceRestart", "Nmi", "PushPowerButton", "GracefulRestart"]


def test_power_cycle_where_not_offered_becomes_force_restart_with_a_note():
    sent, note = power_ops.choose_reset("PowerCycle", HPE, True)
    assert sent == "ForceRestart"
    assert note == "PowerCycle is not offered by this BMC; sent ForceRestart instead"


def test_power_cycle_where_not_offered_without_fallback_names_the_allowed_values():
    with pytest.raises(ValidationError) as caught:
        power_ops.choose_reset("PowerCycle", HPE, False)
    assert caught.value.field == "reset_type"
    assert "ResetType@Redfish.AllowableValues: %s" % ", ".join(HPE) in caught.value.message


def test_choose_reset_refuses_types_without_an_offered_substitute():
    with pytest.raises(ValidationError) as caught:
        power_ops.choose_reset("PowerCycle", ["On", "ForceOff"], True)
    assert caught.value.field == "reset_type"
    with pytest.raises(ValidationError):
        power_ops.choose_reset("ForceRestart", ["On", "ForceOff", "PowerCycle"], True)


# -- graceful_done ------------------------------------------------------------------------------

BEFORE = {"BootProgress": {"LastState": "OSRunning", "LastStateTime": "2026-01-01T10:00:00Z"}}
DMTF = DmtfDialect()


def _sys(power="On", state="OSRunning", when="2026-01-01T10:00:00Z"):
    return {"PowerState": power, "BootProgress": {"LastState": state, "LastStateTime": when}}


def test_graceful_shutdown_done_when_off():
    assert power_ops.graceful_done(DMTF, "GracefulShutdown", BEFORE, _sys(power="Off")) is True
    assert power_ops.graceful_done(DMTF, "GracefulShutdown", BEFORE, _sys()) is False
    assert power_ops.graceful_done(DMTF, "GracefulShutdown", BEFORE, _sys(state="None", when="2026-01-01T10:01:00Z")) is False


def test_graceful_restart_done_when_a_new_boot_began_or_power_off():
    assert power_ops.graceful_done(DMTF, "GracefulRestart", BEFORE,
                                   _sys(state="PrimaryProcessorInitializationStarted", when="2026-01-01T10:01:00Z"))
    assert power_ops.graceful_done(DMTF, "GracefulRestart", BEFORE, _sys(power="Off"))
    assert not power_ops.graceful_done(DMTF, "GracefulRestart", BEFORE, _sys())                  # nothing happened
    assert not power_ops.graceful_done(DMTF, "GracefulRestart", BEFORE, _sys(state="None"))      # same time stamp
    assert not power_ops.graceful_done(DMTF, "GracefulRestart", {}, {"PowerState": "On"})


def test_reset_action():
    system = {"Actions": {"#ComputerSystem.Reset": {"target": RESET, "ResetType@Redfish.AllowableValues": ["On"]}}}
    assert system_ops.reset_action(system) == (RESET, ["On"])
    assert system_ops.reset_action({}) == (None, None)


def test_now_iso_is_utc_with_z():
    text = system_ops.now_iso()
    assert text.endswith("Z") and len(text) == len("2026-01-01T10:00:00Z")


# -- run ----------------------------------------------------------------------------------------

def params(**changes):
    base = {"reset_type": "GracefulRestart", "force_fallback": True, "force_when_no_os": True, "graceful_timeout": 30, "poll_interval": 5,
            "system_id": None}
    base.update(changes)
    return base


def _system_body(bmc, **changes):
    body = copy.deepcopy(bmc.tree[SYSTEM])
    for key, value in changes.items():
        if key == "progress":
            body["BootProgress"] = value
        else:
            body[key] = value
    return body


@pytest.mark.parametrize("reset_type, power", [("On", "On"), ("ForceOff", "Off"), ("GracefulShutdown", "Off")])
def test_already_in_the_wanted_state(bmc, reset_type, power):
    bmc.tree[SYSTEM]["PowerState"] = power
    result = power_ops.run(FakeModule(params(reset_type=reset_type)), bmc, None)
    assert result == {"changed": False, "power_state_before": power, "system": SYSTEM, "power_state": power,
                      "msg": "already %s" % power, "dialect": "dmtf", "dialect_variant": None,
                      "since": "2026-01-01T10:00:00Z", "boot_progress_time_before": "2026-01-01T10:00:00Z"}
    assert bmc.writes() == []


def test_check_mode_sends_nothing(bmc):
    result = power_ops.run(FakeModule(params(reset_type="ForceOff"), check_mode=True), bmc, None)
    assert result["changed"] is True
    assert result["reset_type"] == "ForceOff"
    assert result["diff"] == {"before": {"power": "On"}, "after": {"power": "Off"}}
    assert bmc.writes() == []


def test_forced_reset_sent_once_without_waiting(bmc, fast_clock):
    result = power_ops.run(FakeModule(params(reset_type="ForceRestart")), bmc, None)
    assert bmc.writes() == [("POST", RESET, {"ResetType": "ForceRestart"}, None)]
    assert result["changed"] is True and result["fallback_used"] is False
    assert result["boot_progress_time_before"] == "2026-01-01T10:00:00Z"
    assert result["sent_at"].endswith("Z")
    assert fast_clock.sleeps == []


def test_graceful_restart_honoured(bmc, fast_clock):
    rebooting = _system_body(bmc, progress={"LastState": "PrimaryProcessorInitializationStarted",
                                            "LastStateTime": "2026-01-01T10:02:00Z"})
    bmc.script[("GET", SYSTEM)] = [_system_body(bmc), _system_body(bmc), rebooting, rebooting]
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}]
    assert result["reset_type"] == "GracefulRestart" and result["fallback_used"] is False
    assert fast_clock.sleeps == [5]
    assert module.warnings == []


def test_graceful_restart_ignored_falls_back_to_force_after_timeout(bmc, fast_clock):
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}, {"ResetType": "ForceRestart"}]
    assert result["reset_type"] == "ForceRestart"
    assert result["fallback_used"] is True
    assert sum(fast_clock.sleeps) == 30
    assert module.warnings == ["GracefulRestart had no effect within 30 s; sent ForceRestart"]


def test_graceful_without_fallback_does_not_wait(bmc, fast_clock):
    result = power_ops.run(FakeModule(params(force_fallback=False)), bmc, None)
    assert len(bmc.writes("POST")) == 1
    assert result["fallback_used"] is False
    assert fast_clock.sleeps == []


def test_graceful_not_offered_sends_forced_with_a_warning(bmc, fast_clock):
    action = bmc.tree[SYSTEM]["Actions"]["#ComputerSystem.Reset"]
    action["ResetType@Redfish.AllowableValues"] = ["On", "ForceOff", "ForceRestart"]
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "ForceRestart"}]
    assert result["reset_type"] == "ForceRestart"
    assert module.warnings == ["GracefulRestart is not offered by this BMC; sent ForceRestart instead"]


def test_no_reset_action(bmc):
    bmc.tree[SYSTEM]["Actions"] = {}
    with pytest.raises(SanbootError, match="offers no #ComputerSystem.Reset action"):
        power_ops.run(FakeModule(params()), bmc, None)


def test_lost_answer_confirmed_by_reading(bmc):
    bmc.script[("POST", RESET)] = [TransportError("POST %s: Read timed out." % RESET)]
    bmc.script[("GET", SYSTEM)] = [_system_body(bmc), _system_body(bmc, PowerState="Off")]
    result = power_ops.run(FakeModule(params(reset_type="ForceOff")), bmc, None)
    assert len(bmc.writes("POST")) == 1                      # never sent twice
    assert result["changed"] is True


def test_lost_answer_without_effect_is_an_error(bmc):
    bmc.script[("POST", RESET)] = [TransportError("POST %s: Read timed out." % RESET)]
    with pytest.raises(SanbootError) as caught:
        power_ops.run(FakeModule(params(reset_type="ForceRestart")), bmc, None)
    assert "the ForceRestart request got no answer (POST %s: Read timed out.)" % RESET in caught.value.message
    assert "check the host before retrying" in caught.value.message
    assert len(bmc.writes("POST")) == 1


def test_lost_answer_with_new_boot_counts_as_sent(bmc):
    bmc.script[("POST", RESET)] = [TransportError("POST: reset by peer")]
    bmc.script[("GET", SYSTEM)] = [_system_body(bmc), _system_body(bmc, progress={
        "LastState": "SystemHardwareInitializationComplete", "LastStateTime": "2026-01-01T10:01:00Z"})]
    before = {"BootProgress": {"LastStateTime": "2026-01-01T10:00:00Z"}}
    system_ops_uri, _body, _etag = system_ops.read_system(bmc)
    assert power_ops.send_reset(DMTF, bmc, system_ops_uri, RESET, "ForceRestart", before).endswith("Z")


# -- no OS to honour a graceful request: its forced twin at once ---------------------------------

NO_OS = {"LastState": "OEM", "OemLastState": "NoBootableDevice", "LastStateTime": "2026-01-01T10:00:00Z"}
NO_OS_WHY = "BootProgress.LastState is OEM (NoBootableDevice): no OS is running to honour GracefulRestart"
# One pass: the service's systems, the system, the one Reset POST, the power state after it.
FORCED_REQUESTS = ["GET /redfish/v1/Systems", "GET " + SYSTEM, "POST " + RESET, "GET " + SYSTEM]


def test_no_os_sends_force_restart_at_once_in_one_post(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert bmc.requests == FORCED_REQUESTS
    assert bmc.writes() == [("POST", RESET, {"ResetType": "ForceRestart"}, None)]
    assert fast_clock.sleeps == []                                  # no graceful wait
    assert result["reset_type"] == "ForceRestart" and result["fallback_used"] is False
    assert result["forced_because"] == NO_OS_WHY
    assert result["changed"] is True and result["diff"] == {"before": {"power": "On"}, "after": {"power": "On"}}
    assert module.warnings == [NO_OS_WHY + "; sending ForceRestart at once instead"]


def test_no_os_graceful_shutdown_sends_force_off_at_once(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = {"LastState": "OEM", "OemLastState": "NoBootableDevice",
                                        "LastStateTime": "2026-01-01T10:00:00Z"}
    result = power_ops.run(FakeModule(params(reset_type="GracefulShutdown")), bmc, None)
    assert bmc.writes() == [("POST", RESET, {"ResetType": "ForceOff"}, None)]
    assert fast_clock.sleeps == []
    assert result["reset_type"] == "ForceOff" and result["fallback_used"] is False
    assert result["forced_because"] == ("BootProgress.LastState is OEM (NoBootableDevice): "
                                        "no OS is running to honour GracefulShutdown")
    assert result["diff"]["after"] == {"power": "Off"}


def test_no_os_check_mode_reports_the_forced_type_and_sends_nothing(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    module = FakeModule(params(), check_mode=True)
    result = power_ops.run(module, bmc, None)
    assert result["changed"] is True and result["reset_type"] == "ForceRestart"
    assert result["forced_because"] == NO_OS_WHY
    assert bmc.writes() == [] and fast_clock.sleeps == []
    assert module.warnings == [NO_OS_WHY + "; sending ForceRestart at once instead"]


def test_os_running_keeps_the_graceful_path(bmc, fast_clock):
    """The fake system runs its OS (OSRunning) and ignores the request: graceful, the wait, then forced."""
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}, {"ResetType": "ForceRestart"}]
    assert result["forced_because"] is None and result["fallback_used"] is True
    assert sum(fast_clock.sleeps) == 30


@pytest.mark.parametrize("progress", [
    None,                                                           # no BootProgress at all
    {"LastState": "None"},                                          # "not booting": no information
    {"LastState": "SystemHardwareInitializationComplete"},          # where Supermicro stays with its OS up
    {"LastState": "SetupEntered"},
    {"LastState": "OEM", "OemLastState": "SomethingElse"},
    {"LastState": "OEM"},
], ids=["absent", "None", "hw-init-complete", "setup", "other-oem", "oem-without-name"])
def test_unknown_evidence_keeps_the_graceful_path(bmc, fast_clock, progress):
    if progress is None:
        del bmc.tree[SYSTEM]["BootProgress"]
    else:
        bmc.tree[SYSTEM]["BootProgress"] = progress
    module = FakeModule(params())
    result = power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}, {"ResetType": "ForceRestart"}]
    assert result["forced_because"] is None and result["fallback_used"] is True
    assert module.warnings == ["GracefulRestart had no effect within 30 s; sent ForceRestart"]


def test_forced_twin_not_allowed_keeps_the_graceful_path_and_its_fallback(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    bmc.tree[SYSTEM]["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"] = ["On", "ForceOff", "GracefulRestart"]
    module = FakeModule(params())
    with pytest.raises(SanbootError, match="GracefulRestart had no effect within 30 s and ForceRestart is not allowed"):
        power_ops.run(module, bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}]
    assert sum(fast_clock.sleeps) == 30 and module.warnings == []


def test_force_when_no_os_off_keeps_the_old_behaviour(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    result = power_ops.run(FakeModule(params(force_when_no_os=False)), bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "GracefulRestart"}, {"ResetType": "ForceRestart"}]
    assert result["forced_because"] is None and result["fallback_used"] is True


def test_without_force_fallback_nothing_forced_is_sent(bmc, fast_clock):
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    result = power_ops.run(FakeModule(params(force_fallback=False)), bmc, None)
    assert bmc.writes() == [("POST", RESET, {"ResetType": "GracefulRestart"}, None)]
    assert result["forced_because"] is None and result["fallback_used"] is False and fast_clock.sleeps == []


def test_powered_off_host_keeps_todays_graceful_restart(bmc, fast_clock):
    """Off + GracefulRestart as before: the request is sent, the wait sees the power Off at once
    (graceful_done) and nothing forced follows."""
    bmc.tree[SYSTEM]["PowerState"] = "Off"
    bmc.tree[SYSTEM]["BootProgress"] = dict(NO_OS)
    result = power_ops.run(FakeModule(params()), bmc, None)
    assert bmc.writes() == [("POST", RESET, {"ResetType": "GracefulRestart"}, None)]
    assert result["reset_type"] == "GracefulRestart" and result["forced_because"] is None
    assert result["fallback_used"] is False and fast_clock.sleeps == []


class _NoOsByPower(DmtfDialect):
    restart_by_power_off = True

    def os_state(self, system):
        return False, "the test says so"


def test_no_os_where_the_dialect_restarts_by_power_is_force_off_then_on(bmc, fast_clock, monkeypatch):
    monkeypatch.setattr(power_ops.dialects, "choose", lambda client, name: _NoOsByPower(client))
    bmc.script[("GET", SYSTEM)] = [_system_body(bmc), _system_body(bmc, PowerState="Off")]
    result = power_ops.run(FakeModule(params()), bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "ForceOff"}, {"ResetType": "On"}]
    assert result["reset_type"] == "ForceOff+On" and result["fallback_used"] is False
    assert result["forced_because"] == "the test says so: no OS is running to honour GracefulRestart"


def test_no_os_twin():
    dialect = _NoOsByPower()
    assert power_ops.no_os_twin(dialect, {}, "GracefulRestart", None, True)[0] == "ForceOff+On"
    assert power_ops.no_os_twin(dialect, {}, "GracefulShutdown", None, True)[0] == "ForceOff"
    assert power_ops.no_os_twin(dialect, {}, "GracefulRestart", ["On", "ForceOff", "ForceRestart"], False)[0] == "ForceRestart"
    assert power_ops.no_os_twin(dialect, {}, "GracefulRestart", ["On", "GracefulRestart"], False) == (None, None)
    assert power_ops.no_os_twin(DMTF, _sys(), "GracefulRestart", None, False) == (None, None)


# -- os_running per dialect ---------------------------------------------------------------------

@pytest.mark.parametrize("progress, running", [
    ({"LastState": "OSRunning"}, True),
    ({"LastState": "OSBootStarted"}, True),
    # a POST state says nothing: a BMC may leave one in place while the OS runs
    ({"LastState": "PrimaryProcessorInitializationStarted"}, None),
    ({"LastState": "PCIResourceConfigStarted"}, None),
    ({"LastState": "OEM", "OemLastState": "NoBootableDevice"}, False),
    ({"LastState": "SystemHardwareInitializationComplete"}, None),
    ({"LastState": "SetupEntered"}, None),
    ({"LastState": "None"}, None),
    ({"LastState": "OEM", "OemLastState": "OSServicesReady"}, None),
    ({"LastState": "SomethingNew"}, None),
    ({}, None),
])
def test_dmtf_and_dell_os_running_from_boot_progress(progress, running):
    system = {"PowerState": "On", "BootProgress": progress}
    assert DmtfDialect().os_running(system) is running
    assert DellDialect().os_running(system) is running       # Dell speaks the DMTF rule (7.x, iDRAC10)
    assert DellDialect().os_running({"PowerState": "On"}) is None   # 6.x: no BootProgress


@pytest.mark.parametrize("post_state, progress, running, evidence", [
    ("FinishedPost", None, True, "Oem.Hpe.PostState is FinishedPost"),
    ("InPost", None, False, "Oem.Hpe.PostState is InPost"),
    ("InPostDiscoveryStart", None, False, "Oem.Hpe.PostState is InPostDiscoveryStart"),
    ("InPostDiscoveryComplete", None, False, "Oem.Hpe.PostState is InPostDiscoveryComplete"),
    ("InPostDiscoveryComplete", {"LastState": "OSRunning"}, True, "BootProgress.LastState is OSRunning"),
    ("PowerOff", None, None, "Oem.Hpe.PostState is PowerOff"),
    ("Reset", None, None, "Oem.Hpe.PostState is Reset"),
    ("Unknown", None, None, "Oem.Hpe.PostState is Unknown"),
    (None, {"LastState": "PrimaryProcessorInitializationStarted"}, None, "Oem.Hpe.PostState is absent"),
])
def test_hpe_os_running_from_post_state(post_state, progress, running, evidence):
    system = {"PowerState": "On", "Oem": {"Hpe": {"PostState": post_state} if post_state else {}}}
    if progress:
        system["BootProgress"] = progress
    assert HpeDialect().os_state(system) == (running, evidence)


def test_hpe_host_in_the_boot_menu_gets_force_restart_at_once(fast_clock):
    bmc = FakeHpe("ilo5")
    bmc.tree[HPE_SYSTEM]["Oem"]["Hpe"]["PostState"] = "InPostDiscoveryComplete"
    result = power_ops.run(FakeModule(params()), bmc, None)
    assert [w[2] for w in bmc.writes("POST")] == [{"ResetType": "ForceRestart"}]
    assert result["forced_because"] == "Oem.Hpe.PostState is InPostDiscoveryComplete: no OS is running to honour GracefulRestart"
    assert result["fallback_used"] is False and fast_clock.sleeps == []


@pytest.mark.parametrize("status, progress, running", [
    ("OSBooted", None, True),
    ("BootingOSOrInUndetectedOS", None, True),
    ("SystemRunningInUEFI", None, None),                 # pre-OS statuses: UNCONFIRMED, never False
    ("SystemOn_StartingUEFI", None, None),
    ("SystemRunningInSetup", None, None),
    ("SystemPowerOff_StateUnknown", None, None),
    (None, None, None),
    ("SystemRunningInUEFI", {"LastState": "OSRunning"}, True),                                 # XCC2
    ("SystemRunningInUEFI", {"LastState": "OEM", "OemLastState": "NoBootableDevice"}, None),   # XCC2: UNCONFIRMED
])
def test_lenovo_os_running_never_says_no(status, progress, running):
    system = {"PowerState": "On", "Oem": {"Lenovo": {"SystemStatus": status} if status else {}}}
    if progress:
        system["BootProgress"] = progress
    assert LenovoDialect().os_running(system) is running


def test_lenovo_in_uefi_keeps_the_graceful_path():
    bmc = FakeLenovo(graceful_ignored=True)
    bmc.tree[LENOVO_SYSTEM]["Oem"]["Lenovo"]["SystemStatus"] = "SystemRunningInUEFI"
    base = params(graceful_timeout=0, poll_interval=1)
    result = power_ops.run(FakeModule(base), bmc, None)
    assert [s[2]["ResetType"] for s in bmc.writes("POST")] == ["GracefulRestart", "ForceOff", "On"]
    assert result["forced_because"] is None and result["fallback_used"] is True


@pytest.mark.parametrize("progress", [{"LastState": "SystemHardwareInitializationComplete"},
                                      {"LastState": "PrimaryProcessorInitializationStarted"},
                                      {"LastState": "OEM", "OemLastState": "NoBootableDevice"}, {}])
def test_supermicro_os_running_is_always_unknown(progress):
    dialect = SupermicroDialect()
    assert dialect.os_running({"PowerState": "On", "BootProgress": progress}) is None
    assert dialect.os_state({"PowerState": "On", "BootProgress": {"LastState": "OSRunning"}})[0] is None
