"""`sanboot-mockup serve` runs a fleet; `sanboot-mockup fleet` writes a fleet file for scale runs."""
import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

# aiohttp's C parser answers 400 to an unknown HTTP method before any handler runs; a BMC answers
# 405 with Allow (DMTF's Protocol Validator checks it). The pure-Python parser lets us.
os.environ.setdefault("AIOHTTP_NO_EXTENSIONS", "1")

import yaml  # noqa: E402

from .fleet import FleetError, generate_fleet, load_fleet  # noqa: E402
from .server import serve  # noqa: E402


def _parser():
    parser = argparse.ArgumentParser(prog="sanboot-mockup", description="A Redfish BMC fleet simulator.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve every BMC of a fleet file")
    run.add_argument("--fleet", required=True, help="fleet file (YAML)")
    run.add_argument("--state-dir", default=".state/mockup", help="where state, the CA and logs live")
    run.add_argument("--http", action="store_true", help="plain HTTP instead of HTTPS")
    run.add_argument("--ready-file", help="written as JSON once every BMC listens")
    run.add_argument("--log-level", default="INFO")
    clean = commands.add_parser("cleanup", help="remove what a killed mockup left (tgtd, LUN files)")
    clean.add_argument("--state-dir", required=True)
    make = commands.add_parser("fleet", help="write a fleet file of N BMCs with one SAN")
    make.add_argument("--count", type=int, required=True)
    make.add_argument("--out", required=True)
    make.add_argument("--base-address", default="127.0.1.1")
    make.add_argument("--port", type=int, default=8443)
    make.add_argument("--san", choices=["model", "tgt"], default="model", help="SAN backend of the fleet")
    return parser


def _logging(state_dir, level):
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # The request log: method, path and status only; never bodies or headers, so never secrets.
    handler = logging.FileHandler(Path(state_dir) / "requests.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    access = logging.getLogger("sanboot_mockup.access")
    access.addHandler(handler)
    access.propagate = False
    access.setLevel(logging.INFO)


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "cleanup":
        from .san_tgt import cleanup
        cleanup(args.state_dir)
        return 0
    if args.command == "fleet":
        if args.count < 1:
            print("--count must be at least 1", file=sys.stderr)
            return 2
        doc = generate_fleet(args.count, args.base_address, args.port)
        doc["san"]["backend"] = args.san
        Path(args.out).write_text(yaml.safe_dump(doc, sort_keys=False))
        return 0
    try:
        fleet = load_fleet(args.fleet)
    except (OSError, FleetError) as exc:
        print(f"sanboot-mockup: {exc}", file=sys.stderr)
        return 2
    Path(args.state_dir).mkdir(parents=True, exist_ok=True)
    _logging(args.state_dir, args.log_level.upper())
    asyncio.run(serve(fleet, args.state_dir, use_https=not args.http, ready_file=args.ready_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
