"""`make demo`: start the embedded lab fleet, run the rollout playbook on it, write the report,
print where it is, stop the fleet. `SAN=tgt make demo` serves the same fleet with the real
userspace iSCSI target (tgtd) and real libiscsi logins instead of the in-process SAN model.

The lab state (CA, BMC state, backups, report) goes to .state/demo, made anew on every run."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATE = ROOT / ".state" / "demo"
VAULT_PASSWORD = ROOT / "inventories" / "lab" / "vault-password.DEMO-ONLY.txt"


def start_fleet():
    shutil.rmtree(STATE, ignore_errors=True)
    STATE.mkdir(parents=True)
    ready = STATE / "ready.json"
    fleet = ROOT / "inventories/lab/fleet.yml"
    if os.environ.get("SAN") == "tgt":
        document = yaml.safe_load(fleet.read_text())
        document["san"]["backend"] = "tgt"
        fleet = STATE / "fleet-tgt.yml"
        fleet.write_text(yaml.safe_dump(document, sort_keys=False))
    process = subprocess.Popen([str(BIN / "sanboot-mockup"), "serve", "--fleet", str(fleet),
                                "--state-dir", str(STATE / "lab"), "--ready-file", str(ready), "--log-level", "WARNING"])
    deadline = time.monotonic() + 60
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the lab fleet did not start (is `make lab` already running?)")
        time.sleep(0.1)
    document = json.loads(ready.read_text())
    print(f"lab fleet: {len(document['bmcs'])} BMCs, SAN backend {document['san']}, CA {STATE / 'lab' / 'ca.pem'}")
    return process


def playbook(name, *extra):
    env = {**os.environ, "SANBOOT_LAB_STATE_DIR": str(STATE / "lab"), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}
    command = [str(BIN / "ansible-playbook"), f"vmw.sanboot.{name}", "--vault-password-file", str(VAULT_PASSWORD),
               "-e", f"sanboot_backup_dir={STATE / 'backups'}", *extra]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def print_summary(path):
    if not path.exists():
        return
    print(f"{'host':8} {'configured':10} {'resets':6} {'vendor / dialect':28} {'booted from':46} {'evidence':12} {'boot time':>9}")
    for host, outcome in json.loads(path.read_text()).items():
        if not outcome:
            print(f"{host:8} FAILED (see the play's output above)")
            continue
        seconds = outcome.get("boot_seconds")
        dialect = f"{outcome.get('vendor') or '?'} / {outcome.get('dialect') or '?'}"
        print(f"{host:8} {str(outcome['configured']).lower():10} {outcome.get('resets', 0):<6} {dialect:28} "
              f"{outcome.get('booted_from') or '-':46} {outcome.get('evidence') or '-':12} "
              f"{f'{float(seconds):.1f} s' if seconds else '-':>9}"
              + ("  iscsi values: not managed here" if outcome.get("iscsi_values") == "not managed here" else "")
              + ("  UNVERIFIED: " + str(outcome.get("why")) if outcome.get("outcome") == "unverified" else ""))


def main():
    process = start_fleet()
    try:
        started = time.monotonic()
        rollout = playbook("rollout", "-e", f"sanboot_summary_file={STATE / 'summary.json'}")
        report = playbook("report", "-e", f"sanboot_report_dir={STATE / 'report'}")
        print(f"\nrollout {'succeeded' if rollout == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
        print_summary(STATE / "summary.json")
        print(f"report: {STATE / 'report' / 'sanboot-report.md'}, sanboot-report.json and sanboot-report.html")
        print(f"before-state backups: {STATE / 'backups'}")
        return rollout or report
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


if __name__ == "__main__":
    sys.exit(main())
