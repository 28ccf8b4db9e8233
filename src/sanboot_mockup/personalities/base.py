"""What a personality is: the ids and routes of a vendor's Redfish tree, its protocol habits
(ETags, If-Match), and the hooks through which it acts at a reset. The firmware, the SAN and the
settings only ever see canonical (DMTF-shaped) state; a personality translates at the HTTP edge."""
from ..resources import Ids
from ..router import Router


class Personality:
    name = "base"
    ids = Ids()

    _routers = {}  # one router per kind of tree, shared by every BMC that serves it

    def __init__(self, cfg):
        self.cfg = cfg

    # -- the tree --------------------------------------------------------------------------------
    def routes(self):
        raise NotImplementedError("a personality lists its routes")  # every subclass does (dmtf, dell)

    def variant(self):
        """What decides the shape of the tree beyond the name (a firmware generation, say)."""
        return ()

    def router(self):
        key = (self.name, self.variant())
        if key not in Personality._routers:
            router = Router()
            router.extend(self.routes())
            Personality._routers[key] = router
        return Personality._routers[key]

    def initial_state(self, state):
        """Add the vendor's own state (jobs, BIOS attributes) to a new BMC's canonical state."""
        return state

    # -- protocol habits ------------------------------------------------------------------------
    strong_etags = False  # ETags are weak W/"..." unless the vendor's are strong (Lenovo: capture)
    # The $expand forms served (expand.py), as ProtocolFeaturesSupported.ExpandQuery advertises them;
    # None: no $expand (501), the root advertises every form false.
    expand = None

    def etag_in_body(self, path):
        return True

    def checks_if_match(self, path):
        return True

    def check_request(self, request, path):
        """Refuse what this vendor refuses before routing (raises RedfishError)."""

    # -- the host's life ------------------------------------------------------------------------
    def at_power_on(self, bmc):
        """Power has just come on for a new boot: settings that apply at reset apply now."""

    def in_post(self, bmc):
        """POST has run, the boot manager has not: where vendors run their configuration jobs."""

    def after_discovery(self, bmc, logins):
        """POST's device discovery is over: every port in iSCSI mode has tried its login
        (`logins` is {function key: (LoginResult, boot sector)}), the boot manager has not started."""

    def os_loader_started(self, bmc):
        """The boot manager has handed the host over to an operating system's loader."""

    def at_power_off(self, bmc):
        """The host has just lost power (ForceOff, a shutdown, a short press with no OS)."""

    def jobs(self, bmc):
        """The vendor's configuration jobs, for the admin API."""
        return []

    def next_boot_order(self, bmc):
        """The BootOrder the next reset will use, pending changes included (admin API: a test checks that a
        failed host's previous order is back, also where the restore waits for a reset)."""
        return list(bmc.state["boot"]["BootOrder"])
