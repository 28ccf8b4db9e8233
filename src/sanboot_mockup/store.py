"""Write-through persistence of each BMC's state, so a restarted mockup resumes where it was."""
import json
import os
from pathlib import Path


class Store:
    def __init__(self, state_dir):
        self.folder = Path(state_dir) / "bmcs"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.frozen = False

    def freeze(self):
        """Write nothing from now on. At shutdown the simulator cancels its boot tasks; what they
        record then ("interrupted") is not what happened to the host, which keeps booting while
        its BMC restarts, so the state on disk stays as it was and the next start resumes it."""
        self.frozen = True

    def path(self, name):
        return self.folder / f"{name}.json"

    def load(self, name):
        try:
            return json.loads(self.path(name).read_text())
        except FileNotFoundError:
            return None

    def save(self, name, state):
        if self.frozen:
            return
        # Write then rename: a crash mid-write never leaves a torn file behind.
        target = self.path(name)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, separators=(",", ":")))
        os.replace(tmp, target)
