# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RedfishClient over a fake python-redfish-library client: no network, no real sleeping."""

from __future__ import annotations

import base64
import datetime
import email.utils
import json
import logging
import os

import pytest
from redfish.rest.v1 import RetriesExhaustedError

from ansible_collections.vmw.sanboot.plugins.module_utils import redaction, transport, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import (
    AuthenticationError, PreconditionFailed, RedfishError, TransportError)
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import RedfishClient, Reply

ROOT = {"@odata.id": "/redfish/v1/", "RedfishVersion": "1.15.0", "Vendor": "Contoso",
        "Systems": {"@odata.id": "/redfish/v1/Systems"},
        "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}}
SYSTEM = "/redfish/v1/Systems/1"
RESET = SYSTEM + "/Actions/ComputerSystem.Reset"
SETTINGS = "/redfish/v1/Chassis/1/NetworkAdapters/NIC1/NetworkDeviceFunctions/2/Settings"
BASIC = "Basic " + base64.b64encode(b"root:calvin-password").decode()
SESSION_KEY = "0123456789abcdef-session"
SESSION = "/redfish/v1/SessionService/Sessions/7"
TLS_ERROR = ("HTTPSConnectionPool(host='10.1.1.1', port=443): Max retries exceeded with url: /redfish/v1/ "
             "(Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
             "failed: self-signed certificate in certificate chain (_ssl.c:1006)')))")


class FakeResponse:
    """What python-redfish-library's RestResponse offers: status, text, dict, getheaders()."""

    def __init__(self, status=200, body=None, headers=None, text=None):
        self.status = status
        self._body = body
        self.text = text if text is not None else (json.dumps(body) if body is not None else "")
        self._headers = dict(headers or {})

    @property
    def dict(self):
        return json.loads(self.text)

    def getheaders(self):
        return list(self._headers.items())


def unreachable(reason="[Errno 111] Connection refused"):
    """What the library raises when a request never got an answer: RetriesExhaustedError from the cause."""
    exc = RetriesExhaustedError()
    exc.__cause__ = ConnectionError(reason)
    return exc


class FakeLibrary:
    """Stands in for the object redfish.redfish_client() returns."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.calls = []                  # (method, uri, body, headers)
        self.script = {}                 # (method, uri) -> [FakeResponse | exception, ...]
        self.login_calls = []            # (auth, sessions URI) of each login POST
        self.logout_calls = 0
        self.failures = {}               # "login" / "logout" -> exceptions or answers, one per attempt
        self.session_key = None
        self.session_location = None

    def answer(self, method, uri, *items):
        self.script.setdefault((method, uri), []).extend(items)

    def _request(self, method, uri, body=None, headers=None):
        self.calls.append((method, uri, body, headers))
        if method == "POST" and uri.endswith("/Sessions"):
            return self._login(uri)
        if method == "DELETE" and uri == SESSION:
            return self._logout()
        queue = self.script.get((method, uri))
        item = queue.pop(0) if queue else (FakeResponse(200, ROOT) if uri == "/redfish/v1/" else FakeResponse(200, {}))
        if isinstance(item, BaseException):
            raise item
        return item

    def get(self, path, headers=None):
        return self._request("GET", path, headers=headers)

    def post(self, path, body=None, headers=None):
        return self._request("POST", path, body, headers)

    def patch(self, path, body=None, headers=None):
        return self._request("PATCH", path, body, headers)

    def delete(self, path, headers=None):
        return self._request("DELETE", path, headers=headers)

    def _answer(self, kind, default):
        failure = self.failures.get(kind)
        item = (failure.pop(0) if failure else default) if isinstance(failure, list) else (failure or default)
        if isinstance(item, BaseException):
            raise item
        return item

    def _login(self, uri):
        self.login_calls.append(("session", uri))
        created = FakeResponse(201, {"@odata.id": SESSION}, {"X-Auth-Token": SESSION_KEY, "Location": SESSION})
        return self._answer("login", created)

    def _logout(self):
        self.logout_calls += 1
        return self._answer("logout", FakeResponse(204))

    def set_session_key(self, key):
        self.session_key = key

    def get_session_key(self):
        return self.session_key

    def set_session_location(self, location):
        self.session_location = location

    def get_session_location(self):
        return self.session_location

    def methods(self):
        return [(c[0], c[1]) for c in self.calls]


class Sleeps(list):
    """A sleep that only records."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def lib(monkeypatch):
    holder = {}

    def redfish_client(**kwargs):
        holder["lib"].kwargs = kwargs
        return holder["lib"]

    holder["lib"] = FakeLibrary()
    monkeypatch.setattr(transport.redfish, "redfish_client", redfish_client)
    monkeypatch.setattr(transport, "system_ca_bundle", lambda: "/etc/ssl/certs/system-bundle.pem")
    return holder["lib"]


@pytest.fixture
def sleeps():
    return Sleeps()


def client(sleeps, **kwargs):
    options = {"baseuri": "bmc1.example", "username": "root", "password": "calvin-password", "retries": 3,
               "sleep": sleeps}
    options.update(kwargs)
    return RedfishClient(**options)


# -- construction, TLS --------------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("bmc1.example", "https://bmc1.example"), (" bmc1.example/ ", "https://bmc1.example"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"), ("https://[::1]:8443", "https://[::1]:8443"),
])
def test_normalise_baseuri(given, expected):
    assert transport.normalise_baseuri(given) == expected


