"""The boot order behind XCC's class-based BootOptions: the order of the boot classes
(Boot.BootOrder; the OEM BootOrder.BootOrder) and, within Network, the per-NIC entries of
NetworkBootOrder. Both are staged and take effect at the next reset, where they become the order
the shared firmware tries its canonical options in."""
from .lenovo_names import CLASSES, DEFAULT_CLASS_ORDER, boot_entry


def initial(cfg):
    entries = [boot_entry(nic, port, "pxe") for nic in cfg.nics for port in nic.ports]
    return {"classes": list(DEFAULT_CLASS_ORDER), "classes_pending": None, "network": entries, "network_pending": None}


def _lenovo(bmc):
    return bmc.state["lenovo"]


def _port(cfg, key):
    nic_id, port_id = key.split("/", 1)
    nic = next(n for n in cfg.nics if n.id == nic_id)
    return nic, next(p for p in nic.ports if p.id == port_id)


def entry_options(state, cfg):
    """{NetworkBootOrder entry: canonical boot option reference} for every NIC option the firmware has."""
    return {boot_entry(*_port(cfg, option["port"]), option["kind"]): ref
            for ref, option in state["boot_options"].items() if option["kind"] in ("pxe", "iscsi")}


def classes_next(bmc):
    lenovo = _lenovo(bmc)
    return list(lenovo["classes_pending"] if lenovo["classes_pending"] is not None else lenovo["classes"])


def network_next(bmc):
    lenovo = _lenovo(bmc)
    return list(lenovo["network_pending"] if lenovo["network_pending"] is not None else lenovo["network"])


def stage_classes(bmc, refs):
    _lenovo(bmc)["classes_pending"] = list(refs)


def stage_network(bmc, entries):
    _lenovo(bmc)["network_pending"] = list(entries)


def apply(bmc):
    """At a reset: what was staged becomes current, then the firmware's order follows it."""
    lenovo = _lenovo(bmc)
    for name in ("classes", "network"):
        if lenovo[f"{name}_pending"] is not None:
            lenovo[name] = lenovo[f"{name}_pending"]
            lenovo[f"{name}_pending"] = None
    follow(bmc)


def sync_entries(bmc):
    """After discovery: an iSCSI attempt that logged in has its entry (added last), one the firmware
    dropped loses it; then the firmware's order follows."""
    present = entry_options(bmc.state, bmc.cfg)
    lenovo = _lenovo(bmc)
    for name in ("network", "network_pending"):
        entries = lenovo[name]
        if entries is None:
            continue
        kept = [e for e in entries if e in present]
        lenovo[name] = kept + [e for e in present if e not in kept]
    follow(bmc)


def follow(bmc):
    follow_state(bmc.state, bmc.cfg)


def follow_state(state, cfg):
    """The canonical BootOrder the shared firmware walks: the classes in order, Network expanded
    into NetworkBootOrder's entries; classes not in the order are not tried."""
    options, entries, lenovo = state["boot_options"], entry_options(state, cfg), state["lenovo"]
    order = []
    for ref in lenovo["classes"]:
        kinds = CLASSES[ref][3]
        if "pxe" in kinds:
            order += [entries[e] for e in lenovo["network"] if e in entries]
        else:
            order += [r for r, option in options.items() if option["kind"] in kinds]
    state["boot"]["BootOrder"] = order
