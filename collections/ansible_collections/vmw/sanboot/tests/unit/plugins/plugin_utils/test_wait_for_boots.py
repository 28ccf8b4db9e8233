# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vmw.sanboot.wait_for_boots with fakes: every host's run in its own thread at once (barriers, so a
run one after another would never get through), max_concurrent, one host's crash or failure its own,
the combined result's shape and masking, the redfish logger set up once for a batch and restored
once, and the action reading each host's request from hostvars."""

from __future__ import annotations

import json
import logging
import threading
from types import SimpleNamespace

import pytest
from ansible.module_utils import _internal

from ansible_collections.vmw.sanboot.plugins.module_utils import module as glue
from ansible_collections.vmw.sanboot.plugins.module_utils import transport, wait_for_boot_ops

HOSTS = ["esxi01", "esxi02", "esxi03", "esxi04"]
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
PATIENCE = 30   # a barrier's timeout: reached only when the runs do not overlap (a failure, not a timing)


@pytest.fixture(autouse=True)
def batch(monkeypatch):
    """plugin_utils/wait_batch.py, imported by each test (importing the controller's code marks the
    process as the controller; undone for the module tests that run after these)."""
    monkeypatch.setattr(_internal, "is_controller", _internal.is_controller)
    from ansible_collections.vmw.sanboot.plugins.plugin_utils import wait_batch
    return wait_batch


def request(host):
    return {"baseuri": "https://%s.bmc.example" % host, "username": "root", "password": "%s-bmc-password" % host}


class FakeClient:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.requests = ["GET /redfish/v1/"]
        self.warnings = []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False


def test_every_host_runs_at_once_in_its_own_thread(batch):
    meeting = threading.Barrier(len(HOSTS), timeout=PATIENCE)
    threads = {}

    def run_one(req):
        threads[req["host"]] = threading.current_thread().name
        meeting.wait()          # every host's run must be under way at the same time to pass
        return {"booted": True, "host": req["host"]}

    results = batch.run_all({host: {"host": host} for host in HOSTS}, run_one)
    assert list(results) == HOSTS and all(results[h]["host"] == h for h in HOSTS)
    assert len(set(threads.values())) == len(HOSTS)
    assert all(name.startswith("wait_for_boots") for name in threads.values())
    assert threading.current_thread().name not in threads.values()


def test_max_concurrent_runs_that_many_at_a_time(batch):
    lock, active, peak = threading.Lock(), [0], [0]
    pairs = threading.Barrier(2, timeout=PATIENCE)

    def run_one(req):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        pairs.wait()            # two at a time: each run meets one other
        with lock:
            active[0] -= 1
        return {"booted": True}

    results = batch.run_all({host: {} for host in HOSTS}, run_one, max_concurrent=2)
    assert len(results) == 4 and peak[0] == 2
    assert batch.run_all({}, run_one) == {}


def test_a_crash_or_a_failure_is_that_hosts_own(batch):
    def run_one(req):
        if req["host"] == "esxi02":
            raise RuntimeError("boom in esxi02")
        if req["host"] == "esxi03":
            return {"failed": True, "msg": "the host found no bootable device", "booted": False}
        return {"booted": True, "outcome": "booted"}

    results = batch.run_all({host: {"host": host} for host in HOSTS}, run_one)
    assert results["esxi02"]["failed"] is True and results["esxi02"]["msg"] == "RuntimeError: boom in esxi02"
    assert "Traceback" in results["esxi02"]["exception"]
    combined = batch.batch_result(HOSTS + ["esxi05"], results, {"esxi05": "sanboot_wait_request is not set"})
    assert combined["changed"] is False and "failed" not in combined
    assert list(combined["hosts"]) == HOSTS + ["esxi05"]
    assert combined["failed_hosts"] == ["esxi02", "esxi03"] and combined["skipped_hosts"] == ["esxi05"]
    assert combined["booted_hosts"] == ["esxi01", "esxi04"]
    assert combined["hosts"]["esxi01"] == {"booted": True, "outcome": "booted", "failed": False, "changed": False}
    assert combined["hosts"]["esxi05"] == {"failed": False, "skipped": True, "msg": "sanboot_wait_request is not set"}


def test_every_hosts_secrets_are_masked_in_every_hosts_result(batch):
    spec = glue.module_spec({})
    secrets = batch.no_log_values(spec, request("esxi01")) | batch.no_log_values(spec, request("esxi02"))
    assert secrets == {"esxi01-bmc-password", "esxi02-bmc-password"}
    results = {"esxi01": {"booted": True, "msg": "saw esxi02-bmc-password somewhere"},
               "esxi02": {"booted": True, "failed": False, "requests": ["GET /esxi01-bmc-password"]}}
    combined = batch.batch_result(["esxi01", "esxi02"], results, {}, secrets)
    assert "bmc-password" not in json.dumps(combined)
    assert combined["hosts"]["esxi01"]["booted"] is True and combined["booted_hosts"] == ["esxi01", "esxi02"]
    assert batch.no_log_values(spec, {"baseuri": ["not", "a", "str"], "bogus": 1}) == set()


