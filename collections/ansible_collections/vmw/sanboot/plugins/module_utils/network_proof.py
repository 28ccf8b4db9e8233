# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The proof from the network: the booted host answers a TCP connection on its management
address, made from the controller. It proves an OS runs there, not which disk it came from, so
it is added to the BMC's evidence and never replaces it."""

from __future__ import annotations

import socket

from ansible_collections.vmw.sanboot.plugins.module_utils import waiter


def answers(address, port, timeout):
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until_answers(address, port, total, interval):
    """(answered, seconds waited): connects until the host answers or `total` seconds passed."""
    elapsed = 0.0
    for elapsed in waiter.clock(max(total, 0), interval):
        if answers(address, port, max(1.0, min(5.0, interval))):
            return True, round(elapsed, 1)
    return False, round(elapsed, 1)
