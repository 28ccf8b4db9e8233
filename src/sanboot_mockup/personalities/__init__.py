"""Vendor personalities of a mockup BMC: `dmtf`, `idrac9`, `idrac10`, `ilo5`, `ilo6`, `supermicro-x13`, `xcc`, `xcc2`."""
from .dell import Idrac9, Idrac10
from .dmtf import Dmtf
from .hpe import Ilo5, Ilo6
from .lenovo import Xcc, Xcc2
from .supermicro import SupermicroX13

PERSONALITIES = {p.name: p for p in (Dmtf, Idrac9, Idrac10, Ilo5, Ilo6, SupermicroX13, Xcc, Xcc2)}


def personality_for(cfg):
    return PERSONALITIES[cfg.personality](cfg)
