"""A pool of hosts for mockup tests that each need one untouched BMC, not a process of their own.

A module sets POOL_SIZE and POOL_ADDRESS_BASE (its own 127.x.y. range) and asks for `fresh_bmc`.
Tests that change what hosts share (SAN contents, faults on the SAN), restart the process or need
another fleet file use `mockup` or `mockup_factory` instead."""
import pytest
from support.mockup import MockupProcess, fast_fleet


@pytest.fixture(scope="module")
def pool(request, tmp_path_factory):
    size, base = request.module.POOL_SIZE, request.module.POOL_ADDRESS_BASE
    personality = getattr(request.module, "POOL_PERSONALITY", "dmtf")
    process = MockupProcess(fast_fleet(count=size, address_base=base, personality=personality), tmp_path_factory.mktemp("pool"))
    process.start()
    process.unused = iter(range(1, size + 1))
    yield process
    process.stop()


@pytest.fixture
def fresh_bmc(pool):
    """A BMC of the pool that no other test has touched; `.fleet` is its entry in the fleet file."""
    number = next(pool.unused, None)
    assert number is not None, "every BMC of the pool is used: raise POOL_SIZE"
    name = f"esxi{number:02d}"
    bmc = pool.bmc(name)
    bmc.fleet = next(b for b in pool.fleet["bmcs"] if b["name"] == name)
    return bmc
