"""Every module against every mockup personality (dmtf, idrac9 6.x, idrac10, ilo5, ilo6): the whole
rollout of one host module by module (bmc_info, iscsi_boot twice, boot_order, power, wait_for_boot
with the network proof, virtual_media), a wrong CHAP secret with the BMC's diagnosis; on Dell the
BIOS initiator, the registry checks, SYS011 and clear_pending; on HPE the software initiator's
attempt slots, HPE's checks before any write, the settings messages read after the reset, and the
boot-order write held back while the host is in POST.

The `mockup` fixture is parametrized here, so the `ansible` fixture of conftest.py (which checks
that no session is left open) runs against each personality."""
import pytest
from iscsi_args import SECRETS, args, writes

from support.mockup import PORT_IDS, fast_fleet, free_port

PERSONALITIES = ["dmtf", "idrac9", "idrac10", "ilo5", "ilo6"]
DELL = ("idrac9", "idrac10")
HPE = ("ilo5", "ilo6")
TARGET = {"name": "iqn.2024-01.org.example.san:esxi01", "lun": 1}
ISO = "https://depot.example/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"
UEFI0274 = "Unable to perform iSCSI boot on connection 1 because the iSCSI login operation did not complete successfully."
WAIT = {"poll_interval": 0.2, "wait_timeout": 60}
# iLO 6 takes a NIC (DCi) CHAP secret of 0, 12 or 16 characters: its hosts' targets get one of 16
ILO6_SECRET = "esxi01-secret-16"

# What each personality shows: dialect and variant, vendor, the methods of the fleet's two ports
# (the second has no NIC-firmware iSCSI), the method `auto` picks for the first, the state of a
# job after a write (Dell only), whether a boot order waits for the next reset.
EXPECT = {
    "dmtf": dict(dialect="dmtf", variant=None, vendor="Contoso", first="nic", second=[], job=None, pending=False),
    "idrac9": dict(dialect="dell", variant="idrac9", vendor="Dell", first="nic", second=["bios"], job="Scheduled", pending=True),
    "idrac10": dict(dialect="dell", variant="idrac10", vendor="Dell", first="nic", second=["bios"], job="Scheduled", pending=True),
    "ilo5": dict(dialect="hpe", variant="ilo5", vendor="HPE", first="bios", second=["bios"], job=None, pending=True),
    "ilo6": dict(dialect="hpe", variant="ilo6", vendor="HPE", first="nic", second=["bios"], job=None, pending=True),
}


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


def host(mockup, name="esxi01"):
    entry = next(b for b in mockup.fleet["bmcs"] if b["name"] == name)
    return {"host_address": entry["host_address"], "host_port": entry["host_port"]}


def test_rollout_module_by_module(ansible, mockup):
    bmc = mockup.bmc("esxi01")
    want = EXPECT[mockup.personality]
    dell, hpe = mockup.personality in DELL, mockup.personality in HPE

    info = ansible.run("bmc_info", {}).result
    assert info["bmc"]["dialect"] == want["dialect"], info.get("msg")
    assert info["bmc"]["dialect_variant"] == want["variant"]
    assert info["bmc"]["vendor"] == want["vendor"]
    methods = {p["function_id"]: p["iscsi_methods"] for p in info["bmc"]["ports"] if p["adapter_id"] == port_of(mockup)["adapter_id"]}
    first, second = PORT_IDS[mockup.personality]
    assert methods[first][0] == want["first"], methods
    assert methods[second] == want["second"], methods

    configured = ansible.run("iscsi_boot", host_args(mockup), diff=True)
    result = configured.result
    assert result["changed"] is True and result["method"] == want["first"], result.get("msg")
    assert result["reboot_required"] is True and result["dialect"] == info["bmc"]["dialect"]
    assert (result["job"] or {}).get("state") == want["job"]
    jobs, patches = job_count(bmc), bmc.stats()["by_method"].get("PATCH", 0)
    again = ansible.run("iscsi_boot", host_args(mockup))
    assert again.result["changed"] is False and again.result["reboot_required"] is True and again.result["job"] is None
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches and job_count(bmc) == jobs

    missing = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert missing.result["option_missing"] is True and missing.result["changed"] is False
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    assert reset["changed"] is True and reset["since"], reset
    first_boot = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"]))
    assert first_boot.result["booted"] is True, first_boot.result.get("msg")

    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["changed"] is True and order.result["option_missing"] is False, order.result.get("msg")
    assert order.result["pending"] is want["pending"] and bool(order.result["job"]) is dell
    assert ansible.run("boot_order", {"iscsi_target": TARGET}).result["changed"] is False

    # A running OS honours a graceful restart: the dialect sees the reset (Dell: LastResetTime), no fallback.
    reset = ansible.run("power", {"reset_type": "GracefulRestart", "graceful_timeout": 30, "poll_interval": 0.2}).result
    assert reset["fallback_used"] is False and reset["reset_type"] == "GracefulRestart", reset
    waited = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET, **host(mockup)))
    assert waited.result["booted"] is True, waited.result.get("msg")
    assert waited.result["evidence"] == "bmc+network"
    assert waited.result["boot_option"]["reference"] == order.result["option"]["reference"]
    if dell:
        assert waited.result["last_boot_seconds"] is None
        assert waited.result["boot_option"]["display_name"].upper().startswith("ISCSI DEVICE")
    if hpe:
        assert waited.result["boot_option"]["display_name"].endswith("(iSCSI IPv4)"), waited.result["boot_option"]
        assert (waited.result["last_boot_seconds"] is None) is (mockup.personality == "ilo5")

    # The second run of everything: nothing written, no action, no job created.
    jobs, before = job_count(bmc), bmc.stats()["by_method"]
    assert ansible.run("iscsi_boot", host_args(mockup)).result["reboot_required"] is False
    assert ansible.run("boot_order", {"iscsi_target": TARGET}).result["changed"] is False
    assert ansible.run("power", {"reset_type": "On"}).result["changed"] is False
    settled = ansible.run("wait_for_boot", dict(WAIT, iscsi_target=TARGET, **host(mockup)))
    assert settled.result["booted"] is True and settled.result["evidence"] == "bmc+network", settled.result.get("msg")
    after = bmc.stats()["by_method"]
    assert {m: after.get(m) for m in ("PATCH", "POST", "DELETE")} == {m: before.get(m) for m in ("PATCH", "POST", "DELETE")}
    assert job_count(bmc) == jobs


