"""Run the mockup as a real process (HTTPS, its own CA) and talk to its BMCs like a client would."""
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-only-bmc-pass"
FAST_TIMING = {"post_state": 0.02, "iscsi_login": 0.02, "os_boot": 0.05, "install": 0.1,
               "graceful_shutdown": 0.05, "settings_task": 0.1, "option_timeout": 0.01}

# A host's correct iSCSI values for each target of fast_fleet(); tests change one at a time.
GOOD_ISCSI = {
    "esxi01": {"IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:esxi01",
               "InitiatorIPAddress": "192.0.2.11", "InitiatorNetmask": "255.255.255.0",
               "InitiatorDefaultGateway": "192.0.2.1", "PrimaryTargetName": "iqn.2024-01.org.example.san:esxi01",
               "PrimaryTargetIPAddress": "127.0.0.1", "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 1,
               "AuthenticationMethod": "CHAP", "CHAPUsername": "esxi01", "CHAPSecret": "esxi01-secret"},
    "esxi02": {"IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:esxi02",
               "InitiatorIPAddress": "192.0.2.12", "InitiatorNetmask": "255.255.255.0",
               "PrimaryTargetName": "iqn.2024-01.org.example.san:esxi02", "PrimaryTargetIPAddress": "127.0.0.1",
               "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 1, "PrimaryVLANEnable": True, "PrimaryVLANId": 120,
               "AuthenticationMethod": "MutualCHAP", "CHAPUsername": "esxi02", "CHAPSecret": "esxi02-secret",
               "MutualCHAPUsername": "san02", "MutualCHAPSecret": "san02-mutual"},
    "esxi03": {"IPAddressType": "IPv4", "InitiatorName": "iqn.1998-01.com.vmware:esxi03",
               "InitiatorIPAddress": "192.0.2.13", "InitiatorNetmask": "255.255.255.0",
               "PrimaryTargetName": "iqn.2024-01.org.example.san:esxi03", "PrimaryTargetIPAddress": "127.0.0.1",
               "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 1, "AuthenticationMethod": "None"},
}


def free_port(address="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


# Port ids by personality: DMTF numbers them, Dell names each function by its FQDD, iLO numbers
# them from 0 (capture).
PORT_IDS = {"dmtf": ("1", "2"), "idrac9": ("NIC.Slot.1-1-1", "NIC.Slot.1-2-1"),
            "idrac10": ("NIC.Slot.1-1-1", "NIC.Slot.1-2-1"), "ilo5": ("0", "1"), "ilo6": ("0", "1"),
            "supermicro-x13": ("1", "2"), "xcc": ("1.1", "2.1"), "xcc2": ("1.1", "2.1")}
# The NIC's id: iLO names adapters by a hex id (capture style DE07A000), the others by slot.
NIC_IDS = {"ilo5": "DE07A000", "ilo6": "DE07A000", "supermicro-x13": "1", "xcc": "slot-1", "xcc2": "slot-1"}


def option_rom_iscsi(name, nic="1", port="1"):
    """The fleet's `option_rom_iscsi` entry that sets GOOD_ISCSI[name] in a Supermicro port's option ROM."""
    good = GOOD_ISCSI[name]
    entry = {"nic": nic, "port": port, "initiator_name": good["InitiatorName"], "target_name": good["PrimaryTargetName"],
             "target_address": good["PrimaryTargetIPAddress"], "target_port": good["PrimaryTargetTCPPort"],
             "lun": good["PrimaryLUN"], "initiator_address": good["InitiatorIPAddress"],
             "initiator_netmask": good["InitiatorNetmask"]}
    if good.get("InitiatorDefaultGateway"):
        entry["initiator_gateway"] = good["InitiatorDefaultGateway"]
    if good.get("PrimaryVLANEnable"):
        entry["vlan_id"] = good["PrimaryVLANId"]
    if good["AuthenticationMethod"] in ("CHAP", "MutualCHAP"):
        entry["chap"] = {"username": good["CHAPUsername"], "secret": good["CHAPSecret"]}
    if good["AuthenticationMethod"] == "MutualCHAP":
        entry["mutual_chap"] = {"username": good["MutualCHAPUsername"], "secret": good["MutualCHAPSecret"]}
    return entry


def fast_fleet(count=3, address_base="127.0.20.", personality="dmtf", host_base=None, host_port=None, **extra):
    """Three BMCs (esxi01 installed LUN with CHAP, esxi02 installed LUN with mutual CHAP,
    esxi03 blank LUN without CHAP), fast timings, one SAN. `personality` applies to every BMC;
    `host_base` gives host N the address host_base+N (listening on `host_port` while its OS runs);
    `extra` keys go to every BMC (firmware: 7.10.30.00, ...)."""
    port = free_port()
    first, second = PORT_IDS[personality]
    bmcs = []
    for index in range(1, count + 1):
        bmc = {"name": f"esxi{index:02d}", "address": f"{address_base}{index}", "port": port,
               "personality": personality, **extra,
               "nics": [{"id": NIC_IDS.get(personality, "NIC.Slot.1"), "ports": [
                   {"id": first, "mac": f"02:00:00:00:{index:02X}:01", "pci": "3b:00.0"},
                   {"id": second, "mac": f"02:00:00:00:{index:02X}:02", "pci": "3b:00.1", "iscsi": False}]}]}
        if host_base:
            bmc.update(host_address=f"{host_base}{index}", host_port=host_port or free_port())
        if personality == "supermicro-x13" and "option_rom_iscsi" not in extra and bmc["name"] in GOOD_ISCSI:
            # Supermicro cannot set iSCSI over Redfish: the host's NIC was set up in its option ROM.
            bmc["option_rom_iscsi"] = [option_rom_iscsi(bmc["name"])]
        bmcs.append(bmc)
    targets = [
        {"iqn": "iqn.2024-01.org.example.san:esxi01", "portal": "127.0.0.1:3260", "luns": [{"id": 1, "content": "esxi"}],
         "acl": ["iqn.1998-01.com.vmware:esxi01"], "chap": {"username": "esxi01", "secret": "esxi01-secret"}},
        {"iqn": "iqn.2024-01.org.example.san:esxi02", "portal": "127.0.0.1:3260", "luns": [{"id": 1, "content": "esxi"}],
         "acl": ["iqn.1998-01.com.vmware:esxi02"], "chap": {"username": "esxi02", "secret": "esxi02-secret"},
         "mutual_chap": {"username": "san02", "secret": "san02-mutual"}},
        {"iqn": "iqn.2024-01.org.example.san:esxi03", "portal": "127.0.0.1:3260", "luns": [{"id": 1, "content": "blank"}],
         "acl": ["iqn.1998-01.com.vmware:esxi03"]},
    ]
    return {"defaults": {"username": "admin", "password": PASSWORD, "timing": dict(FAST_TIMING)},
            "bmcs": bmcs, "san": {"backend": "model", "portals": ["127.0.0.1:3260"], "targets": targets}}


class MockupProcess:
    """`sanboot-mockup serve` in a subprocess; stop() sends SIGTERM and checks a clean exit."""

    def __init__(self, fleet, folder, https=True):
        self.fleet = copy.deepcopy(fleet)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.https = https
        self.fleet_file = self.folder / "fleet.yml"
        self.fleet_file.write_text(yaml.safe_dump(self.fleet))
        self.state_dir = self.folder / "state"
        self.ready_file = self.folder / "ready.json"
        self.process = None
        self.ready = None
        self.log_file = self.folder / "mockup.log"

    def start(self, timeout=30):
        command = [sys.executable, "-m", "sanboot_mockup", "serve", "--fleet", str(self.fleet_file),
                   "--state-dir", str(self.state_dir), "--ready-file", str(self.ready_file)]
        if not self.https:
            command.append("--http")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self._log = open(self.log_file, "ab")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mockup did not start:\n{self.log_file.read_text()}")
            time.sleep(0.05)
        self.ready = json.loads(self.ready_file.read_text())
        return self

    def stop(self, timeout=15):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
            assert code == 0, f"mockup exited with {code}:\n{self.log_file.read_text()}"
        if self.process:
            self._log.close()
        self.process = None

    def kill(self):
        """Die the hard way (SIGKILL), as a crashed process would."""
        self.process.kill()
        self.process.wait()
        self._log.close()
        self.process = None

    def restart(self):
        self.stop()
        self.ready_file.unlink(missing_ok=True)
        return self.start()

    def crash_restart(self):
        """kill() (SIGKILL, nothing cleaned up), then start again on the same state directory.
        The dead process leaves its ready file behind; it must not be taken for the new one's."""
        self.kill()
        self.ready_file.unlink(missing_ok=True)
        return self.start()

    @property
    def ca_file(self):
        return self.ready["ca_file"]

    def bmc(self, name="esxi01"):
        entry = next(b for b in self.ready["bmcs"] if b["name"] == name)
        return BmcClient(entry)

    def request_log(self):
        return (self.state_dir / "requests.log").read_text()

    def persisted(self, name="esxi01"):
        """The state file of one BMC as the mockup wrote it (write-through)."""
        return json.loads((self.state_dir / "bmcs" / f"{name}.json").read_text())


class BmcClient:
    """A plain HTTPS client of one mockup BMC that verifies the mockup's CA."""

    def __init__(self, entry):
        self.entry = entry
        self.base = entry["base_uri"]
        self.auth = (entry["username"], entry["password"])
        self.verify = entry["ca_file"] or False
        self.http = requests.Session()
        self.http.trust_env = False
        self.token = None
        self.system = entry.get("system_uri", "/redfish/v1/Systems/1")

    def request(self, method, path, auth=True, **kwargs):
        if auth is True and self.token:
            kwargs["headers"] = {"X-Auth-Token": self.token, **(kwargs.get("headers") or {})}
        elif auth is True:
            kwargs.setdefault("auth", self.auth)
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.base + path, verify=self.verify, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.request("PATCH", path, json=body, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, json=body if body is not None else {}, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def json(self, path):
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    # -- other credentials ----------------------------------------------------------------------
    def as_user(self, username, password):
        """A client of the same BMC that authenticates (basic) as another account."""
        return BmcClient({**self.entry, "username": username, "password": password})

    def login(self, username=None, password=None, path="/redfish/v1/SessionService/Sessions"):
        """POST a session; returns the response (201 with X-Auth-Token and Location on success)."""
        body = {"UserName": username or self.auth[0], "Password": password or self.auth[1]}
        return self.post(path, body, auth=False)

    def with_token(self, token):
        """A client of the same BMC that sends X-Auth-Token instead of basic credentials."""
        client = BmcClient(self.entry)
        client.token = token
        return client

    def wait_task(self, location, timeout=20):
        """Poll a task monitor until the task ends; returns the Task body."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.get(location)
            if response.status_code == 200:
                return response.json()
            assert response.status_code == 202, response.text
            time.sleep(0.05)
        raise AssertionError(f"task {location} did not end: {self.get(location).text}")

    # -- the admin API -------------------------------------------------------------------------
    def admin(self, path):
        response = self.get(f"/mockup/{path}")
        assert response.status_code == 200, response.text
        return response.json() if "json" in response.headers.get("Content-Type", "") else response.content

    def fault(self, kind, **params):
        response = self.post("/mockup/faults", {"kind": kind, **params})
        assert response.status_code == 201, response.text

    def clear_faults(self):
        assert self.delete("/mockup/faults").status_code == 204

    def stats(self):
        return self.admin("stats")

    def jobs(self):
        return self.admin("jobs")["jobs"]

    # -- the things a test does often ----------------------------------------------------------
    def configure_iscsi(self, values, apply_time="OnReset", port="NIC.Slot.1/NetworkDeviceFunctions/1"):
        body = {"BootMode": "iSCSI", "iSCSIBoot": values, "@Redfish.SettingsApplyTime": {"ApplyTime": apply_time}}
        return self.patch(f"/redfish/v1/Chassis/1/NetworkAdapters/{port}/Settings", body)

    def reset(self, reset_type="ForceRestart"):
        response = self.post(f"{self.system}/Actions/ComputerSystem.Reset", {"ResetType": reset_type})
        assert response.status_code == 204, response.text
        return response

    def wait_boot_done(self, boots_before=None, timeout=20):
        """Wait until the newest boot has finished; returns the boot-history entry."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            history = self.admin("boot-history")
            boots = history["boots"]
            if boots and (boots_before is None or boots[-1]["id"] > boots_before) \
                    and boots[-1]["outcome"] != "in_progress":
                return boots[-1]
            time.sleep(0.05)
        raise AssertionError(f"boot did not finish: {self.admin('boot-history')}")

    def boot_count(self):
        boots = self.admin("boot-history")["boots"]
        return boots[-1]["id"] if boots else 0

    def boot_once(self, reset_type="ForceRestart"):
        before = self.boot_count()
        self.reset(reset_type)
        return self.wait_boot_done(before)

    def log_messages(self):
        entries = self.json("/redfish/v1/Systems/1/LogServices/EventLog/Entries")["Members"]
        return [e["Message"] for e in entries]


def error_ids(response):
    """The MessageIds of a Redfish error response, without the registry prefix (Base.1.22.1.)."""
    return [m["MessageId"].rsplit(".", 1)[-1] for m in response.json()["error"]["@Message.ExtendedInfo"]]


def assert_redfish_error(response, status, *message_ids, related=None):
    """A Redfish error body (DSP0266 9.6) with these Base MessageIds, in order; `related` lists the
    RelatedProperties expected of the first message. Returns the error object."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("OData-Version") == "4.0", response.headers
    error = response.json()["error"]
    info = error["@Message.ExtendedInfo"]
    assert error_ids(response) == list(message_ids), response.text
    assert error["code"] == (info[0]["MessageId"] if len(info) == 1 else "Base.1.22.1.GeneralError")
    assert error["message"]
    for entry in info:
        assert entry["MessageId"].startswith("Base.1.22.1."), entry
        assert "%" not in entry["Message"], entry  # every argument filled in
        spec = _base_registry()[entry["MessageId"].rsplit(".", 1)[-1]]
        assert len(entry.get("MessageArgs", [])) == spec.get("NumberOfArgs", 0), entry
        assert entry["MessageSeverity"] in ("OK", "Warning", "Critical"), entry
    if related is not None:
        assert info[0].get("RelatedProperties") == related, info[0]
    return error


def _base_registry():
    global _REGISTRY
    if _REGISTRY is None:
        path = ROOT / "src" / "sanboot_mockup" / "schemas" / "Base.1.22.1.json"
        _REGISTRY = json.loads(path.read_text())["Messages"]
    return _REGISTRY


_REGISTRY = None
