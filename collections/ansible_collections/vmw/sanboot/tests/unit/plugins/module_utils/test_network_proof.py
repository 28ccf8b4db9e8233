# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import socket

from ansible_collections.vmw.sanboot.plugins.module_utils import network_proof, wait_for_boot_ops
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import FakeModule


def test_answers_on_a_listening_port_and_not_on_a_closed_one():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        assert network_proof.answers("127.0.0.1", port, 1) is True
    assert network_proof.answers("127.0.0.1", port, 1) is False


def test_wait_gives_up_after_the_time_left(monkeypatch, fast_clock):
    monkeypatch.setattr(network_proof, "answers", lambda a, p, t: False)
    assert network_proof.wait_until_answers("192.0.2.1", 443, 20, 5) == (False, 20.0)
    assert network_proof.wait_until_answers("192.0.2.1", 443, -3, 5)[0] is False


def test_dmtf_boot_with_network_proof(bmc, monkeypatch, fast_clock):
    monkeypatch.setattr(network_proof, "answers", lambda a, p, t: True)
    params = {"state": "OSRunning", "since": "2026-01-01T09:59:00Z", "iscsi_target": None, "boot_option": None,
              "system_id": None, "wait_timeout": 60, "poll_interval": 10, "host_address": "127.0.20.1", "host_port": 443}
    result = wait_for_boot_ops.run(FakeModule(params), bmc, None)
    assert result["booted"] is True and result["evidence"] == "bmc+network" and result["dialect"] == "dmtf"
    assert result["network"] == {"address": "127.0.20.1", "port": 443, "answered_after_s": 0.0}
    params["host_address"] = None
    assert wait_for_boot_ops.run(FakeModule(params), bmc, None)["evidence"] == "bmc"
