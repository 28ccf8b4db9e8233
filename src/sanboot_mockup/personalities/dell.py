from .dmtf import Dmtf


class Idrac9(Dmtf):
    name = "idrac9"


class Idrac10(Dmtf):
    name = "idrac10"
