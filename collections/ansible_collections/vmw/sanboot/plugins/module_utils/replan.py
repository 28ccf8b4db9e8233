# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one answer to a 412: read again, plan again, write once more.

A 412 says someone wrote between our read and our write. The plan made on the new read may be
empty: then the other writer (or our own write whose answer was lost) already put the wanted
values in place, and nothing is sent again."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import PreconditionFailed


def replan_once(read_and_plan, needs_write, write, dry_run=False):
    """`read_and_plan()` -> plan; `needs_write(plan)` -> bool; `write(plan)` -> what it returns.
    Returns (first plan, last plan, write result or None)."""
    first = plan = read_and_plan()
    if not needs_write(plan) or dry_run:
        return first, plan, None
    try:
        return first, plan, write(plan)
    except PreconditionFailed:
        plan = read_and_plan()
        if not needs_write(plan):
            return first, plan, None
        return first, plan, write(plan)
