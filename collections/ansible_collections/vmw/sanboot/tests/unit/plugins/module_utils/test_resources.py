# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import resources
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import (
    PORT1, PORT2, SETTINGS2, SYSTEM, ExpandingBMC, FakeBMC, bmc_tree)


def test_link():
    body = {"Boot": {"BootOptions": {"@odata.id": "/x"}}, "Flat": {"@odata.id": "/y"}, "Broken": "text"}
    assert resources.link(body, "Boot", "BootOptions") == "/x"
    assert resources.link(body, "Flat") == "/y"
    assert resources.link(body, "Missing") is None
    assert resources.link(body, "Broken", "Deeper") is None
    assert resources.link(None, "x") is None


def test_members(bmc):
    assert resources.members(bmc, "/redfish/v1/Systems") == [SYSTEM]
    assert resources.members(bmc, None) == []
    bmc.tree["/c"] = {"Members": [{"@odata.id": "/a"}, {"Name": "no link"}, {"@odata.id": "/b"}]}
    assert resources.members(bmc, "/c") == ["/a", "/b"]
    bmc.tree["/empty"] = {}
    assert resources.members(bmc, "/empty") == []


def test_port_view():
    body = bmc_tree()[PORT2]
    port = resources.Port(PORT2, body, 'W/"7"')
    assert port.function_id == "2"
    assert port.adapter_id == "NIC1"
    assert port.mac == "aa:bb:cc:00:00:02"                 # dashes and case normalised
    assert port.iscsi_capable is True
    assert port.settings_uri == SETTINGS2
    assert port.supported_apply_times == ["Immediate", "OnReset"]
    assert port.etag == 'W/"7"'
    assert port.summary() == {"uri": PORT2, "adapter_id": "NIC1", "function_id": "2", "mac": "aa:bb:cc:00:00:02",
                              "capabilities": ["Ethernet", "iSCSI"], "boot_mode": "Disabled",
                              "supported_apply_times": ["Immediate", "OnReset"]}


def test_port_without_settings_or_mac():
    port = resources.Port("/redfish/v1/Chassis/1/NetworkAdapters/A/NetworkDeviceFunctions/9/", {}, None)
    assert port.function_id == "9"
    assert port.adapter_id == "A"
    assert port.mac == ""
    assert port.iscsi_capable is False
    assert port.settings == {} and port.settings_uri is None and port.supported_apply_times == []
    permanent = resources.Port(PORT1, {"Ethernet": {"PermanentMACAddress": "AA:BB:CC:00:00:09"}}, None)
    assert permanent.mac == "aa:bb:cc:00:00:09"


def test_system_uri(bmc):
    assert resources.system_uri(bmc) == SYSTEM
    assert resources.system_uri(bmc, "1") == SYSTEM
    with pytest.raises(SanbootError, match="no computer system with Id 2"):
        resources.system_uri(bmc, "2")
    bmc.tree["/redfish/v1/Systems"] = {"Members": []}
    with pytest.raises(SanbootError, match="lists no computer system$"):
        resources.system_uri(bmc)


def test_boot_options_keyed_by_reference(bmc):
    options = resources.boot_options(bmc, bmc.tree[SYSTEM])
    assert list(options) == ["Boot0001", "Boot0002", "Boot0003"]
    assert options["Boot0003"]["DisplayName"] == "UEFI iSCSI esxi01"
    bmc.tree[SYSTEM + "/BootOptions/0002"].pop("BootOptionReference")
    assert list(resources.boot_options(bmc, bmc.tree[SYSTEM])) == ["Boot0001", "0002", "Boot0003"]
    assert resources.boot_options(bmc, {"Boot": {}}) == {}


def test_log_entries_since_sorted_and_expanded(bmc):
    system = bmc.tree[SYSTEM]
    entries = resources.log_entries(bmc, system)
    assert [e["created"] for e in entries] == ["2026-01-01T09:00:00Z", "2026-01-01T10:00:01Z", "2026-01-01T10:00:05Z"]
    assert entries[1] == {"created": "2026-01-01T10:00:01Z", "severity": "Warning",
                          "message": "Boot option Boot0001 failed", "message_id": "OEM.1.0.Boot"}
    assert "GET %s/LogServices/Log/Entries/2" % SYSTEM in bmc.requests          # the link-only member was read
    since = resources.log_entries(bmc, system, since="2026-01-01T10:00:01Z")
    assert [e["message"] for e in since] == ["Boot option Boot0001 failed", "iSCSI login failed: authentication failure"]
    assert resources.log_entries(bmc, {}) == []


