"""The chaos rollout (issue 12): a generated fleet of mixed personalities, a seeded plan of faults from the
mockup's fault kinds (each kind on at least two hosts, some hosts with none), the rollout in serial batches, and
the fleet's invariants checked from the mockup's own records (boot history, stats, sessions, the request log) and
from what the controller wrote (output, summary, report, backups). Used by tests/e2e/test_chaos*.py and by
benchmarks/chaos_rollout.py.

The plan is printed (`describe`) with its seed; CHAOS_SEED=<seed> replays it."""
import collections
import os
import random
import re
import secrets
from dataclasses import dataclass, field

from support import ansible_run
from support.generated_fleet import FAST_TIMING, GeneratedLab

PERSONALITIES = ("dmtf", "idrac9", "idrac10", "ilo5", "ilo6", "xcc", "xcc2", "supermicro-x13")
# Resets a first rollout needs (collection docs/behaviour.md, "Resets per host"): one where the first boot
# can be isolated, two where the boot order applies only at a reset.
MINIMUM_RESETS = {"dmtf": 1}
CONNECTION = (r"(?i)closed connection|connection (reset|refused|aborted)|remotedisconnected|reset by peer|cannot reach"
              r"|max retries exceeded|read timed out")
# A failed iSCSI boot in the BMC's (or the SAN's) words, whatever the vendor; Supermicro's SEL names no login
# failure, so there the diagnosis is the option the firmware lists only after a login that succeeded.
LOGIN = (r"(?i)iscsi login|login operation|authentication|no bootable|iscsi boot failed|did not complete successfully"
         r"|only after a reset in which it logged in to the target")


@dataclass(frozen=True)
class FaultKind:
    """One kind of trouble the plan hands out. `fatal`: the host must fail; `may_fail`: it may fail, and then
    its diagnosis must match `cause`; otherwise it must boot from its LUN."""
    name: str
    mockup_kind: str | None          # None: not a mockup fault (a wrong secret in the inventory)
    params: dict = field(default_factory=dict)
    fatal: bool = False
    may_fail: bool = False
    cause: str | None = None
    personalities: tuple = PERSONALITIES


KINDS = (
    FaultKind("latency", "latency", {"ms": 120, "jitter_ms": 100}),
    FaultKind("http503", "http503", {"rate": 0.2, "retry_after": 1}, may_fail=True, cause=r"HTTP 503|ServiceTemporarilyUnavailable"),
    FaultKind("drop", "drop", {"rate": 0.05}, may_fail=True, cause=CONNECTION),
    # the session ends after the first accepted PATCH: the next write meets a 401
    FaultKind("session_expiry", "expire_sessions", {"after": {"method": "PATCH"}}),
    FaultKind("etag_race", "etag_race"),
    # the BMC reboots right after accepting the first PATCH (the configure step), or the reset (the wait)
    FaultKind("bmc_reboot_configure", "unavailable", {"seconds": 3, "after": {"method": "PATCH"}}, may_fail=True, cause=CONNECTION),
    FaultKind("bmc_reboot_wait", "unavailable", {"seconds": 3, "after": {"method": "POST", "path": "ComputerSystem.Reset"}},
              may_fail=True, cause=CONNECTION),
    # a settings job (Dell) or the ROM's apply at the reset (HPE iLO 5's BIOS path; iLO 6 here uses its NIC path, no job) fails
    FaultKind("job_fail", "task_fail", fatal=True, cause=r"(?i)job .* failed|refused settings", personalities=("idrac9", "idrac10", "ilo5")),
    FaultKind("boot_hang", "boot_hang", {"state": "MemoryInitializationStarted"}, fatal=True,
              cause=r"MemoryInitializationStarted|did not reach \S+ within \d+ s"),
    # the inventory's CHAP secret is not the target's: only where this role writes the iSCSI values
    FaultKind("wrong_chap", None, fatal=True, cause=LOGIN, personalities=tuple(p for p in PERSONALITIES if p != "supermicro-x13")),
    FaultKind("san_down", "san_down", fatal=True, cause=LOGIN),
)
BY_NAME = {kind.name: kind for kind in KINDS}


