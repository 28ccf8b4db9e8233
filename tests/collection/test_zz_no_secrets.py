"""No secret anywhere: every module run of this suite was made at -vvv with python-redfish-library's
DEBUG log on, beside the mockup's request log; none of it may contain a CHAP secret or a BMC
password. Runs last in this folder (file name), after the others have filled the transcripts."""
from playbook_runner import TRANSCRIPTS
from iscsi_args import SECRETS, args
from support.mockup import PASSWORD


def test_secrets_never_appear_in_output_debug_log_or_request_log(ansible, mockup):
    # This test's own runs guarantee coverage even when run alone: a write with every secret.
    ansible.run("iscsi_boot", args("esxi02"), bmc="esxi02", diff=True)
    ansible.run("iscsi_boot", dict(args("esxi02"), chap_secret_update="always"), bmc="esxi02", diff=True)
    failed = ansible.run("iscsi_boot", args("esxi01", **{"chap.secret": "short"}))
    assert failed.failed
    TRANSCRIPTS.append(("mockup request log", mockup.request_log()))

    debug_logs = [text for name, text in TRANSCRIPTS if name.endswith("redfish debug log") and text]
    assert debug_logs and any("HTTP REQUEST" in text and "PATCH" in text for text in debug_logs), \
        "the library's DEBUG log was not captured, so this test would prove nothing"
    assert any("-vvv" in text or "<localhost> EXEC" in text or "ESTABLISH LOCAL CONNECTION" in text
               for name, text in TRANSCRIPTS if name.endswith("output"))
    secrets = SECRETS + [PASSWORD, "short"]
    leaks = [(name, secret) for name, text in TRANSCRIPTS for secret in secrets if secret in text]
    assert not leaks, leaks
