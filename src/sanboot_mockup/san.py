"""The SAN the simulated hosts boot from, behind one interface.

`ModelSan` decides a login by comparing values with the fleet file, in the order a real target
checks them (portal, target and ACL, CHAP, mutual CHAP, LUN), and keeps each LUN's first sector,
so the boot firmware tells blank from installed by reading it exactly as it would over iSCSI.
"""
import json
from pathlib import Path

from .san_base import (AUTH_FAILURE, LUN_NOT_SUPPORTED, MUTUAL_AUTH_FAILURE, OK, PORTAL_UNREACHABLE,  # noqa: F401
                       REASONS, SECTOR, TARGET_NOT_FOUND, LoginRequest, LoginResult, esxi_boot_sector, is_bootable,
                       portal_key)


class ModelSan:
    """In-process SAN: targets, LUNs, CHAP accounts and ACLs from the fleet file."""

    backend = "model"

    def __init__(self, san, state_dir):
        self.portals = {portal_key(p) for p in san.portals}
        self.targets = {t.iqn: t for t in san.targets}
        self.down = set()  # target IQNs, or "*" for the whole SAN
        self._file = Path(state_dir) / "san.json"
        self._contents = self._load()

    def _load(self):
        contents = {f"{t.iqn}/{lun.id}": lun.content for t in self.targets.values() for lun in t.luns}
        if self._file.exists():
            contents.update(json.loads(self._file.read_text()))
        return contents

    def _save(self):
        self._file.write_text(json.dumps(self._contents, indent=1, sort_keys=True))

    async def start(self):
        return None

    async def stop(self):
        return None

    def set_down(self, target=None, down=True):
        key = target or "*"
        (self.down.add if down else self.down.discard)(key)

    def lun_states(self):
        return dict(self._contents)

    async def login(self, request):
        portal = portal_key(request.portal)
        target = self.targets.get(request.target)
        if portal not in self.portals or "*" in self.down or (target and target.iqn in self.down):
            return LoginResult(PORTAL_UNREACHABLE, f"no iSCSI portal answers at {request.portal}")
        if target is not None and portal_key(target.portal) != portal:
            target = None  # a target is only reachable through its own portal
        if target is None or not ("ALL" in target.acl or request.initiator in target.acl):
            return LoginResult(TARGET_NOT_FOUND, f"{request.target} is not offered to {request.initiator}")
        if target.chap:
            if request.auth not in ("CHAP", "MutualCHAP") or (request.chap_user, request.chap_secret) != target.chap:
                return LoginResult(AUTH_FAILURE, f"CHAP login as {request.chap_user!r} rejected by target")
        if request.auth == "MutualCHAP":
            if target.chap and not target.mutual_chap:
                # The target has no account to answer the initiator's challenge with: it fails the login
                # itself (tgt: Authentication failure, 0x0201).
                return LoginResult(AUTH_FAILURE, f"{target.iqn} has no account to answer a mutual CHAP challenge")
            if not target.mutual_chap or (request.mutual_user, request.mutual_secret) != target.mutual_chap:
                return LoginResult(MUTUAL_AUTH_FAILURE, "invalid CHAP_R response from the target")
        if not any(lun.id == request.lun for lun in target.luns):
            return LoginResult(LUN_NOT_SUPPORTED, f"LUN {request.lun} does not exist on {target.iqn}")
        return LoginResult(OK)

    async def read_boot_sector(self, request):
        content = self._contents.get(f"{request.target}/{request.lun}", "blank")
        return esxi_boot_sector() if content == "esxi" else bytes(SECTOR)

    async def install_esxi(self, request):
        self._contents[f"{request.target}/{request.lun}"] = "esxi"
        self._save()


def make_san(san, state_dir):
    if san.backend == "tgt":
        from .san_tgt import TgtSan  # only the tgt backend needs tgtd and libiscsi on the machine
        return TgtSan(san, state_dir)
    return ModelSan(san, state_dir)
