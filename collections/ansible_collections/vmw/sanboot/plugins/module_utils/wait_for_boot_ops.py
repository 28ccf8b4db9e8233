# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What wait_for_boot does: poll until the host booted from its iSCSI LUN, on the evidence the
BMC gives (through the dialect's boot watch), then, with `host_address`, on the evidence of the
network; on failure, say why, with the timeline seen and the BMC's log since the reset.

The result always says how strong its evidence was: `bmc+network` (the BMC's evidence and the
host answering on its address), `bmc` (the BMC's evidence alone), and its `outcome`. Where the
BMC's evidence proves only POST done (a watch with `proves_boot` False: Supermicro), the host is
`booted` only with the network proof (`post+network`); without a host address the result is
`outcome: unverified` (`booted: false`, `verified: false`, with the evidence it had and why), not a
failure. A host address that does not answer is a failure, never `booted`."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import dialects, first_boot, network_proof, resources, validation, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.errors import SanbootError


def prepare(module):
    target = module.params.get("iscsi_target") or {}
    if target.get("name"):
        target["name"] = validation.iscsi_name(target["name"], "iscsi_target.name")
    # a marker may carry a dialect's reset count after its time (Lenovo: "<time>;reboots=<n>")
    if module.params.get("since") and waiter.parse_time(str(module.params["since"]).split(";", maxsplit=1)[0]) is None:
        raise SanbootError("since: %r is not an ISO 8601 time" % module.params["since"], field="since")
    if module.params.get("host_address"):
        validation.integer_in(module.params.get("host_port", 443), 1, 65535, "host_port")
    return None


def run(module, client, _prepared):
    params = module.params
    dialect = dialects.choose(client, params["dialect"])
    uri = resources.system_uri(client, params.get("system_id"))
    watch = dialect.boot_watch(client, uri, params.get("since"), params["state"])
    base = dict(dialect.describe(), changed=False, system=uri)
    if module.check_mode:
        done = watch.booted_now()
        booted = done and watch.proves_boot
        result = dict(base, timeline=watch.timeline, booted=booted, evidence=watch.evidence if done else None,
                      verified=booted, outcome="booted" if booted else ("unverified" if done else "not_booted"))
        if watch.failure:
            result["msg"] = "check mode: the host would fail: %s" % watch.failure
        return result
    clock = waiter.clock(params["wait_timeout"], params["poll_interval"])
    elapsed = 0.0
    for elapsed in clock:
        verdict = watch.poll(elapsed)
        if verdict.failure:
            _fail(watch, base, verdict.failure)
        if verdict.done:
            break
    else:
        _fail(watch, base, "the host did not reach %s within %s s (last state: %s)"
              % (params["state"], params["wait_timeout"], watch.last_state()))
    result = dict(base, booted=True, verified=True, outcome="booted", evidence=watch.evidence, timeline=watch.timeline,
                  **watch.result())
    if params.get("iscsi_target"):
        result["boot_option"] = _option_evidence(client, dialect, watch, base, params)
    if params.get("host_address"):
        result["network"] = _network_evidence(watch, base, params, params["wait_timeout"] - elapsed)
        result["evidence"] = watch.evidence + "+network"
    elif not watch.proves_boot:
        result.update(booted=False, verified=False, outcome="unverified", why=_unverified_why(result))
    return result


def _unverified_why(result):
    """What the BMC showed, and why it does not prove the boot."""
    seen = ["POST done (BootProgress %s) after the reset" % result.get("state")]
    if result.get("boot_option"):
        seen.append("the iSCSI option %s first in the boot order" % result["boot_option"]["reference"])
    seen.append("no boot failure in the BMC's log")
    return ("the BMC shows %s, but its BootProgress never goes past POST, so nothing proves the OS booted from the "
            "LUN; give host_address for the network proof" % ", ".join(seen))


def _option_evidence(client, dialect, watch, base, params):
    target = params["iscsi_target"]
    options = resources.boot_options(client, watch.system)
    ref = dialect.find_boot_option(options, target["name"], target.get("lun"))
    order = (watch.system.get("Boot") or {}).get("BootOrder") or []
    if ref is None:
        _fail(watch, base, "the host is running, but the firmware lists no boot option for %s LUN %s: "
              "it did not boot from that target" % (target["name"], target.get("lun")))
    if params.get("first_enabled"):
        return _isolated_option_evidence(dialect, watch, base, options, ref)
    first = dialect.first_boot_option(client, watch.system)   # Supermicro: FixedBootOrder's lead counts too
    if first != ref and ref != params.get("boot_option"):
        _fail(watch, base, "the host is running, but %s (the option of %s) is not first in the boot "
              "order (%s): it may have booted from something else" % (ref, target["name"], ", ".join(order)))
    behind = dialect.device_not_first(client, watch.system, ref)   # Lenovo: the port's entry inside its class
    if behind:
        _fail(watch, base, "the host is running, but %s: it may have booted from something else" % behind)
    option = options[ref]
    return {"reference": ref, "display_name": option.get("DisplayName"), "device_path": option.get("UefiDevicePath")}


def _isolated_option_evidence(dialect, watch, base, options, ref):
    """The proof of an isolated first boot (first_boot.py): the iSCSI option is the first enabled one of
    the order, every option ahead of it disabled, so the firmware could boot nothing before it."""
    if dialect.isolation_unsupported:
        _fail(watch, base, "first_enabled: the %s dialect cannot prove a boot this way: %s"
              % (dialect.name, dialect.isolation_unsupported), log=False)
    first, skipped = first_boot.first_enabled(watch.system, options)
    if first != ref:
        _fail(watch, base, "the host is running, but %s, not %s (the option of the target), is the first enabled option "
              "of the boot order: it may have booted from it" % (first or "no option", ref))
    option = options[ref]
    return {"reference": ref, "display_name": option.get("DisplayName"), "device_path": option.get("UefiDevicePath"),
            "through": "the first enabled option (%s disabled ahead of it)" % (", ".join(skipped) or "none")}


def _network_evidence(watch, base, params, remaining):
    address, port = params["host_address"], params.get("host_port") or 443
    answered, waited = network_proof.wait_until_answers(address, port, remaining, min(params["poll_interval"], 5))
    if not answered:
        _fail(watch, base, "unverified: the BMC reports the boot finished, but the host did not answer on %s:%s "
              "within %s s" % (address, port, waited), evidence=watch.evidence, log=False)
    return {"address": address, "port": port, "answered_after_s": waited}


def _fail(watch, base, reason, evidence="none", log=True):
    entries, cause = watch.log() if log else ([], None)
    message = reason + (": " + cause if cause else "")
    details = dict(base, timeline=watch.timeline, log_entries=entries, booted=False, evidence=evidence)
    details.pop("changed")
    raise SanbootError(message, **details)
