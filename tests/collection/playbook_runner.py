"""Run the collection's modules for real: ansible-playbook against a mockup over HTTPS with its CA.

Every run is made at -vvv with python-redfish-library's DEBUG log on (SANBOOT_DEBUG_LOG), and all
of that output is kept so the secrets test can search it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from support.mockup import ROOT

COLLECTIONS = ROOT / "collections"
TRANSCRIPTS = []  # (name, text) of every run's output and debug log, for the secrets test


class PlaybookRun:
    def __init__(self, result, output, returncode, debug_log):
        self.result, self.output, self.returncode, self.debug_log = result, output, returncode, debug_log

    @property
    def failed(self):
        return bool(self.result.get("failed"))


class Ansible:
    """Runs one module task in a generated playbook and returns its registered result."""

    def __init__(self, mockup, folder):
        self.mockup, self.folder = mockup, Path(folder)
        self.count = 0

    def connection(self, bmc="esxi01", **overrides):
        client = self.mockup.bmc(bmc)
        args = {"baseuri": client.base, "username": client.auth[0], "password": client.auth[1],
                "ca_path": self.mockup.ca_file}
        args.update(overrides)
        return {k: v for k, v in args.items() if v is not None}

    def run(self, module, args, bmc="esxi01", check=False, diff=False, connection=None, verbosity="-vvv"):
        self.count += 1
        folder = self.folder / f"run{self.count:02d}"
        folder.mkdir(parents=True)
        out, debug_log = folder / "result.json", folder / "redfish-debug.log"
        task_args = dict(connection if connection is not None else self.connection(bmc))
        task_args.update(args)
        playbook = [{
            "name": "module under test", "hosts": "localhost", "connection": "local", "gather_facts": False,
            "tasks": [
                {"name": "run", f"vmw.sanboot.{module}": task_args, "register": "r", "ignore_errors": True,
                 "environment": {"SANBOOT_DEBUG_LOG": str(debug_log)}},
                {"name": "save", "ansible.builtin.copy": {"content": "{{ r | to_nice_json }}", "dest": str(out)},
                 "check_mode": False, "diff": False},
            ]}]
        path = folder / "playbook.yml"
        path.write_text(yaml.safe_dump(playbook, sort_keys=False))
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path)]
        command += [verbosity] if verbosity else []
        command += ["--check"] if check else []
        command += ["--diff"] if diff else []
        env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
               "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_HOME": str(folder / "home")}
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=folder)
        output = proc.stdout + proc.stderr
        debug = debug_log.read_text() if debug_log.exists() else ""
        TRANSCRIPTS.append((f"{module} run{self.count:02d} output", output))
        TRANSCRIPTS.append((f"{module} run{self.count:02d} redfish debug log", debug))
        assert out.exists(), output[-4000:]
        return PlaybookRun(json.loads(out.read_text()), output, proc.returncode, debug)


