"""What every SAN backend shares: login outcome codes, the login request and result, and the
boot sector an ESXi install leaves. A leaf module: the backends import it, it imports none."""
from dataclasses import dataclass

SECTOR = 512

# Outcome codes shared by every backend; the firmware logs them and wait_for_boot reports them.
OK = "ok"
PORTAL_UNREACHABLE = "portal_unreachable"
TARGET_NOT_FOUND = "target_not_found"
AUTH_FAILURE = "authentication_failure"
MUTUAL_AUTH_FAILURE = "mutual_authentication_failure"
LUN_NOT_SUPPORTED = "lun_not_supported"

REASONS = {
    PORTAL_UNREACHABLE: "portal unreachable",
    TARGET_NOT_FOUND: "target not found",
    AUTH_FAILURE: "authentication failure",
    MUTUAL_AUTH_FAILURE: "mutual authentication failure (target's CHAP response rejected)",
    LUN_NOT_SUPPORTED: "LUN not supported",
}


@dataclass(frozen=True)
class LoginRequest:
    initiator: str
    portal: str          # "ip:port"
    target: str
    lun: int
    auth: str = "None"   # None | CHAP | MutualCHAP
    chap_user: str = None
    chap_secret: str = None
    mutual_user: str = None
    mutual_secret: str = None
    vlan: int = None     # VLAN id the initiator tags with, None when untagged


@dataclass(frozen=True)
class LoginResult:
    code: str
    detail: str = ""

    @property
    def ok(self):
        return self.code == OK

    @property
    def reason(self):
        text = REASONS.get(self.code, self.code)
        return f"{text}: {self.detail}" if self.detail else text


def esxi_boot_sector():
    """A protective MBR as an ESXi install leaves it (GPT disk: type 0xEE, 55 AA signature)."""
    sector = bytearray(SECTOR)
    sector[446 + 4] = 0xEE
    sector[510:512] = b"\x55\xaa"
    return bytes(sector)


def is_bootable(sector):
    return len(sector) >= SECTOR and sector[510:512] == b"\x55\xaa"


def portal_key(portal):
    host, _, port = str(portal).rpartition(":")
    return f"{host.strip('[]')}:{int(port or 3260)}" if host else f"{portal}:3260"
