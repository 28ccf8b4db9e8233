"""The canonical vocabulary every part of the mockup shares: the DMTF-shaped iSCSI fields of a
port, which of them are secrets, and the POST states a boot walks. A leaf: it imports nothing."""

ISCSI_FIELDS = {
    "IPAddressType": "IPv4", "InitiatorIPAddress": None, "InitiatorName": None, "InitiatorNetmask": None,
    "InitiatorDefaultGateway": None, "PrimaryDNS": None, "SecondaryDNS": None, "TargetInfoViaDHCP": False,
    "IPMaskDNSViaDHCP": False, "PrimaryTargetName": None, "PrimaryTargetIPAddress": None,
    "PrimaryTargetTCPPort": 3260, "PrimaryLUN": 0, "PrimaryVLANEnable": False, "PrimaryVLANId": 0,
    "SecondaryTargetName": None, "SecondaryTargetIPAddress": None, "SecondaryTargetTCPPort": 3260,
    "SecondaryLUN": 0, "SecondaryVLANEnable": False, "SecondaryVLANId": 0, "AuthenticationMethod": "None",
    "CHAPUsername": None, "CHAPSecret": None, "MutualCHAPUsername": None, "MutualCHAPSecret": None,
    "RouterAdvertisementEnabled": False,
}
SECRET_FIELDS = ("CHAPSecret", "MutualCHAPSecret")
POST_STATES = ("PrimaryProcessorInitializationStarted", "BusInitializationStarted",
               "MemoryInitializationStarted", "SecondaryProcessorInitializationStarted",
               "PCIResourceConfigStarted", "SystemHardwareInitializationComplete")
