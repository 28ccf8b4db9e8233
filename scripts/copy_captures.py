#!/usr/bin/env python3
"""Copy into tests/captures/ the parts of the real BMC captures (../shared/vendor-captures, from
NVIDIA/libredfish, MIT) that the tests read, trimming the few files that are too large.

    python scripts/copy_captures.py [--source ../shared/vendor-captures] [--check]

The paths are below, one table per capture: URI paths (without the leading slash) whose index.json
is copied, `*` standing for one path segment. When the collection starts reading another resource
(the capture server's log lists each 404), add its path here and run the script again. --check
compares instead of writing, and fails if tests/captures/ is not what the tables give.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "tests" / "captures"
SOURCE = ROOT.parent / "shared" / "vendor-captures"

# What bmc_info reads on every vendor: root, system, boot options, chassis, each chassis' network
# adapters and their device functions (manager and BIOS where a vendor's dialect reads them).
COMMON = [
    "redfish/v1",
    "redfish/v1/Systems", "redfish/v1/Systems/*",
    "redfish/v1/Systems/*/BootOptions", "redfish/v1/Systems/*/BootOptions/*",
    "redfish/v1/Managers/*",
    "redfish/v1/Chassis", "redfish/v1/Chassis/*",
    "redfish/v1/Chassis/*/NetworkAdapters", "redfish/v1/Chassis/*/NetworkAdapters/*",
    "redfish/v1/Chassis/*/NetworkAdapters/*/NetworkDeviceFunctions",
    "redfish/v1/Chassis/*/NetworkAdapters/*/NetworkDeviceFunctions/*",
]

SYSTEM, MANAGER = "redfish/v1/Systems/System.Embedded.1", "redfish/v1/Managers/iDRAC.Embedded.1"
CAPTURES = {
    "dell-idrac9-6.00.30-r750": COMMON + [
        "redfish/v1/Managers",
        # a port's Dell attributes (iSCSIBootSupport) and its SettingsObject, which is under Systems
        "redfish/v1/Chassis/System.Embedded.1/NetworkAdapters/*/NetworkDeviceFunctions/*/Oem/Dell/DellNetworkAttributes/*",
        f"{SYSTEM}/NetworkAdapters/*/NetworkDeviceFunctions/*/Settings",
        # the BIOS software initiator: attributes, settings object, registry (trimmed below)
        f"{SYSTEM}/Bios", f"{SYSTEM}/Bios/Settings", f"{SYSTEM}/Bios/BiosRegistry",
        # jobs, the Lifecycle log with one entry, the LC service, the EEMI messages (trimmed below)
        f"{MANAGER}/Oem/Dell/Jobs", f"{MANAGER}/Oem/Dell/Jobs/*",
        f"{MANAGER}/LogServices/Lclog", f"{MANAGER}/LogServices/Lclog/Entries",
        f"{MANAGER}/LogServices/Lclog/Entries/83431",
        f"{MANAGER}/Oem/Dell/DellLCService",
        "redfish/v1/Registries/Messages", "redfish/v1/Registries/Messages/EEMIRegistry",
    ],
    "hpe-ilo5-2.72-dl385gen10plus": COMMON + [
        "redfish/v1/Managers",
        # the BIOS and its OEM resources: the iSCSI software initiator, the boot settings, the PCI
        # mappings that name each NIC port's NicBoot attribute; each with its settings object
        "redfish/v1/Systems/1/Bios", "redfish/v1/Systems/1/Bios/settings",
        "redfish/v1/Systems/1/Bios/oem/hpe/iscsi", "redfish/v1/Systems/1/Bios/oem/hpe/iscsi/settings",
        "redfish/v1/Systems/1/Bios/oem/hpe/boot", "redfish/v1/Systems/1/Bios/oem/hpe/boot/settings",
        "redfish/v1/Systems/1/Bios/oem/hpe/mappings",
        # the OEM NIC view (MAC -> adapter PCI path), the IML, the virtual CD
        "redfish/v1/Systems/1/BaseNetworkAdapters", "redfish/v1/Systems/1/BaseNetworkAdapters/*",
        "redfish/v1/Systems/1/LogServices", "redfish/v1/Systems/1/LogServices/IML",
        "redfish/v1/Systems/1/LogServices/IML/Entries", "redfish/v1/Systems/1/LogServices/IML/Entries/*",
        "redfish/v1/Managers/1/VirtualMedia", "redfish/v1/Managers/1/VirtualMedia/*",
    ],
    "lenovo-xcc-2.83-sr670v2": COMMON + [
        "redfish/v1/Managers",
        # the system's settings object and reset ActionInfo; the OEM boot orders (classes, per-NIC)
        "redfish/v1/Systems/1/Pending", "redfish/v1/Systems/1/ResetActionInfo",
        "redfish/v1/Systems/1/Oem/Lenovo/BootSettings", "redfish/v1/Systems/1/Oem/Lenovo/BootSettings/*",
        # the PlatformLog and one entry (its shape is what a failed iSCSI login is written in)
        "redfish/v1/Systems/1/LogServices", "redfish/v1/Systems/1/LogServices/PlatformLog",
        "redfish/v1/Systems/1/LogServices/PlatformLog/Entries/1",
        # each port twice: NetworkPorts (deprecated) and Ports
        "redfish/v1/Chassis/1/NetworkAdapters/*/NetworkPorts", "redfish/v1/Chassis/1/NetworkAdapters/*/NetworkPorts/*",
        "redfish/v1/Chassis/1/NetworkAdapters/*/Ports", "redfish/v1/Chassis/1/NetworkAdapters/*/Ports/*",
    ],
    "supermicro-x13-bmc-11.01-sys821ge": COMMON + [
        "redfish/v1/Managers",
        # BIOS and its pending settings (no Attributes), the reset types, the OEM boot order, the SEL
        "redfish/v1/Systems/1/Bios", "redfish/v1/Systems/1/Bios/SD", "redfish/v1/Systems/1/ResetActionInfo",
        "redfish/v1/Systems/1/Oem/Supermicro/FixedBootOrder",
        "redfish/v1/Systems/1/LogServices", "redfish/v1/Systems/1/LogServices/Log1",
        "redfish/v1/Systems/1/LogServices/Log1/Entries", "redfish/v1/Systems/1/LogServices/Log1/Entries/*",
    ],
}


# -- trimming: files too large to keep whole ---------------------------------------------------
BIOS_KEPT = ("IscsiDev1", "IscsiInitiatorName")
BIOS_KEPT_EXACT = {"BootMode", "SetBootOrderEn", "SetBootOrderFqdd1", "PxeDev1EnDis", "HttpDev1EnDis"}


def _bios_attribute_kept(name):
    return name.startswith(BIOS_KEPT) or name in BIOS_KEPT_EXACT


def trim_bios_registry(body):
    """Dell's BiosRegistry: only the iSCSI software-initiator entries and a few boot ones, the
    dependencies that decide them, the menus they sit in."""
    entries = body["RegistryEntries"]
    attributes = [a for a in entries["Attributes"] if _bios_attribute_kept(a["AttributeName"])]
    names = {a["AttributeName"] for a in attributes}
    menus = {part for a in attributes for part in (a.get("MenuPath") or "").split("/") if part != "."}
    entries["Attributes"] = attributes
    entries["Dependencies"] = [d for d in entries.get("Dependencies", []) if d.get("DependencyFor") in names]
    entries["Menus"] = [m for m in entries.get("Menus", []) if m.get("MenuName") in menus]
    return body


def trim_eemi_registry(body):
    """Dell's EEMI message registry (5500 messages): only UEFI0200-UEFI0299 (iSCSI/PXE/HTTP boot)."""
    body["Messages"] = {k: v for k, v in body["Messages"].items() if k.startswith("UEFI02")}
    body["Messages@odata.count"] = len(body["Messages"])
    return body