def test_library_is_built_without_retries_and_with_timeout(lib, sleeps):
    with client(sleeps, timeout=12, ca_path="/etc/bmc-ca.pem"):
        pass
    assert lib.kwargs == {"base_url": "https://bmc1.example", "username": "root", "password": "calvin-password",
                          "sessionkey": None, "cafile": "/etc/bmc-ca.pem", "timeout": 12, "max_retry": 0,
                          "check_connectivity": False}


def test_no_ca_path_uses_the_system_bundle(lib, sleeps):
    with client(sleeps) as rf:
        pass
    assert lib.kwargs["cafile"] == "/etc/ssl/certs/system-bundle.pem"
    assert rf.warnings == []


def test_validate_certs_false_passes_no_ca_and_warns(lib, sleeps):
    with client(sleeps, validate_certs=False, ca_path="/etc/bmc-ca.pem") as rf:
        pass
    assert lib.kwargs["cafile"] is None
    assert rf.warnings == ["validate_certs is false: the BMC's identity is not verified"]


def test_no_ca_bundle_at_all_is_an_error_naming_ca_path(lib, sleeps, monkeypatch):
    monkeypatch.setattr(transport, "system_ca_bundle", lambda: None)
    with pytest.raises(TransportError) as caught:
        client(sleeps).connect()
    assert "set ca_path" in caught.value.message
    assert lib.calls == []


def test_system_ca_bundle_is_an_existing_file():
    found = transport.system_ca_bundle()
    assert found is None or os.path.isfile(found)


def test_tls_verification_failure_names_ca_path_and_is_not_retried(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", *[unreachable(TLS_ERROR) for attempt in range(4)])
    with pytest.raises(TransportError) as caught:
        client(sleeps).connect()
    message = caught.value.message
    assert message.startswith("GET /redfish/v1/: ")
    assert "TLS certificate verification failed (self-signed certificate in certificate chain)" in message
    assert "set ca_path" in message
    assert lib.login_calls == []
    assert lib.methods() == [("GET", "/redfish/v1/")]          # a certificate does not get better by retrying
    assert sleeps == []


def test_tls_failure_at_login_names_ca_path(lib, sleeps):
    lib.failures["login"] = unreachable(TLS_ERROR)
    with pytest.raises(TransportError) as caught:
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "On"})
    assert caught.value.message.startswith("login to https://bmc1.example: TLS certificate verification failed")
    assert "set ca_path" in caught.value.message
    assert ("POST", RESET) not in lib.methods()
    assert lib.logout_calls == 0


def test_cause_walks_to_the_certificate_error():
    inner = OSError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
                    "certificate (_ssl.c:1006)")
    middle = ConnectionError("Max retries exceeded")
    middle.__cause__ = inner
    outer = RetriesExhaustedError()
    outer.__cause__ = middle
    assert transport._cause(outer) == ("TLS certificate verification failed (unable to get local issuer certificate); "
                                       "set ca_path to the CA that signed the BMC's certificate")
    assert transport._cause(unreachable("timed out")) == "timed out"


# -- authentication and sessions --------------------------------------------------------------

def test_reads_use_basic_auth_and_open_no_session(lib, sleeps):
    with client(sleeps) as rf:
        assert rf.root["Vendor"] == "Contoso"
        rf.get(SYSTEM)
    assert lib.login_calls == []
    assert lib.logout_calls == 0
    assert [c[3] for c in lib.calls] == [{"Authorization": BASIC}, {"Authorization": BASIC}]
    assert rf.requests == ["GET /redfish/v1/", "GET %s" % SYSTEM]


def test_basic_credentials_are_masked_in_library_logs(lib, sleeps, caplog):
    with client(sleeps) as rf:
        rf.get(SYSTEM)
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logging.getLogger("redfish.rest.v1").debug("Authorization: %s", BASIC)
    assert caplog.records[-1].getMessage() == "Authorization: Basic %s" % redaction.MASK


