"""Copy the DMTF schema files the project needs out of shared/redfish, with their licence.

JSON schemas go to src/sanboot_mockup/schemas (the mockup validates PATCH bodies with them);
CSDL files go to tests/schemas/csdl (the Service Validator's offline schema directory).
Both sets are the transitive closure of the files the mockup serves, so nothing dangles.
Run again after the mockup starts serving a new resource type.
"""
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "redfish"

# Versioned JSON schemas of every resource whose PATCH or POST body the mockup checks.
JSON_ROOTS = [
    "NetworkDeviceFunction.v1_11_1.json", "ComputerSystem.v1_27_0.json", "BootOption.v1_0_6.json",
    "SessionService.v1_2_0.json", "Session.v1_8_0.json", "AccountService.v1_18_1.json",
    "ManagerAccount.v1_14_1.json", "VirtualMedia.v1_6_5.json", "Manager.v1_24_0.json",
    "Chassis.v1_28_0.json", "NetworkAdapter.v1_14_0.json", "LogService.v1_9_0.json",
    "TaskService.v1_3_0.json", "ServiceRoot.v1_20_0.json", "Role.v1_3_3.json",
    "NetworkInterface.v1_2_3.json", "LogEntry.v1_21_0.json", "Task.v1_7_4.json",
]
# CSDL of every namespace the mockup's $metadata references.
CSDL_ROOTS = [
    "ServiceRoot_v1.xml", "SessionService_v1.xml", "Session_v1.xml", "SessionCollection_v1.xml",
    "AccountService_v1.xml", "ManagerAccount_v1.xml", "ManagerAccountCollection_v1.xml",
    "Role_v1.xml", "RoleCollection_v1.xml", "ComputerSystem_v1.xml", "ComputerSystemCollection_v1.xml",
    "BootOption_v1.xml", "BootOptionCollection_v1.xml", "Chassis_v1.xml", "ChassisCollection_v1.xml",
    "NetworkAdapter_v1.xml", "NetworkAdapterCollection_v1.xml", "NetworkDeviceFunction_v1.xml",
    "NetworkDeviceFunctionCollection_v1.xml", "NetworkInterface_v1.xml", "NetworkInterfaceCollection_v1.xml",
    "Manager_v1.xml", "ManagerCollection_v1.xml", "VirtualMedia_v1.xml", "VirtualMediaCollection_v1.xml",
    "LogService_v1.xml", "LogServiceCollection_v1.xml", "LogEntry_v1.xml", "LogEntryCollection_v1.xml",
    "TaskService_v1.xml", "Task_v1.xml", "TaskCollection_v1.xml", "Settings_v1.xml", "Message_v1.xml",
    "RedfishExtensions_v1.xml", "Resource_v1.xml", "RedfishError_v1.xml",
]


def closure(folder, roots, pattern):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or not (folder / name).exists():
            continue
        seen.add(name)
        todo.extend(set(pattern.findall((folder / name).read_text())))
    return sorted(seen)


def is_link(file_name, definition):
    """A ref to an unversioned resource type (X.json#/definitions/X) is a link: not followed."""
    return file_name == definition + ".json"


def json_closure(folder, roots):
    """Files reachable from the root resources' definitions, following refs definition by
    definition, the way the mockup's PATCH checker walks them."""
    files, seen = set(), set()
    todo = [(name, name.split(".")[0]) for name in roots]
    cache = {}
    while todo:
        file_name, definition = todo.pop()
        if (file_name, definition) in seen or not (folder / file_name).exists():
            continue
        seen.add((file_name, definition))
        files.add(file_name)
        doc = cache.setdefault(file_name, json.loads((folder / file_name).read_text()))
        node = doc.get("definitions", {}).get(definition, {})
        for ref in re.findall(r'"\$ref": "([^"]*)"', json.dumps(node)):
            target, _, frag = ref.partition("#/definitions/")
            target_file = target.rsplit("/", 1)[-1] or file_name
            if target and is_link(target_file, frag):
                continue
            todo.append((target_file, frag))
    return sorted(files)


def main():
    json_dir = ROOT / "src" / "sanboot_mockup" / "schemas"
    csdl_dir = ROOT / "tests" / "schemas" / "csdl"
    for target in (json_dir, csdl_dir):
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copy(SHARED / "LICENSE.md", target / "LICENSE.md")
    for name in json_closure(SHARED / "json-schema", JSON_ROOTS):
        shutil.copy(SHARED / "json-schema" / name, json_dir / name)
    shutil.copy(SHARED / "registries" / "Base.1.22.1.json", json_dir / "Base.1.22.1.json")
    csdl_ref = re.compile(r'Uri="[^"]*/([A-Za-z0-9_.-]+\.xml)"')
    for name in closure(SHARED / "csdl", CSDL_ROOTS, csdl_ref):
        shutil.copy(SHARED / "csdl" / name, csdl_dir / name)
    print(json.dumps({"json": len(list(json_dir.glob("*.json"))), "csdl": len(list(csdl_dir.glob("*.xml")))}))


if __name__ == "__main__":
    main()
