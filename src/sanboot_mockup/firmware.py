"""The host's boot firmware: POST, iSCSI enumeration, boot manager, OS boot and installer.

Every reset runs `_boot` as an asyncio task: BootProgress walks the POST states, each port in
iSCSI mode logs in to the SAN (writing the iBFT and the UEFI boot option on success), then the
boot manager tries BootNext, an active override, then BootOrder, logging why each option failed.
"""
import asyncio
import base64
import re
import time

from . import ibft
from .clock import now_iso
from .model import POST_STATES
from .san_base import LoginRequest, is_bootable

INSTALLER = re.compile(r"(vmvisor|esxi).*\.iso$", re.IGNORECASE)
_OVERRIDE_KIND = {"Cd": "cd", "Pxe": "pxe", "Hdd": "hdd", "RemoteDrive": "iscsi"}
# Outcomes that end the boot manager's walk: something started and never hands back.
_FINAL_OUTCOMES = ("booted", "installed", "install_failed")


def lun_hex(lun):
    # edk2 prints the LUN's 8 SAM bytes with %02x: lower case.
    return ibft._lun_bytes(lun).hex()


def iscsi_device_path(base_path, boot):
    """The UEFI device path edk2 prints for an iSCSI boot option (DevPathToText: MAC, Vlan when
    tagged, IPv4(remote,protocol,origin,local,gateway,mask), iSCSI(name,tpgt,lun,...))."""
    auth = {"CHAP": "CHAP_UNI", "MutualCHAP": "CHAP_BI"}.get(boot.get("AuthenticationMethod"), "None")
    prefix = base_path.split("/MAC(")[0]
    mac = base_path.split("/MAC(")[1].split(")")[0]
    vlan = f"/Vlan({boot.get('PrimaryVLANId')})" if boot.get("PrimaryVLANEnable") else ""
    dhcp = boot.get("IPMaskDNSViaDHCP")
    # With DHCP edk2 leaves local address, gateway and mask zero (no lease is simulated).
    local, gateway, mask = ((None, None, None) if dhcp else (boot.get("InitiatorIPAddress"),
                            boot.get("InitiatorDefaultGateway"), boot.get("InitiatorNetmask")))
    ipv4 = (f"IPv4({boot.get('PrimaryTargetIPAddress')},TCP,{'DHCP' if dhcp else 'Static'},"
            f"{local or '0.0.0.0'},{gateway or '0.0.0.0'},{mask or '0.0.0.0'})")
    return (f"{prefix}/MAC({mac}){vlan}/{ipv4}/iSCSI({boot.get('PrimaryTargetName')},0x1,"
            f"0x{lun_hex(boot.get('PrimaryLUN') or 0)},None,None,{auth},TCP)")


def login_request(boot):
    vlan = boot.get("PrimaryVLANId") if boot.get("PrimaryVLANEnable") else None
    return LoginRequest(
        initiator=boot.get("InitiatorName") or "", target=boot.get("PrimaryTargetName") or "",
        portal=f"{boot.get('PrimaryTargetIPAddress')}:{boot.get('PrimaryTargetTCPPort') or 3260}",
        lun=boot.get("PrimaryLUN") or 0, auth=boot.get("AuthenticationMethod") or "None",
        chap_user=boot.get("CHAPUsername"), chap_secret=boot.get("CHAPSecret"),
        mutual_user=boot.get("MutualCHAPUsername"), mutual_secret=boot.get("MutualCHAPSecret"), vlan=vlan)


