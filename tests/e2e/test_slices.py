"""AWX/AAP job slicing (issue 13, part 3): vmw.sanboot.rollout then vmw.sanboot.report (one site playbook importing
both, as one job template) run as 3 slice jobs IN PARALLEL against one generated fleet of 12 BMCs of every
personality (127.0.80.x, hosts 127.0.84.x), then vmw.sanboot.merge_reports on the slices' reports.

Each slice is what AWX runs for a sliced job template (tests/support/runner_awx.py cites AWX's code): its own
ansible-runner job (`ansible-runner run`, one process per slice, as slices run on any node) whose inventory/hosts
holds only its slice, cut as Inventory.get_script_data cuts it (hosts by name, host i to slice i % 3), the groups
keeping only its hosts. Each slice its own inventory, not --limit: that is what AWX does, and a play then cannot
even see the other slices' hosts (with --limit, groups[...] would still list them). The extra vars are the job
template's, the same for every slice; sanboot_report_dir and sanboot_summary_file name each slice's own place
through AWX's meta variables (awx_workflow_job_id, awx_job_id), as a job template's extra vars can.

What must show: the three slices ran at the same time (each started before any ended); each is "successful" with
per-host events for its hosts alone; every host of the fleet boots from its LUN with no more resets than its
vendor needs and no secret anywhere (the fleet invariants of support/chaos.py over the three slices together);
each slice's summary (lines and JSON) and report (JSON and Markdown) hold exactly its hosts; merge_reports gives
one fleet report of the 12 hosts, rows as the slices wrote them; it fails, writing nothing, on a host in two
reports and on an unreadable report."""
import json
import re
import secrets
import shutil
import types

import pytest
import yaml

from support import ansible_run
from support.chaos import ChaosLab, check_fleet, controller_texts, format_table, summary_lines
from support.runner_awx import (host_events, import_inventory, job_result, private_data_dir, script_data, site_playbook,
                                start_job_cli, vault_encrypt)

HOSTS, SLICES, WORKFLOW_JOB = 12, 3, 4100
SLICE_TIMEOUT = 300


@pytest.fixture
def slices_lab(tmp_path):
    lab = ChaosLab(tmp_path / "slices", HOSTS, nets=(80, 84)).start()
    yield lab
    lab.stop()


def slice_job(lab, number, inventory, vaulted, vault_password):
    """The private data dir of slice `number` (1-based) of the sliced job."""
    extravars = {
        # AWX's meta variables of a slice job (awx_meta_vars): its own job id, the sliced (workflow) job's id
        "awx_job_id": WORKFLOW_JOB + number, "awx_workflow_job_id": WORKFLOW_JOB, "awx_job_template_name": "sanboot rollout",
        # the job template's extra vars, the same for every slice
        "sanboot_report_dir": str(lab.folder / "reports") + "/{{ awx_workflow_job_id }}/{{ awx_job_id }}",
        "sanboot_summary_file": str(lab.folder / "summaries") + "/{{ awx_job_id }}.json",
    }
    (lab.folder / "summaries").mkdir(exist_ok=True)
    return private_data_dir(lab.folder / f"slice-{number}", site_playbook("rollout", "report"),
                            script_data(inventory, number, SLICES), extravars, vaulted, vault_password)


def markdown_hosts(text):
    return [m[1] for m in re.finditer(r"^\| (esxi\d+) \|", text, re.MULTILINE)]


def merge(lab, label, extra):
    """ansible-playbook vmw.sanboot.merge_reports (localhost only: an empty inventory)."""
    empty = lab.folder / "empty-inventory.ini"
    empty.write_text("")
    out = lab.folder / f"merged-{label}"
    command, env = ansible_run.playbook_command(["merge_reports"], empty, {}, lab.folder / f"merge-{label}",
                                                ["-e", json.dumps({**extra, "sanboot_report_dir": str(out)})])
    return ansible_run.run(command, env, lab.folder / f"merge-{label}" / "output.txt"), out


