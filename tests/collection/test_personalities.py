"""Every module against every mockup personality (dmtf, idrac9 6.x, idrac10, ilo5, ilo6): the whole
rollout of one host module by module (bmc_info, iscsi_boot twice, boot_order, power, wait_for_boot
with the network proof, virtual_media), a wrong CHAP secret with the BMC's diagnosis; on Dell the
BIOS initiator, the registry checks, SYS011 and clear_pending; on HPE the software initiator's
attempt slots, HPE's checks before any write, the settings messages read after the reset, and the
boot-order write held back while the host is in POST.

The `mockup` fixture is parametrized here, so the `ansible` fixture of conftest.py (which checks
that no session is left open) runs against each personality. A personality joins the matrix with
its EXPECT row. Ansible's start-up is most of a module run's cost: runs with no check between
them share one ansible-playbook (`ansible.run_each`), and what does not differ by variant (virtual
media) runs on one personality per dialect."""
import pytest
from iscsi_args import SECRETS, args, host, step, writes

from support.mockup import PORT_IDS, fast_fleet, free_port

DELL = ("idrac9", "idrac10")
HPE = ("ilo5", "ilo6")
TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"
HPE_LOGIN_REJECTED = "CHAP login as 'esxi01' rejected by target"
UEFI0274 = "Unable to perform iSCSI boot on connection 1 because the iSCSI login operation did not complete successfully."
LENOVO_LOGIN_FAILED = "iSCSI login to target iqn.2024-01.org.example.san:esxi01 failed: authentication failure."
WAIT = {"poll_interval": 0.2, "wait_timeout": 60}
# iLO 6 takes a NIC (DCi) CHAP secret of 0, 12 or 16 characters: its hosts' targets get one of 16
ILO6_SECRET = "esxi01-secret-16"

# What each personality shows: dialect and variant, vendor, the methods of the fleet's two ports
# (the second has no NIC-firmware iSCSI), the method `auto` picks for the first, the state of a
# job after a write (Dell only), whether a boot order waits for the next reset; `vlan`: esxi02's
# VLAN is taken (else the check-mode test uses esxi03); `option`: how the booted iSCSI option's
# display name starts or ends (None: not checked); `boot_seconds`: whether wait_for_boot reports
# LastBootTimeSeconds (None: not checked); `wrong_chap`: the BMC's diagnosis of a rejected CHAP
# login in wait_for_boot's message (None: that test is elsewhere).
EXPECT = {
    "dmtf": dict(dialect="dmtf", variant=None, vendor="Contoso", first="nic", second=[], job=None, pending=False,
                 vlan=True, option=None, boot_seconds=None, wrong_chap=None),
    "idrac9": dict(dialect="dell", variant="idrac9", vendor="Dell", first="nic", second=["bios"], job="Scheduled", pending=True,
                   vlan=True, option=("start", "ISCSI DEVICE"), boot_seconds=False, wrong_chap=UEFI0274),
    "idrac10": dict(dialect="dell", variant="idrac10", vendor="Dell", first="nic", second=["bios"], job="Scheduled", pending=True,
                    vlan=True, option=("start", "ISCSI DEVICE"), boot_seconds=False, wrong_chap=UEFI0274),
    "ilo5": dict(dialect="hpe", variant="ilo5", vendor="HPE", first="bios", second=["bios"], job=None, pending=True,
                 vlan=False, option=("end", "(iSCSI IPv4)"), boot_seconds=False, wrong_chap=HPE_LOGIN_REJECTED),
    "ilo6": dict(dialect="hpe", variant="ilo6", vendor="HPE", first="nic", second=["bios"], job=None, pending=True,
                 vlan=False, option=("end", "(iSCSI IPv4)"), boot_seconds=True, wrong_chap=HPE_LOGIN_REJECTED),
    # Lenovo's options are classes (the port's iSCSI entry first inside Network: test_lenovo.py checks it on
    # xcc, with the failed login there); supermicro-x13 cannot take iscsi_boot at all: test_supermicro.py.
    "xcc": dict(dialect="lenovo", variant="xcc", vendor="Lenovo", first="nic", second=[], job=None, pending=True,
                vlan=True, option=("start", "Network"), boot_seconds=False, wrong_chap=None),
    "xcc2": dict(dialect="lenovo", variant="xcc2", vendor="Lenovo", first="nic", second=[], job=None, pending=True,
                 vlan=True, option=("start", "Network"), boot_seconds=False, wrong_chap=LENOVO_LOGIN_FAILED),
}
PERSONALITIES = list(EXPECT)
VENDORS = [name for name in PERSONALITIES if name != "dmtf"]   # dmtf's cases: the other test files
# One personality per dialect where the dialect's code does not branch on the variant.
ONE_PER_DIALECT = list({EXPECT[name]["dialect"]: name for name in reversed(VENDORS)}.values())[::-1]


