"""The one rule every Dell SettingsObject PATCH follows: with `@Redfish.SettingsApplyTime` it
schedules a job (202 + Location); without one it only stages (200). Immediate is not offered."""
from ..errors import RedfishError, message
from ..http import read_object

APPLY_TIME = "@Redfish.SettingsApplyTime"
_PREFERRED = {"ApplyTime", "MaintenanceWindowStartTime", "MaintenanceWindowDurationInSeconds"}


async def read_settings_patch(request, supported):
    """(properties, apply time or None) of a SettingsObject PATCH."""
    body = await read_object(request)
    value = body.pop(APPLY_TIME, None)
    when = None
    if value is not None:
        if not isinstance(value, dict):
            raise RedfishError.of(400, "PropertyValueTypeError", str(value), APPLY_TIME)
        unknown = [k for k in value if k not in _PREFERRED and not k.startswith("@odata.")]
        if unknown:
            raise RedfishError(400, [message("PropertyUnknown", f"{APPLY_TIME}/{k}") for k in unknown])
        when = value.get("ApplyTime", "OnReset")
        if when not in supported:
            raise RedfishError.of(400, "PropertyValueNotInList", str(when), f"{APPLY_TIME}/ApplyTime")
    props = {k: v for k, v in body.items() if "@" not in k}
    if not props and when is None:
        raise RedfishError.of(400, "NoOperation")
    return props, when
