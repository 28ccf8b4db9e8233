"""vmw.sanboot.prep on blank LUNs, on both SAN backends: the ESXi installer from virtual media puts
ESXi on every LUN (with tgt: written over iSCSI), then every host boots from its LUN (with tgt: its
boot sector read over iSCSI), with the installer ejected."""
import pytest

ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"


@pytest.mark.parametrize("san", ["model", "tgt"])
def test_prep_installs_esxi_on_blank_luns_and_boots_every_host_from_its_lun(make_lab, fleet, san):
    fleet["san"]["backend"] = san
    for target in fleet["san"]["targets"]:
        for lun in target["luns"]:
            lun["content"] = "blank"
    lab = make_lab(fleet)
    luns = lab.bmc("esxi01").admin("san")["luns"]
    assert set(luns.values()) == {"blank"} and len(luns) == len(lab.hosts), luns

    run = lab.playbook("prep", "-e", f"sanboot_install_iso={ISO}")
    assert run.returncode == 0, run.tail()
    for host in lab.hosts:
        assert run.recap[host]["failed"] == 0 and run.recap[host]["unreachable"] == 0, (host, run.recap)
        want = lab.expected(host)
        bmc = lab.bmc(host)
        history = lab.assert_booted_from_lun(host)
        # the installer ran from the virtual CD on this host, then the host booted from its LUN
        installers = [b for b in history["boots"] if (b["booted_from"] or {}).get("installer")]
        assert [b["booted_from"]["installer"] for b in installers] == [ISO.rsplit("/", 1)[1]], (host, history["boots"])
        assert history["boots"][-1]["booted_from"]["target"] == want["target"], (host, history["boots"][-1])
        assert bmc.admin("san")["luns"][f"{want['target']}/{want['lun']}"] == "esxi", host
        media = lab.virtual_cd(host)
        assert media["Inserted"] is False and not media["Image"], (host, media)
        lab.assert_ibft_matches(host)
