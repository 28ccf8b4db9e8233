"""Dell URIs and request bodies the mockup tests of the idrac9/idrac10 personalities share."""
SYSTEM = "/redfish/v1/Systems/System.Embedded.1"
BIOS_SETTINGS = f"{SYSTEM}/Bios/Settings"
MANAGER = "/redfish/v1/Managers/iDRAC.Embedded.1"
LCLOG = f"{MANAGER}/LogServices/Lclog/Entries"
CHASSIS_NIC = "/redfish/v1/Chassis/System.Embedded.1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions"
ON_RESET = {"@Redfish.SettingsApplyTime": {"ApplyTime": "OnReset"}}


def nic_settings(fqdd="NIC.Slot.1-1-1"):
    return f"{SYSTEM}/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/{fqdd}/Settings"


def bios_initiator(host="esxi01", port="NIC.Slot.1-2-1", secret="esxi01-secret", **changes):
    """BIOS attributes for host esxi01 of fast_fleet(): its target, one-way CHAP, on `port`."""
    values = {"IscsiInitiatorName": f"iqn.1998-01.com.vmware:{host}", "IscsiDev1EnDis": "Enabled",
              "IscsiDev1Con1EnDis": "Enabled", "IscsiDev1Con1Interface": port, "IscsiDev1Con1Ip": "192.0.2.11",
              "IscsiDev1Con1Mask": "255.255.255.0", "IscsiDev1Con1Gateway": "192.0.2.1",
              "IscsiDev1Con1TargetName": f"iqn.2024-01.org.example.san:{host}", "IscsiDev1Con1TargetIp": "127.0.0.1",
              "IscsiDev1Con1Port": 3260, "IscsiDev1Con1Lun": "1", "IscsiDev1Con1Auth": "Chap",
              "IscsiDev1Con1ChapName": host, "IscsiDev1Con1ChapSecret": secret}
    values.update(changes)
    return values


def patch_bios(bmc, values, apply=True):
    return bmc.patch(BIOS_SETTINGS, {"Attributes": values, **(ON_RESET if apply else {})})


def job_of(bmc, response):
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location.startswith(f"{MANAGER}/Jobs/JID_"), location
    return bmc.json(location)


def options(bmc):
    return [bmc.json(m["@odata.id"]) for m in bmc.json(f"{SYSTEM}/BootOptions")["Members"]]


def dell_error_ids(response):
    return [m["MessageId"] for m in response.json()["error"]["@Message.ExtendedInfo"]]