class Firmware:
    def __init__(self, bmc):
        self.bmc = bmc
        self.task = None

    @property
    def state(self):
        return self.bmc.state

    @property
    def timing(self):
        return self.bmc.cfg.timing

    # -- power ----------------------------------------------------------------------------------
    def resume(self):
        """After a mockup restart: an interrupted boot starts again where POST had got to."""
        run = self.state.get("boot_run")
        if run and self.state["power"] == "On":
            self.bmc.log("OK", "BMC restarted during a boot; the boot continues")
            self._start(run["reset_type"], resume_from=run.get("post_done", 0))

    def reset(self, reset_type):
        """Carry out an accepted ResetType. Returns nothing; effects show in state and log."""
        power = self.state["power"]
        self.bmc.log("OK", f"Reset requested: {reset_type}", args=(reset_type,))
        if reset_type in ("On", "ForceOn"):
            if power != "On":
                self._power_on(reset_type)
        elif reset_type == "ForceOff":
            self._power_off()
        elif reset_type in ("GracefulShutdown", "GracefulRestart"):
            if self._os_running():
                self._ask_os(reset_type)
            else:
                self.bmc.log("Warning", f"{reset_type}: no operating system answered the ACPI request")
        elif reset_type in ("ForceRestart", "PowerCycle", "FullPowerCycle"):
            self._power_on(reset_type)
        elif reset_type == "PushPowerButton":
            # A short press: a running OS shuts down through ACPI; the firmware alone powers off at once.
            if power != "On":
                self._power_on(reset_type)
            elif self._os_running():
                self._ask_os("GracefulShutdown")
            else:
                self._power_off()
        elif reset_type == "Nmi":
            self.bmc.log("Warning", "NMI sent to the host")

    def _os_running(self):
        return self.state["power"] == "On" and self.state["progress"]["LastState"] == "OSRunning"

    def _ask_os(self, reset_type):
        self._cancel()
        self.task = asyncio.get_running_loop().create_task(self._graceful(reset_type))

    async def _graceful(self, reset_type):
        await asyncio.sleep(self.timing.graceful_shutdown)
        self.bmc.log("OK", "Operating system shut down")
        if reset_type == "GracefulRestart":
            self._power_on(reset_type)
        else:
            self._power_off()

    def _power_off(self):
        self._cancel()
        self.bmc.host_net.down()  # the host's OS no longer answers on its own address
        self.state["power"] = "Off"
        self.state["last_reset_time"] = now_iso()
        self.state["boot_run"] = None
        self.state["booted_from"] = None  # a host that is off runs nothing; the history keeps each boot's
        self.state["progress"] = {"LastState": "None", "OemLastState": None, "LastStateTime": now_iso(),
                                  "LastBootTimeSeconds": self.state["progress"].get("LastBootTimeSeconds")}
        self.bmc.personality.at_power_off(self.bmc)
        self.bmc.save()

    def _power_on(self, reset_type):
        self._cancel()
        self.bmc.host_net.down()
        self.state["power"] = "On"
        self.state["last_reset_time"] = now_iso()
        self._apply_pending_settings()
        self._start(reset_type)

    def _cancel(self):
        if self.task and not self.task.done() and self.task is not asyncio.current_task():
            self.task.cancel()
        self.task = None

    def _start(self, reset_type, resume_from=None):
        self.task = asyncio.get_running_loop().create_task(self._boot(reset_type, resume_from))

    def _apply_pending_settings(self):
        self.bmc.personality.at_power_on(self.bmc)

    # -- the boot ---------------------------------------------------------------------------------
    def _set_progress(self, state, oem=None):
        progress = self.state["progress"]
        progress.update({"LastState": state, "OemLastState": oem, "LastStateTime": now_iso()})
        history = self.state["boot_history"][-1]
        history["states"].append({"state": oem or state, "time": progress["LastStateTime"]})
        self.bmc.save()

    async def _boot(self, reset_type, resume_from=None):
        """A new boot; or, with `resume_from` (POST states done), the boot a mockup restart cut short,
        which goes on in its own history entry even when it had not finished its first POST state."""
        started = time.monotonic()
        if resume_from is None or not self.state["boot_history"]:
            self.state["boot_history"] = (self.state["boot_history"] + [{
                "id": self.state["boot_seq"], "reset_type": reset_type, "started": now_iso(), "states": [],
                "attempts": [], "outcome": "in_progress", "booted_from": None, "finished": None}])[-100:]
            self.state["boot_seq"] += 1
        first = resume_from or 0
        self.state["boot_history"][-1].update(outcome="in_progress", finished=None)
        self.state["boot_run"] = {"reset_type": reset_type, "post_done": first}
        self.state["booted_from"] = None
        try:
            for index, post_state in enumerate(POST_STATES[first:], start=first):
                self._set_progress(post_state)
                await self._maybe_hang(post_state)
                await asyncio.sleep(self.timing.post_state)
                self.state["boot_run"]["post_done"] = index + 1
            self.bmc.personality.in_post(self.bmc)
            logins = await self._enumerate_iscsi()
            self.bmc.personality.after_discovery(self.bmc, logins)
            outcome = await self._boot_manager(logins, started)
        except asyncio.CancelledError:
            if self.state["boot_history"][-1]["outcome"] == "in_progress":
                self._finish("interrupted")  # a hung boot stays "hung": that is why it was reset
            raise
        self._finish(outcome)

    async def _maybe_hang(self, state):
        hang = self.bmc.faults.active.get("boot_hang")
        if hang and hang["state"] == state:
            self.bmc.log("Critical", f"Boot hung at {state}")
            self._finish("hung", keep_run=True)
            await asyncio.Event().wait()  # until the next reset cancels this task

    def _finish(self, outcome, keep_run=False):
        history = self.state["boot_history"][-1]
        history["outcome"] = outcome
        history["finished"] = now_iso()
        history["booted_from"] = self.state.get("booted_from")
        if not keep_run:
            self.state["boot_run"] = None
        self.bmc.save()

    async def _enumerate_iscsi(self):
        """Log in from every port in iSCSI mode; returns {function key: (LoginResult, sector)}."""
        results, table = {}, None
        for key, function in self.state["functions"].items():
            if function["BootMode"] != "iSCSI":
                self._drop_iscsi_option(key)
                continue
            boot = function["iSCSIBoot"]
            request = login_request(boot)
            await asyncio.sleep(self.timing.iscsi_login)
            if "san_down" in self.bmc.faults.active:
                self.bmc.san.set_down(self.bmc.faults.active["san_down"].get("target"))
            result = await self.bmc.san.login(request)
            where = f"{request.target} LUN {request.lun} at {request.portal} as {request.initiator}"
            if not result.ok:
                self.bmc.log("Critical", f"iSCSI login failed on port {key}: {result.reason} ({where})",
                             "SanbootFirmware.1.0.0.IscsiLoginFailed", (key, result.code, request.target))
                results[key] = (result, None)
                continue
            sector = await self.bmc.san.read_boot_sector(request)
            self.bmc.log("OK", f"iSCSI login succeeded on port {key}: {where}",
                         "SanbootFirmware.1.0.0.IscsiLoginSucceeded", (key, request.target, request.lun))
            results[key] = (result, sector)
            nic_id, port_id = key.split("/", 1)
            port = self.bmc.port(nic_id, port_id)
            if table is None:
                table = ibft.build_ibft(ibft.ibft_from_iscsi_boot(boot, port.mac, port.pci))
            self._refresh_iscsi_option(key, boot)
        self.state["ibft"] = base64.b64encode(table).decode() if table else None
        self.bmc.save()
        return results

    def _pxe_path(self, key):
        return next(o["UefiDevicePath"] for o in self.state["boot_options"].values()
                    if o["kind"] == "pxe" and o["port"] == key)

    def _refresh_iscsi_option(self, key, boot):
        path = iscsi_device_path(self._pxe_path(key), boot)
        name = f"UEFI: iSCSI {boot.get('PrimaryTargetName')} LUN {boot.get('PrimaryLUN') or 0} (Port {key})"
        options = self.state["boot_options"]
        ref = next((r for r, o in options.items() if o["kind"] == "iscsi" and o["port"] == key), None)
        if ref is None:
            ref = f"Boot{self.state['next_option']:04X}"
            self.state["next_option"] += 1
            self.state["boot"]["BootOrder"].append(ref)
            options[ref] = {"BootOptionEnabled": True, "Alias": "RemoteDrive", "kind": "iscsi", "port": key}
            self.bmc.log("OK", f"New UEFI boot option {ref}: {name}")
        options[ref].update({"DisplayName": name, "UefiDevicePath": path})

    def _drop_iscsi_option(self, key):
        options = self.state["boot_options"]
        for ref in [r for r, o in options.items() if o["kind"] == "iscsi" and o["port"] == key]:
            del options[ref]
            self.state["boot"]["BootOrder"] = [r for r in self.state["boot"]["BootOrder"] if r != ref]
            if self.state["boot"]["BootNext"] == ref:
                self.state["boot"]["BootNext"] = None

    def _candidates(self):
        """Boot options in the order the boot manager tries them, consuming one-time settings."""
        boot, options = self.state["boot"], self.state["boot_options"]
        first = []
        if boot["BootSourceOverrideEnabled"] in ("Once", "Continuous") and boot["BootSourceOverrideTarget"] != "None":
            target = boot["BootSourceOverrideTarget"]
            if target == "UefiBootNext" and boot["BootNext"]:
                first = [boot["BootNext"]]
            elif target == "UefiTarget":
                first = [r for r, o in options.items() if o["UefiDevicePath"] == boot["UefiTargetBootSourceOverride"]]
            else:
                first = [r for r, o in options.items() if o["kind"] == _OVERRIDE_KIND.get(target)]
            if boot["BootSourceOverrideEnabled"] == "Once":
                boot["BootSourceOverrideEnabled"] = "Disabled"
                boot["BootSourceOverrideTarget"] = "None"
                boot["BootNext"] = None
            if not first:
                self.bmc.log("Warning", f"Boot override {target}: no matching boot option")
        return first + [r for r in boot["BootOrder"] if r not in first]

    async def _boot_manager(self, logins, started):
        for ref in self._candidates():
            option = self.state["boot_options"].get(ref)
            if option is None:
                continue
            attempt = {"option": ref, "name": option["DisplayName"], "kind": option["kind"]}
            self.state["boot_history"][-1]["attempts"].append(attempt)
            if not option["BootOptionEnabled"]:
                attempt.update(outcome="skipped", reason="boot option disabled")
                continue
            outcome = await getattr(self, f"_try_{option['kind']}")(ref, option, logins, started)
            attempt.update(outcome="booted" if outcome in ("booted", "installed") else "failed",
                           reason=self._last_reason)
            if outcome in _FINAL_OUTCOMES:
                return outcome
            self.bmc.log("Warning", f"Boot option {ref} ({option['DisplayName']}) failed: {self._last_reason}")
        self._set_progress("OEM", "NoBootableDevice")
        self.bmc.log("Critical", "No bootable device found; the host is waiting at the boot menu",
                     "SanbootFirmware.1.0.0.NoBootableDevice")
        return "no_bootable_device"

    _last_reason = ""

    async def _fail(self, reason):
        self._last_reason = reason
        await asyncio.sleep(self.timing.option_timeout)
        return "failed"

    async def _try_pxe(self, ref, option, logins, started):
        mode = self.state["functions"][option["port"]]["BootMode"]
        if mode != "PXE":
            # The port's option ROM does not run PXE unless the port is set to it.
            return await self._fail(f"PXE is not enabled on port {option['port']} (BootMode {mode})")
        return await self._fail("PXE: no DHCP offer received")

    async def _try_hdd(self, ref, option, logins, started):
        name = self.bmc.cfg.local_os
        if not name:
            return await self._fail("no bootable device on local disk")
        # The fleet's `local_os`: the disk holds an OS, which boots and answers on the host's own
        # address just as ESXi from the LUN would (the network proof alone cannot tell them apart).
        self.state["booted_from"] = {"option": ref, "local_disk": name}
        self._last_reason = ""
        await self._run_os(f"{name} from the local disk", started)
        return "booted"

    async def _try_iscsi(self, ref, option, logins, started):
        login = logins.get(option["port"])
        if login is None:
            return await self._fail("iSCSI boot not configured on this port")
        result, sector = login
        if not result.ok:
            return await self._fail(f"iSCSI login failed: {result.reason}")
        if not is_bootable(sector):
            return await self._fail("no bootable device: the iSCSI LUN is blank")
        boot = self.state["functions"][option["port"]]["iSCSIBoot"]
        self.state["booted_from"] = {"option": ref, "target": boot.get("PrimaryTargetName"),
                                     "lun": boot.get("PrimaryLUN"), "port": option["port"]}
        self._last_reason = ""
        await self._run_os("VMware ESXi", started)
        return "booted"

    def _os_loader_started(self):
        self._set_progress("OSBootStarted")
        self.bmc.personality.os_loader_started(self.bmc)

    async def _run_os(self, name, started):
        self._os_loader_started()
        self.bmc.log("OK", f"Loading {name}")
        await asyncio.sleep(self.timing.os_boot)
        self.state["progress"]["LastBootTimeSeconds"] = round(time.monotonic() - started, 3)
        self._set_progress("OSRunning")
        await self.bmc.host_net.up()

    async def _try_cd(self, ref, option, logins, started):
        media = self.state["virtual_media"]["CD"]
        if not media["Inserted"]:
            return await self._fail("no media in the virtual CD drive")
        if not INSTALLER.search(media["ImageName"] or ""):
            return await self._fail(f"{media['ImageName']} is not a bootable image")
        self._last_reason = ""
        self._os_loader_started()
        self.bmc.log("OK", f"Booting the ESXi installer from {media['ImageName']}")
        target = next(((k, login) for k, login in logins.items() if login[0].ok), None)
        await asyncio.sleep(self.timing.install)
        if target is None:
            # The installer is running: it shows its error and waits; it never hands back to the boot manager.
            self._last_reason = "the ESXi installer found no iSCSI disk (no iBFT)"
            self.bmc.log("Critical", "ESXi installation failed: no iSCSI disk (no iBFT)")
            return "install_failed"
        boot = self.state["functions"][target[0]]["iSCSIBoot"]
        await self.bmc.san.install_esxi(login_request(boot))
        self.bmc.log("OK", f"ESXi installed on {boot.get('PrimaryTargetName')} LUN {boot.get('PrimaryLUN')}; rebooting",
                     "SanbootFirmware.1.0.0.EsxiInstalled", (boot.get("PrimaryTargetName"), boot.get("PrimaryLUN")))
        self._put_first(target[0])
        self.state["booted_from"] = {"option": ref, "installer": media["ImageName"]}
        self._power_on("InstallerReboot")  # the new boot starts once this one has finished
        return "installed"

    def _put_first(self, key):
        """A UEFI OS installer makes its boot entry the first in BootOrder; without that the reboot
        would find the installer media again before the iSCSI option and install once more."""
        ref = next(r for r, o in self.state["boot_options"].items() if o["kind"] == "iscsi" and o["port"] == key)
        order = self.state["boot"]["BootOrder"]
        self.state["boot"]["BootOrder"] = [ref] + [r for r in order if r != ref]
        self.bmc.log("OK", f"ESXi installer set {ref} first in BootOrder")