@pytest.mark.parametrize("mockup", DELL + HPE, indirect=True)   # dmtf: test_iscsi_boot.py
def test_check_mode_writes_nothing(ansible, mockup):
    # esxi02 has a VLAN, which HPE's software initiator has no field for: esxi03 there
    name = "esxi03" if mockup.personality in HPE else "esxi02"
    bmc = mockup.bmc(name)
    run = ansible.run("iscsi_boot", args(name), bmc=name, check=True, diff=True)
    assert run.result["changed"] is True and run.result["job"] is None, run.result.get("msg")
    assert ansible.run("power", {"reset_type": "ForceRestart"}, bmc=name, check=True).result["changed"] is True
    stats = bmc.stats()
    assert not writes(stats) and "PATCH" not in stats["by_method"] and job_count(bmc) == 0
    for secret in SECRETS:
        assert secret not in run.output


@pytest.mark.parametrize("mockup", DELL + HPE, indirect=True)   # dmtf: test_boot_and_power.py
def test_wrong_chap_fails_with_the_bmc_diagnosis(ansible, mockup):
    """Dell names the failed login with EEMI UEFI0274; on HPE the attempt stays without its
    StructuredBootString and the IML carries the firmware's words (HPE's text is UNCONFIRMED)."""
    bmc = mockup.bmc("esxi01")
    wrong = "wrong-secret-16c" if mockup.personality == "ilo6" else "wrong-secret-1"
    assert ansible.run("iscsi_boot", host_args(mockup, **{"chap.secret": wrong})).result["changed"]
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    run = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET, **host(mockup)))
    assert run.failed and run.result["booted"] is False and run.result["evidence"] == "none"
    if mockup.personality in DELL:
        assert UEFI0274 in run.result["msg"], run.result["msg"]
    else:
        assert "CHAP login as 'esxi01' rejected by target" in run.result["msg"], run.result["msg"]
        assert "did not reach" not in run.result["msg"], run.result["msg"]
    assert bmc.stats()["sessions"] == 0


@pytest.mark.parametrize("mockup", DELL + HPE, indirect=True)   # dmtf: test_media_and_info.py
def test_virtual_media_insert_and_eject(ansible, mockup):
    inserted = ansible.run("virtual_media", {"image": ISO, "boot_once": True}, bmc="esxi03")
    assert inserted.result["changed"] is True, inserted.result.get("msg")
    assert inserted.result["dialect"] == EXPECT[mockup.personality]["dialect"]
    assert ansible.run("virtual_media", {"image": ISO, "boot_once": True}, bmc="esxi03").result["changed"] is False
    assert ansible.run("virtual_media", {"state": "absent"}, bmc="esxi03").result["changed"] is True
    assert ansible.run("virtual_media", {"state": "absent"}, bmc="esxi03").result["changed"] is False


