# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One module's work run inside another's (configure's steps, the reset a module ends with)."""

from __future__ import annotations


class Step:
    """The inner module's view of the outer run: its own parameters and check mode; the outer run's
    secrets, warnings and diff mode."""

    def __init__(self, run, params, check_mode):
        self.params, self.check_mode, self.diff = params, check_mode, run.diff
        self.protect, self.warn = run.protect, run.warn