def test_first_write_opens_a_session_from_root_links_and_exit_logs_out(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, dict(ROOT, Links={"Sessions": {"@odata.id": "/x/Sessions"}})))
    with client(sleeps) as rf:
        rf.get(SYSTEM)
        rf.post(RESET, {"ResetType": "On"})
        rf.patch(SYSTEM, {"Boot": {"BootNext": "Boot0003"}}, etag='"e1"')
        assert lib.login_calls == [("session", "/x/Sessions")]       # once, where the root says
        assert lib.logout_calls == 0
        rf.get(SYSTEM)
    assert lib.logout_calls == 1
    assert rf.requests == ["GET /redfish/v1/", "GET %s" % SYSTEM, "POST /x/Sessions", "POST %s" % RESET,
                           "PATCH %s" % SYSTEM, "GET %s" % SYSTEM, "DELETE session"]
    # The login POST carries the credentials; inside the session the library sends X-Auth-Token
    # itself: no Basic header any more.
    assert lib.calls[2][2] == {"UserName": "root", "Password": "calvin-password"}
    assert [c[3] for c in lib.calls[3:]] == [{}, {"If-Match": '"e1"'}, {}, {}]
    assert lib.calls[-1][:2] == ("DELETE", SESSION) and lib.session_key is None


def test_session_key_is_masked_in_library_logs(lib, sleeps, caplog):
    with client(sleeps) as rf:
        rf.delete("/redfish/v1/Managers/1/VirtualMedia/CD1")
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logging.getLogger("redfish.rest.v1").debug("X-Auth-Token: %s", SESSION_KEY)
    assert caplog.records[-1].getMessage() == "X-Auth-Token: %s" % redaction.MASK


def test_default_sessions_uri_when_root_has_no_link(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, {"@odata.id": "/redfish/v1/"}))
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert lib.login_calls[0][1] == "/redfish/v1/SessionService/Sessions"


def test_logout_happens_when_the_body_raises(lib, sleeps):
    with pytest.raises(ValueError, match="work failed"):
        with client(sleeps) as rf:
            rf.patch(SYSTEM, {"AssetTag": "x"})
            raise ValueError("work failed")
    assert lib.logout_calls == 1
    assert rf.requests[-1] == "DELETE session"


def test_logout_happens_when_a_write_fails(lib, sleeps):
    lib.answer("POST", RESET, FakeResponse(400, {"error": {"message": "bad ResetType"}}))
    with pytest.raises(RedfishError):
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "Bogus"})
    assert lib.logout_calls == 1


def test_logout_failure_becomes_a_warning_and_does_not_hide_the_outcome(lib, sleeps):
    lib.failures["logout"] = RuntimeError("session already gone")
    with pytest.raises(ValueError, match="real problem"):
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "On"})
            raise ValueError("real problem")
    assert rf.warnings == ["logout from https://bmc1.example failed: session already gone"]


def test_close_twice_logs_out_once(lib, sleeps):
    rf = client(sleeps)
    with rf:
        rf.post(RESET, {"ResetType": "On"})
    rf.close()
    assert lib.logout_calls == 1


def test_auth_token_reuse_never_logs_in_or_out(lib, sleeps):
    with client(sleeps, username=None, password=None, auth_token="tok-0123456789") as rf:
        rf.get(SYSTEM)
        rf.patch(SYSTEM, {"Boot": {"BootNext": "Boot0003"}}, etag='"e1"')
        rf.post(RESET, {"ResetType": "On"})
    assert lib.kwargs["sessionkey"] == "tok-0123456789"
    assert lib.login_calls == []
    assert lib.logout_calls == 0
    assert all("Authorization" not in (c[3] or {}) for c in lib.calls)
    assert rf.requests == ["GET /redfish/v1/", "GET %s" % SYSTEM, "PATCH %s" % SYSTEM, "POST %s" % RESET]


@pytest.mark.parametrize("answer, text", [
    (FakeResponse(401, {"error": {"@Message.ExtendedInfo": [{"Message": "Invalid credentials"}]}}), "HTTP 401: Invalid credentials"),
    (FakeResponse(400, {"error": {"message": "bad body"}}), "HTTP 400: bad body"),
    (FakeResponse(201, {}), "HTTP 201: no session token in the answer")])
def test_login_refused_is_an_authentication_error(lib, sleeps, answer, text):
    lib.failures["login"] = answer
    with pytest.raises(AuthenticationError) as caught:
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "On"})
    assert caught.value.message == "login to https://bmc1.example refused: " + text
    assert ("POST", RESET) not in lib.methods()
    assert lib.logout_calls == 0


