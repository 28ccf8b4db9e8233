# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vmw.sanboot.wait_for_boot: in-process on the controller when the connection is local, else the module
(see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import wait_for_boot_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import module_spec
from ansible_collections.vmw.sanboot.plugins.modules import wait_for_boot
from ansible_collections.vmw.sanboot.plugins.plugin_utils.in_process import SanbootAction


class ActionModule(SanbootAction):
    SPEC = module_spec(wait_for_boot.ARGUMENT_SPEC, **wait_for_boot.CONSTRAINTS)
    WORK = staticmethod(wait_for_boot_ops.run)
    PREPARE = staticmethod(wait_for_boot_ops.prepare)
