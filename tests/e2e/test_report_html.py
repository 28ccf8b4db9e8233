"""vmw.sanboot.report's HTML page (issue 13): a generated fleet of every personality (one more DMTF host), one host
failing its first boot with a wrong CHAP secret, the rollout and the report in one ansible-playbook run (a playbook
that imports both, as a site playbook would: a second playbook file on the command line does not run once a host
failed). The page, parsed with the standard library's html.parser: one timeline row per host (the failed one too,
from its failure), each row's bars in time order and placed by their times, the counts by outcome and by vendor
equal to the JSON report's rows, values from the BMC escaped, nothing that runs or loads (no script, no event
handler, no URL but a #fragment or data:), no secret."""
import collections
import datetime
import re
from html.parser import HTMLParser
import json

import pytest
import yaml

from support import ansible_run
from support.chaos import BY_NAME, PERSONALITIES, ChaosLab

HOSTS = len(PERSONALITIES) + 1
# a model name as a BMC could send it: it must come out as text, not markup
MODEL = 'R650 <script>alert("x")</script> & <b>bold</b>'
# anything that would make the page fetch or run something
EXTERNAL = re.compile(r"(?i)https?:|//|@import|url\((?!\s*['\"]?(#|data:))|javascript:|<script|<link|<iframe|<object|<embed|<img")


class Page(HTMLParser):
    """What the test reads off the page: tags, the timeline rows and their bars, the tables' cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = collections.Counter()
        self.handlers = []
        self.rows = []            # [(host, [bar attributes])]
        self.tables = collections.defaultdict(list)   # id -> [[cell text]]
        self._table = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        self.handlers += [name for name in attrs if name.lower().startswith("on")]
        if tag == "g" and "tl-row" in attrs.get("class", "").split():
            self.rows.append((attrs["data-host"], []))
        elif tag == "rect" and "bar" in attrs.get("class", "").split():
            self.rows[-1][1].append(attrs)
        elif tag == "table":
            self._table = attrs.get("id")
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag == "td" and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def seconds(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@pytest.fixture
def html_lab(tmp_path):
    lab = ChaosLab(tmp_path / "html", HOSTS, nets=(90, 94))
    lab.fleet["bmcs"][0]["model"] = MODEL
    (lab.inventory / "fleet.yml").write_text(yaml.safe_dump(lab.fleet, sort_keys=False))
    lab.start()
    yield lab
    lab.stop()


def test_the_html_report_shows_every_host_its_timeline_and_the_counts(html_lab, tmp_path):
    lab = html_lab
    failing = next(h for h in lab.hosts if lab.personality(h) == "idrac9")
    lab.apply({host: BY_NAME["wrong_chap"] if host == failing else None for host in lab.hosts})
    site = tmp_path / "site.yml"
    site.write_text(yaml.safe_dump([
        {"name": "Roll out", "ansible.builtin.import_playbook": "vmw.sanboot.rollout"},
        {"name": "Report", "ansible.builtin.import_playbook": "vmw.sanboot.report"}]))
    report_dir = tmp_path / "report"
    command, env, output = lab.command([], ["-e", f"sanboot_report_dir={report_dir}"])
    command[1:1] = [str(site)]
    run = ansible_run.run(command, env, output)
    assert run.returncode == 2, run.tail()    # one host failed
    assert {host for host, recap in run.recap.items() if recap["failed"]} == {failing}, run.recap

    rows = json.loads((report_dir / "sanboot-report.json").read_text())["hosts"]
    text = (report_dir / "sanboot-report.html").read_text()
    page = Page()
    page.feed(text)
    page.close()

    # the JSON report: every host, the failed one with its failure, every bar's times as ISO timestamps in order
    assert [row["host"] for row in rows] == lab.hosts, rows
    by_host = {row["host"]: row for row in rows}
    assert by_host[failing]["boot_outcome"] == "failed" and by_host[failing]["failure"]["step"] == "first boot", rows
    assert "iSCSI login" in by_host[failing]["failure"]["why"], by_host[failing]
    assert by_host[failing]["vendor"] == "Dell" and int(by_host[failing]["resets"]) == 1, by_host[failing]
    for row in rows:
        bars = row["timeline"]
        assert bars[0]["kind"] == "configure", row
        # boot 0 is the configure pass, then one number per reset the rollout sent
        assert sorted({bar["boot"] for bar in bars}) == list(range(int(row["resets"]) + 1)), row
        starts = [seconds(bar["start"]) for bar in bars]
        assert starts == sorted(starts), row
        assert all(seconds(bar["end"]) >= seconds(bar["start"]) for bar in bars), row
        assert (bars[-1]["kind"] == "failed") == (row["host"] == failing), row
        if lab.personality(row["host"]) != "dmtf":   # no time per state: one bar per boot
            assert [bar["kind"] for bar in bars[1:]] in (["boot"] * int(row["resets"]), ["failed"]), row

    # one timeline row per host, in the report's order, each with the JSON report's bars
    assert [host for host, _ in page.rows] == lab.hosts, page.rows
    placed = []
    for (host, rects), row in zip(page.rows, rows):
        assert [(r["data-start"], r["data-end"]) for r in rects] == [(b["start"], b["end"]) for b in row["timeline"]], host
        xs = [float(r["x"]) for r in rects]
        assert xs == sorted(xs), (host, xs)
        placed += [(seconds(r["data-start"]), float(r["x"])) for r in rects]
    # across the whole page x grows with the start time: one scale for every row
    placed.sort()
    assert all(a[1] <= b[1] + 1e-6 for a, b in zip(placed, placed[1:])), placed
    assert all(b[1] > a[1] for a, b in zip(placed, placed[1:]) if b[0] - a[0] > 0.5), placed

    # the counts are the JSON report's
    outcomes = collections.Counter(row["boot_outcome"] or "no rollout in this run" for row in rows)
    vendors = collections.Counter(row["vendor"] for row in rows)
    assert {cells[0]: int(cells[1]) for cells in page.tables["by-outcome"] if cells} == outcomes, page.tables
    assert {cells[0]: int(cells[1]) for cells in page.tables["by-vendor"] if cells} == vendors, page.tables
    assert outcomes == {"booted": HOSTS - 1, "failed": 1}, outcomes
    # the per-host table: the JSON report's rows, the BMC's text as text
    hosts_table = [cells for cells in page.tables["hosts"] if cells]
    assert [cells[0] for cells in hosts_table] == lab.hosts, hosts_table
    assert hosts_table[0][2] == MODEL, hosts_table[0]
    assert "iSCSI login" in hosts_table[lab.hosts.index(failing)][-1], hosts_table

    # nothing that runs or loads, no secret
    assert page.tags["script"] == 0 and not page.handlers, (page.tags, page.handlers)
    assert page.tags["svg"] == 1 and page.tags["style"] == 1, page.tags
    assert not EXTERNAL.findall(text), EXTERNAL.findall(text)
    outputs = [text, (report_dir / "sanboot-report.json").read_text(), (report_dir / "sanboot-report.md").read_text(),
               run.output]
    leaked = [secret for secret in lab.secrets() if any(secret in out for out in outputs)]
    assert not leaked, "secrets in the report or the play's output"
