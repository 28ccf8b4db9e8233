"""The BIOS software initiator on the Dell personalities: registry refusals name the attribute and
stage nothing; the IQN pattern follows the BIOS version; a job maps the attributes onto the port
IscsiDev1Con1Interface names, and the host boots from the SAN model with the right iBFT. Mutual
CHAP: iDRAC9 6.x has no MutualCHAP* on the NIC function (refused PropertyUnknown), only the BIOS
initiator's ChapType Mutual; 7.x has both."""
import pytest
from support.dell import (BIOS_SETTINGS, CHASSIS_NIC, ON_RESET, SYSTEM, bios_initiator, job_of, nic_settings, options,
                          patch_bios)
from support.mockup import GOOD_ISCSI, MockupProcess, fast_fleet
from sanboot_mockup.ibft import CHAP_MUTUAL, CHAP_ONE_WAY, parse_ibft

SYNOLOGY = "iqn.2000-01.com.synology:ds.Target-1"


@pytest.fixture(scope="module")
def fleets(tmp_path_factory):
    """Hosts of iDRAC9 6.00.30 (BIOS 1.8.2) and of iDRAC9 7.10.30 (BIOS 1.13.2)."""
    started = {}
    for name, base, extra in (("6.x", "127.0.42.", {}), ("7.x", "127.0.43.", {"firmware": "7.10.30.00"})):
        process = MockupProcess(fast_fleet(count=6, address_base=base, personality="idrac9", **extra),
                                tmp_path_factory.mktemp(f"dell-bios-{name}"))
        started[name] = process.start()
        process.unused = iter(range(1, 7))
    yield started
    for process in started.values():
        process.stop()


def _bmc(fleets, generation="6.x"):
    return fleets[generation].bmc(f"esxi{next(fleets[generation].unused):02d}")


def _refused(bmc, values, attribute, message_id):
    response = patch_bios(bmc, values)
    assert response.status_code == 400, response.text
    info = response.json()["error"]["@Message.ExtendedInfo"]
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in info] == [message_id]
    assert info[0]["RelatedProperties"] == [f"#/Attributes/{attribute}"]
    assert attribute in info[0]["Message"]
    # Nothing was staged and no job exists.
    assert bmc.json(BIOS_SETTINGS)["Attributes"] == {}
    assert bmc.stats()["jobs_created"] == 0
    return info[0]


def test_registry_refusals_name_the_attribute_and_stage_nothing(fleets):
    bmc = _bmc(fleets)
    _refused(bmc, bios_initiator(IscsiDev1Con1VlanId="120"), "IscsiDev1Con1VlanId", "PropertyValueTypeError")
    secret = "s" * 17
    refusal = _refused(bmc, bios_initiator(secret=secret), "IscsiDev1Con1ChapSecret", "PropertyValueFormatError")
    assert secret not in str(refusal)  # a secret is never echoed
    _refused(bmc, bios_initiator(IscsiDev1Con1VlanId=4095), "IscsiDev1Con1VlanId", "PropertyValueOutOfRange")
    _refused(bmc, bios_initiator(IscsiDev1Con1Auth="CHAP"), "IscsiDev1Con1Auth", "PropertyValueNotInList")
    _refused(bmc, {"IscsiDev1Con1Nonsense": 1}, "IscsiDev1Con1Nonsense", "PropertyUnknown")


def test_the_iqn_pattern_follows_the_bios_version(fleets):
    old = _bmc(fleets, "6.x")
    _refused(old, bios_initiator(IscsiDev1Con1TargetName=SYNOLOGY), "IscsiDev1Con1TargetName", "PropertyValueFormatError")
    registry = old.json(f"{SYSTEM}/Bios/BiosRegistry")["RegistryEntries"]["Attributes"]
    entry = next(a for a in registry if a["AttributeName"] == "IscsiDev1Con1TargetName")
    assert entry["ValueExpression"] == r"^(iqn|IQN)\.[0-9a-zA-Z\.\-]+[0-9a-zA-Z\-](\:[0-9a-zA-Z\-]*)?$|^$"
    new = _bmc(fleets, "7.x")
    job_of(new, patch_bios(new, bios_initiator(IscsiDev1Con1TargetName=SYNOLOGY)))


