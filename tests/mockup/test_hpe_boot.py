"""PostState through resets (PowerOff, InPost, InPostDiscoveryComplete, FinishedPost), the boot order
refused while in POST and taken Off or after FinishedPost, applied at the next reset, by
StructuredBootString or by the system's Boot.BootOrder; iLO 6's BootProgress after a boot."""
import pytest
from support.hpe import BOOT, BOOT_SETTINGS, IML, SYSTEM, configure, patched, post_state, settings_messages
from support.mockup import MockupProcess, fast_fleet
from support.polling import wait_for

POOL = 8


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    started = {}
    for name, base in (("ilo5", "127.0.64."), ("ilo6", "127.0.65.")):
        process = MockupProcess(fast_fleet(count=POOL, address_base=base, personality=name),
                                tmp_path_factory.mktemp(f"hpe-boot-{name}"))
        started[name] = process.start()
        process.unused = iter(range(1, POOL + 1))
    yield started
    for process in started.values():
        process.stop()


def _bmc(pools, personality="ilo5"):
    return pools[personality].bmc(f"esxi{next(pools[personality].unused):02d}")


def _refused_in_post(response, prop):
    assert response.status_code == 400, response.text
    assert response.json()["error"]["@Message.ExtendedInfo"] == [
        {"MessageId": "iLO.2.15.UnableToModifyDuringSystemPOST", "MessageArgs": [prop]}]


def test_post_state_walk(pools):
    bmc = _bmc(pools)
    bmc.reset("ForceOff")
    assert post_state(bmc) == "PowerOff"
    bmc.fault("boot_hang", state="MemoryInitializationStarted")
    bmc.reset("On")
    wait_for(lambda: bmc.admin("boot-history")["boots"][-1]["outcome"] == "hung", what="the hang")
    assert post_state(bmc) == "InPost"
    bmc.clear_faults()
    before = bmc.json(SYSTEM)["Oem"]["Hpe"]["PostDiscoveryCompleteTimeStamp"]
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    system = bmc.json(SYSTEM)["Oem"]["Hpe"]
    assert system["PostState"] == "FinishedPost" and system["PostDiscoveryCompleteTimeStamp"] > before


def test_no_bootable_device_stays_in_post_discovery_complete(pools):
    bmc = _bmc(pools)
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device"
    assert post_state(bmc) == "InPostDiscoveryComplete"
    assert any("No bootable device" in e["Message"] for e in bmc.json(IML)["Members"])


def test_boot_order_is_refused_in_post_and_taken_when_off(pools):
    bmc = _bmc(pools)
    assert post_state(bmc) == "InPostDiscoveryComplete"  # a new host at the boot menu
    order = list(reversed(bmc.json(BOOT)["PersistentBootConfigOrder"]))
    _refused_in_post(bmc.patch(BOOT_SETTINGS, {"PersistentBootConfigOrder": order}), "PersistentBootConfigOrder")
    refs = bmc.json(SYSTEM)["Boot"]["BootOrder"]
    _refused_in_post(bmc.patch(SYSTEM, {"Boot": {"BootOrder": refs[::-1]}}), "BootOrder")
    bmc.reset("ForceOff")
    patched(bmc.patch(BOOT_SETTINGS, {"PersistentBootConfigOrder": order[:2] + ["NIC.Slot.9.9.IPv4"]}))
    assert bmc.json(BOOT_SETTINGS)["PersistentBootConfigOrder"][:2] == order[:2]
    assert bmc.json(BOOT)["PersistentBootConfigOrder"] != order  # pending until the reset
    bmc.boot_once("On")
    current = bmc.json(BOOT)["PersistentBootConfigOrder"]
    assert current[:2] == order[:2]
    rest = [s for s in reversed(order) if s not in order[:2]]
    assert current[2:len(order)] == rest  # the others keep their relative order after the listed ones
    messages = settings_messages(bmc, BOOT)
    assert messages[0] == {"MessageId": "Base.1.0.Success"}
    assert [(m["MessageId"], m["RelatedProperties"]) for m in messages[1:]] == [
        ("Base.1.0.PropertyValueNotInList", ["#/PersistentBootConfigOrder/2"])]


def test_boot_order_is_taken_after_finished_post_and_by_the_system(pools):
    bmc = _bmc(pools)
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted" and post_state(bmc) == "FinishedPost"
    refs = bmc.json(SYSTEM)["Boot"]["BootOrder"]
    iscsi = next(o["BootOptionReference"] for o in (bmc.json(m["@odata.id"]) for m in
                 bmc.json(f"{SYSTEM}/BootOptions")["Members"]) if "(iSCSI IPv4)" in o["DisplayName"])
    patched(bmc.patch(SYSTEM, {"Boot": {"BootOrder": [iscsi] + [r for r in refs if r != iscsi]}}))
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"] == refs
    assert bmc.json(BOOT_SETTINGS)["PersistentBootConfigOrder"][0] == "NIC.Slot.1.1.iSCSI"
    bmc.boot_once()
    assert bmc.json(SYSTEM)["Boot"]["BootOrder"][0] == iscsi
    first = bmc.json(f"{SYSTEM}/BootOptions/1")
    assert first["BootOptionReference"] == iscsi and first["Id"] == "1" and "BootOptionEnabled" not in first


def test_ilo6_boot_progress_after_a_boot(pools):
    bmc = _bmc(pools, "ilo6")
    configure(bmc)
    assert bmc.boot_once()["outcome"] == "booted"
    progress = bmc.json(SYSTEM)["BootProgress"]
    assert progress["LastState"] == "OSRunning" and progress["LastBootTimeSeconds"] >= 0
    assert set(progress) == {"LastState", "LastBootTimeSeconds"}
    assert post_state(bmc) == "FinishedPost"
