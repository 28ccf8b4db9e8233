"""The linters the Ansible package applies to every collection it includes (issue 13, part 5), with no ignore list:
`antsibull-docs lint-collection-docs --plugin-docs` (every plugin's DOCUMENTATION, EXAMPLES and RETURN as ansible-doc
reads them, the collection's docs and links) and `antsibull-changelog lint` (the fragments). The changelog of the
current release (galaxy.yml's version) was made once by `antsibull-changelog release`: changelogs/changelog.yaml
lints, CHANGELOG.rst is what `antsibull-changelog generate` makes of it and names the version, the fragments it
consumed are gone, and a fragment added after the release still lints."""
import shutil
import subprocess

import yaml

from collection_package import COLLECTION, GALAXY, REPO_BIN, clean_env, copy_tree
from support.mockup import ROOT

VERSION = GALAXY["version"]


def antsibull(tool, *args, cwd, home, collections=ROOT / "collections"):
    """(returncode, output) of an antsibull tool, with the venv's bin first on PATH (they call ansible-doc) and
    ANSIBLE_COLLECTIONS_PATH naming `collections` alone."""
    proc = subprocess.run([str(REPO_BIN / tool), *map(str, args)], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300,
                          env=clean_env(REPO_BIN, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_HOME=home / ".ansible"))
    return proc.returncode, proc.stdout


def test_the_plugin_docs_pass_the_collection_docs_linter(tmp_path):
    code, output = antsibull("antsibull-docs", "lint-collection-docs", "--plugin-docs", COLLECTION,
                             cwd=tmp_path, home=tmp_path)
    assert (code, output.strip()) == (0, ""), output[-6000:]


def test_the_changelog_fragments_pass_the_changelog_linter(tmp_path):
    code, output = antsibull("antsibull-changelog", "lint", cwd=COLLECTION, home=tmp_path)
    assert (code, output.strip()) == (0, ""), output


def test_the_release_changelog_lints_and_names_the_version(tmp_path):
    code, output = antsibull("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml",
                             cwd=COLLECTION, home=tmp_path)
    assert (code, output.strip()) == (0, ""), output
    changelog = yaml.safe_load((COLLECTION / "changelogs" / "changelog.yaml").read_text())
    assert VERSION in changelog["releases"], f"no release {VERSION} in changelogs/changelog.yaml"
    release = changelog["releases"][VERSION]
    assert release["changes"]["release_summary"] and release["modules"]
    rst = (COLLECTION / "CHANGELOG.rst").read_text()
    assert f"\nv{VERSION}\n{'=' * len('v' + VERSION)}\n" in rst
    assert all(f"- {m['name']} - {m['description']}" in rst for m in release["modules"])
    # release consumed its fragments (keep_fragments: false); the ones left are for the next release
    left = {p.name for p in (COLLECTION / "changelogs" / "fragments").glob("*")} if \
        (COLLECTION / "changelogs" / "fragments").is_dir() else set()
    stale = left & set(release["fragments"])
    assert not stale, f"fragments of {VERSION} still here: {stale}"


def test_changelog_rst_is_what_antsibull_changelog_generates(tmp_path):
    copy = copy_tree(COLLECTION, tmp_path / "ansible_collections" / "vmw" / "sanboot",
                     skip={"tests/output", "changelogs/fragments", "changelogs/.plugin-cache.yaml"})
    (copy / "CHANGELOG.rst").unlink()
    code, output = antsibull("antsibull-changelog", "generate", cwd=copy, home=tmp_path, collections=tmp_path)
    assert code == 0, output
    assert (copy / "CHANGELOG.rst").read_text() == (COLLECTION / "CHANGELOG.rst").read_text(), \
        "CHANGELOG.rst differs from changelogs/changelog.yaml: run antsibull-changelog generate"


def test_a_fragment_added_after_the_release_lints_and_a_bad_one_does_not(tmp_path):
    copy = tmp_path / "sanboot"
    copy_tree(COLLECTION / "changelogs", copy / "changelogs", skip={".plugin-cache.yaml"})
    shutil.copy(COLLECTION / "galaxy.yml", copy / "galaxy.yml")
    fragments = copy / "changelogs" / "fragments"
    fragments.mkdir(exist_ok=True)
    (fragments / "after-the-release.yml").write_text(
        "minor_changes:\n  - rollout playbook - a change made after the 0.1.0 release.\n")
    code, output = antsibull("antsibull-changelog", "lint", cwd=copy, home=tmp_path)
    assert (code, output.strip()) == (0, ""), output
    (fragments / "bad.yml").write_text("new_stuff:\n  - not a section of changelogs/config.yaml\n")
    code, output = antsibull("antsibull-changelog", "lint", cwd=copy, home=tmp_path)
    assert code != 0 and "bad.yml" in output and "after-the-release.yml" not in output, output
