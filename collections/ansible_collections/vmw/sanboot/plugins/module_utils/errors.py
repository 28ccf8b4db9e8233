# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's one family of exceptions; the module glue turns each into fail_json."""

from __future__ import annotations


class SanbootError(Exception):
    """Anything that stops a module run, with a message meant for an operator."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationError(SanbootError):
    """Bad input, found before anything was sent to the BMC. `field` names the option."""

    def __init__(self, field, problem):
        super().__init__("%s: %s" % (field, problem), field=field)
        self.field = field


class RedfishError(SanbootError):
    """The BMC answered with an HTTP error; carries its @Message.ExtendedInfo text."""

    def __init__(self, method, uri, status, body=None):
        self.method, self.uri, self.status = method, uri, status
        self.extended = extended_messages(body)
        text = "; ".join(self.extended) or "no message"
        super().__init__("%s %s failed with HTTP %s: %s" % (method, uri, status, text),
                         status=status, uri=uri, bmc_messages=self.extended)


class PreconditionFailed(RedfishError):
    """412: the resource changed since it was read (If-Match); the caller re-reads and re-plans."""


class TransportError(SanbootError):
    """The BMC could not be reached, or TLS verification failed."""


class AuthenticationError(SanbootError):
    """The BMC refused the credentials or the session token."""


def extended_messages(body):
    """The human messages of a Redfish error body, in order, without duplicates."""
    if not isinstance(body, dict):
        return []
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    found = []
    for entry in error.get("@Message.ExtendedInfo") or []:
        if isinstance(entry, dict):
            text = entry.get("Message") or entry.get("MessageId")
            if entry.get("MessageId") and text and entry["MessageId"] not in text:
                text = "%s (%s)" % (text, entry["MessageId"].rsplit(".", 1)[-1])
            if text and text not in found:
                found.append(text)
    if not found and error.get("message"):
        found.append(error["message"])
    return found
