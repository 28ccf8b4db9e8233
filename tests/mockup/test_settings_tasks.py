"""Pending settings of a NetworkDeviceFunction: the SettingsObject, @Redfish.SettingsApplyTime,
OnReset staging, Immediate apply as a task with a task monitor, and refusals that stage nothing."""
import datetime

import pytest
from support.mockup import GOOD_ISCSI, fast_fleet
from support.polling import wait_for

FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
PORT2 = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/2"
SETTINGS = f"{FUNCTION}/Settings"
MONITORS = "/redfish/v1/TaskService/TaskMonitors/"
SECRETS = ("CHAPSecret", "MutualCHAPSecret")


# Most tests take an untouched host of one module-wide fleet (tests/mockup/conftest.py).
POOL_SIZE = 24
POOL_ADDRESS_BASE = "127.0.23."


def when(text):
    return datetime.datetime.fromisoformat(text)


def stage(bmc, body, apply_time="OnReset", uri=SETTINGS, **kwargs):
    payload = {**body, "@Redfish.SettingsApplyTime": {"ApplyTime": apply_time}} if apply_time else body
    return bmc.patch(uri, payload, **kwargs)


def message_ids(response):
    return [m["MessageId"].rsplit(".", 1)[-1] for m in response.json()["error"]["@Message.ExtendedInfo"]]


def shown(values):
    """What a GET shows for iSCSIBoot values: everything but the secrets, which read back null."""
    return {k: (None if k in SECRETS else v) for k, v in values.items()}


def assert_shows(body, values):
    for key, value in shown(values).items():
        assert body["iSCSIBoot"][key] == value, key


def one_apply_time_fleet(times):
    fleet = fast_fleet()
    fleet["bmcs"][0]["supported_apply_times"] = list(times)
    return fleet


# -- OnReset --------------------------------------------------------------------------------------
def test_onreset_patches_stay_pending_merge_and_apply_at_reset(fresh_bmc):
    bmc = fresh_bmc
    good = GOOD_ISCSI["esxi01"]
    before = bmc.json(FUNCTION)
    assert before["@Redfish.Settings"]["SettingsObject"]["@odata.id"] == SETTINGS
    assert before["@Redfish.Settings"]["SupportedApplyTimes"] == ["Immediate", "OnReset"]

    first = {k: good[k] for k in ("InitiatorName", "InitiatorIPAddress", "InitiatorNetmask", "PrimaryTargetName")}
    second = {k: v for k, v in good.items() if k not in first}
    response = stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": first})
    assert response.status_code == 200, response.text
    assert response.json()["BootMode"] == "iSCSI"
    response = stage(bmc, {"iSCSIBoot": second})
    assert response.status_code == 200, response.text

    pending = bmc.json(SETTINGS)
    assert pending["BootMode"] == "iSCSI", "the first PATCH is still pending after the second"
    assert_shows(pending, good)
    current = bmc.json(FUNCTION)
    assert current["BootMode"] == before["BootMode"] == "PXE"
    assert current["iSCSIBoot"] == before["iSCSIBoot"]

    bmc.reset("Nmi")  # not a reset of the host: nothing applies
    assert bmc.json(FUNCTION)["BootMode"] == "PXE"

    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot  # the merged values, secrets included, reached the firmware
    applied = bmc.json(FUNCTION)
    assert applied["BootMode"] == "iSCSI"
    assert_shows(applied, good)
    settings = applied["@Redfish.Settings"]
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in settings["Messages"]] == ["Success"]
    assert when(settings["Time"]) >= when(before["@Redfish.Settings"]["Time"])
    assert any("Pending network device function settings applied at reset" in line for line in bmc.log_messages())
    after = bmc.json(SETTINGS)
    assert (after["BootMode"], after["iSCSIBoot"]) == (applied["BootMode"], applied["iSCSIBoot"])


def test_no_apply_time_means_onreset(fresh_bmc):
    bmc = fresh_bmc
    response = stage(bmc, {"BootMode": "iSCSI"}, apply_time=None)
    assert response.status_code == 200, response.text
    assert bmc.json(FUNCTION)["BootMode"] == "PXE" and bmc.json(SETTINGS)["BootMode"] == "iSCSI"


