# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import virtual_media_ops
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import MEDIA, SYSTEM, FakeModule

ISO = "https://repo.example/esxi/VMware-VMvisor-Installer-8.0U3.iso"
INSERT = MEDIA + "/Actions/VirtualMedia.InsertMedia"
EJECT = MEDIA + "/Actions/VirtualMedia.EjectMedia"


def params(**changes):
    base = {"state": "present", "image": ISO, "image_username": None, "image_password": None, "boot_once": False,
            "media_id": None, "system_id": None}
    base.update(changes)
    return base


@pytest.mark.parametrize("image", [ISO, "http://10.0.0.1/esxi.iso", "nfs://nas/isos/esxi.iso", "smb://nas/isos/esxi.iso",
                                   "cifs://nas/isos/esxi.iso"])
def test_prepare_accepts_urls(image):
    module = FakeModule(params(image=image, image_password="share-pass"))
    assert virtual_media_ops.prepare(module) is None
    assert module.protected == ["share-pass"]


@pytest.mark.parametrize("image", ["", None, "/isos/esxi.iso", "ftp://host/esxi.iso", "https://host", "esxi.iso"])
def test_prepare_refuses_other_images(image):
    with pytest.raises(ValidationError) as caught:
        virtual_media_ops.prepare(FakeModule(params(image=image)))
    assert caught.value.field == "image"


def test_prepare_absent_needs_no_image():
    assert virtual_media_ops.prepare(FakeModule(params(state="absent", image=None))) is None


def test_find_media_on_the_manager(bmc):
    uri, body = virtual_media_ops.find_media(bmc, bmc.tree[SYSTEM], None)
    assert uri == MEDIA and body["Id"] == "CD1"                 # USB1 offers no CD/DVD
    assert virtual_media_ops.find_media(bmc, bmc.tree[SYSTEM], "USB1")[0].endswith("/USB1")
    with pytest.raises(SanbootError) as caught:
        virtual_media_ops.find_media(bmc, bmc.tree[SYSTEM], "CD9")
    assert caught.value.details == {"field": "media_id"}


def test_find_media_prefers_the_system(bmc):
    bmc.tree[SYSTEM]["VirtualMedia"] = {"@odata.id": SYSTEM + "/VirtualMedia"}
    bmc.tree[SYSTEM + "/VirtualMedia"] = {"Members": [{"@odata.id": SYSTEM + "/VirtualMedia/1"}]}
    bmc.tree[SYSTEM + "/VirtualMedia/1"] = {"Id": "1", "MediaTypes": ["DVD"]}
    assert virtual_media_ops.find_media(bmc, bmc.tree[SYSTEM], None)[0] == SYSTEM + "/VirtualMedia/1"


def test_insert_and_boot_once(bmc):
    result = virtual_media_ops.run(FakeModule(params(boot_once=True, image_username="u", image_password="share-pass")), bmc, None)
    assert bmc.writes() == [
        ("POST", INSERT, {"Image": ISO, "Inserted": True, "WriteProtected": True, "UserName": "u",
                          "Password": "share-pass"}, None),
        ("PATCH", SYSTEM, {"Boot": {"BootSourceOverrideTarget": "Cd", "BootSourceOverrideEnabled": "Once"}}, None),
    ]
    assert result["changed"] is True and result["boot_once"] is True
    assert result["before"] == {"image": None, "inserted": False}
    assert result["after"] == {"image": ISO, "inserted": True}


def test_same_image_already_inserted_is_idempotent(bmc):
    bmc.tree[MEDIA].update(Inserted=True, Image=ISO)
    bmc.tree[SYSTEM]["Boot"].update(BootSourceOverrideTarget="Cd", BootSourceOverrideEnabled="Once")
    result = virtual_media_ops.run(FakeModule(params(boot_once=True)), bmc, None)
    assert result["changed"] is False
    assert bmc.writes() == []


def test_other_image_is_ejected_first(bmc):
    bmc.tree[MEDIA].update(Inserted=True, Image="https://repo.example/old.iso")
    virtual_media_ops.run(FakeModule(params()), bmc, None)
    assert [(w[0], w[1]) for w in bmc.writes()] == [("POST", EJECT), ("POST", INSERT)]


def test_absent_ejects(bmc):
    bmc.tree[MEDIA].update(Inserted=True, Image=ISO)
    result = virtual_media_ops.run(FakeModule(params(state="absent", image=None, boot_once=True)), bmc, None)
    assert bmc.writes() == [("POST", EJECT, {}, None)]
    assert result["after"] == {"image": None, "inserted": False}
    assert result["boot_once"] is False


def test_absent_when_empty(bmc):
    result = virtual_media_ops.run(FakeModule(params(state="absent", image=None)), bmc, None)
    assert result["changed"] is False and bmc.writes() == []


def test_check_mode(bmc):
    result = virtual_media_ops.run(FakeModule(params(boot_once=True), check_mode=True), bmc, None)
    assert result["changed"] is True
    assert bmc.writes() == []


def test_missing_action(bmc):
    del bmc.tree[MEDIA]["Actions"]["#VirtualMedia.InsertMedia"]
    with pytest.raises(SanbootError, match="offers no #VirtualMedia.InsertMedia action"):
        virtual_media_ops.run(FakeModule(params()), bmc, None)
