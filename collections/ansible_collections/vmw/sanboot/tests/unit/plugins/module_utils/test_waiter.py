# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import itertools
import threading

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import waiter
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import ISCSI_PATH, FakeTime


# -- clock --------------------------------------------------------------------------------------

def test_clock_yields_until_the_deadline():
    ft = FakeTime()
    seen = list(waiter.clock(10, 3, now=ft.now, sleep=ft.sleep, backoff=False))
    assert seen == [0, 3, 6, 9, 10]
    assert ft.sleeps == [3, 3, 3, 1]              # the last sleep is cut to the deadline
    assert ft.t == 1010


def test_clock_first_yield_is_immediate_and_exact_multiple_stops_at_deadline():
    ft = FakeTime()
    gen = waiter.clock(6, 2, now=ft.now, sleep=ft.sleep, backoff=False)
    assert next(gen) == 0
    assert ft.sleeps == []
    assert list(gen) == [2, 4, 6]
    assert ft.sleeps == [2, 2, 2]


def test_clock_with_zero_total_yields_once():
    ft = FakeTime()
    assert list(waiter.clock(0, 5, now=ft.now, sleep=ft.sleep)) == [0]
    assert ft.sleeps == []


def test_clock_counts_time_spent_by_the_caller():
    ft = FakeTime()
    seen = []
    for elapsed in waiter.clock(10, 3, now=ft.now, sleep=ft.sleep):
        seen.append(elapsed)
        ft.t += 4                                   # each poll takes 4 s
    assert seen == [0, 7]                           # 0 + 4 busy + 3 asleep; then 11 s > 10 s: done
    assert ft.sleeps == [3]                         # no sleep once time is up


def test_clock_stops_sleeping_when_caller_breaks():
    ft = FakeTime()
    for elapsed in waiter.clock(100, 5, now=ft.now, sleep=ft.sleep):
        if elapsed >= 10:
            break
    assert ft.sleeps == [5, 7.5]


def test_clock_backs_off_by_half_up_to_four_times_the_interval_without_overshooting():
    ft = FakeTime()
    seen = list(waiter.clock(30, 2, now=ft.now, sleep=ft.sleep))
    assert ft.sleeps == [2, 3.0, 4.5, 6.75, 8, 5.75]     # x1.5, capped at 8 (4 x 2), the last cut to the deadline
    assert seen == [0, 2, 5, 9.5, 16.25, 24.25, 30]
    assert ft.t == 1030


def test_intervals_grow_to_the_cap_and_stay_there():
    assert list(itertools.islice(waiter.intervals(0.5), 7)) == [0.5, 0.75, 1.125, 1.6875, 2, 2, 2]


def test_every_sleep_of_a_clock_is_a_tick():
    ft = FakeTime()
    before = waiter.ticks()
    assert list(waiter.clock(5, 2, now=ft.now, sleep=ft.sleep)) == [0, 2, 5]
    assert waiter.ticks() == before + 2


# -- predicates ---------------------------------------------------------------------------------

def test_power_and_task_predicates():
    assert waiter.power_is({"PowerState": "On"}, "On")
    assert not waiter.power_is({"PowerState": "PoweringOn"}, "On")
    assert not waiter.power_is({}, "Off")
    for state in ("Completed", "Exception", "Killed", "Cancelled"):
        assert waiter.task_finished({"TaskState": state})
    for state in ("New", "Running", "Pending", "Starting", None):
        assert not waiter.task_finished({"TaskState": state})
    assert waiter.task_failed({"TaskState": "Exception"})
    assert waiter.task_failed({"TaskState": "Completed", "TaskStatus": "Critical"})
    assert not waiter.task_failed({"TaskState": "Completed", "TaskStatus": "OK"})


