"""Requests per module run, counted by the mockup (/mockup/stats), for a change run and a no-change
run of every vmw.sanboot module, with the controller CPU each run cost. A script, not a test:

    .venv/bin/python benchmarks/module_requests.py [dmtf|idrac9|idrac10|ilo5|ilo6]

Budget from issue 3: a no-change iscsi_boot in at most 6 requests, login and logout included (dmtf;
a Dell BMC costs more: the dialect reads the manager for its variant and the port's Dell attributes)."""
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.mockup import PORT_IDS, MockupProcess, fast_fleet  # noqa: E402

ISCSI = {"initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11", "netmask": "24"},
         "target": {"name": "iqn.2024-01.org.example.san:esxi01", "address": "127.0.0.1", "lun": 1},
         "chap": {"username": "esxi01", "secret": "esxi01-secret"}}
TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3.x86_64.iso"


# iLO 6's NIC (DCi) iSCSI takes a CHAP secret of 0, 12 or 16 characters
SECRET_16 = "esxi01-secret-16"


def cases(personality, fleet):
    """(label, module, args, what to do on the BMC before the run)"""
    by_id = {"adapter_id": fleet["bmcs"][0]["nics"][0]["id"], "function_id": PORT_IDS[personality][0]}
    iscsi = dict(ISCSI, chap=dict(ISCSI["chap"], secret=SECRET_16)) if personality == "ilo6" else ISCSI
    return [
        ("iscsi_boot by MAC, change", "iscsi_boot", dict(iscsi, port={"mac": "02:00:00:00:01:01"}), None),
        ("iscsi_boot by MAC, no change", "iscsi_boot", dict(iscsi, port={"mac": "02:00:00:00:01:01"}), None),
        ("iscsi_boot by adapter/function id, no change", "iscsi_boot", dict(iscsi, port=by_id), None),
    ] + COMMON + [
        # after the rest: the values applied by the reset, the option first; the role's pass, verify included
        ("configure (one pass, verify), no change", "configure",
         dict(iscsi, port={"mac": "02:00:00:00:01:01"}, iscsi_target=TARGET, verify=True), "boot"),
    ]


COMMON = [
    ("power ForceRestart, change", "power", {"reset_type": "ForceRestart"}, None),
    ("wait_for_boot, host already booting", "wait_for_boot", {"poll_interval": 0.5, "wait_timeout": 60}, "wait"),
    ("boot_order iSCSI first, change", "boot_order", {"iscsi_target": TARGET}, None),
    ("boot_order iSCSI first, no change", "boot_order", {"iscsi_target": TARGET}, None),
    ("power On, no change", "power", {"reset_type": "On"}, None),
    ("virtual_media insert + boot once, change", "virtual_media", {"image": ISO, "boot_once": True}, None),
    ("virtual_media insert + boot once, no change", "virtual_media", {"image": ISO, "boot_once": True}, None),
    ("bmc_info (read only)", "bmc_info", {}, None),
]


def run_module(folder, connection, module, args):
    playbook = [{"hosts": "localhost", "connection": "local", "gather_facts": False,
                 "tasks": [{f"vmw.sanboot.{module}": dict(connection, **args), "register": "r", "ignore_errors": True},
                           {"ansible.builtin.copy": {"content": "{{ r | to_json }}", "dest": str(folder / "r.json")}}]}]
    path = folder / "pb.yml"
    path.write_text(yaml.safe_dump(playbook))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "collections")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path)],
                         env=env, capture_output=True, text=True, cwd=folder)
    if run.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (module, run.stdout[-3000:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads((folder / "r.json").read_text()), cpu


def main():
    personality = sys.argv[1] if len(sys.argv) > 1 else "dmtf"
    with tempfile.TemporaryDirectory(prefix="sanboot-bench-") as tmp:
        fleet = fast_fleet(personality=personality)
        if personality == "ilo6":
            fleet["san"]["targets"][0]["chap"]["secret"] = SECRET_16
        mockup = MockupProcess(fleet, Path(tmp) / "mockup").start()
        try:
            bmc = mockup.bmc("esxi01")
            connection = {"baseuri": bmc.base, "username": bmc.auth[0], "password": bmc.auth[1], "ca_path": mockup.ca_file}
            print(f"{'module run':48} {'changed':>7} {'requests':>8} {'GET':>4} {'writes':>6} {'ctl CPU s':>9}")
            print(f"personality {personality}")
            for label, module, args, before in cases(personality, fleet):
                if before == "wait":
                    bmc.wait_boot_done()
                    bmc.reset("ForceRestart")
                if before == "boot":
                    bmc.wait_boot_done()
                bmc.delete("/mockup/stats")
                folder = Path(tmp) / label.replace(" ", "_").replace("/", "_")
                folder.mkdir()
                result, cpu = run_module(folder, connection, module, args)
                stats = bmc.stats()["by_method"]
                writes = sum(v for k, v in stats.items() if k != "GET")
                changed = "refused" if result.get("failed") else str(result.get("changed"))
                print(f"{label:48} {changed:>7} {sum(stats.values()):>8} {stats.get('GET', 0):>4} "
                      f"{writes:>6} {cpu:9.2f}")
                if module == "power":
                    bmc.wait_boot_done()
        finally:
            mockup.stop()


if __name__ == "__main__":
    main()
