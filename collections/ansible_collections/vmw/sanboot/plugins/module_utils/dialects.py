# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where vendors differ, behind one interface (dialect_dmtf.DmtfDialect), chosen from what the
BMC reports: the service root's Vendor and Oem, then the manager for the variant.

Dell (`dell`: idrac9, idrac10), HPE (`hpe`: ilo5, ilo6), Lenovo (`lenovo`: xcc, xcc2) and Supermicro
(`supermicro`: x12, x13) have dialects of their own. A vendor without one is spoken to with the DMTF standard dialect; bmc_info
still names its vendor."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell import DellDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe import HpeDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_lenovo import LenovoDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_supermicro import SupermicroDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError

REGISTRY = {"dmtf": DmtfDialect, "dell": DellDialect, "hpe": HpeDialect, "lenovo": LenovoDialect, "supermicro": SupermicroDialect}
CHOICES = ["auto"] + sorted(REGISTRY)
_DETECTED = (DellDialect, HpeDialect, LenovoDialect, SupermicroDialect)   # vendor dialects, tried in order; DMTF when none claims the BMC


def vendor_of(root):
    """The vendor as the service root names it: Vendor, else the first Oem section's name."""
    if root.get("Vendor"):
        return root["Vendor"]
    oem = [k for k in (root.get("Oem") or {}) if not k.startswith("@")]
    return oem[0] if oem else None


def detect(root):
    return next((cls for cls in _DETECTED if cls.detect(root)), DmtfDialect)


def choose(client, requested="auto"):
    """The dialect for this BMC, its variant identified."""
    if requested in (None, "auto"):
        cls = detect(client.root)
    elif requested in REGISTRY:
        cls = REGISTRY[requested]
    else:
        raise ValidationError("dialect", "unknown dialect %r (known: %s)" % (requested, ", ".join(CHOICES)))
    dialect = cls()
    dialect.identify(client)
    return dialect