def test_debug_log_set_up_once_for_the_batch_and_restored_once(batch, monkeypatch, tmp_path):
    """Four runs, each protecting its own secret and logging in its own thread while all are inside
    debug_log(): every record reaches the batch's one file, masked; the logger is as it was after."""
    from ansible_collections.vmw.sanboot.plugins.plugin_utils.in_process import run_in_process, task_environment

    monkeypatch.setattr(transport, "RedfishClient", FakeClient)
    monkeypatch.delenv("SANBOOT_DEBUG_LOG", raising=False)
    logger = logging.getLogger("redfish")
    before = (list(logger.handlers), logger.level, logger.propagate)
    meeting = threading.Barrier(len(HOSTS), timeout=PATIENCE)
    path = tmp_path / "redfish-debug.log"

    def work(run, client, prepared):
        secret = "%s-chap-secret" % run.params["baseuri"].split("//")[1].split(".")[0]
        run.protect(secret)
        meeting.wait()          # all four runs inside their own debug_log() at once
        logging.getLogger("redfish.rest.v1").debug('Body: {"CHAPSecret": "%s"}', secret)
        meeting.wait()          # none leaves before every one has logged
        return {"changed": False, "booted": True}

    def run_one(req):
        return run_in_process(glue.module_spec({}), work, None, req, "vmw.sanboot.wait_for_boot")

    with task_environment({"SANBOOT_DEBUG_LOG": str(path)}), batch.shared_state():
        results = batch.run_all({host: request(host) for host in HOSTS}, run_one)
    assert all(result["booted"] is True for result in results.values())
    assert all(result["invocation"]["module_args"]["password"] == MASK for result in results.values())
    log = path.read_text()
    assert log.count('Body: {"CHAPSecret": "********"}') == 4 and "chap-secret" not in log
    assert (list(logger.handlers), logger.level, logger.propagate) == before


def test_debug_log_entered_by_overlapping_threads_stays_until_the_last_leaves(batch, monkeypatch, tmp_path):
    """Without an outer entry: the first thread's exit must not take the log from the second."""
    monkeypatch.setenv("SANBOOT_DEBUG_LOG", str(tmp_path / "redfish-debug.log"))
    logger = logging.getLogger("redfish")
    before = (list(logger.handlers), logger.level, logger.propagate)
    first_in, first_out = threading.Event(), threading.Event()

    def first():
        with glue.debug_log():
            first_in.set()
            assert second_in.wait(PATIENCE)
        first_out.set()

    second_in = threading.Event()

    def second():
        assert first_in.wait(PATIENCE)
        with glue.debug_log():
            second_in.set()
            assert first_out.wait(PATIENCE)
            logging.getLogger("redfish.rest.v1").debug("after the first thread left")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert "after the first thread left" in (tmp_path / "redfish-debug.log").read_text()
    assert (list(logger.handlers), logger.level, logger.propagate) == before


class UndefinedVars(dict):
    def __getitem__(self, key):
        from ansible.errors import AnsibleUndefinedVariable
        raise AnsibleUndefinedVariable("'bmc_address' is undefined")


def action(transport_name="local", check_mode=False, **args):
    """The wait_for_boots action with just what its run() reads."""
    from ansible_collections.vmw.sanboot.plugins.action.wait_for_boots import ActionModule

    plugin = ActionModule.__new__(ActionModule)
    plugin._connection = SimpleNamespace(transport=transport_name)
    plugin._task = SimpleNamespace(args=args, check_mode=check_mode, async_val=0)
    plugin._play_context = SimpleNamespace(remote_addr="localhost")
    plugin._compute_environment_string = lambda environment: None
    return plugin


@pytest.fixture
def action_base(monkeypatch):
    from ansible.plugins.action import ActionBase
    monkeypatch.setattr(ActionBase, "run", lambda self, tmp=None, task_vars=None: {})


