# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Port discovery follows links: chassis without NetworkAdapters, collections the BMC cannot
serve, and systems that link their adapters only through NetworkInterfaces."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import ports
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import PORT1, PORT2, SYSTEM, ExpandingBMC
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_dell import EMBEDDED, SLOT, FakeDell

NICS = "/redfish/v1/Chassis/1/NetworkAdapters"
FUNCTIONS = NICS + "/NIC1/NetworkDeviceFunctions"


def capable(port):
    return port.iscsi_capable


def find(bmc, **selector):
    return ports.find_port(bmc, selector, capable, SYSTEM)


def test_first_iscsi_capable_port_following_links(bmc):
    assert find(bmc).uri == PORT2
    assert bmc.requests == ["GET /redfish/v1/Chassis", "GET /redfish/v1/Chassis/Enclosure", "GET /redfish/v1/Chassis/1",
                            "GET %s" % NICS, "GET %s/NIC1" % NICS, "GET %s" % FUNCTIONS, "GET %s" % PORT1, "GET %s" % PORT2]
    assert not any(r.startswith("GET /redfish/v1/Chassis/Enclosure/") for r in bmc.requests)  # no URI is made up


def test_by_mac(bmc):
    assert find(bmc, mac="aa:bb:cc:00:00:01").uri == PORT1      # capability not required
    with pytest.raises(SanbootError) as caught:
        find(bmc, mac="aa:bb:cc:00:00:99")
    assert caught.value.details["field"] == "port.mac"
    assert "aa:bb:cc:00:00:01, aa:bb:cc:00:00:02" in caught.value.message


def test_by_ids_looks_members_up_in_linked_collections(bmc):
    assert find(bmc, adapter_id="NIC1", function_id="2").uri == PORT2
    assert bmc.requests == ["GET /redfish/v1/Chassis", "GET /redfish/v1/Chassis/Enclosure", "GET /redfish/v1/Chassis/1",
                            "GET %s/NIC1" % NICS, "GET %s" % PORT2]
    with pytest.raises(SanbootError) as caught:
        find(bmc, adapter_id="NIC9", function_id="1")
    assert "no NetworkDeviceFunction NIC9/1" in caught.value.message


def test_by_ids_passes_on_errors_other_than_404(bmc):
    bmc.script[("GET", PORT2)] = [RedfishError("GET", PORT2, 500, None)]
    with pytest.raises(RedfishError):
        find(bmc, adapter_id="NIC1", function_id="2")


def test_limited_to_adapter(bmc):
    assert find(bmc, adapter_id="NIC1").uri == PORT2
    with pytest.raises(SanbootError, match="no iSCSI-capable port"):
        find(bmc, adapter_id="NIC2")


def test_none_capable(bmc):
    bmc.tree[PORT2]["NetDevFuncCapabilities"] = ["Ethernet"]
    with pytest.raises(SanbootError) as caught:
        find(bmc)
    assert caught.value.details["field"] == "port"
    assert "no iSCSI-capable port found on this BMC (ports: aa:bb:cc:00:00:01, aa:bb:cc:00:00:02)" in caught.value.message


def test_carries_etag(bmc):
    bmc.etags[PORT2] = 'W/"42"'
    assert find(bmc).etag == 'W/"42"'


def test_linked_resources_the_bmc_cannot_serve_are_skipped(bmc):
    bmc.tree.pop(PORT1)                         # a listed function that 404s
    bmc.tree["/redfish/v1/Chassis"]["Members"].append({"@odata.id": "/redfish/v1/Chassis/Gone"})
    assert [p.uri for p in ports.all_ports(bmc)] == [PORT2]


def test_network_interfaces_when_no_chassis_links_adapters(bmc):
    bmc.tree["/redfish/v1/Chassis/1"].pop("NetworkAdapters")
    bmc.tree[SYSTEM]["NetworkInterfaces"] = {"@odata.id": SYSTEM + "/NetworkInterfaces"}
    bmc.tree[SYSTEM + "/NetworkInterfaces"] = {"Members": [{"@odata.id": SYSTEM + "/NetworkInterfaces/NIC1"}]}
    bmc.tree[SYSTEM + "/NetworkInterfaces/NIC1"] = {"NetworkDeviceFunctions": {"@odata.id": FUNCTIONS}}
    assert [p.uri for p in ports.all_ports(bmc, SYSTEM)] == [PORT1, PORT2]
    assert [p.uri for p in ports.all_ports(bmc)] == []


def test_no_chassis_and_no_interfaces_means_no_ports(bmc):
    bmc.tree["/redfish/v1/Chassis/1"].pop("NetworkAdapters")
    assert list(ports.all_ports(bmc, SYSTEM)) == []


def test_dell_ports_have_fqdd_ids():
    found = list(ports.all_ports(FakeDell()))
    assert [(p.adapter_id, p.function_id) for p in found] == [
        ("NIC.Embedded.1", "NIC.Embedded.1-1-1"), ("NIC.Slot.1", "NIC.Slot.1-1-1")]
    assert [p.uri for p in found] == [EMBEDDED, SLOT]


def test_expanded_ports_are_used_only_with_their_etag():
    """A port expanded with its @odata.etag is not read again; one without is (a write needs its ETag)."""
    bmc = ExpandingBMC()
    bmc.tree[PORT2] = dict(bmc.tree[PORT2], **{"@odata.etag": 'W/"p2"'})
    found = list(ports.all_ports(bmc))
    assert [p.uri for p in found] == [PORT1, PORT2] and found[1].etag == 'W/"p2"'
    functions = PORT1.rsplit("/", 1)[0]
    assert [r for r in bmc.requests if "NetworkDeviceFunctions" in r] == [
        "GET %s?$expand=.($levels=1)" % functions, "GET %s" % PORT1]
