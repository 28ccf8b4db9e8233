"""vmw.sanboot.report after a rollout in the same run: a JSON file and a Markdown table, one row per host, with
the resets the rollout sent to each host."""
import json

from test_rollout import FIRST_ROLLOUT_RESETS


def test_report_writes_json_and_markdown_with_one_row_per_host(lab, tmp_path):
    report_dir = tmp_path / "report"
    # one ansible-playbook run of both playbooks: the report shows the rollout's outcome and resets
    run = lab.playbook("rollout", "-e", f"sanboot_report_dir={report_dir}", then=["report"])
    assert run.returncode == 0, run.tail()
    for host in lab.hosts:
        assert run.recap[host]["failed"] == 0, (host, run.recap)

    report = json.loads((report_dir / "sanboot-report.json").read_text())
    rows = report["hosts"]
    assert len(rows) == len(lab.hosts), rows
    assert [row["host"] for row in rows] == lab.hosts, rows
    for row in rows:
        want = lab.expected(row["host"])
        assert row["vendor"] == want["vendor"], row
        if want["model"]:
            assert row["model"] == want["model"], row
        assert row["nic_port"].lower() == want["mac"], row
        if want["managed"]:
            assert row["boot_mode"] == "iSCSI", row
            assert row["iscsi_target"] == want["target"], row
            assert int(row["iscsi_lun"]) == want["lun"], row
        else:  # set in the NIC's option ROM, which this BMC does not show
            assert row["iscsi_target"] == "iscsi values: not managed here", row
            assert row["boot_mode"] is None and row["iscsi_lun"] is None, row
        assert want["boot_option"] in row["first_boot_option"], row
        assert row["last_boot_state"] == want["boot_state"], row
        resets = FIRST_ROLLOUT_RESETS[lab.personality(row["host"])]
        assert int(row["resets"]) == resets, row
        assert row["order"] == ("persisted after a verified boot (one reset)" if resets == 1 else
                                "put first before a second reset"), row

    lines = (report_dir / "sanboot-report.md").read_text().splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0].startswith("| host |") and set(table[1]) <= set("|-"), table
    data = table[2:]
    assert len(data) == len(lab.hosts), table
    for line, host in zip(data, lab.hosts):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        want = lab.expected(host)
        if want["managed"]:
            assert cells[0] == host and cells[4] == "iSCSI" and cells[5] == want["target"], line
        else:
            assert cells[0] == host and cells[5] == "iscsi values: not managed here", line
        assert cells[10] == str(FIRST_ROLLOUT_RESETS[lab.personality(host)]), line
    assert f"({len(lab.hosts)} hosts)" in run.output
