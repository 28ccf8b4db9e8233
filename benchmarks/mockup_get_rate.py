#!/usr/bin/env python3
"""How many Redfish GETs per second one sanboot-mockup process serves, and what it costs.

Generates a fleet of --count BMCs in a temporary folder, starts `sanboot-mockup serve` on it as
a subprocess, waits for its ready file, then drives a bounded GET load from --workers separate
processes: each BMC is logged into once (POST SessionService/Sessions), its X-Auth-Token and
keep-alive connection(s) are reused for every GET, and the session is deleted at the end. The
GETs rotate over the service root, Systems/1, the first NetworkDeviceFunction of the first
NetworkAdapter and its Settings resource. The load stops after --seconds or --max-gets GETs,
whichever comes first. Loopback addresses only.

Printed for each run: BMCs, GETs, errors, GET/s, latency, the server's VmRSS (idle, before and
after the load, per BMC), the server's CPU seconds during the load and CPU-ms per GET, and the
client's CPU, so a client-bound result shows. The server is stopped with SIGTERM and the
temporary folder removed.

    python benchmarks/mockup_get_rate.py                      # 200 BMCs, HTTPS, 20 s
    python benchmarks/mockup_get_rate.py --http               # ... and then plain HTTP
    python benchmarks/mockup_get_rate.py --parser both        # pure-Python and C HTTP parser
    python benchmarks/mockup_get_rate.py --profile /tmp/prof  # server under cProfile (slower!)

The interpreter running this script must have aiohttp, PyYAML and cryptography (it also runs
the mockup); src/ is put on the mockup's PYTHONPATH.
"""
import argparse
import asyncio
import collections
import ipaddress
import json
import multiprocessing
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SESSIONS = "/redfish/v1/SessionService/Sessions"
ADAPTERS = "/redfish/v1/Chassis/1/NetworkAdapters"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the server process -----------------------------------------------------------------------
def proc_cpu_seconds(pid):
    """utime + stime of a process, from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def free_port(address):
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


class Server:
    """`sanboot-mockup serve` in a subprocess, stopped with SIGTERM."""

    def __init__(self, folder, count, base_address, port, https, parser, profile_out=None, src=SRC):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count, self.base_address, self.port = count, base_address, port
        self.https, self.parser, self.profile_out = https, parser, profile_out
        self.fleet_file = self.folder / "fleet.yml"
        self.ready_file = self.folder / "ready.json"
        self.log_file = self.folder / "mockup.log"
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))}
        if parser == "c":
            # cli.py does os.environ.setdefault("AIOHTTP_NO_EXTENSIONS", "1"); aiohttp reads the value
            # as bool(value), so a present but empty variable keeps the C parser and writer.
            self.env["AIOHTTP_NO_EXTENSIONS"] = ""
        else:
            self.env.pop("AIOHTTP_NO_EXTENSIONS", None)  # what cli.py chooses: the pure-Python parser
        self.process = None
        self.ready = None

    def _run_cli(self, *args):
        subprocess.run([sys.executable, "-m", "sanboot_mockup", *args], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def start(self, timeout=300):
        self._run_cli("fleet", "--count", str(self.count), "--out", str(self.fleet_file),
                      "--base-address", self.base_address, "--port", str(self.port))
        command = [sys.executable]
        if self.profile_out:
            command += ["-m", "cProfile", "-o", str(self.profile_out)]
        command += ["-m", "sanboot_mockup", "serve", "--fleet", str(self.fleet_file),
                    "--state-dir", str(self.folder / "state"), "--ready-file", str(self.ready_file)]
        if not self.https:
            command.append("--http")
        self._log = open(self.log_file, "ab")
        started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=self.env,
                                        stdin=subprocess.DEVNULL)
        while not self.ready_file.exists():
            if self.process.poll() is not None or time.monotonic() - started > timeout:
                raise RuntimeError(f"mockup did not start:\n{self.log_tail()}")
            time.sleep(0.05)
        self.startup_seconds = time.monotonic() - started
        self.ready = json.loads(self.ready_file.read_text())
        return self

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        code = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        else:
            code = self.process.returncode
        self._log.close()
        self.process = None
        return code


# -- the load (runs in worker processes) ------------------------------------------------------
def _worker_main(index, bmcs, options, to_main, go, finish):
    try:
        asyncio.run(_worker(index, bmcs, options, to_main, go, finish))
    except BaseException as exc:  # noqa: BLE001 - the main process must hear about it
        to_main.put(("failed", index, f"{type(exc).__name__}: {exc}"))
        raise


async def _wait_event(event):
    await asyncio.get_running_loop().run_in_executor(None, event.wait)


async def _worker(index, bmcs, options, to_main, go, finish):
    import aiohttp  # imported here so the main process never needs a client

    ca_file = bmcs[0]["ca_file"] if bmcs else None
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None  # verifies CA and IP SAN
    per_bmc = options["per_bmc"]
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=per_bmc, ssl=context if context else False,
                                     keepalive_timeout=120)
    timeout = aiohttp.ClientTimeout(total=30)
    errors = collections.Counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, trust_env=False) as http:
        # Log in once per BMC; discover the NetworkDeviceFunction to read; warm each connection.
        async def login(bmc):
            base = bmc["base_uri"]
            async with http.post(base + SESSIONS, json={"UserName": bmc["username"], "Password": bmc["password"]}) as r:
                await r.read()
                if r.status != 201 or "X-Auth-Token" not in r.headers:
                    raise RuntimeError(f"{base}: login answered {r.status}")
                token, location = r.headers["X-Auth-Token"], r.headers.get("Location", "")
            headers = {"X-Auth-Token": token}
            bmc_state = {"base": base, "headers": headers, "logout": base + location if location.startswith("/") else location}

            async def first_member(uri):
                async with http.get(base + uri, headers=headers) as r:
                    body = await r.json()
                    if r.status != 200 or not body.get("Members"):
                        raise RuntimeError(f"{base}{uri}: {r.status}, no members")
                    return body["Members"][0]["@odata.id"]

            adapter = await first_member(ADAPTERS)
            function = await first_member(adapter + "/NetworkDeviceFunctions")
            paths = ["/redfish/v1/", "/redfish/v1/Systems/1", function, function + "/Settings"]
            bmc_state["urls"] = [base + p for p in paths]

            async def warm(url):
                async with http.get(url, headers=headers) as r:
                    await r.read()
                    if r.status != 200:
                        raise RuntimeError(f"{url}: {r.status}")
            urls = bmc_state["urls"]
            await asyncio.gather(*(warm(urls[k % len(urls)]) for k in range(per_bmc)))
            return bmc_state

        limit = asyncio.Semaphore(32)

        async def guarded_login(bmc):
            async with limit:
                return await login(bmc)

        states = await asyncio.gather(*(guarded_login(b) for b in bmcs), return_exceptions=True)
        failed = [s for s in states if isinstance(s, BaseException)]
        states = [s for s in states if not isinstance(s, BaseException)]
        to_main.put(("ready", index, len(states), [repr(f) for f in failed[:3]], len(failed)))
        await _wait_event(go)

        # The measured load.
        budget = options["max_gets"]
        deadline = time.monotonic() + options["seconds"]
        issued = 0
        done = 0
        latencies = []
        cpu0, wall0 = time.process_time(), time.monotonic()

        async def loop(state, offset):
            nonlocal issued, done
            urls, headers = state["urls"], state["headers"]
            turn = offset
            while issued < budget and time.monotonic() < deadline:
                issued += 1
                url = urls[turn % len(urls)]
                turn += 1
                started = time.perf_counter()
                try:
                    async with http.get(url, headers=headers) as r:
                        body = await r.read()
                        if r.status != 200 or not body.startswith(b"{"):
                            errors[f"HTTP {r.status}"] += 1
                except Exception as exc:  # noqa: BLE001 - counted, the load goes on
                    errors[type(exc).__name__] += 1
                    await asyncio.sleep(0.05)
                latencies.append(time.perf_counter() - started)
                done += 1

        await asyncio.gather(*(loop(s, n * 7 + k) for n, s in enumerate(states) for k in range(per_bmc)))
        wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
        latencies.sort()
        to_main.put(("done", index, {"gets": done, "errors": dict(errors), "wall": wall, "cpu": cpu,
                                     "latencies": latencies[:: max(1, len(latencies) // 20000)]}))

        # Log out once the main process has read the server's counters.
        await _wait_event(finish)
        logged_out, logout_errors = 0, 0

        async def logout(state):
            nonlocal logged_out, logout_errors
            try:
                async with http.delete(state["logout"], headers=state["headers"]) as r:
                    await r.read()
                    if r.status in (200, 204):
                        logged_out += 1
                    else:
                        logout_errors += 1
            except Exception:  # noqa: BLE001
                logout_errors += 1
        await asyncio.gather(*(logout(s) for s in states))
        to_main.put(("bye", index, logged_out, logout_errors))


# -- one run: one server, one load ------------------------------------------------------------
def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def _expect(queue, kind, workers, deadline):
    """Collect one `kind` message from each worker."""
    got = {}
    while len(got) < workers:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RuntimeError(f"workers did not report {kind!r} in time ({len(got)}/{workers})")
        try:
            message = queue.get(timeout=min(remaining, 1.0))
        except Exception:  # queue.Empty
            continue
        if message[0] == "failed":
            raise RuntimeError(f"worker {message[1]} failed: {message[2]}")
        if message[0] != kind:
            raise RuntimeError(f"unexpected message {message[:2]} while waiting for {kind!r}")
        got[message[1]] = message
    return [got[i] for i in sorted(got)]


def run_once(label, folder, options, https, parser, profile_out=None):
    server = Server(folder, options.count, options.base_address, options.port or free_port(options.base_address),
                    https, parser, profile_out, options.src)
    result = {"label": label, "https": https, "parser": parser}
    mp = multiprocessing.get_context("spawn")
    workers = []
    try:
        server.start()
        pid = server.pid
        result["startup_s"] = server.startup_seconds
        result["rss_idle"] = proc_rss_kib(pid)
        bmcs = server.ready["bmcs"]
        for bmc in bmcs:
            host = bmc["base_uri"].split("://", 1)[1].rsplit(":", 1)[0]
            if not ipaddress.ip_address(host).is_loopback:
                raise RuntimeError(f"{bmc['name']}: {host} is not a loopback address")
        queue, go, finish = mp.Queue(), mp.Event(), mp.Event()
        count = min(options.workers, len(bmcs))
        per_worker = [(options.max_gets + i) // count for i in range(count)]
        load = {"seconds": options.seconds, "per_bmc": options.per_bmc}
        for i in range(count):
            worker = mp.Process(target=_worker_main, daemon=True,
                                args=(i, bmcs[i::count], {**load, "max_gets": per_worker[i]}, queue, go, finish))
            worker.start()
            workers.append(worker)
        ready = _expect(queue, "ready", count, time.monotonic() + 300)
        result["sessions"] = sum(m[2] for m in ready)
        result["login_failures"] = sum(m[4] for m in ready)
        result["connections_per_bmc"] = options.per_bmc
        result["workers"] = count
        if result["login_failures"]:
            print(f"  login failures: {result['login_failures']}, e.g. {ready[0][3] or ready[-1][3]}", file=sys.stderr)
        time.sleep(0.5)  # let the server settle after the logins
        result["rss_before"] = proc_rss_kib(pid)
        cpu0, wall0 = proc_cpu_seconds(pid), time.monotonic()
        go.set()
        done = _expect(queue, "done", count, time.monotonic() + options.seconds + 120)
        wall = time.monotonic() - wall0
        cpu = proc_cpu_seconds(pid) - cpu0
        result["rss_after"] = proc_rss_kib(pid)
        finish.set()
        bye = _expect(queue, "bye", count, time.monotonic() + 120)
        for worker in workers:
            worker.join(30)
        stats = [m[2] for m in done]
        latencies = sorted(v for s in stats for v in s["latencies"])
        errors = collections.Counter()
        for s in stats:
            errors.update(s["errors"])
        gets = sum(s["gets"] for s in stats)
        result.update({
            "bmcs": len(bmcs), "gets": gets, "errors": sum(errors.values()), "error_kinds": dict(errors),
            "wall": wall, "rate": gets / wall if wall else 0.0,
            "server_cpu": cpu, "server_cpu_ms_per_get": 1000 * cpu / gets if gets else float("nan"),
            "server_util": cpu / wall if wall else 0.0,
            "client_cpu": sum(s["cpu"] for s in stats),
            "client_util": sum(s["cpu"] / s["wall"] for s in stats if s["wall"]),
            "p50_ms": 1000 * percentile(latencies, 0.50), "p99_ms": 1000 * percentile(latencies, 0.99),
            "logged_out": sum(m[2] for m in bye), "logout_errors": sum(m[3] for m in bye),
        })
        result["client_cpu_ms_per_get"] = 1000 * result["client_cpu"] / gets if gets else float("nan")
        # Requests besides the measured GETs: login, two discovery GETs, warm-up GETs, logout.
        result["client_sent"] = gets + result["sessions"] * (4 + options.per_bmc)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(5)
        code = server.stop()
        result["exit_code"] = code
        # Cross-check on the server side: its access log has one line per request it answered.
        try:
            with open(server.folder / "state" / "requests.log", "rb") as log:
                result["server_logged"] = sum(1 for _ in log)
        except OSError:
            result["server_logged"] = None
        if code != 0:
            print(f"  mockup exit code {code}; log tail:\n{server.log_tail()}", file=sys.stderr)
    return result


def baseline_rss(folder, options, https, parser):
    """VmRSS of an idle one-BMC server: the process's fixed cost, for the marginal per-BMC figure."""
    server = Server(folder, 1, options.base_address, options.port or free_port(options.base_address), https, parser,
                    src=options.src)
    try:
        server.start()
        return proc_rss_kib(server.pid)
    finally:
        server.stop()


