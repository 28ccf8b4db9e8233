"""virtual_media (insert, boot once, eject; the ESXi installer onto a blank LUN) and bmc_info."""
from iscsi_args import FUNCTION, SECRETS, args

ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"
MEDIA = "/redfish/v1/Systems/1/VirtualMedia/CD"


def test_insert_boot_once_install_then_eject(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    assert ansible.run("iscsi_boot", args("esxi03"), bmc="esxi03").result["changed"]
    inserted = ansible.run("virtual_media", {"image": ISO, "boot_once": True}, bmc="esxi03", diff=True)
    assert inserted.result["changed"] is True and inserted.result["boot_once"] is True
    assert bmc.json(MEDIA)["Inserted"] is True and bmc.json(MEDIA)["Image"] == ISO
    boot = bmc.json("/redfish/v1/Systems/1")["Boot"]
    assert boot["BootSourceOverrideTarget"] == "Cd" and boot["BootSourceOverrideEnabled"] == "Once"
    again = ansible.run("virtual_media", {"image": ISO, "boot_once": True}, bmc="esxi03")
    assert again.result["changed"] is False

    before = bmc.boot_count()
    bmc.reset("ForceRestart")
    # The installer boot, then the reboot it does itself, which boots ESXi from the LUN.
    final = bmc.wait_boot_done(before + 1)
    outcomes = [b["outcome"] for b in bmc.admin("boot-history")["boots"] if b["id"] > before]
    assert outcomes == ["installed", "booted"], outcomes
    assert final["booted_from"]["target"] == "iqn.2024-01.org.example.san:esxi03"
    assert bmc.admin("san")["luns"]["iqn.2024-01.org.example.san:esxi03/1"] == "esxi"

    ejected = ansible.run("virtual_media", {"state": "absent"}, bmc="esxi03")
    assert ejected.result["changed"] is True and bmc.json(MEDIA)["Inserted"] is False
    assert ansible.run("virtual_media", {"state": "absent"}, bmc="esxi03").result["changed"] is False


def test_virtual_media_check_mode_and_bad_url(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    check = ansible.run("virtual_media", {"image": ISO, "boot_once": True}, bmc="esxi03", check=True)
    assert check.result["changed"] is True and bmc.json(MEDIA)["Inserted"] is False
    bad = ansible.run("virtual_media", {"image": "ftp:/nowhere"}, bmc="esxi03")
    assert bad.failed and "image" in bad.result["msg"]
    stats = bmc.stats()
    assert "POST" not in stats["by_method"] and "PATCH" not in stats["by_method"]


def test_bmc_info_reports_everything_with_secrets_masked(ansible, mockup):
    bmc = mockup.bmc("esxi02")
    ansible.run("iscsi_boot", args("esxi02"), bmc="esxi02")
    info = ansible.run("bmc_info", {}, bmc="esxi02").result["bmc"]
    assert info["vendor"] == "Contoso" and info["dialect"] == "dmtf"
    assert info["system"]["power_state"] == "On" and "GracefulRestart" in info["system"]["reset_types"]
    port = next(p for p in info["ports"] if p["uri"] == FUNCTION)
    assert port["capabilities"] == ["Ethernet", "iSCSI"]
    assert port["supported_apply_times"] == ["Immediate", "OnReset"]
    assert port["pending"]["BootMode"] == "iSCSI"
    assert port["pending"]["iSCSIBoot"]["PrimaryVLANId"] == 120
    assert info["boot"]["order"] and all("reference" in o for o in info["boot"]["options"])
    text = str(info)
    assert not any(secret in text for secret in SECRETS)
    assert bmc.stats()["by_path"].get("PATCH " + FUNCTION + "/Settings") == 1  # only iscsi_boot wrote
