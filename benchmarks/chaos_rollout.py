"""The chaos rollout on a big fleet (issue 12): N BMCs of every personality (default 100), the seeded fault plan of
tests/support/chaos.py (each fault kind on --per-kind hosts), the rollout in serial batches, then the fleet
invariants table with counts: hosts booted, failed with a diagnosis naming their fault, resets per host, sessions
left, secrets found. A script that prints figures, not a test:

    .venv/bin/python benchmarks/chaos_rollout.py [--hosts 100] [--serial 25] [--seed N] [--per-kind 4]

Exit status 1 when an invariant is violated (each violation is printed). The mockup is stopped and the temp dir
removed on exit."""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.chaos import ChaosLab, check_fleet, controller_texts, describe, format_table, make_plan, seed_from_env  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--serial", type=int, default=25, help="hosts per batch (sanboot_serial); also the forks")
    parser.add_argument("--per-kind", type=int, default=4, help="hosts each fault kind hits")
    parser.add_argument("--seed", type=int, default=None, help="replay a plan (default: CHAOS_SEED, else random)")
    parser.add_argument("--max-fail-percentage", type=int, default=75)
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_args(argv)
    seed = options.seed or seed_from_env()
    with tempfile.TemporaryDirectory(prefix="sanboot-chaos-") as tmp:
        lab = ChaosLab(Path(tmp) / "chaos", options.hosts, nets=(50, 54)).start()
        try:
            plan = make_plan(seed, lab.hosts, lab.personality, options.serial, per_kind=options.per_kind,
                             fatal_per_batch=max(1, options.serial * options.max_fail_percentage // 200))
            print(describe(seed, plan, lab.personality))
            before = lab.snapshot()
            lab.apply(plan)
            summary, reports = lab.folder / "summary.json", lab.folder / "reports"
            started = time.monotonic()
            run = lab.playbook([lab.site_playbook("rollout", "report")], [
                "-f", str(options.serial), "-e", f"sanboot_serial={options.serial}",
                "-e", f"sanboot_max_fail_percentage={options.max_fail_percentage}",
                "-e", f"sanboot_summary_file={summary}", "-e", f"sanboot_report_dir={reports}"])
            wall = time.monotonic() - started
            lab.clear_faults()
            said = json.loads(summary.read_text()) if summary.exists() else {}
            table, violations = check_fleet(lab, plan, before, run.output, said,
                                            controller_texts(lab, run, [summary, *sorted(reports.glob("*"))]))
        finally:
            lab.stop()
    print(f"\nchaos rollout of {options.hosts} BMCs, seed {seed}, serial {options.serial}: "
          f"ansible-playbook exited {run.returncode} after {wall:.1f} s")
    print(format_table(table))
    for violation in violations:
        print("VIOLATION:", violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
