"""The execution environment (issue 13, part 4): `ansible-builder create` on meta/execution-environment.yml of the
installed tarball writes a build context whose Containerfile installs the collection, and in which the collection's
Python requirements and system packages (requirements.txt, bindep.txt) are where ansible-builder takes them from.
No container engine is needed: the two stages that read the collection are run here as the Containerfile runs them
(the galaxy stage's `ansible-galaxy collection install -r requirements.yml` in the context's _build folder, then the
builder stage's introspect.py over the installed collections), so the collection-level metadata that any other
execution environment reads when it lists vmw.sanboot is checked too."""
import json
import re
import shutil
import subprocess
import sys

import yaml

from collection_package import COLLECTION, GALAXY, REPO_BIN, clean_env, run

EE_COLLECTIONS = "/usr/share/ansible/collections"


def requirement_lines(path):
    return [line.split("#")[0].strip() for line in path.read_text().splitlines() if line.split("#")[0].strip()]


def test_meta_holds_the_same_requirements_as_the_collection_root():
    # ansible-builder reads these two names relative to meta/ for `create -f meta/execution-environment.yml`,
    # and relative to the collection root when another execution environment introspects the collection
    for name in ("requirements.txt", "bindep.txt"):
        assert (COLLECTION / "meta" / name).read_bytes() == (COLLECTION / name).read_bytes(), \
            f"meta/{name} differs from {name}: copy {name} over it"
        assert not (COLLECTION / "meta" / name).is_symlink()


def test_ansible_builder_create_makes_a_context_that_installs_the_collection(tmp_path, collection_tarball):
    env = clean_env(REPO_BIN, ANSIBLE_HOME=tmp_path / "ansible-home")
    run([REPO_BIN / "ansible-galaxy", "collection", "install", collection_tarball, "-p", tmp_path / "collections"],
        cwd=tmp_path, env=env)
    installed = tmp_path / "collections" / "ansible_collections" / "vmw" / "sanboot"
    context = tmp_path / "context"
    run([REPO_BIN / "ansible-builder", "create", "-f", installed / "meta" / "execution-environment.yml", "-c", context,
         "--output-filename", "Containerfile"], cwd=tmp_path, env=env)
    build = context / "_build"
    containerfile = (context / "Containerfile").read_text()

    # the Python requirements and the system packages, where ansible-builder puts a definition's own
    assert (build / "requirements.txt").read_text() == (COLLECTION / "requirements.txt").read_text()
    assert (build / "bindep.txt").read_text() == (COLLECTION / "bindep.txt").read_text()
    assert "COPY _build/requirements.txt requirements.txt\n" in containerfile
    assert "COPY _build/bindep.txt bindep.txt\n" in containerfile
    introspect = re.search(r"^RUN \$PYCMD /output/scripts/introspect.py introspect (.*)$", containerfile, re.MULTILINE)
    assert introspect and {"--user-pip=requirements.txt", "--user-bindep=bindep.txt"} <= set(introspect[1].split())
    # ansible-core from the collection's range, and ansible-runner (the execution environment's entry point)
    refs = re.search(r'^ARG ANSIBLE_INSTALL_REFS="(.*)"$', containerfile, re.MULTILINE)[1].split()
    core = next(line for line in requirement_lines(COLLECTION / "requirements.txt") if line.startswith("ansible-core"))
    assert refs[0] == core.replace(" ", "") and refs[1].startswith("ansible-runner")

    # the galaxy stage installs the collection from the copy of it in the context
    assert yaml.safe_load((build / "requirements.yml").read_text()) == \
        {"collections": [{"name": "./collection/vmw.sanboot", "type": "dir"}]}
    manifest = json.loads((build / "collection" / "vmw.sanboot" / "MANIFEST.json").read_text())["collection_info"]
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == \
        (GALAXY["namespace"], GALAXY["name"], GALAXY["version"])
    galaxy_stage = containerfile[containerfile.index("FROM base AS galaxy"):containerfile.index("FROM base AS builder")]
    assert "COPY _build /build\nWORKDIR /build\n" in galaxy_stage
    assert re.search(r"^RUN .*ansible-galaxy collection install .*-r requirements.yml "
                     rf'--collections-path "{EE_COLLECTIONS}"$', galaxy_stage, re.MULTILINE)
    assert f"COPY --from=galaxy {EE_COLLECTIONS.rsplit('/', 1)[0]} {EE_COLLECTIONS.rsplit('/', 1)[0]}" in \
        containerfile[containerfile.index("FROM base AS final"):]

    # the galaxy stage, run here: `ansible-galaxy collection install -r requirements.yml` in a copy of _build
    stage = shutil.copytree(build, tmp_path / "build", symlinks=True)
    ee_collections = tmp_path / "ee" / "collections"
    run([REPO_BIN / "ansible-galaxy", "collection", "install", "-r", "requirements.yml", "--collections-path",
         ee_collections], cwd=stage, env=env)
    in_image = ee_collections / "ansible_collections" / "vmw" / "sanboot"
    assert json.loads((in_image / "MANIFEST.json").read_text())["collection_info"]["version"] == GALAXY["version"]
    assert sorted(p.relative_to(in_image).as_posix() for p in in_image.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file())

    # the builder stage's introspection over those collections: the collection's own requirements (less what
    # ansible-builder leaves to the image: ansible-core, PyYAML) and its system packages, beside the definition's
    out = tmp_path / "introspected"
    out.mkdir()
    subprocess.run([sys.executable, stage / "scripts" / "introspect.py", "introspect", ee_collections,
                    f"--user-pip={stage / 'requirements.txt'}", f"--user-bindep={stage / 'bindep.txt'}",
                    f"--write-pip={out / 'requirements.txt'}", f"--write-bindep={out / 'bindep.txt'}"],
                   check=True, capture_output=True, text=True)
    python = (out / "requirements.txt").read_text().splitlines()
    system = (out / "bindep.txt").read_text().splitlines()
    wanted = requirement_lines(COLLECTION / "requirements.txt")
    from_collection = [line for line in wanted if not line.lower().startswith(("ansible-core", "pyyaml"))]
    assert [ln for ln in python if ln.endswith("# from collection vmw.sanboot")] == \
        [f"{line}  # from collection vmw.sanboot" for line in from_collection]
    assert [ln for ln in python if ln.endswith("# from collection user")] == \
        [f"{line}  # from collection user" for line in wanted]
    packages = requirement_lines(COLLECTION / "bindep.txt")
    assert packages == ["ca-certificates"]
    assert [ln for ln in system if "vmw.sanboot" in ln] == [f"{p}  # from collection vmw.sanboot" for p in packages]
