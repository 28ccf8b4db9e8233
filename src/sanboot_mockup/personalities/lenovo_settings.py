"""What Lenovo's `Pending` objects share: the 200 answer of a PATCH that is taken (the resource with a
RebootRequired message, doc), and the `@Redfish.Settings` a current resource carries (capture)."""
from ..http import reply

# The doc names the MessageId RebootRequired; its registry prefix is UNCONFIRMED (the Base registry
# has no such message), so clients should match the suffix.
REBOOT_REQUIRED = {"@odata.type": "#Message.v1_3_0.Message", "MessageId": "Lenovo.1.0.RebootRequired",
                   "Message": "The changes will take effect after the system restarts.", "MessageArgs": [],
                   "MessageSeverity": "OK", "Resolution": "Restart the system."}


def annotation(settings_uri):
    return {"@odata.type": "#Settings.v1_3_0.Settings", "SettingsObject": {"@odata.id": settings_uri},
            "SupportedApplyTimes": ["OnReset"], "Messages": [], "Time": None}


def reboot_required(request, body, revision=None):
    """200 with the Pending resource as it now is and the RebootRequired message (doc)."""
    return reply({**body, "@Message.ExtendedInfo": [REBOOT_REQUIRED]}, request=request, revision=revision)