TRIM = {
    "redfish/v1/Systems/System.Embedded.1/Bios/BiosRegistry": trim_bios_registry,
    "redfish/v1/Registries/Messages/EEMIRegistry": trim_eemi_registry,
}


# -- copying -------------------------------------------------------------------------------------
def selected(capture_dir, patterns):
    """{relative folder: index.json path} for every pattern that matches, in sorted order."""
    found = {}
    for pattern in patterns:
        for index in capture_dir.glob(f"{pattern}/index.json"):
            found[index.parent.relative_to(capture_dir).as_posix()] = index
    return dict(sorted(found.items()))


def rendered(relative, index):
    """The bytes to store: the original file, or the trimmed one re-serialised."""
    if relative in TRIM:
        body = TRIM[relative](json.loads(index.read_text()))
        return (json.dumps(body, indent=4, ensure_ascii=False) + "\n").encode()
    return index.read_bytes()


def build(source):
    """{capture: {relative folder: bytes}}"""
    return {name: {rel: rendered(rel, index) for rel, index in selected(source / name, patterns).items()}
            for name, patterns in CAPTURES.items()}


def write(source, plan):
    shutil.copyfile(source / "LICENSE", DEST / "LICENSE")
    for name, files in plan.items():
        target = DEST / name
        shutil.rmtree(target / "redfish", ignore_errors=True)
        if (source / name / "README").is_file():  # the Mockup Creator's note: when, which service
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name / "README", target / "README")
        for relative, data in files.items():
            path = target / relative / "index.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        size = sum(len(d) for d in files.values())
        print(f"{name}: {len(files)} resources, {size / 1024:.0f} KiB")


def check(plan):
    problems = []
    for name, files in plan.items():
        present = {p.parent.relative_to(DEST / name).as_posix() for p in (DEST / name).rglob("index.json")}
        problems += [f"{name}: missing {rel}" for rel in sorted(set(files) - present)]
        problems += [f"{name}: not in the tables {rel}" for rel in sorted(present - set(files))]
        problems += [f"{name}: differs {rel}" for rel, data in files.items()
                     if rel in present and (DEST / name / rel / "index.json").read_bytes() != data]
    print("\n".join(problems) or "tests/captures matches the tables")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--check", action="store_true")
    options = parser.parse_args()
    if not (options.source / "LICENSE").is_file():
        sys.exit(f"no captures at {options.source}")
    plan = build(options.source)
    if options.check:
        sys.exit(0 if check(plan) else 1)
    DEST.mkdir(parents=True, exist_ok=True)
    write(options.source, plan)


if __name__ == "__main__":
    main()
