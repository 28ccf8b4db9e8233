"""`ansible-doc vmw.sanboot.<module>` is the manual: each module renders, with examples and returns."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.mockup import ROOT

MODULES = ["bmc_info", "iscsi_boot", "boot_order", "configure", "power", "wait_for_boot", "virtual_media", "wait_for_boots"]


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders(module):
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "collections"), "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run([str(Path(sys.executable).parent / "ansible-doc"), f"vmw.sanboot.{module}"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for heading in ("OPTIONS", "EXAMPLES", "RETURN VALUES"):
        assert heading in text, heading
    if module == "wait_for_boots":  # no connection of its own: each host's request carries it
        assert "request_var" in text and "since_from" in text
    else:
        assert "baseuri" in text and "validate_certs" in text  # the shared connection fragment
