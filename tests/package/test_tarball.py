"""Built and installed as users do (issue 13, part 1): `ansible-galaxy collection build` makes a tarball that holds
the collection and nothing else (galaxy.yml's build_ignore), and the installed tarball, in a fresh virtualenv made
only from the collection's requirements.txt, rolls out a small generated fleet served by the mockup: a standard
BMC, an iDRAC10, an iLO 6 and an XCC, every host booted from its LUN, no secret in the output. The controller
finds vmw.sanboot in the install folder alone: the repository's collections are on no path it reads."""
import json
import re
import subprocess
import tarfile

import pytest
import yaml

from collection_package import COLLECTION, GALAXY, REPO_BIN, build, copy_tree
from support.generated_fleet import FAST_TIMING, GeneratedLab
from support.mockup import ROOT

NETS = (60, 64)                      # this suite's loopback range: BMCs 127.0.60.x, hosts 127.0.64.x
PERSONALITIES = ("dmtf", "idrac10", "ilo6", "xcc")
# What a collection tarball may hold at its top level: the collection's own content and ansible-galaxy's two files.
TOP_LEVEL = {"MANIFEST.json", "FILES.json", "README.md", "CHANGELOG.rst", "requirements.txt", "bindep.txt",
             "meta", "plugins", "roles", "playbooks", "docs", "changelogs", "tests"}
FORBIDDEN_PARTS = {"__pycache__", ".venv", ".state", ".benchmarks", ".pytest_cache", ".git", "output", "fragments",
                   "unit", ".ansible"}
FORBIDDEN_SUFFIXES = (".pyc", ".pyo", ".tar.gz", ".retry", ".swp", "~")
# What a run of the tests or of the tools leaves in a working tree, planted in a copy before it is built.
LITTER = ["tests/output/junit/python3.11-units.xml", "tests/output/.tmp/sanity/x.json", ".venv/bin/python",
          ".state/lab/ca.pem", ".benchmarks/run.json", ".pytest_cache/v/cache/lastfailed",
          "plugins/module_utils/__pycache__/transport.cpython-311.pyc", "plugins/modules/stray.pyc",
          "changelogs/fragments/unreleased.yml", "changelogs/.plugin-cache.yaml", "vmw-sanboot-0.0.1.tar.gz",
          "playbooks/rollout.retry", ".ansible/collections/x"]


def names(tarball, files_only=False):
    with tarfile.open(tarball) as archive:
        return [m.name for m in archive.getmembers() if m.isfile() or not files_only]


def forbidden(name):
    parts = name.split("/")
    return (parts[0] not in TOP_LEVEL or FORBIDDEN_PARTS & set(parts) or name.endswith(FORBIDDEN_SUFFIXES)
            or (parts[0] == "tests" and len(parts) > 1 and parts[1] != "sanity"))


def source_files():
    """The collection's files a user must get: everything but tests' and tools' litter and the unit tests."""
    found = set()
    for path in COLLECTION.rglob("*"):
        relative = path.relative_to(COLLECTION).as_posix()
        if path.is_file() and not forbidden(relative) and not relative.startswith((".", "tests/output")):
            found.add(relative)
    return found


def test_the_tarball_holds_the_collection_and_nothing_else(collection_tarball):
    listed = names(collection_tarball)
    assert not [n for n in listed if forbidden(n)], "the tarball holds what a user must not get"
    files = {n for n in listed if n not in ("MANIFEST.json", "FILES.json")}
    outside = [n for n in files if not (COLLECTION / n).exists()]
    assert not outside, f"not from the collection: {outside}"
    missing = source_files() - files
    assert not missing, f"left out of the tarball: {sorted(missing)}"
    with tarfile.open(collection_tarball) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
    assert {k: manifest[k] for k in ("namespace", "name", "version", "license", "dependencies")} == \
        {k: GALAXY[k] for k in ("namespace", "name", "version", "license", "dependencies")}
    # the collection's own tests: the sanity ignore files only (see galaxy.yml's build_ignore)
    assert sorted(n for n in names(collection_tarball, files_only=True) if n.startswith("tests/")) == \
        sorted(f"tests/sanity/{p.name}" for p in (COLLECTION / "tests" / "sanity").glob("ignore-*.txt"))


def test_build_ignore_leaves_out_what_tests_and_tools_leave_in_the_tree(tmp_path, collection_tarball):
    source = copy_tree(COLLECTION, tmp_path / "ansible_collections" / "vmw" / "sanboot", skip={"tests/output"})
    for relative in LITTER:
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text("litter\n")
    litter_tarball = build(source, tmp_path / "build")
    assert not [n for n in names(litter_tarball) if forbidden(n)], "build_ignore lets litter into the tarball"
    assert set(names(litter_tarball, files_only=True)) == set(names(collection_tarball, files_only=True))


