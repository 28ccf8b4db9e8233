"""The action plugins run the modules' code in-process on the controller (connection local) and
must return what the modules return: the same task sequence on two identical fleets, one run as
modules (SANBOOT_EXECUTION=module), one in-process, gives the same results, the same requests, the
same masked invocation at -vvv, and only the module runs leave AnsiballZ payloads behind. Also:
module_defaults (group/vmw.sanboot.redfish), a task's `environment:` (SANBOOT_DEBUG_LOG) that does not
reach the next task, the `sanboot_execution` variable, and a controller without python-redfish-library."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from iscsi_args import SECRETS, args, step
from playbook_runner import CALLBACKS, COLLECTIONS, TRANSCRIPTS, Ansible

from support.mockup import ROOT

TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
IN_PROCESS = "runs in-process on the controller"
STEPS = [
    step("iscsi_boot", args("esxi02"), bmc="esxi02", check=True, diff=True),
    step("iscsi_boot", args("esxi02"), bmc="esxi02", diff=True),
    step("iscsi_boot", args("esxi02"), bmc="esxi02"),
    step("iscsi_boot", args("esxi02", **{"target.vlan_id": "vlan120"}), bmc="esxi02"),
    step("iscsi_boot", dict(args("esxi02"), bogus=1), bmc="esxi02"),
    step("iscsi_boot", args("esxi02", **{"chap.secret": "short"}), bmc="esxi02"),
    step("boot_order", {"iscsi_target": TARGET, "display_name": "x"}),
    step("boot_order", {"iscsi_target": TARGET}, diff=True),
    step("power", {"reset_type": "On"}, diff=True),
    step("virtual_media", {"image": ISO, "boot_once": True, "image_password": "esxi01-secret"}, bmc="esxi03",
         check=True, diff=True),
    step("bmc_info", {"validate_certs": False}, bmc="esxi03"),
]


def invocations(output):
    """The -vvv results' invocation.module_args, in task order, without what differs per fleet."""
    found = []
    for match in re.finditer(r"^(?:ok|changed|fatal): \[[^\]]*\](?:: FAILED!)? => (\{\n.*?\n\})$", output, re.M | re.S):
        module_args = json.loads(match.group(1))["invocation"]["module_args"]
        found.append({k: v for k, v in module_args.items() if k not in ("baseuri", "ca_path")})
    return found


def results(runs):
    """The recorded results, with the BMC clock's times (each fleet booted at its own) left out."""
    return [json.loads(re.sub(r'"\d{4}-\d\d-\d\dT[0-9:.]+Z"', '"<time>"', json.dumps(r.result))) for r in runs]


def payloads(folder):
    return sorted(p.name for p in Path(folder).rglob("AnsiballZ_*"))


def test_in_process_returns_what_the_module_returns(ansible, mockup, mockup_factory, monkeypatch, tmp_path):
    fleets = {"module": mockup, "auto": mockup_factory()}
    monkeypatch.setenv("ANSIBLE_KEEP_REMOTE_FILES", "1")
    runs = {}
    for how, fleet in fleets.items():
        monkeypatch.setenv("SANBOOT_EXECUTION", how)
        monkeypatch.setenv("ANSIBLE_REMOTE_TMP", str(tmp_path / how / "remote-tmp"))
        runner = ansible if how == "module" else Ansible(fleet, tmp_path / how / "ansible")
        runs[how] = runner.run_each(*STEPS)
    module, here = runs["module"], runs["auto"]

    assert results(here) == results(module)
    for name in ("esxi01", "esxi02", "esxi03"):
        assert fleets["auto"].bmc(name).stats()["by_method"] == fleets["module"].bmc(name).stats()["by_method"], name
        assert fleets["auto"].bmc(name).stats()["sessions"] == 0
    assert [r.result["changed"] for r in here] == [True, True, False, False, False, False, False, False, False, True,
                                                   False]
    assert [bool(r.failed) for r in here] == [False, False, False, True, True, True, True, False, False, False, False]
    assert "diff" in here[0].result and "diff" in here[1].result and "diff" not in here[2].result
    assert here[0].result["requests"] == module[0].result["requests"] and "PATCH" not in str(here[0].result["requests"])
    assert here[4].result["msg"].startswith("Unsupported parameters for (vmw.sanboot.iscsi_boot) module: bogus.")
    assert "vlan_id" in here[3].result["msg"] and "chap.secret" in here[5].result["msg"]
    assert "validate_certs is false" in str(here[10].result["warnings"])

    # -vvv shows the invocation with every no_log value masked, as the module does
    assert invocations(here[0].output) == invocations(module[0].output)
    masked = invocations(here[0].output)
    assert len(masked) == len(STEPS)
    assert masked[1]["password"] == MASK and masked[1]["chap"]["secret"] == MASK
    assert masked[1]["chap"]["mutual_secret"] == MASK and masked[9]["image_password"] == MASK
    assert not any(secret in here[0].output for secret in SECRETS)

    # in-process means no AnsiballZ payload: the module runs leave theirs (ANSIBLE_KEEP_REMOTE_FILES)
    assert payloads(tmp_path / "module" / "remote-tmp") and not payloads(tmp_path / "auto" / "remote-tmp")
    assert here[0].output.count(IN_PROCESS) == len(STEPS) and IN_PROCESS not in module[0].output