def test_apply_time_as_sushy_sends_it(fresh_bmc):
    """Settings.PreferredApplyTime with its @odata.type, as sushy and the DMTF examples send it."""
    bmc = fresh_bmc
    body = {"BootMode": "iSCSI", "@Redfish.SettingsApplyTime": {
        "@odata.type": "#Settings.v1_0_0.PreferredApplyTime", "ApplyTime": "OnReset"}}
    response = bmc.patch(SETTINGS, body)
    assert response.status_code == 200, response.text
    assert bmc.json(SETTINGS)["BootMode"] == "iSCSI"


def test_unknown_property_in_apply_time_refused(fresh_bmc):
    bmc = fresh_bmc
    before = bmc.json(SETTINGS)
    response = bmc.patch(SETTINGS, {"BootMode": "iSCSI", "@Redfish.SettingsApplyTime": {
        "ApplyTime": "OnReset", "When": "soon"}})
    assert response.status_code == 400 and message_ids(response) == ["PropertyUnknown"]
    assert_nothing_staged(bmc, before)


def test_annotations_inside_iscsi_boot_are_not_stored(fresh_bmc):
    bmc = fresh_bmc
    body = {"iSCSIBoot": {"PrimaryLUN": 1, "PrimaryLUN@Redfish.AllowableNumbers": ["1"]}}
    for uri, apply_time in ((SETTINGS, "OnReset"), (FUNCTION, None)):
        response = stage(bmc, body, apply_time=apply_time, uri=uri)
        assert response.status_code == 200, response.text
        for shown_uri in (SETTINGS, FUNCTION):
            values = bmc.json(shown_uri)["iSCSIBoot"]
            assert not [k for k in values if "@" in k], values
    assert bmc.json(SETTINGS)["iSCSIBoot"]["PrimaryLUN"] == 1


def test_secrets_never_read_back(fresh_bmc):
    bmc = fresh_bmc
    assert stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi02"]}).status_code == 200
    for uri in (SETTINGS, FUNCTION):
        text = bmc.get(uri).text
        assert "esxi02-secret" not in text and "san02-mutual" not in text
    bmc.boot_once()
    assert bmc.json(FUNCTION)["iSCSIBoot"]["MutualCHAPSecret"] is None


# -- Immediate ------------------------------------------------------------------------------------
def test_immediate_runs_as_a_task_with_a_monitor(mockup_factory):
    fleet = fast_fleet()
    fleet["defaults"]["timing"]["settings_task"] = 1.0  # long enough to see the monitor answer 202
    bmc = mockup_factory(fleet).bmc("esxi01")
    good = GOOD_ISCSI["esxi01"]
    response = stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": good}, apply_time="Immediate")
    assert response.status_code == 202, response.text
    monitor = response.headers["Location"]
    assert monitor.startswith(MONITORS)
    task = response.json()
    assert task["TaskState"] == "Running" and task["TaskMonitor"] == monitor

    seen = []

    def finished():
        answer = bmc.get(monitor)
        seen.append(answer.status_code)
        body = answer.json()
        if answer.status_code == 202:
            assert body["TaskState"] == "Running" and answer.headers["Location"] == monitor
            return None
        return body

    applied_while_running = bmc.json(FUNCTION)["BootMode"]
    done = wait_for(finished, what="the task")
    assert seen[0] == 202 and set(seen[:-1]) == {202} and seen[-1] == 200, seen
    assert applied_while_running == "PXE"
    assert done["TaskState"] == "Completed" and done["TaskStatus"] == "OK"
    assert done["PercentComplete"] == 100 and when(done["EndTime"]) >= when(done["StartTime"])
    assert bmc.json(task["@odata.id"])["TaskState"] == "Completed"

    current = bmc.json(FUNCTION)
    assert current["BootMode"] == "iSCSI"
    assert_shows(current, good)
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in current["@Redfish.Settings"]["Messages"]] == ["Success"]
    assert bmc.boot_once()["outcome"] == "booted"


def test_immediate_task_failure_applies_nothing(fresh_bmc):
    bmc = fresh_bmc
    bmc.fault("task_fail")
    response = stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi01"]}, apply_time="Immediate")
    assert response.status_code == 202, response.text
    monitor = response.headers["Location"]
    done = wait_for(lambda: bmc.get(monitor).status_code == 200 and bmc.get(monitor).json(), what="the task")
    assert done["TaskState"] == "Exception"
    current = bmc.json(FUNCTION)
    assert current["BootMode"] == "PXE"
    assert current["@Redfish.Settings"]["Messages"][0]["MessageId"].endswith(".GeneralError")
    assert bmc.json(SETTINGS)["BootMode"] == "PXE", "nothing stays pending after a failed task"


