# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting, split in two: a clock that yields until time runs out, and plain predicates that
say whether what was read is what we wait for. Both are testable without a BMC."""

from __future__ import annotations

import datetime
import re
import threading
import time


BACKOFF_FACTOR, BACKOFF_CAP = 1.5, 4
# per thread: wait_for_boots runs many hosts' waits at once, and one host's poll must not make
# another host's client forget its reads
_TICKS = threading.local()


def ticks():
    """How many times a clock of this thread has slept: the client forgets its remembered reads when
    this moves, so each poll reads what the BMC says now."""
    return getattr(_TICKS, "count", 0)


def backed_off(current, interval):
    """The poll interval after `current`: 1.5 times it, at most 4 times the configured `interval`."""
    return min(current * BACKOFF_FACTOR, interval * BACKOFF_CAP)


def intervals(interval):
    """The poll intervals, backing off: `interval`, then each one 1.5 times the last, up to 4 times
    `interval` (0.5 s: 0.5, 0.75, 1.125, 1.6875, 2, 2, ...)."""
    current = interval
    while True:
        yield current
        current = backed_off(current, interval)


def clock(total, interval, now=time.monotonic, sleep=time.sleep, backoff=True):
    """Yields the seconds elapsed, sleeping between yields, until `total` has passed. The sleeps
    back off (intervals(): from `interval`, x1.5 each time, capped at 4x `interval`; `backoff=False`
    keeps `interval`); none overshoots the deadline. The first yield is immediate; the last comes at
    or just before the deadline."""
    start = now()
    pause = interval
    while True:
        elapsed = now() - start
        yield elapsed
        remaining = total - (now() - start)
        if remaining <= 0:
            return
        sleep(min(pause, remaining))
        _TICKS.count = ticks() + 1
        if backoff:
            pause = backed_off(pause, interval)


FINAL_TASK_STATES = ("Completed", "Exception", "Killed", "Cancelled")
FAILED_TASK_STATES = ("Exception", "Killed", "Cancelled")
ORDER = ("None", "PrimaryProcessorInitializationStarted", "BusInitializationStarted",
         "MemoryInitializationStarted", "SecondaryProcessorInitializationStarted", "PCIResourceConfigStarted",
         "SystemHardwareInitializationComplete", "SetupEntered", "OSBootStarted", "OSRunning")


def power_is(system, wanted):
    return system.get("PowerState") == wanted


def task_finished(task):
    return task.get("TaskState") in FINAL_TASK_STATES


def task_failed(task):
    return task.get("TaskState") in FAILED_TASK_STATES or task.get("TaskStatus") == "Critical"


def progress(system):
    return system.get("BootProgress") or {}


def boot_state(system):
    """The BootProgress state, OEM states as `OEM:<name>`."""
    state = progress(system).get("LastState")
    if state == "OEM":
        return "OEM:%s" % (progress(system).get("OemLastState") or "unknown")
    return state


def parse_time(text, assume=None):
    """An ISO 8601 DateTimeOffset as an aware datetime, or None; a time without an offset is read in `assume`
    (default UTC)."""
    if not text:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=assume or datetime.timezone.utc)


def is_after(text, since):
    """`text` is strictly later than `since`; true when there is no `since` to compare with."""
    if not since:
        return True
    when, start = parse_time(text), parse_time(since)
    return when is not None and start is not None and when > start


def went_back(before, system):
    """BootProgress moved to an earlier standard state (a new POST began)."""
    was, state = progress(before).get("LastState"), progress(system).get("LastState")
    return was in ORDER and state in ORDER and ORDER.index(state) < ORDER.index(was)


def reached(system, wanted, since=None):
    """BootProgress has reached `wanted` (or a later standard state) after `since` (ISO 8601)."""
    state = progress(system).get("LastState")
    if not is_after(progress(system).get("LastStateTime"), since):
        return False
    if state not in ORDER or wanted not in ORDER:
        return state == wanted
    return ORDER.index(state) >= ORDER.index(wanted)


def stuck_without_boot_device(system):
    return boot_state(system) == "OEM:NoBootableDevice"


_ISCSI_NODE = re.compile(r"iSCSI\(([^,]+),[^,]*,(0x[0-9A-Fa-f]+)")


def iscsi_target_of(device_path):
    """(target IQN, LUN) from a UEFI device path's iSCSI(...) node, or None."""
    found = _ISCSI_NODE.search(device_path or "")
    if not found:
        return None
    return found.group(1).lower(), sam_lun(found.group(2))


def sam_lun(text):
    """LUN number from the 8-byte SAM encoding edk2 prints (0x0001000000000000 is LUN 1), or from
    the plain LUN number HPE prints (0x1 is LUN 1): a SAM encoding of any real LUN needs more than
    4 hex digits, a LUN number (0-16383) never does."""
    digits = text[2:]
    if len(digits) <= 4:
        return int(digits or "0", 16)
    raw = bytes.fromhex(digits.rjust(16, "0")[:16])
    if raw[0] & 0xC0 == 0x40:          # flat space addressing
        return ((raw[0] & 0x3F) << 8) | raw[1]
    return raw[1] if raw[0] == 0 else int.from_bytes(raw[:2], "big")


def option_matches(option, target=None, lun=None, display_name=None):
    """A BootOption is the iSCSI option for this target and LUN (or has this display name)."""
    if display_name is not None:
        return option.get("DisplayName") == display_name
    found = iscsi_target_of(option.get("UefiDevicePath"))
    if not found:
        return False
    return (target is None or found[0] == target.lower()) and (lun is None or found[1] == lun)