def test_client_protects_password_and_token_in_library_logs(lib, sleeps, caplog):
    client(sleeps, password="very-secret-pw", auth_token="token-abcdef")
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logging.getLogger("redfish.rest.v1").debug('{"Password": "very-secret-pw"} X-Auth-Token: token-abcdef')
    assert caplog.records[-1].getMessage() == '{"Password": "%s"} X-Auth-Token: %s' % (redaction.MASK, redaction.MASK)


# -- retries ------------------------------------------------------------------------------------

def test_get_retries_503_and_429_honouring_retry_after(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(503, {}, {"Retry-After": "5"}),
               FakeResponse(429, {}, {"retry-after": "7"}),
               FakeResponse(200, {"Id": "1"}, {"ETag": 'W/"1"'}))
    with client(sleeps) as rf:
        reply = rf.get(SYSTEM)
    assert reply.status == 200 and reply.body == {"Id": "1"} and reply.etag == 'W/"1"'
    assert len(sleeps) == 2
    assert sleeps[0] >= 5 and sleeps[1] >= 7
    assert all(s <= 60 for s in sleeps)
    assert lib.methods().count(("GET", SYSTEM)) == 3
    assert rf.requests.count("GET %s" % SYSTEM) == 3


def test_retry_without_retry_after_backs_off_exponentially_with_jitter(lib, sleeps):
    lib.answer("GET", SYSTEM, *[FakeResponse(503) for attempt in range(3)])
    with client(sleeps) as rf:
        assert rf.get(SYSTEM).status == 200
    assert len(sleeps) == 3
    for attempt, slept in enumerate(sleeps):
        base = 0.5 * 2 ** attempt
        assert base <= slept <= base + 1          # exponential, plus up to 1 s of jitter


def test_huge_retry_after_is_capped(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(503, {}, {"Retry-After": "3600"}))
    with client(sleeps) as rf:
        rf.get(SYSTEM)
    assert sleeps == [60]


def test_unparsable_retry_after_falls_back_to_backoff(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(503, {}, {"Retry-After": "soon"}))
    with client(sleeps) as rf:
        rf.get(SYSTEM)
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.5


def test_get_retries_connection_errors(lib, sleeps):
    lib.answer("GET", SYSTEM, unreachable(), unreachable("Read timed out. (read timeout=30)"),
               FakeResponse(200, {"Id": "1"}))
    with client(sleeps) as rf:
        assert rf.get(SYSTEM).body == {"Id": "1"}
    assert len(sleeps) == 2
    assert lib.methods().count(("GET", SYSTEM)) == 3


def test_root_read_is_retried_too(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(503), unreachable())
    with client(sleeps) as rf:
        pass
    assert rf.root == ROOT
    assert len(sleeps) == 2


def test_gives_up_after_retries(lib, sleeps):
    lib.answer("GET", SYSTEM, *[FakeResponse(503, {}, {"Retry-After": "1"}) for attempt in range(10)])
    with client(sleeps, retries=2) as rf:
        with pytest.raises(TransportError) as caught:
            rf.get(SYSTEM)
    assert caught.value.message.startswith("GET %s: HTTP 503" % SYSTEM)
    assert "3 attempts" in caught.value.message
    assert lib.methods().count(("GET", SYSTEM)) == 3
    assert len(sleeps) == 2


def test_gives_up_on_connection_errors_naming_the_cause(lib, sleeps):
    lib.answer("GET", SYSTEM, *[unreachable("[Errno 113] No route to host") for attempt in range(5)])
    with client(sleeps, retries=1) as rf:
        with pytest.raises(TransportError) as caught:
            rf.get(SYSTEM)
    assert "No route to host" in caught.value.message
    assert "2 attempts" in caught.value.message
    assert lib.methods().count(("GET", SYSTEM)) == 2