def test_the_action_reads_each_hosts_request(action_base, monkeypatch):
    seen = {}

    def work(run, client, prepared):
        seen[run.params["baseuri"]] = (run.check_mode, threading.current_thread().name)
        return {"changed": False, "booted": run.params["baseuri"] != "https://esxi02.bmc.example", "outcome": "booted"}

    monkeypatch.setattr(transport, "RedfishClient", FakeClient)
    monkeypatch.setattr(wait_for_boot_ops, "run", work)
    monkeypatch.setattr(wait_for_boot_ops, "prepare", lambda run: None)
    hostvars = {host: {"sanboot_wait_request": request(host)} for host in ("esxi01", "esxi02")}
    hostvars.update(esxi03={"sanboot_wait_request": None}, esxi04={}, esxi05={"sanboot_wait_request": "x"},
                    esxi06=UndefinedVars(sanboot_wait_request="{{ bmc_address }}"))
    hosts = ["esxi01", "esxi02", "esxi03", "esxi04", "esxi05", "esxi06", "esxi01"]
    result = action(check_mode=True, hosts=hosts).run(task_vars={"hostvars": hostvars})
    assert list(result["hosts"]) == hosts[:6]
    assert result["failed_hosts"] == ["esxi05", "esxi06"] and result["skipped_hosts"] == ["esxi03", "esxi04"]
    assert result["booted_hosts"] == ["esxi01"] and result["hosts"]["esxi02"]["failed"] is False
    assert result["hosts"]["esxi05"]["msg"] == \
        "esxi05: sanboot_wait_request must be a dict of vmw.sanboot.wait_for_boot's arguments, not str"
    assert result["hosts"]["esxi06"]["msg"] == \
        "esxi06: hostvars['esxi06']['sanboot_wait_request'] cannot be templated: 'bmc_address' is undefined"
    assert {check for check, name in seen.values()} == {True} and len(seen) == 2
    assert all(name.startswith("wait_for_boots") for check, name in seen.values())
    assert "bmc-password" not in json.dumps(result)
    assert result["hosts"]["esxi01"]["invocation"]["module_args"]["password"] == MASK


def test_since_comes_from_the_first_registered_reset_and_a_host_not_reset_is_skipped(action_base, monkeypatch):
    seen = {}

    def work(run, client, prepared):
        seen[run.params["baseuri"]] = run.params["since"]
        return {"changed": False, "booted": True, "outcome": "booted"}

    monkeypatch.setattr(transport, "RedfishClient", FakeClient)
    monkeypatch.setattr(wait_for_boot_ops, "run", work)
    monkeypatch.setattr(wait_for_boot_ops, "prepare", lambda run: None)
    again = {"changed": True, "since": "2026-01-01T10:05:00Z"}
    first = {"changed": True, "since": "2026-01-01T10:00:00Z"}
    hostvars = {
        "esxi01": {"sanboot_wait_request": request("esxi01"), "reset_again": again, "reset": first},
        "esxi02": {"sanboot_wait_request": request("esxi02"), "reset_again": {"changed": False, "skipped": True},
                   "reset": first},
        "esxi03": {"sanboot_wait_request": request("esxi03"), "reset": {"changed": False, "msg": "already On"}},
        "esxi04": {"sanboot_wait_request": request("esxi04")},
    }
    result = action(hosts=list(hostvars), since_from=["reset_again", "reset"]).run(task_vars={"hostvars": hostvars})
    assert seen == {"https://esxi01.bmc.example": again["since"], "https://esxi02.bmc.example": first["since"]}
    assert result["skipped_hosts"] == ["esxi03", "esxi04"]
    assert result["hosts"]["esxi03"]["msg"] == "none of reset_again, reset reset esxi03: not waited for"


@pytest.mark.parametrize("transport_name, args, message", [
    ("ssh", {"hosts": ["esxi01"]}, "vmw.sanboot.wait_for_boots runs only on the controller, in-process, and the "
                                   "connection of this task is 'ssh'"),
    ("local", {"hosts": ["esxi01", "nobody"]}, "vmw.sanboot.wait_for_boots: hosts not in the inventory: nobody"),
    ("local", {"hosts": ["esxi01"], "max_concurrent": -2}, "max_concurrent must be 0 (every host at once) or more"),
    ("local", {"hosts": "esxi01", "bogus": 1}, "bogus"),
    ("local", {}, "hosts"),
])
def test_the_task_fails_only_for_its_own_arguments(action_base, transport_name, args, message):
    from ansible.errors import AnsibleActionFail

    with pytest.raises(AnsibleActionFail) as failure:
        action(transport_name, **args).run(task_vars={"hostvars": {"esxi01": {}}})
    assert message in str(failure.value)


def test_the_module_itself_refuses_to_run(monkeypatch, capsys):
    from ansible.module_utils.testing import patch_module_args

    from ansible_collections.vmw.sanboot.plugins.modules import wait_for_boots

    with patch_module_args({"hosts": ["esxi01"]}), monkeypatch.context() as patch:
        patch.setattr(_internal, "is_controller", False)
        with pytest.raises(SystemExit):
            wait_for_boots.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"].startswith("vmw.sanboot.wait_for_boots runs only on the controller, as an action; ")