def test_boot_state_spells_oem_states():
    assert waiter.boot_state({"BootProgress": {"LastState": "OSRunning"}}) == "OSRunning"
    assert waiter.boot_state({"BootProgress": {"LastState": "OEM", "OemLastState": "NoBootableDevice"}}) == \
        "OEM:NoBootableDevice"
    assert waiter.boot_state({"BootProgress": {"LastState": "OEM"}}) == "OEM:unknown"
    assert waiter.boot_state({}) is None
    assert waiter.stuck_without_boot_device({"BootProgress": {"LastState": "OEM", "OemLastState": "NoBootableDevice"}})
    assert not waiter.stuck_without_boot_device({"BootProgress": {"LastState": "OSRunning"}})


@pytest.mark.parametrize("text, expected", [
    ("2026-01-01T10:00:00Z", datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)),
    ("2026-01-01T10:00:00+00:00", datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)),
    ("2026-01-01T12:00:00+02:00", datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)),
    ("2026-01-01T10:00:00", datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)),  # naive = UTC
    ("2026-01-01T10:00:00.500Z", datetime.datetime(2026, 1, 1, 10, 0, 0, 500000, tzinfo=datetime.timezone.utc)),
])
def test_parse_time(text, expected):
    assert waiter.parse_time(text) == expected


@pytest.mark.parametrize("text", [None, "", "yesterday", "2026-13-01T00:00:00Z"])
def test_parse_time_refuses(text):
    assert waiter.parse_time(text) is None


@pytest.mark.parametrize("text, since, expected", [
    ("2026-01-01T10:00:01Z", "2026-01-01T10:00:00Z", True),
    ("2026-01-01T10:00:01Z", "2026-01-01T10:00:00+00:00", True),
    ("2026-01-01T10:00:01+00:00", "2026-01-01T10:00:00Z", True),
    ("2026-01-01T10:00:00Z", "2026-01-01T10:00:00+00:00", False),   # equal is not after
    ("2026-01-01T09:59:59Z", "2026-01-01T10:00:00Z", False),
    ("2026-01-01T11:30:00+01:00", "2026-01-01T10:00:00Z", True),    # 10:30 UTC
    ("2026-01-01T10:30:00+01:00", "2026-01-01T10:00:00Z", False),   # 09:30 UTC
    (None, "2026-01-01T10:00:00Z", False),
    ("garbage", "2026-01-01T10:00:00Z", False),
    ("2026-01-01T10:00:00Z", "garbage", False),
    (None, None, True),                                              # nothing to compare with
    ("2020-01-01T00:00:00Z", "", True),
])
def test_is_after(text, since, expected):
    assert waiter.is_after(text, since) is expected


def _system(state, when="2026-01-01T10:05:00Z", **extra):
    progress = {"LastState": state, "LastStateTime": when}
    progress.update(extra)
    return {"PowerState": "On", "BootProgress": progress}


@pytest.mark.parametrize("state, wanted, since, expected", [
    ("OSRunning", "OSRunning", None, True),
    ("OSRunning", "OSBootStarted", None, True),                              # later standard state counts
    ("OSBootStarted", "OSRunning", None, False),
    ("OSRunning", "OSRunning", "2026-01-01T10:00:00Z", True),
    ("OSRunning", "OSRunning", "2026-01-01T10:00:00+00:00", True),
    ("OSRunning", "OSRunning", "2026-01-01T10:05:00Z", False),               # not after the reset
    ("OSRunning", "OSRunning", "2026-01-01T11:00:00+00:00", False),
    ("OSRunning", "OSRunning", "2026-01-01T11:05:00+01:00", False),          # equal instant
    ("OSRunning", "OSRunning", "2026-01-01T11:04:59+01:00", True),
    ("OEM", "OEM", None, True),                                              # non-standard: exact match only
    ("OEM", "OSRunning", None, False),
    ("SetupEntered", "OSRunning", None, False),
    ("PCIResourceConfigStarted", "MemoryInitializationStarted", None, True),
    (None, "OSRunning", None, False),
])
def test_reached(state, wanted, since, expected):
    assert waiter.reached(_system(state), wanted, since) is expected


def test_reached_without_boot_progress():
    assert waiter.reached({}, "OSRunning") is False
    assert waiter.reached({}, "OSRunning", "2026-01-01T10:00:00Z") is False