def test_unreachable_bmc_fails_connect(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", *[unreachable() for attempt in range(4)])
    with pytest.raises(TransportError) as caught:
        client(sleeps).connect()
    assert "Connection refused" in caught.value.message
    assert len(sleeps) == 3
    assert lib.login_calls == []


def test_retries_zero_sends_once(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(503, {"error": {"message": "busy"}}))
    with client(sleeps, retries=0) as rf:
        with pytest.raises(RedfishError) as caught:
            rf.get(SYSTEM)
    assert caught.value.status == 503
    assert sleeps == []


@pytest.mark.parametrize("failure", [FakeResponse(503, {}, {"Retry-After": "1"}), FakeResponse(429)])
def test_post_refused_as_busy_is_asked_again(lib, sleeps, failure):
    """A 429/503 answer says the action was not processed: asking again cannot do it twice."""
    lib.answer("POST", RESET, failure, FakeResponse(204))
    with client(sleeps) as rf:
        assert rf.post(RESET, {"ResetType": "ForceRestart"}).status == 204
    assert lib.methods().count(("POST", RESET)) == 2
    assert len(sleeps) == 1 and sleeps[0] >= (1 if failure.status == 503 else 0.5)


def test_post_busy_every_time_gives_up_after_retries(lib, sleeps):
    lib.answer("POST", RESET, *[FakeResponse(503) for _attempt in range(10)])
    with client(sleeps) as rf:
        with pytest.raises(RedfishError) as caught:
            rf.post(RESET, {"ResetType": "ForceRestart"})
    assert caught.value.status == 503
    assert lib.methods().count(("POST", RESET)) == rf.retries + 1


def test_post_is_never_retried_on_connection_error(lib, sleeps):
    lib.answer("POST", RESET, unreachable("Read timed out."), FakeResponse(204))
    with client(sleeps) as rf:
        with pytest.raises(TransportError) as caught:
            rf.post(RESET, {"ResetType": "ForceRestart"})
    assert caught.value.message == "POST %s: Read timed out." % RESET
    assert lib.methods().count(("POST", RESET)) == 1
    assert sleeps == []


def test_post_sends_body_once(lib, sleeps):
    lib.answer("POST", RESET, FakeResponse(204, text=""))
    with client(sleeps) as rf:
        reply = rf.post(RESET, {"ResetType": "On"})
    assert (reply.status, reply.body) == (204, {})
    assert ("POST", RESET, {"ResetType": "On"}, {}) in lib.calls


def test_patch_without_if_match_is_not_retried_on_a_lost_answer(lib, sleeps):
    lib.answer("PATCH", SETTINGS, unreachable("Read timed out."), FakeResponse(200))
    with client(sleeps) as rf:
        with pytest.raises(TransportError):
            rf.patch(SETTINGS, {"BootMode": "iSCSI"})
    assert lib.methods().count(("PATCH", SETTINGS)) == 1
    assert sleeps == []
    assert ("PATCH", SETTINGS, {"BootMode": "iSCSI"}, {}) in lib.calls


def test_patch_with_if_match_is_retried(lib, sleeps):
    lib.answer("PATCH", SETTINGS, FakeResponse(503, {}, {"Retry-After": "2"}), unreachable(),
               FakeResponse(202, {}, {"Location": "/redfish/v1/TaskService/TaskMonitors/1"}))
    with client(sleeps) as rf:
        reply = rf.patch(SETTINGS, {"BootMode": "iSCSI"}, etag='W/"abc"')
    assert reply.status == 202
    assert reply.header("location") == "/redfish/v1/TaskService/TaskMonitors/1"
    patches = [c for c in lib.calls if c[0] == "PATCH"]
    assert len(patches) == 3
    assert all(c[3] == {"If-Match": 'W/"abc"'} for c in patches)
    assert len(sleeps) == 2 and sleeps[0] >= 2


def test_delete_is_sent_once_on_a_lost_answer(lib, sleeps):
    lib.answer("DELETE", "/x", unreachable("Read timed out."))
    with client(sleeps) as rf:
        with pytest.raises(TransportError):
            rf.delete("/x")
    assert lib.methods().count(("DELETE", "/x")) == 1
    assert sleeps == []


# -- errors -------------------------------------------------------------------------------------

def test_412_raises_precondition_failed(lib, sleeps):
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.8.PreconditionFailed",
                                                 "Message": "The ETag supplied did not match the ETag required."}]}}
    lib.answer("PATCH", SETTINGS, FakeResponse(412, body))
    with client(sleeps) as rf:
        with pytest.raises(PreconditionFailed) as caught:
            rf.patch(SETTINGS, {"BootMode": "iSCSI"}, etag='W/"old"')
    assert caught.value.status == 412
    assert caught.value.extended == ["The ETag supplied did not match the ETag required. (PreconditionFailed)"]
    assert lib.methods().count(("PATCH", SETTINGS)) == 1       # not retried
    assert sleeps == []


def test_401_raises_authentication_error(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(401, {"error": {"message": "Unauthorized"}}))
    with client(sleeps) as rf:
        with pytest.raises(AuthenticationError) as caught:
            rf.get(SYSTEM)
    assert caught.value.message == ("GET %s: the BMC refused the credentials (HTTP 401); check username and password"
                                    % SYSTEM)
    assert sleeps == []


