# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dell import DellDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe import HpeDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.nic_channel import NicChannel
from ansible_collections.vmw.sanboot.plugins.module_utils.resources import Port
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import PORT2, SETTINGS2, FakeBMC, bmc_tree
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes_dell import FakeDell


def port(supported=("Immediate", "OnReset"), settings=True, etag='W/"p1"', **body):
    data = dict(bmc_tree()[PORT2])
    data.update(body)
    if not settings:
        data.pop("@Redfish.Settings")
    else:
        data["@Redfish.Settings"] = {"SettingsObject": {"@odata.id": SETTINGS2}}
        if supported is not None:
            data["@Redfish.Settings"]["SupportedApplyTimes"] = list(supported)
    return Port(PORT2, data, etag)


@pytest.fixture
def dmtf():
    return DmtfDialect()


def channel(p=None, dialect=None):
    return NicChannel(dialect or DmtfDialect(), p or port())


# -- choose_apply_time --------------------------------------------------------------------------

@pytest.mark.parametrize("requested", ["auto", None])
def test_auto_picks_on_reset(dmtf, requested):
    assert channel(port()).choose_apply_time(requested) == "OnReset"
    assert channel(port(supported=["OnReset", "Immediate", "AtMaintenanceWindowStart"])).choose_apply_time(requested) == \
        "OnReset"


def test_auto_falls_back_to_immediate_then_first_supported(dmtf):
    assert channel(port(supported=["Immediate"])).choose_apply_time("auto") == "Immediate"
    assert channel(port(supported=["InMaintenanceWindowOnReset", "AtMaintenanceWindowStart"])).choose_apply_time("auto") == \
        "InMaintenanceWindowOnReset"


def test_auto_without_supported_list_assumes_on_reset(dmtf):
    assert channel(port(supported=None)).choose_apply_time("auto") == "OnReset"
    assert channel(port(supported=[])).choose_apply_time("auto") == "OnReset"


def test_requested_supported_apply_time_is_used(dmtf):
    assert channel(port()).choose_apply_time("Immediate") == "Immediate"
    assert channel(port()).choose_apply_time("OnReset") == "OnReset"
    # Without SupportedApplyTimes the BMC is trusted to refuse what it cannot do.
    assert channel(port(supported=None)).choose_apply_time("AtMaintenanceWindowStart") == "AtMaintenanceWindowStart"


def test_unsupported_apply_time_is_refused_naming_the_field(dmtf):
    with pytest.raises(ValidationError) as caught:
        channel(port(supported=["OnReset"])).choose_apply_time("Immediate")
    assert caught.value.field == "apply_time"
    assert caught.value.message == "apply_time: Immediate is not supported by this BMC (supported: OnReset)"


@pytest.mark.parametrize("requested", ["auto", None, "Immediate"])
def test_no_settings_object_means_immediate_only(dmtf, requested):
    assert channel(port(settings=False)).choose_apply_time(requested) == "Immediate"


@pytest.mark.parametrize("requested", ["OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset"])
def test_no_settings_object_refuses_deferred_apply_times(dmtf, requested):
    with pytest.raises(ValidationError) as caught:
        channel(port(settings=False)).choose_apply_time(requested)
    assert caught.value.field == "apply_time"
    assert "only Immediate is possible" in caught.value.message


# -- read / write -------------------------------------------------------------------------------

def test_read_iscsi_with_settings_object(dmtf, bmc):
    bmc.tree[SETTINGS2]["BootMode"] = "iSCSI"
    bmc.tree[SETTINGS2]["iSCSIBoot"]["PrimaryLUN"] = 4
    bmc.etags[SETTINGS2] = 'W/"s9"'
    state = channel(port()).read(bmc)
    assert state.current["BootMode"] == "Disabled" and state.current["iSCSIBoot"]["PrimaryLUN"] == 0
    assert state.future["BootMode"] == "iSCSI" and state.future["iSCSIBoot"]["PrimaryLUN"] == 4
    assert state.etag == 'W/"s9"'
    assert bmc.requests == ["GET %s" % SETTINGS2]


def test_read_iscsi_without_settings_object(dmtf, bmc):
    p = port(settings=False, etag='W/"p5"', iSCSIBoot=None)
    state = channel(p).read(bmc)
    assert state.current == {"BootMode": "Disabled", "iSCSIBoot": {}}
    assert state.future is None
    assert state.etag == 'W/"p5"'
    assert bmc.requests == []


