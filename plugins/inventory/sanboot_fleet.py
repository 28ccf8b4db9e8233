# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Repository-only inventory plugin: the lab inventory read out of the mockup's fleet file, so the
inventory and the fleet never disagree. Users' real sites use ordinary inventories instead."""

from __future__ import annotations

DOCUMENTATION = r"""
name: sanboot_fleet
short_description: Hosts of a sanboot-mockup fleet file
description:
  - One host per BMC of the fleet file, in group C(esxi_hosts), with its BMC address, the MAC of
    its boot port, the host's management address (C(host_address), the network proof of a boot)
    and the SAN target whose ACL names the host's initiator.
  - The boot port is the first port whose NIC firmware boots iSCSI; on a BMC whose BIOS has a
    software initiator (the Dell and HPE personalities), the first port when no port has it.
  - A BMC whose ports got their iSCSI values from the NIC's option ROM (the fleet's
    C(option_rom_iscsi), as on Supermicro, which cannot set them over Redfish) boots from the first
    port listed there, and its host gets C(sanboot_configure_iscsi=false).
  - Secrets are not read from the fleet file; they belong in the inventory's vault.
options:
  plugin:
    description: Must be C(sanboot_fleet).
    required: true
    choices: [sanboot_fleet]
  fleet_file:
    description: The fleet file, relative to this inventory file.
    required: true
  state_dir:
    description:
      - The mockup's state directory (its CA is C(ca.pem) there), relative to this inventory file.
      - The environment variable C(SANBOOT_LAB_STATE_DIR) overrides it (tests run a lab of their own).
    default: ../../.state/lab
"""

import os

import yaml
from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin


# Personalities whose BIOS carries a UEFI software initiator usable with any port.
SOFTWARE_INITIATOR = ("idrac9", "idrac10", "ilo5", "ilo6")


def boot_port(bmc):
    """The port the lab boots from: the first port set in the option ROM, else the first NIC-firmware
    iSCSI port, else (software initiator) the first port."""
    ports = [p for nic in bmc.get("nics") or [] for p in nic.get("ports") or []]
    rom = (bmc.get("option_rom_iscsi") or [None])[0]
    if rom:
        return next(p for nic in bmc.get("nics") or [] for p in nic.get("ports") or []
                    if p["mac"].lower() == str(rom.get("mac", "")).lower()
                    or (nic["id"], p["id"]) == (rom.get("nic"), rom.get("port")))
    offload = [p for p in ports if p.get("iscsi", True)]
    if offload:
        return offload[0]
    return ports[0] if ports and bmc.get("personality") in SOFTWARE_INITIATOR else None


class InventoryModule(BaseInventoryPlugin):
    NAME = "sanboot_fleet"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith((".sanboot_fleet.yml", ".sanboot_fleet.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        here = os.path.dirname(os.path.abspath(path))
        fleet_path = os.path.join(here, self.get_option("fleet_file"))
        state_dir = os.environ.get("SANBOOT_LAB_STATE_DIR") or os.path.join(here, self.get_option("state_dir"))
        try:
            with open(fleet_path, encoding="utf-8") as handle:
                fleet = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError) as exc:
            raise AnsibleParserError("cannot read fleet file %s: %s" % (fleet_path, exc)) from exc
        defaults = fleet.get("defaults") or {}
        targets = (fleet.get("san") or {}).get("targets") or []
        self.inventory.add_group("esxi_hosts")
        for bmc in fleet.get("bmcs") or []:
            self._add_host(dict(defaults, **bmc), targets, os.path.abspath(state_dir))

    def _add_host(self, bmc, targets, state_dir):
        name = bmc["name"]
        self.inventory.add_host(name, group="esxi_hosts")
        address, port = bmc.get("address", "127.0.0.1"), bmc.get("port", 8443)
        self.inventory.set_variable(name, "sanboot_bmc_baseuri", "https://%s:%s" % (address, port))
        self.inventory.set_variable(name, "sanboot_bmc_username", bmc.get("username", "admin"))
        self.inventory.set_variable(name, "sanboot_bmc_ca_path", os.path.join(state_dir, "ca.pem"))
        port = boot_port(bmc)
        if port:
            self.inventory.set_variable(name, "sanboot_port_mac", port["mac"].lower())
        if bmc.get("option_rom_iscsi"):
            # the NIC's option ROM holds the iSCSI values: the role must not write them
            self.inventory.set_variable(name, "sanboot_configure_iscsi", False)
        if bmc.get("host_address"):
            self.inventory.set_variable(name, "sanboot_host_address", bmc["host_address"])
            self.inventory.set_variable(name, "sanboot_host_port", int(bmc.get("host_port", 443)))
        initiator = "iqn.1998-01.com.vmware:%s" % name
        self.inventory.set_variable(name, "sanboot_initiator_name", initiator)
        target = next((t for t in targets if initiator in (t.get("acl") or [])), None)
        if target is None:
            return
        host, _, tcp = str(target.get("portal", "127.0.0.1:3260")).rpartition(":")
        self.inventory.set_variable(name, "sanboot_target_name", target["iqn"])
        self.inventory.set_variable(name, "sanboot_target_address", host)
        self.inventory.set_variable(name, "sanboot_target_port", int(tcp))
        self.inventory.set_variable(name, "sanboot_target_lun", (target.get("luns") or [{"id": 0}])[0]["id"])
        if target.get("chap"):
            self.inventory.set_variable(name, "sanboot_chap_username", target["chap"]["username"])
        if target.get("mutual_chap"):
            self.inventory.set_variable(name, "sanboot_mutual_chap_username", target["mutual_chap"]["username"])
