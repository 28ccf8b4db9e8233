"""The side-by-side read: community.general.redfish_info (PyPI's `ansible`, in its own virtualenv
.venv-peer, pinned in benchmarks/peer_requirements.txt) and our vmw.sanboot.bmc_info, each run by
ansible-playbook against every host of the same fleet and inventory.

community.general 10.6.0 and later take ca_path: the peer verifies the mockup's CA, as we do."""
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".venv-peer"
REQUIREMENTS = Path(__file__).resolve().parent / "peer_requirements.txt"
PEER_COMMANDS = ["GetSystemInventory", "GetNicInventory", "GetBootOrder"]


def ensure_peer_venv():
    """The peer's ansible-playbook; the virtualenv is made (or refreshed) when the pin changed."""
    stamp = PEER_VENV / ".requirements"
    wanted = REQUIREMENTS.read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"making {PEER_VENV.name} from {REQUIREMENTS.name} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(wanted)
    return PEER_VENV / "bin" / "ansible-playbook"


def peer_playbook(folder):
    task = {"community.general.redfish_info": {
        "category": ["Systems"], "command": PEER_COMMANDS,
        # redfish_info takes host:port and adds https:// itself
        "baseuri": "{{ sanboot_bmc_baseuri | regex_replace('^https://', '') }}",
        "username": "{{ sanboot_bmc_username }}", "password": "{{ sanboot_bmc_password }}",
        "validate_certs": True, "ca_path": "{{ sanboot_bmc_ca_path }}"}}
    return _write(folder / "peer_redfish_info.yml", task)


def bmc_info_playbook(folder):
    task = {"vmw.sanboot.bmc_info": {
        "baseuri": "{{ sanboot_bmc_baseuri }}", "username": "{{ sanboot_bmc_username }}",
        "password": "{{ sanboot_bmc_password }}", "ca_path": "{{ sanboot_bmc_ca_path }}"}}
    return _write(folder / "our_bmc_info.yml", task)


def _write(path, task):
    play = [{"name": "Read every BMC", "hosts": "esxi_hosts", "gather_facts": False,
             "tasks": [{"name": "Read", **task, "no_log": True}]}]
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    return path
