"""What ties a port to its BIOS name (vendors.md 2.1): `Systems/1/BaseNetworkAdapters/<k>` (MACs in
lower case, the adapter's UEFIDevicePath) and `bios/oem/hpe/mappings/` (HpeBiosMapping: the adapter's
path -> PciSlot<k> attributes, each port's subinstance -> Slot<k>NicBoot<j>) (capture)."""
from ..errors import not_found
from ..http import collection, reply
from .hpe_names import BASE_ADAPTERS, MAPPINGS, nic_boot, port_pci_path


def _adapter_path(bmc, nic):
    return port_pci_path(bmc, f"{nic.id}/{nic.ports[0].id}") if nic.ports else ""


def _physical_port(port):
    return {"FullDuplex": False, "IPv4Addresses": [], "IPv6Addresses": [], "LinkStatus": None,
            "MacAddress": port.mac.lower(), "Name": "", "SpeedMbps": 0,
            "Oem": {"Hpe": {"@odata.type": "#HpeBaseNetworkAdapterExt.v2_0_0.HpeBaseNetworkAdapterExt",
                            "BadReceives": 0, "BadTransmits": 0, "GoodReceives": 0, "GoodTransmits": 0}}}


def render_adapter(bmc, k, nic):
    return {"@odata.id": f"{BASE_ADAPTERS}/{k}", "@odata.type": "#HpeBaseNetworkAdapter.v2_0_0.HpeBaseNetworkAdapter",
            "Id": str(k), "Name": nic.model, "FcPorts": [], "Firmware": {"Current": {"VersionString": "1.0.0"}},
            "Location": f"PCI-E Slot {k}", "PartNumber": "", "SerialNumber": nic.ports[0].mac.replace(":", "")
            if nic.ports else "", "Status": {"Health": "OK", "State": "Enabled"},
            "StructuredName": f"NIC.Slot.{k}.1", "UEFIDevicePath": _adapter_path(bmc, nic),
            "PhysicalPorts": [_physical_port(p) for p in nic.ports]}


async def list_adapters(request, bmc):
    body = collection(BASE_ADAPTERS, "#HpeBaseNetworkAdapterCollection.HpeBaseNetworkAdapterCollection",
                      "NetworkAdapters Collection", [f"{BASE_ADAPTERS}/{k}" for k in range(1, len(bmc.cfg.nics) + 1)])
    return reply({**body, "Description": "NetworkAdapters view"}, request=request)


async def get_adapter(request, bmc, number):
    if not number.isdigit() or not 1 <= int(number) <= len(bmc.cfg.nics):
        raise not_found("HpeBaseNetworkAdapter", number)
    return reply(render_adapter(bmc, int(number), bmc.cfg.nics[int(number) - 1]), request=request)


def _subinstance(bmc, k, j, nic, port):
    associations = [nic_boot(k, j)]
    if j == 1:
        # The capture's first port also carries an object association before its NicBoot name.
        associations.insert(0, {"PreBootNetwork": f"Slot{k}NicPort{j}"})
    return {"Associations": associations, "CorrelatableID": port_pci_path(bmc, f"{nic.id}/{port.id}"), "Subinstance": j}


async def get_mappings(request, bmc):
    entries = [{"Associations": [f"PciSlot{k}Enable"], "CorrelatableID": _adapter_path(bmc, nic), "Instance": k,
                "Subinstances": [_subinstance(bmc, k, j, nic, p) for j, p in enumerate(nic.ports, start=1)]}
               for k, nic in enumerate(bmc.cfg.nics, start=1)]
    return reply({"@odata.id": f"{MAPPINGS}/", "@odata.type": "#HpeBiosMapping.v2_0_0.HpeBiosMapping", "Id": "mappings",
                  "Name": "BIOS mappings", "BiosPciSettingsMappings": entries}, request=request)


def routes():
    return [(BASE_ADAPTERS, {"GET": list_adapters}), (BASE_ADAPTERS + "/{number}", {"GET": get_adapter}),
            (MAPPINGS, {"GET": get_mappings})]
