"""A Dell host whose CHAP secret is wrong: the rollout fails it with the Lifecycle log's diagnosis
(EEMI UEFI0274), puts its boot order back and goes on with the others, as far as serial and
max_fail_percentage allow."""
import json
import re

import pytest

import yaml
from support.ansible_run import failure_messages

BAD_HOST = "esxi03"  # the iDRAC10 host, in the first batch of three
UEFI0274 = ("Unable to perform iSCSI boot on connection 1 because the iSCSI login operation did not "
            "complete successfully.")
WRONG_SECRET = "not-the-secret3"  # 15 characters: a valid CHAP secret, just not the target's


def lab_with_wrong_secret(make_lab, bad_host=BAD_HOST):
    lab = make_lab()
    assert 12 <= len(WRONG_SECRET) <= 16
    assert WRONG_SECRET != next(t["chap"]["secret"] for t in lab.fleet["san"]["targets"] if t["iqn"].endswith(bad_host))
    host_vars = lab.inventory / "host_vars"
    host_vars.mkdir()
    (host_vars / f"{bad_host}.yml").write_text(yaml.safe_dump({"sanboot_chap_secret": WRONG_SECRET}))
    return lab


def final_failure(run, host):
    """The role's own failure message for `host` (its rescue's fail task), not the rescued result."""
    messages = failure_messages(run.output, host)
    final = [m for m in messages if m.startswith(f"{host} did not boot from ")]
    assert len(final) == 1, (messages, run.tail())
    return final[0]


def batches(output, play="Roll out iSCSI boot, in batches"):
    """The hosts of each batch of `play`, in order (one PLAY banner per batch)."""
    sections = re.split(r"^PLAY \[(.*?)\] \**$", output, flags=re.MULTILINE)
    found = []
    for name, body in zip(sections[1::2], sections[2::2]):
        if name == play:
            found.append(sorted(set(re.findall(r"^(?:ok|changed|skipping|failed|fatal): \[(esxi\d\d)", body, re.MULTILINE))))
    return found


def test_wrong_chap_secret_fails_that_host_restores_its_boot_order_and_the_play_goes_on(make_lab):
    lab = lab_with_wrong_secret(make_lab)
    orders = {host: lab.boot_order(host) for host in lab.hosts}

    summary_file = lab.folder / "summary.json"
    run = lab.playbook("rollout", "-e", "sanboot_serial=3", "-e", "sanboot_max_fail_percentage=50",
                       "-e", f"sanboot_summary_file={summary_file}")
    assert run.returncode != 0, run.tail()
    assert batches(run.output) == [["esxi01", "esxi02", "esxi03"], ["esxi04", "esxi05", "esxi06"], ["esxi07", "esxi08", "esxi09"],
                                   ["esxi10"]], run.tail()

    assert run.recap[BAD_HOST]["failed"] == 1, run.recap
    message = final_failure(run, BAD_HOST)
    assert message.startswith(f"{BAD_HOST} did not boot from iqn.2024-01.org.example.san:{BAD_HOST} LUN 1: "), message
    assert message.endswith("(boot order unchanged)") or message.endswith("(previous boot order restored)"), message
    assert WRONG_SECRET not in run.output
    assert lab.boot_order(BAD_HOST) == orders[BAD_HOST]
    history = lab.bmc(BAD_HOST).admin("boot-history")
    assert history["booted_from"] is None, history
    assert lab.bmc(BAD_HOST).get("/mockup/ibft").status_code == 404

    for host in lab.hosts:
        if host == BAD_HOST:
            continue
        assert run.recap[host]["failed"] == 0 and run.recap[host]["unreachable"] == 0, (host, run.recap)
        lab.assert_booted_from_lun(host)
    # the summary lists the failed host with the step that failed, its one reset and the diagnosis
    line = re.search(rf'^\s*"msg": "({BAD_HOST}\s+FAILED.*)"$', run.output, re.MULTILINE)
    assert line, run.tail()
    assert re.match(rf"{BAD_HOST}\s+FAILED\s+1 reset\s+Dell dell/idrac10 .*  failed at first boot: {re.escape(message)}$",
                    line[1].replace('\\"', '"')), line[1]
    summary = json.loads(summary_file.read_text())
    assert summary[BAD_HOST] == {"outcome": "failed", "step": "first boot", "resets": 1, "why": message}, summary[BAD_HOST]
    assert {summary[h]["outcome"] for h in lab.hosts if h != BAD_HOST} == {"booted"}, summary

    # the diagnosis names the cause in the BMC's words: the Lifecycle log's failed iSCSI login
    assert lab.personality(BAD_HOST) == "idrac10"
    assert UEFI0274 in message, message


@pytest.mark.parametrize("rollback", [True, False])
def test_an_isolated_first_boot_that_fails_gets_its_options_enabled_and_its_order_back(make_lab, rollback):
    """A standard BMC's first boot is isolated (every other option disabled): with a wrong CHAP secret it finds
    nothing to boot; the host fails after its one reset with the login failure, and its rescue enables every
    option again (also without a rollback of the order) and keeps its previous order, so the host is bootable as
    before; the message says the host waits at its boot menu."""
    bad = "esxi01"
    lab = lab_with_wrong_secret(make_lab, bad)
    order = lab.boot_order(bad)
    run = lab.playbook("rollout", "--limit", f"{bad},esxi06", "-e", f"sanboot_rollback={str(rollback).lower()}")
    assert run.returncode != 0, run.tail()
    assert run.recap[bad]["failed"] == 1 and run.recap["esxi06"]["failed"] == 0, run.recap
    message = final_failure(run, bad)
    assert "iSCSI login failed" in message, message
    assert ("(previous boot order restored" if rollback else "(no rollback of the order: sanboot_rollback is false") in message, \
        message
    assert "boot options Boot0000, Boot0001, Boot0002, Boot0003 enabled again" in message, message
    assert message.endswith("The host waits at its boot menu (nothing booted): reset it to boot from its previous order."), \
        message
    assert lab.boot_order(bad) == order and lab.disabled_options(bad) == []
    history = lab.bmc(bad).admin("boot-history")
    assert len(history["boots"]) == 1 and history["booted_from"] is None, history["boots"]
    # the isolated boot tried nothing but what the firmware added, and that failed: the others were skipped
    assert {a["outcome"] for a in history["boots"][0]["attempts"]} <= {"skipped"}, history["boots"][0]["attempts"]
    lab.assert_booted_from_lun("esxi06")
    assert WRONG_SECRET not in run.output


def test_exceeding_max_fail_percentage_stops_before_the_next_batch(make_lab):
    lab = lab_with_wrong_secret(make_lab)
    later_batches = ["esxi04", "esxi05", "esxi06", "esxi07", "esxi08", "esxi09", "esxi10"]
    lab.reset_stats()

    run = lab.playbook("rollout", "-e", "sanboot_serial=3", "-e", "sanboot_max_fail_percentage=0")
    assert run.returncode != 0, run.tail()
    assert batches(run.output) == [["esxi01", "esxi02", "esxi03"]], run.tail()
    assert run.recap[BAD_HOST]["failed"] == 1, run.recap
    assert final_failure(run, BAD_HOST)
    for host in later_batches:
        assert host not in run.recap, run.recap
        stats = lab.bmc(host).stats()
        assert stats["by_method"].get("PATCH", 0) == 0, (host, stats)
        assert stats["total"] == 0, (host, stats)  # not even read
        assert lab.bmc(host).admin("boot-history")["boots"] == [], host
