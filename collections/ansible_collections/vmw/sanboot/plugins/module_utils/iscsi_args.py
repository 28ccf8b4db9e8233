# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec of a port's iSCSI boot values, shared by iscsi_boot and configure (the doc
fragment vmw.sanboot.iscsi_values documents it)."""

from __future__ import annotations

_TARGET = {
    "name": {"type": "str", "required": True},
    "address": {"type": "str", "required": True},
    "port": {"type": "int", "default": 3260},
    "lun": {"type": "int", "default": 0},
    "vlan_id": {"type": "int"},
}
ISCSI_VALUE_ARGS = {
    "port": {"type": "dict", "options": {"mac": {"type": "str"}, "adapter_id": {"type": "str"},
                                         "function_id": {"type": "str"}}},
    "initiator": {"type": "dict", "options": {
        "name": {"type": "str", "required": True}, "address": {"type": "str"}, "netmask": {"type": "str"},
        "gateway": {"type": "str"}, "primary_dns": {"type": "str"}, "secondary_dns": {"type": "str"},
        "dhcp": {"type": "bool", "default": False}}},
    "target": {"type": "dict", "options": _TARGET},
    "secondary_target": {"type": "dict", "options": _TARGET},
    "chap": {"type": "dict", "no_log": False, "options": {
        "username": {"type": "str"}, "secret": {"type": "str", "no_log": True},
        "mutual_username": {"type": "str"}, "mutual_secret": {"type": "str", "no_log": True}}},
    "chap_secret_update": {"type": "str", "default": "on_change", "choices": ["on_change", "always"]},
    "apply_time": {"type": "str", "default": "auto",
                   "choices": ["auto", "Immediate", "OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset"]},
    "target_os": {"type": "str", "default": "esxi", "choices": ["esxi", "other"]},
    "allow_ipv6": {"type": "bool", "default": False},
    "iscsi_method": {"type": "str", "default": "auto", "choices": ["auto", "nic", "bios"]},
    "clear_pending": {"type": "bool", "default": False},
    "task_timeout": {"type": "int", "default": 300},
}
