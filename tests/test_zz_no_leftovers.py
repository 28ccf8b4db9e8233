"""Runs last (file name): after the whole suite, no tgtd process and no LUN file of the run remain.
Every test that used the tgt backend had to clean up after itself, crash tests included."""
import subprocess


def test_no_tgtd_process_remains():
    running = subprocess.run(["pgrep", "-a", "-x", "tgtd"], capture_output=True, text=True).stdout
    assert not running.strip(), f"tgtd still running:\n{running}"


def test_no_lun_file_of_the_run_remains(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    leftovers = [str(p) for p in base.rglob("*.img")]
    assert not leftovers, leftovers
