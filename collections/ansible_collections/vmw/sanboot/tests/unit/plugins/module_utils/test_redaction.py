# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import logging

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import redaction
from ansible_collections.vmw.sanboot.plugins.module_utils.redaction import MASK, SecretFilter, masked, redact_text

SECRET = "chap-secret-01"
MUTUAL = "mutual-secret-2"


@pytest.fixture
def library_logger():
    """The logger python-redfish-library writes request bodies to, with a fresh SecretFilter."""
    logger = logging.getLogger("redfish.rest.v1")
    secret_filter = SecretFilter()
    logger.addFilter(secret_filter)
    yield logger, secret_filter
    logger.removeFilter(secret_filter)


def test_filter_masks_secret_in_a_library_record(library_logger, caplog):
    logger, secret_filter = library_logger
    secret_filter.add(SECRET, MUTUAL)
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    body = json.dumps({"iSCSIBoot": {"CHAPSecret": SECRET, "MutualCHAPSecret": MUTUAL, "CHAPUsername": "esxi01"}})
    logger.debug("HTTP REQUEST (PATCH) for /x:\nBody: %s\n" % body)
    assert len(caplog.records) == 1
    text = caplog.records[0].getMessage()
    assert SECRET not in text and MUTUAL not in text
    assert '"CHAPSecret": "%s"' % MASK in text
    assert '"CHAPUsername": "esxi01"' in text
    assert SECRET not in caplog.text


def test_filter_masks_secrets_passed_as_percent_args(library_logger, caplog):
    logger, secret_filter = library_logger
    secret_filter.add(SECRET)
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logger.info("Login returned code %s: %s", 201, '{"Password": "%s"}' % SECRET)
    record = caplog.records[0]
    assert record.getMessage() == 'Login returned code 201: {"Password": "%s"}' % MASK
    assert record.args is None
    assert SECRET not in caplog.text


def test_filter_leaves_clean_records_alone(library_logger, caplog):
    logger, secret_filter = library_logger
    secret_filter.add(SECRET)
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logger.info("Attempt %s of %s", 1, "/redfish/v1/")
    record = caplog.records[0]
    assert record.msg == "Attempt %s of %s"
    assert record.args == (1, "/redfish/v1/")


def test_filter_without_values_passes_everything():
    secret_filter = SecretFilter()
    record = logging.LogRecord("redfish.rest.v1", logging.DEBUG, __file__, 1, "x %s", ("y",), None)
    assert secret_filter.filter(record) is True
    assert (record.msg, record.args) == ("x %s", ("y",))


def test_filter_ignores_short_and_non_string_values():
    secret_filter = SecretFilter()
    secret_filter.add(None, "", "ab", 12345678901234, SECRET)
    assert secret_filter.values == {SECRET}


def test_longest_secret_masked_first():
    # A secret that contains another must disappear whole, not leave a tail behind.
    assert redact_text("a=abcdefghijklm b=abcdefghijkl", {"abcdefghijkl", "abcdefghijklm"}) == \
        "a=%s b=%s" % (MASK, MASK)


def test_protect_installs_one_filter_on_library_and_urllib3_loggers(caplog):
    secret = "protect-test-secret-value"
    redaction.protect(secret)
    redaction.protect(secret)
    for name in ("redfish", "redfish.rest.v1", "urllib3", "urllib3.connectionpool"):
        filters = logging.getLogger(name).filters
        assert filters.count(redaction._FILTER) == 1
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    logging.getLogger("urllib3.connectionpool").debug("body %s", secret)
    assert caplog.records[-1].getMessage() == "body %s" % MASK


def test_masked_hides_secret_keys_everywhere():
    body = {"Password": "hunter2-pass", "UserName": "root",
            "iSCSIBoot": {"CHAPSecret": SECRET, "MutualCHAPSecret": None, "CHAPUsername": "esxi01"},
            "Members": [{"password": "p4ssw0rd"}, {"chap_secret": SECRET, "mutual_chap_secret": ""}], "n": 3}
    assert masked(body) == {
        "Password": MASK, "UserName": "root",
        "iSCSIBoot": {"CHAPSecret": MASK, "MutualCHAPSecret": None, "CHAPUsername": "esxi01"},
        "Members": [{"password": MASK}, {"chap_secret": MASK, "mutual_chap_secret": ""}], "n": 3}
    assert body["iSCSIBoot"]["CHAPSecret"] == SECRET          # the input is not modified
    assert masked("plain") == "plain"
    assert masked([1, {"CHAPSecret": "s" * 12}]) == [1, {"CHAPSecret": MASK}]


@pytest.mark.parametrize("line", [
    "Response headers: {'X-Auth-Token': 'tok-1234567890abcdef', 'Location': '/redfish/v1/SessionService/Sessions/7'}",
    'x-auth-token: tok-1234567890abcdef\nLocation: /x',
    '{"X-Auth-Token": "tok-1234567890abcdef"}',
])
def test_filter_masks_a_session_token_header_it_was_not_told_of(library_logger, caplog, line):
    logger, _filter = library_logger          # no values added: the login reply is logged before protect(token)
    caplog.set_level(logging.DEBUG, logger="redfish.rest.v1")
    logger.debug("%s", line)
    text = caplog.records[0].getMessage()
    assert "tok-1234567890abcdef" not in text and MASK in text
    assert "x-auth-token" in text.lower()                   # the header's name stays, for support cases