@pytest.fixture(params=PERSONALITIES)
def mockup(request, mockup_factory):
    fleet = fast_fleet(personality=request.param, host_base="127.0.30.", host_port=free_port())
    if request.param == "ilo6":
        fleet["san"]["targets"][0]["chap"]["secret"] = ILO6_SECRET
    process = mockup_factory(fleet)
    process.personality = request.param
    return process


def host_args(mockup, host="esxi01", **changes):
    """The host's correct arguments on this personality (iLO 6's CHAP secret is 16 characters)."""
    if mockup.personality == "ilo6" and host == "esxi01" and "chap.secret" not in changes:
        changes["chap.secret"] = ILO6_SECRET
    return args(host, **changes)


def port_of(mockup, index=0):
    return {"adapter_id": mockup.fleet["bmcs"][0]["nics"][0]["id"], "function_id": PORT_IDS[mockup.personality][index]}


def job_count(bmc):
    return bmc.stats().get("jobs_created", 0)


def option_named_as_expected(want, option):
    if want["option"] is None:
        return True
    where, text = want["option"]
    name = option["display_name"].upper()
    return name.startswith(text.upper()) if where == "start" else name.endswith(text.upper())


def test_rollout_module_by_module(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    want = EXPECT[mockup.personality]

    info, configured = ansible.run_each(step("bmc_info", {}), step("iscsi_boot", host_args(mockup), diff=True))
    info = info.result
    assert info["bmc"]["dialect"] == want["dialect"], info.get("msg")
    assert info["bmc"]["dialect_variant"] == want["variant"]
    assert info["bmc"]["vendor"] == want["vendor"]
    methods = {p["function_id"]: p["iscsi_methods"] for p in info["bmc"]["ports"] if p["adapter_id"] == port_of(mockup)["adapter_id"]}
    first, second = PORT_IDS[mockup.personality]
    assert methods[first][0] == want["first"], methods
    assert methods[second] == want["second"], methods

    result = configured.result
    assert result["changed"] is True and result["method"] == want["first"], result.get("msg")
    assert result["reboot_required"] is True and result["dialect"] == info["bmc"]["dialect"]
    assert (result["job"] or {}).get("state") == want["job"]
    jobs, patches = job_count(bmc), bmc.stats()["by_method"].get("PATCH", 0)
    # The second iscsi_boot and the boot order without its option write nothing; the reset writes no PATCH.
    again, missing, reset = ansible.run_each(step("iscsi_boot", host_args(mockup)), step("boot_order", {"iscsi_target": TARGET}),
                                             step("power", {"reset_type": "ForceRestart"}))
    assert again.result["changed"] is False and again.result["reboot_required"] is True and again.result["job"] is None
    assert missing.result["option_missing"] is True and missing.result["changed"] is False
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches and job_count(bmc) == jobs
    reset = reset.result
    assert reset["changed"] is True and reset["since"], reset

    first_boot, order, order_again = ansible.run_each(step("wait_for_boot", dict(WAIT, since=reset["since"])),
                                                      step("boot_order", {"iscsi_target": TARGET}),
                                                      step("boot_order", {"iscsi_target": TARGET}))
    assert first_boot.result["booted"] is True, first_boot.result.get("msg")
    assert order.result["changed"] is True and order.result["option_missing"] is False, order.result.get("msg")
    assert order.result["pending"] is want["pending"] and bool(order.result["job"]) is (mockup.personality in DELL)
    assert order_again.result["changed"] is False

    # A running OS honours a graceful restart: the dialect sees the reset (Dell: LastResetTime), no fallback.
    reset = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 30, "poll_interval": 0.2}).result
    assert reset["fallback_used"] is False and reset["reset_type"] == "GracefulRestart", reset
    waited = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET, **host(mockup)))
    assert waited.result["booted"] is True, waited.result.get("msg")
    assert waited.result["evidence"] == "bmc+network"
    assert waited.result["boot_option"]["reference"] == order.result["option"]["reference"]
    assert option_named_as_expected(want, waited.result["boot_option"]), waited.result["boot_option"]
    if want["boot_seconds"] is not None:
        assert (waited.result["last_boot_seconds"] is not None) is want["boot_seconds"], waited.result

    # The second run of everything: nothing written, no action, no job created.
    jobs, before = job_count(bmc), bmc.stats()["by_method"]
    *second_run, settled = ansible.run_each(
        step("iscsi_boot", host_args(mockup)), step("boot_order", {"iscsi_target": TARGET}), step("power", {"reset_type": "On"}),
        step("wait_for_boot", dict(WAIT, iscsi_target=TARGET, **host(mockup))))
    iscsi, order_settled, power_on = (run.result for run in second_run)
    assert iscsi["reboot_required"] is False, iscsi
    assert order_settled["changed"] is False, order_settled
    assert power_on["changed"] is False, power_on
    assert settled.result["booted"] is True and settled.result["evidence"] == "bmc+network", settled.result.get("msg")
    after = bmc.stats()["by_method"]
    assert {m: after.get(m) for m in ("PATCH", "POST", "DELETE")} == {m: before.get(m) for m in ("PATCH", "POST", "DELETE")}
    assert job_count(bmc) == jobs


