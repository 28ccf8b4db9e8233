# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeps secrets out of every log line, whatever logs it.

python-redfish-library logs request bodies at DEBUG with only `Password` masked, so a CHAP secret
in a PATCH body would reach the log. A filter on its logger replaces every known secret value.
"""

from __future__ import annotations

import logging
import re

MASK = "********"
# The library logs a login's response headers before the token in them can be protected.
TOKEN_HEADER = re.compile(r"(X-Auth-Token['\"]?\s*[:=]\s*['\"]?)([^'\"\s,}]+)", re.IGNORECASE)
SECRET_KEYS = ("CHAPSecret", "MutualCHAPSecret", "Password", "password", "chap_secret", "mutual_chap_secret")


class SecretFilter(logging.Filter):
    def __init__(self):
        super().__init__()
        self.values = set()

    def add(self, *values):
        self.values.update(v for v in values if isinstance(v, str) and len(v) >= 3)

    def filter(self, record):
        text = record.getMessage()
        cleaned = TOKEN_HEADER.sub(lambda m: m.group(1) + MASK, redact_text(text, self.values))
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


def redact_text(text, values):
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def masked(data):
    """A copy of a Redfish body with every secret property shown as MASK (or None when unset)."""
    if isinstance(data, dict):
        return {k: (MASK if v else v) if k in SECRET_KEYS else masked(v) for k, v in data.items()}
    if isinstance(data, list):
        return [masked(v) for v in data]
    return data


_FILTER = SecretFilter()


def protect(*values):
    """Mask these values in every record of the redfish and urllib3 loggers from now on."""
    _FILTER.add(*values)
    for name in ("redfish", "redfish.rest.v1", "urllib3", "urllib3.connectionpool"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    return _FILTER
