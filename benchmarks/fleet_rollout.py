"""The fleet benchmark (issue 11): `ansible-playbook vmw.sanboot.rollout` on a generated fleet of N
BMCs served by the mockup, then the same rollout again (nothing to change), then vmw.sanboot.report;
then the same fleet read by our bmc_info and by community.general's redfish_info, side by side.
A script that prints figures, not a test:

    .venv/bin/python benchmarks/fleet_rollout.py --hosts 20 --forks 20 [--latency-ms 100] [--skip-peer]

Per run: wall time, the floor and how it was computed (fleet_floor.py), wall / floor, controller
CPU per host (ansible-playbook and all its children), the peak memory of the controller's process
tree (fleet_measure.py), Redfish requests per host by method (the mockup's /mockup/stats) and
resets and boots per host (Reset actions answered; the mockup's boot history). Hosts: installed
LUNs, one target with CHAP each, the lab's timing (fleet_lab.py). The mockup is stopped and the
temp dir removed on exit, Ctrl-C included."""
import argparse
import os
import signal
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fleet_floor  # noqa: E402
from fleet_lab import ROOT, BenchLab, boot_seconds  # noqa: E402
from fleet_measure import run_measured  # noqa: E402
from fleet_peer import PEER_COMMANDS, bmc_info_playbook, ensure_peer_venv, peer_playbook  # noqa: E402

METHODS = ("GET", "PATCH", "POST", "DELETE")
OUR_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--forks", type=int, default=None, help="ansible-playbook -f (default: --hosts)")
    parser.add_argument("--serial", default="100%", help="sanboot_serial: hosts per batch, or a percentage")
    parser.add_argument("--latency-ms", type=float, default=0, help="the mockup's latency fault on every BMC")
    parser.add_argument("--jitter-ms", type=float, default=0)
    parser.add_argument("--poll-interval", type=float, default=0.5, help="sanboot_poll_interval (the lab's 0.5 s)")
    parser.add_argument("--graceful-timeout", type=float, default=10,
                        help="sanboot_graceful_timeout (the lab's 10 s): how long a GracefulRestart may take")
    parser.add_argument("--personality", default="dmtf")
    parser.add_argument("--skip-peer", action="store_true", help="skip community.general's redfish_info")
    options = parser.parse_args(argv)
    options.forks = options.forks or options.hosts
    return options


def ansible_env(lab, folder):
    """tests/e2e's environment: the repository's ansible.cfg (collections path, inventory plugin)."""
    return {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0", "SANBOOT_LAB_STATE_DIR": str(lab.mockup.state_dir),
            "ANSIBLE_HOME": str(folder / "home"), "ANSIBLE_LOCAL_TEMP": str(folder / "tmp")}


def run_playbook(lab, label, playbook, options, extra=(), executable=OUR_PLAYBOOK, env_extra=None):
    """One measured ansible-playbook run on the whole fleet, stats reset before it."""
    folder = lab.folder / label.replace(" ", "-")
    folder.mkdir()
    command = [str(executable), str(playbook), "-i", str(lab.inventory / "hosts.sanboot_fleet.yml"),
               "-f", str(options.forks), *extra]
    lab.reset_stats()
    marks = lab.boot_marks()
    measured = run_measured(command, {**ansible_env(lab, folder), **(env_extra or {})}, ROOT, folder / "output.txt")
    output = (folder / "output.txt").read_text(errors="replace")
    if any(secret in output for secret in lab.secrets()):
        print(f"WARNING: a secret of the fleet appears in the output of {label}")
    if measured.returncode != 0:
        tail = output[-3000:]
        for secret in lab.secrets():
            tail = tail.replace(secret, "********")
        raise SystemExit(f"{label}: ansible-playbook exited {measured.returncode}:\n{tail}")
    return measured, lab.stats(), lab.boots_since(marks)


def per_host(values):
    values = list(values)
    return statistics.mean(values), max(values)


def resets(stats):
    return sum(n for path, n in stats["by_path"].items()
               if path.startswith("POST ") and path.endswith("/Actions/ComputerSystem.Reset"))


def summarise(label, measured, stats, boots, hosts, floor=None):
    """The figures of one run, as a dict the printers share."""
    total = per_host(s["total"] for s in stats.values())
    durations = [d for bs in boots.values() for d in (boot_seconds(b) for b in bs) if d is not None]
    return {"label": label, "wall": measured.wall, "cpu_host": measured.cpu / hosts, "cpu": measured.cpu,
            "peak_mib": measured.peak_pss_kib / 1024,
            "peak_rss_mib": measured.peak_rss_kib / 1024, "pss_every": measured.pss_every,
            "load": measured.load, "requests": total, "floor": floor,
            "by_method": {m: per_host(s["by_method"].get(m, 0) for s in stats.values()) for m in METHODS},
            "resets": per_host(resets(s) for s in stats.values()),
            "boots": per_host(len(b) for b in boots.values()),
            "boot_seconds": statistics.mean(durations) if durations else None}


