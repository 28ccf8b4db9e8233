"""The `tgt` SAN backend: a real userspace iSCSI target (tgtd) and real logins through libiscsi.

The mockup starts one tgtd per fleet portal (its own control socket, a loopback portal), creates
the targets, file-backed LUNs (1 and up: tgt keeps LUN 0 as its controller), CHAP and mutual CHAP
accounts and ACLs from the fleet file, and removes all of it on shutdown. The boot firmware's
login, boot-sector read and the installer's write go through native/iscsi_io.c, a small libiscsi
program compiled on first use, with secrets passed in its environment, never on its command line.
tgtd dies with the mockup even when the mockup is killed (PR_SET_PDEATHSIG); what a crash leaves
behind (LUN files) is removed at the next start or by `sanboot-mockup cleanup`.
"""
import asyncio
import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import zlib
from importlib import resources
from pathlib import Path

from .san_base import (AUTH_FAILURE, LUN_NOT_SUPPORTED, MUTUAL_AUTH_FAILURE, OK, PORTAL_UNREACHABLE,
                       TARGET_NOT_FOUND, LoginResult, esxi_boot_sector, portal_key)

BLOCK = 512
# libiscsi's words for each outcome (see notes/userspace-iscsi.md), most specific first.
_REASONS = [
    ("Invalid CHAP_R", MUTUAL_AUTH_FAILURE), ("Wrong CHAP targetname", MUTUAL_AUTH_FAILURE),
    ("CHAP_N", MUTUAL_AUTH_FAILURE), ("Authentication failure", AUTH_FAILURE),
    ("Target not found", TARGET_NOT_FOUND), ("LOGICAL_UNIT_NOT_SUPPORTED", LUN_NOT_SUPPORTED),
    ("reconnect", PORTAL_UNREACHABLE), ("Connection refused", PORTAL_UNREACHABLE),
    ("connect", PORTAL_UNREACHABLE),
]


class TgtError(RuntimeError):
    pass


def _die_with_parent():
    """In the child: SIGKILL when the mockup exits, however it exits (SIGTERM does not stop tgtd)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def classify(message):
    for words, code in _REASONS:
        if words in message:
            return code
    return PORTAL_UNREACHABLE if not message else TARGET_NOT_FOUND


def build_helper(folder):
    """Compile native/iscsi_io.c once per source version; returns the program's path."""
    source = resources.files(__package__).joinpath("native", "iscsi_io.c").read_bytes()
    program = Path(folder) / f"iscsi_io-{hashlib.sha1(source).hexdigest()[:10]}"
    if program.exists():
        return program
    Path(folder).mkdir(parents=True, exist_ok=True)
    src = program.with_suffix(".c")
    src.write_bytes(source)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libiscsi"], capture_output=True, text=True)
    libs = flags.stdout.split() if flags.returncode == 0 else ["-liscsi"]
    built = subprocess.run(["cc", "-O2", "-o", str(program), str(src), *libs], capture_output=True, text=True)
    if built.returncode != 0:
        raise TgtError(f"cannot build the libiscsi helper (apt-get install libiscsi-dev gcc): {built.stderr.strip()}")
    return program


def cleanup(state_dir):
    """Remove what a previous run of this state directory left: tgtd processes, LUN files."""
    folder = Path(state_dir) / "tgt"
    record = folder / "daemons.json"
    if record.exists():
        for daemon in json.loads(record.read_text()):
            _stop_daemon(daemon["control"], daemon["pid"])
        record.unlink()
    shutil.rmtree(folder / "luns", ignore_errors=True)


def _stop_daemon(control, pid):
    # tgtd ignores SIGTERM: delete its targets and the system through its control socket, then
    # make sure the process is gone.
    show = subprocess.run(["tgtadm", "-C", str(control), "--lld", "iscsi", "--op", "show", "--mode", "target"],
                          capture_output=True, text=True)
    for line in show.stdout.splitlines():
        if line.startswith("Target ") and ":" in line:
            tid = line.split()[1].rstrip(":")
            subprocess.run(["tgtadm", "-C", str(control), "--lld", "iscsi", "--op", "delete", "--force",
                            "--mode", "target", "--tid", tid], capture_output=True)
    subprocess.run(["tgtadm", "-C", str(control), "--op", "delete", "--mode", "system"], capture_output=True)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for leftover in (f"/var/run/tgtd/socket.{control}", f"/var/run/tgtd/socket.{control}.lock"):
        Path(leftover).unlink(missing_ok=True)