def test_a_session_ended_on_the_bmc_is_opened_again_and_the_write_sent_once_more(lib, sleeps):
    """A session that expired or was forgotten by a BMC reboot between two writes: the 401 means nothing was
    done, so the client logs in again and sends the same request (a POST too) once more; it logs out the new
    session at the end."""
    lib.answer("POST", RESET, FakeResponse(401, {"error": {"message": "Unauthorized"}}), FakeResponse(204))
    with client(sleeps) as rf:
        rf.patch(SYSTEM, {"Boot": {"BootNext": "Boot0003"}}, etag='"e1"')
        assert rf.post(RESET, {"ResetType": "On"}).status == 204
    assert rf.requests == ["GET /redfish/v1/", "POST /redfish/v1/SessionService/Sessions", "PATCH %s" % SYSTEM,
                           "POST %s" % RESET, "DELETE session", "POST /redfish/v1/SessionService/Sessions",
                           "POST %s" % RESET, "DELETE session"]
    assert lib.logout_calls == 2 and lib.session_key is None and rf.warnings == []


def test_a_401_inside_a_fresh_session_is_an_authentication_error(lib, sleeps):
    """Logged in again and refused again: the credentials (or the account's rights) are the problem; one new
    login, not a loop."""
    lib.answer("POST", RESET, *[FakeResponse(401, {"error": {"message": "Unauthorized"}})] * 3)
    with client(sleeps) as rf:
        with pytest.raises(AuthenticationError):
            rf.post(RESET, {"ResetType": "On"})
    assert len(lib.login_calls) == 2
    assert rf.requests.count("POST %s" % RESET) == 2
    assert lib.logout_calls == 2          # the first session too: the BMC may have refused the request, not it


def test_a_login_whose_connection_dropped_is_sent_again(lib, sleeps):
    """The chaos suite's finding: a dropped login failed the rollback's restore of the boot order. Sent again (at
    most `retries` times, backing off); a lost answer at worst leaves a session to the BMC's timeout."""
    lib.failures["login"] = [unreachable("Remote end closed connection without response")]
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert len(lib.login_calls) == 2 and len(sleeps) == 1
    assert lib.logout_calls == 1


def test_a_logout_whose_connection_dropped_is_sent_again(lib, sleeps):
    """The chaos suite's finding: a dropped logout left the session open on the BMC."""
    lib.failures["logout"] = [unreachable("Remote end closed connection without response"), FakeResponse(204)]
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert lib.logout_calls == 2 and rf.warnings == []


def test_a_login_lost_every_time_gives_up_naming_the_cause(lib, sleeps):
    lib.failures["login"] = [unreachable("Remote end closed connection without response")] * 4
    with pytest.raises(TransportError) as caught:
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "On"})
    assert caught.value.message == "login to https://bmc1.example: Remote end closed connection without response"
    assert len(lib.login_calls) == 4


def test_a_logout_answered_401_is_a_session_already_gone(lib, sleeps):
    lib.failures["logout"] = FakeResponse(401, {"error": {"message": "Unauthorized"}})
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert rf.warnings == [] and len(lib.login_calls) == 1


def test_other_errors_carry_extended_info(lib, sleeps):
    body = {"error": {"code": "Base.1.8.GeneralError", "message": "See ExtendedInfo",
                      "@Message.ExtendedInfo": [
                          {"MessageId": "Base.1.8.PropertyValueNotInList",
                           "Message": "The value 'Bogus' for the property BootMode is not in the list of acceptable values."},
                          {"MessageId": "Base.1.8.PropertyNotWritable",
                           "Message": "The property Id is a read only property and cannot be assigned a value."}]}}
    lib.answer("PATCH", SETTINGS, FakeResponse(400, body))
    with client(sleeps) as rf:
        with pytest.raises(RedfishError) as caught:
            rf.patch(SETTINGS, {"BootMode": "Bogus", "Id": "x"})
    exc = caught.value
    assert exc.__class__ is RedfishError                    # not a subclass (412/401 are)
    assert (exc.method, exc.uri, exc.status) == ("PATCH", SETTINGS, 400)
    assert "The value 'Bogus' for the property BootMode is not in the list of acceptable values." in exc.message
    assert "The property Id is a read only property" in exc.message
    assert exc.details["bmc_messages"] == exc.extended and len(exc.extended) == 2


def test_error_with_non_json_body(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(500, text="<html>Internal Server Error</html>"))
    with client(sleeps) as rf:
        with pytest.raises(RedfishError) as caught:
            rf.get(SYSTEM)
    assert caught.value.message == "GET %s failed with HTTP 500: no message" % SYSTEM


def test_non_object_json_body_reads_as_empty(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(200, ["not", "an", "object"]))
    with client(sleeps) as rf:
        assert rf.get(SYSTEM).body == {}


def test_reply_headers_and_etag():
    reply = Reply(200, {"@odata.etag": 'W/"body"'}, {"Content-Type": "application/json"})
    assert reply.header("content-type") == "application/json"
    assert reply.header("ETag") is None
    assert reply.etag == 'W/"body"'
    assert Reply(200, {"@odata.etag": 'W/"body"'}, {"etag": '"hdr"'}).etag == '"hdr"'
    assert Reply(204, {}, {}).etag is None
    assert Reply(204, None, {}).etag is None


