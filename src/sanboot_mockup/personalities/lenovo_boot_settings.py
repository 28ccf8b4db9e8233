"""Writing the boot order on XCC: `PATCH /Systems/1/Pending {"Boot": {"BootOrder": [...]}}` (2.x, capture/doc)
and the OEM BootSettings (`BootOrder.BootOrder` by class name, `BootOrder.NetworkBootOrder` per NIC
entry: `BootOrderNext`, capture). Everything applies at the next reset (lenovo_boot_order)."""
from ..errors import RedfishError, message, not_found
from ..http import check_if_match, collection, read_object, reply, require, without_annotations
from ..schema import check_patch
from . import lenovo_boot_order as order
from .lenovo_names import (BOOT_SETTINGS, CLASS_ORDER_URI, CLASSES, NETWORK_ORDER_URI, SYSTEM_PENDING, class_ref,
                           has_system_pending)
from .lenovo_settings import reboot_required


def render_pending(bmc):
    return {"@odata.id": SYSTEM_PENDING, "@odata.type": "#ComputerSystem.v1_27_0.ComputerSystem", "Id": "Pending",
            "Name": "Pending", "Description": "ComputerSystem 1 Pending Setting",
            "Boot": {"BootOrder": order.classes_next(bmc)}}


def _require_pending(bmc):
    if not has_system_pending(bmc.cfg):
        raise not_found("ComputerSystem", "Pending")


async def get_pending(request, bmc):
    _require_pending(bmc)
    return reply(render_pending(bmc), request=request)


def _order_problems(values, allowed, name, exact=False):
    """A boot order must list known, distinct items; `exact`: all of them (a permutation)."""
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return [message("PropertyValueTypeError", str(values), name, related=[f"#/{name.replace('.', '/')}"])]
    bad = [v for v in values if v not in allowed]
    if bad or len(set(values)) != len(values) or (exact and set(values) != set(allowed)):
        shown = ",".join(bad) or ("incomplete" if exact and len(set(values)) == len(values) else "duplicate")
        return [message("PropertyValueNotInList", shown, name, related=[f"#/{name.replace('.', '/')}"])]
    return []


async def patch_pending(request, bmc):
    require(request, "ConfigureComponents")
    _require_pending(bmc)
    body = without_annotations(await read_object(request))
    check_if_match(request, render_pending(bmc))
    problems = check_patch("ComputerSystem.v1_27_0.json", "ComputerSystem", body, {"Boot.BootOrder"})
    boot = body.get("Boot") if isinstance(body.get("Boot"), dict) else {}
    if not problems and "BootOrder" not in boot:
        problems = [message("PropertyMissing", "Boot.BootOrder", related=["#/Boot/BootOrder"])]
    problems = problems or _order_problems(boot["BootOrder"], CLASSES, "Boot.BootOrder")
    if problems:
        raise RedfishError(400, problems)
    order.stage_classes(bmc, boot["BootOrder"])
    bmc.save()
    return reboot_required(request, render_pending(bmc))


def _manager(uri, name, supported, current, upcoming):
    return {"@odata.id": uri, "@odata.type": "#LenovoBootManager.v1_0_0.LenovoBootManager", "Id": name, "Name": name,
            "Description": "This resource is used to represent settings for user to select the boot source "
                           "when the manager is powered on.",
            "BootOrderSupported": supported, "BootOrderSupported@odata.count": len(supported),
            "BootOrderCurrent": current, "BootOrderCurrent@odata.count": len(current),
            "BootOrderNext": upcoming, "BootOrderNext@odata.count": len(upcoming)}


def _names(refs):
    return [CLASSES[ref][1] for ref in refs]


def render_classes(bmc):
    return _manager(CLASS_ORDER_URI, "BootOrder.BootOrder", _names(CLASSES), _names(bmc.state["lenovo"]["classes"]),
                    _names(order.classes_next(bmc)))


def render_network(bmc):
    current = list(bmc.state["lenovo"]["network"])
    return _manager(NETWORK_ORDER_URI, "BootOrder.NetworkBootOrder", current, current, order.network_next(bmc))


async def list_boot_settings(request, bmc):
    body = collection(BOOT_SETTINGS, "#LenovoBootManagerCollection.LenovoBootManagerCollection", "BootSettings",
                      [CLASS_ORDER_URI, NETWORK_ORDER_URI])
    return reply({**body, "Description": "A collection of BootSetting resource instances."}, request=request)


async def get_classes(request, bmc):
    return reply(render_classes(bmc), request=request)


async def get_network(request, bmc):
    return reply(render_network(bmc), request=request)


async def _read_next(request, bmc, render):
    require(request, "ConfigureComponents")
    body = without_annotations(await read_object(request))
    current_body = render(bmc)  # after the await, so a concurrent winner's write is seen
    check_if_match(request, current_body)
    unknown = [k for k in body if k != "BootOrderNext"]
    if unknown:
        kind = "PropertyNotWritable" if all(k in current_body for k in unknown) else "PropertyUnknown"
        raise RedfishError(400, [message(kind, k, related=[f"#/{k}"]) for k in unknown])
    return body.get("BootOrderNext")


async def patch_classes(request, bmc):
    upcoming = await _read_next(request, bmc, render_classes)
    problems = _order_problems(upcoming, _names(CLASSES), "BootOrderNext")
    if problems:
        raise RedfishError(400, problems)
    order.stage_classes(bmc, [class_ref(name) for name in upcoming])
    bmc.save()
    return reboot_required(request, render_classes(bmc))


async def patch_network(request, bmc):
    upcoming = await _read_next(request, bmc, render_network)
    problems = _order_problems(upcoming, bmc.state["lenovo"]["network"], "BootOrderNext", exact=True)
    if problems:
        raise RedfishError(400, problems)
    order.stage_network(bmc, upcoming)
    bmc.save()
    return reboot_required(request, render_network(bmc))


def routes():
    return [
        (SYSTEM_PENDING, {"GET": get_pending, "PATCH": patch_pending}),
        (BOOT_SETTINGS, {"GET": list_boot_settings}),
        (CLASS_ORDER_URI, {"GET": get_classes, "PATCH": patch_classes}),
        (NETWORK_ORDER_URI, {"GET": get_network, "PATCH": patch_network}),
    ]
