"""The fleet file and the command line: validation with the field named, the generator, the ready
file, clean shutdown on SIGINT and SIGTERM."""
import json
import signal
import subprocess
import sys

import pytest
import yaml
from support.mockup import ROOT, MockupProcess, fast_fleet

from sanboot_mockup.fleet import FleetError, generate_fleet, load_fleet, parse_fleet

LAB = ROOT / "inventories" / "lab" / "fleet.yml"


def test_lab_fleet_loads_with_six_bmcs_each_with_its_own_target():
    fleet = load_fleet(LAB)
    assert len(fleet.bmcs) >= 6
    assert {b.name for b in fleet.bmcs} <= {t.iqn.rsplit(":", 1)[-1] for t in fleet.san.targets}
    for bmc in fleet.bmcs:  # each host's initiator is in exactly its own target's ACL
        owners = [t for t in fleet.san.targets if f"iqn.1998-01.com.vmware:{bmc.name}" in t.acl]
        assert len(owners) == 1 and owners[0].luns[0].content == "esxi"


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["bmcs"][0].update(colour="red"), "bmcs[0]: unknown keys"),
    (lambda d: d["bmcs"][1]["nics"][0]["ports"][0].update(mac="02:00:00"), "bmcs[1].nics[0].ports[0].mac"),
    (lambda d: d["bmcs"][0]["nics"][0]["ports"][0].update(pci="3b:00"), "bmcs[0].nics[0].ports[0].pci"),
    (lambda d: d["bmcs"][1].update(name="esxi01"), "names must be unique"),
    (lambda d: d["bmcs"][1].update(address=d["bmcs"][0]["address"]), "own address or port"),
    (lambda d: d["bmcs"][0].update(address="not-an-ip"), "bmcs[0].address"),
    (lambda d: d["bmcs"][0].update(supported_apply_times=["Later"]), "bmcs[0].supported_apply_times"),
    (lambda d: d["bmcs"][0].update(power="Sleeping"), "bmcs[0].power"),
    (lambda d: d["defaults"]["timing"].update(os_boot=-1), "timing.os_boot"),
    (lambda d: d["san"]["targets"][0]["luns"][0].update(content="windows"), "san.targets[0].luns"),
    (lambda d: d["san"]["targets"][0].update(chap={"username": "x"}), "san.targets[0].chap"),
    (lambda d: d["san"].update(backend="fibre"), "san.backend"),
    (lambda d: d.update(bmcs=[]), "bmcs"),
    (lambda d: d["bmcs"][0].update(personality="xcc3"), "bmcs[0].personality"),
    (lambda d: d["bmcs"][0].update(host_address="host.example"), "bmcs[0].host_address"),
    (lambda d: d["bmcs"][0].update(host_address="127.0.30.1", host_port=70000), "bmcs[0].host_port"),
])
def test_bad_fleet_files_name_the_field(mutate, field):
    document = fast_fleet()
    mutate(document)
    with pytest.raises(FleetError) as error:
        parse_fleet(document)
    assert field in str(error.value)


def test_each_personality_has_its_own_defaults_and_the_fleet_file_wins():
    document = fast_fleet(count=3)
    document["bmcs"][1].update(personality="idrac9")
    document["bmcs"][2].update(personality="idrac10", firmware="1.30.10.00", model="PowerEdge R670")
    dmtf, idrac9, idrac10 = parse_fleet(document).bmcs
    assert (dmtf.personality, dmtf.firmware, dmtf.manufacturer, dmtf.host_address) == ("dmtf", "1.0.0", "Contoso", None)
    assert (idrac9.firmware, idrac9.manufacturer, idrac9.model) == ("6.00.30.00", "Dell Inc.", "PowerEdge R750")
    assert "PowerCycle" in idrac9.reset_types and "Immediate" not in idrac9.supported_apply_times
    assert (idrac10.firmware, idrac10.model) == ("1.30.10.00", "PowerEdge R670")


def test_generated_fleet_is_valid_and_unique():
    fleet = parse_fleet(generate_fleet(300))
    assert len(fleet.bmcs) == 300
    assert len({b.address for b in fleet.bmcs}) == 300
    macs = [p.mac for b in fleet.bmcs for n in b.nics for p in n.ports]
    assert len(set(macs)) == len(macs)
    assert len(fleet.san.targets) == 300
    assert all(t.chap and len(t.chap[1]) >= 12 for t in fleet.san.targets)


def test_fleet_command_writes_a_loadable_file(tmp_path):
    out = tmp_path / "big.yml"
    subprocess.run([sys.executable, "-m", "sanboot_mockup", "fleet", "--count", "7", "--out", str(out)],
                   check=True, env={"PYTHONPATH": str(ROOT / "src")})
    assert len(load_fleet(out).bmcs) == 7


def test_bad_fleet_file_exits_2_before_binding(tmp_path):
    document = fast_fleet()
    document["bmcs"][0]["nics"][0]["ports"][0]["mac"] = "zz"
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(document))
    result = subprocess.run([sys.executable, "-m", "sanboot_mockup", "serve", "--fleet", str(path),
                             "--state-dir", str(tmp_path / "state")], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "src")}, timeout=30)
    assert result.returncode == 2
    assert "bmcs[0].nics[0].ports[0].mac" in result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_ready_file_then_clean_shutdown(tmp_path, signum):
    process = MockupProcess(fast_fleet(), tmp_path).start()
    ready = json.loads(process.ready_file.read_text())
    assert [b["name"] for b in ready["bmcs"]] == ["esxi01", "esxi02", "esxi03"]
    for entry in ready["bmcs"]:
        assert entry["base_uri"].startswith("https://127.0.20.")
        assert entry["ca_file"] == ready["ca_file"] and entry["username"] == "admin"
    assert process.bmc("esxi02").json("/redfish/v1")["Id"] == "RootService"
    process.process.send_signal(signum)
    assert process.process.wait(15) == 0
    process._log.close()
    assert not process.ready_file.exists()
    assert (process.state_dir / "bmcs" / "esxi02.json").exists()


def test_plain_http_on_request(mockup_factory):
    process = mockup_factory(https=False)
    bmc = process.bmc("esxi01")
    assert bmc.base.startswith("http://") and process.ready["ca_file"] is None
    assert bmc.json("/redfish/v1/Systems/1")["PowerState"] == "On"