@pytest.mark.parametrize("mockup", VENDORS, indirect=True)   # dmtf: test_iscsi_boot.py
def test_check_mode_writes_nothing(ansible, mockup):
    # esxi02 has a VLAN, which HPE's software initiator has no field for: esxi03 there
    name = "esxi02" if EXPECT[mockup.personality]["vlan"] else "esxi03"
    bmc = mockup.bmc(name)
    run, reset = ansible.run_each(step("iscsi_boot", args(name), bmc=name, check=True, diff=True),
                                  step("power", {"reset_type": "ForceRestart"}, bmc=name, check=True))
    assert run.result["changed"] is True and run.result["job"] is None, run.result.get("msg")
    assert reset.result["changed"] is True, reset.result
    stats = bmc.stats()
    assert not writes(stats) and "PATCH" not in stats["by_method"] and job_count(bmc) == 0
    for secret in SECRETS:
        assert secret not in run.output


@pytest.mark.parametrize("mockup", [name for name in VENDORS if EXPECT[name]["wrong_chap"]], indirect=True)
def test_wrong_chap_fails_with_the_bmc_diagnosis(ansible, mockup):   # dmtf: test_boot_and_power.py
    """Dell names the failed login with EEMI UEFI0274; on HPE the attempt stays without its
    StructuredBootString and the IML carries the firmware's words (HPE's text is UNCONFIRMED)."""
    bmc = mockup.bmc("esxi01")
    wrong = "wrong-secret-16c" if mockup.personality == "ilo6" else "wrong-secret-1"
    configured, reset = ansible.run_each(step("iscsi_boot", host_args(mockup, **{"chap.secret": wrong})),
                                         step("power", {"reset_type": "ForceRestart"}))
    assert configured.result["changed"], configured.result.get("msg")
    reset = reset.result
    run = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET, **host(mockup)))
    assert run.failed and run.result["booted"] is False and run.result["evidence"] == "none"
    assert EXPECT[mockup.personality]["wrong_chap"] in run.result["msg"], run.result["msg"]
    assert "did not reach" not in run.result["msg"], run.result["msg"]
    assert bmc.stats()["sessions"] == 0


