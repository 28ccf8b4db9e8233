"""Waiting in tests: poll until a condition holds, bounded by a timeout (never a timing assertion)."""
import time


def wait_for(check, timeout=15, interval=0.05, what="condition"):
    """Poll until check() returns something truthy and return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)