# -- SAM LUNs and device paths ------------------------------------------------------------------

@pytest.mark.parametrize("text, lun", [
    ("0x0000000000000000", 0),
    ("0x0001000000000000", 1),
    ("0x00FF000000000000", 255),
    ("0x00ff000000000000", 255),
    ("0x412C000000000000", 300),      # flat space addressing: 0x40 | (300 >> 8), 300 & 0xff
    ("0x4000000000000000", 0),
    ("0x7FFF000000000000", 16383),
    ("0x1000000000000", 1),           # edk2 without leading zeros
    ("0x0", 0), ("0x1", 1), ("0xA", 10), ("0x3FFF", 16383),   # HPE prints the LUN number itself
])
def test_sam_lun(text, lun):
    assert waiter.sam_lun(text) == lun


def test_iscsi_target_of_edk2_device_path():
    assert waiter.iscsi_target_of(ISCSI_PATH) == ("iqn.2005-10.org.freenas.ctl:esxi01", 1)
    path = ("PciRoot(0x0)/Pci(0x2,0x0)/MAC(525400123456,0x1)/IPv4(10.0.0.5,TCP,DHCP,10.0.0.21,255.0.0.0)/"
            "iSCSI(IQN.2005-10.ORG.FreeNAS.CTL:LUN300,0x1,0x412C000000000000,None,None,None,TCP)/HD(1,GPT,x)")
    assert waiter.iscsi_target_of(path) == ("iqn.2005-10.org.freenas.ctl:lun300", 300)


@pytest.mark.parametrize("path", [None, "", "PciRoot(0x0)/Pci(0x1C,0x0)/MAC(AABBCC000001,0x1)/IPv4(0.0.0.0)",
                                  "PciRoot(0x0)/Pci(0x14,0x0)/USB(0x3,0x0)"])
def test_iscsi_target_of_other_paths(path):
    assert waiter.iscsi_target_of(path) is None


def test_option_matches():
    option = {"DisplayName": "UEFI iSCSI esxi01", "UefiDevicePath": ISCSI_PATH}
    assert waiter.option_matches(option, "iqn.2005-10.org.freenas.ctl:esxi01", 1)
    assert waiter.option_matches(option, "IQN.2005-10.org.freenas.ctl:ESXI01", 1)      # target case ignored
    assert waiter.option_matches(option, "iqn.2005-10.org.freenas.ctl:esxi01")          # any LUN
    assert waiter.option_matches(option)                                                # any iSCSI option
    assert not waiter.option_matches(option, "iqn.2005-10.org.freenas.ctl:esxi01", 0)   # other LUN
    assert not waiter.option_matches(option, "iqn.2005-10.org.freenas.ctl:esxi02", 1)   # other target
    assert waiter.option_matches(option, display_name="UEFI iSCSI esxi01")
    assert not waiter.option_matches(option, "iqn.2005-10.org.freenas.ctl:esxi01", 1, display_name="Other")
    pxe = {"DisplayName": "UEFI PXEv4", "UefiDevicePath": "PciRoot(0x0)/MAC(AABBCC000001,0x1)/IPv4(0.0.0.0)"}
    assert not waiter.option_matches(pxe)
    assert not waiter.option_matches({}, "iqn.2005-10.org.freenas.ctl:esxi01")


def test_a_clock_in_another_thread_does_not_move_this_threads_ticks():
    """wait_for_boots polls many hosts at once: one host's sleep must not make another's client forget its reads."""
    before = waiter.ticks()
    other = threading.Thread(target=lambda: list(waiter.clock(1, 0.5, now=iter([0, 0, 0.5, 1.0, 1.5]).__next__,
                                                              sleep=lambda seconds: None)))
    other.start()
    other.join(10)
    assert waiter.ticks() == before
    list(waiter.clock(1, 0.5, now=iter([0, 0, 0.5, 1.0, 1.5]).__next__, sleep=lambda seconds: None))
    assert waiter.ticks() > before