# Virtual media: the same code path on every variant of a dialect (none branches on it).
@pytest.mark.parametrize("mockup", ONE_PER_DIALECT, indirect=True)   # dmtf: test_media_and_info.py
def test_virtual_media_insert_and_eject(ansible, mockup):
    insert, absent = {"image": ISO, "boot_once": True}, {"state": "absent"}
    inserted, again, ejected, ejected_again = ansible.run_each(*(step("virtual_media", a, bmc="esxi03") for a in (insert, insert, absent, absent)))
    assert inserted.result["changed"] is True, inserted.result.get("msg")
    assert inserted.result["dialect"] == EXPECT[mockup.personality]["dialect"]
    assert again.result["changed"] is False, again.result
    assert ejected.result["changed"] is True, ejected.result
    assert ejected_again.result["changed"] is False, ejected_again.result


@pytest.mark.parametrize("mockup", ["idrac9"], indirect=True)   # dmtf refuses that port: test_iscsi_boot.py;
def test_bios_initiator_on_a_port_without_nic_iscsi(ansible, mockup):   # idrac10's BIOS: test_newer_bios_*
    bmc = mockup.bmc("esxi01")
    on_second_port = dict(args(), port=port_of(mockup, 1))
    run, again, reset = ansible.run_each(step("iscsi_boot", on_second_port), step("iscsi_boot", on_second_port),
                                         step("power", {"reset_type": "ForceRestart"}))
    assert run.result["changed"] is True and run.result["method"] == "bios", run.result.get("msg")
    assert run.result["job"]["type"] == "BIOSConfiguration"
    assert again.result["changed"] is False and job_count(bmc) == 1, (again.result, bmc.jobs())
    waited, order, settled = ansible.run_each(step("wait_for_boot", dict(WAIT, since=reset.result["since"])),
                                              step("boot_order", {"iscsi_target": TARGET}), step("iscsi_boot", on_second_port))
    assert waited.result["booted"] is True, waited.result.get("msg")
    assert order.result["option_missing"] is False, order.result
    assert settled.result["changed"] is False and settled.result["reboot_required"] is False


DELL_REFUSALS = [
    ("IQN against the BIOS 1.8.2 pattern", {"target.name": "iqn.2000-01.com.synology:ds.Target-1"}, "target.name"),
    ("VLAN id that is not a number", {"target.vlan_id": "vlan120"}, "vlan_id"),
    ("CHAP secret of 17 characters", {"chap.secret": "s" * 17}, "chap.secret"),
]


@pytest.mark.parametrize("mockup", ["idrac9"], indirect=True)   # BIOS 1.8.2: its IQN pattern is the strict one
def test_dell_refusals_before_any_write(ansible, mockup):
    """One mockup, three refusals, each naming its field; nothing written."""
    bmc = mockup.bmc("esxi01")
    runs = ansible.run_each(*(step("iscsi_boot", dict(args(**changes), port=port_of(mockup, 1))) for _, changes, _ in DELL_REFUSALS))
    for (name, _, field), run in zip(DELL_REFUSALS, runs):
        assert run.failed and field in run.result["msg"], (name, run.result.get("msg"))
    assert "PATCH" not in bmc.stats()["by_method"] and job_count(bmc) == 0


@pytest.mark.parametrize("mockup", ["idrac10"], indirect=True)
def test_newer_bios_accepts_dots_after_the_colon(ansible, mockup):
    run = ansible.run("iscsi_boot", dict(args(**{"target.name": "iqn.2000-01.com.synology:ds.Target-1"}),
                                         port=port_of(mockup, 1)), check=True)
    assert run.result["changed"] is True, run.result.get("msg")


