"""HPE BIOS: `/systems/1/bios/` (current attributes, the links to iSCSI, boot and mappings),
`bios/settings/` (every attribute as it will be after the next reset; PATCHed, applied at reset,
refusals written to the current resource's @Redfish.Settings.Messages) and `bios/oem/hpe/baseconfigs/`."""
from ..errors import RedfishError
from ..http import check_if_match, read_object, reply, require
from . import hpe_settings
from .hpe_names import (BASECONFIGS, BIOS, BIOS_DMTF, BIOS_SETTINGS, BOOT, ISCSI, MAPPINGS, ROM_FAMILY, is_ilo6, nic_boot,
                        ports)

EN_DIS = ("Enabled", "Disabled")
REGISTRY = f"BiosAttributeRegistry{ROM_FAMILY}.v1_2_72"


def allowed(cfg):
    """{attribute: its values}: the capture's names the software initiator depends on, and a few more."""
    values = {"iSCSISoftwareInitiator": EN_DIS, "Dhcpv4": EN_DIS, "NetworkBootRetry": EN_DIS}
    if not is_ilo6(cfg):
        values["BootMode"] = ("Uefi", "LegacyBios")  # Gen11 is UEFI only: no BootMode (vendors.md 2.2)
    for k, j, _nic, _port in ports(cfg):
        values[f"PciSlot{k}Enable"] = ("Auto", "Disabled")
        values[nic_boot(k, j)] = ("NetworkBoot", "Disabled")
    return values


def defaults(cfg):
    # The initiator starts Disabled, so the prerequisite is written (docs/personalities.md);
    # a NIC's first port boots from the network, its others do not (capture).
    values = {"iSCSISoftwareInitiator": "Disabled", "Dhcpv4": "Enabled", "NetworkBootRetry": "Enabled"}
    if not is_ilo6(cfg):
        values["BootMode"] = "Uefi"
    for k, j, _nic, _port in ports(cfg):
        values[f"PciSlot{k}Enable"] = "Auto"
        values[nic_boot(k, j)] = "NetworkBoot" if j == 1 else "Disabled"
    return dict(sorted(values.items()))


def render_settings(bmc, pending=True):
    hpe = bmc.state["hpe"]
    attributes = {**hpe["bios"], **(hpe["bios_pending"] if pending else {})}
    return {"@odata.id": f"{BIOS_SETTINGS}/", "@odata.type": "#Bios.v1_0_4.Bios", "Id": "settings",
            "Name": "BIOS Pending Settings", "AttributeRegistry": REGISTRY, "Attributes": attributes}


def render_bios(bmc):
    return {"@odata.id": BIOS_DMTF, "@odata.type": "#Bios.v1_0_4.Bios", "Id": "bios", "Name": "BIOS Current Settings",
            "AttributeRegistry": REGISTRY, "Attributes": dict(bmc.state["hpe"]["bios"]),
            "@Redfish.Settings": hpe_settings.annotation(bmc, "bios", BIOS_SETTINGS),
            "Oem": hpe_settings.oem({"BaseConfigs": BASECONFIGS, "Boot": BOOT, "Mappings": MAPPINGS, "iScsi": ISCSI},
                                    render_settings(bmc, pending=False))}


async def get_bios(request, bmc):
    return reply(render_bios(bmc), request=request)


async def get_settings(request, bmc):
    return reply(render_settings(bmc), request=request)


async def get_baseconfigs(request, bmc):
    return reply({"@odata.id": f"{BASECONFIGS}/", "@odata.type": "#HpeBaseConfigs.v2_0_0.HpeBaseConfigs",
                  "Id": "baseconfigs", "Name": "BIOS Default Settings", "Capabilities": {"BaseConfig": True},
                  "BaseConfigs": [{"default": defaults(bmc.cfg)}]}, request=request)


async def patch_settings(request, bmc):
    require(request, "ConfigureComponents")
    body = await read_object(request)
    check_if_match(request, render_settings(bmc))
    attributes = body.get("Attributes")
    if not isinstance(attributes, dict):
        # Not the resource's shape at all: the only thing refused at PATCH time.
        raise RedfishError.of(400, "PropertyValueTypeError", hpe_settings.shown(attributes), "Attributes")
    bmc.state["hpe"]["bios_pending"].update(attributes)
    bmc.save()
    return hpe_settings.reset_required()


def apply(bmc):
    """At reset: each pending attribute becomes current unless refused (it then keeps its value)."""
    hpe = bmc.state["hpe"]
    if not hpe["bios_pending"]:
        return
    values, refusals = allowed(bmc.cfg), []
    for name, value in hpe["bios_pending"].items():
        where = f"#/Attributes/{name}"
        if name not in values:
            refusals.append(hpe_settings.refusal("PropertyUnknown", name, where))
        elif value not in values[name]:
            refusals.append(hpe_settings.refusal("PropertyValueNotInList", name, where, value))
        else:
            hpe["bios"][name] = value
    hpe["bios_pending"] = {}
    hpe_settings.record(bmc, "bios", refusals)


def routes():
    return [(BIOS, {"GET": get_bios}), (BIOS_DMTF, {"GET": get_bios}), (BIOS_SETTINGS, {"GET": get_settings, "PATCH": patch_settings}),
            (BASECONFIGS, {"GET": get_baseconfigs})]
