"""The rollout run by ansible-runner as AWX/AAP runs a job (issue 13, part 2): the Python API (ansible_runner.run, in
pexpect mode) on a private data dir laid out as an AWX job's (tests/support/runner_awx.py says where each piece
comes from in AWX's code): project/site.yml (a first play reads the site's vault.yml, then
`import_playbook: vmw.sanboot.rollout`), inventory/hosts (the executable script AWX writes, from the generated
fleet's inventory imported as an AWX inventory update imports it, with no secret in it), env/extravars,
env/envvars (the collections path) and a Vault credential: env/cmdline `--ask-vault-pass` or
`--vault-id sanboot@prompt`, env/passwords answering ansible-playbook's prompt.

A generated fleet of one BMC of each personality (127.0.80.x, hosts 127.0.84.x). Job 1 has a wrong CHAP secret
for one host: rc 2, status "failed", that host alone has runner_on_failed events and is in the stats' failures,
failed with a diagnosis naming the login; every other host has runner_on_ok events and boots from its LUN. Job 2
(the secret corrected, sent once with chap_secret_update always as a host variable) is "successful", rc 0, every
host ok. Neither job's events (stdout, event_data, res), artifacts, summary or backups carry a secret: the BMC
password, the CHAP secrets (the wrong one too), the vault password, nor any session token the BMCs issued."""
import json
import secrets
import types

import pytest
import yaml

from support.chaos import BY_NAME, PERSONALITIES, ChaosLab, check_fleet, controller_texts, format_table
from support.runner_awx import (artifact_texts, host_events, import_inventory, private_data_dir, run_job, script_data,
                                site_playbook, vault_encrypt)

HOSTS = len(PERSONALITIES)   # one BMC of each personality
VAULT_ID = "sanboot"


@pytest.fixture
def runner_lab(tmp_path):
    lab = ChaosLab(tmp_path / "runner", HOSTS, nets=(80, 84)).start()
    yield lab
    lab.stop()


def run_rollout(lab, ident, inventory, vault_values, vault_password, vault_id=None, verbosity=0):
    """One AWX-like job of site.yml (the rollout); returns (runner, events, stdout, summary, texts)."""
    summary_file = lab.folder / f"summary-{ident}.json"
    folder = private_data_dir(lab.folder / f"job-{ident}", site_playbook("rollout"), inventory,
                              {"sanboot_summary_file": str(summary_file)},
                              vault_encrypt(yaml.safe_dump(vault_values), vault_password, VAULT_ID), vault_password,
                              vault_id=vault_id)
    runner = run_job(folder, ident, verbosity=verbosity, forks=HOSTS)
    events = list(runner.events)
    stdout = (folder / "artifacts" / ident / "stdout").read_text()
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    texts = {**controller_texts(lab, types.SimpleNamespace(output=stdout), [summary_file]),
             **artifact_texts(folder, ident), "events (the Python API)": json.dumps(events)}
    return runner, events, stdout, summary, texts


def check_host_events(events, hosts, failed=()):
    """Every host has runner_on_ok events; only `failed` have runner_on_failed events and stats failures; none is
    unreachable; the stats processed every host of the job (and localhost, the summary's play)."""
    by_event, stats = host_events(events)
    assert stats is not None, "no playbook_on_stats event"
    assert not by_event.get("runner_on_unreachable") and not stats["dark"], (by_event.get("runner_on_unreachable"), stats["dark"])
    assert set(by_event.get("runner_on_failed", {})) == set(failed), by_event.get("runner_on_failed")
    assert set(stats["failures"]) == set(failed), stats["failures"]
    assert set(by_event["runner_on_ok"]) >= set(hosts), by_event["runner_on_ok"]
    assert set(stats["ok"]) >= set(hosts) and set(stats["processed"]) == set(hosts) | {"localhost"}, stats
    return by_event, stats


def no_secret(texts, found_secrets):
    leaks = {where: sum(secret in text for secret in found_secrets) for where, text in texts.items()}
    return {where: n for where, n in leaks.items() if n}


def test_the_rollout_through_ansible_runner_as_awx_runs_it(runner_lab):
    lab = runner_lab
    inventory = import_inventory(lab)
    exported = json.dumps(inventory)
    assert not [s for s in lab.secrets() if s in exported], "the AWX inventory holds a secret"
    assert sorted(inventory["_meta"]["hostvars"]) == lab.hosts
    vault_password = secrets.token_urlsafe(18)
    bad = next(h for h in lab.hosts if lab.personality(h) == "ilo6")
    right = lab.fleet_secrets()
    wrong_secret = secrets.token_hex(8)      # 16 characters, as valid as the right one
    wrong = dict(right, vault_sanboot_chap_secrets=dict(right["vault_sanboot_chap_secrets"], **{bad: wrong_secret}))
    every_secret = lab.secrets() | {wrong_secret, vault_password}

    # job 1: one wrong CHAP secret; a Vault credential without a vault id (--ask-vault-pass), verbosity 3
    before = lab.snapshot()
    runner, events, stdout, summary, texts = run_rollout(lab, "1", script_data(inventory), wrong, vault_password, verbosity=3)
    assert "Vault password:" in stdout, "the vault password was not asked for at the prompt"
    assert (runner.rc, runner.status) == (2, "failed"), stdout[-6000:]
    check_host_events(events, lab.hosts, failed={bad})
    table, violations = check_fleet(lab, {bad: BY_NAME["wrong_chap"]}, before, stdout, summary, texts)
    print(format_table(table))
    assert not violations, "\n".join(violations)
    assert table["booted"] == HOSTS - 1 and table["failed with diagnosis"] == 1, format_table(table)
    tokens = {t for h in lab.hosts for t in lab.bmc(h).admin("sessions")["issued_tokens"]}
    assert tokens, "the BMCs issued no session token: the rollout used none?"
    assert not no_secret(texts, every_secret | tokens), no_secret(texts, every_secret | tokens)

    # job 2: the secret corrected (sent once: CHAP secrets read back null, never compared), a Vault credential
    # with a vault id (--vault-id sanboot@prompt)
    before = lab.snapshot()
    corrected = script_data(inventory, host_vars={bad: {"sanboot_chap_secret_update": "always"}})
    runner, events, stdout, summary, texts = run_rollout(lab, "2", corrected, right, vault_password, vault_id=VAULT_ID)
    assert f"Vault password ({VAULT_ID}):" in stdout
    assert (runner.rc, runner.status) == (0, "successful"), stdout[-6000:]
    by_event, stats = check_host_events(events, lab.hosts)
    table, violations = check_fleet(lab, {}, before, stdout, summary, texts)
    print(format_table(table))
    assert not violations, "\n".join(violations)
    assert table["booted"] == HOSTS, format_table(table)
    # the host fixed is configured and reset; the others, booted by job 1, are not reset again
    assert {h for h, said in summary.items() if said["resets"]} == {bad}, summary
    tokens = {t for h in lab.hosts for t in lab.bmc(h).admin("sessions")["issued_tokens"]}
    assert not no_secret(texts, every_secret | tokens), no_secret(texts, every_secret | tokens)
