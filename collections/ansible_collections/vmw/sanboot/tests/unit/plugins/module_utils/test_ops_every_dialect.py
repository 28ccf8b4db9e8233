# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The same ops over the DMTF, Dell and HPE fakes: every module names the dialect it used, check
mode writes nothing, and a no-change run writes nothing, whatever the vendor."""

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import (
    bmc_info_ops, boot_order_ops, iscsi_boot_ops, power_ops, virtual_media_ops, wait_for_boot_ops)
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeBMC, FakeModule
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_dell import FakeDell
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_hpe import FakeHpe
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_lenovo import FakeLenovo

FAKES = {"dmtf": (FakeBMC, ("dmtf", None)), "idrac9": (lambda: FakeDell("idrac9"), ("dell", "idrac9")),
         "idrac10": (lambda: FakeDell("idrac10"), ("dell", "idrac10")),
         "ilo5": (FakeHpe, ("hpe", "ilo5")), "ilo6": (lambda: FakeHpe("ilo6", nic_iscsi=True), ("hpe", "ilo6")),
         "xcc": (FakeLenovo, ("lenovo", "xcc")), "xcc2": (lambda: FakeLenovo("xcc2"), ("lenovo", "xcc2"))}
ISO = "https://depot.example/esxi.iso"
ISCSI = {"state": "present", "port": None, "apply_time": "auto", "chap_secret_update": "on_change", "iscsi_method": "auto",
         "clear_pending": False, "secondary_target": None, "target_os": "esxi", "allow_ipv6": False, "task_timeout": 30,
         "poll_interval": 2, "chap": None,
         "initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11", "netmask": "24", "gateway": None,
                       "primary_dns": None, "secondary_dns": None, "dhcp": False},
         "target": {"name": "iqn.2024-01.org.example.san:esxi01", "address": "192.0.2.200", "port": 3260, "lun": 1,
                    "vlan_id": None}}
RUNS = {
    "bmc_info": (bmc_info_ops, {"system_id": None}),
    "power": (power_ops, {"reset_type": "ForceRestart", "force_fallback": True, "graceful_timeout": 30, "poll_interval": 5,
                          "system_id": None}),
    "boot_order": (boot_order_ops, {"iscsi_target": None, "display_name": None, "mode": "persistent", "order": None,
                                    "override_target": "Pxe", "override_enabled": "Once", "fail_on_missing": False,
                                    "system_id": None}),
    "virtual_media": (virtual_media_ops, {"state": "present", "image": ISO, "image_username": None, "image_password": None,
                                          "boot_once": False, "media_id": None, "system_id": None}),
    "wait_for_boot": (wait_for_boot_ops, {"state": "OSRunning", "since": None, "iscsi_target": None, "boot_option": None,
                                          "system_id": None, "wait_timeout": 10, "poll_interval": 1, "host_address": None,
                                          "host_port": 443}),
    "iscsi_boot": (iscsi_boot_ops, ISCSI),
}


def _run(name, bmc, check_mode):
    ops, params = RUNS[name]
    module = FakeModule(dict(params), check_mode=check_mode)
    prepared = ops.prepare(module) if hasattr(ops, "prepare") else None
    return ops.run(module, bmc, prepared)


@pytest.mark.parametrize("fake", FAKES)
@pytest.mark.parametrize("name", RUNS)
def test_every_module_names_its_dialect_and_check_mode_writes_nothing(fake, name):
    make, described = FAKES[fake]
    bmc = make()
    result = _run(name, bmc, check_mode=True)
    assert (result.get("dialect"), result.get("dialect_variant")) == described or \
        (result["bmc"]["dialect"], result["bmc"]["dialect_variant"]) == described
    assert [s for s in bmc.sent if s[0] != "GET"] == []


@pytest.mark.parametrize("fake", FAKES)
def test_iscsi_boot_then_nothing_more_to_do(fake):
    bmc = FAKES[fake][0]()
    first = _run("iscsi_boot", bmc, check_mode=False)
    assert first["changed"] is True
    if fake == "dmtf":      # the DMTF fake stages nothing by itself: show it what was written
        written = bmc.sent[-1][2]
        bmc.tree[bmc.sent[-1][1]].update(BootMode=written["BootMode"])
        bmc.tree[bmc.sent[-1][1]]["iSCSIBoot"].update(written["iSCSIBoot"])
    count = len(bmc.sent)
    second = _run("iscsi_boot", bmc, check_mode=False)
    assert second["changed"] is False and second["reboot_required"] is True and len(bmc.sent) == count


@pytest.mark.parametrize("fake", FAKES)
def test_bmc_info_device_order_only_where_the_options_are_classes(fake):
    make, described = FAKES[fake]
    boot = _run("bmc_info", make(), check_mode=False)["bmc"]["boot"]
    assert (boot["device_order"] is not None) == (described[0] == "lenovo"), boot["device_order"]
