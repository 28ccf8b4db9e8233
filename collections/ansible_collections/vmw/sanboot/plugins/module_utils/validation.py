# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of single values, each raising ValidationError that names the option."""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import ValidationError

# RFC 3720 3.2.6.3: iqn.YYYY-MM.reversed.domain[:unique], eui. + 16 hex, naa. + 16 or 32 hex
# (RFC 3980). Names are compared after lowercasing (RFC 3722 stringprep).
_IQN = re.compile(r"^iqn\.\d{4}-(0[1-9]|1[0-2])\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[a-z0-9.:_-]+)?$")
_EUI = re.compile(r"^eui\.[0-9a-f]{16}$")
_NAA = re.compile(r"^naa\.([0-9a-f]{16}|[0-9a-f]{32})$")
_MAC = re.compile(r"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$")
MAX_NAME = 223


def iscsi_name(value, field):
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "an iSCSI name is required (iqn.YYYY-MM.domain:unique, eui.<16 hex> or naa.<hex>)")
    name = value.strip().lower()
    if len(name.encode("utf-8")) > MAX_NAME:
        raise ValidationError(field, "%r is longer than %d bytes" % (value, MAX_NAME))
    if not (_IQN.match(name) or _EUI.match(name) or _NAA.match(name)):
        raise ValidationError(field, "%r is not an iSCSI name (iqn.YYYY-MM.reversed.domain[:unique], "
                                     "eui.<16 hex digits> or naa.<16 or 32 hex digits>)" % value)
    return name


def ip_address(value, field):
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError:
        raise ValidationError(field, "%r is not an IPv4 or IPv6 address" % (value,)) from None


def prefix_length(value, family, field):
    """A netmask (255.255.255.0), a prefix (24, "24", "/24"); returns the prefix length."""
    text = str(value).strip().lstrip("/")
    limit = 32 if family == 4 else 128
    if text.isdigit():
        length = int(text)
        if not 0 < length <= limit:
            raise ValidationError(field, "prefix length %s is outside 1-%d" % (text, limit))
        return length
    try:
        mask = ipaddress.ip_address(text)
        if mask.version != family:
            raise ValueError
        length = ipaddress.ip_network("0.0.0.0/%s" % text if family == 4 else "::/%s" % text).prefixlen
    except ValueError:
        raise ValidationError(field, "%r is not a netmask or prefix length" % (value,)) from None
    if length == 0:
        raise ValidationError(field, "%r is not a usable netmask" % (value,))
    return length


def prefix_to_netmask(length, family):
    if family == 6:
        return str(length)
    return str(ipaddress.ip_network("0.0.0.0/%d" % length).netmask)


def integer_in(value, low, high, field):
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value), 10)
        except ValueError:
            raise ValidationError(field, "%r is not a whole number" % (value,)) from None
    if not low <= value <= high:
        raise ValidationError(field, "%s is outside %d-%d" % (value, low, high))
    return value


def chap_secret(value, field):
    if not isinstance(value, str) or not 12 <= len(value) <= 16:
        length = len(value) if isinstance(value, str) else 0
        raise ValidationError(field, "must be 12 to 16 characters (NIC boot firmware limit), got %d" % length)
    return value


def mac_address(value, field):
    text = str(value).strip().lower()
    if not _MAC.match(text):
        raise ValidationError(field, "%r is not a MAC address (aa:bb:cc:dd:ee:ff)" % (value,))
    return text.replace("-", ":")


def file_name(value, field):
    """A plain file name (no directory part), such as a host's inventory name in a backup file's name."""
    text = str(value)
    if not text or len(text) > 200 or "/" in text or "\\" in text or text in (".", "..") or "\x00" in text:
        raise ValidationError(field, "%r is not a plain file name (no / or \\, at most 200 characters)" % text)
    return text
