"""XCC's boot order and what the shared firmware does with it: the classes through /Systems/1/Pending
(2.x) or the OEM BootOrder.BootOrder (1.x), refused on the system itself; the per-NIC order in
NetworkBootOrder, where a logged-in iSCSI attempt adds its entry; all applied at the next reset, after
which the firmware tries the classes in order and, within Network, the entries in order."""
import pytest
from support.lenovo import (CLASS_ORDER, HARD_DISK, NETWORK, NETWORK_ORDER, PENDING, SYSTEM, SYSTEM_PENDING, configure,
                            entry, patch_fresh, staged)
from support.mockup import MockupProcess, assert_redfish_error, fast_fleet
from support.polling import wait_for

POOL = 9
INSTALLER = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    started = {}
    for name, base, extra in (("xcc", "127.0.84.", {}), ("old", "127.0.85.", {"firmware": "1.50"})):
        fleet = fast_fleet(count=POOL, address_base=base, personality="xcc", **extra)
        started[name] = MockupProcess(fleet, tmp_path_factory.mktemp(f"lenovo-boot-{name}")).start()
        started[name].unused = iter(range(1, POOL + 1))
    yield started
    for process in started.values():
        process.stop()


def _bmc(pools, kind="xcc"):
    index = next(pools[kind].unused)
    bmc = pools[kind].bmc(f"esxi{index:02d}")
    bmc.index = index
    return bmc


def _tried(boot):
    return [attempt["kind"] for attempt in boot["attempts"]]


