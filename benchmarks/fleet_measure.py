"""Run one controller command and measure it: wall time, CPU of the command and all its children,
and the peak memory of its whole process tree.

CPU: resource.getrusage(RUSAGE_CHILDREN) before and after the wait, as benchmarks/module_requests.py
does. ansible-playbook waits for its forks and their module processes, so their CPU is in the delta;
the mockup is also our child, but it is reaped only at the very end, so it never is.
Memory, sampled over the tree every 50 ms: the sum of RSS (/proc/PID/statm, cheap), and the sum of
PSS (/proc/PID/smaps_rollup), which splits the pages that forked workers share among them, so it is
what the tree really holds; RSS counts a shared page once per fork. Reading smaps_rollup costs
about a millisecond per process on this machine, so a PSS sweep is skipped while the sampler would
spend more than a tenth of a core on it (with many forks PSS is sampled less often than RSS)."""
import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass

SAMPLE_SECONDS = 0.05
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_pss_kib: int
    peak_rss_kib: int
    pss_every: float      # seconds between PSS sweeps, on average
    returncode: int
    load: tuple           # the machine's 1-minute load average before and after: other work skews the figures


def children(pid):
    """Direct children of `pid`, from every thread's children list (no /proc scan)."""
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass  # the process ended between two reads
    return found


def tree(pid):
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children(current))
    return pids


def pss_kib(pid):
    """PSS of one process in KiB (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_KIB
    except OSError:
        return 0


class PeakMemory(threading.Thread):
    """Samples the tree of `pid` until stop(): peak sums of RSS and of PSS, in KiB."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_pss, self.pss_sweeps = pid, 0, 0, 0
        self._done = threading.Event()

    def run(self):
        next_pss = 0.0
        while not self._done.wait(SAMPLE_SECONDS):
            pids = tree(self.pid)
            self.peak_rss = max(self.peak_rss, sum(rss_kib(p) for p in pids))
            if time.monotonic() >= next_pss:
                began = time.monotonic()
                self.peak_pss = max(self.peak_pss, sum(pss_kib(p) for p in pids))
                self.pss_sweeps += 1
                next_pss = time.monotonic() + 9 * (time.monotonic() - began)  # at most ~10 % of a core

    def stop(self):
        self._done.set()
        self.join()


def run_measured(command, env, cwd, log_path):
    """Run `command` with its output in `log_path`; on any exception (Ctrl-C) stop it first."""
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        sampler = PeakMemory(process.pid)
        sampler.start()
        try:
            returncode = process.wait()
        except BaseException:
            process.terminate()
            process.wait()
            raise
        finally:
            sampler.stop()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, sampler.peak_pss, sampler.peak_rss, wall / max(1, sampler.pss_sweeps), returncode,
                    (load_before, os.getloadavg()[0]))
