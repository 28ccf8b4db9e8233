"""A generated fleet of N BMCs of one or several personalities, served by one mockup process, with the
Ansible inventory that reads the same fleet file (the repository's sanboot_fleet plugin), as
tests/e2e builds its lab. Used by the chaos suite (tests/e2e/test_chaos*.py) and the benchmarks.

Addresses: BMCs on 127.0.<bmc_net>.x and up, hosts' own addresses on 127.0.<host_net>.x and up (250 per
/24; the lab is 127.0.10.x), one free port for all BMCs and one for all hosts. Secrets are generated per
run and written only into the temp dir (mode 0600), never printed."""
import itertools
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

from support.mockup import NIC_IDS, PORT_IDS, MockupProcess, free_port

PER_RANGE = 250          # hosts per /24 of loopback addresses
# Simulated hardware seconds, far below the lab's demo speed (the playbooks' logic is the same).
FAST_TIMING = {"post_state": 0.05, "iscsi_login": 0.05, "os_boot": 0.2, "install": 0.3,
               "graceful_shutdown": 0.1, "settings_task": 0.1, "option_timeout": 0.05}


def address(net, index):
    return f"127.0.{net + index // PER_RANGE}.{index % PER_RANGE + 1}"


def host_name(index):
    return f"esxi{index + 1:03d}"


def initiator_address(index):
    # 198.18.0.0/15 is the benchmarking range (RFC 2544): never a real network
    return f"198.18.{index // PER_RANGE}.{index % PER_RANGE + 1}"


def make_bmc(index, personality, bmc_port, host_port, nets):
    first, second = PORT_IDS[personality]
    mac = f"02:00:60:{index >> 8 & 0xFF:02X}:{index & 0xFF:02X}"
    return {"name": host_name(index), "address": address(nets[0], index), "port": bmc_port,
            "personality": personality, "host_address": address(nets[1], index), "host_port": host_port,
            "nics": [{"id": NIC_IDS.get(personality, "NIC.Slot.1"), "ports": [
                {"id": first, "mac": f"{mac}:01", "pci": "3b:00.0"},
                {"id": second, "mac": f"{mac}:02", "pci": "3b:00.1", "iscsi": False}]}]}


def make_target(index, secret):
    name = host_name(index)
    return {"iqn": f"iqn.2024-01.org.example.san:{name}", "portal": "127.0.0.1:3260",
            "luns": [{"id": 1, "content": "esxi"}], "acl": [f"iqn.1998-01.com.vmware:{name}"],
            "chap": {"username": name, "secret": secret}}


def option_rom(index, target):
    """Supermicro sets iSCSI in the NIC's option ROM, not over Redfish: the fleet holds the values."""
    return [{"nic": NIC_IDS["supermicro-x13"], "port": PORT_IDS["supermicro-x13"][0],
             "initiator_name": target["acl"][0], "initiator_address": initiator_address(index),
             "initiator_netmask": "255.255.255.0", "target_name": target["iqn"], "target_address": "127.0.0.1",
             "lun": 1, "chap": dict(target["chap"])}]


def make_fleet(count, personalities, timing, nets, session_timeout=None):
    """(fleet document, secrets): installed LUNs, one target with CHAP per host, `personalities` in turn."""
    if not 1 <= count <= PER_RANGE * (nets[1] - nets[0]):
        raise ValueError(f"hosts must be 1..{PER_RANGE * (nets[1] - nets[0])}")
    bmc_port, host_port = free_port(), free_port()
    # iLO 6's NIC path takes a CHAP secret of 12 or 16 characters: 16 suits every personality
    chap = {host_name(i): secrets.token_hex(8) for i in range(count)}
    password = secrets.token_urlsafe(12)
    bmcs, targets = [], []
    for index, personality in zip(range(count), itertools.cycle(personalities)):
        bmc, target = make_bmc(index, personality, bmc_port, host_port, nets), make_target(index, chap[host_name(index)])
        if personality == "supermicro-x13":
            bmc["option_rom_iscsi"] = option_rom(index, target)
        bmcs.append(bmc)
        targets.append(target)
    defaults = {"username": "admin", "password": password, "timing": timing}
    if session_timeout:
        defaults["session_timeout"] = session_timeout
    fleet = {"defaults": defaults, "bmcs": bmcs,
             "san": {"backend": "model", "portals": ["127.0.0.1:3260"], "targets": targets}}
    return fleet, {"vault_sanboot_bmc_password": password, "vault_sanboot_chap_secrets": chap}


