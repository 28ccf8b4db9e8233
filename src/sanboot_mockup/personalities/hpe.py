"""`ilo5` and `ilo6`: HPE's tree (Systems/1, Managers/1, the lower-case BIOS family with its iSCSI
software initiator, boot settings and mappings), settings applied at the next reset with their
outcome in @Redfish.Settings.Messages, PostState, the IML. docs/personalities.md is the contract."""
from ..clock import now_iso
from ..resources import accounts, sessions, tasks
from . import (hpe_adapters, hpe_bios, hpe_boot, hpe_iml, hpe_initiator, hpe_iscsi, hpe_manager, hpe_network,
               hpe_post, hpe_reset, hpe_root, hpe_settings, hpe_system)
from .base import Personality
from .hpe_names import HpeIds


class Ilo5(Personality):
    name = "ilo5"
    # capture 2.72: `.` only (no `*`, no `~`), one level; iLO 6 the same (UNCONFIRMED: no iLO 6 capture)
    expand = {"ExpandAll": False, "Levels": True, "Links": False, "NoLinks": True, "MaxLevels": 1}
    ids = HpeIds(system="1", chassis="1", manager="1", media={"1": "Floppy", "2": "CD"})

    def routes(self):
        found = hpe_root.routes(self.ids) + sessions.routes(self.ids) + accounts.routes(self.ids)
        found += hpe_system.routes() + hpe_bios.routes() + hpe_iscsi.routes() + hpe_boot.routes()
        found += hpe_adapters.routes() + hpe_network.routes(self.ids) + hpe_iml.routes()
        found += hpe_manager.routes(self.ids) + tasks.routes(self.ids)
        return found

    def initial_state(self, state):
        state["virtual_media"]["Floppy"] = {"Image": None, "ImageName": None, "Inserted": False,
                                            "WriteProtected": True, "ConnectedVia": "NotConnected"}
        state["hpe"] = {"bios": hpe_bios.defaults(self.cfg), "bios_pending": {},
                        "iscsi": hpe_iscsi.initial(self.cfg), "iscsi_pending": None,
                        "iscsi_logged": {}, "iscsi_paths": {}, "boot_pending": None,
                        "settings": hpe_settings.initial(), "post_state": hpe_post.initial(state),
                        "post_discovery_time": now_iso()}
        return state

    def at_power_on(self, bmc):
        hpe_post.set_state(bmc, "InPost")
        hpe_reset.apply_pending(bmc)
        bmc.save()

    def after_discovery(self, bmc, logins):
        hpe_initiator.record_logins(bmc, logins)
        hpe_post.discovery_complete(bmc)
        bmc.save()

    def os_loader_started(self, bmc):
        hpe_post.set_state(bmc, "FinishedPost")
        bmc.save()

    def at_power_off(self, bmc):
        hpe_post.set_state(bmc, "PowerOff")

    def next_boot_order(self, bmc):
        staged = bmc.state["hpe"]["boot_pending"]
        return hpe_boot.resulting_order(bmc, staged) if staged is not None else super().next_boot_order(bmc)


class Ilo6(Ilo5):
    name = "ilo6"
