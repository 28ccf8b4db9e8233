"""A rollout whose controller is killed (SIGKILL, as when an AWX node is recycled) while a standard host's
isolated first boot runs: the BMC keeps the mark (every other option disabled, the iSCSI option added behind
them), and running the same rollout again finishes the host from that state, with no second reset."""
import os
import re
import signal

from support.polling import wait_for

HOST = "esxi01"


def test_a_rollout_killed_during_the_isolated_boot_is_finished_by_the_next_run_without_a_reset(lab):
    order = lab.boot_order(HOST)
    killed = lab.start_playbook("rollout", "--limit", f"{HOST},localhost")
    try:
        # the pass has reset the host: its isolated boot is under way
        wait_for(lambda: lab.bmc(HOST).admin("boot-history")["boots"], timeout=120, what="the pass's reset")
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
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


def test_a_rollout_killed_before_its_reset_is_finished_by_the_next_run_with_one_reset(lab):
    """Killed while the pass waits for its last option PATCH (held by the BMC), so before its reset: the iSCSI values
    are pending and every option is disabled, no boot ran. The next run isolates again, counting those options as
    enabled before it, and resets once; the host ends on its LUN with every option enabled."""
    order = lab.boot_order(HOST)
    bmc = lab.bmc(HOST)
    held = f"PATCH {lab.system_uri(HOST)}/BootOptions/{order[-1]}"
    bmc.fault("latency", ms=3000, path=f"/BootOptions/{order[-1]}")
    killed = lab.start_playbook("rollout", "--limit", f"{HOST},localhost")
    try:
        wait_for(lambda: bmc.stats()["by_path"].get(held), timeout=120, what="the pass's last disable PATCH")
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
    # the BMC finishes the PATCH it holds; the dead controller sends no reset
    wait_for(lambda: sorted(lab.disabled_options(HOST)) == sorted(order), timeout=30, what="every option disabled")
    bmc.clear_faults()
    assert bmc.admin("boot-history")["boots"] == [] and lab.resets(bmc.stats()) == 0

    run = lab.playbook("rollout", "--limit", f"{HOST},localhost")
    assert run.returncode == 0, run.tail()
    history = lab.assert_booted_from_lun(HOST)
    assert len(history["boots"]) == 1, [(b["reset_type"], b["outcome"]) for b in history["boots"]]
    assert lab.disabled_options(HOST) == []
    assert lab.boot_order(HOST) == [history["booted_from"]["option"]] + order
    assert re.search(rf'"msg": "{HOST}\s+\S+\s+1 reset\s.*order persisted after a verified boot \(one reset\)', run.output), \
        run.tail()
