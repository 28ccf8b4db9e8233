"""HPE URIs and request bodies the mockup tests of the ilo5/ilo6 personalities share."""
SYSTEM = "/redfish/v1/Systems/1"
BIOS = "/redfish/v1/systems/1/bios/"
BIOS_SETTINGS = f"{BIOS}settings/"
ISCSI = f"{BIOS}oem/hpe/iscsi/"
ISCSI_SETTINGS = f"{ISCSI}settings/"
BOOT = f"{BIOS}oem/hpe/boot/"
BOOT_SETTINGS = f"{BOOT}settings/"
MAPPINGS = f"{BIOS}oem/hpe/mappings/"
FUNCTIONS = "/redfish/v1/Chassis/1/NetworkAdapters/DE07A000/NetworkDeviceFunctions"
IML = f"{SYSTEM}/LogServices/IML/Entries"
RESET_REQUIRED = {"error": {"code": "iLO.0.10.ExtendedInfo", "message": "See @Message.ExtendedInfo for more information.",
                            "@Message.ExtendedInfo": [{"MessageId": "iLO.2.15.SystemResetRequired"}]}}


def attempt(host="esxi01", source="Slot1NicBoot1", instance=1, **changes):
    """A whole attempt for a host of fast_fleet(): its target, static addresses, one-way CHAP."""
    values = {"iSCSIAttemptInstance": instance, "iSCSIAttemptName": host, "iSCSINicSource": source,
              "iSCSIConnection": "Enabled", "iSCSIIpAddressType": "IPv4", "iSCSIInitiatorInfoViaDHCP": False,
              "iSCSIInitiatorIpAddress": "192.0.2.11", "iSCSIInitiatorNetmask": "255.255.255.0",
              "iSCSIInitiatorGateway": "192.0.2.1", "iSCSITargetInfoViaDHCP": False,
              "iSCSITargetName": f"iqn.2024-01.org.example.san:{host}", "iSCSITargetIpAddress": "127.0.0.1",
              "iSCSITargetTcpPort": 3260, "iSCSILUN": "1", "iSCSIAuthenticationMethod": "CHAP",
              "iSCSIChapType": "OneWay", "iSCSIChapUsername": host, "iSCSIChapSecret": f"{host}-secret"}
    values.update(changes)
    return values


def patched(response):
    """An HPE settings PATCH that was taken: 200 with iLO's SystemResetRequired envelope."""
    assert response.status_code == 200, response.text
    assert response.json() == RESET_REQUIRED
    return response


def enable_initiator(bmc, *sources):
    attributes = {"iSCSISoftwareInitiator": "Enabled", **{s: "NetworkBoot" for s in sources}}
    return patched(bmc.patch(BIOS_SETTINGS, {"Attributes": attributes}))


def set_attempts(bmc, sources, name=None):
    body = {"iSCSISources": sources}
    if name:
        body["iSCSIInitiatorName"] = name
    return patched(bmc.patch(ISCSI_SETTINGS, body))


def configure(bmc, host="esxi01", source="Slot1NicBoot1", **changes):
    """The software initiator set up for `host` in slot 0, through both settings resources."""
    enable_initiator(bmc, source)
    set_attempts(bmc, [attempt(host, source, **changes), {}, {}, {}], name=f"iqn.1998-01.com.vmware:{host}")


def post_state(bmc):
    return bmc.json(SYSTEM)["Oem"]["Hpe"]["PostState"]


def settings_messages(bmc, uri):
    return bmc.json(uri)["@Redfish.Settings"]["Messages"]