def options_workers(result):
    return result.get("workers", 1)


def report(result):
    mib = lambda kib: kib / 1024  # noqa: E731
    lines = [
        f"== {result['label']} ==",
        f"  BMCs                    {result['bmcs']}  (sessions {result['sessions']}, startup {result['startup_s']:.1f} s)",
        f"  GETs                    {result['gets']}  in {result['wall']:.2f} s",
        f"  errors                  {result['errors']}" + (f"  {result['error_kinds']}" if result["errors"] else ""),
        f"  GET/s                   {result['rate']:.0f}",
        f"  latency p50 / p99       {result['p50_ms']:.1f} / {result['p99_ms']:.1f} ms",
        f"  server VmRSS idle       {mib(result['rss_idle']):.1f} MiB",
        f"  server VmRSS before     {mib(result['rss_before']):.1f} MiB",
        f"  server VmRSS after      {mib(result['rss_after']):.1f} MiB",
        f"  server VmRSS per BMC    {result['rss_after'] / result['bmcs']:.0f} KiB (after load / BMCs)",
        f"  per session+connection  {(result['rss_before'] - result['rss_idle']) / max(1, result['sessions']):.0f} KiB"
        f" ((before - idle) / sessions; each keeps {result['connections_per_bmc']} keep-alive connection(s))",
    ]
    if result.get("rss_one_bmc"):
        marginal = (result["rss_idle"] - result["rss_one_bmc"]) / max(1, result["bmcs"] - 1)
        lines.append(f"  marginal RSS per BMC    {marginal:.0f} KiB (idle {result['bmcs']} BMCs - idle 1 BMC,"
                     f" 1 BMC = {mib(result['rss_one_bmc']):.1f} MiB)")
    lines += [
        f"  server CPU during load  {result['server_cpu']:.2f} s  ({100 * result['server_util']:.0f}% of one core)",
        f"  server CPU per GET      {result['server_cpu_ms_per_get']:.3f} ms",
        f"  client CPU              {result['client_cpu']:.2f} s  ({100 * result['client_util']:.0f}% of one core,"
        f" {result['client_cpu_ms_per_get']:.3f} ms per GET)",
        f"  logout                  {result['logged_out']} sessions deleted, {result['logout_errors']} failed;"
        f" server exit code {result['exit_code']}",
        f"  server access log       {result.get('server_logged')} requests answered"
        f" (client sent {result['client_sent']} incl. setup and logout)",
    ]
    if result["server_util"] < 0.85:
        if result["client_util"] >= 0.9 * options_workers(result):
            lines.append("  note: the client was the bottleneck (server below one core); raise --workers")
        else:
            lines.append("  note: neither the server nor the client used a full core: the machine is busy"
                         f" (load average {os.getloadavg()[0]:.1f}), GET/s is low; CPU-ms per GET still holds")
    print("\n".join(lines), flush=True)


