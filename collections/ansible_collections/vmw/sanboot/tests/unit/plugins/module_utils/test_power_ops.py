# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import power_ops, system_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, TransportError, ValidationError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import SYSTEM, FakeModule

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
    base = {"reset_type": "GracefulRestart", "force_fallback": True, "graceful_timeout": 30, "poll_interval": 5,
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
