"""vmw.sanboot.wait_for_boots through ansible-playbook against the mockup: four DMTF hosts reset at
once, one run_once task waits for all of them, each in its own thread, and each host then fails
(or not) on its own with its own diagnosis. A host with a wrong iSCSI target fails alone; the
others are booted. Each host's result is exactly its BMC's requests; hosts whose boots are already
over cost what a lone wait_for_boot costs; no password reaches -vvv or the debug log; and the
hosts' waits overlap, shown by the order of the requests in the mockup's request log."""
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from playbook_runner import CALLBACKS, COLLECTIONS, TRANSCRIPTS

from support.mockup import GOOD_ISCSI, PASSWORD, ROOT, fast_fleet

HOSTS = ["esxi01", "esxi02", "esxi03", "esxi04"]
BAD = "esxi04"
IQN = "iqn.2024-01.org.example.san:"
ROOT_GET = "GET /redfish/v1/"
# The boots the test waits for last about a second and a half, so the waits must overlap to be seen.
SLOW = {"os_boot": 1.5}


def four_host_fleet():
    """fast_fleet's three hosts and a fourth, every LUN installed (esxi03 and esxi04 without CHAP)."""
    fleet = fast_fleet(count=4)
    fleet["defaults"]["timing"].update(SLOW)
    targets = fleet["san"]["targets"]
    targets[2]["luns"] = [{"id": 1, "content": "esxi"}]
    targets.append({"iqn": IQN + "esxi04", "portal": "127.0.0.1:3260", "luns": [{"id": 1, "content": "esxi"}],
                    "acl": ["iqn.1998-01.com.vmware:esxi04"]})
    return fleet


def good_iscsi(host):
    if host in GOOD_ISCSI:
        return copy.deepcopy(GOOD_ISCSI[host])
    values = good_iscsi("esxi03")
    values.update(InitiatorName="iqn.1998-01.com.vmware:esxi04", InitiatorIPAddress="192.0.2.14",
                  PrimaryTargetName=IQN + "esxi04")
    return values


def prepare(mockup):
    """Every host configured with its iSCSI values, booted once from its LUN and the iSCSI option put
    first (straight through the BMCs, not under test); then esxi04's target name made wrong for the
    next reset."""
    bmcs = {host: mockup.bmc(host) for host in HOSTS}
    before = {}
    for host, bmc in bmcs.items():
        assert bmc.configure_iscsi(good_iscsi(host)).status_code in (200, 202, 204)
        before[host] = bmc.boot_count()
        bmc.reset()
    for host, bmc in bmcs.items():
        assert bmc.wait_boot_done(before[host])["outcome"] == "booted", host
        system = bmc.json("/redfish/v1/Systems/1")
        options = [bmc.json(m["@odata.id"]) for m in bmc.json(system["Boot"]["BootOptions"]["@odata.id"])["Members"]]
        iscsi = [o["BootOptionReference"] for o in options if "iSCSI(" in o.get("UefiDevicePath", "")]
        assert len(iscsi) == 1, options
        order = iscsi + [ref for ref in system["Boot"]["BootOrder"] if ref != iscsi[0]]
        assert bmc.patch("/redfish/v1/Systems/1", {"Boot": {"BootOrder": order}}).status_code in (200, 204)
    wrong = dict(good_iscsi(BAD), PrimaryTargetName=IQN + "nosuch")
    assert bmcs[BAD].configure_iscsi(wrong).status_code in (200, 202, 204)
    for bmc in bmcs.values():
        bmc.request("DELETE", "/mockup/stats")
    return bmcs


def inventory(mockup, folder, extra=None):
    """Each BMC of the mockup as a host of group fleet, with its connection values; `ghost` (local) and
    `remote` (ssh) in group elsewhere; `extra` {host: vars} added."""
    hosts = {}
    for entry in mockup.ready["bmcs"]:
        bmc = mockup.bmc(entry["name"])
        hosts[entry["name"]] = {"bmc_uri": bmc.base, "bmc_user": bmc.auth[0], "bmc_password": bmc.auth[1],
                                "bmc_ca": mockup.ca_file, "target": IQN + entry["name"]}
    elsewhere = {"ghost": {"ansible_connection": "local"}, "remote": {"ansible_connection": "ssh"}}
    for group in (hosts, elsewhere):
        for host in group:
            group[host].update((extra or {}).get(host, {}))
    path = folder / "inventory.yml"
    path.write_text(yaml.safe_dump({"all": {"children": {"fleet": {"hosts": hosts}, "elsewhere": {"hosts": elsewhere}}}}))
    return path


