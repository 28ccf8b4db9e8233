"""Run one collection module through real ansible-playbook against any Redfish endpoint (here: a
recorded BMC served by support.capture_server), mirroring tests/collection/playbook_runner.py
without its mockup-specific parts."""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from support.mockup import ROOT

COLLECTIONS = ROOT / "collections"


def run_module(module, args, folder):
    """Returns (registered result, ansible-playbook output). The task never stops the play
    (ignore_errors), so a failed module still gives its result."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out, debug_log = folder / "result.json", folder / "redfish-debug.log"
    playbook = [{
        "name": "module under test", "hosts": "localhost", "connection": "local", "gather_facts": False,
        "tasks": [
            {"name": "run", f"vmw.sanboot.{module}": args, "register": "r", "ignore_errors": True,
             "environment": {"SANBOOT_DEBUG_LOG": str(debug_log)}},
            {"name": "save", "ansible.builtin.copy": {"content": "{{ r | to_nice_json }}", "dest": str(out)}},
        ]}]
    path = folder / "playbook.yml"
    path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path), "-vvv"]
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
           "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_HOME": str(folder / "home")}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=folder)
    output = proc.stdout + proc.stderr
    assert out.exists(), output[-4000:]
    return json.loads(out.read_text()), output
