# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What virtual_media does: insert or eject an ISO, and arrange to boot it once."""

from __future__ import annotations

from urllib.parse import urlparse

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, resources, system_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError


def prepare(module):
    params = module.params
    if params["state"] == "present":
        image = params.get("image") or ""
        if urlparse(image).scheme not in ("http", "https", "nfs", "smb", "cifs") or not urlparse(image).path:
            raise ValidationError("image", "%r is not an http(s), nfs or smb URL of an image" % image)
    module.protect(params.get("image_password"))
    return None


def find_media(client, system, media_id):
    """The virtual media device: the system's (current schema) or the manager's (older BMCs)."""
    collections = [resources.link(system, "VirtualMedia")]
    for manager in (system.get("Links") or {}).get("ManagedBy") or []:
        collections.append(resources.link(client.get(manager["@odata.id"]).body, "VirtualMedia"))
    for collection in filter(None, collections):
        for uri in resources.members(client, collection):
            body = client.get(uri).body
            if (media_id and body.get("Id") == media_id) or (not media_id and set(body.get("MediaTypes") or []) & {"CD", "DVD"}):
                return uri, body
    raise SanbootError("no virtual CD/DVD device%s on this BMC" % (" with Id %s" % media_id if media_id else ""), field="media_id")


def _action(body, name):
    return ((body.get("Actions") or {}).get("#VirtualMedia.%s" % name) or {}).get("target")


def run(module, client, _prepared):
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    uri, system, etag = system_ops.read_system(client, params.get("system_id"))
    media_uri, media = find_media(client, system, params.get("media_id"))
    before = {"image": media.get("Image"), "inserted": bool(media.get("Inserted"))}
    wanted_image = params.get("image") if params["state"] == "present" else None
    steps = []
    if media.get("Inserted") and media.get("Image") != wanted_image:
        steps.append(("EjectMedia", {}))
    if wanted_image and not (media.get("Inserted") and media.get("Image") == wanted_image):
        body = {"Image": wanted_image, "Inserted": True, "WriteProtected": True}
        if params.get("image_username"):
            body.update(UserName=params["image_username"], Password=params.get("image_password"))
        steps.append(("InsertMedia", body))
    boot = (system.get("Boot") or {})
    override = params["state"] == "present" and params["boot_once"] and not (
        boot.get("BootSourceOverrideTarget") == "Cd" and boot.get("BootSourceOverrideEnabled") == "Once")
    after = {"image": wanted_image, "inserted": wanted_image is not None}
    result = {"dialect": dialect.name, "dialect_variant": dialect.variant, "changed": bool(steps) or override,
              "media": media_uri, "before": before, "after": after,
              "boot_once": bool(params["state"] == "present" and params["boot_once"]),
              "diff": {"before": before, "after": after}}
    if module.check_mode:
        return result
    for name, body in steps:
        target = _action(media, name)
        if not target:
            raise SanbootError("%s offers no #VirtualMedia.%s action" % (media_uri, name))
        client.post(target, body)
    if override:
        client.patch(uri, {"Boot": {"BootSourceOverrideTarget": "Cd", "BootSourceOverrideEnabled": "Once"}},
                     etag=dialect.write_etag(etag))
    return result
