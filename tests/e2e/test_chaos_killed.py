"""A killed controller at fleet scale (issue 12): 16 BMCs of every personality, the rollout in serial batches of 8.
The controller (ansible-playbook and every process under it, SIGKILL, as when an AWX node is recycled) is killed
once while the first batch is between PATCH and reset (one host's reset request held by the BMC), then, running the
same rollout again, once while hosts wait for their boots. A third run of the same rollout, unchanged, converges:
every host ends booted from its LUN with no more resets in all than its vendor needs (done hosts are not reset
again), no configuration resource is written twice, and no session outlives the BMCs' session timeout. The state
that carries the work over is the BMCs' own (pending settings, disabled options, boot history), never a file on
the controller."""
import collections
import json

import pytest

from support.ansible_run import kill_controller
from support.chaos import ChaosLab, check_fleet, controller_texts, format_table
from support.polling import wait_for

HOSTS, SERIAL, SESSION_TIMEOUT = 16, 8, 30
ROLLOUT = ["-f", str(SERIAL), "-e", f"sanboot_serial={SERIAL}"]
# boots slow enough (about 3 s) that a kill can land while hosts wait for them
SLOW_BOOT = {"os_boot": 2.0, "iscsi_login": 0.5, "post_state": 0.1}


@pytest.fixture
def killed_lab(tmp_path):
    lab = ChaosLab(tmp_path / "killed", HOSTS, nets=(40, 44), session_timeout=SESSION_TIMEOUT, timing=SLOW_BOOT).start()
    yield lab
    lab.stop()


def reset_requests(lab, host):
    return sum(n for path, n in lab.bmc(host).stats()["by_path"].items() if path.endswith("/Actions/ComputerSystem.Reset"))


def live_sessions(lab):
    return {host: {s["Id"] for s in lab.bmc(host).admin("sessions")["live"]} for host in lab.hosts}


def configuration_writes(lab):
    """{(host, path): PATCHes} of every resource other than the system's boot order and boot options: the iSCSI
    values and their prerequisites (NIC functions, BIOS, vendor settings objects)."""
    writes = collections.Counter()
    for host in lab.hosts:
        system = lab.bmc(host).system.rstrip("/")
        for path, count in lab.bmc(host).stats()["by_path"].items():
            method, _, uri = path.partition(" ")
            if method == "PATCH" and not (uri == system or uri.startswith(system + "/BootOptions")
                                          or uri.startswith(system + "/Settings") or "BootSettings" in uri
                                          or uri.startswith(system + "/Oem")):
                writes[(host, uri)] += count
    return writes


def test_a_rollout_killed_twice_converges_on_the_next_run_with_nothing_done_twice(killed_lab):
    lab = killed_lab
    lab.reset_stats()
    before = lab.snapshot()
    held = lab.hosts[0]

    # 1. killed while the first batch is between PATCH and reset: the BMC holds the first host's reset request
    lab.bmc(held).fault("latency", ms=20000, path="/Actions/ComputerSystem.Reset")
    process, output = lab.start_playbook(["rollout"], ROLLOUT)
    try:
        wait_for(lambda: reset_requests(lab, held), timeout=180, interval=0.2, what=f"{held}'s reset request")
    finally:
        kill_controller(process)
    lab.bmc(held).clear_faults()
    left_first = sum(lab.bmc(h).stats()["sessions"] for h in lab.hosts)
    assert lab.bmc(held).admin("boot-history")["boots"] == [], "the held reset was carried out"

    # 2. the same rollout again, killed while hosts wait for their boots
    marks = {host: lab.bmc(host).boot_count() for host in lab.hosts}
    process, output = lab.start_playbook(["rollout"], ROLLOUT)
    try:
        waiting = wait_for(lambda: [h for h in lab.hosts for b in lab.bmc(h).admin("boot-history")["boots"]
                                    if b["id"] > marks[h] and b["outcome"] == "in_progress"],
                           timeout=180, interval=0.2, what="a boot in progress in the second run")
    finally:
        kill_controller(process)
    print(f"killed during the boots of {sorted(set(waiting))}; sessions left by the first kill: {left_first}")

    # 3. the same rollout, unchanged, converges
    summary_file = lab.folder / "summary.json"
    before_last = lab.snapshot()
    orphans = live_sessions(lab)
    run = lab.playbook(["rollout"], [*ROLLOUT, "-e", f"sanboot_summary_file={summary_file}"])
    assert run.returncode == 0, run.tail()
    summary = json.loads(summary_file.read_text())
    left = {host: ids - orphans[host] for host, ids in live_sessions(lab).items() if ids - orphans[host]}
    assert not left, f"the last run left sessions open: {left}"
    # the killed runs' sessions end at the BMCs' session timeout (SIGKILL leaves no chance to log out)
    wait_for(lambda: all(lab.bmc(h).stats()["sessions"] == 0 for h in lab.hosts), timeout=SESSION_TIMEOUT + 15,
             interval=1, what="the killed runs' sessions to time out")
    table, violations = check_fleet(lab, {}, before_last, run.output, summary, controller_texts(lab, run))
    print(format_table(table))
    assert table["booted"] == HOSTS, format_table(table)
    assert not violations, "\n".join(violations)
    # across the three runs: no host reset more often than its vendor needs for one rollout
    boots = lab.boots_since({host: before[host]["mark"] for host in lab.hosts})
    extra = {host: len(b) for host, b in boots.items() if len(b) > lab.minimum_resets(host)}
    assert not extra, f"hosts reset more than their vendor needs over the three runs: {extra}"
    twice = {key: n for key, n in configuration_writes(lab).items() if n > 1}
    assert not twice, f"configuration written more than once across the three runs: {twice}"
