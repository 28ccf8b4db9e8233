# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the computer system, shared by the modules that act on it."""

from __future__ import annotations

import datetime

from ansible_collections.vmw.sanboot.plugins.module_utils import resources


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_system(client, system_id=None):
    """(uri, body, etag) of the system the module acts on."""
    uri = resources.system_uri(client, system_id)
    reply = client.get(uri)
    return uri, reply.body, reply.etag


def reset_action(system):
    action = (system.get("Actions") or {}).get("#ComputerSystem.Reset") or {}
    return action.get("target"), action.get("ResetType@Redfish.AllowableValues")