@pytest.mark.parametrize("mockup", DELL, indirect=True)
def test_dell_pending_job_and_clear_pending(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    first, refused, cleared = ansible.run_each(step("iscsi_boot", args()), step("iscsi_boot", args(**{"target.lun": 2})),
                                               step("iscsi_boot", dict(args(**{"target.lun": 2}), clear_pending=True)))
    first = first.result["job"]
    assert first, "the first write scheduled no job"
    assert refused.failed and "already pending" in refused.result["msg"] and "clear_pending" in refused.result["msg"]
    assert cleared.result["changed"] is True and cleared.result["job"]["id"] != first["id"], cleared.result.get("msg")
    assert any(job["Id"] == first["id"] for job in bmc.jobs()) is False


@pytest.mark.parametrize("mockup", DELL, indirect=True)
def test_mutual_chap_method_by_generation(ansible, mockup):
    """iDRAC9 6.x's functions have no mutual CHAP: `auto` takes the BIOS initiator; iDRAC10's do."""
    run, forced = ansible.run_each(step("iscsi_boot", args("esxi02"), bmc="esxi02", check=True),
                                   step("iscsi_boot", dict(args("esxi02"), iscsi_method="nic"), bmc="esxi02"))
    assert run.result["method"] == ("bios" if mockup.personality == "idrac9" else "nic"), run.result.get("msg")
    if mockup.personality == "idrac9":
        assert forced.failed and "chap.mutual_username" in forced.result["msg"]
        assert "PATCH" not in mockup.bmc("esxi02").stats()["by_method"]
    else:
        assert forced.result["changed"] is True and forced.result["method"] == "nic", forced.result.get("msg")


@pytest.mark.parametrize("mockup", HPE, indirect=True)
def test_hpe_software_initiator_with_its_prerequisites(ansible, mockup):
    """The second port has no NIC-firmware iSCSI: the UEFI software initiator configures it, an
    attempt slot naming the port's NicBoot source, with the BIOS prerequisites in the same pass
    (iSCSISoftwareInitiator Enabled, the port's Slot<k>NicBoot<j> NetworkBoot); pending until the
    reset; a second run writes nothing; after the reset the host boots from the LUN."""
    bmc = mockup.bmc("esxi01")
    port = port_of(mockup, 1)
    run = ansible.run("iscsi_boot", dict(host_args(mockup), port=port), diff=True)
    assert run.result["changed"] is True and run.result["method"] == "bios", run.result.get("msg")
    assert run.result["reboot_required"] is True and run.result["job"] is None
    patches = bmc.stats()["by_method"].get("PATCH", 0)
    bios = bmc.json("/redfish/v1/systems/1/bios/settings/")["Attributes"]
    assert bios["iSCSISoftwareInitiator"] == "Enabled" and bios["Slot1NicBoot2"] == "NetworkBoot", bios
    pending = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/iscsi/settings/")["iSCSISources"]
    used = [s for s in pending if s.get("iSCSIAttemptInstance")]
    assert [s["iSCSINicSource"] for s in used] == ["Slot1NicBoot2"], pending
    for secret in SECRETS + [ILO6_SECRET]:
        assert secret not in run.output

    # The second run writes nothing (the reset after it is a POST, no PATCH).
    again, reset = ansible.run_each(step("iscsi_boot", dict(host_args(mockup), port=port)),
                                    step("power", {"reset_type": "ForceRestart"}))
    assert again.result["changed"] is False and again.result["reboot_required"] is True, again.result.get("msg")
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches
    waited, order, settled = ansible.run_each(step("wait_for_boot", dict(WAIT, since=reset.result["since"])),
                                              step("boot_order", {"iscsi_target": TARGET}),
                                              step("iscsi_boot", dict(host_args(mockup), port=port)))
    assert waited.result["booted"] is True, waited.result.get("msg")
    current = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/iscsi/")["iSCSISources"]
    attempt = next(s for s in current if s.get("iSCSINicSource") == "Slot1NicBoot2")
    assert attempt["StructuredBootString"] == "NIC.Slot.1.2.iSCSI" and attempt["iSCSIChapSecret"] == "", attempt
    assert order.result["option_missing"] is False and order.result["changed"] is True, order.result
    assert settled.result["changed"] is False and settled.result["reboot_required"] is False


HPE_REFUSALS = [
    ("a VLAN, which an HPE attempt has no field for", {"target.vlan_id": 120}, "vlan_id"),
    ("a target name HPE's pattern refuses (iqn only)", {"target.name": "eui.02004567A425678D"}, "target.name"),
    ("a secondary target", {"secondary_target": {"name": "iqn.2024-01.org.example.san:b", "address": "127.0.0.2"}},
     "secondary_target"),
]


@pytest.mark.parametrize("mockup", ["ilo5"], indirect=True)
def test_hpe_refusals_before_any_write(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    runs = ansible.run_each(*(step("iscsi_boot", args(**changes)) for _, changes, _ in HPE_REFUSALS))
    for (name, _, field), run in zip(HPE_REFUSALS, runs):
        assert run.failed and field in run.result["msg"], (name, run.result.get("msg"))
    assert "PATCH" not in bmc.stats()["by_method"]


@pytest.mark.parametrize("mockup", ["ilo5"], indirect=True)
def test_hpe_settings_refused_at_the_reset_fail_the_wait_with_the_bmc_words(ansible, mockup):
    """iLO takes any value at PATCH time and judges it in the next POST: the wait reads the iSCSI
    resource's @Redfish.Settings.Messages after the reset and fails at once with them."""
    bmc = mockup.bmc("esxi01")
    bmc.fault("task_fail")  # the mockup's ROM refuses what is pending for the iSCSI resource
    configured, reset = ansible.run_each(step("iscsi_boot", args()), step("power", {"reset_type": "ForceRestart"}))
    assert configured.result["changed"] is True, configured.result.get("msg")
    run = ansible.run("wait_for_boot", dict(WAIT, since=reset.result["since"], iscsi_target=TARGET))
    assert run.failed and run.result["booted"] is False, run.result
    messages = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/iscsi/")["@Redfish.Settings"]["Messages"]
    refused = [m for m in messages if not m["MessageId"].endswith(".Success")]
    assert refused, messages
    assert refused[0]["MessageId"].rsplit(".", 1)[-1] in run.result["msg"], run.result["msg"]
    assert "did not reach" not in run.result["msg"], run.result["msg"]


@pytest.mark.parametrize("mockup", ["ilo5"], indirect=True)
def test_hpe_boot_order_waits_for_the_end_of_post(ansible, mockup):
    """iLO refuses a boot-order change while the host is in POST: boot_order waits for FinishedPost
    and writes then, instead of failing."""
    bmc = mockup.bmc("esxi01")
    configured, reset = ansible.run_each(step("iscsi_boot", args()), step("power", {"reset_type": "ForceRestart"}))
    assert configured.result["changed"] is True, configured.result.get("msg")
    waited, _, order = ansible.run_each(step("wait_for_boot", dict(WAIT, since=reset.result["since"])),
                                        step("power", {"reset_type": "ForceRestart"}),   # back into POST
                                        step("boot_order", {"iscsi_target": TARGET}))
    assert waited.result["booted"] is True, waited.result.get("msg")
    assert order.result["changed"] is True and order.result["pending"] is True, order.result.get("msg")
    system = bmc.json("/redfish/v1/Systems/1")
    assert system["Oem"]["Hpe"]["PostState"] in ("FinishedPost", "PowerOff"), system["Oem"]["Hpe"]
    pending = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/boot/settings/")["PersistentBootConfigOrder"]
    assert pending[0] == "NIC.Slot.1.1.iSCSI", pending
