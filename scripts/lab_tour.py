"""`make demo` until the collection's rollout playbook takes over (issue 4): start the lab fleet,
configure each host's iSCSI boot through Redfish exactly as the collection will (SettingsObject
PATCH with OnReset, then a reset), wait until each host booted, print a summary, stop the fleet.

Plain HTTPS with the mockup's CA and a Redfish session per BMC, logged out at the end.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent


def start_fleet(fleet_file, state_dir):
    ready = Path(state_dir) / "ready.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "sanboot_mockup", "serve", "--fleet", str(fleet_file),
                                "--state-dir", str(state_dir), "--ready-file", str(ready), "--log-level", "WARNING"],
                               env=env)
    deadline = time.monotonic() + 30
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the lab fleet did not start")
        time.sleep(0.1)
    return process, json.loads(ready.read_text())


class Bmc:
    def __init__(self, entry):
        self.name, self.base = entry["name"], entry["base_uri"]
        self.http = requests.Session()
        self.http.trust_env = False  # trust exactly the mockup's CA, whatever the environment says
        self.verify = entry["ca_file"]
        reply = self.call("POST", "/redfish/v1/SessionService/Sessions",
                          {"UserName": entry["username"], "Password": entry["password"]})
        self.http.headers["X-Auth-Token"] = reply.headers["X-Auth-Token"]
        self.session = reply.headers["Location"]

    def call(self, method, path, body=None):
        reply = self.http.request(method, self.base + path, json=body, verify=self.verify, timeout=10)
        if reply.status_code >= 400:
            raise SystemExit(f"{self.name}: {method} {path} -> {reply.status_code} {reply.text[:300]}")
        return reply

    def get(self, path):
        return self.call("GET", path).json()

    def close(self):
        self.call("DELETE", self.session)


def iscsi_values(name, target):
    return {"IPAddressType": "IPv4", "InitiatorName": f"iqn.1998-01.com.vmware:{name}",
            "InitiatorIPAddress": "192.0.2.%d" % (10 + int(name[-2:])), "InitiatorNetmask": "255.255.255.0",
            "PrimaryTargetName": target["iqn"], "PrimaryTargetIPAddress": target["portal"].split(":")[0],
            "PrimaryTargetTCPPort": int(target["portal"].split(":")[1]), "PrimaryLUN": target["luns"][0]["id"],
            **({"AuthenticationMethod": "CHAP", "CHAPUsername": target["chap"]["username"],
                "CHAPSecret": target["chap"]["secret"]} if target.get("chap") else {"AuthenticationMethod": "None"}),
            **({"AuthenticationMethod": "MutualCHAP", "MutualCHAPUsername": target["mutual_chap"]["username"],
                "MutualCHAPSecret": target["mutual_chap"]["secret"]} if target.get("mutual_chap") else {})}


def configure_and_reset(bmc, target):
    function = bmc.get("/redfish/v1/Chassis/1/NetworkAdapters")["Members"][0]["@odata.id"] + "/NetworkDeviceFunctions/1"
    settings = bmc.get(function)["@Redfish.Settings"]["SettingsObject"]["@odata.id"]
    bmc.call("PATCH", settings, {"BootMode": "iSCSI", "iSCSIBoot": iscsi_values(bmc.name, target),
                                 "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}})
    bmc.call("POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", {"ResetType": "ForceRestart"})
    return time.monotonic()


def wait_booted(bmc, started, timeout):
    while time.monotonic() - started < timeout:
        progress = bmc.get("/redfish/v1/Systems/1")["BootProgress"]
        if progress["LastState"] == "OSRunning" or progress.get("OemLastState") == "NoBootableDevice":
            return progress
        time.sleep(0.2)
    return {"LastState": "timeout"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fleet", default=str(ROOT / "inventories" / "lab" / "fleet.yml"))
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    fleet = yaml.safe_load(Path(args.fleet).read_text())
    targets = {t["iqn"].rsplit(":", 1)[-1]: t for t in fleet["san"]["targets"]}
    with tempfile.TemporaryDirectory(prefix="sanboot-lab-") as state_dir:
        process, ready = start_fleet(args.fleet, state_dir)
        try:
            bmcs = [Bmc(entry) for entry in ready["bmcs"]]
            started = {b.name: configure_and_reset(b, targets[b.name]) for b in bmcs}
            print(f"{'host':8} {'result':18} {'booted from':45} {'seconds':>7}")
            failures = 0
            for bmc in bmcs:
                progress = wait_booted(bmc, started[bmc.name], args.timeout)
                booted = progress["LastState"] == "OSRunning"
                target = targets[bmc.name]
                source = f"{target['iqn']} LUN {target['luns'][0]['id']}" if booted else "-"
                result = "booted (iSCSI)" if booted else progress.get("OemLastState") or progress["LastState"]
                seconds = time.monotonic() - started[bmc.name]
                print(f"{bmc.name:8} {result:18} {source:45} {seconds:7.1f}")
                failures += not booted and target["luns"][0].get("content") == "esxi"
                bmc.close()
            print("(hosts whose LUN is blank stop at NoBootableDevice until ESXi is installed: that is the prep job)")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(15)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
