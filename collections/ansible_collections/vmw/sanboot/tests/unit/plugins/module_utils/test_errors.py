# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import errors
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import (
    AuthenticationError, PreconditionFailed, RedfishError, SanbootError, TransportError, ValidationError,
    extended_messages)


def _info(*entries):
    return {"error": {"code": "Base.1.8.GeneralError", "message": "A general error has occurred.",
                      "@Message.ExtendedInfo": list(entries)}}


def test_extended_messages_in_order_with_short_message_id():
    body = _info({"MessageId": "Base.1.8.PropertyValueNotInList",
                  "Message": "The value Foo for the property BootMode is not in the list of acceptable values."},
                 {"MessageId": "Base.1.8.PropertyNotWritable",
                  "Message": "The property Id is a read only property and cannot be assigned a value."})
    assert extended_messages(body) == [
        "The value Foo for the property BootMode is not in the list of acceptable values. (PropertyValueNotInList)",
        "The property Id is a read only property and cannot be assigned a value. (PropertyNotWritable)",
    ]


def test_extended_messages_does_not_repeat_an_id_the_text_already_has():
    body = _info({"MessageId": "Base.1.8.Conflict", "Message": "Base.1.8.Conflict happened"})
    assert extended_messages(body) == ["Base.1.8.Conflict happened"]


def test_extended_messages_falls_back_to_message_id_then_error_message():
    assert extended_messages(_info({"MessageId": "Base.1.8.InternalError"})) == ["Base.1.8.InternalError"]
    assert extended_messages(_info()) == ["A general error has occurred."]
    assert extended_messages({"error": {"message": "plain"}}) == ["plain"]


def test_extended_messages_drops_duplicates_and_non_dict_entries():
    entry = {"MessageId": "Base.1.8.ResourceNotFound", "Message": "Not found."}
    body = _info(entry, "garbage", None, dict(entry))
    assert extended_messages(body) == ["Not found. (ResourceNotFound)"]


def test_extended_messages_at_top_level_of_a_success_body():
    body = {"@Message.ExtendedInfo": [{"MessageId": "Base.1.8.Success", "Message": "Successfully Completed Request"}]}
    assert extended_messages(body) == ["Successfully Completed Request (Success)"]


@pytest.mark.parametrize("body", [None, "text", [], 42, {}, {"error": "not a dict"}])
def test_extended_messages_without_a_usable_body(body):
    assert extended_messages(body) == []


def test_redfish_error_carries_status_uri_and_bmc_text():
    exc = RedfishError("PATCH", "/redfish/v1/Systems/1", 400,
                       _info({"MessageId": "Base.1.8.PropertyUnknown", "Message": "The property Foo is not in the list."}))
    assert (exc.method, exc.uri, exc.status) == ("PATCH", "/redfish/v1/Systems/1", 400)
    assert exc.message == ("PATCH /redfish/v1/Systems/1 failed with HTTP 400: "
                           "The property Foo is not in the list. (PropertyUnknown)")
    assert exc.details == {"status": 400, "uri": "/redfish/v1/Systems/1",
                           "bmc_messages": ["The property Foo is not in the list. (PropertyUnknown)"]}
    assert str(exc) == exc.message


def test_redfish_error_without_body_says_no_message():
    exc = RedfishError("GET", "/x", 500)
    assert exc.message == "GET /x failed with HTTP 500: no message"
    assert exc.extended == []


def test_hierarchy():
    assert issubclass(PreconditionFailed, RedfishError)
    for cls in (ValidationError, RedfishError, TransportError, AuthenticationError):
        assert issubclass(cls, SanbootError)
    exc = PreconditionFailed("PATCH", "/x", 412, None)
    assert exc.status == 412


def test_validation_error_names_the_field():
    exc = ValidationError("target.port", "70000 is outside 1-65535")
    assert exc.field == "target.port"
    assert exc.message == "target.port: 70000 is outside 1-65535"
    assert exc.details == {"field": "target.port"}


def test_sanboot_error_keeps_details():
    exc = errors.SanbootError("boom", timeline=[1], booted=False)
    assert exc.message == "boom"
    assert exc.details == {"timeline": [1], "booted": False}