def test_three_slices_in_parallel_each_see_their_hosts_only_and_their_reports_merge(slices_lab):
    lab = slices_lab
    inventory = import_inventory(lab)
    vault_password = secrets.token_urlsafe(18)
    vaulted = vault_encrypt(yaml.safe_dump(lab.fleet_secrets()), vault_password)
    # AWX's cut: host i (by name) to slice i % 3 + 1
    expected = {n: [h for i, h in enumerate(sorted(lab.hosts)) if i % SLICES == n - 1] for n in range(1, SLICES + 1)}
    assert {n: sorted(script_data(inventory, n, SLICES)["_meta"]["hostvars"]) for n in expected} == expected
    assert {lab.personality(h) for h in expected[1]} != {lab.personality(h) for h in expected[2]}   # mixed slices
    before = lab.snapshot()

    folders = {n: slice_job(lab, n, inventory, vaulted, vault_password) for n in expected}
    processes = {n: start_job_cli(folders[n], "job", forks=HOSTS // SLICES) for n in expected}
    try:
        for process in processes.values():
            process.wait(SLICE_TIMEOUT)
    finally:
        for process in processes.values():
            if process.poll() is None:      # a slice still running after the timeout: end it and its workers
                ansible_run.kill_controller(process)
    results = {n: job_result(folders[n], "job") for n in expected}

    stdouts, summary, texts = [], {}, {}
    for n, (rc, status, events, stdout) in results.items():
        hosts = expected[n]
        assert (rc, status) == (0, "successful"), f"slice {n}:\n{stdout[-6000:]}"
        # per-host events for this slice's hosts alone, every one ok
        by_event, stats = host_events(events)
        assert set(stats["processed"]) == set(hosts) | {"localhost"}, (n, stats["processed"])
        assert set(by_event["runner_on_ok"]) == set(hosts) | {"localhost"}, (n, by_event["runner_on_ok"])
        assert not by_event.get("runner_on_failed") and not by_event.get("runner_on_unreachable"), (n, by_event)
        assert not stats["failures"] and not stats["dark"], (n, stats)
        # the summary: a line and a JSON entry for each of its hosts, no other
        assert sorted(summary_lines(stdout)) == hosts, (n, sorted(summary_lines(stdout)))
        slice_summary = json.loads((lab.folder / "summaries" / f"{WORKFLOW_JOB + n}.json").read_text())
        assert sorted(slice_summary) == hosts, (n, sorted(slice_summary))
        assert {said["outcome"] for said in slice_summary.values()} == {"booted"}, (n, slice_summary)
        summary.update(slice_summary)
        # the report: exactly its hosts, each booted in this run, its resets those the BMC saw
        report_dir = lab.folder / "reports" / str(WORKFLOW_JOB) / str(WORKFLOW_JOB + n)
        report = json.loads((report_dir / "sanboot-report.json").read_text())
        assert [row["host"] for row in report["hosts"]] == hosts, (n, report["hosts"])
        for row in report["hosts"]:
            boots = [b for b in lab.bmc(row["host"]).admin("boot-history")["boots"] if b["id"] > before[row["host"]]["mark"]]
            assert (row["boot_outcome"], row["resets"]) == ("booted", len(boots)), row
        assert markdown_hosts((report_dir / "sanboot-report.md").read_text()) == hosts
        assert f"({len(hosts)} hosts)" in stdout
        stdouts.append(stdout)
        texts.update({f"slice {n} stdout": stdout, f"slice {n} events": json.dumps(events),
                      f"slice {n} report": (report_dir / "sanboot-report.json").read_text()})

    # the three ran at the same time: each slice's first event came before any slice's last
    spans = {n: (results[n][2][0]["created"], results[n][2][-1]["created"]) for n in results}
    assert max(start for start, _ in spans.values()) < min(end for _, end in spans.values()), spans

    # the fleet, over the three slices: every host booted, resets, sessions, no secret
    output = "\n".join(stdouts)
    texts.update(controller_texts(lab, types.SimpleNamespace(output=output)))
    table, violations = check_fleet(lab, {}, before, output, summary, texts)
    print(format_table(table))
    assert not violations, "\n".join(violations)
    assert table["booted"] == HOSTS, format_table(table)
    assert not [where for where, text in texts.items() if vault_password in text], "the vault password leaked"

    # merge_reports: one fleet report of every host, rows as the slices wrote them
    reports = lab.folder / "reports" / str(WORKFLOW_JOB)
    run, out = merge(lab, "fleet", {"sanboot_merge_dir": str(reports)})
    assert run.returncode == 0, run.tail()
    fleet = json.loads((out / "sanboot-fleet-report.json").read_text())
    slice_files = sorted(str(p) for p in reports.glob("*/sanboot-report.json"))
    assert fleet["merged_from"] == slice_files and len(slice_files) == SLICES
    rows = sorted((row for f in slice_files for row in json.loads(open(f).read())["hosts"]), key=lambda r: r["host"])
    assert fleet["hosts"] == rows and [r["host"] for r in rows] == sorted(lab.hosts)
    markdown = (out / "sanboot-fleet-report.md").read_text()
    assert markdown_hosts(markdown) == sorted(lab.hosts)
    assert f"{HOSTS} hosts from {SLICES} reports. By outcome: booted {HOSTS}." in markdown, markdown

    # a host in two reports (slice 1's report given again under another name): fails, names them, writes nothing
    again = lab.folder / "copy-of-slice-1.json"
    shutil.copy(slice_files[0], again)
    run, out = merge(lab, "twice", {"sanboot_merge_reports": [*slice_files, str(again)]})
    assert run.returncode == 2 and run.recap["localhost"]["failed"] == 1, run.tail()
    message = ansible_run.failure_messages(run.output, "localhost")
    assert len(message) == 1 and f"{len(expected[1])} host(s) in more than one report" in message[0], message
    for host in expected[1]:
        assert f"{host} in {slice_files[0]} and {again}" in message[0], message
    assert not out.exists()

    # an unreadable report (missing, not JSON): fails, names each, writes nothing
    garbage = lab.folder / "garbage.json"
    garbage.write_text("{not json")
    missing = lab.folder / "missing" / "sanboot-report.json"
    run, out = merge(lab, "unreadable", {"sanboot_merge_reports": [slice_files[0], str(missing), str(garbage)]})
    assert run.returncode == 2, run.tail()
    message = ansible_run.failure_messages(run.output, "localhost")
    assert len(message) == 1 and "2 report(s) unreadable" in message[0], message
    assert f"{missing}: Could not find or access" in message[0] and f"{garbage}: " in message[0], message
    assert not out.exists()
