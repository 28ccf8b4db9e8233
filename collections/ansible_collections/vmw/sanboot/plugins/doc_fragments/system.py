# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option of modules that act on the BMC's computer system."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  system_id:
    description:
      - C(Id) of the computer system, when the BMC manages more than one; the first one otherwise.
    type: str
"""
