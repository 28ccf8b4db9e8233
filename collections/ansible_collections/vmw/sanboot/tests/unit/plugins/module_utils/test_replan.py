# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed
from ansible_collections.vmw.sanboot.plugins.module_utils.replan import replan_once


def _run(plans, outcomes, dry_run=False):
    reads, written = list(plans), []

    def write(plan):
        written.append(plan)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return replan_once(lambda: reads.pop(0), bool, write, dry_run=dry_run), written


def test_nothing_to_do_writes_nothing():
    assert _run([0], []) == ((0, 0, None), [])


def test_dry_run_writes_nothing():
    assert _run([1], [], dry_run=True) == ((1, 1, None), [])


def test_one_write():
    assert _run([1], ["ok"]) == ((1, 1, "ok"), [1])


def test_412_reads_plans_and_writes_once_more():
    conflict = PreconditionFailed("PATCH", "/x", 412, None)
    assert _run([1, 2], [conflict, "ok"]) == ((1, 2, "ok"), [1, 2])


def test_412_then_nothing_left_to_do():
    conflict = PreconditionFailed("PATCH", "/x", 412, None)
    assert _run([1, 0], [conflict]) == ((1, 0, None), [1])


def test_a_second_412_is_raised():
    conflict = PreconditionFailed("PATCH", "/x", 412, None)
    with pytest.raises(PreconditionFailed):
        _run([1, 2], [conflict, conflict])
