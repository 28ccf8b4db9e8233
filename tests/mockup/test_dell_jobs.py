"""Dell configuration jobs on the idrac9 personality: 202 + JID, Scheduled until the next reset,
Completed in that reset's POST; one pending job per target (SYS011); DELETE drops the job and its
staged values; the task_fail fault makes the job fail."""
import pytest
from support.dell import (BIOS_SETTINGS, CHASSIS_NIC, LCLOG, ON_RESET, bios_initiator, dell_error_ids, job_of,
                          nic_settings, patch_bios)
from support.mockup import GOOD_ISCSI, MockupProcess, fast_fleet

POOL = 12


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    process = MockupProcess(fast_fleet(count=POOL, address_base="127.0.41.", personality="idrac9"),
                            tmp_path_factory.mktemp("dell-jobs"))
    process.start()
    process.unused = iter(range(1, POOL + 1))
    yield process
    process.stop()


@pytest.fixture
def bmc(fleet):
    number = next(fleet.unused)
    return fleet.bmc(f"esxi{number:02d}")


def _nic_body(values):
    return {"BootMode": "iSCSI", "iSCSIBoot": values, **ON_RESET}


def test_nic_job_is_scheduled_then_completes_at_the_next_reset(bmc):
    job = job_of(bmc, bmc.patch(nic_settings(), _nic_body(GOOD_ISCSI["esxi01"])))
    assert (job["JobState"], job["JobType"], job["MessageId"]) == ("Scheduled", "NICConfiguration", "JCP001")
    assert job["Message"] == "Task successfully scheduled."
    assert bmc.stats()["jobs_created"] == 1
    # Pending: the resource still shows the old values, the SettingsObject the new ones.
    assert bmc.json(f"{CHASSIS_NIC}/NIC.Slot.1-1-1")["iSCSIBoot"]["PrimaryTargetName"] is None
    assert bmc.json(nic_settings())["iSCSIBoot"]["PrimaryTargetName"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    assert bmc.boot_once()["outcome"] == "booted"
    done = bmc.json(job["@odata.id"])
    assert (done["JobState"], done["MessageId"], done["Message"]) == ("Completed", "PR19", "Job completed successfully.")
    iscsi = bmc.json(f"{CHASSIS_NIC}/NIC.Slot.1-1-1")["iSCSIBoot"]
    assert iscsi["PrimaryTargetName"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    assert iscsi["CHAPSecret"] is None  # secrets read back null
    assert "@odata.etag" not in bmc.json(f"{CHASSIS_NIC}/NIC.Slot.1-1-1")


def test_a_second_patch_of_a_target_with_a_scheduled_job_is_refused_sys011(bmc):
    job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1VlanId": 12}))
    second = patch_bios(bmc, {"IscsiDev1Con1VlanId": 13})
    assert second.status_code == 400
    assert dell_error_ids(second) == ["IDRAC.2.7.SYS011"]
    assert "Pending configuration values are already committed" in second.text
    assert bmc.json(BIOS_SETTINGS)["Attributes"] == {"IscsiDev1Con1VlanId": 12}
    assert bmc.stats()["jobs_created"] == 1
    # Another target has its own job.
    job_of(bmc, bmc.patch(nic_settings(), _nic_body({"PrimaryLUN": 1})))


def test_deleting_a_scheduled_job_drops_its_staged_values(bmc):
    job = job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1VlanId": 12}))
    assert bmc.delete(job["@odata.id"]).status_code == 200
    assert bmc.get(job["@odata.id"]).status_code == 404
    assert bmc.json(BIOS_SETTINGS)["Attributes"] == {}
    assert bmc.boot_once()
    assert bmc.json("/redfish/v1/Systems/System.Embedded.1/Bios")["Attributes"]["IscsiDev1Con1VlanId"] == 1
    job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1VlanId": 14}))  # the target is free again


def test_a_job_fails_under_the_task_fail_fault_and_applies_nothing(bmc):
    job = job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1VlanId": 12}))
    bmc.fault("task_fail")
    bmc.boot_once()
    failed = bmc.json(job["@odata.id"])
    assert (failed["JobState"], failed["MessageId"], failed["Message"]) == ("Failed", "PR21", "Job failed.")
    assert bmc.json("/redfish/v1/Systems/System.Embedded.1/Bios")["Attributes"]["IscsiDev1Con1VlanId"] == 1
    assert bmc.json(BIOS_SETTINGS)["Attributes"] == {}


def test_staging_without_an_apply_time_creates_no_job(bmc):
    response = patch_bios(bmc, {"IscsiDev1Con1VlanId": 12}, apply=False)
    assert response.status_code == 200
    assert bmc.stats()["jobs_created"] == 0
    assert bmc.admin("jobs")["jobs"] == []


def test_if_match_on_an_action_post_is_refused_412_and_ignored_on_patch(bmc):
    reset = bmc.post("/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset",
                     {"ResetType": "ForceRestart"}, headers={"If-Match": "*"})
    assert reset.status_code == 412
    stale = bmc.patch(BIOS_SETTINGS, {"Attributes": {"IscsiDev1Con1VlanId": 12}}, headers={"If-Match": 'W/"stale"'})
    assert stale.status_code == 200


def test_lclog_names_a_failed_chap_login_uefi0274(bmc):
    job_of(bmc, patch_bios(bmc, bios_initiator(secret="wrong-secret-1")))
    assert bmc.boot_once()["outcome"] == "no_bootable_device"
    entries = bmc.json(LCLOG)["Members"]
    assert [e["MessageId"] for e in entries] == ["IDRAC.2.7.UEFI0274"]
    assert entries[0]["Message"] == ("Unable to perform iSCSI boot on connection 1 because the iSCSI login "
                                     "operation did not complete successfully.")
    assert (entries[0]["EntryType"], entries[0]["OemRecordFormat"], entries[0]["Severity"]) == ("Oem", "Dell", "Warning")


@pytest.mark.parametrize("changes, eemi", [
    ({"IscsiDev1Con1TargetIp": "127.0.0.9"}, "UEFI0275"),
    ({"IscsiDev1Con1TargetName": "iqn.2024-01.org.example.san:nobody"}, "UEFI0268"),
    ({"IscsiInitiatorName": "iqn.1998-01.com.vmware:intruder"}, "UEFI0264"),
])
def test_lclog_names_each_kind_of_login_failure(bmc, changes, eemi):
    job_of(bmc, patch_bios(bmc, bios_initiator(**changes)))
    bmc.boot_once()
    assert [e["MessageId"].rsplit(".", 1)[-1] for e in bmc.json(LCLOG)["Members"]] == [eemi]


def test_a_scheduled_job_survives_a_mockup_restart_and_runs_at_the_next_reset(tmp_path):
    process = MockupProcess(fast_fleet(count=1, address_base="127.0.52.", personality="idrac10"), tmp_path).start()
    try:
        bmc = process.bmc("esxi01")
        job = job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1VlanId": 12}))
        bmc = process.restart().bmc("esxi01")
        assert bmc.json(job["@odata.id"])["JobState"] == "Scheduled"
        assert dell_error_ids(patch_bios(bmc, {"IscsiDev1Con1VlanId": 13})) == ["IDRAC.2.9.SYS011"]
        bmc.boot_once()
        assert bmc.json(job["@odata.id"])["JobState"] == "Completed"
        assert bmc.json("/redfish/v1/Systems/System.Embedded.1/Bios")["Attributes"]["IscsiDev1Con1VlanId"] == 12
    finally:
        process.stop()
