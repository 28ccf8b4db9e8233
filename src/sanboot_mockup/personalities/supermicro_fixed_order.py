"""Supermicro's OEM boot order, `Oem/Supermicro/FixedBootOrder` (#SmcFixedBootOrder, X13 capture): device
classes in order, each naming its first device (`"UEFI Network:<DisplayName>"`), and the network devices
in their own order (`UEFINetwork`). Both are views of the one canonical BootOrder: a PATCH of the full
FixedBootOrder and a reordered UEFINetwork rewrites it at once (libredfish's fallback where
`Boot.BootOrder` is refused); a BootOrder PATCH shows here too."""
from ..errors import RedfishError, message
from ..http import check_if_match, read_object, reply, require
from ..resources import systems
from .supermicro_names import CLASS_OF_KIND, CLASSES, FIXED_ORDER, SHELL, display_name

DISABLED = "Disabled"
READ_ONLY = {"BootModeSelected", "FixedBootOrderDisabledItem", "UEFIAP", "UEFIAPDisabledItem", "UEFINetworkDisabledItem",
             "Id", "Name"}


def _class(bmc, ref):
    return CLASS_OF_KIND.get(bmc.state["boot_options"][ref]["kind"], "UEFI AP")


def _network(bmc):
    return [r for r in systems.ordered_refs(bmc) if _class(bmc, r) == "UEFI Network"]


def _class_order(bmc):
    """Classes in the order of their first device in BootOrder; the empty ones after, the AP last."""
    present = []
    for ref in systems.ordered_refs(bmc):
        if _class(bmc, ref) not in present:
            present.append(_class(bmc, ref))
    absent = [c for c in CLASSES if c not in present and c != "UEFI AP"]
    return present + absent + ([] if "UEFI AP" in present else ["UEFI AP"])


def render(bmc):
    first = {}
    for ref in systems.ordered_refs(bmc):
        first.setdefault(_class(bmc, ref), display_name(bmc, bmc.state["boot_options"][ref]))
    first["UEFI AP"] = SHELL
    entries = [f"{c}:{first[c]}" if c in first else c for c in _class_order(bmc)]
    return {"@odata.id": FIXED_ORDER, "@odata.type": "#SmcFixedBootOrder.v1_0_0.SmcFixedBootOrder",
            "Id": "FixedBootOrder", "Name": "Fixed Boot Order", "BootModeSelected": "UEFI",
            "FixedBootOrder": entries, "FixedBootOrderDisabledItem": [DISABLED],
            "UEFIAP": [SHELL], "UEFIAPDisabledItem": [DISABLED],
            "UEFINetwork": [display_name(bmc, bmc.state["boot_options"][r]) for r in _network(bmc)],
            "UEFINetworkDisabledItem": [DISABLED]}


def _listed(value, allowed, name):
    """The non-Disabled entries of a PATCHed list, each known and named once, or the 400's messages."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, [message("PropertyValueTypeError", value, name, related=[f"#/{name}"])]
    chosen = [v for v in value if v != DISABLED]
    bad = [v for v in chosen if v not in allowed] + [v for i, v in enumerate(chosen) if v in chosen[:i]]
    return chosen, [message("PropertyValueNotInList", v, name, related=[f"#/{name}"]) for v in bad]


def _classes_of(entries):
    """`"UEFI Network:<first device>"` names the class `UEFI Network` (the suffix is as read back)."""
    if isinstance(entries, list) and all(isinstance(e, str) for e in entries):
        return [e.split(":", 1)[0] for e in entries]
    return entries


def _new_order(bmc, classes, network):
    by_name = {display_name(bmc, bmc.state["boot_options"][r]): r for r in _network(bmc)}
    network_refs = [by_name[n] for n in network] + [r for r in _network(bmc) if r not in {by_name[n] for n in network}]
    classes = classes + [c for c in _class_order(bmc) if c not in classes]  # unlisted classes keep their place after
    order = []
    for name in classes:
        order += network_refs if name == "UEFI Network" else [r for r in systems.ordered_refs(bmc) if _class(bmc, r) == name]
    return order


async def get_fixed_order(request, bmc):
    return reply(render(bmc), request=request)


async def patch_fixed_order(request, bmc):
    require(request, "ConfigureComponents")
    body = await read_object(request)
    current = render(bmc)
    check_if_match(request, current)
    unknown = [k for k in body if k not in ("FixedBootOrder", "UEFINetwork") and k not in READ_ONLY and "@" not in k]
    problems = [message("PropertyUnknown", k, related=[f"#/{k}"]) for k in unknown]
    classes, bad = _listed(_classes_of(body.get("FixedBootOrder", [])), CLASSES, "FixedBootOrder")
    network, bad_network = _listed(body.get("UEFINetwork", []), current["UEFINetwork"], "UEFINetwork")
    problems += bad + bad_network
    if problems:
        raise RedfishError(400, problems)
    bmc.state["boot"]["BootOrder"] = _new_order(bmc, classes, network)
    bmc.save()
    return reply(render(bmc), request=request)


def routes():
    return [(FIXED_ORDER, {"GET": get_fixed_order, "PATCH": patch_fixed_order})]