def seed_from_env():
    return int(os.environ.get("CHAOS_SEED") or random.SystemRandom().randrange(1, 10**6))


def batches(hosts, serial):
    return [hosts[i:i + serial] for i in range(0, len(hosts), serial)]


def make_plan(seed, hosts, personality_of, serial, per_kind=2, fatal_per_batch=3):
    """{host: FaultKind or None}: each kind on `per_kind` hosts it applies to, one kind per host, at most
    `fatal_per_batch` hosts of a batch failing for sure (so max_fail_percentage lets every batch run)."""
    rng = random.Random(seed)
    batch_of = {host: index for index, batch in enumerate(batches(hosts, serial)) for host in batch}
    plan, fatal_in = dict.fromkeys(hosts), collections.Counter()
    for kind in sorted(KINDS, key=lambda k: (not k.fatal, len(k.personalities))):   # the constrained first
        for _ in range(per_kind):
            free = [h for h in hosts if plan[h] is None and personality_of(h) in kind.personalities
                    and not (kind.fatal and fatal_in[batch_of[h]] >= fatal_per_batch)]
            if not free:
                raise ValueError(f"seed {seed}: no host left for {kind.name}; use a bigger fleet")
            host = rng.choice(free)
            plan[host] = kind
            fatal_in[batch_of[host]] += kind.fatal
    if all(plan.values()):
        raise ValueError("every host has a fault: the plan needs hosts with none; use a bigger fleet")
    return plan


def describe(seed, plan, personality_of):
    lines = [f"chaos plan, seed {seed} (replay: CHAOS_SEED={seed}):"]
    for host, kind in plan.items():
        lines.append(f"  {host} {personality_of(host):15} {kind.name if kind else '-'}")
    return "\n".join(lines)


class ChaosLab(GeneratedLab):
    """A generated mixed fleet at test speed; BMCs on 127.0.30.x and up, hosts on 127.0.34.x and up."""

    def __init__(self, folder, count, boot_timeout=20, session_timeout=None, nets=(30, 34), timing=None):
        super().__init__(folder, count, PERSONALITIES, dict(FAST_TIMING, **(timing or {})),
                         {"poll_interval": 0.2, "graceful_timeout": 1, "boot_timeout": boot_timeout}, nets,
                         session_timeout=session_timeout)
        self.runs = 0

    def apply(self, plan):
        """Inject the plan: mockup faults through the admin API, a wrong secret into the inventory."""
        values = dict(self._secrets, vault_sanboot_chap_secrets=dict(self._secrets["vault_sanboot_chap_secrets"]))
        for host, kind in plan.items():
            if kind is None:
                continue
            if kind.mockup_kind is None:
                wrong = secrets.token_hex(8)    # 16 characters, as valid as the real one
                values["vault_sanboot_chap_secrets"][host] = wrong
            else:
                params = dict(kind.params, **({"target": self.target(host)["iqn"]} if kind.mockup_kind == "san_down" else {}))
                self.bmc(host).fault(kind.mockup_kind, **params)
        self.write_secrets(values)

    def clear_faults(self):
        for host in self.hosts:
            self.bmc(host).clear_faults()

    def site_playbook(self, *names):
        """A playbook importing vmw.sanboot.<name> for each name: one run in which a host failing in the first does
        not stop the next (`ansible-playbook a.yml b.yml` skips b.yml once a host failed in a.yml)."""
        path = self.folder / f"site-{'-'.join(names)}.yml"
        path.write_text("---\n" + "".join(f"- name: vmw.sanboot.{name}\n  ansible.builtin.import_playbook: vmw.sanboot.{name}\n"
                                          for name in names))
        return str(path)

    def command(self, names, extra=()):
        self.runs += 1
        home = self.folder / f"ansible-{self.runs:02d}"
        command, env = ansible_run.playbook_command(
            names, self.inventory / "hosts.sanboot_fleet.yml", {"SANBOOT_LAB_STATE_DIR": str(self.mockup.state_dir)},
            home, extra)
        return command, env, home / "output.txt"

    def playbook(self, names, extra=()):
        command, env, output = self.command(names, extra)
        return ansible_run.run(command, env, output)

    def start_playbook(self, names, extra=()):
        command, env, output = self.command(names, extra)
        return ansible_run.start(command, env, output), output

    # -- what the BMCs say -----------------------------------------------------------------------------------
    def system(self, host):
        client = self.bmc(host)
        return client.json(client.system)

    def boot_state(self, host):
        """The order the next reset will use (the mockup's ground truth: a restore pending until a reset on Dell,
        HPE and Lenovo counts) and the options listed disabled, read over Redfish as a client would."""
        client = self.bmc(host)
        system = client.json(client.system)
        collection = (system["Boot"].get("BootOptions") or {}).get("@odata.id")
        options = [client.json(m["@odata.id"]) for m in client.json(collection)["Members"]] if collection else []
        disabled = [o.get("BootOptionReference") or o["Id"] for o in options if o.get("BootOptionEnabled") is False]
        return {"order": client.admin("boot-history")["next_boot_order"], "disabled": sorted(disabled)}

    def snapshot(self):
        """Per host, before a run: its boot state and its newest boot's id."""
        return {host: dict(self.boot_state(host), mark=self.bmc(host).boot_count()) for host in self.hosts}

    def minimum_resets(self, host):
        return MINIMUM_RESETS.get(self.personality(host), 2)


