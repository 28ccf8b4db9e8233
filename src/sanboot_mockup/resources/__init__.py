"""Redfish resources of one BMC, one module per part of the tree. Each module has `routes(ids)`:
the URIs come from the BMC's personality (`bmc.ids`), never from import-time constants."""
from dataclasses import dataclass, field

V1 = "/redfish/v1"


@dataclass(frozen=True)
class Ids:
    """The ids a personality gives the singletons of its tree, and the URIs built from them."""
    system: str = "1"
    chassis: str = "1"
    manager: str = "BMC"
    media: dict = field(default_factory=lambda: {"CD": "CD"})  # Redfish id -> canonical slot

    @property
    def system_uri(self):
        return f"{V1}/Systems/{self.system}"

    @property
    def chassis_uri(self):
        return f"{V1}/Chassis/{self.chassis}"

    @property
    def manager_uri(self):
        return f"{V1}/Managers/{self.manager}"

    @property
    def options_uri(self):
        return f"{self.system_uri}/BootOptions"

    @property
    def adapters_uri(self):
        return f"{self.chassis_uri}/NetworkAdapters"

    @property
    def media_uri(self):
        return f"{self.system_uri}/VirtualMedia"

    def media_id(self, slot):
        return next(i for i, s in self.media.items() if s == slot)
