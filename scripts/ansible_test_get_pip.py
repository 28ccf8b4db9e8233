"""Stand-in for the get-pip bootstrap script that ansible-test downloads from its CI file host,
which this project's machines cannot reach. Installed by scripts/ansible_test_home.sh into
ansible-test's cache (~/.ansible/test/cache/get_pip_<version>.py). It does the same job: put pip
into the empty virtualenv ansible-test made, with the interpreter's own ensurepip, then the
requested pip version from the package index, with the options ansible-test passed."""
import os
import subprocess
import sys

# ensurepip, run in this process, would set PIP_CONFIG_FILE=/dev/null for good (hiding the
# machine's index and CA settings from the second step), so it runs as a child of its own.
environment = dict(os.environ)
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], env=environment)
options = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + options, env=environment)
