"""The Supermicro dialect through ansible-playbook against the supermicro-x13 mockup: bmc_info, the
iscsi_boot refusal before any write, the boot order on both paths (Boot.BootOrder, and the
FixedBootOrder fallback after 400 PropertyUnknown), power through the ResetActionInfo types,
wait_for_boot `unverified` without a host address and `booted` with it, and the role with
sanboot_configure_iscsi: false (the host's iSCSI values come from the fleet's option_rom_iscsi)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from iscsi_args import FUNCTION, args
from playbook_runner import TRANSCRIPTS

from support.mockup import ROOT, fast_fleet, free_port

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
WAIT = {"poll_interval": 0.2, "wait_timeout": 60}
MAC = "02:00:00:00:01:01"
RESETS = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PowerCycle"]
FIXED = "/redfish/v1/Systems/1/Oem/Supermicro/FixedBootOrder"
ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"


@pytest.fixture
def mockup(request, mockup_factory):
    extra = getattr(request, "param", {})
    fleet = fast_fleet(personality="supermicro-x13", host_base="127.0.31.", host_port=free_port(), **extra)
    return mockup_factory(fleet)


def patches(bmc):
    return {path: count for path, count in bmc.stats()["by_path"].items() if path.startswith("PATCH")}


def first_boot(ansible, bmc):
    """The first reset, in which the option ROM logs in and the firmware lists the iSCSI option."""
    missing = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert missing.result["option_missing"] is True and not missing.result["changed"], missing.result
    assert ansible.run("power", {"reset_type": "ForceRestart"}).result["changed"]
    bmc.wait_boot_done()


def test_bmc_info_and_iscsi_boot_refused_before_any_write(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    info, present, absent = ansible.run_each(
        {"module": "bmc_info", "args": {}},
        {"module": "iscsi_boot", "args": {"port": {"mac": MAC}, "initiator": {"name": "iqn.1998-01.com.vmware:esxi01",
                                                                              "address": "127.0.0.11", "netmask": "24"},
                                          "target": {"name": TARGET["name"], "address": "127.0.0.1", "lun": 1}}},
        {"module": "iscsi_boot", "args": {"port": {"mac": MAC}, "state": "absent"}})
    got = info.result["bmc"]
    assert (got["dialect"], got["dialect_variant"], got["vendor"]) == ("supermicro", "x13", "Supermicro"), got
    assert [(p["mac"], p["iscsi_methods"]) for p in got["ports"]] == [(MAC, []), ("02:00:00:00:01:02", [])], got["ports"]
    assert got["system"]["bios_pending"] == {}
    for run in (present, absent):
        assert run.failed and "cannot set (or read) iSCSI boot over Redfish" in run.result["msg"], run.result
        assert "sanboot_configure_iscsi: false" in run.result["msg"]
    assert patches(bmc) == {} and "POST" not in bmc.stats()["by_method"], bmc.stats()


@pytest.mark.parametrize("mockup", [{}, {"boot_order_property_unknown": True}], indirect=True, ids=["BootOrder", "FixedBootOrder"])
def test_boot_order_on_both_paths_and_a_second_run_writes_nothing(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    fallback = bool(bmc.json(FIXED)) and mockup.fleet["bmcs"][0].get("boot_order_property_unknown", False)
    first_boot(ansible, bmc)
    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["changed"] and not order.result["option_missing"], order.result
    option = order.result["option"]
    assert "UEFI iSCSI IPv4" in option["display_name"] and "02:00:00:00:01:01".upper() in option["display_name"].upper()
    assert option["device_path"] is None
    assert bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"][0] == option["reference"]
    written = patches(bmc)
    if fallback:
        assert written.get("PATCH " + FIXED) == 1, written
        assert bmc.json(FIXED)["UEFINetwork"][0] == option["display_name"]
    else:
        assert written == {"PATCH /redfish/v1/Systems/1": 1}, written
    again = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert again.result["changed"] is False and patches(bmc) == written, (again.result, patches(bmc))


def test_power_uses_the_reset_action_info(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    off, cycle = ansible.run_each({"module": "power", "args": {"reset_type": "ForceOff"}, "bmc": "esxi03"},
                                  {"module": "power", "args": {"reset_type": "PowerCycle"}, "bmc": "esxi03"})
    assert off.result["changed"] and off.result["power_state"] == "Off", off.result
    assert cycle.result["reset_type"] == "PowerCycle" and not cycle.result.get("msg", "").startswith("reset_type"), cycle.result
    assert bmc.stats()["by_path"].get("GET /redfish/v1/Systems/1/ResetActionInfo"), bmc.stats()["by_path"]


def test_wait_for_boot_is_unverified_without_a_host_address_and_booted_with_it(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    first_boot(ansible, bmc)
    assert ansible.run("boot_order", {"iscsi_target": TARGET}).result["changed"]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    unverified = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET))
    result = unverified.result
    assert not unverified.failed, result.get("msg")
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (False, False, "unverified", "post")
    assert result["state"] == "SystemHardwareInitializationComplete" and result["state_time"] >= reset["since"]
    assert "never goes past POST" in result["why"] and result["boot_option"]["reference"] in result["why"]

    host = mockup.fleet["bmcs"][0]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    booted = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET,
                                                host_address=host["host_address"], host_port=host["host_port"]))
    result = booted.result
    assert (result["booted"], result["verified"], result["outcome"], result["evidence"]) == (True, True, "booted", "post+network"), result


def role_run(mockup, folder, configure_iscsi, host_address=False, check=False, unset=()):
    """vmw.sanboot.rollout on esxi01 (its summary included), as an inventory would give it (without the variables
    named in `unset`); returns (returncode, output)."""
    host = mockup.fleet["bmcs"][0]
    client = mockup.bmc("esxi01")
    hostvars = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                "sanboot_bmc_baseuri": client.base, "sanboot_bmc_username": client.auth[0], "sanboot_bmc_password": client.auth[1],
                "sanboot_bmc_ca_path": str(mockup.ca_file), "sanboot_port_mac": MAC, "sanboot_configure_iscsi": configure_iscsi,
                "sanboot_target_name": TARGET["name"], "sanboot_target_lun": TARGET["lun"], "sanboot_reset_type": "ForceRestart",
                "sanboot_poll_interval": 0.2, "sanboot_boot_timeout": 60, "sanboot_backup_dir": str(folder / "backups")}
    if configure_iscsi:
        hostvars.update(sanboot_initiator_name="iqn.1998-01.com.vmware:esxi01", sanboot_initiator_address="127.0.0.11",
                        sanboot_initiator_netmask="24", sanboot_target_address="127.0.0.1")
    if host_address:
        hostvars.update(sanboot_host_address=host["host_address"], sanboot_host_port=host["host_port"])
    for name in unset:
        hostvars.pop(name)
    folder.mkdir(parents=True, exist_ok=True)
    inventory = folder / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"esxi_hosts": {"hosts": {"esxi01": hostvars}}}))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "collections"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_HOME": str(folder / "home")}
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), "vmw.sanboot.rollout"]
    command += ["--check", "--diff"] if check else []
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=folder)
    output = proc.stdout + proc.stderr
    TRANSCRIPTS.append((f"role run {folder.name}", output))
    return proc.returncode, output


def summary_of(output):
    return [line for line in output.splitlines() if '"msg": "esxi01 ' in line]


def test_role_without_iscsi_configuration_orders_reboots_and_reports_unverified(mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    code, output = role_run(mockup, tmp_path / "first", configure_iscsi=False)
    assert code == 0, output[-4000:]
    assert "iscsi values: not managed here" in output and "cannot read them (supermicro dialect)" in output
    line = summary_of(output)
    assert len(line) == 1 and "UNVERIFIED" in line[0] and " post " in line[0] and "LUN" not in line[0], line
    assert "iscsi values: not managed here" in line[0] and "2 resets" in line[0], line
    first = bmc.json("/redfish/v1/Systems/1")["Boot"]["BootOrder"][0]
    assert "UEFI iSCSI IPv4" in bmc.json("/redfish/v1/Systems/1/BootOptions/" + first)["DisplayName"]
    written = patches(bmc)

    code, output = role_run(mockup, tmp_path / "second", configure_iscsi=False, host_address=True)
    assert code == 0, output[-4000:]
    assert patches(bmc) == written, "a second run writes nothing"
    line = summary_of(output)
    assert "esxi01" in line[0] and "unchanged" in line[0] and "post+network" in line[0] and f"{TARGET['name']} LUN 1" in line[0], line


def test_role_in_check_mode_writes_nothing(mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    code, output = role_run(mockup, tmp_path / "check", configure_iscsi=False, check=True)
    assert code == 0, output[-4000:]
    assert patches(bmc) == {} and not [p for p in bmc.stats()["by_path"] if "Actions" in p], bmc.stats()["by_path"]


def test_role_refuses_a_supermicro_host_with_iscsi_configuration_before_any_write(mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    code, output = role_run(mockup, tmp_path / "refused", configure_iscsi=True)
    assert code != 0
    assert "cannot set (or read) iSCSI boot over Redfish" in output and "sanboot_configure_iscsi: false" in output
    assert patches(bmc) == {} and "POST" not in bmc.stats()["by_method"], bmc.stats()


def test_role_without_iscsi_configuration_on_a_bmc_that_reads_the_values(ansible, mockup_factory, tmp_path):
    """Any vendor: a port set up beforehand (here by iscsi_boot, standing in for the option ROM) is
    ordered, rebooted into (once, on this standard BMC) and proven booted by the role, which reports the values it
    read and writes none."""
    mockup = mockup_factory(fast_fleet(personality="dmtf", host_base="127.0.32.", host_port=free_port()))
    ansible.mockup = mockup
    assert ansible.run("iscsi_boot", args()).result["changed"]
    bmc = mockup.bmc("esxi01")
    code, output = role_run(mockup, tmp_path / "dmtf", configure_iscsi=False, host_address=True)
    assert code == 0, output[-4000:]
    assert f"the BMC reports target none LUN 0, boot mode PXE, pending for the next reset: target {TARGET['name']} LUN 1" \
        in output, [x for x in output.splitlines() if "not managed" in x]
    line = summary_of(output)
    # a standard BMC: the first boot isolated, verified, the order persisted after it: one reset
    assert "1 reset " in line[0] and f"{TARGET['name']} LUN 1" in line[0] and "bmc+network" in line[0], line
    assert "iscsi values: not managed here" in line[0], line
    assert bmc.stats()["by_path"].get("PATCH " + FUNCTION + "/Settings", 0) == 1, "only the iscsi_boot run wrote iSCSI"


def test_graceful_restart_of_a_running_os_is_seen_in_the_sel(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    first_boot(ansible, bmc)
    assert ansible.run("boot_order", {"iscsi_target": TARGET}).result["changed"]
    bmc.boot_once()
    run = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 30, "poll_interval": 0.2})
    assert run.result["fallback_used"] is False and run.result["reset_type"] == "GracefulRestart", run.result
    assert bmc.stats()["by_path"].get("GET /redfish/v1/Systems/1/LogServices/Log1/Entries"), bmc.stats()["by_path"]


def test_virtual_media_insert_and_eject(ansible, mockup):
    """The CD under Managers/1/VirtualMedia (capture id VirtualMedia1): inserted once, then nothing to do."""
    insert, absent = {"image": ISO, "boot_once": True}, {"state": "absent"}
    inserted, again, ejected, ejected_again = ansible.run_each(
        *(dict(module="virtual_media", args=a, bmc="esxi03") for a in (insert, insert, absent, absent)))
    assert inserted.result["changed"] is True and inserted.result["dialect"] == "supermicro", inserted.result.get("msg")
    assert again.result["changed"] is False, again.result
    assert ejected.result["changed"] is True, ejected.result
    assert ejected_again.result["changed"] is False, ejected_again.result


def test_role_without_iscsi_configuration_refuses_a_port_set_to_another_target(ansible, mockup_factory, tmp_path):
    """The values the BMC reads name another target: the role says so before any write or reset."""
    mockup = mockup_factory(fast_fleet(personality="dmtf", host_base="127.0.32.", host_port=free_port()))
    ansible.mockup = mockup
    other = "iqn.2024-01.org.example.san:esxi02"
    assert ansible.run("iscsi_boot", args(**{"target.name": other})).result["changed"]
    bmc = mockup.bmc("esxi01")
    before = bmc.stats()["by_method"]
    code, output = role_run(mockup, tmp_path / "other", configure_iscsi=False)
    assert code != 0
    assert f"target as {other}, not {TARGET['name']}" in output and "nothing was changed" in output, output[-3000:]
    after = bmc.stats()["by_method"]
    assert {m: after.get(m) for m in ("PATCH", "DELETE")} == {m: before.get(m) for m in ("PATCH", "DELETE")}
    assert not [p for p in bmc.stats()["by_path"] if "Actions" in p], bmc.stats()["by_path"]
