"""`xcc` and `xcc2`: Lenovo's tree (Systems/1, Managers/1, adapters slot-N with functions p.l), strong
ETags, `Pending` settings objects applied at the next reset, boot classes with the per-NIC OEM order,
Oem.Lenovo.SystemStatus and NumberOfReboots, the PlatformLog. docs/personalities.md is the contract."""
from ..errors import RedfishError
from ..resources import accounts, managers, sessions, tasks
from . import (lenovo_boot_order, lenovo_boot_settings, lenovo_identity, lenovo_iscsi, lenovo_log, lenovo_network,
               lenovo_status, lenovo_system)
from .base import Personality
from .lenovo_names import IDS

_ACCOUNTS = "/redfish/v1/AccountService/Accounts/"


class Xcc(Personality):
    name = "xcc"
    expand = {"ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True, "MaxLevels": 2}   # capture 2.83
    ids = IDS
    strong_etags = True  # "@odata.etag": "\"387fcecc...\"" (capture)

    def routes(self):
        found = lenovo_identity.routes(self.ids) + sessions.routes(self.ids) + accounts.routes(self.ids)
        found += lenovo_system.routes() + lenovo_boot_settings.routes() + lenovo_log.routes()
        found += lenovo_network.routes(self.ids) + lenovo_iscsi.routes(self.ids)
        found += managers.media_routes(self.ids) + tasks.routes(self.ids)
        return found

    def initial_state(self, state):
        state["lenovo"] = {**lenovo_boot_order.initial(self.cfg), **lenovo_status.initial(state)}
        lenovo_boot_order.follow_state(state, self.cfg)
        return state

    def check_request(self, request, path):
        # XCC wants If-Match on account changes (428, ansible/ansible #56050); not on Pending (addendum 8.4c).
        if request.method == "PATCH" and path.startswith(_ACCOUNTS) and "If-Match" not in request.headers:
            raise RedfishError.of(428, "PreconditionRequired")

    def at_power_on(self, bmc):
        lenovo_status.powered_on(bmc)
        lenovo_iscsi.apply(bmc)
        lenovo_boot_order.apply(bmc)
        bmc.save()

    def in_post(self, bmc):
        lenovo_status.set_status(bmc, lenovo_status.IN_UEFI)

    def after_discovery(self, bmc, logins):
        lenovo_boot_order.sync_entries(bmc)
        bmc.save()

    def os_loader_started(self, bmc):
        lenovo_status.set_status(bmc, lenovo_status.BOOTING_OS)
        bmc.save()

    def at_power_off(self, bmc):
        lenovo_status.set_status(bmc, lenovo_status.OFF)

    def next_boot_order(self, bmc):
        return lenovo_boot_order.classes_next(bmc)


class Xcc2(Xcc):
    name = "xcc2"
