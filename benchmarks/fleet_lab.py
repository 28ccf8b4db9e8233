"""The benchmark's fleet: N generated BMCs served by one mockup process, and the Ansible inventory
that reads the same fleet file (the repository's sanboot_fleet plugin), as tests/e2e builds its lab.

Addresses: BMCs on 127.0.70.x-127.0.73.x, hosts' own addresses on 127.0.74.x-127.0.77.x (no test
binds these ranges; the lab is 127.0.10.x), one free port for all BMCs and one for all hosts.
Secrets are generated per run and written only into the temp dir (mode 0600), never printed."""
import datetime
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.mockup import NIC_IDS, PORT_IDS, MockupProcess, free_port  # noqa: E402

LAB_FLEET = ROOT / "inventories" / "lab" / "fleet.yml"
PER_RANGE = 250          # hosts per /24 of loopback addresses
BMC_NET, HOST_NET = 70, 74
MAX_HOSTS = PER_RANGE * (HOST_NET - BMC_NET)


def lab_timing():
    """The lab's simulated hardware seconds (inventories/lab/fleet.yml defaults.timing)."""
    return dict(yaml.safe_load(LAB_FLEET.read_text())["defaults"]["timing"])


def address(net, index):
    return f"127.0.{net + index // PER_RANGE}.{index % PER_RANGE + 1}"


def host_name(index):
    return f"esxi{index + 1:03d}"


def initiator_address(index):
    # 198.18.0.0/15 is the benchmarking range (RFC 2544): never a real network
    return f"198.18.{index // PER_RANGE}.{index % PER_RANGE + 1}"


def make_bmc(index, personality, bmc_port, host_port):
    first, second = PORT_IDS[personality]
    mac = f"02:00:60:{index >> 8 & 0xFF:02X}:{index & 0xFF:02X}"
    return {"name": host_name(index), "address": address(BMC_NET, index), "port": bmc_port,
            "personality": personality, "host_address": address(HOST_NET, index), "host_port": host_port,
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


def make_fleet(count, personality, timing):
    """(fleet document, secrets): installed LUNs, one target with CHAP per host, lab timing."""
    if not 1 <= count <= MAX_HOSTS:
        raise SystemExit(f"--hosts must be 1..{MAX_HOSTS}")
    bmc_port, host_port = free_port(), free_port()
    # iLO 6's NIC path takes a CHAP secret of 12 or 16 characters: 16 suits every personality
    chap = {host_name(i): secrets.token_hex(8) for i in range(count)}
    password = secrets.token_urlsafe(12)
    bmcs, targets = [], []
    for index in range(count):
        bmc, target = make_bmc(index, personality, bmc_port, host_port), make_target(index, chap[host_name(index)])
        if personality == "supermicro-x13":
            bmc["option_rom_iscsi"] = option_rom(index, target)
        bmcs.append(bmc)
        targets.append(target)
    fleet = {"defaults": {"username": "admin", "password": password, "timing": timing},
             "bmcs": bmcs, "san": {"backend": "model", "portals": ["127.0.0.1:3260"], "targets": targets}}
    return fleet, {"vault_sanboot_bmc_password": password, "vault_sanboot_chap_secrets": chap}


def group_vars(folder, options):
    """The lab's group_vars (inventories/lab/group_vars/all/main.yml) with the benchmark's waits."""
    return {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "sanboot_bmc_password": "{{ vault_sanboot_bmc_password }}",
        "sanboot_initiator_address": "198.18.{{ ((inventory_hostname[4:] | int) - 1) // %d }}."
                                     "{{ ((inventory_hostname[4:] | int) - 1) %% %d + 1 }}" % (PER_RANGE, PER_RANGE),
        "sanboot_initiator_netmask": "255.255.255.0",
        "sanboot_chap_secret": "{{ vault_sanboot_chap_secrets[inventory_hostname] | default(omit) }}",
        "sanboot_boot_timeout": 300,
        "sanboot_poll_interval": options.poll_interval,
        "sanboot_graceful_timeout": options.graceful_timeout,
        "sanboot_backup_dir": str(folder / "backups"),
    }


class BenchLab:
    """The generated fleet, its inventory folder and the mockup process serving it."""

    def __init__(self, folder, options):
        self.folder = Path(folder)
        self.timing = lab_timing()
        self.fleet, self._secrets = make_fleet(options.hosts, options.personality, self.timing)
        self.hosts = [bmc["name"] for bmc in self.fleet["bmcs"]]
        self.inventory = self.folder / "inventory"
        self._write_inventory(options)
        self.mockup = None

    def _write_inventory(self, options):
        (self.inventory / "group_vars" / "all").mkdir(parents=True)
        (self.inventory / "fleet.yml").write_text(yaml.safe_dump(self.fleet, sort_keys=False))
        (self.inventory / "hosts.sanboot_fleet.yml").write_text(yaml.safe_dump(
            {"plugin": "sanboot_fleet", "fleet_file": "fleet.yml", "state_dir": "../mockup/state"}))
        (self.inventory / "group_vars" / "all" / "main.yml").write_text(yaml.safe_dump(group_vars(self.folder, options)))
        vault = self.inventory / "group_vars" / "all" / "secrets.yml"
        vault.touch(mode=0o600)
        vault.write_text(yaml.safe_dump(self._secrets))

    def secrets(self):
        """Every secret of the fleet, to check that no output carries one."""
        return {self._secrets["vault_sanboot_bmc_password"], *self._secrets["vault_sanboot_chap_secrets"].values()}

    def start(self, latency_ms=0, jitter_ms=0):
        self.mockup = MockupProcess(self.fleet, self.folder / "mockup").start(timeout=120)
        if latency_ms or jitter_ms:
            for host in self.hosts:
                self.bmc(host).fault("latency", ms=latency_ms, jitter_ms=jitter_ms)
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

    def first_boot_order_length(self):
        """How many boot options the first host lists before any rollout (tried before a new one)."""
        client = self.bmc(self.hosts[0])
        return len(client.json(client.system)["Boot"].get("BootOrder") or [])

    def advertises_expand(self):
        root = self.bmc(self.hosts[0]).json("/redfish/v1")
        expand = (root.get("ProtocolFeaturesSupported") or {}).get("ExpandQuery") or {}
        return bool(expand.get("Levels") and (expand.get("ExpandAll") or expand.get("NoLinks")))


def boot_seconds(boot):
    """Seconds from the reset to the boot's end, from one boot-history entry."""
    if not boot.get("finished"):
        return None
    started, finished = (datetime.datetime.fromisoformat(boot[k].replace("Z", "+00:00")) for k in ("started", "finished"))
    return (finished - started).total_seconds()
