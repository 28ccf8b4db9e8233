# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where vendors differ, behind one interface, chosen from the service root.

Only the DMTF standard dialect exists so far; Dell, HPE and Lenovo BMCs that implement the
standard NetworkDeviceFunction.iSCSIBoot path are spoken to with it. Vendor dialects (Dell jobs,
HPE Bios/iSCSI, Lenovo Pending) plug in here as classes with the same methods.
"""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError

DIALECTS = {"dmtf": DmtfDialect}


def choose(root, requested="auto"):
    if requested in (None, "auto"):
        return DmtfDialect()
    if requested not in DIALECTS:
        raise ValidationError("dialect", "unknown dialect %r (known: auto, %s)" % (requested, ", ".join(sorted(DIALECTS))))
    return DIALECTS[requested]()
