"""The main path end to end: configure iSCSI OnReset, reset, boot from the SAN LUN."""
from support.mockup import GOOD_ISCSI

from sanboot_mockup.ibft import parse_ibft


def test_onreset_settings_stay_pending_then_boot_from_lun(mockup):
    bmc = mockup.bmc("esxi01")
    function = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
    response = bmc.configure_iscsi(GOOD_ISCSI["esxi01"])
    assert response.status_code == 200, response.text
    assert bmc.json(function)["BootMode"] == "PXE"
    pending = bmc.json(function + "/Settings")
    assert pending["BootMode"] == "iSCSI"
    assert pending["iSCSIBoot"]["PrimaryTargetName"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    assert pending["iSCSIBoot"]["CHAPSecret"] is None

    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    assert boot["booted_from"]["target"] == "iqn.2024-01.org.example.san:esxi01"
    current = bmc.json(function)
    assert current["BootMode"] == "iSCSI"
    assert current["@Redfish.Settings"]["Messages"][0]["MessageId"].endswith(".Success")
    states = [s["state"] for s in boot["states"]]
    assert states[0] == "PrimaryProcessorInitializationStarted" and states[-2:] == ["OSBootStarted", "OSRunning"]
    table = parse_ibft(bmc.admin("ibft"))
    assert table.initiator.name == "iqn.1998-01.com.vmware:esxi01"
    assert table.targets[0].target_name == "iqn.2024-01.org.example.san:esxi01"
    assert table.targets[0].lun == 1
    assert table.targets[0].chap_secret == "esxi01-secret"
