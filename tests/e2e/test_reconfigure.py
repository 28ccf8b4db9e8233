"""vmw.sanboot.reconfigure after the SAN moved two targets to a second portal: only those two hosts
are reset, one batch each, and they come back booted from the new portal."""
import copy
import re
from datetime import datetime

MOVED = ("esxi02", "esxi05")
NEW_PORTAL = "127.0.0.2:3260"
REBOOT_PLAY = "Reboot, in batches, only the hosts that changed"


def play_batches(output, play):
    """The hosts of each batch of `play`, in order (the PLAY banner is printed once per batch)."""
    sections = re.split(r"^PLAY \[(.*?)\] \**$", output, flags=re.MULTILINE)
    return [sorted(set(re.findall(r"^(?:ok|changed|skipping|failed|fatal): \[(esxi\d\d)", body, re.MULTILINE)))
            for name, body in zip(sections[1::2], sections[2::2]) if name == play]


def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_reconfigure_moves_two_hosts_to_a_new_portal_one_batch_each(make_lab):
    lab = make_lab()
    rollout = lab.playbook("rollout")
    assert rollout.returncode == 0, rollout.tail()

    moved = copy.deepcopy(lab.fleet)
    moved["san"]["portals"].append(NEW_PORTAL)
    for target in moved["san"]["targets"]:
        if target["iqn"].rsplit(":", 1)[1] in MOVED:
            target["portal"] = NEW_PORTAL
    lab.restart(moved)
    for host in lab.hosts:  # the state survived the restart: still booted from the LUN, old portal
        assert lab.bmc(host).admin("boot-history")["booted_from"], host
        assert lab.bmc(host).json("/mockup/ibft?format=json")["targets"][0]["ip"] == "127.0.0.1", host
    assert {host: lab.expected(host)["target_ip"] for host in MOVED} == {host: "127.0.0.2" for host in MOVED}
    boots = {host: lab.bmc(host).admin("boot-history")["boots"][-1]["id"] for host in lab.hosts}
    lab.reset_stats()

    run = lab.playbook("reconfigure", "-e", "sanboot_serial=1")
    assert run.returncode == 0, run.tail()
    for host in lab.hosts:
        assert run.recap[host]["failed"] == 0 and run.recap[host]["unreachable"] == 0, (host, run.recap)

    stats = lab.stats()
    for host in lab.hosts:
        resets = lab.resets(stats[host])
        if host in MOVED:
            assert resets > 0, (host, stats[host])
        else:
            assert resets == 0, (host, stats[host])
            assert stats[host]["by_method"].get("PATCH", 0) == 0, (host, stats[host])
            assert lab.bmc(host).admin("boot-history")["boots"][-1]["id"] == boots[host], host
        lab.assert_booted_from_lun(host)
        table = lab.assert_ibft_matches(host)
        assert table.targets[0].ip == ("127.0.0.2" if host in MOVED else "127.0.0.1"), host

    # serial 1: one batch per host, and the two hosts' reboots do not overlap in time
    assert play_batches(run.output, REBOOT_PLAY) == [[host] for host in lab.hosts], run.tail()
    spans = []
    for host in MOVED:
        new = [b for b in lab.bmc(host).admin("boot-history")["boots"] if b["id"] > boots[host]]
        assert new and all(b["finished"] for b in new), (host, new)
        spans.append((min(when(b["started"]) for b in new), max(when(b["finished"]) for b in new)))
    (first_start, first_end), (second_start, second_end) = sorted(spans)
    assert first_end <= second_start, spans
