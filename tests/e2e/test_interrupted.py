"""A rollout whose controller is killed (SIGKILL to ansible-playbook and every process under it, as when an AWX
node is recycled) during a standard host's isolated first boot, or before its reset: the BMC keeps the mark (every
other option disabled), and running the same rollout again finishes the host from that state, with no reset more
than it needs."""
import re

import pytest

from support.ansible_run import kill_controller
from support.polling import wait_for

HOST = "esxi01"


def test_a_rollout_killed_during_the_isolated_boot_is_finished_by_the_next_run_without_a_reset(lab):
    order = lab.boot_order(HOST)
    killed = lab.start_playbook("rollout", "--limit", f"{HOST},localhost")
    try:
        # the pass has reset the host: its isolated boot is under way
        wait_for(lambda: lab.bmc(HOST).admin("boot-history")["boots"], timeout=120, what="the pass's reset")
    finally:
        kill_controller(killed)
    boot = wait_for(lambda: [b for b in lab.bmc(HOST).admin("boot-history")["boots"] if b["outcome"] != "in_progress"],
                    timeout=60, what="the boot the killed run started")[0]
    assert boot["booted_from"]["target"].endswith(HOST), boot
    assert sorted(lab.disabled_options(HOST)) == sorted(order), "the kill did not leave the isolation on the BMC"
    assert lab.boot_order(HOST)[0] != boot["booted_from"]["option"]

    run = lab.playbook("rollout", "--limit", f"{HOST},localhost")  # localhost: the summary play
    assert run.returncode == 0, run.tail()
    history = lab.assert_booted_from_lun(HOST)
    assert len(history["boots"]) == 1, [(b["reset_type"], b["outcome"]) for b in history["boots"]]   # no second reset
    assert lab.disabled_options(HOST) == []
    assert lab.boot_order(HOST) == [boot["booted_from"]["option"]] + order
    # its iSCSI values were written by the killed run: "unchanged" here; no reset
    assert run.recap[HOST]["changed"] == 1, run.recap
    assert re.search(rf'"msg": "{HOST}\s+unchanged\s+-\s.*order persisted after the verified boot of an interrupted run',
                     run.output), run.tail()
    # the summary lists the hosts of this run (--limit), not the others of the fleet as failed
    assert re.findall(r'"msg": "(esxi\d+)\s', run.output) == [HOST], run.tail()


def test_a_rollout_killed_before_its_reset_is_finished_by_the_next_run_with_one_reset(lab):
    """Killed while the BMC holds the pass's reset request (a held request whose client is gone is never carried
    out: its body cannot be read any more), so no reset happens: the iSCSI values are pending and every option is
    disabled, no boot ran. The next run isolates again, counting those options as enabled before it, and resets
    once; the host ends on its LUN with every option enabled."""
    order = lab.boot_order(HOST)
    bmc = lab.bmc(HOST)
    held = f"POST {lab.system_uri(HOST)}/Actions/ComputerSystem.Reset"
    bmc.fault("latency", ms=5000, path="/Actions/ComputerSystem.Reset")
    killed = lab.start_playbook("rollout", "--limit", f"{HOST},localhost")
    try:
        wait_for(lambda: bmc.stats()["by_path"].get(held), timeout=120, what="the pass's reset request")
    finally:
        kill_controller(killed)
    bmc.clear_faults()
    # the killed pass's session stays on the BMC until its session timeout, which this stands for
    bmc.fault("expire_sessions")
    assert sorted(lab.disabled_options(HOST)) == sorted(order), "the pass had not disabled every option before its reset"
    assert bmc.admin("boot-history")["boots"] == []

    run = lab.playbook("rollout", "--limit", f"{HOST},localhost")
    assert run.returncode == 0, run.tail()
    history = lab.assert_booted_from_lun(HOST)
    assert len(history["boots"]) == 1, [(b["reset_type"], b["outcome"]) for b in history["boots"]]
    assert lab.disabled_options(HOST) == []
    assert lab.boot_order(HOST) == [history["booted_from"]["option"]] + order
    assert re.search(rf'"msg": "{HOST}\s+\S+\s+1 reset\s.*order persisted after a verified boot \(one reset\)', run.output), \
        run.tail()


@pytest.mark.parametrize("host", ["esxi03", "esxi07"])     # Dell iDRAC10, HPE iLO 5: two resets, their minimum
def test_a_vendor_rollout_killed_during_its_first_boot_needs_no_third_reset(lab, host):
    """A vendor whose boot order applies only at a reset: killed during the first boot, the next run puts the now
    listed option first and resets once, the second reset the vendor needs anyway; two boots in all."""
    bmc = lab.bmc(host)
    killed = lab.start_playbook("rollout", "--limit", f"{host},localhost")
    try:
        wait_for(lambda: bmc.admin("boot-history")["boots"], timeout=120, what="the pass's reset")
    finally:
        kill_controller(killed)
    wait_for(lambda: [b for b in bmc.admin("boot-history")["boots"] if b["outcome"] != "in_progress"],
             timeout=60, what="the boot the killed run started")

    run = lab.playbook("rollout", "--limit", f"{host},localhost")
    assert run.returncode == 0, run.tail()
    history = lab.assert_booted_from_lun(host)
    assert len(history["boots"]) == 2, [(b["reset_type"], b["outcome"]) for b in history["boots"]]
    assert re.search(rf'"msg": "{host}\s+\S+\s+1 reset\s', run.output), run.tail()
