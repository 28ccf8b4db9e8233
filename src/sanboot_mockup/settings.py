"""Pending settings of a NetworkDeviceFunction: staged by a PATCH of the SettingsObject,
applied at the next reset (OnReset) or by a task (Immediate)."""
from .clock import now_iso
from .errors import message

ON_RESET = ("OnReset", "InMaintenanceWindowOnReset", "AtMaintenanceWindowStart")


def stage(function, values, apply_time):
    """Merge a PATCH into what is already pending for this function."""
    pending = function.get("pending") or {"values": {}, "apply_time": apply_time}
    merged = dict(pending["values"])
    for key, value in values.items():
        if key == "iSCSIBoot":
            merged["iSCSIBoot"] = {**merged.get("iSCSIBoot", {}), **value}
        else:
            merged[key] = value
    function["pending"] = {"values": merged, "apply_time": apply_time, "time": now_iso()}


def apply_values(function, values):
    for key, value in values.items():
        if key == "iSCSIBoot":
            function["iSCSIBoot"] = {**function["iSCSIBoot"], **value}
        else:
            function[key] = value


def apply_pending(function):
    """Apply what is pending; the outcome goes to @Redfish.Settings.Messages."""
    pending = function.get("pending")
    if not pending:
        return False
    apply_values(function, pending["values"])
    function["rev"] = function.get("rev", 0) + 1  # secrets may have changed where nothing shows
    function["pending"] = None
    function["settings_messages"] = [message("Success")]
    function["settings_time"] = now_iso()
    return True


def fail_pending(function, reason):
    function["pending"] = None
    failed = message("GeneralError")
    failed["Message"] = f"Applying the pending settings failed: {reason}"
    function["settings_messages"] = [failed]
    function["settings_time"] = now_iso()


def merged_view(function):
    """The function as it will be once pending settings apply (what the SettingsObject shows)."""
    view = {"BootMode": function["BootMode"], "iSCSIBoot": dict(function["iSCSIBoot"])}
    if function.get("pending"):
        apply_values(view, function["pending"]["values"])
    return view
