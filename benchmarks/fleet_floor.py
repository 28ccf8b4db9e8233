"""The floor of a run: what no client can do without, for one DMTF host (personality dmtf).

Requests: the round trips in ROWS that the run needs, plus the polls of each boot, one poll per
poll interval of simulated boot time. Wall time: each boot's polls at the interval, plus every
round trip at the injected latency (the last poll of each boot included); the hosts of a batch
run side by side, batches one after the other. Forks are not in the floor: waiting hosts need
no controller. Where the BMC advertises $expand (ProtocolFeaturesSupported.ExpandQuery), the reads
of one group become one request (`collapsed` in GROUPS)."""
import math
from dataclasses import dataclass

# (request, why the job cannot do without it, runs that need it, $expand group); a group "each option"
# is one request per boot option listed before the rollout (the isolation of the first boot, issue 14)
# runs: r = rollout, n = second run with nothing to change, p = report
EACH_OPTION = "each option"
ROWS = [
    ("GET /redfish/v1", "service root: the Systems, Chassis and session links", "rnp", None),
    ("GET Systems", "the system's URI", "rnp", "system"),
    ("GET Systems/1", "power, BootOrder, BootProgress (is an OS running?), the Reset action, Links.Chassis", "rnp", "system"),
    ("GET Chassis/1", "its NetworkAdapters link", "rnp", "port"),
    ("GET NetworkAdapters", "the adapters' URIs", "rnp", "port"),
    ("GET NetworkAdapters/<nic>", "its NetworkDeviceFunctions link", "rnp", "port"),
    ("GET NetworkDeviceFunctions", "the functions' URIs", "rnp", "port"),
    ("GET NetworkDeviceFunctions/<port>", "the MAC matches; iSCSIBoot, BootMode, the SettingsObject link", "rnp", "port"),
    ("GET .../<port>/Settings", "what is already pending for the next reset", "rn", None),
    ("POST Sessions", "writes go through a session of our own (the collection's choice; Basic would save it)", "r", None),
    ("PATCH .../<port>/Settings", "the iSCSI values and BootMode iSCSI, applied OnReset", "r", None),
    ("PATCH BootOptions/<each> disable", "isolate the first boot: only the new iSCSI option can take it (one reset)", "r", EACH_OPTION),
    ("POST Reset (ForceRestart)", "the one boot: the firmware lists the iSCSI option; no OS runs, so no graceful wait", "r", None),
    ("  polls, boot 1", "GET Systems/1 every poll interval until OSRunning (the network proof is TCP, not Redfish)", "r", "poll"),
    ("GET BootOptions", "the options' URIs (rollout: after the boot, which created the iSCSI option)", "rnp", "options"),
    ("GET BootOptions/<option>", "the new (r) or first (n, p) option: its UefiDevicePath names target and LUN", "rnp", "options"),
    ("PATCH Systems/1 Boot.BootOrder", "the iSCSI option first, after the verified boot, no reset", "r", None),
    ("PATCH BootOptions/<each> enable", "the options the isolation disabled, enabled again", "r", EACH_OPTION),
    ("GET Systems/1 (read back)", "the order as the BMC now has it", "r", None),
    ("GET BootOptions (read back)", "the options enabled again, as the BMC now has them", "r", "readback"),
    ("DELETE Sessions/<id>", "no session left behind", "r", None),
]
# requests each $expand group costs when the BMC advertises $expand (Systems?$expand=.($levels=1);
# Chassis/1 then NetworkAdapters?$expand=.($levels=3); BootOptions?$expand=.($levels=1))
GROUPS = {"system": 1, "port": 2, "options": 1, "readback": 1}
RUNS = {"rollout": "r", "no-change": "n", "report": "p"}
POST_STATES = 6


@dataclass
class Floor:
    requests: int
    round_trips: int
    polls: int
    boots: int
    seconds: float
    how: str


def boot_seconds(timing, options_before):
    """Simulated seconds of the rollout's one boot: POST, the iSCSI login, the OS; the options listed
    before the new iSCSI option are disabled, so the boot manager skips them at once."""
    return [POST_STATES * timing["post_state"] + timing["iscsi_login"] + timing["os_boot"]]


def round_trips(run, expand, options_before=0):
    """Non-poll requests of one host in `run` (rollout, no-change, report)."""
    rows = [row for row in ROWS if RUNS[run] in row[2] and row[3] != "poll"]
    each = sum(options_before for row in rows if row[3] == EACH_OPTION)
    rows = [row for row in rows if row[3] != EACH_OPTION]
    if not expand:
        return each + len(rows)
    singles = sum(1 for row in rows if row[3] not in GROUPS)
    return each + singles + sum(GROUPS[g] for g in {row[3] for row in rows} if g in GROUPS)


def batches(hosts, serial):
    """Batches of the play for sanboot_serial (a count or a percentage)."""
    text = str(serial).strip()
    size = math.ceil(hosts * float(text[:-1]) / 100) if text.endswith("%") else int(text)
    return math.ceil(hosts / max(1, min(size, hosts)))


def floor(run, options, timing, options_before, expand):
    trips = round_trips(run, expand, options_before)
    boots = boot_seconds(timing, options_before) if run == "rollout" else []
    polls = [math.ceil(b / options.poll_interval) for b in boots]
    latency = options.latency_ms / 1000
    per_batch = sum(p * options.poll_interval for p in polls) + (trips + len(boots)) * latency
    n = batches(options.hosts, options.serial)
    how = (f"{n} batch(es) x ({' + '.join(f'{p} polls x {options.poll_interval:g} s' for p in polls) or '0 boots'}"
           f" + ({trips} round trips + {len(boots)} last polls) x {options.latency_ms:g} ms)")
    return Floor(trips + sum(polls), trips, sum(polls), len(boots), n * per_batch, how)


def table(expand):
    """The floor's rows as printed once per benchmark."""
    lines = [f"{'request (one DMTF host)':34} {'r n p':5}  why",
             *(f"{name:34} {' '.join(c if c in runs else '.' for c in 'rnp'):5}  {why}" for name, why, runs, _ in ROWS)]
    lines.append("r = rollout, n = no-change run, p = report; "
                 + ("$expand advertised: each group of reads counted as " + str(GROUPS) if expand else
                    "the BMC advertises no $expand, so every read is its own request"))
    return lines
