# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Redfish client per module run, over python-redfish-library.

- TLS verified by default: the library verifies nothing unless given a CA file, so the system
  bundle is passed when no ca_path is set.
- Reads use HTTP Basic; the first write opens a session, which is always deleted on exit, also
  when the run fails. So check mode, read-only runs and runs stopped by bad input create nothing.
- One backoff policy (_backoff: exponential with jitter, Retry-After honoured, capped) for every
  retry. GETs, and PATCHes sent with If-Match, are retried on connection errors, 429 and 503.
  Everything else (actions, logins, logouts, PATCHes without If-Match) is asked again only after a
  429 or 503 answer, which says the BMC did nothing; a lost answer is never re-sent (the library's
  own retry would re-send a Reset, so its max_retry is 0; callers confirm by reading).
- Sessions are created and deleted with the client's own requests, so a busy BMC is told by its
  HTTP status, never by the text of a library exception.
- Every HTTP error becomes one typed exception carrying the BMC's @Message.ExtendedInfo.
- No duplicate GETs within one task: a successful GET is remembered for the rest of the task and
  served again without a request, until any write (PATCH, POST, DELETE, so also a reset) or a tick
  of waiter.clock (a poll wants what the BMC says now) forgets every remembered read.
- `$expand` only where the service root advertises it (ProtocolFeaturesSupported.ExpandQuery):
  get_members() reads a collection with its members in one request, else member by member.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import os
import random
import ssl
import time
import warnings
from urllib.parse import urlparse

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import (
    AuthenticationError, PreconditionFailed, RedfishError, TransportError, extended_messages)
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import protect
from ansible_collections.vmw.sanboot.plugins.module_utils.waiter import ticks

try:
    import redfish
    from redfish.rest.v1 import RetriesExhaustedError
    IMPORT_ERROR = None
except ImportError as exc:  # reported by the module glue with missing_required_lib
    redfish = None
    IMPORT_ERROR = exc

try:
    import tenacity
except ImportError as exc:
    tenacity = None
    IMPORT_ERROR = IMPORT_ERROR or exc

RETRY_STATUSES = (429, 503)
BACKOFF_FIRST, BACKOFF_MAX, WAIT_MAX = 0.5, 20, 60


def _backoff(attempt, hinted=None):
    """Seconds to wait before retry number `attempt` + 1 (0-based): exponential from 0.5 s with up
    to 1 s of jitter, capped at 20 s; a longer Retry-After is honoured up to 60 s."""
    backoff = min(BACKOFF_FIRST * 2 ** attempt + random.uniform(0, 1), BACKOFF_MAX)
    return min(max(backoff, hinted or 0), WAIT_MAX)


class _CertificateError(TransportError):
    """TLS verification failed: not a passing fault, so never retried."""


class _Retryable(Exception):
    def __init__(self, reason, retry_after=None):
        super().__init__(reason)
        self.retry_after = retry_after


class Reply:
    """What came back: status, JSON body (or {}), headers."""

    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def etag(self):
        return self.header("ETag") or (self.body or {}).get("@odata.etag")


def normalise_baseuri(baseuri):
    baseuri = baseuri.strip().rstrip("/")
    return baseuri if "://" in baseuri else "https://" + baseuri


def system_ca_bundle():
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile, "/etc/ssl/certs/ca-certificates.crt",
                      "/etc/pki/tls/certs/ca-bundle.crt"):
        if candidate and os.path.isfile(candidate):
            return candidate
    try:
        import certifi
        return certifi.where()
    except ImportError:
        return None


