"""The UEFI iSCSI software initiator (`HpeiSCSISoftwareInitiator`, `bios/oem/hpe/iscsi/`): four
attempt slots PATCHed positionally on `iscsi/settings/`, validated and applied at the next reset,
secrets read back "", StructuredBootString/UEFIDevicePath filled only after an attempt logged in."""
import copy

from ..errors import RedfishError
from ..http import check_if_match, read_object, reply, require
from . import hpe_settings
from .hpe_iscsi_rules import DEFAULT_ATTEMPT, SECRETS, check_attempt, check_initiator_name
from .hpe_names import ISCSI, ISCSI_SETTINGS, ROM_FAMILY, nic_boot, ports

SLOTS = 4  # "You can only have 4 attempts" (vendors.md 2.1)
ISCSI_TYPE = "#HpeiSCSISoftwareInitiator.v2_0_0.HpeiSCSISoftwareInitiator"
READ_ONLY = ("StructuredBootString", "UEFIDevicePath")  # shown by a GET; a round-tripped body may carry them
TOP_LEVEL_IGNORED = ("iSCSINicSources", "Id", "Name", "Oem")


def initial(cfg):
    return {"iSCSIInitiatorName": f"iqn.2015-02.com.hpe:uefi-{ROM_FAMILY}-{cfg.serial}",
            "iSCSISources": [dict(DEFAULT_ATTEMPT) for _ in range(SLOTS)]}


def nic_sources(cfg):
    # Every port's BIOS name, disabled ones too (capture).
    return [nic_boot(k, j) for k, j, _n, _p in ports(cfg)]


def _attempt(values, logged=None):
    shown = {"StructuredBootString": (logged or {}).get("StructuredBootString"),
             "UEFIDevicePath": (logged or {}).get("UEFIDevicePath")}
    shown.update({k: ("" if k in SECRETS else v) for k, v in values.items()})  # secrets read back "" (capture)
    return shown


def render_settings(bmc, pending=True):
    hpe = bmc.state["hpe"]
    staged = hpe["iscsi_pending"] if pending else None
    body = {"@odata.id": f"{ISCSI_SETTINGS}/", "@odata.type": ISCSI_TYPE, "Id": "settings",
            "Name": "iSCSI Software Initiator Pending Settings",
            "iSCSIInitiatorName": (staged or hpe["iscsi"])["iSCSIInitiatorName"], "iSCSINicSources": nic_sources(bmc.cfg)}
    # All four slots, as they will be after the next reset: the current ones when nothing is pending (capture).
    body["iSCSISources"] = [_attempt(a) for a in (staged or hpe["iscsi"])["iSCSISources"]]
    return body


def render_iscsi(bmc):
    hpe = bmc.state["hpe"]
    logged = hpe["iscsi_logged"]
    return {"@odata.id": f"{ISCSI}/", "@odata.type": ISCSI_TYPE, "Id": "iscsi",
            "Name": "iSCSI Software Initiator Current Settings",
            "@Redfish.Settings": hpe_settings.annotation(bmc, "iscsi", ISCSI_SETTINGS),
            "Oem": hpe_settings.oem({"BaseConfigs": f"{ISCSI}/baseconfigs"}, render_settings(bmc, pending=False)),
            "iSCSIInitiatorName": hpe["iscsi"]["iSCSIInitiatorName"], "iSCSINicSources": nic_sources(bmc.cfg),
            "iSCSISources": [_attempt(a, logged.get(str(i))) for i, a in enumerate(hpe["iscsi"]["iSCSISources"])]}


async def get_iscsi(request, bmc):
    return reply(render_iscsi(bmc), request=request)


async def get_settings(request, bmc):
    return reply(render_settings(bmc), request=request)


async def get_baseconfigs(request, bmc):
    default = {**initial(bmc.cfg), "iSCSINicSources": nic_sources(bmc.cfg)}
    return reply({"@odata.id": f"{ISCSI}/baseconfigs/", "@odata.type": "#HpeBaseConfigs.v2_0_0.HpeBaseConfigs",
                  "Id": "baseconfigs", "Name": "iSCSI Software Initiator Default Settings",
                  "BaseConfigs": [{"default": default}]}, request=request)


