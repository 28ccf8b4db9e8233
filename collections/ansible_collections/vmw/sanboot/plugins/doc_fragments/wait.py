# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of modules that wait for the BMC or the host."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait in total before giving up.
    type: int
    default: 900
  poll_interval:
    description:
      - Seconds before the second poll of the BMC.
      - Each later pause is 1.5 times the one before, up to 4 times this value; no pause runs past O(wait_timeout).
    type: float
    default: 5
"""
