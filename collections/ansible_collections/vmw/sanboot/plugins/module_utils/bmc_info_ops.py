# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What bmc_info gathers: one read-only picture of a BMC, secrets masked.

It reads only what it reports, and a resource the BMC links but cannot serve (404) leaves a
gap in the picture instead of failing the run: any vendor's BMC can be described, also one whose
dialect does not exist yet."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, iscsi, power_ops, resources, system_ops, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError


def run(module, client, _prepared):
    root = client.root
    dialect = dialects.choose(client, module.params["dialect"])
    uri, system, _etag = system_ops.read_system(client, module.params.get("system_id"))
    bmc = {"vendor": dialects.vendor_of(root) or system.get("Manufacturer"), "product": root.get("Product"),
           "redfish_version": root.get("RedfishVersion"), "uuid": root.get("UUID"),
           "dialect": dialect.name, "dialect_variant": dialect.variant,
           "system": dict(_system_view(client, uri, system), post_state=dialect.post_state(system),
                          bios_pending=dialect.pending_bios(client, system)),
           "boot": dict(_boot_view(client, system), device_order=dialect.device_order(client, system)),
           "ports": _ports_view(client, dialect, uri),
           "firmware_version": dialect.manager(client, system).get("FirmwareVersion")}
    return {"changed": False, "bmc": bmc, "dialect": dialect.name, "dialect_variant": dialect.variant}


def _system_view(client, uri, system):
    _target, allowable = power_ops.allowed_resets(client, system)   # inline, else the action's ActionInfo (Supermicro)
    return {"uri": uri, "manufacturer": system.get("Manufacturer"), "model": system.get("Model"),
            "serial_number": system.get("SerialNumber"), "bios_version": system.get("BiosVersion"),
            "power_state": system.get("PowerState"), "boot_progress": waiter.progress(system),
            "last_reset_time": system.get("LastResetTime"), "reset_types": allowable}


def _boot_view(client, system):
    boot = system.get("Boot") or {}
    options = resources.boot_options(client, system)
    return {"order": boot.get("BootOrder"), "boot_next": boot.get("BootNext"),
            "override_target": boot.get("BootSourceOverrideTarget"),
            "override_enabled": boot.get("BootSourceOverrideEnabled"),
            "override_mode": boot.get("BootSourceOverrideMode"),
            "override_targets_allowed": boot.get("BootSourceOverrideTarget@Redfish.AllowableValues"),
            "options": [{"reference": ref, "display_name": o.get("DisplayName"), "device_path": o.get("UefiDevicePath"),
                         "enabled": o.get("BootOptionEnabled"), "iscsi": _iscsi_of(o)} for ref, o in options.items()]}


def _ports_view(client, dialect, system_uri):
    return [port_view(client, dialect, port) for port in dialect.ports(client, system_uri)]


def port_view(client, dialect, port):
    """One port as bmc_info (and configure's before-state) shows it: its summary, and where the BMC
    shows them its iSCSI values and what is pending for the next reset, secrets masked."""
    entry = dialect.port_summary(client, port)
    channel = dialect.shown_channel(client, port)
    if channel is None:
        return entry
    try:
        state = channel.read(client)
    except RedfishError as exc:
        if exc.status != 404:
            raise
        return entry
    # a BIOS software initiator boots the port from iSCSI while the NIC's own BootMode says PXE;
    # a port it does not boot keeps its function's BootMode
    if state.current["BootMode"] == "iSCSI":
        entry["boot_mode"] = "iSCSI"
    entry["iscsi"] = iscsi.view(state.current["BootMode"], state.current["iSCSIBoot"])["iSCSIBoot"]
    entry["pending"] = iscsi.pending_changes(state.current, state.future)
    if entry["pending"].get("iSCSIBoot"):
        entry["pending"]["iSCSIBoot"] = iscsi.view(None, entry["pending"]["iSCSIBoot"])["iSCSIBoot"]
    return entry


def _iscsi_of(option):
    found = waiter.iscsi_target_of(option.get("UefiDevicePath"))
    return {"target": found[0], "lun": found[1]} if found else None