def group_vars(folder, poll_interval, graceful_timeout, boot_timeout=300):
    """The lab's group_vars (inventories/lab/group_vars/all/main.yml) with the given waits."""
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "sanboot_bmc_password": "{{ vault_sanboot_bmc_password }}",
        "sanboot_initiator_address": "198.18.{{ ((inventory_hostname[4:] | int) - 1) // %d }}."
                                     "{{ ((inventory_hostname[4:] | int) - 1) %% %d + 1 }}" % (PER_RANGE, PER_RANGE),
        "sanboot_initiator_netmask": "255.255.255.0",
        "sanboot_chap_secret": "{{ vault_sanboot_chap_secrets[inventory_hostname] | default(omit) }}",
        "sanboot_boot_timeout": boot_timeout,
        "sanboot_poll_interval": poll_interval,
        "sanboot_graceful_timeout": graceful_timeout,
        "sanboot_backup_dir": str(Path(folder) / "backups"),
    }


class GeneratedLab:
    """The generated fleet, its inventory folder and the mockup process serving it."""

    def __init__(self, folder, count, personalities, timing, waits, nets, session_timeout=None):
        self.folder = Path(folder)
        self.timing = timing
        self.fleet, self._secrets = make_fleet(count, personalities, timing, nets, session_timeout)
        self.hosts = [bmc["name"] for bmc in self.fleet["bmcs"]]
        self.inventory = self.folder / "inventory"
        (self.inventory / "group_vars" / "all").mkdir(parents=True)
        (self.inventory / "fleet.yml").write_text(yaml.safe_dump(self.fleet, sort_keys=False))
        (self.inventory / "hosts.sanboot_fleet.yml").write_text(yaml.safe_dump(
            {"plugin": "sanboot_fleet", "fleet_file": "fleet.yml", "state_dir": "../mockup/state"}))
        (self.inventory / "group_vars" / "all" / "main.yml").write_text(yaml.safe_dump(group_vars(self.folder, **waits)))
        self.write_secrets(self._secrets)
        self.mockup = None

    def write_secrets(self, values):
        """The inventory's secrets (a plain file, mode 0600, in the temp dir: the vault stands for it)."""
        self._secrets = values
        vault = self.inventory / "group_vars" / "all" / "secrets.yml"
        vault.touch(mode=0o600)
        vault.write_text(yaml.safe_dump(values))

    def host_vars(self, values):
        """Write host_vars/<host>.yml for each host of `values` ({host: {variable: value}})."""
        folder = self.inventory / "host_vars"
        folder.mkdir(exist_ok=True)
        for host, variables in values.items():
            (folder / f"{host}.yml").write_text(yaml.safe_dump(variables))

    def fleet_secrets(self):
        """The inventory's secrets as the fleet was generated (the right ones)."""
        return {"vault_sanboot_bmc_password": self.fleet["defaults"]["password"],
                "vault_sanboot_chap_secrets": {t["acl"][0].rsplit(":", 1)[1]: t["chap"]["secret"]
                                               for t in self.fleet["san"]["targets"]}}

    def personality(self, host):
        return next(b for b in self.fleet["bmcs"] if b["name"] == host)["personality"]

    def target(self, host):
        return next(t for t in self.fleet["san"]["targets"] if t["iqn"].endswith(f":{host}"))

    def secrets(self):
        """Every secret of the fleet (and of the inventory), to check that no output carries one."""
        found = {self.fleet["defaults"]["password"], *(t["chap"]["secret"] for t in self.fleet["san"]["targets"])}
        return found | {self._secrets["vault_sanboot_bmc_password"], *self._secrets["vault_sanboot_chap_secrets"].values()}

    def start(self):
        self.mockup = MockupProcess(self.fleet, self.folder / "mockup").start(timeout=120)
        return self

    def stop(self, interrupted=False):
        if self.mockup is None:
            return
        mockup, self.mockup = self.mockup, None
        if interrupted and mockup.process:
            try:  # Ctrl-C reached the mockup too: let it finish its own clean stop first
                mockup.process.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:
            mockup.stop()
        except AssertionError as exc:
            print(f"warning: {exc}", file=sys.stderr)

    def bmc(self, host):
        return self.mockup.bmc(host)

    def reset_stats(self):
        for host in self.hosts:
            assert self.bmc(host).delete("/mockup/stats").status_code == 204, host

    def boot_marks(self):
        """{host: id of the newest boot}: boots after this mark belong to the next run."""
        return {host: self.bmc(host).boot_count() for host in self.hosts}

    def stats(self):
        return {host: self.bmc(host).stats() for host in self.hosts}

    def boots_since(self, marks):
        """{host: [boot entries after the mark]} from each BMC's boot history."""
        return {host: [b for b in self.bmc(host).admin("boot-history")["boots"] if b["id"] > marks[host]]
                for host in self.hosts}