def print_run(row):
    floor = row["floor"]
    print(f"\n== {row['label']} ==")
    print(f"wall                     {row['wall']:8.1f} s   (load average {row['load'][0]:.1f} before, "
          f"{row['load'][1]:.1f} after, on {os.cpu_count()} CPUs)")
    if floor:
        ratio = f"{row['wall'] / floor.seconds:.2f}" if floor.seconds >= 0.05 else "n/a (floor is ~0 s)"
        print(f"floor                    {floor.seconds:8.1f} s = {floor.how}")
        print(f"wall / floor             {ratio:>8}")
        print(f"floor requests per host  {floor.requests:8d}   ({floor.round_trips} round trips + {floor.polls} polls, "
              f"{floor.boots} boots)")
    print(f"controller CPU per host  {row['cpu_host']:8.2f} s (total {row['cpu']:.1f} s: ansible-playbook and all children)")
    print(f"peak controller memory   {row['peak_mib']:8.0f} MiB PSS summed over the ansible-playbook process tree "
          f"(sampled every {row['pss_every'] * 1000:.0f} ms); {row['peak_rss_mib']:.0f} MiB summing RSS (every 50 ms)")
    avg, top = row["requests"]
    methods = "  ".join(f"{m} {a:.1f}/{t}" for m, (a, t) in row["by_method"].items())
    print(f"requests per host        {avg:8.1f} avg, {top} max   by method avg/max: {methods}")
    if floor:
        print(f"requests / floor         {avg / floor.requests:8.2f}")
    boot_time = f", {row['boot_seconds']:.1f} s each on average" if row["boot_seconds"] else ""
    print(f"resets per host          {row['resets'][0]:8.1f} avg, {row['resets'][1]} max (Reset actions); "
          f"boots {row['boots'][0]:.1f} avg, {row['boots'][1]} max (boot history{boot_time})")


def print_header(lab, options, options_before, expand):
    timing = ", ".join(f"{k} {v:g}" for k, v in lab.timing.items())
    print(f"fleet: {options.hosts} x {options.personality} BMCs, installed LUNs, CHAP; lab timing ({timing} s)")
    print(f"forks {options.forks}, serial {options.serial}, latency {options.latency_ms:g} ms (jitter {options.jitter_ms:g}), "
          f"poll interval {options.poll_interval:g} s, graceful timeout {options.graceful_timeout:g} s")
    boots = fleet_floor.boot_seconds(lab.timing, options_before)
    print(f"floor boot: 6 x post_state + iscsi_login + os_boot = {boots[0]:.1f} s (one boot: its {options_before} options"
          f" listed before are disabled for it, so none is tried first; 'each option' rows count {options_before} requests)")
    if options.personality != "dmtf":
        print(f"(the floor's rows are a DMTF host's; this fleet is {options.personality}: read them as an estimate)")
    print("\n".join(fleet_floor.table(expand)))


def print_summary(rows, options):
    """The runs as one Markdown table, ready to paste."""
    print(f"\n| run | hosts | forks | latency | wall | floor | wall/floor | CPU/host | peak memory | requests/host (floor) | GET/PATCH/POST/DELETE per host | resets/host | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        floor = row["floor"]
        ratio = f"{row['wall'] / floor.seconds:.2f}" if floor and floor.seconds >= 0.05 else "-"
        methods = "/".join(f"{row['by_method'][m][0]:.1f}" for m in METHODS)
        print(f"| {row['label']} | {options.hosts} | {options.forks} | {options.latency_ms:g} ms | {row['wall']:.1f} s | "
              f"{f'{floor.seconds:.1f} s' if floor else '-'} | {ratio} | {row['cpu_host']:.2f} s | {row['peak_mib']:.0f} MiB | "
              f"{row['requests'][0]:.1f} ({floor.requests if floor else '-'}) | {methods} | {row['resets'][0]:.1f} | "
              f"{max(row['load']):.0f} |")


def print_side_by_side(rows):
    print(f"\n| read of every host | requests/host (max) | GET/PATCH/POST/DELETE per host | controller CPU/host | wall | peak memory |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        methods = "/".join(f"{row['by_method'][m][0]:.1f}" for m in METHODS)
        print(f"| {row['label']} | {row['requests'][0]:.1f} ({row['requests'][1]}) | {methods} | {row['cpu_host']:.2f} s | "
              f"{row['wall']:.1f} s | {row['peak_mib']:.0f} MiB |")


def benchmark(lab, options):
    options_before = lab.first_boot_order_length()
    expand = lab.advertises_expand()
    print_header(lab, options, options_before, expand)
    common = ["-e", f"sanboot_serial={options.serial}"]
    rows = []
    for label, run, playbook, extra in (
            ("rollout", "rollout", "vmw.sanboot.rollout", common),
            ("no-change", "no-change", "vmw.sanboot.rollout", common),
            ("report", "report", "vmw.sanboot.report", ["-e", f"sanboot_report_dir={lab.folder / 'reports'}"])):
        floor = fleet_floor.floor(run, options, lab.timing, options_before, expand)
        rows.append(summarise(label, *run_playbook(lab, label, playbook, options, extra), options.hosts, floor))
        print_run(rows[-1])
    reads = [summarise("vmw.sanboot.bmc_info", *run_playbook(lab, "bmc_info", bmc_info_playbook(lab.folder), options),
                       options.hosts)]
    if not options.skip_peer:
        empty = lab.folder / "no-collections"
        empty.mkdir()
        measured = run_playbook(lab, "redfish_info", peer_playbook(lab.folder), options, executable=ensure_peer_venv(),
                                env_extra={"ANSIBLE_COLLECTIONS_PATH": str(empty)})  # community.general from the peer's site-packages
        reads.append(summarise(f"community.general.redfish_info ({', '.join(PEER_COMMANDS)})", *measured, options.hosts))
    no_change = dict(rows[1], label="vmw.sanboot.rollout, no change")
    for row in reads:
        print_run(row)
    print_summary(rows, options)
    print_side_by_side(reads + [no_change])


def stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C


def main():
    options = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each run's figures show as soon as it ends, also through a pipe
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    with tempfile.TemporaryDirectory(prefix="sanboot-fleet-bench-") as tmp:
        lab = BenchLab(tmp, options)
        try:
            lab.start(options.latency_ms, options.jitter_ms)
            benchmark(lab, options)
        except KeyboardInterrupt:
            print("\ninterrupted: stopping the mockup and removing the temp dir", file=sys.stderr)
            lab.stop(interrupted=True)
            return 130
        finally:
            lab.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
