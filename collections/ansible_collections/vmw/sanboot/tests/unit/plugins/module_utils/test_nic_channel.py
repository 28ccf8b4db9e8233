# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_dmtf import DmtfDialect
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError, ValidationError
from ansible_collections.vmw.sanboot.plugins.module_utils.resources import Port
from ansible_collections.vmw.sanboot.plugins.module_utils.transport import Reply
from ansible_collections.vmw.sanboot.tests.unit.plugins.module_utils.fakes import PORT2, SETTINGS2, bmc_tree


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


# -- choose_apply_time --------------------------------------------------------------------------

@pytest.mark.parametrize("requested", ["auto", None])
def test_auto_picks_on_reset(dmtf, requested):
    assert dmtf.choose_apply_time(port(), requested) == "OnReset"
    assert dmtf.choose_apply_time(port(supported=["OnReset", "Immediate", "AtMaintenanceWindowStart"]), requested) == \
        "OnReset"


def test_auto_falls_back_to_immediate_then_first_supported(dmtf):
    assert dmtf.choose_apply_time(port(supported=["Immediate"]), "auto") == "Immediate"
    assert dmtf.choose_apply_time(port(supported=["InMaintenanceWindowOnReset", "AtMaintenanceWindowStart"]), "auto") == \
        "InMaintenanceWindowOnReset"


def test_auto_without_supported_list_assumes_on_reset(dmtf):
    assert dmtf.choose_apply_time(port(supported=None), "auto") == "OnReset"
    assert dmtf.choose_apply_time(port(supported=[]), "auto") == "OnReset"


def test_requested_supported_apply_time_is_used(dmtf):
    assert dmtf.choose_apply_time(port(), "Immediate") == "Immediate"
    assert dmtf.choose_apply_time(port(), "OnReset") == "OnReset"
    # Without SupportedApplyTimes the BMC is trusted to refuse what it cannot do.
    assert dmtf.choose_apply_time(port(supported=None), "AtMaintenanceWindowStart") == "AtMaintenanceWindowStart"


def test_unsupported_apply_time_is_refused_naming_the_field(dmtf):
    with pytest.raises(ValidationError) as caught:
        dmtf.choose_apply_time(port(supported=["OnReset"]), "Immediate")
    assert caught.value.field == "apply_time"
    assert caught.value.message == "apply_time: Immediate is not supported by this BMC (supported: OnReset)"


@pytest.mark.parametrize("requested", ["auto", None, "Immediate"])
def test_no_settings_object_means_immediate_only(dmtf, requested):
    assert dmtf.choose_apply_time(port(settings=False), requested) == "Immediate"


@pytest.mark.parametrize("requested", ["OnReset", "AtMaintenanceWindowStart", "InMaintenanceWindowOnReset"])
def test_no_settings_object_refuses_deferred_apply_times(dmtf, requested):
    with pytest.raises(ValidationError) as caught:
        dmtf.choose_apply_time(port(settings=False), requested)
    assert caught.value.field == "apply_time"
    assert "only Immediate is possible" in caught.value.message


# -- read / write -------------------------------------------------------------------------------

def test_read_iscsi_with_settings_object(dmtf, bmc):
    bmc.tree[SETTINGS2]["BootMode"] = "iSCSI"
    bmc.tree[SETTINGS2]["iSCSIBoot"]["PrimaryLUN"] = 4
    bmc.etags[SETTINGS2] = 'W/"s9"'
    state = dmtf.read_iscsi(bmc, port())
    assert state.current["BootMode"] == "Disabled" and state.current["iSCSIBoot"]["PrimaryLUN"] == 0
    assert state.future["BootMode"] == "iSCSI" and state.future["iSCSIBoot"]["PrimaryLUN"] == 4
    assert state.settings_etag == 'W/"s9"'
    assert bmc.requests == ["GET %s" % SETTINGS2]


def test_read_iscsi_without_settings_object(dmtf, bmc):
    p = port(settings=False, etag='W/"p5"', iSCSIBoot=None)
    state = dmtf.read_iscsi(bmc, p)
    assert state.current == {"BootMode": "Disabled", "iSCSIBoot": {}}
    assert state.future is None
    assert state.settings_etag == 'W/"p5"'
    assert bmc.requests == []


def test_write_iscsi_patches_settings_object_with_apply_time(dmtf, bmc):
    payload = {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1}}
    assert dmtf.write_iscsi(bmc, port(), payload, "OnReset", 'W/"s1"') is None
    assert bmc.sent == [("PATCH", SETTINGS2, {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1},
                                              "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}, 'W/"s1"')]
    assert payload == {"BootMode": "iSCSI", "iSCSIBoot": {"PrimaryLUN": 1}}          # not modified


def test_write_iscsi_without_settings_object_patches_the_resource(dmtf, bmc):
    dmtf.write_iscsi(bmc, port(settings=False, etag='W/"p2"'), {"BootMode": "Disabled"}, "Immediate", "ignored")
    assert bmc.sent == [("PATCH", PORT2, {"BootMode": "Disabled"}, 'W/"p2"')]


def test_write_iscsi_returns_task_monitor_on_202(dmtf, bmc):
    bmc.script[("PATCH", SETTINGS2)] = [Reply(202, {}, {"Location": "/redfish/v1/TaskService/TaskMonitors/7"})]
    assert dmtf.write_iscsi(bmc, port(), {"BootMode": "iSCSI"}, "Immediate", None) == \
        "/redfish/v1/TaskService/TaskMonitors/7"


def test_check_port(dmtf):
    dmtf.check_port(port(), "present")
    dmtf.check_port(port(NetDevFuncCapabilities=["Ethernet"]), "absent")
    with pytest.raises(SanbootError) as caught:
        dmtf.check_port(port(NetDevFuncCapabilities=["Ethernet", "FibreChannel"]), "present")
    assert caught.value.details == {"field": "port"}
    assert "is not iSCSI-capable (NetDevFuncCapabilities: Ethernet, FibreChannel)" in caught.value.message


# -- dialects.choose ----------------------------------------------------------------------------

@pytest.mark.parametrize("requested", ["auto", None, "dmtf"])
def test_choose_dialect(requested):
    assert isinstance(dialects.choose({"Vendor": "Dell"}, requested), DmtfDialect)


def test_choose_unknown_dialect_names_the_field():
    with pytest.raises(ValidationError) as caught:
        dialects.choose({}, "hpe")
    assert caught.value.field == "dialect"
    assert "unknown dialect 'hpe'" in caught.value.message