def test_retry_after_http_date_in_the_future():
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)
    seconds = transport._retry_after(email.utils.format_datetime(soon, usegmt=True))
    assert 20 < seconds <= 30


@pytest.mark.parametrize("value, expected", [("5", 5.0), ("0", 0.0), ("-3", 0.0), ("1.5", 1.5), (None, None),
                                             ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # an HTTP date in the past
                                             ("not a date", None), ("", None)])
def test_retry_after_parsing(value, expected):
    assert transport._retry_after(value) == expected


def test_logout_refused_as_busy_is_asked_again(lib, sleeps):
    """A 503 to the session DELETE must not leave the session behind."""
    lib.failures["logout"] = [FakeResponse(503, {}, {"Retry-After": "2"}), FakeResponse(204)]
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert lib.logout_calls == 2 and rf.warnings == [] and len(sleeps) == 1 and sleeps[0] >= 2


def test_login_busy_is_asked_again_by_its_status(lib, sleeps):
    lib.failures["login"] = [FakeResponse(503), FakeResponse(429, {}, {"Retry-After": "3"}),
                             FakeResponse(201, {}, {"X-Auth-Token": SESSION_KEY, "Location": SESSION})]
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert len(lib.login_calls) == 3 and len(sleeps) == 2 and sleeps[1] >= 3


def test_login_busy_every_time_gives_up(lib, sleeps):
    lib.failures["login"] = FakeResponse(503)
    with pytest.raises(AuthenticationError, match="HTTP 503"):
        with client(sleeps) as rf:
            rf.post(RESET, {"ResetType": "On"})
    assert len(lib.login_calls) == 4 and ("POST", RESET) not in lib.methods()


def test_logout_refused_for_good_becomes_a_warning(lib, sleeps):
    lib.failures["logout"] = FakeResponse(500, {"error": {"message": "internal"}})
    with client(sleeps) as rf:
        rf.post(RESET, {"ResetType": "On"})
    assert rf.warnings == ["logout from https://bmc1.example failed: HTTP 500: internal"]


def test_one_backoff_policy():
    for attempt in range(8):
        slept = transport._backoff(attempt)
        assert min(0.5 * 2 ** attempt, 20) <= slept <= min(0.5 * 2 ** attempt + 1, 20)
    assert transport._backoff(0, 45) == 45 and transport._backoff(0, 3600) == 60


# -- one read per resource per task, $expand where advertised ------------------------------------

