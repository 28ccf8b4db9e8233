"""`idrac9` and `idrac10`: Dell's tree (FQDD ids, System.Embedded.1, iDRAC.Embedded.1), its jobs,
BIOS software initiator, Lifecycle log and protocol habits. docs/personalities.md is the contract."""
from ..errors import RedfishError
from ..resources import Ids, accounts, sessions, tasks
from . import dell_bios, dell_bios_registry, dell_jobs, dell_lclog, dell_manager, dell_network, dell_root, dell_system
from .base import Personality
from .dell_names import MANAGER, SYSTEM

_ACCOUNTS = "/redfish/v1/AccountService"


class Idrac9(Personality):
    name = "idrac9"
    expand = {"ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True, "MaxLevels": 1}   # capture 6.00.30
    ids = Ids(system=SYSTEM, chassis=SYSTEM, manager=MANAGER, media={"1": "CD"})

    def variant(self):
        return (dell_system.has_settings_object(self.cfg),)

    def routes(self):
        found = dell_root.routes(self.ids) + sessions.routes(self.ids) + accounts.routes(self.ids)
        found += dell_system.routes(self.cfg) + dell_bios.routes() + dell_network.routes(self.ids)
        found += dell_manager.routes(self.ids) + dell_lclog.routes() + dell_jobs.routes() + tasks.routes(self.ids)
        return found

    def initial_state(self, state):
        state["dell"] = {"jobs": {}, "job_seq": 0, "bios": dell_bios_registry.defaults(self.cfg), "bios_pending": {},
                         "boot_pending": None}
        return state

    # iDRAC sends ETags and honours If-Match only on the AccountService (Dell API guide; captures
    # carry no @odata.etag elsewhere), and refuses If-Match on any action POST with 412.
    def etag_in_body(self, path):
        return path.startswith(_ACCOUNTS)

    def checks_if_match(self, path):
        return path.startswith(_ACCOUNTS)

    def check_request(self, request, path):
        if request.method == "POST" and "/Actions/" in path and "If-Match" in request.headers:
            raise RedfishError.of(412, "PreconditionFailed")

    def at_power_on(self, bmc):
        dell_jobs.start_all(bmc)
        bmc.save()

    def in_post(self, bmc):
        for job_id, job in dell_jobs.running(bmc):
            ok = not bmc.faults.take("task_fail")
            if ok:
                self._apply(bmc, job["target"])
            else:
                self.discard_staged(bmc, job["target"])
            dell_jobs.finish(job, ok)
            bmc.log("OK" if ok else "Critical", f"Job {job_id} ({job['JobType']}) {job['JobState'].lower()}")
        bmc.save()

    def _apply(self, bmc, target):
        self._on_target(bmc, target, "apply")

    def discard_staged(self, bmc, target):
        self._on_target(bmc, target, "discard")

    @staticmethod
    def _on_target(bmc, target, action):
        """Apply or discard what a job's target staged (a function's settings, the BIOS, the boot order)."""
        kind, _, key = target.partition(":")
        if kind == "nic":
            getattr(dell_network, action)(bmc, key)
        elif kind in (dell_bios.TARGET, dell_system.TARGET):
            getattr(dell_bios if kind == dell_bios.TARGET else dell_system, action)(bmc)

    def jobs(self, bmc):
        return [dell_jobs.render(j, job) for j, job in bmc.state["dell"]["jobs"].items()]

    def next_boot_order(self, bmc):
        return dell_system.next_order(bmc)


class Idrac10(Idrac9):
    name = "idrac10"