def play(folder, tasks, play_keywords=None, env=None):
    """One play on localhost (connection local), run at -vvv; returns (results by task name, output)."""
    folder.mkdir(parents=True)
    results = folder / "results.jsonl"
    playbook = [dict({"name": "in-process", "hosts": "localhost", "connection": "local", "gather_facts": False},
                     **(play_keywords or {}), tasks=tasks)]
    (folder / "playbook.yml").write_text(yaml.safe_dump(playbook, sort_keys=False))
    environment = {**(env or {}), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
                   "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_NOCOLOR": "1",
                   "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "record_results",
                   "SANBOOT_TEST_RESULTS": str(results), "ANSIBLE_KEEP_REMOTE_FILES": "1",
                   "ANSIBLE_REMOTE_TMP": str(folder / "remote-tmp"), "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"),
                   "ANSIBLE_HOME": str(folder / "home")}
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-vvv",
                           str(folder / "playbook.yml")], capture_output=True, text=True, env=environment, timeout=600,
                          cwd=folder)
    output = proc.stdout + proc.stderr
    TRANSCRIPTS.append((f"test_in_process {folder.name} output", output))
    entries = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    return {entry["task"]: entry["result"] for entry in entries}, output


def test_module_defaults_environment_and_the_execution_variable(ansible, mockup, tmp_path):
    bmc = mockup.bmc("esxi01")
    debug_log = tmp_path / "redfish-debug.log"
    defaults = {"group/vmw.sanboot.redfish": ansible.connection("esxi01")}
    tasks = [
        {"name": "power, logged", "vmw.sanboot.power": {"reset_type": "On"}, "environment": {"SANBOOT_DEBUG_LOG": str(debug_log)}},
        {"name": "iscsi_boot, not logged", "vmw.sanboot.iscsi_boot": args("esxi01")},
        {"name": "bmc_info, as a module", "vmw.sanboot.bmc_info": {}, "vars": {"sanboot_execution": "module"}},
    ]
    recorded, output = play(tmp_path / "defaults", tasks, {"module_defaults": defaults}, env=dict(os.environ))
    assert recorded["power, logged"]["changed"] is False and recorded["power, logged"]["requests"]
    assert recorded["iscsi_boot, not logged"]["changed"] is True
    assert recorded["bmc_info, as a module"]["bmc"]["dialect"] == "dmtf"
    assert bmc.stats()["by_method"].get("PATCH") == 1
    # the first task's environment reached its run only: the log has power's reads, none of iscsi_boot's
    log = debug_log.read_text()
    assert "/redfish/v1/Systems/1" in log and "NetworkAdapters" not in log and "esxi01-secret" not in log
    # module_defaults reached the action's arguments (baseuri and the credentials came from the group)
    assert output.count(IN_PROCESS) == 2
    assert payloads(tmp_path / "defaults" / "remote-tmp") == ["AnsiballZ_bmc_info.py"]


def test_controller_without_the_library_fails_as_the_module_does(ansible, mockup, monkeypatch, tmp_path):
    shadow = tmp_path / "shadow" / "redfish"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("No module named \'redfish\' (test shadow)")\n')
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    runs = {}
    for how in ("module", "auto"):
        monkeypatch.setenv("SANBOOT_EXECUTION", how)
        runs[how] = ansible.run("bmc_info", {})
    assert runs["auto"].result == runs["module"].result
    assert runs["auto"].failed and "redfish and tenacity" in runs["auto"].result["msg"]
    assert IN_PROCESS not in runs["auto"].output          # the module reports it, from the interpreter it runs in
    assert mockup.bmc("esxi01").stats()["by_method"] == {}
