"""Supermicro's BootOptions (X13 capture): `BootNNNN`, Id the reference, a DisplayName and no
UefiDevicePath, so a client can only match options by name."""
from ..http import collection, reply
from ..resources import systems
from .supermicro_names import SYSTEM_URI, display_name

OPTIONS = f"{SYSTEM_URI}/BootOptions"


def render_option(bmc, ref):
    option = bmc.state["boot_options"][ref]
    return {"@odata.id": f"{OPTIONS}/{ref}", "@odata.type": "#BootOption.v1_0_4.BootOption", "Id": ref,
            "Name": "Boot Option", "Description": "UEFI Boot Option", "BootOptionEnabled": option["BootOptionEnabled"],
            "BootOptionReference": ref, "DisplayName": display_name(bmc, option)}


async def list_options(request, bmc):
    return reply(collection(OPTIONS, "#BootOptionCollection.BootOptionCollection", "Boot Option Collection",
                            [f"{OPTIONS}/{r}" for r in systems.ordered_refs(bmc)]), request=request)


async def get_option(request, bmc, ref):
    systems.find_option(bmc, ref)  # 404 for an unknown reference
    return reply(render_option(bmc, ref), request=request)


def routes():
    return [(OPTIONS, {"GET": list_options}), (OPTIONS + "/{ref}", {"GET": get_option})]
