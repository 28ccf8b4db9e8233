"""The benchmark's fleet: N generated BMCs of one personality served by one mockup process, and the
Ansible inventory that reads the same fleet file (tests/support/generated_fleet.py builds both).

Addresses: BMCs on 127.0.70.x-127.0.73.x, hosts' own addresses on 127.0.74.x-127.0.77.x (no test
binds these ranges; the lab is 127.0.10.x, the chaos suite 127.0.30.x-127.0.37.x)."""
import datetime
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.generated_fleet import PER_RANGE, GeneratedLab  # noqa: E402

LAB_FLEET = ROOT / "inventories" / "lab" / "fleet.yml"
BMC_NET, HOST_NET = 70, 74
MAX_HOSTS = PER_RANGE * (HOST_NET - BMC_NET)


def lab_timing():
    """The lab's simulated hardware seconds (inventories/lab/fleet.yml defaults.timing)."""
    return dict(yaml.safe_load(LAB_FLEET.read_text())["defaults"]["timing"])


class BenchLab(GeneratedLab):
    """The generated fleet of --hosts BMCs of --personality, at the lab's timing and the benchmark's waits."""

    def __init__(self, folder, options):
        if not 1 <= options.hosts <= MAX_HOSTS:
            raise SystemExit(f"--hosts must be 1..{MAX_HOSTS}")
        super().__init__(folder, options.hosts, [options.personality], lab_timing(),
                         {"poll_interval": options.poll_interval, "graceful_timeout": options.graceful_timeout},
                         (BMC_NET, HOST_NET))

    def start(self, latency_ms=0, jitter_ms=0):
        super().start()
        if latency_ms or jitter_ms:
            for host in self.hosts:
                self.bmc(host).fault("latency", ms=latency_ms, jitter_ms=jitter_ms)
        return self

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
