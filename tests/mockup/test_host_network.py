"""The network proof: a host's own address accepts TCP connections only while its OS runs."""

import pytest
from support.mockup import GOOD_ISCSI, MockupProcess, fast_fleet
from support.network import answers
from support.polling import wait_for


@pytest.mark.parametrize("personality", ["dmtf", "idrac9"])
def test_the_host_answers_on_its_address_only_while_its_os_runs(personality, tmp_path):
    fleet = fast_fleet(count=1, address_base="127.0.47." if personality == "dmtf" else "127.0.48.",
                       personality=personality, host_base="127.0.49." if personality == "dmtf" else "127.0.50.")
    process = MockupProcess(fleet, tmp_path).start()
    try:
        bmc = process.bmc("esxi01")
        address, port = bmc.entry["host_address"], bmc.entry["host_port"]
        assert not answers(address, port)  # a new fleet's host sits at the boot menu
        if personality == "dmtf":
            assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
        else:
            uri = ("/redfish/v1/Systems/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/"
                   "NIC.Slot.1-1-1/Settings")
            body = {"iSCSIBoot": GOOD_ISCSI["esxi01"], "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
            assert bmc.patch(uri, body).status_code == 202
        assert bmc.boot_once()["outcome"] == "booted"
        assert answers(address, port)
        assert bmc.admin("boot-history")["host_network"]["listening"] is True
        bmc.reset("ForceOff")
        wait_for(lambda: not bmc.admin("boot-history")["host_network"]["listening"], what="listener closed")
        assert not answers(address, port)
    finally:
        process.stop()
