# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How BIOS software initiators (Dell's IscsiDev1, HPE's iSCSI attempts) spell values as text:
the LUN in SAM-2 text (hex, the LUN in the first 2-byte field) and "" for a value not set."""

from __future__ import annotations


def lun_to_text(lun):
    """The LUN in the first field, in hex (1 -> "1", 10 -> "A")."""
    return "%X" % int(lun)


def lun_from_text(text):
    """The number in the first field of the SAM text ("0001-0000-0000-0000" -> 1); unreadable text as it is."""
    try:
        return int(str(text).split("-", 1)[0], 16)
    except ValueError:
        return text


def unset(value):
    """None for what a BIOS shows as not set ("")."""
    return None if value in ("", None) else value
