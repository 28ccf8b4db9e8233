"""Running the collection's playbooks as AWX/AAP runs a job template, without AWX: an inventory imported the way an
AWX inventory update imports it, cut into job slices the way AWX cuts it, written into an ansible-runner private
data dir the way an AWX job writes it, and the vault password answered at the prompt the way AWX answers it.

Sources (ansible/awx, read with the search tool; the lines quoted are AWX's):
- awx/main/tasks/jobs.py, BaseTask.build_inventory: the job's inventory is `inventory/hosts` in the private data
  dir, an executable script `print(%r)` of the JSON of Inventory.get_script_data(hostvars=True, towervars=True,
  slice_number=job.job_slice_number, slice_count=job.job_slice_count).
- awx/main/models/inventory.py, Inventory.get_script_data: the hosts are
  `self.hosts.filter(enabled=True).order_by('name')`, and a slice keeps `hosts[offset::slice_count]` with
  `offset = slice_number - 1`: host i (0-based, by name) goes to slice i % slice_count (numbered from 1 as
  i % slice_count + 1). Groups keep only the slice's hosts ("host might not be in current shard"), group and
  `all` vars are kept, `_meta.hostvars` holds the slice's hosts only. docs/job_slicing.md: a sliced job template
  runs as a workflow of slice jobs, each on its part of the inventory, possibly on different nodes, in parallel.
- awx/main/tasks/jobs.py, RunJob.build_args: a Vault credential without a vault id adds `--ask-vault-pass`, one
  with a vault id adds `--vault-id <id>@prompt`; RunJob.get_password_prompts answers the prompt
  `Vault password:\\s*?$` (or `Vault password \\(<id>\\):\\s*?$`) with the credential's password, which is
  ansible-runner's `passwords` (env/passwords: {regex: answer}, answered through pexpect).
- The project: the job template's playbook is a file of the project (here `project/site.yml`, which imports the
  collection's playbook); ansible-runner runs ansible-playbook in project/ (so no repository ansible.cfg applies);
  the collection comes from the collections path (AWX: the project's collections/requirements.yml installed into
  the job's requirements_collections; here env/envvars ANSIBLE_COLLECTIONS_PATH).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from support.mockup import ROOT

VENV_BIN = Path(sys.executable).parent
COLLECTIONS = ROOT / "collections"


def _plain(value):
    """ansible-inventory marks strings unsafe in its JSON ({"__ansible_unsafe": ...}); AWX stores plain values."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def import_inventory(lab, drop_prefix="vault_"):
    """The generated lab's inventory as an AWX inventory update imports it (`ansible-inventory --list --export` on
    the source), without the variables whose names start with `drop_prefix`: the secrets, which live in the
    project's vault, never in an AWX inventory."""
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "SANBOOT_LAB_STATE_DIR": str(lab.mockup.state_dir),
           "ANSIBLE_HOME": str(lab.folder / "inventory-import"), "ANSIBLE_NOCOLOR": "1"}
    proc = subprocess.run([str(VENV_BIN / "ansible-inventory"), "-i", str(lab.inventory / "hosts.sanboot_fleet.yml"),
                           "--list", "--export"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = _plain(json.loads(proc.stdout))
    for name, group in data.items():
        if name != "_meta" and isinstance(group.get("vars"), dict):
            group["vars"] = {k: v for k, v in group["vars"].items() if not k.startswith(drop_prefix)}
    for host_vars in data.get("_meta", {}).get("hostvars", {}).values():
        for key in [k for k in host_vars if k.startswith(drop_prefix)]:
            del host_vars[key]
    return data


def slice_hosts(hosts, slice_number, slice_count):
    """AWX's cut: by name, hosts[slice_number - 1::slice_count]."""
    hosts = sorted(hosts)
    return hosts[slice_number - 1::slice_count] if slice_count > 1 and slice_number > 0 else hosts


def script_data(inventory, slice_number=1, slice_count=1, host_vars=None):
    """What Inventory.get_script_data returns for one slice job: its hosts only, in every group they belong to,
    the groups' vars, `_meta.hostvars` of its hosts (plus `host_vars`: {host: {var: value}}, as a host's
    variables set in AWX)."""
    all_hosts = sorted(inventory["_meta"]["hostvars"])
    kept = set(slice_hosts(all_hosts, slice_number, slice_count))
    data = {}
    for name, group in inventory.items():
        if name == "_meta":
            continue
        info = {}
        if group.get("hosts"):
            hosts = [h for h in group["hosts"] if h in kept]
            if hosts:
                info["hosts"] = hosts
        for key in ("children", "vars"):
            if group.get(key):
                info[key] = group[key]
        data[name] = info
    data["_meta"] = {"hostvars": {h: dict(inventory["_meta"]["hostvars"][h], **(host_vars or {}).get(h, {}))
                                  for h in all_hosts if h in kept}}
    return data


def write_inventory_script(folder, data):
    """inventory/hosts as AWX writes it: an executable script printing the JSON (AWX's shebang is
    `/usr/bin/env python3`, the execution environment's Python; here the test's own interpreter)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hosts"
    path.write_text(f"#! {sys.executable}\n# -*- coding: utf-8 -*-\nprint(%r)\n" % json.dumps(data))
    path.chmod(0o700)
    return path


def vault_encrypt(plaintext, password, vault_id="default"):
    """`ansible-vault encrypt --vault-id <vault_id>@...` of plaintext, as text."""
    secret = VaultSecret(password.encode())
    return VaultLib([(vault_id, secret)]).encrypt(plaintext, secret, vault_id=vault_id).decode()


def site_playbook(*names):
    """The project's site playbook (the file a job template runs): a first play reads the site's vaulted secrets
    (project/vault.yml, opened by the job's Vault credential) for the hosts of the job, then the collection's
    playbooks. Not group_vars/ beside site.yml: ansible-core reads playbook group_vars from the directory of the
    playbook a play comes from, and the plays of an imported collection playbook come from the collection
    (executor/playbook_executor.py sets the loader's basedir to the play's _included_path)."""
    imports = "".join(f"\n- name: vmw.sanboot.{name}\n  ansible.builtin.import_playbook: vmw.sanboot.{name}\n" for name in names)
    return ("---\n"
            "- name: Read the site's vaulted secrets\n"
            "  hosts: \"{{ sanboot_hosts | default('esxi_hosts') }}\"\n"
            "  gather_facts: false\n"
            "  tasks:\n"
            "    - name: Read vault.yml (the job's Vault credential opens it)\n"
            "      ansible.builtin.include_vars:\n"
            "        file: vault.yml\n"
            "      no_log: true\n" + imports)


def _write(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=mode)
    path.write_text(text)


def vault_prompt(vault_id=None):
    """(env/cmdline, prompt regex) of an AWX Vault credential, with or without a vault id."""
    if vault_id:
        return f"--vault-id {vault_id}@prompt", r"Vault password \(%s\):\s*?$" % vault_id
    return "--ask-vault-pass", r"Vault password:\s*?$"


def private_data_dir(folder, site, inventory, extravars, vaulted, vault_password, vault_id=None):
    """An ansible-runner private data dir laid out as an AWX job's: project/ (site.yml and the vaulted vault.yml
    beside it), inventory/hosts (the script), env/extravars, env/envvars (the collections path), env/cmdline and
    env/passwords (the Vault credential)."""
    folder = Path(folder)
    _write(folder / "project" / "site.yml", site, 0o644)
    _write(folder / "project" / "vault.yml", vaulted)
    write_inventory_script(folder / "inventory", inventory)
    cmdline, prompt = vault_prompt(vault_id)
    _write(folder / "env" / "extravars", yaml.safe_dump(extravars))
    _write(folder / "env" / "envvars", yaml.safe_dump({
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_HOME": str(folder / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}))
    _write(folder / "env" / "cmdline", cmdline)
    _write(folder / "env" / "passwords", yaml.safe_dump({prompt: vault_password}))
    return folder


def run_job(folder, ident, verbosity=0, forks=None):
    """ansible_runner.run on the private data dir (the Python API, in pexpect mode as AWX runs it), quiet; the
    execution environment's PATH leads to the venv's ansible-playbook."""
    import ansible_runner
    return ansible_runner.run(private_data_dir=str(folder), playbook="site.yml", ident=ident, quiet=True,
                              verbosity=verbosity, forks=forks, timeout=600,
                              envvars={"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"})


def start_job_cli(folder, ident, forks=None):
    """`ansible-runner run <private data dir> -p site.yml` as its own process (an AWX slice job runs on its own
    node), its console output in <folder>/runner-<ident>.log; returns the Popen."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("ANSIBLE_CONFIG", None)
    command = [str(VENV_BIN / "ansible-runner"), "run", str(folder), "-p", "site.yml", "--ident", ident,
               *(["--forks", str(forks)] if forks else [])]
    with open(Path(folder) / f"runner-{ident}.log", "w") as log:
        return subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def job_result(folder, ident):
    """(rc, status, events in order, stdout) from a finished job's artifacts."""
    artifacts = Path(folder) / "artifacts" / ident
    events = [json.loads(p.read_text()) for p in (artifacts / "job_events").glob("*.json")]
    events.sort(key=lambda e: e["counter"])
    return (int((artifacts / "rc").read_text()), (artifacts / "status").read_text().strip(), events,
            (artifacts / "stdout").read_text())


def host_events(events):
    """{event name: {host: count}} of the per-host events (runner_on_ok, runner_on_failed, runner_on_unreachable,
    runner_on_skipped, runner_item_on_*), and the playbook_on_stats event's data."""
    by_event, stats = {}, None
    for event in events:
        data = event.get("event_data") or {}
        if event["event"] == "playbook_on_stats":
            stats = data
        elif data.get("host") and event["event"].startswith("runner_"):
            counts = by_event.setdefault(event["event"], {})
            counts[data["host"]] = counts.get(data["host"], 0) + 1
    return by_event, stats


def artifact_texts(folder, ident):
    """Every file of the job's artifacts (stdout, job_events, command, status, rc, fact cache), as text."""
    texts = {}
    for path in sorted((Path(folder) / "artifacts" / ident).rglob("*")):
        if path.is_file():
            texts[f"artifacts/{ident}/{path.relative_to(Path(folder) / 'artifacts' / ident)}"] = path.read_text(errors="replace")
    return texts
