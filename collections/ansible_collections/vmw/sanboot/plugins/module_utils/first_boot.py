# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first boot after an iSCSI configuration, isolated: one reset instead of two.

The firmware lists the iSCSI boot option only in the boot after the settings, and adds it behind the
options it had (UNCONFIRMED on real firmware: edk2 appends new options to BootOrder). Before that
reset, configure disables every enabled option of the order (BootOptionEnabled false), so that the
boot can only come from a newly added option. wait_for_boot's `first_enabled` then proves the boot
came from the iSCSI option (the first enabled option of the order), and boot_order puts it first and
enables the others again (`enable_options`) without a reset. Where the dialect cannot do both
(DmtfDialect.isolation_blocker), the role keeps the second reset and says why."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError


def enabled_map(system, options):
    """{reference: BootOptionEnabled} of the options in the order (the before-state a rollback
    re-enables from); an option without the property counts as enabled."""
    order = (system.get("Boot") or {}).get("BootOrder") or []
    return {ref: options[ref].get("BootOptionEnabled") is not False for ref in order if ref in options}


def plan(dialect, system, options, wanted):
    """{"isolated": bool, "disabled": [refs to disable], "why_not": str or None} for a first boot that
    will list the iSCSI option (`wanted`: the role asks for isolation)."""
    if not wanted:
        return {"isolated": False, "disabled": [], "why_not": "isolate_first_boot is false"}
    why = dialect.isolation_blocker(options)
    if why:
        return {"isolated": False, "disabled": [], "why_not": why}
    refs = [ref for ref, enabled in enabled_map(system, options).items() if enabled]
    return {"isolated": True, "disabled": refs, "why_not": None}


def set_enabled(client, dialect, options, refs, enabled, done):
    """PATCH BootOptionEnabled of each option in `refs`; each one written is appended to `done` as
    it goes, so that a failure part way still says which ones changed."""
    for ref in refs:
        option = options[ref]
        uri = option.get("@odata.id")
        if not uri:
            raise SanbootError("boot option %s has no @odata.id to write BootOptionEnabled to" % ref)
        client.patch(uri, {"BootOptionEnabled": enabled}, etag=dialect.write_etag(option.get("@odata.etag")))
        done.append(ref)


def first_enabled(system, options):
    """(the first enabled option of BootOrder, [the disabled ones ahead of it]); options the BMC does
    not list are skipped, an option without BootOptionEnabled counts as enabled."""
    skipped = []
    for ref in (system.get("Boot") or {}).get("BootOrder") or []:
        if ref not in options:
            continue
        if options[ref].get("BootOptionEnabled") is False:
            skipped.append(ref)
            continue
        return ref, skipped
    return None, skipped
