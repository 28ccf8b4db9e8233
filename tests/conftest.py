"""Shared fixtures: a real mockup process over HTTPS with its own CA, per test or per module."""
import os

import pytest

from support.mockup import MockupProcess, fast_fleet

# The machine points requests at the system CA bundle through these variables, and requests lets
# them override a Session's own `verify`; tests trust only the mockup's CA, explicitly.
for _name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(_name, None)


@pytest.fixture
def mockup_factory(tmp_path):
    started = []

    def start(fleet=None, **kwargs):
        process = MockupProcess(fleet or fast_fleet(), tmp_path / f"mockup{len(started)}", **kwargs)
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def mockup(mockup_factory):
    """A fresh fast fleet for one test."""
    return mockup_factory()


@pytest.fixture(scope="module")
def shared_mockup(tmp_path_factory):
    """One fast fleet for a module of read-mostly tests."""
    process = MockupProcess(fast_fleet(), tmp_path_factory.mktemp("shared-mockup"))
    process.start()
    yield process
    process.stop()
