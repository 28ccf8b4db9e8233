"""State survives the mockup process: a graceful restart, a SIGKILL, and a boot in progress."""
import time

from support.mockup import GOOD_ISCSI, assert_redfish_error, fast_fleet

from sanboot_mockup.firmware import POST_STATES

SYSTEM = "/redfish/v1/Systems/1"
OPTIONS = SYSTEM + "/BootOptions"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
SETTINGS = FUNCTION + "/Settings"
ENTRIES = SYSTEM + "/LogServices/EventLog/Entries"
ACCOUNTS = "/redfish/v1/AccountService/Accounts"
MEDIA = SYSTEM + "/VirtualMedia/CD"
INSTALLER = "http://192.0.2.80/images/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"


def wait_for(check, timeout=20, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for {what}")


def wait_boots(bmc, count, timeout=20):
    """Wait until `count` boots are recorded and the newest has finished."""
    def done():
        boots = bmc.admin("boot-history")["boots"]
        return len(boots) >= count and boots[-1]["outcome"] != "in_progress" and boots
    return wait_for(done, timeout, f"{count} finished boots")


def view(mockup, name):
    """What a client and the admin API see of one BMC, minus clocks that tick on their own."""
    bmc = mockup.bmc(name)
    system = bmc.json(SYSTEM)
    options = [bmc.json(m["@odata.id"]) for m in bmc.json(OPTIONS)["Members"]]
    accounts = [bmc.json(m["@odata.id"]) for m in bmc.json(ACCOUNTS)["Members"]]
    ibft = bmc.get("/mockup/ibft")
    return {
        "system": system, "options": options, "accounts": accounts,
        "function": bmc.json(FUNCTION), "settings": bmc.json(SETTINGS), "entries": bmc.json(ENTRIES)["Members"],
        "history": bmc.admin("boot-history"), "ibft": (ibft.status_code, ibft.content),
        "media": bmc.json(MEDIA), "session_timeout": bmc.json("/redfish/v1/SessionService")["SessionTimeout"],
        "tasks": bmc.json("/redfish/v1/TaskService/Tasks")["Members"],
    }


def install_esxi(bmc):
    """Put ESXi on the host's blank LUN: a first boot makes the iSCSI boot option, which goes first
    in BootOrder; then the installer boots once from the virtual CD and reboots into the LUN."""
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi03"]).status_code == 200
    assert bmc.boot_once()["outcome"] == "no_bootable_device"
    options = [bmc.json(m["@odata.id"]) for m in bmc.json(OPTIONS)["Members"]]
    iscsi = next(o["Id"] for o in options if "iSCSI" in o["DisplayName"])
    order = bmc.json(SYSTEM)["Boot"]["BootOrder"]
    response = bmc.patch(SYSTEM, {"Boot": {"BootOrder": [iscsi] + [r for r in order if r != iscsi],
                                           "BootSourceOverrideTarget": "Cd", "BootSourceOverrideEnabled": "Once"}})
    assert response.status_code == 200, response.text
    response = bmc.post(MEDIA + "/Actions/VirtualMedia.InsertMedia", {"Image": INSTALLER})
    assert response.status_code == 204, response.text
    count = len(bmc.admin("boot-history")["boots"])
    bmc.reset()
    boots = wait_boots(bmc, count + 2)
    assert [b["outcome"] for b in boots[-2:]] == ["installed", "booted"], boots[-2:]


def test_restart_resumes_every_bmc(mockup_factory):
    mockup = mockup_factory()
    one, two, three = (mockup.bmc(n) for n in ("esxi01", "esxi02", "esxi03"))

    # esxi01: booted from its LUN (log, history, iBFT, iSCSI boot option), then a new boot order,
    # a new account, a session timeout, and a session.
    assert one.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    assert one.boot_once()["outcome"] == "booted"
    order = one.json(SYSTEM)["Boot"]["BootOrder"]
    assert one.patch(SYSTEM, {"Boot": {"BootOrder": order[::-1]}}).status_code == 200
    response = one.post(ACCOUNTS, {"UserName": "viewer", "Password": "viewer-pass-1", "RoleId": "ReadOnly"})
    assert response.status_code == 201
    assert one.patch("/redfish/v1/SessionService", {"SessionTimeout": 600}).status_code == 200
    token = one.login().headers["X-Auth-Token"]
    # esxi02: settings pending until the next reset.
    assert two.configure_iscsi(GOOD_ISCSI["esxi02"]).status_code == 200
    assert two.json(SETTINGS)["BootMode"] == "iSCSI" and two.json(FUNCTION)["BootMode"] == "PXE"
    # esxi03: ESXi installed on its LUN.
    install_esxi(three)
    assert three.admin("san")["luns"]["iqn.2024-01.org.example.san:esxi03/1"] == "esxi"

    names = [b["name"] for b in mockup.ready["bmcs"]]
    before = {name: view(mockup, name) for name in names}
    ca_before = open(mockup.ca_file, "rb").read()
    assert before["esxi01"]["ibft"][0] == 200 and before["esxi01"]["entries"]
    pid = mockup.ready["pid"]

    mockup.restart()
    assert mockup.ready["pid"] != pid
    assert open(mockup.ca_file, "rb").read() == ca_before
    after = {name: view(mockup, name) for name in names}
    for name in names:
        for key in before[name]:
            assert after[name][key] == before[name][key], (name, key)

    # The clients made before the restart still trust the server: same CA, same certificates.
    assert one.get(SYSTEM).status_code == 200
    # Sessions are gone, as after a BMC reboot; basic authentication works, for the new account too.
    assert_redfish_error(one.with_token(token).get(SYSTEM), 401, "NoValidSession")
    assert one.stats()["sessions"] == 0
    assert one.as_user("viewer", "viewer-pass-1").get(SYSTEM).status_code == 200
    # The pending settings apply at the next reset, as they would have before the restart.
    assert two.boot_once()["outcome"] == "booted"
    assert two.json(FUNCTION)["BootMode"] == "iSCSI"
    assert three.admin("san")["luns"]["iqn.2024-01.org.example.san:esxi03/1"] == "esxi"


def test_state_survives_sigkill(mockup_factory):
    mockup = mockup_factory()
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    assert bmc.boot_once()["outcome"] == "booted"
    assert bmc.patch(SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Pxe",
                                       "BootSourceOverrideEnabled": "Continuous"}}).status_code == 200
    assert bmc.patch(OPTIONS + "/Boot0000", {"BootOptionEnabled": False}).status_code == 200
    assert bmc.configure_iscsi({"PrimaryLUN": 2}).status_code == 200
    before = view(mockup, "esxi01")
    mockup.crash_restart()
    after = view(mockup, "esxi01")
    for key in before:
        assert after[key] == before[key], key
    assert not list((mockup.state_dir / "bmcs").glob("*.tmp"))  # every write was a whole rename
    assert bmc.json(SETTINGS)["iSCSIBoot"]["PrimaryLUN"] == 2