# -- refusals stage nothing -----------------------------------------------------------------------
def assert_nothing_staged(bmc, before, uri=SETTINGS):
    after = bmc.get(uri)
    assert after.json() == before, "the SettingsObject changed"


@pytest.mark.parametrize("apply_time", ["Immediate", "AtMaintenanceWindowStart", "Tomorrow"])
def test_apply_time_not_supported_refused(mockup_factory, apply_time):
    bmc = mockup_factory(one_apply_time_fleet(["OnReset"])).bmc("esxi01")
    assert bmc.json(FUNCTION)["@Redfish.Settings"]["SupportedApplyTimes"] == ["OnReset"]
    before = bmc.json(SETTINGS)
    response = stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi01"]}, apply_time=apply_time)
    assert response.status_code == 400, response.text
    assert message_ids(response) == ["PropertyValueNotInList"]
    assert_nothing_staged(bmc, before)
    # Such a BMC takes changes through the SettingsObject only.
    response = bmc.patch(FUNCTION, {"BootMode": "iSCSI"})
    assert response.status_code == 405 and "PATCH" not in response.headers["Allow"]


def test_apply_time_of_wrong_shape_refused(fresh_bmc):
    bmc = fresh_bmc
    before = bmc.json(SETTINGS)
    response = bmc.patch(SETTINGS, {"BootMode": "iSCSI", "@Redfish.SettingsApplyTime": "OnReset"})
    assert response.status_code == 400
    assert_nothing_staged(bmc, before)


def test_iscsi_on_a_port_without_iscsi_refused(fresh_bmc):
    bmc = fresh_bmc
    assert bmc.json(PORT2)["NetDevFuncCapabilities"] == ["Ethernet"]
    before = bmc.json(f"{PORT2}/Settings")
    response = stage(bmc, {"BootMode": "iSCSI", "iSCSIBoot": GOOD_ISCSI["esxi01"]}, uri=f"{PORT2}/Settings")
    assert response.status_code == 400, response.text
    assert message_ids(response) == ["PropertyValueNotInList"]
    assert_nothing_staged(bmc, before, f"{PORT2}/Settings")
    assert bmc.json(PORT2)["BootMode"] == "Disabled"


@pytest.mark.parametrize("body,message_id", [
    ({"iSCSIBoot": {"PrimaryLUN": "one"}}, "PropertyValueTypeError"),
    ({"iSCSIBoot": {"NoSuchField": 1}}, "PropertyUnknown"),
    ({"BootMode": "FibreChannel"}, "PropertyValueNotInList"),
    ({"BootMode": None}, "PropertyValueNotInList"),  # nullable in the schema; a port always boots some way
    ({"Ethernet": {"MACAddress": "02:00:00:00:99:99"}}, "PropertyNotWritable"),
])
def test_bad_values_refused(fresh_bmc, body, message_id):
    bmc = fresh_bmc
    before, current = bmc.json(SETTINGS), bmc.json(FUNCTION)
    response = stage(bmc, body)
    assert response.status_code == 400, response.text
    assert message_id in message_ids(response)
    assert_nothing_staged(bmc, before)
    response = bmc.patch(FUNCTION, body)  # the same checks guard a PATCH of the resource itself
    assert response.status_code == 400 and message_id in message_ids(response)
    assert bmc.json(FUNCTION) == current


def test_if_match_mismatch_refused(fresh_bmc):
    bmc = fresh_bmc
    before = bmc.get(SETTINGS)
    etag = before.headers["ETag"]
    assert before.json()["@odata.etag"] == etag
    assert bmc.json(FUNCTION)["@Redfish.Settings"]["ETag"] == etag

    response = stage(bmc, {"BootMode": "iSCSI"}, headers={"If-Match": 'W/"0000000000000000"'})
    assert response.status_code == 412 and message_ids(response) == ["PreconditionFailed"]
    assert_nothing_staged(bmc, before.json())

    response = stage(bmc, {"iSCSIBoot": {"PrimaryLUN": 1}}, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    changed = bmc.get(SETTINGS)
    assert changed.headers["ETag"] != etag
    staged = changed.json()
    # The ETag the client used is now stale: another PATCH with it must not win.
    response = stage(bmc, {"BootMode": "iSCSI"}, headers={"If-Match": etag})
    assert response.status_code == 412
    assert_nothing_staged(bmc, staged)
