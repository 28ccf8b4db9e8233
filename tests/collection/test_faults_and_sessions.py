"""The modules under injected BMC faults: retries where they are safe, a clear failure where not,
and never a session left open on the BMC (the `ansible` fixture checks that after every test)."""
from iscsi_args import FUNCTION, args


def test_503_with_retry_after_is_retried_and_the_run_succeeds(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    bmc.fault("http503", rate=0.3, retry_after=0)
    run = ansible.run("iscsi_boot", dict(args(), retries=8))
    assert run.result["changed"] is True, run.result.get("msg")
    bmc.clear_faults()
    assert bmc.json(FUNCTION + "/Settings")["BootMode"] == "iSCSI"


def test_dropped_connections_on_reads_are_retried(ansible, mockup):
    bmc = mockup.bmc("esxi03")
    bmc.fault("drop", rate=0.3)
    run = ansible.run("bmc_info", {"retries": 8}, bmc="esxi03")
    assert not run.failed, run.result.get("msg")
    assert run.result["bmc"]["vendor"] == "Contoso"


def test_unreachable_bmc_fails_clearly_without_a_session(ansible, mockup):
    bmc = mockup.bmc("esxi02")
    bmc.fault("unavailable", seconds=30)
    run = ansible.run("iscsi_boot", dict(args("esxi02"), retries=1), bmc="esxi02")
    assert run.failed and "cannot reach" in run.result["msg"]
    bmc.clear_faults()


def test_failed_write_still_logs_out(ansible, mockup):
    """A PATCH refused by the BMC (412 twice) fails the run, and the session it opened is deleted."""
    bmc = mockup.bmc("esxi01")
    bmc.fault("etag_race")
    first = ansible.run("iscsi_boot", args())
    assert first.result["changed"] is True  # re-planned once after the 412
    by_path = bmc.stats()["by_path"]
    assert by_path.get("POST /redfish/v1/SessionService/Sessions") == 1
    assert sum(v for k, v in by_path.items() if k.startswith("DELETE /redfish/v1/SessionService/Sessions/")) == 1
