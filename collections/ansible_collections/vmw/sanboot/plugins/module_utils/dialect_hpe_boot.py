# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPE's boot order: HpeServerBootSettings (Bios Oem.Hpe.Links.Boot), whose settings object takes
`PersistentBootConfigOrder`, a list of StructuredBootStrings (`NIC.Slot.1.1.iSCSI`), applied at
the next reset. Its `BootSources` map each string to a BootOptionNumber (`002C`), which is the
DMTF BootOptionReference without its `Boot` prefix.

iLO refuses a boot-order change while the server is in POST (400 UnableToModifyDuringSystemPOST;
only PowerOff and FinishedPost accept one): the write waits for those states, bounded. A host
parked at InPostDiscoveryComplete (the boot menu with nothing bootable, a UEFI application) never
leaves POST by itself: that is said at once."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_watch import hpe_of
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import RedfishError, SanbootError

WRITABLE = ("FinishedPost", "PowerOff", None)   # None: no PostState reported, nothing to wait for
IN_POST = "UnableToModifyDuringSystemPOST"
POST_TIMEOUT, POST_INTERVAL = 900, 5
PARKED = "InPostDiscoveryComplete"
PARKED_AFTER = 60       # seconds after its discovery a host still in that state is taken as parked


class BootSettings:
    """The current boot settings, their settings object, and the reference <-> string map."""

    def __init__(self, client, bios):
        self.uri = resources.link(bios, "Oem", "Hpe", "Links", "Boot")
        self.body = resources.get_optional(client, self.uri) or {}
        self.settings_uri = resources.link(self.body.get("@Redfish.Settings") or {}, "SettingsObject")
        self.string_of, self.ref_of = {}, {}
        for source in self.body.get("BootSources") or []:
            ref, string = "Boot%s" % source.get("BootOptionNumber"), source.get("StructuredBootString")
            if source.get("BootOptionNumber") and string:
                self.string_of[ref], self.ref_of[string] = string, ref

    @property
    def order(self):
        return list(self.body.get("PersistentBootConfigOrder") or [])

    def staged_order(self, client):
        return list((resources.get_optional(client, self.settings_uri) or {}).get("PersistentBootConfigOrder") or [])

    def as_refs(self, strings, boot_order):
        """StructuredBootStrings -> references; options the list leaves out follow in their order."""
        refs = [self.ref_of[s] for s in strings if s in self.ref_of]
        return refs + [r for r in boot_order or [] if r not in refs]

    def as_strings(self, refs):
        missing = [r for r in refs if r not in self.string_of]
        listed = [self.string_of[r] for r in refs if r in self.string_of]
        if refs and refs[0] in missing:
            raise SanbootError("boot option %s has no StructuredBootString in the HPE boot settings (%s)"
                               % (refs[0], self.uri))
        return listed + [s for s in self.order if s not in listed]


def pending_order(client, settings, system):
    """{"BootOrder": [...]} when the settings object holds an order that differs from the current one."""
    if not settings.settings_uri:
        return {}
    staged = settings.staged_order(client)
    if not staged or staged == settings.order:
        return {}
    return {"BootOrder": settings.as_refs(staged, (system.get("Boot") or {}).get("BootOrder"))}


def parked_since(hpe, clock, elapsed):
    """The discovery time of a host held at InPostDiscoveryComplete for over PARKED_AFTER s, else None.
    `clock()` gives the iLO's DateTime, read once; `elapsed` is the time since then."""
    stamp = hpe.get("PostDiscoveryCompleteTimeStamp")
    if hpe.get("PostState") != PARKED or not stamp or clock is None:
        return None
    now, then = waiter.parse_time(clock()), waiter.parse_time(stamp)
    if now is None or then is None:
        return None
    return stamp if (now - then).total_seconds() + elapsed > PARKED_AFTER else None


def patch_outside_post(client, system_uri, system, uri, body, timeout=POST_TIMEOUT, interval=POST_INTERVAL, clock=None):
    """PATCH once the server is out of POST (PowerOff or FinishedPost), again after a refusal that
    says it is in POST; a clear error when it never leaves POST within `timeout`, at once when it is
    parked at InPostDiscoveryComplete (`clock`: the iLO's DateTime)."""
    hpe = hpe_of(system)
    for elapsed in waiter.clock(timeout, interval):
        if elapsed:
            hpe = hpe_of(client.get(system_uri).body)
        state = hpe.get("PostState")
        parked = parked_since(hpe, clock, elapsed)
        if parked:
            raise SanbootError("the host is held in POST since %s (PostState %s: a boot menu with nothing bootable, or "
                               "a UEFI application) and will not leave it by itself; iLO refuses boot-order changes "
                               "until FinishedPost or PowerOff: power it off (vmw.sanboot.power reset_type ForceOff) "
                               "and run again" % (parked, PARKED))
        if state not in WRITABLE:
            continue
        try:
            return client.patch(uri, body)
        except RedfishError as exc:
            if exc.status != 400 or not any(IN_POST in m for m in exc.extended):
                raise
            state = "InPost"
    raise SanbootError("the boot order cannot be changed while the server is in POST, and it did not leave POST "
                       "(PostState %s) within %s s; iLO accepts a change only in PowerOff or FinishedPost" % (state, timeout))