EXPANDING_ROOT = dict(ROOT, ProtocolFeaturesSupported={"ExpandQuery": {
    "ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True, "MaxLevels": 1}})
OPTIONS = SYSTEM + "/BootOptions"
NICS = "/redfish/v1/Chassis/1/NetworkAdapters/1/NetworkDeviceFunctions"


def gets(lib):
    return [c[1] for c in lib.calls if c[0] == "GET"]


def test_a_second_read_of_a_resource_is_served_from_memory(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(200, {"PowerState": "On"}, {"ETag": 'W/"1"'}))
    with client(sleeps) as rf:
        first = rf.get(SYSTEM)
        again = rf.get(SYSTEM + "/")
        assert again is first and again.etag == 'W/"1"'
        assert rf.get("/redfish/v1") is not None                 # the root read by connect()
    assert gets(lib) == ["/redfish/v1/", SYSTEM]
    assert [r for r in rf.requests if r.startswith("GET")] == ["GET /redfish/v1/", "GET " + SYSTEM]


def test_any_write_and_any_poll_tick_forget_what_was_read(lib, sleeps):
    lib.answer("GET", SYSTEM, *[FakeResponse(200, {"PowerState": s}) for s in ("Off", "On", "On", "On")])
    with client(sleeps) as rf:
        assert rf.get(SYSTEM).body["PowerState"] == "Off"
        rf.post(RESET, {"ResetType": "On"})                          # a reset
        assert rf.get(SYSTEM).body["PowerState"] == "On"
        rf.patch(SETTINGS, {"BootMode": "iSCSI"})                    # a write elsewhere forgets everything too
        rf.get(SYSTEM)
        clock = waiter.clock(1, 1, now=lambda: 0, sleep=lambda s: None)
        next(clock), next(clock)                                     # one poll interval went by
        rf.get(SYSTEM)
        rf.get(SYSTEM, fresh=True)
    assert gets(lib) == ["/redfish/v1/"] + [SYSTEM] * 5


def test_a_failed_read_is_not_remembered(lib, sleeps):
    lib.answer("GET", SYSTEM, FakeResponse(404, {}), FakeResponse(200, {"PowerState": "On"}))
    with client(sleeps) as rf:
        with pytest.raises(RedfishError):
            rf.get(SYSTEM)
        assert rf.get(SYSTEM).body == {"PowerState": "On"}


def test_members_without_expand_when_the_root_does_not_advertise_it(lib, sleeps):
    lib.answer("GET", OPTIONS, FakeResponse(200, {"Members": [{"@odata.id": OPTIONS + "/1"}]}))
    with client(sleeps) as rf:
        assert rf.expand_query() is None
        assert rf.get_members(OPTIONS) == [(OPTIONS + "/1", None)]
    assert gets(lib) == ["/redfish/v1/", OPTIONS]


@pytest.mark.parametrize("features, query", [
    ({"NoLinks": True, "Levels": True}, "$expand=.($levels=1)"),
    ({"NoLinks": True, "Levels": False}, "$expand=."),
    ({"ExpandAll": True, "Levels": True, "NoLinks": False}, "$expand=*($levels=1)"),
    ({"ExpandAll": False, "Levels": True, "Links": True, "NoLinks": False}, None),   # `~` alone never expands Members
    (False, None),
])
def test_the_expand_query_follows_protocol_features(lib, sleeps, features, query):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, dict(ROOT, ProtocolFeaturesSupported={"ExpandQuery": features})))
    with client(sleeps) as rf:
        assert rf.expand_query() == query


def test_expanded_members_come_in_one_request_and_are_remembered_with_their_etag(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, EXPANDING_ROOT))
    one = {"@odata.id": OPTIONS + "/1", "@odata.type": "#BootOption.v1_0_6.BootOption", "Id": "1",
           "@odata.etag": 'W/"a"'}
    lib.answer("GET", OPTIONS + "?$expand=.($levels=1)", FakeResponse(200, {"Members": [
        one, {"@odata.id": OPTIONS + "/2"}, {"@odata.id": OPTIONS + "/3", "@odata.type": "#BootOption.v1_0_6.BootOption"}]}))
    with client(sleeps) as rf:
        found = rf.get_members(OPTIONS)
        assert [(uri, reply.body if reply else None) for uri, reply in found] == [
            (OPTIONS + "/1", one), (OPTIONS + "/2", None),
            (OPTIONS + "/3", {"@odata.id": OPTIONS + "/3", "@odata.type": "#BootOption.v1_0_6.BootOption"})]
        assert found[0][1].etag == 'W/"a"'
        assert rf.get(OPTIONS + "/1").body == one                    # remembered: it carries its ETag
        rf.get(OPTIONS + "/3")                                       # no ETag: read on its own when asked
        assert [u for u, _r in rf.get_members(OPTIONS)] == [OPTIONS + "/1", OPTIONS + "/2", OPTIONS + "/3"]
    assert gets(lib) == ["/redfish/v1/", OPTIONS + "?$expand=.($levels=1)", OPTIONS + "/3"]


def test_a_bmc_that_ignores_expand_leaves_the_members_to_read(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, EXPANDING_ROOT))
    lib.answer("GET", OPTIONS + "?$expand=.($levels=1)", FakeResponse(200, {"Members": [{"@odata.id": OPTIONS + "/1"}]}))
    with client(sleeps) as rf:
        assert rf.get_members(OPTIONS) == [(OPTIONS + "/1", None)]


@pytest.mark.parametrize("status", [400, 405, 501])
def test_a_collection_that_refuses_an_advertised_expand_is_read_member_by_member(lib, sleeps, status):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, EXPANDING_ROOT))
    lib.answer("GET", OPTIONS + "?$expand=.($levels=1)", FakeResponse(status, {}))
    lib.answer("GET", OPTIONS, FakeResponse(200, {"Members": [{"@odata.id": OPTIONS + "/1"}]}))
    lib.answer("GET", NICS, FakeResponse(200, {"Members": [{"@odata.id": NICS + "/1"}]}))
    with client(sleeps) as rf:
        assert rf.get_members(OPTIONS) == [(OPTIONS + "/1", None)]
        assert rf.get_members(NICS) == [(NICS + "/1", None)]     # not asked to expand again in this task
    assert gets(lib) == ["/redfish/v1/", OPTIONS + "?$expand=.($levels=1)", OPTIONS, NICS]


def test_an_expand_failing_otherwise_still_fails(lib, sleeps):
    lib.answer("GET", "/redfish/v1/", FakeResponse(200, EXPANDING_ROOT))
    lib.answer("GET", OPTIONS + "?$expand=.($levels=1)", FakeResponse(403, {}))
    with client(sleeps) as rf:
        with pytest.raises(RedfishError):
            rf.get_members(OPTIONS)
