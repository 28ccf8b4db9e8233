# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first boot after an iSCSI configuration, isolated: one reset instead of two.

The firmware lists the iSCSI boot option only in the boot after the settings, and adds it behind the
options it had (UNCONFIRMED on real firmware: edk2 appends new options to BootOrder). Before that
reset, configure disables every enabled option of the order (BootOptionEnabled false), so that the
boot can only come from a newly added option. wait_for_boot's `first_enabled` then proves the boot
came from the iSCSI option (the first enabled option of the order), and boot_order puts it first and
enables the others again (`enable_options`) without a reset. Where the dialect cannot do both (its
`isolation_unsupported`), or the BMC's boot settings would defeat it (`plan`'s blockers), the role keeps
the second reset and says why.

A run killed after the isolation leaves its mark on the BMC: every option of the order but the iSCSI
ones disabled (`left_isolated`). The next run takes that as an isolation to finish (UNCONFIRMED as
intent: a host whose owner disabled every other option by hand looks the same, and gets them enabled
behind its iSCSI option)."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError


def enabled_map(system, options):
    """{reference: BootOptionEnabled} of the options in the order (the before-state a rollback
    re-enables from); an option without the property counts as enabled."""
    order = (system.get("Boot") or {}).get("BootOrder") or []
    return {ref: options[ref].get("BootOptionEnabled") is not False for ref in order if ref in options}


def left_isolated(dialect, system, options):
    """The options an interrupted run disabled for an isolated first boot, as the BMC shows them: every
    option of the order that is not an iSCSI one, when all of them are disabled (at least one); else []."""
    if dialect.isolation_unsupported:
        return []
    order = [ref for ref in (system.get("Boot") or {}).get("BootOrder") or [] if ref in options]
    others = [ref for ref in order if not waiter.option_matches(options[ref])]
    if others and all(options[ref].get("BootOptionEnabled") is False for ref in others):
        return others
    return []


def plan(dialect, system, options, wanted, reset_follows=True, carried=()):
    """{"isolated": bool, "disabled": [refs], "why_not": str or None} for a first boot that will list the
    iSCSI option (`wanted`: asked for; `reset_follows`: the pass ends with the reset, so the role's wait and
    the enabling after it follow too; `carried`: options an interrupted run disabled, already disabled)."""
    why = ("isolate_first_boot is false" if not wanted else
           "no reset follows in this pass (reboot: never): nothing would enable the options again" if not reset_follows else
           dialect.isolation_unsupported or _options_blocker(options) or _order_blocker(system, options, bool(carried)))
    if why:
        return {"isolated": False, "disabled": [], "why_not": why}
    refs = [ref for ref, enabled in enabled_map(system, options).items() if enabled]
    return {"isolated": True, "disabled": list(carried) + refs, "why_not": None}


def _options_blocker(options):
    """Why the options as read cannot carry the isolation, or None: none listed, one without BootOptionEnabled
    to disable it with, or an iSCSI option listed already (the firmware may reuse it for the new target,
    keeping it disabled, or boot another LUN through it: the two-reset way is then the safe one)."""
    if not options:
        return "the BMC lists no boot options"
    without = sorted(ref for ref, option in options.items() if "BootOptionEnabled" not in option)
    if without:
        return "boot options %s carry no BootOptionEnabled to disable them with" % ", ".join(without)
    iscsi = sorted(ref for ref, option in options.items() if waiter.option_matches(option))
    if iscsi:
        return "iSCSI boot option %s is listed already (the firmware may reuse it for the new target)" % ", ".join(iscsi)
    return None


def _order_blocker(system, options, resuming=False):
    """What in the system's boot settings would defeat or endanger the isolation, or None: an override or
    BootNext (firmware follows them even to a disabled option), an order entry the BMC does not serve
    (it cannot be disabled), or no enabled option at all (an interrupted run may have disabled them, and
    a failed boot would then leave nothing to boot: enable them first)."""
    boot = system.get("Boot") or {}
    override = boot.get("BootSourceOverrideEnabled")
    if override in ("Once", "Continuous") and boot.get("BootSourceOverrideTarget") not in (None, "None"):
        return ("a boot override is set (BootSourceOverrideTarget %s, %s): the first boot would follow it"
                % (boot.get("BootSourceOverrideTarget"), override))
    if boot.get("BootNext"):
        return "BootNext is set (%s): the first boot would follow it" % boot["BootNext"]
    order = boot.get("BootOrder") or []
    unlisted = [ref for ref in order if ref not in options]
    if unlisted:
        return "BootOrder names %s, which the BMC does not serve (it cannot be disabled)" % ", ".join(unlisted)
    if order and not resuming and not any(enabled_map(system, options).values()):
        return ("no option of the boot order is enabled (an interrupted run may have disabled them: enable them, "
                "e.g. with vmw.sanboot.boot_order enable_options from the backup's boot.enabled)")
    return None


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
    """(the first enabled option of BootOrder, [the disabled ones ahead of it]); an option the BMC does
    not serve, or one without BootOptionEnabled, counts as enabled (it may have booted)."""
    skipped = []
    for ref in (system.get("Boot") or {}).get("BootOrder") or []:
        if (options.get(ref) or {}).get("BootOptionEnabled") is False:
            skipped.append(ref)
            continue
        return ref, skipped
    return None, skipped