def print_profile(path, top):
    import pstats
    print(f"-- cProfile of the server: {path} (top {top} by own time) --")
    pstats.Stats(str(path)).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="BMCs in the fleet (default 200)")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration bound (default 20)")
    parser.add_argument("--max-gets", type=int, default=1_000_000, help="GET count bound (default 1,000,000)")
    parser.add_argument("--workers", type=int, default=1, help="client processes (default 1)")
    parser.add_argument("--per-bmc", type=int, default=1, help="concurrent requests (connections) per BMC (default 1)")
    parser.add_argument("--http", action="store_true", help="after the HTTPS run, also a plain-HTTP run")
    parser.add_argument("--parser", choices=("python", "c", "both"), default="python",
                        help="aiohttp HTTP parser of the server: python (what cli.py picks), c, or both")
    parser.add_argument("--base-address", default="127.0.1.1", help="first BMC address (loopback only)")
    parser.add_argument("--port", type=int, default=0, help="BMC port (default: a free port)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the idle one-BMC server (marginal RSS)")
    parser.add_argument("--profile", metavar="DIR", help="run the server under cProfile, keep .pstats files in DIR")
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--src", type=Path, default=SRC,
                        help="folder holding the sanboot_mockup package to run (default: this checkout's src/);"
                             " for A/B runs of a changed copy")
    options = parser.parse_args(argv)
    if options.count < 1 or options.workers < 1 or options.per_bmc < 1 or options.seconds <= 0 or options.max_gets < 1:
        parser.error("--count, --workers, --per-bmc, --max-gets and --seconds must be positive")
    if not ipaddress.ip_address(options.base_address).is_loopback:
        parser.error("--base-address must be a loopback address")

    runs = [("HTTPS", True)] + ([("HTTP", False)] if options.http else [])
    parsers = ["python", "c"] if options.parser == "both" else [options.parser]
    profile_dir = Path(options.profile) if options.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    print(f"mockup GET rate: {options.count} BMCs, {options.workers} client process(es), {options.per_bmc} request(s)"
          f" in flight per BMC, {options.seconds:g} s or {options.max_gets} GETs; {os.cpu_count()} CPUs,"
          f" load average {os.getloadavg()[0]:.2f}" + ("; SERVER UNDER cProfile" if profile_dir else "")
          + (f"; mockup from {options.src}" if options.src != SRC else ""), flush=True)
    results = []
    temp = Path(tempfile.mkdtemp(prefix="mockup-get-rate-"))
    try:
        for name, https in runs:
            for which in parsers:
                label = f"{name}, {'pure-Python' if which == 'python' else 'C'} HTTP parser"
                tag = f"{name.lower()}-{which}"
                profile_out = profile_dir / f"{tag}.pstats" if profile_dir else None
                result = run_once(label, temp / tag, options, https, which, profile_out)
                if not options.no_baseline and not profile_dir:
                    result["rss_one_bmc"] = baseline_rss(temp / f"{tag}-one", options, https, which)
                report(result)
                results.append(result)
                shutil.rmtree(temp / tag, ignore_errors=True)
                if profile_out and profile_out.exists():
                    print_profile(profile_out, options.profile_top)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if len(results) > 1:
        print("\n  run                                  GET/s   errors  srv CPU ms/GET  srv util  client util")
        for r in results:
            print(f"  {r['label']:<36} {r['rate']:6.0f}  {r['errors']:6d}  {r['server_cpu_ms_per_get']:14.3f}"
                  f"  {100 * r['server_util']:7.0f}%  {100 * r['client_util']:10.0f}%")
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2))
    failed = [r for r in results if r["errors"] or r.get("exit_code") != 0 or r["login_failures"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
