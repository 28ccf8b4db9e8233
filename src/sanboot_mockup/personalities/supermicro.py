"""`supermicro-x13`: a Supermicro X13 BMC (capture SYS-821GE-TNHR, BMC 11.01.01). No iSCSI over Redfish
(the ports' iSCSI values come from the NIC option ROM, i.e. the fleet's `option_rom_iscsi`), boot options
named but without device paths, `Boot.BootOrder` or the OEM FixedBootOrder, BIOS pending in `/Bios/SD`,
reset types in ResetActionInfo, BootProgress that stops at SystemHardwareInitializationComplete, and the
SEL. docs/personalities.md is the contract."""
from ..resources import accounts, sessions, tasks
from . import (supermicro_bios, supermicro_fixed_order, supermicro_network, supermicro_option_rom,
               supermicro_options, supermicro_root, supermicro_sel, supermicro_system)
from .base import Personality
from .supermicro_names import SmcIds


class SupermicroX13(Personality):
    name = "supermicro-x13"
    expand = {"ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True, "MaxLevels": 2}   # capture 11.01
    ids = SmcIds(system="1", chassis="1", manager="1", media={"VirtualMedia1": "CD"})  # capture ids
    strong_etags = True  # quoted hex, no W/ (capture)

    def routes(self):
        found = supermicro_root.routes(self.ids) + sessions.routes(self.ids) + accounts.routes(self.ids)
        found += supermicro_system.routes() + supermicro_options.routes() + supermicro_fixed_order.routes()
        found += supermicro_bios.routes() + supermicro_network.routes(self.ids) + supermicro_sel.routes()
        return found + tasks.routes(self.ids)

    def initial_state(self, state):
        state["smc"] = {**supermicro_bios.initial(), **supermicro_sel.initial(), "powered": state["power"] == "On"}
        return supermicro_option_rom.apply(state, self.cfg)

    def at_power_on(self, bmc):
        smc = bmc.state["smc"]
        supermicro_sel.record(bmc, "reset" if smc["powered"] else "power_on")
        smc["powered"] = True
        supermicro_bios.apply(bmc)
        supermicro_option_rom.apply(bmc.state, self.cfg)  # the fleet file is the option ROM: re-read it
        bmc.save()

    def at_power_off(self, bmc):
        bmc.state["smc"]["powered"] = False
