"""Vendor personalities of a mockup BMC: `dmtf`, `idrac9`, `idrac10`."""
from .dell import Idrac9, Idrac10
from .dmtf import Dmtf

PERSONALITIES = {p.name: p for p in (Dmtf, Idrac9, Idrac10)}


def personality_for(cfg):
    return PERSONALITIES[cfg.personality](cfg)
