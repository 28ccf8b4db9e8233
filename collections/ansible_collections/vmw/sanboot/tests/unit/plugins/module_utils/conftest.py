# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures over the fakes in fakes.py."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import waiter
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC, FakeModule, FakeTime


@pytest.fixture
def bmc():
    return FakeBMC()


@pytest.fixture
def fake_module():
    return FakeModule


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def fast_clock(monkeypatch, fake_time):
    """waiter.clock driven by fake_time, so wait loops in the *_ops modules never really sleep."""
    real = waiter.clock

    def clock(total, interval, now=None, sleep=None):
        return real(total, interval, now=fake_time.now, sleep=fake_time.sleep)

    monkeypatch.setattr(waiter, "clock", clock)
    return fake_time
