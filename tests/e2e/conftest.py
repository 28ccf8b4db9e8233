"""End to end: the real `ansible-playbook vmw.sanboot.<playbook>` against the lab fleet served by
the mockup, through the lab inventory (the repository's sanboot_fleet inventory plugin, the lab's
group_vars and its vault).

Every test gets its own lab (the `lab` fixture): a copy of inventories/lab/fleet.yml with faster
simulated hardware, written with a copy of the inventory folder into tmp_path, and a mockup
process serving it. The lab fleet binds 127.0.10.1-6:8443, so one lab at a time: the fixture stops
its mockup before the next test starts. After every playbook run no BMC may keep a live session.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.mockup import ROOT, MockupProcess

LAB = ROOT / "inventories" / "lab"
PLAYBOOK_TIMEOUT = 600
# Simulated hardware seconds, far below the lab's demo speed (the playbooks' logic is the same).
FAST_TIMING = {"post_state": 0.05, "iscsi_login": 0.05, "os_boot": 0.2, "install": 0.3,
               "graceful_shutdown": 0.1, "settings_task": 0.1, "option_timeout": 0.05}
# Polls and the graceful-to-forced fallback at the same speed (the lab hosts start with no OS
# running, so the first GracefulRestart of a rollout always falls back to ForceRestart).
FAST_VARS = ["-e", "sanboot_poll_interval=0.2", "-e", "sanboot_graceful_timeout=1"]

RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
                   r"\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+rescued=(?P<rescued>\d+)"
                   r"\s+ignored=(?P<ignored>\d+)", re.MULTILINE)


def lab_fleet():
    """The lab fleet file as committed, with fast timings."""
    fleet = yaml.safe_load((LAB / "fleet.yml").read_text())
    fleet["defaults"]["timing"] = dict(FAST_TIMING)
    return fleet


def parse_recap(output):
    """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from the PLAY RECAP."""
    _, sep, tail = output.rpartition("PLAY RECAP")
    assert sep, "no PLAY RECAP in the output:\n" + output[-4000:]
    return {m["host"]: {k: int(v) for k, v in m.groupdict().items() if k != "host"} for m in RECAP.finditer(tail)}


class PlaybookRun:
    def __init__(self, command, returncode, output):
        self.command, self.returncode, self.output = command, returncode, output
        self.recap = parse_recap(output)

    def __repr__(self):
        return f"PlaybookRun(rc={self.returncode}, recap={self.recap})"

    def tail(self, chars=6000):
        return self.output[-chars:]


class Lab:
    """One lab: an inventory folder (copy of inventories/lab next to a possibly modified fleet.yml)
    and the mockup serving that fleet, its state in the same tmp folder."""

    def __init__(self, folder, fleet=None):
        self.folder = Path(folder)
        self.inventory = self.folder / "inventory"
        self.mockup_folder = self.folder / "mockup"
        self.backups = self.folder / "backups"
        self.runs = 0
        self.mockup = None
        self.inventory.mkdir(parents=True)
        shutil.copytree(LAB / "group_vars", self.inventory / "group_vars")
        for name in ("hosts.sanboot_fleet.yml", "vault-password.DEMO-ONLY.txt"):
            shutil.copy(LAB / name, self.inventory / name)
        self.write_fleet(fleet or lab_fleet())

    # -- the fleet and the mockup --------------------------------------------------------------
    def write_fleet(self, fleet):
        self.fleet = fleet
        (self.inventory / "fleet.yml").write_text(yaml.safe_dump(fleet, sort_keys=False))

    @property
    def hosts(self):
        return [bmc["name"] for bmc in self.fleet["bmcs"]]

    def start(self):
        assert self.mockup is None
        self.mockup = MockupProcess(self.fleet, self.mockup_folder).start()
        return self

    def stop(self):
        if self.mockup is not None:
            self.mockup.stop()
            self.mockup = None

    def restart(self, fleet=None):
        """Stop the mockup and serve `fleet` (default: the current one) from the same state
        directory; the inventory reads the same fleet file."""
        self.stop()
        if fleet is not None:
            self.write_fleet(fleet)
        (self.mockup_folder / "ready.json").unlink(missing_ok=True)
        return self.start()

    def bmc(self, name):
        return self.mockup.bmc(name)

    def reset_stats(self):
        for host in self.hosts:
            assert self.bmc(host).delete("/mockup/stats").status_code == 204

    def stats(self):
        return {host: self.bmc(host).stats() for host in self.hosts}

    def boot_order(self, host):
        return self.bmc(host).json("/redfish/v1/Systems/1")["Boot"]["BootOrder"]

    # -- ansible-playbook ----------------------------------------------------------------------
    def playbook(self, name, *extra, fast=True):
        """Run `ansible-playbook vmw.sanboot.<name>` on this lab's inventory, as scripts/demo.py
        does; then check that no BMC keeps a live session."""
        self.runs += 1
        home = self.folder / f"ansible-{self.runs:02d}"
        env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
               "SANBOOT_LAB_STATE_DIR": str(self.mockup.state_dir), "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_HOME": str(home / "home"),
               "ANSIBLE_LOCAL_TEMP": str(home / "tmp")}
        command = [str(Path(sys.executable).parent / "ansible-playbook"), f"vmw.sanboot.{name}",
                   "-i", str(self.inventory / "hosts.sanboot_fleet.yml"),
                   "--vault-password-file", str(self.inventory / "vault-password.DEMO-ONLY.txt"),
                   "-e", f"sanboot_backup_dir={self.backups}", *(FAST_VARS if fast else []), *extra]
        proc = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=PLAYBOOK_TIMEOUT)
        home.mkdir(parents=True, exist_ok=True)
        (home / "output.txt").write_text(proc.stdout)
        run = PlaybookRun(command, proc.returncode, proc.stdout)
        self.assert_no_sessions(run)
        return run

    def assert_no_sessions(self, run=None):
        live = {host: self.bmc(host).stats()["sessions"] for host in self.hosts}
        assert all(count == 0 for count in live.values()), (
            f"sessions left open after the run: {live}\n" + (run.tail() if run else ""))


@pytest.fixture
def make_lab(tmp_path):
    """make_lab(fleet=None) -> a started Lab; its mockup is stopped at teardown."""
    labs = []

    def make(fleet=None):
        assert not labs, "one lab per test: the lab fleet's addresses are fixed"
        lab = Lab(tmp_path / "lab", fleet)
        labs.append(lab)
        return lab.start()

    yield make
    for lab in labs:
        lab.stop()


@pytest.fixture
def lab(make_lab):
    """The lab fleet as committed (installed LUNs), fast, freshly started."""
    return make_lab()
