"""`dmtf`: a standards-pure BMC (Systems/1, Chassis/1, Managers/BMC), settings applied at reset or
by a task, BootProgress with times."""
from .. import expand as expand_query, settings
from ..resources import accounts, managers, network, root, sessions, systems, tasks
from .base import Personality


class Dmtf(Personality):
    name = "dmtf"
    expand = expand_query.EVERY_FORM     # every $expand form, two levels deep

    def routes(self):
        found = []
        for module in (root, sessions, accounts, systems, network, managers, tasks):
            found += module.routes(self.ids)
        return found

    def at_power_on(self, bmc):
        for function in bmc.state["functions"].values():
            pending = function.get("pending")
            if pending and pending["apply_time"] in settings.ON_RESET:
                settings.apply_pending(function)
                bmc.log("OK", "Pending network device function settings applied at reset")