def test_write_iscsi_patches_settings_object_with_apply_time(dmtf, bmc):
    payload = {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1}}
    state = channel().read(bmc)
    state.etag = 'W/"s1"'
    bmc.sent.clear()
    assert channel().write(bmc, payload, "OnReset", state).status == 204
    assert bmc.sent == [("PATCH", SETTINGS2, {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1},
                                              "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}, 'W/"s1"')]
    assert payload == {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1}}          # not modified


def test_write_iscsi_without_settings_object_patches_the_resource(dmtf, bmc):
    c = channel(port(settings=False, etag='W/"p2"'))
    c.write(bmc, {"BootMode": "Disabled"}, "Immediate", c.read(bmc))
    assert bmc.sent == [("PATCH", PORT2, {"BootMode": "Disabled"}, 'W/"p2"')]


def test_write_iscsi_returns_task_monitor_on_202(dmtf, bmc):
    bmc.script[("PATCH", SETTINGS2)] = [Reply(202, {}, {"Location": "/redfish/v1/TaskService/TaskMonitors/7"})]
    reply = channel().write(bmc, {"BootMode": "iSCSI"}, "Immediate", channel().read(bmc))
    assert dmtf.applied(bmc, reply) == {"task": "/redfish/v1/TaskService/TaskMonitors/7"}


def test_dell_sends_no_if_match(bmc):
    c = channel(dialect=DellDialect())
    c.write(bmc, {"BootMode": "iSCSI"}, "OnReset", c.read(bmc))
    assert bmc.sent[-1][3] is None


def test_a_reread_reads_the_port_again(bmc):
    c = channel()
    c.read(bmc)
    c.read(bmc)
    assert bmc.requests == ["GET %s" % SETTINGS2, "GET %s" % PORT2, "GET %s" % SETTINGS2]


def test_dmtf_channel_needs_an_iscsi_capable_port(dmtf, bmc):
    assert dmtf.iscsi_channel(bmc, port(), "present").method == "nic"
    dmtf.iscsi_channel(bmc, port(NetDevFuncCapabilities=["Ethernet"]), "absent")
    with pytest.raises(SanbootError) as caught:
        dmtf.iscsi_channel(bmc, port(NetDevFuncCapabilities=["Ethernet", "FibreChannel"]), "present")
    assert caught.value.details == {"field": "port"}
    assert "is not iSCSI-capable (NetDevFuncCapabilities: Ethernet, FibreChannel)" in caught.value.message


def test_dmtf_offers_no_bios_method(dmtf, bmc):
    with pytest.raises(ValidationError) as caught:
        dmtf.iscsi_channel(bmc, port(), "present", "bios")
    assert caught.value.field == "iscsi_method"


# -- dialects.choose ----------------------------------------------------------------------------

@pytest.mark.parametrize("requested", ["auto", None, "dmtf"])
def test_choose_dialect_for_a_standard_bmc(requested):
    chosen = dialects.choose(FakeBMC(), requested)
    assert chosen.name == "dmtf" and isinstance(chosen, DmtfDialect) and chosen.describe() == {"dialect": "dmtf", "dialect_variant": None}


@pytest.mark.parametrize("variant, expected", [("idrac9", "idrac9"), ("idrac9-7", "idrac9"), ("idrac10", "idrac10")])
def test_auto_detects_dell_and_its_variant(variant, expected):
    chosen = dialects.choose(FakeDell(variant), "auto")
    assert chosen.describe() == {"dialect": "dell", "dialect_variant": expected}


def test_dell_variant_from_an_old_major_version():
    bmc = FakeDell("idrac9")
    bmc.tree["/redfish/v1/Managers/iDRAC.Embedded.1"].update(Model="Unknown", FirmwareVersion="1.10.00.00")
    assert dialects.choose(bmc).variant == "idrac10"


def test_dmtf_can_be_forced_on_a_dell():
    assert dialects.choose(FakeDell(), "dmtf").name == "dmtf"


@pytest.mark.parametrize("root, vendor", [({"Oem": {"Fujitsu": {}}}, "Fujitsu"), ({"Vendor": "Contoso"}, "Contoso"), ({}, None)])
def test_vendors_without_a_dialect_are_named_and_spoken_to_in_dmtf(root, vendor):
    assert dialects.vendor_of(root) == vendor
    assert dialects.detect(root) is DmtfDialect


@pytest.mark.parametrize("root, vendor", [({"Vendor": "HPE", "Oem": {"Hpe": {}}}, "HPE"), ({"Oem": {"Hpe": {}}}, "Hpe")])
def test_hpe_is_detected_by_vendor_or_oem_section(root, vendor):
    assert dialects.vendor_of(root) == vendor
    assert dialects.detect(root) is HpeDialect


def test_dialect_choices_match_the_registry():
    from ansible_collections.vmw.sanboot.plugins.module_utils.module import CONNECTION_ARGS
    assert CONNECTION_ARGS["dialect"]["choices"] == dialects.CHOICES


def test_choose_unknown_dialect_names_the_field():
    with pytest.raises(ValidationError) as caught:
        dialects.choose(FakeBMC(), "fujitsu")
    assert caught.value.field == "dialect"
    assert "unknown dialect 'fujitsu'" in caught.value.message
