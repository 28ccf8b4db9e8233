"""Run the collection's modules for real: ansible-playbook against a mockup over HTTPS with its CA.

Every run is made at -vvv with python-redfish-library's DEBUG log on (SANBOOT_DEBUG_LOG), and all
of that output is kept so the secrets test can search it. A test-only callback plugin
(callback_plugins/record_results.py) writes each task's result to a file: cheaper than a task
that saves it. Ansible's start-up is most of a run's cost, so independent runs can share one
ansible-playbook (`run_each`)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from support.mockup import ROOT

COLLECTIONS = ROOT / "collections"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
TRANSCRIPTS = []  # (name, text) of every run's output and debug log, for the secrets test


class PlaybookRun:
    def __init__(self, result, output, returncode, debug_log):
        self.result, self.output, self.returncode, self.debug_log = result, output, returncode, debug_log

    @property
    def failed(self):
        return bool(self.result.get("failed"))


class Ansible:
    """Runs module tasks in a generated playbook and returns their results."""

    def __init__(self, mockup, folder):
        self.mockup, self.folder = mockup, Path(folder)
        self.count = 0      # playbooks run
        self.tasks = 0      # module tasks run

    def connection(self, bmc="esxi01", **overrides):
        client = self.mockup.bmc(bmc)
        args = {"baseuri": client.base, "username": client.auth[0], "password": client.auth[1],
                "ca_path": self.mockup.ca_file}
        args.update(overrides)
        return {k: v for k, v in args.items() if v is not None}

    def run(self, module, args, bmc="esxi01", check=False, diff=False, connection=None, verbosity="-vvv"):
        """One module task, its own ansible-playbook run (--check / --diff on the command line)."""
        step = dict(module=module, args=args, bmc=bmc, connection=connection)
        flags = (["--check"] if check else []) + (["--diff"] if diff else [])
        return self._play([step], flags, verbosity)[0]

    def run_each(self, *steps, verbosity="-vvv"):
        """Several independent module tasks, in order, in one ansible-playbook run: each step is a dict
        of run()'s arguments (module, args, bmc, check, diff, connection); check and diff become task
        keywords. A failing task does not stop the next. Returns one PlaybookRun per step; their
        `output` is the whole playbook's."""
        return self._play(list(steps), [], verbosity)

    def _play(self, steps, flags, verbosity):
        self.count += 1
        folder = self.folder / f"run{self.count:02d}"
        folder.mkdir(parents=True)
        results = folder / "results.jsonl"
        tasks, debug_logs = [], []
        for index, step in enumerate(steps):
            self.tasks += 1
            debug_logs.append(folder / f"redfish-debug-{index}.log")
            connection = step.get("connection")
            task_args = dict(connection if connection is not None else self.connection(step.get("bmc", "esxi01")))
            task_args.update(step["args"])
            task = {"name": f"step {index}", f"vmw.sanboot.{step['module']}": task_args, "ignore_errors": True,
                    "environment": {"SANBOOT_DEBUG_LOG": str(debug_logs[-1])}}
            task.update({key: True for key in ("check_mode", "diff") if step.get(key.split("_")[0])})
            tasks.append(task)
        playbook = [{"name": "modules under test", "hosts": "localhost", "connection": "local",
                     "gather_facts": False, "tasks": tasks}]
        path = folder / "playbook.yml"
        path.write_text(yaml.safe_dump(playbook, sort_keys=False))
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path)]
        command += ([verbosity] if verbosity else []) + flags
        env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
               "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "record_results",
               "SANBOOT_TEST_RESULTS": str(results),
               "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_HOME": str(folder / "home")}
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=folder)
        output = proc.stdout + proc.stderr
        names = [step["module"] for step in steps]
        TRANSCRIPTS.append((f"{'+'.join(names)} run{self.count:02d} output", output))
        recorded = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
        by_task = {entry["task"]: entry["result"] for entry in recorded}
        runs = []
        for index, (name, log) in enumerate(zip(names, debug_logs)):
            debug = log.read_text() if log.exists() else ""
            TRANSCRIPTS.append((f"{name} run{self.count:02d} step {index} redfish debug log", debug))
            assert f"step {index}" in by_task, f"{name} (step {index}) left no result:\n{output[-4000:]}"
            runs.append(PlaybookRun(by_task[f"step {index}"], output, proc.returncode, debug))
        return runs