def test_bios_initiator_boots_from_the_san_with_its_ibft(fleets):
    bmc = _bmc(fleets)
    # Port 2 has no NIC-firmware iSCSI; the BIOS software initiator can still use it.
    job_of(bmc, patch_bios(bmc, bios_initiator(port="NIC.Slot.1-2-1")))
    assert not [o for o in options(bmc) if o["DisplayName"].startswith("ISCSI Device")]
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    table = parse_ibft(bmc.admin("ibft"))
    assert table.initiator.name == "iqn.1998-01.com.vmware:esxi01"
    assert table.nics[0].mac == "02:00:00:00:%02X:02" % int(bmc.entry["name"][-2:])
    assert (table.nics[0].ip, table.nics[0].prefix_length) == ("192.0.2.11", 24)
    target = table.targets[0]
    assert (target.target_name, target.lun, target.chap_type) == ("iqn.2024-01.org.example.san:esxi01", 1, CHAP_ONE_WAY)
    assert (target.chap_name, target.chap_secret) == ("esxi01", "esxi01-secret")
    iscsi = [o for o in options(bmc) if o["DisplayName"].startswith("ISCSI Device")]
    assert [(o["DisplayName"], o["UefiDevicePath"].startswith("VenHw(")) for o in iscsi] == [
        ("ISCSI Device 1: NIC in Slot 1 Port 2 Partition 1", True)]
    assert iscsi[0]["Id"] == iscsi[0]["BootOptionReference"]
    attributes = bmc.json(f"{SYSTEM}/Bios")["Attributes"]
    assert attributes["IscsiDev1Con1ChapSecret"] == ""  # secrets read back empty
    assert attributes["IscsiDev1Con1TargetName"] == "iqn.2024-01.org.example.san:esxi01"


def test_the_iscsi_option_appears_only_after_a_reset_whose_login_succeeded(fleets):
    bmc = _bmc(fleets)
    job_of(bmc, patch_bios(bmc, bios_initiator(secret="wrong-secret-1")))
    assert bmc.boot_once()["outcome"] == "no_bootable_device"
    assert not [o for o in options(bmc) if o["DisplayName"].startswith("ISCSI Device")]
    job_of(bmc, patch_bios(bmc, {"IscsiDev1Con1ChapSecret": "esxi01-secret"}))
    assert bmc.boot_once()["outcome"] == "booted"
    assert [o for o in options(bmc) if o["DisplayName"].startswith("ISCSI Device")]


MUTUAL = ("MutualCHAPUsername", "MutualCHAPSecret")


def test_nic_mutual_chap_properties_exist_only_from_7x(fleets):
    old = _bmc(fleets, "6.x")
    function = f"{CHASSIS_NIC}/NIC.Slot.1-1-1"
    before = old.json(nic_settings())
    assert not set(MUTUAL) & set(old.json(function)["iSCSIBoot"]) and not set(MUTUAL) & set(before["iSCSIBoot"])
    # NetworkDeviceFunction v1_7_0 (6.00.30) lacks them: refused as any unknown property, nothing staged.
    response = old.patch(nic_settings(), {"iSCSIBoot": GOOD_ISCSI["esxi02"], **ON_RESET})
    assert response.status_code == 400, response.text
    info = response.json()["error"]["@Message.ExtendedInfo"]
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in info] == ["PropertyUnknown"] * 2
    assert [m["RelatedProperties"] for m in info] == [[f"#/iSCSIBoot/{key}"] for key in MUTUAL]
    assert "san02-mutual" not in response.text
    assert old.json(nic_settings()) == before
    assert old.stats()["jobs_created"] == 0
    new = _bmc(fleets, "7.x")
    assert set(MUTUAL) <= set(new.json(function)["iSCSIBoot"])
    job_of(new, new.patch(nic_settings(), {"iSCSIBoot": GOOD_ISCSI["esxi02"], **ON_RESET}))
    shown = new.json(nic_settings())["iSCSIBoot"]
    assert (shown["MutualCHAPUsername"], shown["MutualCHAPSecret"]) == ("san02", None)


def test_mutual_chap_on_6x_through_the_bios_initiator(fleets):
    bmc = _bmc(fleets, "6.x")
    values = bios_initiator(host="esxi02", secret="esxi02-secret", port="NIC.Slot.1-1-1",
                            IscsiDev1Con1ChapType="Mutual", IscsiDev1Con1RevChapName="san02",
                            IscsiDev1Con1RevChapSecret="san02-mutual")
    job_of(bmc, patch_bios(bmc, values))
    boot = bmc.boot_once()
    assert boot["outcome"] == "booted", boot
    target = parse_ibft(bmc.admin("ibft")).targets[0]
    assert (target.chap_type, target.reverse_chap_name, target.reverse_chap_secret) == (
        CHAP_MUTUAL, "san02", "san02-mutual")
    iscsi = bmc.json(f"{CHASSIS_NIC}/NIC.Slot.1-1-1")["iSCSIBoot"]
    assert iscsi["AuthenticationMethod"] == "MutualCHAP" and not set(MUTUAL) & set(iscsi)