def _retry_after(value):
    """Retry-After in seconds: a number, or an HTTP date (RFC 9110 allows both)."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


class RedfishClient:
    """Use as a context manager: `with RedfishClient(**params) as client: client.get(uri)`."""

    def __init__(self, baseuri, username=None, password=None, auth_token=None, validate_certs=True,
                 ca_path=None, timeout=30, retries=3, sleep=time.sleep, **_ignored):
        self.baseuri = normalise_baseuri(baseuri)
        self.username, self._password, self._token = username, password, auth_token
        self.validate_certs, self.ca_path = validate_certs, ca_path
        self.timeout, self.retries, self._sleep = timeout, retries, sleep
        self.requests = []      # "METHOD path" of every request made, for the module's result
        self.warnings = []
        self.root = None
        self._client = None
        self._logged_in = False
        self._basic = None
        self._login_url = None
        self._cache = {}        # path -> Reply of a GET, for this task until a write or a poll tick
        self._cache_tick = ticks()
        self._expand_refused = False  # advertised, but refused on a collection: member reads from then on
        protect(password, auth_token)

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def _cafile(self):
        if not self.validate_certs:
            self.warnings.append("validate_certs is false: the BMC's identity is not verified")
            return None
        cafile = self.ca_path or system_ca_bundle()
        if not cafile:
            raise TransportError("no CA bundle found to verify %s; set ca_path" % self.baseuri)
        return cafile

    def connect(self):
        """Read the (public) service root. No session yet: reads use HTTP Basic until the first
        write opens a session, so a read-only or check-mode run, and a run stopped by a bad input,
        never create anything on the BMC."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # urllib3's InsecureRequestWarning; we warn ourselves
                self._client = redfish.redfish_client(
                    base_url=self.baseuri, username=self.username, password=self._password,
                    sessionkey=self._token, cafile=self._cafile(), timeout=self.timeout, max_retry=0,
                    check_connectivity=False)
            self.root = self.get("/redfish/v1/").body
        except RetriesExhaustedError as exc:
            raise TransportError("cannot reach %s: %s" % (self.baseuri, _cause(exc))) from None
        except _CertificateError:
            raise
        except TransportError as exc:
            raise TransportError("cannot reach %s: %s" % (self.baseuri, exc.message)) from None
        sessions = ((self.root.get("Links") or {}).get("Sessions") or {}).get("@odata.id")
        self._login_url = sessions or "/redfish/v1/SessionService/Sessions"

    def open_session(self):
        """Writes go through a session of our own, created on the first write, deleted on exit."""
        if self._token or self._logged_in or self._client is None:
            return
        login_url = self._login_url
        # A login whose connection dropped is sent again (at most `retries` times): at worst the lost answer
        # leaves a session that the BMC's timeout ends; failing instead would leave a rollback undone.
        reply = self._again_on_connection_loss(lambda: self._repeat_while_busy(lambda: self._send(
            "POST", login_url, {"UserName": self.username, "Password": self._password}, None)), "login to %s" % self.baseuri)
        token = reply.header("X-Auth-Token")
        if reply.status >= 400 or not token:
            problem = "; ".join(extended_messages(reply.body)) or "no session token in the answer"
            raise AuthenticationError("login to %s refused: HTTP %s: %s" % (self.baseuri, reply.status, problem))
        protect(token)
        self._client.set_session_key(token)
        self._client.set_session_location(reply.header("Location") or reply.body.get("@odata.id"))
        self._logged_in = True

    def _again_on_connection_loss(self, send, what):
        """send() again after a lost connection, at most `retries` times, backing off; then the TransportError."""
        attempt = 0
        while True:
            try:
                return send()
            except TransportError as exc:
                if isinstance(exc, _CertificateError) or attempt >= self.retries:   # a certificate is not a passing fault
                    raise TransportError("%s: %s" % (what, getattr(exc, "cause", exc.message))) from None
            self._sleep(_backoff(attempt))
            attempt += 1

    def _auth_headers(self):
        if self._token or self._logged_in or not self.username:
            return {}  # the library sends X-Auth-Token itself
        if self._basic is None:
            self._basic = "Basic " + base64.b64encode(("%s:%s" % (self.username, self._password or "")).encode()).decode()
            protect(self._basic.split(" ", 1)[1])
        return {"Authorization": self._basic}

    def close(self):
        """Delete our session; a failure here must not hide the run's own outcome. A busy BMC
        (429/503) is asked again, so that no session is left behind."""
        if self._client is None or not self._logged_in:
            return
        location = urlparse(self._client.get_session_location() or "").path
        try:
            # deleting our session again is harmless (a gone one answers 401 or 404): sent again on a lost answer
            reply = self._again_on_connection_loss(lambda: self._repeat_while_busy(
                lambda: self._send("DELETE", location, None, None, label="DELETE session")), "logout from %s" % self.baseuri)
            # 401 or 404: the session had already ended on the BMC (timeout, BMC reboot)
            if reply.status >= 400 and reply.status not in (401, 404):
                self.warnings.append("logout from %s failed: HTTP %s: %s" % (
                    self.baseuri, reply.status, "; ".join(extended_messages(reply.body)) or "no message"))
        except Exception as exc:  # noqa: BLE001 - logged, not raised
            self.warnings.append("logout from %s failed: %s" % (self.baseuri, getattr(exc, "message", exc)))
        self._client.set_session_key(None)
        self._client.set_session_location(None)
        self._logged_in = False

    # -- requests -----------------------------------------------------------------------------
    def get(self, uri, fresh=False):
        """GET `uri`; a read made earlier in this task (no write and no poll tick since) is
        answered from memory unless `fresh`."""
        key = _cache_key(uri)
        self._forget_after_a_poll()
        if not fresh and key in self._cache:
            return self._cache[key]
        reply = self._retrying("GET", uri)
        self._cache[key] = reply
        return reply

    def forget(self):
        """Drop every remembered read (any write; a poll tick)."""
        self._cache.clear()
        self._cache_tick = ticks()

    def _forget_after_a_poll(self):
        if self._cache_tick != ticks():
            self.forget()

    def expand_query(self):
        """The `$expand` query this BMC advertises for a collection's members one level deep, or None:
        `.($levels=1)` (NoLinks with Levels), `.` (NoLinks alone), `*` (ExpandAll)."""
        features = ((self.root or {}).get("ProtocolFeaturesSupported") or {}).get("ExpandQuery")
        if not isinstance(features, dict):
            return None
        if features.get("NoLinks"):
            return "$expand=.($levels=1)" if features.get("Levels") else "$expand=."
        if features.get("ExpandAll"):
            return "$expand=*($levels=1)" if features.get("Levels") else "$expand=*"
        return None

    def get_members(self, collection_uri):
        """[(member URI, Reply or None)] of a collection, in its order. Where the BMC advertises
        `$expand`, one request brings the members' bodies (a member the BMC left unexpanded is None,
        for the caller to read); else every member is None. An expanded member that carries its
        @odata.etag is remembered as if read on its own."""
        query = self.expand_query()
        key = _cache_key(collection_uri)
        self._forget_after_a_poll()
        expanded = None
        if query is not None and key not in self._cache and not self._expand_refused:
            try:
                expanded = self._retrying("GET", "%s?%s" % (collection_uri, query))
            except RedfishError as exc:
                # A root may advertise $expand that a collection refuses (400 QueryNotSupportedOnResource,
                # 405, 501): read it the plain way, and do not ask again in this task.
                if exc.status not in (400, 405, 501):
                    raise
                self._expand_refused = True
        if expanded is None:
            body = self.get(collection_uri).body
            return [(m["@odata.id"], self._cache.get(_cache_key(m["@odata.id"])))
                    for m in body.get("Members", []) if isinstance(m, dict) and "@odata.id" in m]
        found = []
        for member in expanded.body.get("Members", []):
            if not isinstance(member, dict) or "@odata.id" not in member:
                continue
            uri, reply = member["@odata.id"], None
            if len(member) > 1 and "@odata.type" in member:
                reply = Reply(expanded.status, member, {})
                if reply.etag:
                    self._cache[_cache_key(uri)] = reply
            found.append((uri, reply))
        members = [{"@odata.id": uri} for uri, _reply in found]
        self._cache[key] = Reply(expanded.status, dict(expanded.body, Members=members), expanded.headers)
        return found

    def patch(self, uri, body, etag=None):
        self.forget()
        self.open_session()
        headers = {"If-Match": etag} if etag else None
        if etag:
            return self._retrying("PATCH", uri, body, headers)
        return self._once("PATCH", uri, body, headers)

    def post(self, uri, body):
        self.forget()
        self.open_session()
        return self._once("POST", uri, body, None)

    def delete(self, uri):
        self.forget()
        self.open_session()
        return self._once("DELETE", uri, None, None)

    def _retrying(self, method, uri, body=None, headers=None):
        if tenacity is None or self.retries <= 0:
            return self._checked(self._send(method, uri, body, headers), method, uri)
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Retryable), stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=self._wait, sleep=self._sleep, reraise=True)
        try:
            return retrying(self._attempt, method, uri, body, headers)
        except _Retryable as exc:
            raise TransportError("%s (%d attempts)" % (exc, self.retries + 1)) from None

    @staticmethod
    def _wait(state):
        return _backoff(state.attempt_number - 1, getattr(state.outcome.exception(), "retry_after", None))

    def _attempt(self, method, uri, body, headers):
        try:
            reply = self._send(method, uri, body, headers)
        except _CertificateError:
            raise
        except TransportError as exc:
            raise _Retryable(str(exc)) from None
        if reply.status in RETRY_STATUSES:
            raise _Retryable("%s %s: HTTP %s" % (method, uri, reply.status), _retry_after(reply.header("Retry-After")))
        return self._checked(reply, method, uri)

    def _once(self, method, uri, body, headers):
        """Sent once, except after an answer saying it was not processed (429, 503, with their
        Retry-After): only a lost answer is ambiguous, and that is never re-sent."""
        return self._checked(self._repeat_while_busy(lambda: self._send(method, uri, body, headers)), method, uri)

    def _repeat_while_busy(self, send):
        """send() again while the answer is 429 or 503 (nothing was done), at most `retries` times."""
        attempt = 0
        while True:
            reply = send()
            if reply.status not in RETRY_STATUSES or attempt >= self.retries:
                return reply
            self._sleep(_backoff(attempt, _retry_after(reply.header("Retry-After"))))
            attempt += 1

    def _send(self, method, uri, body, headers, label=None):
        reply = self._send_once(method, uri, body, headers, label)
        if reply.status == 401 and self._logged_in and label is None:
            # Our session ended on the BMC (its idle timeout, a BMC reboot): a 401 means nothing was done,
            # so log in again and send the request once more, whatever its method. The old session is deleted
            # first, in case the BMC refused the request and not the session (it answers 401 or 404 if gone).
            self.close()
            self.open_session()
            reply = self._send_once(method, uri, body, headers, label)
        return reply

    def _send_once(self, method, uri, body, headers, label=None):
        self.requests.append(label or "%s %s" % (method, uri))
        headers = dict(headers or {}, **self._auth_headers())
        call = getattr(self._client, method.lower())
        try:
            if method in ("GET", "DELETE"):
                response = call(uri, headers=headers)
            else:
                response = call(uri, body=body, headers=headers)
        except RetriesExhaustedError as exc:
            cause = _cause(exc)
            error = (_CertificateError if cause.startswith("TLS certificate") else TransportError)(
                "%s %s: %s" % (method, uri, cause))
            error.cause = cause
            raise error from None
        try:
            data = response.dict if response.text else {}
        except Exception:  # noqa: BLE001 - a non-JSON body is still an answer
            data = {}
        return Reply(response.status, data if isinstance(data, dict) else {}, dict(response.getheaders() or {}))

    @staticmethod
    def _checked(reply, method, uri):
        if reply.status < 400:
            return reply
        if reply.status == 412:
            raise PreconditionFailed(method, uri, reply.status, reply.body)
        if reply.status == 401:
            raise AuthenticationError("%s %s: the BMC refused the credentials (HTTP 401); check username and password"
                                      % (method, uri))
        raise RedfishError(method, uri, reply.status, reply.body)


def _cache_key(uri):
    """One key for `/a/b` and `/a/b/`: a BMC serves both as the same resource."""
    return uri.rstrip("/") or "/"


def _cause(exc):
    cause = exc.__cause__ or exc.__context__
    while cause is not None and (cause.__cause__ or cause.__context__) is not None and "certificate" not in str(cause):
        cause = cause.__cause__ or cause.__context__
    text = str(cause) if cause else str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "TLS certificate verification failed (%s); set ca_path to the CA that signed the BMC's certificate" % (
            text.rsplit("certificate verify failed:", maxsplit=1)[-1].split("(")[0].strip() or "unknown issuer")
    return text