CONNECTION = {"baseuri": "{{ bmc_uri }}", "username": "{{ bmc_user }}", "password": "{{ bmc_password }}",
              "ca_path": "{{ bmc_ca }}"}


def playbook(tasks, hosts="fleet"):
    return [{"name": "wait for a batch", "hosts": hosts, "connection": "local", "gather_facts": False,
             "tasks": tasks}]


def run(mockup, folder, plays, forks=4, extra=None):
    """ansible-playbook at -vvv; returns (results recorded in task order, output, return code)."""
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "results.jsonl"
    (folder / "playbook.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
           "ANSIBLE_CALLBACKS_ENABLED": "record_results", "SANBOOT_TEST_RESULTS": str(results),
           "ANSIBLE_LOCAL_TEMP": str(folder / "tmp"), "ANSIBLE_HOME": str(folder / "home"),
           "ANSIBLE_FORKS": str(forks), "ANSIBLE_HOST_KEY_CHECKING": "0"}
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i",
                           str(inventory(mockup, folder, extra)), "-vvv", str(folder / "playbook.yml")],
                          capture_output=True, text=True, env=env, timeout=600, cwd=folder)
    output = proc.stdout + proc.stderr
    TRANSCRIPTS.append((f"test_wait_for_boots {folder.name} output", output))
    recorded = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    return recorded, output, proc.returncode


def by_task(recorded, name):
    return [entry["result"] for entry in recorded if entry["task"] == name]


def recap(output):
    """{host: {"ok": n, "failed": n, ...}} from the PLAY RECAP."""
    found = {}
    for host, counts in re.findall(r"^(\S+)\s+: (ok=.*)$", output, re.M):
        found[host] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", counts)}
    return found


def wait_tasks(debug_log):
    """Each host's request (set_fact, after its reset), one wait for the batch, each host failing on its
    own; then the same wait again, when every boot is over."""
    request = {**CONNECTION, "since": "{{ reset.since }}", "iscsi_target": {"name": "{{ target }}", "lun": 1},
               "poll_interval": 0.3, "wait_timeout": 60}
    wait = {"vmw.sanboot.wait_for_boots": {"hosts": "{{ ansible_play_batch }}"}, "run_once": True,
            "environment": {"SANBOOT_DEBUG_LOG": str(debug_log)}}
    return [
        {"name": "request", "ansible.builtin.set_fact": {"sanboot_wait_request": request}, "no_log": True},
        {"name": "wait", **wait, "register": "boots"},
        {"name": "wait again", **wait},
        {"name": "each host on its own", "ansible.builtin.fail": {"msg": "{{ boots.hosts[inventory_hostname].msg }}"},
         "when": "boots.hosts[inventory_hostname].failed"},
    ]


def normal(request):
    """A request as the mockup counts it: no query, no trailing slash."""
    return request.split("?")[0].rstrip("/")


def counted(requests):
    counts = {}
    for request in requests:
        counts[normal(request)] = counts.get(normal(request), 0) + 1
    return counts


def added(*counts):
    total = {}
    for count in counts:
        for key, value in count.items():
            total[key] = total.get(key, 0) + value
    return total


def stats_requests(bmc):
    """The BMC's requests since its counters were reset, {"METHOD path": n}, session paths as the client
    names them, without the admin API."""
    counts = {}
    for key, value in bmc.stats()["by_path"].items():
        if "/mockup/" not in key:
            key = "DELETE session" if key.startswith("DELETE /redfish/v1/SessionService/Sessions/") else key
            counts[key] = counts.get(key, 0) + value
    return counts


BOOTED_AGAIN = ["GET /redfish/v1/", "GET /redfish/v1/Systems?$expand=.($levels=1)",
                "GET /redfish/v1/Systems/1/BootOptions?$expand=.($levels=1)"]
