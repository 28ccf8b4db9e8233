# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vmw.sanboot.virtual_media: in-process on the controller when the connection is local, else the module
(see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import virtual_media_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import module_spec
from ansible_collections.vmw.sanboot.plugins.modules import virtual_media
from ansible_collections.vmw.sanboot.plugins.plugin_utils.in_process import SanbootAction


class ActionModule(SanbootAction):
    SPEC = module_spec(virtual_media.ARGUMENT_SPEC, **virtual_media.CONSTRAINTS)
    WORK = staticmethod(virtual_media_ops.run)
    PREPARE = staticmethod(virtual_media_ops.prepare)
