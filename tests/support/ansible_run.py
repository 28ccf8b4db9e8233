"""Running ansible-playbook vmw.sanboot.<playbook> as a user does, and reading what it printed: the PLAY RECAP,
the role's own failure messages; killing a controller as a recycled AWX node dies (SIGKILL to the whole tree)."""
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from support.mockup import ROOT

PLAYBOOK_TIMEOUT = 900
RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
                   r"\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+rescued=(?P<rescued>\d+)"
                   r"\s+ignored=(?P<ignored>\d+)", re.MULTILINE)


def parse_recap(output):
    """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from the PLAY RECAP."""
    _, sep, tail = output.rpartition("PLAY RECAP")
    assert sep, "no PLAY RECAP in the output:\n" + output[-4000:]
    return {m["host"]: {k: int(v) for k, v in m.groupdict().items() if k != "host"} for m in RECAP.finditer(tail)}


def failure_messages(output, host):
    """The messages of every `fatal: [host]: FAILED! => {...}` line (a -v or quieter run prints them as JSON)."""
    return [json.loads(m[1]).get("msg", "") for m in re.finditer(rf"^fatal: \[{re.escape(host)}\]: FAILED! => (\{{.*\}})$",
                                                                 output, re.MULTILINE)]


class PlaybookRun:
    def __init__(self, command, returncode, output):
        self.command, self.returncode, self.output = command, returncode, output
        self.recap = parse_recap(output)

    def __repr__(self):
        return f"PlaybookRun(rc={self.returncode}, recap={self.recap})"

    def tail(self, chars=6000):
        return self.output[-chars:]


def playbook_command(names, inventory, env_extra, home, extra=(), vault_password_file=None):
    """(command, env) for `ansible-playbook vmw.sanboot.<name> ...` (a name ending in .yml: that playbook file) with
    the repository's ansible.cfg."""
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
           "ANSIBLE_HOME": str(home / "home"), "ANSIBLE_LOCAL_TEMP": str(home / "tmp"), **env_extra}
    command = [str(Path(sys.executable).parent / "ansible-playbook"),
               *(name if name.endswith(".yml") else f"vmw.sanboot.{name}" for name in names),
               "-i", str(inventory), *(["--vault-password-file", str(vault_password_file)] if vault_password_file else []),
               *extra]
    return command, env


def run(command, env, output_file, timeout=PLAYBOOK_TIMEOUT):
    """Run to the end; the output (stdout and stderr) is kept in output_file too."""
    proc = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout)
    Path(output_file).parent.mkdir(parents=True, exist_ok=True)
    Path(output_file).write_text(proc.stdout)
    return PlaybookRun(command, proc.returncode, proc.stdout)


def start(command, env, output_file):
    """Started in its own process group, its output going to output_file: returns the Popen (see kill_controller)."""
    Path(output_file).parent.mkdir(parents=True, exist_ok=True)
    with open(output_file, "w") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _children():
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        found.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(int(stat.parent.name))
    return found


def kill_controller(process):
    """SIGKILL ansible-playbook and all its descendants. Its workers call setsid(), so they are not in its process
    group: they are found by parent pid. The tree is stopped first (SIGSTOP), and scanned again until no new
    process shows up, so that no worker forked during the scan survives to send a reset."""
    stopped = set()
    while True:
        children, todo, tree = _children(), [process.pid], []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        new = [pid for pid in tree if pid not in stopped]
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
            stopped.add(pid)
    for pid in stopped:
        _signal(pid, signal.SIGKILL)
    process.wait()


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