SUMMARY_LINE = re.compile(r'^\s*"msg": "(?P<host>esxi\d+)\s+(?P<status>\S+)\s+(?P<resets>-|\d+ resets?)\s+(?P<rest>.*)"$', re.MULTILINE)


def summary_lines(output):
    return {m["host"]: m for m in SUMMARY_LINE.finditer(output)}


def check_fleet(lab, plan, before, output, summary, texts):
    """The fleet invariants after one run of the rollout. `before`: lab.snapshot() taken before it; `summary`:
    the run's sanboot_summary_file (JSON); `texts`: {label: text} of everything the controller wrote (output,
    report, backups) and the mockup's request log. Returns (table, violations)."""
    violations, rows, resets_seen, sessions_left = [], {}, collections.Counter(), 0
    lines = summary_lines(output)
    tokens = set()
    for host in lab.hosts:
        tokens.update(lab.bmc(host).admin("sessions")["issued_tokens"])
    for host in lab.hosts:
        kind = plan.get(host)
        history = lab.bmc(host).admin("boot-history")
        boots = [b for b in history["boots"] if b["id"] > before[host]["mark"]]
        booted_from = history.get("booted_from") or {}
        target = lab.target(host)
        booted = (history["power"] == "On" and booted_from.get("target") == target["iqn"]
                  and booted_from.get("lun") == target["luns"][0]["id"] and history["boots"][-1]["outcome"] == "booted")
        said = (summary.get(host) or {})
        outcome = said.get("outcome")
        state = lab.boot_state(host)
        label = f"{host} ({lab.personality(host)}, fault {kind.name if kind else 'none'})"
        # A failed host is judged as failed even where the BMC shows it running from its LUN: a Supermicro host whose
        # option ROM booted it from its LUN before the run, a host whose boot went through but whose BMC could not be
        # read to verify it (503s): what counts is the diagnosis and the previous order back for its next reset.
        if outcome != "failed" and booted:
            rows[host] = "booted"
            if kind and kind.fatal:
                violations.append(f"{label}: booted although its fault must fail it")
            if outcome != "booted":
                violations.append(f"{label}: booted from its LUN by this run, but the summary says {outcome!r}")
            if state["disabled"]:
                violations.append(f"{label}: booted, but options are left disabled: {state['disabled']}")
        elif outcome == "failed":
            why = said.get("why") or ""
            # the cause, without the "<host> did not boot from <target> LUN <n>: " every diagnosis starts with
            cause = re.sub(r"^\S+ did not boot from \S+ LUN \d+: ", "", why)
            explained = kind is not None and (kind.fatal or kind.may_fail) and re.search(kind.cause, cause)
            rows[host] = "failed with diagnosis" if explained else "failed, diagnosis does not name the fault"
            if not explained:
                violations.append(f"{label}: failed, and its diagnosis does not name its fault: {why}")
            if not said.get("step"):
                violations.append(f"{label}: failed, but the summary does not say which step failed")
            # the previous order first; an option the firmware added during the run (its iSCSI option) may follow it
            if state["order"][:len(before[host]["order"])] != before[host]["order"]:
                violations.append(f"{label}: failed, and its previous boot order is not back: "
                                  f"{state['order']} (was {before[host]['order']})")
            if state["disabled"] != before[host]["disabled"]:
                violations.append(f"{label}: failed, and options are left disabled: {state['disabled']}")
            if not [o for o in state["order"] if o not in state["disabled"]]:
                violations.append(f"{label}: failed, and no enabled option is left in its order: {state}")
        else:
            rows[host] = "neither booted nor diagnosed"
            violations.append(f"{label}: not booted from its LUN, and not failed with a diagnosis (summary {said})")
        resets = len(boots)
        resets_seen[resets] += 1
        if resets > lab.minimum_resets(host):
            violations.append(f"{label}: {resets} resets, more than the {lab.minimum_resets(host)} its vendor needs")
        if said and said.get("resets") != resets:
            violations.append(f"{label}: the summary says {said.get('resets')} resets, the BMC saw {resets}")
        line = lines.get(host)
        if line is None:
            violations.append(f"{label}: no summary line")
        elif (line["status"] == "FAILED") != (outcome == "failed"):
            violations.append(f"{label}: summary line {line['status']!r}, summary JSON {outcome!r}")
        elif outcome == "failed" and "failed at " not in line["rest"]:
            violations.append(f"{label}: its summary line does not say which step failed")
        live = lab.bmc(host).stats()["sessions"]
        sessions_left += live
        if live:
            violations.append(f"{label}: {live} sessions left open")
    found = {}
    for where, text in texts.items():
        for secret in lab.secrets() | tokens:
            if secret and secret in text:
                found.setdefault(where, 0)
                found[where] += 1
    violations += [f"{n} secrets or session tokens found in {where}" for where, n in found.items()]
    table = fleet_table(lab, plan, rows, resets_seen, sessions_left, found)
    return table, violations


def fleet_table(lab, plan, rows, resets_seen, sessions_left, found):
    return {"hosts": len(lab.hosts), "faults": sum(1 for k in plan.values() if k),
            **collections.Counter(rows.values()),
            "resets per host": dict(sorted(resets_seen.items())),
            "sessions left": sessions_left,
            "secrets found": sum(found.values())}


def format_table(table):
    width = max(len(k) for k in table)
    return "\n".join(f"  {key:{width}}  {value}" for key, value in table.items())


def controller_texts(lab, run, extra_files=()):
    """Everything the controller wrote that could hold a secret, and the mockup's request log."""
    texts = {"playbook output": run.output}
    for path in [*sorted((lab.folder / "backups").rglob("*")), *extra_files]:
        if path.is_file():
            texts[str(path.relative_to(lab.folder))] = path.read_text(errors="replace")
    log = lab.mockup.state_dir / "requests.log"
    if log.exists():
        texts["mockup request log"] = log.read_text(errors="replace")
    return texts