def test_requirements_hold_the_controller_packages_in_ranges_that_take_the_pinned_versions():
    from packaging.requirements import Requirement  # the repository's venv has it (pip, ansible-core)
    pinned = {}
    for line in re.findall(r'"([^"]+==[^"]+)"', (ROOT / "pyproject.toml").read_text()):
        name, version = line.split("==")
        pinned[name.lower()] = version
    lines = [ln.split("#")[0].strip() for ln in (COLLECTION / "requirements.txt").read_text().splitlines()]
    required = {r.name.lower(): r for r in map(Requirement, filter(None, lines))}
    assert set(required) == {"ansible-core", "redfish", "tenacity", "pyyaml"}
    for name, requirement in required.items():
        assert requirement.specifier.contains(pinned[name]), (name, str(requirement.specifier), pinned[name])
        assert any(s.operator == "<" for s in requirement.specifier), f"{name}: no upper bound"
    runtime = yaml.safe_load((COLLECTION / "meta" / "runtime.yml").read_text())
    assert runtime["requires_ansible"] == ">=2.19.0"
    assert required["ansible-core"].specifier.contains(pinned["ansible-core"])


@pytest.fixture
def lab(tmp_path):
    lab = GeneratedLab(tmp_path / "lab", len(PERSONALITIES), PERSONALITIES, FAST_TIMING,
                       {"poll_interval": 0.2, "graceful_timeout": 1, "boot_timeout": 60}, NETS).start()
    yield lab
    lab.stop()


def static_inventory(lab, folder):
    """The lab's hosts as a plain YAML inventory, what a user writes (read once from the fleet file by the
    repository's sanboot_fleet plugin, run from the repository's venv), beside the lab's group_vars."""
    plugin_folder = folder / "plugin"
    plugin_folder.mkdir()
    (plugin_folder / "fleet.yml").write_text((lab.inventory / "fleet.yml").read_text())
    (plugin_folder / "hosts.sanboot_fleet.yml").write_text((lab.inventory / "hosts.sanboot_fleet.yml").read_text())
    exported = subprocess.run([str(REPO_BIN / "ansible-inventory"), "--list", "--export", "--yaml",
                               "-i", str(plugin_folder / "hosts.sanboot_fleet.yml")],
                              cwd=ROOT, check=True, capture_output=True, text=True,
                              env={"PATH": f"{REPO_BIN}:/usr/bin:/bin", "HOME": str(folder),
                                   "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_HOME": str(folder / "home"),
                                   "SANBOOT_LAB_STATE_DIR": str(lab.mockup.state_dir)}).stdout
    hosts = lab.inventory / "hosts.yml"
    hosts.write_text(exported)
    assert set(yaml.safe_load(exported)["all"]["children"]["esxi_hosts"]["hosts"]) == set(lab.hosts)
    return hosts


def test_the_installed_tarball_rolls_out_a_fleet_from_a_fresh_virtualenv(controller, lab, tmp_path):
    installed = controller.installed
    assert (installed / "MANIFEST.json").is_file()
    assert controller.requirements.read_text() == (COLLECTION / "requirements.txt").read_text()
    packages = {p["name"].lower() for p in controller.json(["python", "-m", "pip", "list", "--format", "json"])}
    assert {"ansible-core", "redfish", "tenacity", "pyyaml"} <= packages
    assert not packages & {"ansible", "vmw-sanboot", "aiohttp", "pytest", "ansible-runner", "ansible-lint"}
    # vmw.sanboot is found in the install folder and nowhere else
    listing = controller.json(["ansible-galaxy", "collection", "list", "vmw.sanboot", "--format", "json"])
    assert {path: list(found) for path, found in listing.items() if found} == \
        {str(controller.collections / "ansible_collections"): ["vmw.sanboot"]}
    doc = controller.json(["ansible-doc", "--json", "vmw.sanboot.configure"])
    assert doc["vmw.sanboot.configure"]["doc"]["filename"].startswith(str(installed) + "/")
    source = str(ROOT / "collections")

    inventory = static_inventory(lab, tmp_path)
    proc = subprocess.run([str(controller.bin / "ansible-playbook"), "-vv", "vmw.sanboot.rollout", "-i", inventory],
                          cwd=controller.folder, env=controller.env(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    output = proc.stdout
    (tmp_path / "rollout.txt").write_text(output)
    assert proc.returncode == 0, output[-6000:]
    # every task ran from the installed copy (-vv prints each task's path), none from the source tree
    task_paths = re.findall(r"^task path: (\S+):\d+$", output, re.MULTILINE)
    assert task_paths and all(p.startswith(str(installed) + "/") for p in task_paths), sorted(set(task_paths))[:5]
    assert source not in output
    assert str(controller.bin / "python") in output   # the fresh venv's interpreter ran it (-vv prints it)
    for host in lab.hosts:
        history = lab.bmc(host).admin("boot-history")
        target = lab.target(host)
        booted_from = history.get("booted_from") or {}
        assert history["power"] == "On", host
        assert (booted_from.get("target"), booted_from.get("lun")) == (target["iqn"], target["luns"][0]["id"]), host
        assert history["boots"][-1]["outcome"] == "booted", (host, history["boots"][-1])
    leaked = [s for s in lab.secrets() if s in output]
    assert not leaked, "a secret of the fleet is in the rollout's output"
