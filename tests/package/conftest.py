"""Fixtures of tests/package: the tarball built once per run, and a fresh controller (virtualenv, install folder)
per test module. Nothing outlives the run."""
import pytest

from collection_package import COLLECTION, Controller, build


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory):
    """The tarball built from the collection as it is in the repository."""
    return build(COLLECTION, tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def controller(tmp_path_factory, collection_tarball):
    """A fresh virtualenv from requirements.txt with the tarball installed into an empty collections path."""
    return Controller(tmp_path_factory.mktemp("controller"), collection_tarball)
