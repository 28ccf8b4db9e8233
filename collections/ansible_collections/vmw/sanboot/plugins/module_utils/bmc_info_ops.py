# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What bmc_info gathers: one read-only picture of a BMC, secrets masked."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, iscsi, resources, system_ops, waiter


def run(module, client, _prepared):
    root = client.root
    dialect = dialects.choose(root, module.params["dialect"])
    uri, system, _etag = system_ops.read_system(client, module.params.get("system_id"))
    boot = system.get("Boot") or {}
    options = resources.boot_options(client, system)
    ports = []
    for port in resources.all_ports(client):
        entry = port.summary()
        if port.iscsi_capable or port.body.get("iSCSIBoot"):
            state = dialect.read_iscsi(client, port)
            entry["iscsi"] = iscsi.view(state.current["BootMode"], state.current["iSCSIBoot"])["iSCSIBoot"]
            entry["pending"] = iscsi.pending_changes(state.current, state.future)
            if entry["pending"].get("iSCSIBoot"):
                entry["pending"]["iSCSIBoot"] = iscsi.view(None, entry["pending"]["iSCSIBoot"])["iSCSIBoot"]
        ports.append(entry)
    _target, allowable = system_ops.reset_action(system)
    bmc = {
        "vendor": root.get("Vendor"), "product": root.get("Product"), "redfish_version": root.get("RedfishVersion"),
        "uuid": root.get("UUID"), "dialect": dialect.name,
        "system": {"uri": uri, "manufacturer": system.get("Manufacturer"), "model": system.get("Model"),
                   "serial_number": system.get("SerialNumber"), "bios_version": system.get("BiosVersion"),
                   "power_state": system.get("PowerState"), "boot_progress": waiter.progress(system),
                   "reset_types": allowable},
        "boot": {"order": boot.get("BootOrder"), "boot_next": boot.get("BootNext"),
                 "override_target": boot.get("BootSourceOverrideTarget"),
                 "override_enabled": boot.get("BootSourceOverrideEnabled"),
                 "override_mode": boot.get("BootSourceOverrideMode"),
                 "override_targets_allowed": boot.get("BootSourceOverrideTarget@Redfish.AllowableValues"),
                 "options": [{"reference": ref, "display_name": o.get("DisplayName"), "device_path": o.get("UefiDevicePath"),
                              "enabled": o.get("BootOptionEnabled"), "iscsi": _iscsi_of(o)} for ref, o in options.items()]},
        "ports": ports,
        "firmware_version": _manager_firmware(client, system),
    }
    return {"changed": False, "bmc": bmc}


def _iscsi_of(option):
    found = waiter.iscsi_target_of(option.get("UefiDevicePath"))
    return {"target": found[0], "lun": found[1]} if found else None


def _manager_firmware(client, system):
    for manager in (system.get("Links") or {}).get("ManagedBy") or []:
        return client.get(manager["@odata.id"]).body.get("FirmwareVersion")
    return None