FAILED_AGAIN = ["GET /redfish/v1/", "GET /redfish/v1/Systems?$expand=.($levels=1)", "GET /redfish/v1/Systems/1/LogServices",
                "GET /redfish/v1/Systems/1/LogServices/EventLog", "GET /redfish/v1/Systems/1/LogServices/EventLog/Entries"]


def test_one_wait_for_a_batch_each_host_on_its_own(mockup_factory, tmp_path):
    mockup = mockup_factory(four_host_fleet())
    bmcs = prepare(mockup)
    debug_log = tmp_path / "redfish-debug.log"
    log_start = len(mockup.request_log().splitlines())
    reset = {"name": "reset", "vmw.sanboot.power": {**CONNECTION, "reset_type": "ForceRestart"}, "register": "reset"}
    recorded, output, code = run(mockup, tmp_path / "batch", playbook([reset] + wait_tasks(debug_log)))

    [batch] = by_task(recorded, "wait")
    assert code == 2, output[-3000:]
    assert batch["changed"] is False and not batch.get("failed"), batch
    assert batch["failed_hosts"] == [BAD] and batch["skipped_hosts"] == []
    assert batch["booted_hosts"] == ["esxi01", "esxi02", "esxi03"]
    assert list(batch["hosts"]) == HOSTS
    for host in HOSTS[:3]:
        result = batch["hosts"][host]
        assert result["failed"] is False and result["booted"] is True and result["outcome"] == "booted", result
        assert result["evidence"] == "bmc" and result["timeline"][-1]["state"] == "OSRunning"
        assert f"iSCSI({IQN}{host}," in result["boot_option"]["device_path"]
        assert result["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        assert result["invocation"]["module_args"]["baseuri"] == bmcs[host].base
    bad = batch["hosts"][BAD]
    assert bad["failed"] is True and bad["booted"] is False and bad["evidence"] == "none"
    assert "target not found" in bad["msg"] and "no bootable device" in bad["msg"], bad["msg"]
    assert any("iSCSI login failed" in entry["message"] for entry in bad["log_entries"])

    # each host failed or not on its own: only esxi04 reached the fail task, with its own diagnosis
    fails = by_task(recorded, "each host on its own")
    assert len(fails) == 1 and fails[0]["msg"] == bad["msg"]
    assert {host: counts["failed"] for host, counts in recap(output).items()} == {**dict.fromkeys(HOSTS[:3], 0), BAD: 1}
    assert output.count("vmw.sanboot.wait_for_boots waits for 4 hosts in-process on the controller, 4 at a time") == 2

    # once every boot is over, each host's wait costs what a lone wait_for_boot costs: one look, exact
    [again] = by_task(recorded, "wait again")
    assert again["failed_hosts"] == [BAD] and again["booted_hosts"] == HOSTS[:3]
    assert {host: again["hosts"][host]["requests"] for host in HOSTS} == {
        **dict.fromkeys(HOSTS[:3], BOOTED_AGAIN), BAD: FAILED_AGAIN}

    # each host's results hold exactly the requests its BMC saw (its reset's besides): the waits only read
    resets = by_task(recorded, "reset")
    assert len(resets) == 4
    for host, bmc in bmcs.items():
        waited = counted(batch["hosts"][host]["requests"] + again["hosts"][host]["requests"])
        assert all(key.startswith("GET ") for key in waited), waited
        assert any(added(waited, counted(r["requests"])) == stats_requests(bmc) for r in resets), host

    # The waits overlapped: in the mockup's request log, the four hosts' first reads (the service root)
    # all came before the end of any booted host's wait (its boot options, read once it saw OSRunning,
    # a second and a half after its reset). Had the hosts been waited for one after another, the first
    # booted host's boot options would come before the next host's service root.
    lines = [line.split('"')[1].rsplit(" ", 1)[0] for line in mockup.request_log().splitlines()[log_start:]
             if "/mockup/" not in line]
    first = sum(len(r["requests"]) for r in resets)
    section = [normal(line) for line in lines[first:first + sum(len(batch["hosts"][h]["requests"]) for h in HOSTS)]]
    assert counted(section) == counted(r for host in HOSTS for r in batch["hosts"][host]["requests"])
    roots = [index for index, line in enumerate(section) if line == normal(ROOT_GET)]
    ends = [index for index, line in enumerate(section) if line == "GET /redfish/v1/Systems/1/BootOptions"]
    assert len(roots) == 4 and len(ends) == 3
    assert max(roots) < min(ends), section

    # no password anywhere: -vvv output and the batch's one debug log (every host's reads in it)
    log = debug_log.read_text()
    TRANSCRIPTS.append(("test_wait_for_boots debug log", log))
    assert log.count("HTTP REQUEST (GET) for /redfish/v1/:") == 8
    assert PASSWORD not in output and PASSWORD not in log and "test-only" not in output
    for bmc in bmcs.values():
        assert bmc.stats()["sessions"] == 0


def test_requests_from_each_hosts_variables_skips_and_bad_arguments(ansible, mockup, tmp_path):
    """A request templated in each host's own variables (an inventory variable naming the host's own
    BMC), hosts without a request skipped, a host's bad request failing that host only; the task
    itself fails only for its own bad arguments, and anywhere but on the controller."""
    request = {**CONNECTION, "wait_timeout": 5, "poll_interval": 0.2}
    extra = {"esxi01": {"inv_request": request}, "esxi02": {"inv_request": request},
             "esxi03": {"inv_request": dict(request, bogus=1)},
             "ghost": {"inv_request": "not a dict", "undefined_request": "{{ {'baseuri': no_such_variable} }}"}}
    batch = ["esxi01", "esxi02", "esxi03", "ghost"]

    def task(name, **args):
        return {"name": name, "vmw.sanboot.wait_for_boots": args, "run_once": True, "ignore_errors": True}

    tasks = [
        dict(task("in each host's variables", hosts=batch, request_var="inv_request", max_concurrent=2), check_mode=True),
        task("undefined", hosts=["ghost", "esxi01"], request_var="undefined_request"),
        dict(task("not in the inventory", hosts=["esxi01", "nobody"]), check_mode=True),
        task("max_concurrent", hosts=["esxi01"], max_concurrent=-1),
        task("unsupported", hosts=["esxi01"], baseuri="https://x"),
        dict(task("remote", hosts=["esxi01"]), delegate_to="remote"),
    ]
    recorded, output, _ = run(mockup, tmp_path / "cases", playbook(tasks, hosts="esxi01"), extra=extra)
    [each], [undefined], [unknown], [negative], [unsupported], [remote] = (
        by_task(recorded, t["name"]) for t in tasks)

    assert not each.get("failed") and each["changed"] is False
    assert each["failed_hosts"] == ["esxi03", "ghost"] and each["skipped_hosts"] == []
    for host in ("esxi01", "esxi02"):
        assert each["hosts"][host]["failed"] is False
        assert each["hosts"][host]["invocation"]["module_args"]["baseuri"] == mockup.bmc(host).base
        assert each["hosts"][host]["outcome"] == "not_booted"       # check mode: one look, exact
        assert each["hosts"][host]["requests"] == [ROOT_GET, "GET /redfish/v1/Systems?$expand=.($levels=1)"]
    assert each["hosts"]["esxi03"]["msg"].startswith("Unsupported parameters for (vmw.sanboot.wait_for_boot) module: bogus")
    assert each["hosts"]["ghost"]["msg"] == "ghost: inv_request must be a dict of vmw.sanboot.wait_for_boot's arguments, not str"
    assert "waits for 3 hosts in-process on the controller, 2 at a time (0 skipped)" in output

    assert not undefined.get("failed") and undefined["skipped_hosts"] == ["esxi01"]
    assert undefined["hosts"]["esxi01"] == {"failed": False, "skipped": True,
                                            "msg": "undefined_request is not set for esxi01: not waited for"}
    assert undefined["failed_hosts"] == ["ghost"] and "no_such_variable" in undefined["hosts"]["ghost"]["msg"]
    assert unknown["failed"] and "hosts not in the inventory: nobody" in unknown["msg"]
    assert negative["failed"] and "max_concurrent must be 0 (every host at once) or more, not -1" in negative["msg"]
    assert unsupported["failed"] and "baseuri" in unsupported["msg"]
    assert remote["failed"] and remote["msg"].startswith("vmw.sanboot.wait_for_boots runs only on the controller")
    assert "'ssh'" in remote["msg"]
    assert PASSWORD not in output