@pytest.mark.parametrize("mockup", ["idrac9"], indirect=True)   # dmtf refuses that port: test_iscsi_boot.py;
def test_bios_initiator_on_a_port_without_nic_iscsi(ansible, mockup):   # idrac10's BIOS: test_newer_bios_*
    bmc = mockup.bmc("esxi01")
    run = ansible.run("iscsi_boot", dict(args(), port=port_of(mockup, 1)))
    assert run.result["changed"] is True and run.result["method"] == "bios", run.result.get("msg")
    assert run.result["job"]["type"] == "BIOSConfiguration"
    jobs = job_count(bmc)
    again = ansible.run("iscsi_boot", dict(args(), port=port_of(mockup, 1)))
    assert again.result["changed"] is False and job_count(bmc) == jobs
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    waited = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"]))
    assert waited.result["booted"] is True, waited.result.get("msg")
    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["option_missing"] is False, order.result
    settled = ansible.run("iscsi_boot", dict(args(), port=port_of(mockup, 1)))
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
    for name, changes, field in DELL_REFUSALS:
        run = ansible.run("iscsi_boot", dict(args(**changes), port=port_of(mockup, 1)))
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
    first = ansible.run("iscsi_boot", args()).result["job"]
    refused = ansible.run("iscsi_boot", args(**{"target.lun": 2}))
    assert refused.failed and "already pending" in refused.result["msg"] and "clear_pending" in refused.result["msg"]
    cleared = ansible.run("iscsi_boot", dict(args(**{"target.lun": 2}), clear_pending=True))
    assert cleared.result["changed"] is True and cleared.result["job"]["id"] != first["id"], cleared.result.get("msg")
    assert any(job["Id"] == first["id"] for job in bmc.jobs()) is False


@pytest.mark.parametrize("mockup", DELL, indirect=True)
def test_mutual_chap_method_by_generation(ansible, mockup):
    """iDRAC9 6.x's functions have no mutual CHAP: `auto` takes the BIOS initiator; iDRAC10's do."""
    run = ansible.run("iscsi_boot", args("esxi02"), bmc="esxi02", check=True)
    assert run.result["method"] == ("bios" if mockup.personality == "idrac9" else "nic"), run.result.get("msg")
    forced = ansible.run("iscsi_boot", dict(args("esxi02"), iscsi_method="nic"), bmc="esxi02")
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
    again = ansible.run("iscsi_boot", dict(host_args(mockup), port=port))
    assert again.result["changed"] is False and again.result["reboot_required"] is True, again.result.get("msg")
    assert bmc.stats()["by_method"].get("PATCH", 0) == patches
    for secret in SECRETS + [ILO6_SECRET]:
        assert secret not in run.output

    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    waited = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"]))
    assert waited.result["booted"] is True, waited.result.get("msg")
    current = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/iscsi/")["iSCSISources"]
    attempt = next(s for s in current if s.get("iSCSINicSource") == "Slot1NicBoot2")
    assert attempt["StructuredBootString"] == "NIC.Slot.1.2.iSCSI" and attempt["iSCSIChapSecret"] == "", attempt
    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["option_missing"] is False and order.result["changed"] is True, order.result
    settled = ansible.run("iscsi_boot", dict(host_args(mockup), port=port))
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
    for name, changes, field in HPE_REFUSALS:
        run = ansible.run("iscsi_boot", dict(args(**changes)))
        assert run.failed and field in run.result["msg"], (name, run.result.get("msg"))
    assert "PATCH" not in bmc.stats()["by_method"]


@pytest.mark.parametrize("mockup", ["ilo5"], indirect=True)
def test_hpe_settings_refused_at_the_reset_fail_the_wait_with_the_bmc_words(ansible, mockup):
    """iLO takes any value at PATCH time and judges it in the next POST: the wait reads the iSCSI
    resource's @Redfish.Settings.Messages after the reset and fails at once with them."""
    bmc = mockup.bmc("esxi01")
    bmc.fault("task_fail")  # the mockup's ROM refuses what is pending for the iSCSI resource
    assert ansible.run("iscsi_boot", args()).result["changed"] is True
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    run = ansible.run("wait_for_boot", dict(WAIT, since=reset["since"], iscsi_target=TARGET))
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
    assert ansible.run("iscsi_boot", args()).result["changed"] is True
    reset = ansible.run("power", {"reset_type": "ForceRestart"}).result
    assert ansible.run("wait_for_boot", dict(WAIT, since=reset["since"])).result["booted"] is True
    ansible.run("power", {"reset_type": "ForceRestart"})   # back into POST
    order = ansible.run("boot_order", {"iscsi_target": TARGET})
    assert order.result["changed"] is True and order.result["pending"] is True, order.result.get("msg")
    system = bmc.json("/redfish/v1/Systems/1")
    assert system["Oem"]["Hpe"]["PostState"] in ("FinishedPost", "PowerOff"), system["Oem"]["Hpe"]
    pending = bmc.json("/redfish/v1/systems/1/bios/oem/hpe/boot/settings/")["PersistentBootConfigOrder"]
    assert pending[0] == "NIC.Slot.1.1.iSCSI", pending
