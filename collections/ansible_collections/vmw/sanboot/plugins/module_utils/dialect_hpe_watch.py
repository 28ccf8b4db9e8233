# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching an HPE boot. iLO has no LastResetTime; a reset counts once the system's
Oem.Hpe.PostDiscoveryCompleteTimeStamp is after `since` (the iLO's clock read before the reset).
Then BootProgress.LastState where it says something (iLO 6 1.63+ with a recent ROM), else
PostState `FinishedPost` (iLO 5, older iLO 6).

HPE judges settings only at the reset: once that reset's discovery completed, a refusal in the
iSCSI (or BIOS) resource's @Redfish.Settings.Messages fails the host with the BMC's words (a
bad value must not pass for a slow boot), connected attempts none of which has a
StructuredBootString failed their login (the IML's words follow), and so did an iSCSI boot of the
NIC's own firmware (iLO 6 DCi) for which the IML has a failed-login entry since `since`. Without
`since` (a run that changed nothing) only the current attempts are judged, with reads only: old
refusals and IML entries may be from any earlier boot."""

from __future__ import annotations

from ansible_collections.vmw.sanboot.plugins.module_utils import resources, waiter
from ansible_collections.vmw.sanboot.plugins.module_utils.boot_watch import BootWatch, Verdict, failed_login_entries, iscsi_cause
from ansible_collections.vmw.sanboot.plugins.module_utils.dialect_hpe_iscsi import boots


def hpe_of(system):
    return (system.get("Oem") or {}).get("Hpe") or {}


def progress_state(system):
    """BootProgress.LastState when it says something (iLO 6 before 1.63, or an older ROM, leaves it
    missing, null or "None" while PostState is right), else None."""
    state = waiter.progress(system).get("LastState")
    return None if state in (None, "None") else state


def refusals(body, since):
    """The words of each non-Success message of a current resource's @Redfish.Settings, applied after `since`."""
    settings = (body or {}).get("@Redfish.Settings") or {}
    if since and not waiter.is_after(settings.get("Time"), since):
        return []
    words = []
    for message in settings.get("Messages") or []:
        message_id = str(message.get("MessageId") or "")
        if not message_id or message_id.endswith(".Success"):
            continue
        args, related = message.get("MessageArgs") or [], ", ".join(message.get("RelatedProperties") or [])
        secret = any("secret" in str(text).lower() for text in list(args) + [related])
        # A refused secret's value may be among the args (and in the message text): neither is shown.
        text = message_id if secret else message.get("Message") or message_id
        details = "hidden" if secret else ", ".join(str(a) for a in args)
        words.append("%s%s%s" % (text, " (%s)" % details if details else "", " at %s" % related if related else ""))
    return words


def failed_logins(iscsi, attributes):
    """Connected attempts of NICs that boot through the initiator, when none of them has a
    StructuredBootString (logged in): one that did is enough to boot, whatever a stale attempt or a
    path that is down says."""
    tried = [s for s in (iscsi or {}).get("iSCSISources") or []
             if (s.get("iSCSIAttemptInstance") or 0) > 0 and boots(attributes, s, s.get("iSCSINicSource"))]
    if any(s.get("StructuredBootString") for s in tried):
        return []
    return ["attempt %s (%s, target %s)" % (s.get("iSCSIAttemptInstance"), s.get("iSCSINicSource"), s.get("iSCSITargetName"))
            for s in tried]


class HpeWatch(BootWatch):

    def __init__(self, dialect, client, uri, since, wanted):
        super().__init__(client, uri, since, wanted)
        self.dialect = dialect
        self.verdict = None         # what the settings and attempts say once discovery is over (read once)
        self.refused = False

    def poll(self, elapsed):
        self.system = self.client.get(self.uri).body
        discovered = hpe_of(self.system).get("PostDiscoveryCompleteTimeStamp")
        self._see(self.last_state(), discovered, elapsed)
        if not waiter.is_after(discovered, self.since):
            return Verdict()
        if self.verdict is None:
            self.verdict = self._judge_settings()
        if self.verdict.failure:
            return self.verdict
        if not waiter.power_is(self.system, "On"):
            return Verdict()
        state = progress_state(self.system)
        if state is not None:
            return Verdict(done=waiter.reached({"BootProgress": {"LastState": state}}, self.wanted))
        return Verdict(done=hpe_of(self.system).get("PostState") == "FinishedPost")

    def _judge_settings(self):
        bios_uri, iscsi_uri = self.dialect.bios_uri(self.client), self.dialect.iscsi_uri(self.client)
        bios = resources.get_optional(self.client, bios_uri) or {}
        iscsi = resources.get_optional(self.client, iscsi_uri) or {}
        # Without `since` the messages may be from any earlier reset: not judged.
        words = refusals(iscsi, self.since) + refusals(bios, self.since) if self.since else []
        if words:
            self.refused = True
            return Verdict(failure="the BMC refused settings at the reset: %s" % "; ".join(words))
        failed = failed_logins(iscsi, bios.get("Attributes"))
        if failed:
            return Verdict(failure="iSCSI %s did not log in: its StructuredBootString is still null after the "
                                   "reset's device discovery" % "; ".join(failed))
        # A NIC-firmware (DCi) iSCSI boot has no attempt to look at: its failed login shows only in the IML
        # (without `since` the IML holds every earlier boot's entries: not judged).
        if self.since and failed_login_entries(resources.service_entries(self.client, [self.iml_entries_uri()], self.since)):
            return Verdict(failure="the IML reports a failed iSCSI login during the reset's device discovery")
        return Verdict()

    def booted_now(self):
        """Check mode: one read; a failure is kept in `failure` (not booted)."""
        verdict = self.poll(0)
        self.failure = verdict.failure
        return verdict.done and not verdict.failure

    def last_state(self):
        if progress_state(self.system) is not None:
            return waiter.boot_state(self.system)
        return hpe_of(self.system).get("PostState")

    def result(self):
        return {"state": self.last_state(), "state_time": hpe_of(self.system).get("PostDiscoveryCompleteTimeStamp"),
                "last_boot_seconds": waiter.progress(self.system).get("LastBootTimeSeconds")}

    def iml_entries_uri(self):
        for uri in resources.members_optional(self.client, resources.link(self.system, "LogServices")):
            if uri.rstrip("/").lower().endswith("/iml"):
                return resources.link(resources.get_optional(self.client, uri) or {}, "Entries")
        return None

    def log(self):
        """IML entries since `since`; the cause: the newest naming iSCSI, else the usual diagnosis.
        A refusal already carries the BMC's words."""
        entries = resources.service_entries(self.client, [self.iml_entries_uri()], self.since)
        if self.refused:
            return entries, None
        return entries, iscsi_cause(entries)