def test_get_port_uses_reply_etag():
    bmc = FakeBMC()
    bmc.script[("GET", PORT2)] = [Reply(200, dict(bmc_tree()[PORT2], **{"@odata.etag": 'W/"body"'}), {})]
    assert resources.get_port(bmc, PORT2).etag == 'W/"body"'


def test_log_entries_compare_instants_across_utc_offsets(bmc):
    # Regression: `since` was compared as a string, so an entry stamped with the BMC's local offset
    # (04:00:05-06:00 is 10:00:05Z) was dropped, and order followed the text, not the time.
    bmc.tree[SYSTEM + "/LogServices/Log/Entries"]["Members"] = [
        {"Created": "2026-01-01T04:00:05-06:00", "Severity": "Critical", "Message": "iSCSI login failed"},
        {"Created": "2026-01-01T09:30:00Z", "Severity": "OK", "Message": "before the reset"},
        {"Created": "2026-01-01T10:00:00+00:00", "Severity": "OK", "Message": "at the reset"},
        {"Created": "2026-01-01T11:00:01+01:00", "Severity": "OK", "Message": "10:00:01Z"},
    ]
    entries = resources.log_entries(bmc, bmc.tree[SYSTEM], since="2026-01-01T10:00:00Z")
    assert [e["message"] for e in entries] == ["at the reset", "10:00:01Z", "iSCSI login failed"]
    everything = resources.log_entries(bmc, bmc.tree[SYSTEM])
    assert [e["message"] for e in everything] == ["before the reset", "at the reset", "10:00:01Z", "iSCSI login failed"]


def test_log_entries_with_unparsable_times(bmc):
    bmc.tree[SYSTEM + "/LogServices/Log/Entries"]["Members"] = [
        {"Created": None, "Severity": "OK", "Message": "no time"},
        {"Created": "2026-01-01T10:00:03Z", "Severity": "OK", "Message": "timed"},
    ]
    assert [e["message"] for e in resources.log_entries(bmc, bmc.tree[SYSTEM])] == ["no time", "timed"]
    assert [e["message"] for e in resources.log_entries(bmc, bmc.tree[SYSTEM], since="2026-01-01T10:00:00Z")] == \
        ["timed"]


def test_a_listed_boot_option_the_bmc_cannot_serve_is_left_out(bmc):
    bmc.tree.pop(SYSTEM + "/BootOptions/0002")
    assert list(resources.boot_options(bmc, bmc.tree[SYSTEM])) == ["Boot0001", "Boot0003"]


def test_optional_reads_turn_404_into_nothing(bmc):
    assert resources.get_optional(bmc, "/redfish/v1/Nothing") is None
    assert resources.get_optional(bmc, None) is None
    assert resources.members_optional(bmc, "/redfish/v1/Nothing") == []
    bmc.script[("GET", "/redfish/v1/Boom")] = [RedfishError("GET", "/redfish/v1/Boom", 500, None)]
    with pytest.raises(RedfishError):
        resources.get_optional(bmc, "/redfish/v1/Boom")


def test_log_services_without_entries_are_skipped(bmc):
    bmc.tree.pop(SYSTEM + "/LogServices/Log")
    assert resources.log_entries(bmc, bmc.tree[SYSTEM]) == []


def test_boot_options_expanded_cost_one_request():
    bmc = ExpandingBMC()
    options = resources.boot_options(bmc, bmc.tree[SYSTEM])
    assert list(options) == ["Boot0001", "Boot0002", "Boot0003"]
    assert bmc.requests == ["GET %s/BootOptions?$expand=.($levels=1)" % SYSTEM]


def test_an_option_the_bmc_left_unexpanded_is_read_alone():
    bmc = ExpandingBMC(expanded=lambda uri: not uri.endswith("0002"))
    assert list(resources.boot_options(bmc, bmc.tree[SYSTEM])) == ["Boot0001", "Boot0002", "Boot0003"]
    assert bmc.requests == ["GET %s/BootOptions?$expand=.($levels=1)" % SYSTEM, "GET %s/BootOptions/0002" % SYSTEM]


def test_expanded_members_of_a_missing_collection_are_none():
    bmc = ExpandingBMC()
    assert resources.expanded_members(bmc, "/redfish/v1/Nothing") == []
    assert resources.expanded_members(bmc, None) == []
