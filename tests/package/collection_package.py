"""Helpers of tests/package: the collection as users get it (issue 13): the tarball `ansible-galaxy collection
build` makes, installed with `ansible-galaxy collection install` into an empty collections path, in a fresh
virtualenv made only from the collection's requirements.txt. Nothing is kept between runs: each run builds, makes
the virtualenv and installs again, as a fresh CI machine would (pip's own download cache is the only thing it may
find)."""
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

from support.mockup import ROOT

COLLECTION = ROOT / "collections" / "ansible_collections" / "vmw" / "sanboot"
REPO_BIN = Path(sys.executable).parent          # the repository's .venv: the tools that are not the controller
GALAXY = yaml.safe_load((COLLECTION / "galaxy.yml").read_text())
TARBALL_NAME = f"{GALAXY['namespace']}-{GALAXY['name']}-{GALAXY['version']}.tar.gz"
COMMAND_TIMEOUT = 300


def clean_env(path_first, **extra):
    """The environment of a user's shell: no ANSIBLE_* setting, no PYTHONPATH, no virtualenv of this repository
    on PATH; `path_first` (a bin directory) leads PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ANSIBLE_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    rest = [p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep)
            if p and Path(p).resolve() != REPO_BIN.resolve()]
    env["PATH"] = os.pathsep.join([str(path_first), *rest])
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(command, cwd, env, timeout=COMMAND_TIMEOUT):
    """Run to the end, stdout and stderr together; fail with the output when it does not exit 0."""
    proc = subprocess.run([str(c) for c in command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, command))} exited {proc.returncode}:\n{proc.stdout[-6000:]}"
    return proc.stdout


def build(source, output):
    """`ansible-galaxy collection build` of the collection folder `source` into `output`: the tarball's path."""
    output.mkdir(parents=True, exist_ok=True)
    run([REPO_BIN / "ansible-galaxy", "collection", "build", source, "--output-path", output], cwd=output,
        env=clean_env(REPO_BIN, ANSIBLE_HOME=output / ".ansible-home"))
    tarball = output / TARBALL_NAME
    assert tarball.is_file(), f"no {TARBALL_NAME} in {sorted(p.name for p in output.iterdir())}"
    return tarball


class Controller:
    """A fresh virtualenv with only the collection's requirements, the tarball installed into an empty
    collections path, and an ansible.cfg that names that path alone."""

    def __init__(self, folder, tarball):
        self.folder = Path(folder)
        self.venv = self.folder / "venv"
        self.bin = self.venv / "bin"
        self.collections = self.folder / "collections"
        self.home = self.folder / "ansible-home"
        self.config = self.folder / "ansible.cfg"
        # the Python packages the tarball asks for (README "Install": tar -xzf <tarball> requirements.txt)
        with tarfile.open(tarball) as archive:
            self.requirements = self.folder / "requirements.txt"
            self.requirements.write_bytes(archive.extractfile("requirements.txt").read())
        run([sys.executable, "-m", "venv", self.venv], cwd=self.folder, env=clean_env(REPO_BIN))
        run([self.bin / "python", "-m", "pip", "install", "--quiet", "-r", self.requirements],
            cwd=self.folder, env=clean_env(self.bin))
        self.collections.mkdir()
        self.config.write_text("[defaults]\n"
                               f"collections_path = {self.collections}\n"
                               "host_key_checking = False\n"
                               "retry_files_enabled = False\n")
        self.install_output = self.run(["ansible-galaxy", "collection", "install", tarball, "-p", self.collections])
        self.installed = self.collections / "ansible_collections" / GALAXY["namespace"] / GALAXY["name"]

    def env(self, **extra):
        return clean_env(self.bin, ANSIBLE_CONFIG=self.config, ANSIBLE_HOME=self.home,
                         ANSIBLE_LOCAL_TEMP=self.home / "tmp", ANSIBLE_NOCOLOR=1, ANSIBLE_FORCE_COLOR=0, **extra)

    def run(self, command, **kwargs):
        """A command of the virtualenv (its bin first on PATH), run from the controller's folder."""
        return run([self.bin / command[0], *command[1:]], cwd=self.folder, env=self.env(), **kwargs)

    def json(self, command):
        """The JSON a command of the virtualenv prints on stdout (its warnings go to stderr)."""
        proc = subprocess.run([str(self.bin / command[0]), *map(str, command[1:])], cwd=self.folder, env=self.env(),
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        assert proc.returncode == 0, f"{command} exited {proc.returncode}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        return json.loads(proc.stdout)


def copy_tree(source, destination, skip=()):
    """A copy of a folder, leaving out the relative paths in `skip`."""
    def ignore(folder, names):
        relative = Path(folder).relative_to(source)
        return [n for n in names if (relative / n).as_posix() in skip]
    shutil.copytree(source, destination, ignore=ignore, symlinks=True)
    return destination