def test_the_class_order_is_not_writable_on_the_system(pools):
    bmc = _bmc(pools)
    refused = patch_fresh(bmc, SYSTEM, {"Boot": {"BootOrder": [HARD_DISK, NETWORK]}})
    assert_redfish_error(refused, 400, "PropertyNotWritable")
    response = patch_fresh(bmc, SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"}})
    assert response.status_code == 200, response.text
    assert bmc.json(SYSTEM)["Boot"]["BootSourceOverrideTarget"] == "Pxe"


def test_class_order_through_the_system_pending(pools):
    bmc = _bmc(pools)
    body = staged(patch_fresh(bmc, SYSTEM_PENDING, {"Boot": {"BootOrder": [HARD_DISK, NETWORK]}}))
    assert body["Boot"]["BootOrder"] == [HARD_DISK, NETWORK]
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == [NETWORK, HARD_DISK]  # until the reset
    assert bmc.json(CLASS_ORDER)["BootOrderNext"] == ["Hard Disk", "Network"]
    boot = bmc.boot_once()
    assert _tried(boot)[0] == "hdd"
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == [HARD_DISK, NETWORK]
    assert bmc.json(CLASS_ORDER)["BootOrderCurrent"] == ["Hard Disk", "Network"]


def test_bad_class_orders_are_refused(pools):
    bmc = _bmc(pools)
    for order in ([], ["Boot0009"], [NETWORK, NETWORK], "Boot0003", [None]):
        response = patch_fresh(bmc, SYSTEM_PENDING, {"Boot": {"BootOrder": order}})
        assert response.status_code == 400, (order, response.text)
    assert_redfish_error(patch_fresh(bmc, SYSTEM_PENDING, {"Boot": {"BootOrder": ["Boot0009"]}}), 400,
                         "PropertyValueNotInList", related=["#/Boot/BootOrder"])
    assert bmc.json(SYSTEM_PENDING)["Boot"]["BootOrder"] == [NETWORK, HARD_DISK]


def test_a_class_left_out_is_not_tried(pools):
    bmc = _bmc(pools)
    staged(patch_fresh(bmc, SYSTEM_PENDING, {"Boot": {"BootOrder": [HARD_DISK]}}))
    boot = bmc.boot_once()
    assert _tried(boot) == ["hdd"] and boot["outcome"] == "no_bootable_device"


def test_older_firmware_writes_the_class_order_through_the_oem_order(pools):
    bmc = _bmc(pools, "old")
    assert bmc.get(SYSTEM_PENDING).status_code == 404
    oem = bmc.json(CLASS_ORDER)
    assert oem["BootOrderSupported"] == ["Network", "Hard Disk", "CD/DVD Rom", "USB Storage"]
    assert oem["BootOrderCurrent"] == ["Network", "Hard Disk"]
    refused = patch_fresh(bmc, CLASS_ORDER, {"BootOrderNext": ["Floppy"]})
    assert_redfish_error(refused, 400, "PropertyValueNotInList")
    staged(patch_fresh(bmc, CLASS_ORDER, {"BootOrderNext": ["Hard Disk", "Network"]}))
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == [NETWORK, HARD_DISK]
    assert _tried(bmc.boot_once())[0] == "hdd"
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == [HARD_DISK, NETWORK]


def test_iscsi_entry_appears_and_is_put_first(pools):
    bmc = _bmc(pools)
    i = bmc.index
    configure(bmc)  # esxi01's values: the SAN knows this initiator whichever BMC sends it
    boot = bmc.boot_once()
    network = bmc.json(NETWORK_ORDER)
    # The login in this reset added the entry at the end of Supported, Current and Next.
    iscsi = entry(i, 1, "iscsi")
    assert network["BootOrderCurrent"] == [entry(i, 1), entry(i, 2), iscsi] == network["BootOrderSupported"]
    assert network["BootOrderNext"][-1] == iscsi
    assert _tried(boot)[:2] == ["pxe", "pxe"]
    refused = patch_fresh(bmc, NETWORK_ORDER, {"BootOrderNext": [iscsi, entry(i, 1)]})  # not a permutation
    assert_redfish_error(refused, 400, "PropertyValueNotInList")
    staged(patch_fresh(bmc, NETWORK_ORDER, {"BootOrderNext": [iscsi, entry(i, 1), entry(i, 2)]}))
    assert bmc.json(NETWORK_ORDER)["BootOrderCurrent"][0] == entry(i, 1)  # until the reset
    boot = bmc.boot_once()
    assert _tried(boot)[0] == "iscsi"
    assert bmc.json(NETWORK_ORDER)["BootOrderCurrent"] == [iscsi, entry(i, 1), entry(i, 2)]


def test_the_entry_goes_when_the_port_stops_booting_iscsi(pools):
    bmc = _bmc(pools)
    configure(bmc)
    bmc.boot_once()
    assert entry(bmc.index, 1, "iscsi") in bmc.json(NETWORK_ORDER)["BootOrderCurrent"]
    staged(patch_fresh(bmc, PENDING, {"iSCSIBoot": {"PrimaryTargetName": None}}))
    boot = bmc.boot_once()
    assert "iscsi" not in _tried(boot)
    assert bmc.json(NETWORK_ORDER)["BootOrderCurrent"] == [entry(bmc.index, 1), entry(bmc.index, 2)]


def test_the_installer_on_the_cd_then_the_lun_boots(pools):
    bmc = _bmc(pools)
    cd = bmc.json(f"{SYSTEM}/VirtualMedia/EXT1")
    assert bmc.post(cd["Actions"]["#VirtualMedia.InsertMedia"]["target"], {"Image": INSTALLER}).status_code == 204
    response = patch_fresh(bmc, SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Cd", "BootSourceOverrideEnabled": "Once"}})
    assert response.status_code == 200, response.text
    configure(bmc, name="esxi03")  # a blank LUN
    before = bmc.boot_count()
    bmc.reset("ForceRestart")
    wait_for(lambda: [b["outcome"] for b in bmc.admin("boot-history")["boots"] if b["id"] > before] == ["installed", "booted"],
             what="the install, then the installer's reboot booting the LUN")
    assert bmc.admin("boot-history")["boots"][-1]["booted_from"]["target"].endswith(":esxi03")
