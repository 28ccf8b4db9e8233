#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: virtual_media
short_description: Insert or eject an ISO in a BMC's virtual CD, and boot it once
version_added: 0.1.0
description:
  - For pre-install prep, puts an ESXi installer ISO into the virtual CD (C(#VirtualMedia.InsertMedia))
    and, with O(boot_once), sets a one-time C(Cd) boot override so that the next reset boots it.
  - Idempotent. An image already inserted is not inserted again; a different one is ejected first.
  - The virtual media is found under the system (current schemas) or under its manager (older BMCs).
author:
  - vmw.sanboot engineers (@vmw-sanboot)
extends_documentation_fragment:
  - vmw.sanboot.redfish
  - vmw.sanboot.system
attributes:
  check_mode:
    support: full
    description: Reports what would change; sends nothing.
  diff_mode:
    support: full
    description: Shows the image before and after.
options:
  state:
    description: V(present) inserts O(image); V(absent) ejects whatever is inserted.
    type: str
    choices: [present, absent]
    default: present
  image:
    description: URL of the ISO image (http, https, nfs or smb), required with O(state=present).
    type: str
  image_username:
    description: User name for the image server, if it needs one.
    type: str
  image_password:
    description: Password for the image server.
    type: str
  boot_once:
    description: Also set a one-time C(Cd) boot override, so the next reset boots the image.
    type: bool
    default: false
  media_id:
    description: C(Id) of the virtual media device; the first CD/DVD device when omitted.
    type: str
seealso:
  - module: vmw.sanboot.power
"""

EXAMPLES = r"""
- name: Insert the ESXi installer and boot it at the next reset
  vmw.sanboot.virtual_media:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    image: https://depot.example.com/VMware-VMvisor-Installer-8.0U3.x86_64.iso
    boot_once: true

- name: Eject it again
  vmw.sanboot.virtual_media:
    baseuri: "{{ bmc_address }}"
    username: "{{ bmc_user }}"
    password: "{{ bmc_password }}"
    state: absent
"""

RETURN = r"""
dialect:
  description: The dialect spoken with the BMC (V(dmtf), V(dell), V(hpe)).
  returned: always
  type: str
  sample: dell
dialect_variant:
  description: The variant of the dialect (C(idrac9), C(idrac10), C(ilo5), C(ilo6)), or null when the dialect has none.
  returned: always
  type: str
  sample: idrac9
media:
  description: URI of the virtual media device.
  returned: success
  type: str
before:
  description: C(image) and C(inserted) before.
  returned: success
  type: dict
after:
  description: C(image) and C(inserted) after.
  returned: success
  type: dict
boot_once:
  description: Whether the next reset boots the image.
  returned: success
  type: bool
requests:
  description: The HTTP requests made, C(METHOD path).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.vmw.sanboot.plugins.module_utils import virtual_media_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.module import SYSTEM_ARGS, SanbootModule

ARGUMENT_SPEC = dict(SYSTEM_ARGS, **{
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "image": {"type": "str"},
    "image_username": {"type": "str"},
    "image_password": {"type": "str", "no_log": True},
    "boot_once": {"type": "bool", "default": False},
    "media_id": {"type": "str"},
})

# The spec's constraints (AnsibleModule's other arguments); the action plugin of the same name imports both.
CONSTRAINTS = {"required_if": [("state", "present", ("image",))]}


def main():
    SanbootModule(ARGUMENT_SPEC, **CONSTRAINTS).run(virtual_media_ops.run, prepare=virtual_media_ops.prepare)


if __name__ == "__main__":
    main()
