#!/usr/bin/env python3
"""What one Redfish request costs the controller, measured without Ansible: the collection's own client
(module_utils/transport.RedfishClient, python-redfish-library over HTTPS with certificate checks and a
session) in one process, one thread per BMC, as wait_for_boots runs them.

It starts a generated DMTF fleet (benchmarks/fleet_lab.py) with --latency-ms injected, opens a session
on every BMC, reads Systems/1 --gets times per BMC from --hosts threads at once, closes the sessions, and
prints the process's CPU per request and the wall time. With --rollout-requests (a rollout's requests
per host, from `make bench`) it prints the controller CPU those requests alone cost for the fleet: the
lower bound of any executor (a role of per-host tasks, or one action over the batch) on this machine,
since a Python process runs one thread at a time (the GIL).

    .venv/bin/python benchmarks/client_request_cost.py --hosts 200 --latency-ms 100 --rollout-requests 33
"""
import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "collections"), str(ROOT / "benchmarks")]

from ansible_collections.vmw.sanboot.plugins.module_utils.transport import RedfishClient  # noqa: E402
from fleet_lab import BenchLab  # noqa: E402


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--gets", type=int, default=20, help="GETs of Systems/1 per BMC")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--rollout-requests", type=float, default=0, help="a rollout's requests per host")
    parser.add_argument("--floor-s", type=float, default=0, help="the rollout's floor at this size, from make bench")
    # fleet_lab's options
    parser.add_argument("--personality", default="dmtf")
    parser.add_argument("--forks", type=int, default=5)
    parser.add_argument("--serial", default="100%")
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--graceful-timeout", type=float, default=30)
    return parser.parse_args()


def read_host(lab, host, gets, counts):
    bmc = lab.bmc(host)
    user, password = bmc.auth
    with RedfishClient(baseuri=bmc.base, username=user, password=password, ca_path=bmc.verify,
                       validate_certs=True, timeout=30, retries=0) as client:
        client.open_session()
        for _ in range(gets):
            client.get("/redfish/v1/Systems/1", fresh=True)
        counts[host] = len(client.requests) + 2      # and the session's POST and DELETE


def main():
    options = parse()
    with tempfile.TemporaryDirectory(prefix="sanboot-client-cost-") as folder:
        lab = BenchLab(folder, options).start(latency_ms=options.latency_ms)
        try:
            counts = {}
            threads = [threading.Thread(target=read_host, args=(lab, h, options.gets, counts)) for h in lab.hosts]
            cpu, wall = time.process_time(), time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        finally:
            lab.stop()
    requests = sum(counts.values())
    per = cpu / max(requests, 1)
    print(f"{len(counts)} of {options.hosts} BMCs, {requests} requests ({options.gets} GETs each, the service root, a "
          f"session), latency {options.latency_ms:g} ms, one thread per BMC")
    print(f"wall {wall:.2f} s; client CPU {cpu:.2f} s = {per * 1000:.2f} ms per request")
    if options.rollout_requests:
        need = per * options.rollout_requests * options.hosts
        print(f"a rollout's {options.rollout_requests:g} requests per host x {options.hosts} hosts cost the controller "
              f"{need:.1f} s of CPU in one process (one core: the GIL)"
              + (f"; 1.25 x the floor is {1.25 * options.floor_s:.1f} s" if options.floor_s else ""))


if __name__ == "__main__":
    main()
