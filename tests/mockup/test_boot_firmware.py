"""The simulated boot firmware seen through Redfish and the admin API: the iBFT it writes, the boot
manager's order (BootNext, overrides, BootOrder, disabled options, the iSCSI option's life), power
and reset, BootProgress, and the ESXi installer on virtual media."""
import datetime
import time

import pytest
import yaml
from support.mockup import FAST_TIMING, GOOD_ISCSI, fast_fleet
from support.polling import wait_for

from sanboot_mockup.ibft import CHAP_MUTUAL, CHAP_ONE_WAY, ORIGIN_MANUAL, parse_ibft

SYSTEM = "/redfish/v1/Systems/1"
RESET = f"{SYSTEM}/Actions/ComputerSystem.Reset"
OPTIONS = f"{SYSTEM}/BootOptions"
MEDIA = f"{SYSTEM}/VirtualMedia/CD"
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"
SETTINGS = f"{FUNCTION}/Settings"
POST_STATES = ["PrimaryProcessorInitializationStarted", "BusInitializationStarted",
               "MemoryInitializationStarted", "SecondaryProcessorInitializationStarted",
               "PCIResourceConfigStarted", "SystemHardwareInitializationComplete"]
INSTALLER = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"


# Most tests take an untouched host of one module-wide fleet (tests/mockup/conftest.py).
POOL_SIZE = 56
POOL_ADDRESS_BASE = "127.0.22."


def boot_settings(bmc):
    return bmc.json(SYSTEM)["Boot"]


def patch_boot(bmc, **boot):
    return bmc.patch(SYSTEM, {"Boot": boot})


def options(bmc):
    return {m["@odata.id"].rsplit("/", 1)[-1]: bmc.json(m["@odata.id"]) for m in bmc.json(OPTIONS)["Members"]}


def ref_of(bmc, alias):
    refs = [ref for ref, option in options(bmc).items() if option["Alias"] == alias]
    assert len(refs) == 1, (alias, refs)
    return refs[0]


def iscsi_refs(bmc):
    return [ref for ref, option in options(bmc).items() if "/iSCSI(" in option["UefiDevicePath"]]


def tried(boot):
    return [a["option"] for a in boot["attempts"]]


def message_ids(response):
    return [m["MessageId"].rsplit(".", 1)[-1] for m in response.json()["error"]["@Message.ExtendedInfo"]]


def configure(bmc, host, **changes):
    response = bmc.configure_iscsi({**GOOD_ISCSI[host], **changes})
    assert response.status_code == 200, response.text


def boot_from_lun(bmc, host="esxi01"):
    """Configure the host's correct values and boot once: the iSCSI option then exists."""
    configure(bmc, host)
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    return boot


