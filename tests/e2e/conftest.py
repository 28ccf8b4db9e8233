"""End to end: the real `ansible-playbook vmw.sanboot.<playbook>` against the lab fleet served by
the mockup, through the lab inventory (the repository's sanboot_fleet inventory plugin, the lab's
group_vars and its vault).

Every test gets its own lab (the `lab` fixture): a copy of inventories/lab/fleet.yml with faster
simulated hardware, written with a copy of the inventory folder into tmp_path, and a mockup
process serving it. The lab fleet binds 127.0.10.1-10:8443, so one lab at a time: the fixture stops
its mockup before the next test starts. After every playbook run no BMC may keep a live session,
and no secret of the fleet (BMC password, CHAP secrets) may appear in the play's output.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sanboot_mockup.ibft import CHAP_MUTUAL, CHAP_NONE, CHAP_ONE_WAY, parse_ibft
from support.ansible_run import PlaybookRun
from support.generated_fleet import FAST_TIMING
from support.mockup import ROOT, MockupProcess

sys.path.insert(0, str(ROOT / "plugins" / "inventory"))
from sanboot_fleet import boot_port  # noqa: E402  (the lab inventory's own rule, not a copy of it)

LAB = ROOT / "inventories" / "lab"
PLAYBOOK_TIMEOUT = 600
# Polls and the graceful-to-forced fallback at the same speed (the lab hosts start with no OS
# running, so the first GracefulRestart of a rollout always falls back to ForceRestart).
FAST_VARS = ["-e", "sanboot_poll_interval=0.2", "-e", "sanboot_graceful_timeout=1"]



def lab_fleet():
    """The lab fleet file as committed, with fast timings."""
    fleet = yaml.safe_load((LAB / "fleet.yml").read_text())
    fleet["defaults"]["timing"] = dict(FAST_TIMING)
    return fleet


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
        self.wait_for_free_endpoints()
        self.mockup = MockupProcess(self.fleet, self.mockup_folder).start()
        return self

    def wait_for_free_endpoints(self, timeout=120):
        """The lab's endpoints are fixed: wait (a little) while another lab on this machine, e.g. a
        `make lab` or `make demo`, still listens there, rather than fail on a bind error."""
        defaults = self.fleet.get("defaults") or {}
        endpoints = [(b["address"], b.get("port", defaults.get("port", 8443))) for b in self.fleet["bmcs"]]
        deadline = time.monotonic() + timeout
        while True:
            busy = []
            for endpoint in endpoints:
                try:
                    socket.create_connection(endpoint, timeout=0.5).close()
                    busy.append(endpoint)
                except OSError:
                    pass
            if not busy or time.monotonic() > deadline:
                return busy
            time.sleep(1)

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

    def system_uri(self, host):
        """The host's ComputerSystem, found from the service root as a client would (ids differ by personality)."""
        client = self.bmc(host)
        systems = client.json("/redfish/v1")["Systems"]["@odata.id"]
        return client.json(systems)["Members"][0]["@odata.id"]

    def boot_order(self, host):
        return self.bmc(host).json(self.system_uri(host))["Boot"]["BootOrder"]

    def disabled_options(self, host):
        """The BootOptionReferences the host's BMC lists with BootOptionEnabled false."""
        client = self.bmc(host)
        collection = client.json(self.system_uri(host))["Boot"]["BootOptions"]["@odata.id"]
        options = [client.json(m["@odata.id"]) for m in client.json(collection)["Members"]]
        return [o.get("BootOptionReference") or o["Id"] for o in options if o.get("BootOptionEnabled") is False]

    @staticmethod
    def resets(stats):
        """Reset actions a BMC answered, whatever its system's URI."""
        return sum(n for path, n in stats["by_path"].items()
                   if path.startswith("POST ") and path.endswith("/Actions/ComputerSystem.Reset"))

    def virtual_cd(self, host):
        """The host's virtual CD, found through links: the system's VirtualMedia, else (iLO) its manager's."""
        client = self.bmc(host)
        system = client.json(self.system_uri(host))
        holder = system if "VirtualMedia" in system else client.json(system["Links"]["ManagedBy"][0]["@odata.id"])
        collection = client.json(holder["VirtualMedia"]["@odata.id"])
        slots = [client.json(member["@odata.id"]) for member in collection["Members"]]
        return next(s for s in slots if {"CD", "DVD"} & set(s.get("MediaTypes") or []))

    def jobs_created(self, host):
        """Configuration jobs the BMC created since the stats were last reset (Dell; 0 elsewhere)."""
        return self.bmc(host).stats().get("jobs_created", 0)

    def personality(self, host):
        return next(b for b in self.fleet["bmcs"] if b["name"] == host).get("personality", "dmtf")

    def secrets(self):
        """Every secret of the fleet: the BMC password and each target's CHAP secrets."""
        found = {self.fleet["defaults"]["password"]}
        for target in self.fleet["san"]["targets"]:
            for key in ("chap", "mutual_chap"):
                if target.get(key):
                    found.add(target[key]["secret"])
        return found

    # -- what a host should look like ----------------------------------------------------------
    def expected(self, host):
        """What the lab inventory asks of `host`, worked out here from the fleet file and the lab's
        group_vars rules (not through the inventory plugin)."""
        bmc = next(b for b in self.fleet["bmcs"] if b["name"] == host)
        personality = bmc.get("personality", "dmtf")
        dell, hpe, lenovo = personality.startswith("idrac"), personality.startswith("ilo"), personality.startswith("xcc")
        supermicro = personality.startswith("supermicro")
        port = boot_port(dict(self.fleet.get("defaults") or {}, **bmc))
        initiator = f"iqn.1998-01.com.vmware:{host}"
        target = next(t for t in self.fleet["san"]["targets"] if initiator in t["acl"])
        address, _, tcp = target["portal"].rpartition(":")
        return {"initiator": initiator, "ip": f"192.0.2.{10 + int(host[-2:])}", "prefix": 24, "gateway": "192.0.2.1",
                "mac": port["mac"].lower(), "target": target["iqn"], "target_ip": address, "target_port": int(tcp),
                "lun": target["luns"][0]["id"], "chap": target.get("chap"), "mutual_chap": target.get("mutual_chap"),
                "vendor": "Dell" if dell else bmc.get("manufacturer", "Contoso"), "model": bmc.get("model"),
                # the lab inventory runs a host whose NIC option ROM holds its iSCSI values with
                # sanboot_configure_iscsi false: the role neither writes nor (Supermicro) can read them
                "managed": not bmc.get("option_rom_iscsi"),
                # Dell, HPE, Lenovo and Supermicro name the iSCSI option after the device, not the
                # target (docs/personalities.md); Lenovo's is the Network class, its device entry first
                "boot_option": "ISCSI Device 1: " if dell else "(iSCSI IPv4)" if hpe else
                               "Network: UEFI:   SLOT1 (31/0/0) iSCSI  " if lenovo else
                               "UEFI iSCSI IPv4" if supermicro else f"iSCSI {target['iqn']} LUN {target['luns'][0]['id']}",
                # the evidence of the boot in the summary: Supermicro's BootProgress proves no OS
                "evidence": "post+network" if supermicro else "bmc+network",
                # iDRAC9 before 7.x has no BootProgress; iLO 5 shows PostState, XCC SystemStatus; X13 stops at POST
                "boot_state": "BootingOSOrInUndetectedOS" if personality == "xcc" else "FinishedPost" if personality == "ilo5" else
                              "SystemHardwareInitializationComplete" if supermicro else
                              "unknown" if (personality == "idrac9" and int(str(bmc.get("firmware", "6")).split(".")[0]) < 7)
                              else "OSRunning"}

    def assert_ibft_matches(self, host):
        """The iBFT of the host's last boot (raw bytes, parsed) carries exactly its inventory values."""
        want = self.expected(host)
        table = parse_ibft(self.bmc(host).admin("ibft"))
        assert table.initiator.name == want["initiator"], host
        assert len(table.nics) == 1 and len(table.targets) == 1, (host, table)
        nic, target = table.nics[0], table.targets[0]
        assert nic.ip == want["ip"], (host, nic)
        assert nic.prefix_length == want["prefix"], (host, nic)
        assert nic.gateway == want["gateway"], (host, nic)
        assert nic.mac == want["mac"], (host, nic)
        assert nic.vlan == 0, (host, nic)
        assert target.target_name == want["target"], (host, target)
        assert target.ip == want["target_ip"], (host, target)
        assert target.port == want["target_port"], (host, target)
        assert target.lun == want["lun"], (host, target)
        assert target.nic_index == 0, (host, target)
        chap, mutual = want["chap"], want["mutual_chap"]
        assert target.chap_type == (CHAP_MUTUAL if mutual else CHAP_ONE_WAY if chap else CHAP_NONE), (host, target)
        assert target.chap_name == (chap["username"] if chap else None), (host, target)
        assert target.chap_secret == (chap["secret"] if chap else None), host
        assert target.reverse_chap_name == (mutual["username"] if mutual else None), (host, target)
        assert target.reverse_chap_secret == (mutual["secret"] if mutual else None), host
        return table

    def assert_booted_from_lun(self, host):
        """ESXi runs, booted through the host's iSCSI option, which is first in the boot order."""
        want = self.expected(host)
        history = self.bmc(host).admin("boot-history")
        assert history["power"] == "On", (host, history["power"])
        assert history["progress"]["LastState"] == "OSRunning", (host, history["progress"])
        booted = history["booted_from"] or {}
        assert (booted.get("target"), booted.get("lun")) == (want["target"], want["lun"]), (host, booted)
        if self.personality(host).startswith("xcc"):
            # Lenovo's options are classes: the Network class first, the port's iSCSI entry first inside it
            client = self.bmc(host)
            first = client.json(f"{self.system_uri(host)}/BootOptions/{self.boot_order(host)[0]}")
            network = client.json(f"{self.system_uri(host)}/Oem/Lenovo/BootSettings/BootOrder.NetworkBootOrder")
            assert first["DisplayName"] == "Network", (host, first)
            assert " iSCSI " in network["BootOrderCurrent"][0] and want["mac"].upper() in network["BootOrderCurrent"][0], \
                (host, network["BootOrderCurrent"])
        else:
            assert self.boot_order(host)[0] == booted["option"], (host, booted)
        return history

    # -- ansible-playbook ----------------------------------------------------------------------
    def playbook(self, name, *extra, fast=True, then=()):
        """Run `ansible-playbook vmw.sanboot.<name>` (and the playbooks named in `then`, in the same run) on
        this lab's inventory, as scripts/demo.py does; then check that no BMC keeps a live session."""
        command, env, home = self._playbook_command(name, extra, fast, then)
        proc = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=PLAYBOOK_TIMEOUT)
        home.mkdir(parents=True, exist_ok=True)
        (home / "output.txt").write_text(proc.stdout)
        run = PlaybookRun(command, proc.returncode, proc.stdout)
        self.assert_no_sessions(run)
        leaked = [secret for secret in self.secrets() if secret in run.output]
        assert not leaked, f"secrets in the play's output: {leaked}"
        return run

    def _playbook_command(self, name, extra, fast=True, then=()):
        self.runs += 1
        home = self.folder / f"ansible-{self.runs:02d}"
        env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
               "SANBOOT_LAB_STATE_DIR": str(self.mockup.state_dir), "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_HOME": str(home / "home"),
               "ANSIBLE_LOCAL_TEMP": str(home / "tmp")}
        command = [str(Path(sys.executable).parent / "ansible-playbook"), f"vmw.sanboot.{name}",
                   *(f"vmw.sanboot.{more}" for more in then),
                   "-i", str(self.inventory / "hosts.sanboot_fleet.yml"),
                   "--vault-password-file", str(self.inventory / "vault-password.DEMO-ONLY.txt"),
                   "-e", f"sanboot_backup_dir={self.backups}", *(FAST_VARS if fast else []), *extra]
        return command, env, home

    def start_playbook(self, name, *extra):
        """ansible-playbook vmw.sanboot.<name> started in its own process group (to be killed with it), its
        output going to a file: returns the Popen."""
        command, env, home = self._playbook_command(name, extra)
        home.mkdir(parents=True, exist_ok=True)
        with open(home / "output.txt", "w") as output:
            return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                    start_new_session=True)

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
def fleet():
    """A fresh copy of the lab fleet (fast timings), to modify before make_lab(fleet)."""
    return lab_fleet()


@pytest.fixture
def lab(make_lab):
    """The lab fleet as committed (installed LUNs), fast, freshly started."""
    return make_lab()