class TgtSan:
    backend = "tgt"

    def __init__(self, san, state_dir):
        self.san = san
        self.state_dir = Path(state_dir)
        self.folder = self.state_dir / "tgt"
        self.luns_dir = self.folder / "luns"
        self.targets = {t.iqn: t for t in san.targets}
        self.down = set()
        self.daemons = {}   # portal -> {"control", "pid", "process"}
        self.helper = None
        self._file = self.state_dir / "san.json"
        self._contents = {f"{t.iqn}/{lun.id}": lun.content for t in san.targets for lun in t.luns}
        if self._file.exists():
            self._contents.update(json.loads(self._file.read_text()))

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self):
        cleanup(self.state_dir)
        for target in self.san.targets:
            if any(lun.id < 1 for lun in target.luns):
                raise TgtError(f"{target.iqn}: tgt keeps LUN 0 for itself; boot LUNs start at 1")
        self.helper = await asyncio.to_thread(build_helper, self.folder)
        self.luns_dir.mkdir(parents=True, exist_ok=True)
        for portal in self.san.portals:
            await self._start_daemon(portal_key(portal))
        self._record()
        for tid, target in enumerate(self.san.targets, start=1):
            await asyncio.to_thread(self._create_target, tid, target)

    async def _start_daemon(self, portal):
        # tgtd's control ports are small numbers (its own range check); one per state dir and portal.
        control = 100 + zlib.crc32(f"{self.state_dir.resolve()}|{portal}".encode()) % 20000
        process = subprocess.Popen(["tgtd", "-f", "-C", str(control), "--iscsi", f"portal={portal}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        self.daemons[portal] = {"control": control, "pid": process.pid, "process": process}
        for _ in range(200):
            ready = subprocess.run(["tgtadm", "-C", str(control), "--op", "show", "--mode", "system"],
                                   capture_output=True)
            if ready.returncode == 0:
                return
            if process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        raise TgtError(f"tgtd did not start for portal {portal} (is the port free?)")

    def _record(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "daemons.json").write_text(json.dumps(
            [{"portal": p, "control": d["control"], "pid": d["pid"]} for p, d in self.daemons.items()]))

    def _tgtadm(self, control, *args):
        result = subprocess.run(["tgtadm", "-C", str(control), "--lld", "iscsi", *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise TgtError(f"tgtadm {' '.join(a for a in args if a)}: {result.stderr.strip()}")

    def _create_target(self, tid, target):
        daemon = self.daemons.get(portal_key(target.portal))
        if daemon is None:
            raise TgtError(f"{target.iqn}: portal {target.portal} is not among san.portals")
        control = daemon["control"]
        self._tgtadm(control, "--op", "new", "--mode", "target", "--tid", str(tid), "-T", target.iqn)
        for lun in target.luns:
            path = self._lun_file(target.iqn, lun)
            self._tgtadm(control, "--op", "new", "--mode", "logicalunit", "--tid", str(tid), "--lun", str(lun.id),
                         "-b", str(path))
        for initiator in target.acl or ("ALL",):
            self._tgtadm(control, "--op", "bind", "--mode", "target", "--tid", str(tid), "--initiator-name", initiator)
        for account, outgoing in ((target.chap, False), (target.mutual_chap, True)):
            if account:
                user, secret = account
                self._tgtadm(control, "--op", "new", "--mode", "account", "--user", user, "--password", secret)
                self._tgtadm(control, "--op", "bind", "--mode", "account", "--tid", str(tid), "--user", user,
                             *(["--outgoing"] if outgoing else []))

    def _lun_file(self, iqn, lun):
        path = self.luns_dir / f"{iqn.replace(':', '_')}-lun{lun.id}.img"
        with open(path, "wb") as handle:
            handle.truncate(lun.size_mib * 1024 * 1024)
            if self._contents.get(f"{iqn}/{lun.id}") == "esxi":
                handle.write(_esxi_blocks())   # the fleet says ESXi is already installed there
        return path

    async def stop(self):
        for daemon in self.daemons.values():
            await asyncio.to_thread(_stop_daemon, daemon["control"], daemon["pid"])
            daemon["process"].wait(10)
        self.daemons = {}
        (self.folder / "daemons.json").unlink(missing_ok=True)
        shutil.rmtree(self.luns_dir, ignore_errors=True)

    # -- what the firmware does ------------------------------------------------------------------
    def set_down(self, target=None, down=True):
        # A SAN outage as the initiator sees it: logins to the target(s) find no portal answering.
        (self.down.add if down else self.down.discard)(target or "*")

    def lun_states(self):
        return dict(self._contents)

    async def _run(self, mode, request, data=None):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ISCSI_INITIATOR": request.initiator or ""}
        if request.auth in ("CHAP", "MutualCHAP") and request.chap_user:
            env.update(ISCSI_CHAP_USER=request.chap_user, ISCSI_CHAP_SECRET=request.chap_secret or "")
        if request.auth == "MutualCHAP" and request.mutual_user:
            env.update(ISCSI_MUTUAL_USER=request.mutual_user, ISCSI_MUTUAL_SECRET=request.mutual_secret or "")
        process = await asyncio.create_subprocess_exec(
            str(self.helper), mode, portal_key(request.portal), request.target or "-", str(request.lun), env=env,
            stdin=asyncio.subprocess.PIPE if data else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(process.communicate(data), timeout=30)
        except asyncio.TimeoutError:
            process.kill()
            return 10, b"", "libiscsi: no answer within 30 s"
        return process.returncode, out, err.decode(errors="replace").strip()

    async def login(self, request):
        if "*" in self.down or request.target in self.down:
            return LoginResult(PORTAL_UNREACHABLE, f"SAN down (fault injected): nothing answers at {request.portal}")
        code, _out, message = await self._run("login", request)
        if code == 0:
            return LoginResult(OK)
        return LoginResult(classify(message), f"libiscsi: {message}")

    async def read_boot_sector(self, request):
        code, out, message = await self._run("read", request)
        if code != 0:
            raise TgtError(f"reading the boot sector failed: {message}")
        return out

    async def install_esxi(self, request):
        code, _out, message = await self._run("write", request, _esxi_blocks())
        if code != 0:
            raise TgtError(f"writing ESXi to the LUN failed: {message}")
        self._contents[f"{request.target}/{request.lun}"] = "esxi"
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._contents, indent=1, sort_keys=True))
        os.replace(tmp, self._file)


def _esxi_blocks():
    """LBA 0 (protective MBR) and LBA 1 (GPT header signature), as an ESXi install leaves them."""
    blocks = bytearray(esxi_boot_sector() + bytes(BLOCK))
    blocks[BLOCK:BLOCK + 8] = b"EFI PART"
    return bytes(blocks)
