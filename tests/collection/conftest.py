"""Fixtures of the collection tests: `ansible` runs modules through ansible-playbook against a
mockup and checks, after every test, that no session was left open on any BMC and that no secret
appears in what the test's runs printed or logged (test_zz_no_secrets.py checks the whole
session's; this check names the test, and holds when tests do not share one process)."""
import pytest
from iscsi_args import SECRETS
from playbook_runner import TRANSCRIPTS, Ansible

from support.mockup import PASSWORD


@pytest.fixture
def ansible(mockup, tmp_path):
    first = len(TRANSCRIPTS)
    yield Ansible(mockup, tmp_path / "ansible")
    TRANSCRIPTS.append(("mockup request log", mockup.request_log()))
    # No session left behind, whatever the test did.
    for entry in mockup.ready["bmcs"]:
        assert mockup.bmc(entry["name"]).stats()["sessions"] == 0, f"{entry['name']} has a session left open"
    leaks = [(name, secret) for name, text in TRANSCRIPTS[first:] for secret in SECRETS + [PASSWORD] if secret in text]
    assert not leaks, leaks
