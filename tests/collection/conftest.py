"""Fixtures of the collection tests: `ansible` runs modules through ansible-playbook against a
mockup and checks, after every test, that no session was left open on any BMC."""
import pytest
from playbook_runner import TRANSCRIPTS, Ansible


@pytest.fixture
def ansible(mockup, tmp_path):
    yield Ansible(mockup, tmp_path / "ansible")
    TRANSCRIPTS.append(("mockup request log", mockup.request_log()))
    # No session left behind, whatever the test did.
    for entry in mockup.ready["bmcs"]:
        assert mockup.bmc(entry["name"]).stats()["sessions"] == 0, f"{entry['name']} has a session left open"