def _slow_fleet(**timing):
    fleet = fast_fleet()
    fleet["defaults"]["timing"].update(timing)
    return fleet


def _kill_mid_boot(mockup, restart):
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    before = bmc.boot_count()
    bmc.reset()
    # Past the first POST state, so the boot has a POST step recorded to resume from.
    wait_for(lambda: bmc.json(SYSTEM)["BootProgress"]["LastState"] in POST_STATES[1:], what="POST under way")
    restart()
    boot = bmc.wait_boot_done(before)
    assert boot["id"] == before + 1, boot  # the same boot went on; no second one was started
    assert boot["outcome"] == "booted", boot
    states = [s["state"] for s in boot["states"]]
    assert states[-2:] == ["OSBootStarted", "OSRunning"]
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"
    assert bmc.json(FUNCTION)["BootMode"] == "iSCSI"
    assert any("BMC restarted during a boot" in m for m in bmc.log_messages())
    assert bmc.admin("ibft")


def test_boot_in_progress_resumes_after_sigkill(mockup_factory):
    mockup = mockup_factory(_slow_fleet(post_state=0.5))
    _kill_mid_boot(mockup, mockup.crash_restart)


def test_boot_in_progress_resumes_after_graceful_restart(mockup_factory):
    # The host keeps booting while its BMC's simulator restarts: not recorded as interrupted.
    mockup = mockup_factory(_slow_fleet(post_state=0.5))
    _kill_mid_boot(mockup, mockup.restart)


def test_boot_killed_in_its_first_post_state_resumes_in_the_same_entry(mockup):
    # Deterministic: the boot is held in its first POST state by a hang (faults are not persisted).
    bmc = mockup.bmc()
    assert bmc.configure_iscsi(GOOD_ISCSI["esxi01"]).status_code == 200
    bmc.fault("boot_hang", state=POST_STATES[0])
    before = bmc.boot_count()
    bmc.reset()
    assert bmc.wait_boot_done(before)["outcome"] == "hung"
    mockup.crash_restart()
    assert bmc.admin("faults") == {}
    # Not wait_boot_done: right after the start the entry may still read "hung" for a moment.
    def finished():
        boots = bmc.admin("boot-history")["boots"]
        return boots[-1]["outcome"] == "booted" and boots

    boots = wait_for(finished, what="the resumed boot to finish")
    assert [b["id"] for b in boots] == [before + 1]  # no second entry, none left in progress
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"


def test_running_task_finishes_after_sigkill(mockup_factory):
    mockup = mockup_factory(_slow_fleet(settings_task=3))
    bmc = mockup.bmc()
    response = bmc.configure_iscsi(GOOD_ISCSI["esxi01"], apply_time="Immediate")
    assert response.status_code == 202, response.text
    assert bmc.get(response.headers["Location"]).status_code == 202
    mockup.crash_restart()
    task = bmc.wait_task(response.headers["Location"])
    assert task["TaskState"] == "Completed"
    assert bmc.json(FUNCTION)["BootMode"] == "iSCSI"


def test_new_bmc_state_is_written_at_start(mockup):
    for entry in mockup.ready["bmcs"]:
        state = mockup.persisted(entry["name"])
        assert state["power"] == "On" and state["accounts"]["1"]["UserName"] == "admin"
        assert "test-only-bmc-pass" not in (mockup.state_dir / "bmcs" / f"{entry['name']}.json").read_text()
