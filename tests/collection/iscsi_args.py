"""Module arguments matching tests/support/mockup.py's fast fleet, one correct set per host."""
import copy

MACS = {"esxi01": "02:00:00:00:01:01", "esxi02": "02:00:00:00:02:01", "esxi03": "02:00:00:00:03:01"}
ARGS = {
    "esxi01": {"port": {"mac": MACS["esxi01"]},
               "initiator": {"name": "iqn.1998-01.com.vmware:esxi01", "address": "192.0.2.11", "netmask": "255.255.255.0",
                             "gateway": "192.0.2.1"},
               "target": {"name": "iqn.2024-01.org.example.san:esxi01", "address": "127.0.0.1", "port": 3260, "lun": 1},
               "chap": {"username": "esxi01", "secret": "esxi01-secret"}},
    "esxi02": {"port": {"mac": MACS["esxi02"]},
               "initiator": {"name": "iqn.1998-01.com.vmware:esxi02", "address": "192.0.2.12", "netmask": "24"},
               "target": {"name": "iqn.2024-01.org.example.san:esxi02", "address": "127.0.0.1", "lun": 1, "vlan_id": 120},
               "chap": {"username": "esxi02", "secret": "esxi02-secret", "mutual_username": "san02",
                        "mutual_secret": "san02-mutual"}},
    "esxi03": {"port": {"mac": MACS["esxi03"]},
               "initiator": {"name": "iqn.1998-01.com.vmware:esxi03", "address": "192.0.2.13", "netmask": "255.255.255.0"},
               "target": {"name": "iqn.2024-01.org.example.san:esxi03", "address": "127.0.0.1", "lun": 1}},
}
SECRETS = ["esxi01-secret", "esxi02-secret", "san02-mutual"]
FUNCTION = "/redfish/v1/Chassis/1/NetworkAdapters/NIC.Slot.1/NetworkDeviceFunctions/1"


def args(host="esxi01", **changes):
    """A deep copy of the host's correct arguments with `changes` applied ("target.lun": 5 style)."""
    result = copy.deepcopy(ARGS[host])
    for dotted, value in changes.items():
        node = result
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return result


def writes(stats):
    """PATCH and POST requests other than logging in, from /mockup/stats."""
    return {k: v for k, v in stats["by_path"].items()
            if k.split(" ")[0] in ("PATCH", "POST", "PUT", "DELETE") and "SessionService/Sessions" not in k}


def host(mockup, name="esxi01"):
    """The host's own address and port (wait_for_boot's network proof), from the mockup's fleet."""
    entry = next(b for b in mockup.fleet["bmcs"] if b["name"] == name)
    return {"host_address": entry["host_address"], "host_port": entry["host_port"]}


def step(module, args, **keywords):
    """One step of ansible.run_each (bmc, check, diff, connection as for ansible.run)."""
    return dict(module=module, args=args, **keywords)