def set_boot_mode(bmc, mode):
    body = {"BootMode": mode, "@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}
    response = bmc.patch(SETTINGS, body)
    assert response.status_code == 200, response.text


def history(bmc):
    return bmc.admin("boot-history")


def power(bmc):
    return bmc.json(SYSTEM)["PowerState"]


def iso_now():
    """Now, truncated to the second: a BMC may write its times with no finer resolution."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def when(text):
    return datetime.datetime.fromisoformat(text)


def insert(bmc, image):
    response = bmc.post(f"{MEDIA}/Actions/VirtualMedia.InsertMedia", {"Image": image})
    assert response.status_code == 204, response.text


def boot_cd_once(bmc):
    response = patch_boot(bmc, BootSourceOverrideTarget="Cd", BootSourceOverrideEnabled="Once")
    assert response.status_code == 200, response.text


# -- 2. the iBFT ----------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["esxi01", "esxi02"])
def test_ibft_parsed_back_field_by_field(fresh_bmc, host):
    bmc = fresh_bmc
    port = bmc.fleet["nics"][0]["ports"][0]  # the fleet file's port 1: MAC and PCI bus:dev.fn
    boot_from_lun(bmc, host)
    good = GOOD_ISCSI[host]
    raw = bmc.admin("ibft")
    assert raw[:4] == b"iBFT" and sum(raw) % 256 == 0
    table = parse_ibft(raw)

    assert table.initiator.name == good["InitiatorName"]
    assert len(table.nics) == 1 and len(table.targets) == 1
    nic, target = table.nics[0], table.targets[0]
    assert nic.ip == good["InitiatorIPAddress"]
    assert nic.prefix_length == 24  # 255.255.255.0
    assert nic.origin == ORIGIN_MANUAL
    assert nic.gateway == good.get("InitiatorDefaultGateway")  # esxi02 has none: all zeros reads as None
    assert nic.vlan == (good["PrimaryVLANId"] if good.get("PrimaryVLANEnable") else 0)
    assert nic.mac == port["mac"].lower()
    assert nic.pci_bdf == tuple(int(part, 16) for part in port["pci"].replace(".", ":").split(":"))

    assert target.ip == good["PrimaryTargetIPAddress"]
    assert target.port == good["PrimaryTargetTCPPort"]
    assert target.lun == good["PrimaryLUN"]
    assert target.nic_index == 0
    assert target.target_name == good["PrimaryTargetName"]
    assert target.chap_type == {"CHAP": CHAP_ONE_WAY, "MutualCHAP": CHAP_MUTUAL}[good["AuthenticationMethod"]]
    assert target.chap_name == good["CHAPUsername"]
    assert target.chap_secret == good["CHAPSecret"]
    assert target.reverse_chap_name == good.get("MutualCHAPUsername")
    assert target.reverse_chap_secret == good.get("MutualCHAPSecret")


def test_ibft_esxi02_has_vlan_120_and_mutual_chap(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc, "esxi02")
    table = parse_ibft(bmc.admin("ibft"))
    assert table.nics[0].vlan == 120
    assert table.targets[0].chap_type == CHAP_MUTUAL
    assert (table.targets[0].reverse_chap_name, table.targets[0].reverse_chap_secret) == ("san02", "san02-mutual")
    shown = bmc.get("/mockup/ibft", params={"format": "json"}).json()
    assert shown["targets"][0]["chap_secret"] == shown["targets"][0]["reverse_chap_secret"] == "********"


def test_ibft_describes_only_the_current_boot(fresh_bmc):
    bmc = fresh_bmc
    assert bmc.get("/mockup/ibft").status_code == 404
    boot_from_lun(bmc)
    assert bmc.get("/mockup/ibft").status_code == 200
    [ref] = iscsi_refs(bmc)
    configure(bmc, "esxi01", CHAPSecret="wrong-secret1")
    boot = bmc.boot_once()
    assert bmc.get("/mockup/ibft").status_code == 404, "a failed login leaves no iBFT behind"
    # The boot option stays (an NVRAM entry of the port); trying it names the login failure.
    [attempt] = [a for a in boot["attempts"] if a["option"] == ref]
    assert attempt["outcome"] == "failed"
    assert attempt["reason"].startswith("iSCSI login failed: authentication failure"), attempt
    assert boot["outcome"] == "no_bootable_device"


# -- 3. the boot manager --------------------------------------------------------------------------
def test_boot_next_needs_uefibootnext_once_and_is_consumed(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    order = boot_settings(bmc)["BootOrder"]
    cd = ref_of(bmc, "Cd")
    # BootOrder ends with the iSCSI option, so BootNext=Cd shows whether it was honoured.
    assert patch_boot(bmc, BootNext=cd).status_code == 200
    boot = bmc.boot_once()
    assert tried(boot)[0] == order[0], "BootNext alone is not a one-time boot"
    assert boot_settings(bmc)["BootNext"] == cd

    assert patch_boot(bmc, BootSourceOverrideTarget="UefiBootNext", BootSourceOverrideEnabled="Once").status_code == 200
    boot = bmc.boot_once()
    assert tried(boot)[0] == cd
    assert tried(boot)[1:] == [r for r in order if r != cd]
    after = boot_settings(bmc)
    assert (after["BootNext"], after["BootSourceOverrideEnabled"]) == (None, "Disabled")
    assert after["BootSourceOverrideTarget"] == "None"
    assert tried(bmc.boot_once())[0] == order[0]


def test_uefi_target_override_once(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    [ref] = iscsi_refs(bmc)
    path = options(bmc)[ref]["UefiDevicePath"]
    response = patch_boot(bmc, BootSourceOverrideTarget="UefiTarget", BootSourceOverrideEnabled="Once",
                          UefiTargetBootSourceOverride=path)
    assert response.status_code == 200, response.text
    boot = bmc.boot_once()
    assert tried(boot) == [ref] and boot["outcome"] == "booted"
    assert boot_settings(bmc)["BootSourceOverrideEnabled"] == "Disabled"
    assert tried(bmc.boot_once())[0] != ref


def test_cd_override_once_is_consumed_continuous_is_kept(fresh_bmc):
    bmc = fresh_bmc
    cd, first = ref_of(bmc, "Cd"), boot_settings(bmc)["BootOrder"][0]
    assert cd != first
    boot_cd_once(bmc)
    boot = bmc.boot_once()
    assert tried(boot)[0] == cd and boot["attempts"][0]["reason"] == "no media in the virtual CD drive"
    assert boot_settings(bmc)["BootSourceOverrideEnabled"] == "Disabled"
    assert tried(bmc.boot_once())[0] == first

    assert patch_boot(bmc, BootSourceOverrideTarget="Cd", BootSourceOverrideEnabled="Continuous").status_code == 200
    for _ in range(2):
        assert tried(bmc.boot_once())[0] == cd
    after = boot_settings(bmc)
    assert (after["BootSourceOverrideTarget"], after["BootSourceOverrideEnabled"]) == ("Cd", "Continuous")


@pytest.mark.parametrize("target", ["Usb", "Floppy", "SDCard", "NoSuchTarget"])
def test_override_target_outside_allowable_values_refused(fresh_bmc, target):
    bmc = fresh_bmc
    before = boot_settings(bmc)
    assert target not in before["BootSourceOverrideTarget@Redfish.AllowableValues"]
    response = patch_boot(bmc, BootSourceOverrideTarget=target, BootSourceOverrideEnabled="Once")
    assert response.status_code == 400, response.text
    assert "PropertyValueNotInList" in message_ids(response)
    assert boot_settings(bmc) == before


def test_uefibootnext_continuous_refused(fresh_bmc):
    bmc = fresh_bmc
    before = boot_settings(bmc)
    response = patch_boot(bmc, BootSourceOverrideTarget="UefiBootNext", BootSourceOverrideEnabled="Continuous")
    assert response.status_code == 400 and "PropertyValueConflict" in message_ids(response)
    # Also when the conflict comes from what is already set.
    assert patch_boot(bmc, BootSourceOverrideTarget="Cd", BootSourceOverrideEnabled="Continuous").status_code == 200
    response = patch_boot(bmc, BootSourceOverrideTarget="UefiBootNext")
    assert response.status_code == 400 and "PropertyValueConflict" in message_ids(response)
    assert boot_settings(bmc)["BootSourceOverrideTarget"] == "Cd"
    assert before["BootSourceOverrideEnabled"] == "Disabled"


def test_annotations_inside_boot_are_not_stored(pool, fresh_bmc):
    bmc = fresh_bmc
    annotation = {"BootSourceOverrideTarget@Redfish.AllowableValues": ["Cd"]}
    response = patch_boot(bmc, BootSourceOverrideTarget="Cd", **annotation)
    assert response.status_code == 200, response.text
    assert boot_settings(bmc)["BootSourceOverrideTarget@Redfish.AllowableValues"] == [
        "None", "Pxe", "Cd", "Hdd", "BiosSetup", "UefiTarget", "UefiBootNext"]
    assert not [k for k in pool.persisted(bmc.entry["name"])["boot"] if "@" in k]


def test_disabled_option_skipped(fresh_bmc):
    bmc = fresh_bmc
    first = boot_settings(bmc)["BootOrder"][0]
    response = bmc.patch(f"{OPTIONS}/{first}", {"BootOptionEnabled": False})
    assert response.status_code == 200, response.text
    boot = bmc.boot_once()
    assert boot["attempts"][0]["option"] == first
    assert boot["attempts"][0]["outcome"] == "skipped"
    assert all(a["outcome"] == "failed" for a in boot["attempts"][1:])


def test_boot_option_enabled_must_be_true_or_false(fresh_bmc):
    bmc = fresh_bmc
    response = bmc.patch(f"{OPTIONS}/{ref_of(bmc, 'Cd')}", {"BootOptionEnabled": None})
    assert response.status_code == 400 and message_ids(response) == ["PropertyValueTypeError"]
    assert options(bmc)[ref_of(bmc, "Cd")]["BootOptionEnabled"] is True


def test_boot_order_followed(fresh_bmc):
    bmc = fresh_bmc
    order = list(reversed(boot_settings(bmc)["BootOrder"]))
    assert patch_boot(bmc, BootOrder=order).status_code == 200
    boot = bmc.boot_once()
    assert tried(boot) == order
    assert boot["outcome"] == "no_bootable_device"
    reasons = {a["name"].rsplit(" ", 2)[-1]: a["reason"] for a in boot["attempts"] if a["kind"] == "pxe"}
    assert reasons == {"1": "PXE: no DHCP offer received",  # port 1 boots PXE; port 2 is Disabled
                       "2": "PXE is not enabled on port NIC.Slot.1/2 (BootMode Disabled)"}


def test_boot_order_may_leave_options_out(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    [ref] = iscsi_refs(bmc)
    cd = ref_of(bmc, "Cd")
    assert patch_boot(bmc, BootOrder=[cd, ref]).status_code == 200
    boot = bmc.boot_once()
    assert tried(boot) == [cd, ref] and boot["outcome"] == "booted"


def test_iscsi_option_missing_until_a_reset_then_appended(fresh_bmc):
    bmc = fresh_bmc
    before = boot_settings(bmc)["BootOrder"]
    configure(bmc, "esxi01")
    assert iscsi_refs(bmc) == [], "option missing until a reset"
    boot = bmc.boot_once()
    refs = iscsi_refs(bmc)
    assert len(refs) == 1
    assert boot_settings(bmc)["BootOrder"] == before + refs
    assert boot["booted_from"]["option"] == refs[0]
    assert options(bmc)[refs[0]]["BootOptionEnabled"] is True


def test_iscsi_option_refreshed_when_the_target_changes(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    [ref] = iscsi_refs(bmc)
    old = options(bmc)[ref]
    # Same host, another target: esxi03's (no CHAP, blank LUN); its login succeeds.
    configure(bmc, "esxi03", CHAPUsername=None, CHAPSecret=None)
    boot = bmc.boot_once()
    assert iscsi_refs(bmc) == [ref], "same BootOptionReference"
    new = options(bmc)[ref]
    assert "iSCSI(iqn.2024-01.org.example.san:esxi03," in new["UefiDevicePath"]
    assert new["UefiDevicePath"] != old["UefiDevicePath"] and new["DisplayName"] != old["DisplayName"]
    assert boot_settings(bmc)["BootOrder"].count(ref) == 1
    assert boot["outcome"] == "no_bootable_device"  # esxi03's LUN is blank


@pytest.mark.parametrize("mode", ["PXE", "Disabled"])
def test_iscsi_option_removed_when_boot_mode_leaves_iscsi(fresh_bmc, mode):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    [ref] = iscsi_refs(bmc)
    assert patch_boot(bmc, BootNext=ref).status_code == 200
    set_boot_mode(bmc, mode)
    boot = bmc.boot_once()
    assert bmc.json(FUNCTION)["BootMode"] == mode
    assert iscsi_refs(bmc) == []
    assert bmc.get(f"{OPTIONS}/{ref}").status_code == 404
    after = boot_settings(bmc)
    assert ref not in after["BootOrder"] and after["BootNext"] is None
    assert ref not in tried(boot)
    assert bmc.get("/mockup/ibft").status_code == 404


def test_iscsi_option_first_boots_without_trying_others(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    [ref] = iscsi_refs(bmc)
    order = boot_settings(bmc)["BootOrder"]
    assert patch_boot(bmc, BootOrder=[ref] + [r for r in order if r != ref]).status_code == 200
    boot = bmc.boot_once()
    assert tried(boot) == [ref]
    assert boot["attempts"][0]["outcome"] == "booted"
    assert boot["booted_from"] == {"option": ref, "target": GOOD_ISCSI["esxi01"]["PrimaryTargetName"],
                                   "lun": 1, "port": "NIC.Slot.1/1"}
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"


def test_boot_order_refuses_unknown_and_duplicate_options(fresh_bmc):
    bmc = fresh_bmc
    order = boot_settings(bmc)["BootOrder"]
    for bad in (order + ["Boot00FF"], order + order[:1], order + [None]):
        response = patch_boot(bmc, BootOrder=bad)
        assert response.status_code == 400 and "PropertyValueNotInList" in message_ids(response)
    assert patch_boot(bmc, BootNext="Boot00FF").status_code == 400
    assert boot_settings(bmc)["BootOrder"] == order


# -- 5. power and reset ---------------------------------------------------------------------------
def test_force_off_then_on(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    bmc.reset("ForceOff")
    assert power(bmc) == "Off"
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "None"
    assert history(bmc)["booted_from"] is None, "a host that is off runs nothing"
    assert history(bmc)["boots"][-1]["booted_from"]["target"] == GOOD_ISCSI["esxi01"]["PrimaryTargetName"]
    boot = bmc.boot_once("On")
    assert boot["reset_type"] == "On" and boot["outcome"] == "booted"
    assert power(bmc) == "On" and bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"


def test_pending_settings_apply_at_power_on_not_at_power_off(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    set_boot_mode(bmc, "PXE")
    bmc.reset("ForceOff")
    assert bmc.json(FUNCTION)["BootMode"] == "iSCSI" and bmc.json(SETTINGS)["BootMode"] == "PXE"
    boot = bmc.boot_once("On")
    assert bmc.json(FUNCTION)["BootMode"] == "PXE"
    assert boot["outcome"] == "no_bootable_device"


def test_graceful_shutdown_while_os_running_powers_off(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    bmc.reset("GracefulShutdown")
    wait_for(lambda: power(bmc) == "Off", what="the OS to shut down")
    assert any("Operating system shut down" in line for line in bmc.log_messages())
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "None"


def test_graceful_shutdown_without_an_os_leaves_power_on(fresh_bmc):
    bmc = fresh_bmc
    configure(bmc, "esxi03")
    assert bmc.boot_once()["outcome"] == "no_bootable_device"  # blank LUN: nothing to shut down
    count = bmc.boot_count()
    bmc.reset("GracefulShutdown")
    wait_for(lambda: any("GracefulShutdown: no operating system answered" in line
                         for line in bmc.log_messages()), what="the log entry")
    time.sleep(0.3)  # several graceful_shutdown periods: nothing may have happened meanwhile
    assert power(bmc) == "On"
    assert bmc.boot_count() == count


def test_graceful_restart_boots_again(fresh_bmc):
    bmc = fresh_bmc
    first = boot_from_lun(bmc)
    bmc.reset("GracefulRestart")
    boot = bmc.wait_boot_done(first["id"])
    assert boot["reset_type"] == "GracefulRestart" and boot["outcome"] == "booted"
    log = bmc.log_messages()
    assert "Loading VMware ESXi" in log[log.index("Operating system shut down"):], "shut down, then booted again"


@pytest.mark.parametrize("reset_type", ["PowerCycle", "ForceRestart"])
def test_power_cycle_and_force_restart_boot_again(fresh_bmc, reset_type):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    boot = bmc.boot_once(reset_type)
    assert boot["reset_type"] == reset_type and boot["outcome"] == "booted"
    assert power(bmc) == "On"


def test_push_power_button(mockup_factory):
    """A short press: a running OS shuts down cleanly; with no OS the firmware powers off at once."""
    fleet = fast_fleet()
    fleet["defaults"]["reset_types"] = ["On", "ForceOff", "ForceRestart", "PushPowerButton"]
    mockup = mockup_factory(fleet)
    bmc = mockup.bmc("esxi01")
    boot_from_lun(bmc)
    bmc.reset("PushPowerButton")
    wait_for(lambda: power(bmc) == "Off", what="the OS to shut down")
    assert "Operating system shut down" in bmc.log_messages()
    boot = bmc.boot_once("PushPowerButton")
    assert boot["reset_type"] == "PushPowerButton" and boot["outcome"] == "booted"

    idle = mockup.bmc("esxi03")  # blank LUN: it sits at the boot menu
    assert idle.boot_once()["outcome"] == "no_bootable_device"
    idle.reset("PushPowerButton")
    assert power(idle) == "Off"
    assert "Operating system shut down" not in idle.log_messages()


def test_nmi_only_logs(fresh_bmc):
    bmc = fresh_bmc
    boot_from_lun(bmc)
    before = bmc.json(SYSTEM)
    count = bmc.boot_count()
    bmc.reset("Nmi")
    assert "NMI sent to the host" in bmc.log_messages()
    after = bmc.json(SYSTEM)
    assert (after["PowerState"], after["BootProgress"]) == (before["PowerState"], before["BootProgress"])
    assert bmc.boot_count() == count


@pytest.mark.parametrize("body,status,message_id", [
    ({"ResetType": "Explode"}, 400, "ActionParameterValueNotInList"),
    ({"ResetType": "ForceOn"}, 400, "ActionParameterValueNotInList"),  # in the schema, not offered here
    ({}, 400, "ActionParameterMissing"),
    ({"ResetType": 3}, 400, "ActionParameterValueTypeError"),
    ({"ResetType": "On", "Delay": 3}, 400, "ActionParameterUnknown"),
])
def test_reset_refusals(fresh_bmc, body, status, message_id):
    bmc = fresh_bmc
    allowed = bmc.json(SYSTEM)["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"]
    if message_id == "ActionParameterValueNotInList":
        assert body["ResetType"] not in allowed
    count = bmc.boot_count()
    response = bmc.post(RESET, body)
    assert response.status_code == status, response.text
    assert message_ids(response) == [message_id]
    assert bmc.boot_count() == count and power(bmc) == "On"


def test_boot_progress_walks_post_states_after_the_reset(fresh_bmc):
    bmc = fresh_bmc
    configure(bmc, "esxi01")
    sent = iso_now()
    boot = bmc.boot_once()
    states = [s["state"] for s in boot["states"]]
    assert states == POST_STATES + ["OSBootStarted", "OSRunning"]
    times = [when(s["time"]) for s in boot["states"]]
    assert times == sorted(times) and times[0] >= sent
    progress = bmc.json(SYSTEM)["BootProgress"]
    assert progress["LastState"] == "OSRunning" and when(progress["LastStateTime"]) >= sent
    assert "OemLastState" not in progress
    assert progress["LastBootTimeSeconds"] > 0


def test_nothing_bootable_ends_in_oem_no_bootable_device(fresh_bmc):
    bmc = fresh_bmc
    sent = iso_now()
    boot = bmc.boot_once()
    assert boot["outcome"] == "no_bootable_device"
    assert [s["state"] for s in boot["states"]] == POST_STATES + ["NoBootableDevice"]
    progress = bmc.json(SYSTEM)["BootProgress"]
    assert (progress["LastState"], progress["OemLastState"]) == ("OEM", "NoBootableDevice")
    assert when(progress["LastStateTime"]) >= sent
    entries = bmc.json("/redfish/v1/Systems/1/LogServices/EventLog/Entries")["Members"]
    assert any(e["Message"].startswith("No bootable device found") and e["Severity"] == "Critical" for e in entries)


def test_reset_of_a_hung_boot_keeps_it_hung_and_boots_again(fresh_bmc):
    bmc = fresh_bmc
    configure(bmc, "esxi01")
    bmc.fault("boot_hang", state="MemoryInitializationStarted")
    before = bmc.boot_count()
    bmc.reset("ForceRestart")
    hung = wait_for(lambda: [b for b in history(bmc)["boots"] if b["id"] > before and b["outcome"] == "hung"],
                    what="the boot to hang")[0]
    assert hung["states"][-1]["state"] == "MemoryInitializationStarted"
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "MemoryInitializationStarted"
    assert any("Boot hung at MemoryInitializationStarted" in line for line in bmc.log_messages())
    bmc.clear_faults()
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted" and boot["id"] == hung["id"] + 1
    assert history(bmc)["boots"][-2]["outcome"] == "hung", "the reset does not rewrite why the boot ended"


def test_force_off_during_a_boot_interrupts_it(fresh_bmc):
    bmc = fresh_bmc
    bmc.fault("boot_hang", state="PCIResourceConfigStarted")
    bmc.reset("ForceRestart")
    wait_for(lambda: history(bmc)["boots"][-1]["outcome"] == "hung", what="the boot to hang")
    bmc.reset("ForceOff")
    assert power(bmc) == "Off"
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "None"
    assert history(bmc)["boots"][-1]["outcome"] == "hung"


def test_boot_cut_short_in_its_first_post_state_goes_on_after_a_crash(mockup_factory):
    """A mockup restart is not a reset of the host: the boot goes on in the same history entry."""
    fleet = fast_fleet()
    fleet["defaults"]["timing"]["post_state"] = 60.0  # long enough to be caught in it, never waited out
    mockup = mockup_factory(fleet)
    bmc = mockup.bmc("esxi01")
    configure(bmc, "esxi01")
    before = bmc.boot_count()
    bmc.reset()
    run = wait_for(lambda: mockup.persisted("esxi01")["boot_run"], what="the boot to start")
    assert run["post_done"] == 0
    mockup.kill()
    fleet["defaults"]["timing"]["post_state"] = FAST_TIMING["post_state"]
    mockup.fleet_file.write_text(yaml.safe_dump(fleet))
    mockup.ready_file.unlink()
    mockup.start()
    boot = bmc.wait_boot_done(before)
    assert boot["id"] == before + 1 and boot["outcome"] == "booted", boot
    assert [b["id"] for b in history(bmc)["boots"]] == [before + 1]
    assert [s["state"] for s in boot["states"]][-len(POST_STATES) - 2:] == POST_STATES + ["OSBootStarted", "OSRunning"]


# -- 6. the ESXi installer ------------------------------------------------------------------------
def finished_boots(bmc, after_id, count=1):
    """The first `count` boots after `after_id` once they have all finished, else None."""
    boots = [b for b in history(bmc)["boots"] if b["id"] > after_id][:count]
    done = len(boots) == count and all(b["outcome"] != "in_progress" for b in boots)
    return boots if done else None


def test_esxi_installer_installs_onto_the_ibft_lun_and_reboots_from_it(mockup):
    bmc = mockup.bmc("esxi03")
    target = GOOD_ISCSI["esxi03"]["PrimaryTargetName"]
    configure(bmc, "esxi03")
    blank = bmc.boot_once()
    assert blank["outcome"] == "no_bootable_device"
    assert bmc.admin("san")["luns"][f"{target}/1"] == "blank"

    insert(bmc, INSTALLER)
    media = bmc.json(MEDIA)
    assert media["Inserted"] is True and media["ImageName"] == INSTALLER.rsplit("/", 1)[-1]
    boot_cd_once(bmc)
    bmc.reset()
    boots = wait_for(lambda: finished_boots(bmc, blank["id"], count=2), what="the installer and the reboot after it")
    installer, reboot = boots[0], boots[1]
    assert installer["outcome"] == "installed"
    assert installer["attempts"][0]["kind"] == "cd"
    assert bmc.admin("san")["luns"][f"{target}/1"] == "esxi"
    assert reboot["reset_type"] == "InstallerReboot"
    assert reboot["outcome"] == "booted", reboot
    assert reboot["booted_from"]["target"] == target
    assert [a["kind"] for a in reboot["attempts"]] == ["iscsi"], "the installed system boots first"
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSRunning"
    assert any("ESXi installed on" in line for line in bmc.log_messages())

    assert bmc.post(f"{MEDIA}/Actions/VirtualMedia.EjectMedia").status_code == 204
    media = bmc.json(MEDIA)
    assert (media["Inserted"], media["Image"]) == (False, None)
    assert bmc.boot_once()["booted_from"]["target"] == target


def test_non_installer_iso_is_not_bootable(fresh_bmc):
    bmc = fresh_bmc
    insert(bmc, "https://depot.example/isos/tools-2024.iso")
    boot_cd_once(bmc)
    boot = bmc.boot_once()
    assert boot["attempts"][0]["kind"] == "cd"
    assert boot["attempts"][0]["reason"] == "tools-2024.iso is not a bootable image"
    assert boot["outcome"] == "no_bootable_device"
    assert any("tools-2024.iso is not a bootable image" in line for line in bmc.log_messages())


def test_installer_without_iscsi_login_fails(mockup):
    bmc = mockup.bmc("esxi03")
    insert(bmc, INSTALLER)
    boot_cd_once(bmc)
    boot = bmc.boot_once()
    # The installer is an OS that has started: it stops at its error and waits, it does not hand
    # back to the boot manager nor reboot.
    assert boot["outcome"] == "install_failed"
    assert [(a["kind"], a["outcome"]) for a in boot["attempts"]] == [("cd", "failed")]
    assert boot["attempts"][0]["reason"] == "the ESXi installer found no iSCSI disk (no iBFT)"
    assert "ESXi installation failed: no iSCSI disk (no iBFT)" in bmc.log_messages()
    assert bmc.json(SYSTEM)["BootProgress"]["LastState"] == "OSBootStarted"
    assert bmc.admin("san")["luns"]["iqn.2024-01.org.example.san:esxi03/1"] == "blank"
    time.sleep(0.3)  # several install periods: no reboot may have started meanwhile
    assert bmc.boot_count() == boot["id"]


def test_insert_media_refusals(fresh_bmc):
    bmc = fresh_bmc
    action = f"{MEDIA}/Actions/VirtualMedia.InsertMedia"
    assert message_ids(bmc.post(action, {"Image": "file:///tmp/x.iso"})) == ["ActionParameterValueFormatError"]
    assert message_ids(bmc.post(action, {"Inserted": True})) == ["ActionParameterMissing"]
    insert(bmc, INSTALLER)
    response = bmc.post(action, {"Image": INSTALLER})
    assert response.status_code == 409