def _sources_of(body):
    sources = body["iSCSISources"]
    if not isinstance(sources, list) or len(sources) != SLOTS or not all(isinstance(s, dict) for s in sources):
        # Not the resource's shape at all: refused at once, unlike any value (doc).
        raise RedfishError.of(400, "PropertyValueFormatError", hpe_settings.shown(sources), "iSCSISources",
                              related=["#/iSCSISources"])
    return sources


async def patch_settings(request, bmc):
    """Positional: `{}` keeps a slot as it is (pending or current); an object is merged onto it."""
    require(request, "ConfigureComponents")
    body = await read_object(request)
    check_if_match(request, render_settings(bmc))
    hpe = bmc.state["hpe"]
    sources = _sources_of(body) if "iSCSISources" in body else [{}] * SLOTS
    staged = copy.deepcopy(hpe["iscsi_pending"] or {**hpe["iscsi"], "unknown": {}})
    for slot, change in zip(staged["iSCSISources"], sources):
        slot.update({k: v for k, v in change.items() if k not in READ_ONLY and "@" not in k})
    if "iSCSIInitiatorName" in body:
        staged["iSCSIInitiatorName"] = body["iSCSIInitiatorName"]
    staged["unknown"].update({k: v for k, v in body.items() if k not in ("iSCSISources", "iSCSIInitiatorName")
                              and k not in TOP_LEVEL_IGNORED and "@" not in k})
    hpe["iscsi_pending"] = staged
    bmc.save()
    return hpe_settings.reset_required()


def _internal_errors(changed):
    # The task_fail fault: the ROM could not apply anything of this resource (mockup choice).
    return [{"MessageId": "Base.1.0.InternalError", "RelatedProperties": [pointer]} for pointer in changed]


def apply(bmc, failed=False):
    """At reset: validate the pending attempts, apply those without a refusal, record the messages."""
    hpe = bmc.state["hpe"]
    staged = hpe["iscsi_pending"]
    if not staged:
        return
    current = hpe["iscsi"]
    changed = [i for i, (old, new) in enumerate(zip(current["iSCSISources"], staged["iSCSISources"])) if old != new]
    renamed = staged["iSCSIInitiatorName"] != current["iSCSIInitiatorName"]
    hpe["iscsi_pending"] = None
    if failed:
        pointers = (["#/iSCSIInitiatorName"] if renamed else []) + [f"#/iSCSISources/{i}" for i in changed]
        hpe_settings.record(bmc, "iscsi", _internal_errors(pointers or ["#/iSCSISources"]))
        return
    refusals = [hpe_settings.refusal("PropertyUnknown", k, f"#/{k}") for k in staged["unknown"]]
    if renamed:
        problems = check_initiator_name(staged["iSCSIInitiatorName"])
        refusals += problems
        if not problems:
            current["iSCSIInitiatorName"] = staged["iSCSIInitiatorName"]
    result = list(current["iSCSISources"])
    accepted = []
    for i in changed:
        problems = check_attempt(i, staged["iSCSISources"][i], nic_sources(bmc.cfg))
        refusals += problems  # one refused property leaves the whole attempt as it was
        if not problems:
            result[i] = staged["iSCSISources"][i]
            accepted.append(i)
    refusals += _keep_instances_unique(current["iSCSISources"], result, accepted)
    current["iSCSISources"] = result
    hpe_settings.record(bmc, "iscsi", refusals)


def _keep_instances_unique(old, result, accepted):
    """Used slots need unique instances 1-4: unchanged slots keep theirs, then the changed slots in
    order; one that takes an instance already held keeps its old attempt."""
    held = {result[i]["iSCSIAttemptInstance"] for i in range(SLOTS) if i not in accepted}
    refusals = []
    for i in accepted:
        instance = result[i]["iSCSIAttemptInstance"]
        if instance and instance in held:
            refusals.append(hpe_settings.refusal("PropertyValueNotInList", "iSCSIAttemptInstance",
                                                 f"#/iSCSISources/{i}/iSCSIAttemptInstance", instance))
            result[i] = old[i]
            instance = old[i]["iSCSIAttemptInstance"]
        held.add(instance)
    return refusals


def routes():
    return [(ISCSI, {"GET": get_iscsi}), (ISCSI_SETTINGS, {"GET": get_settings, "PATCH": patch_settings}),
            (f"{ISCSI}/baseconfigs", {"GET": get_baseconfigs})]
