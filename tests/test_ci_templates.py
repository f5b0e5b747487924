"""The deploy templates and the pre-commit hook call the README's commands; the supply chain is pinned."""

import os
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import FIXTURES, ROOT


def entries(value: object, keys: set[str]) -> Iterator[tuple[str, object]]:
    """Each ``(key, value)`` of a mapping anywhere in ``value`` whose key is in ``keys`` (not looking inside it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys:
                yield key, item
            else:
                yield from entries(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from entries(item, keys)


def steps_text(data: object) -> str:
    """Every command of a workflow or pipeline, one per line."""
    found: list[str] = []
    for key, item in entries(data, {"run", "script"}):
        if isinstance(item, str):
            found.append(item)
        elif key == "script" and isinstance(item, list):
            found.extend(str(i) for i in item)
        else:
            found.extend(text for _, text in entries(item, {"run", "script"}) if isinstance(text, str))
    return "\n".join(found)


def test_the_readme_names_the_commands_the_templates_use() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_github_actions_tests_then_publishes_the_production_build() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "website.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["test-and-build"]
    commands = steps_text(build["steps"]).splitlines()
    assert commands.index("bash .ci/run") < commands.index("make site BUILD_FLAGS=--production")
    assert build["container"].startswith("python:3.11-bookworm")  # Debian: apt-get install chromium works
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))["with"] == {
        "path": "site"
    }


def test_gitlab_ci_tests_then_publishes_the_production_build() -> None:
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["test"]["script"] == ["bash .ci/run"]
    assert pipeline["pages"]["script"][0] == "make site BUILD_FLAGS=--production"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["stages"] == ["test", "deploy"]


def test_pre_commit_runs_check_and_refuses_broken_content() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == "scripts/pre-commit" and hook["pass_filenames"] is False
    script = ROOT / hook["entry"]
    assert os.access(script, os.X_OK)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    good = subprocess.run([script], cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = FIXTURES / "broken" / "unknown-reference"
    bad = subprocess.run(
        [script, "--content", str(broken)], cwd=ROOT, capture_output=True, text=True, env=env, check=False
    )
    assert bad.returncode == 1 and "unknown-reference" in bad.stdout
    assert Path(broken).is_dir()


# --- Supply chain (docs/supply-chain.md): Actions by commit, images by digest, dependencies locked with hashes ---

WORKFLOW = ROOT / ".github" / "workflows" / "website.yml"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
LOCK_FILES = sorted(ROOT.glob("requirements*.txt"))
SHA = re.compile(r"[0-9a-f]{40}")
DIGEST = re.compile(r"[^\s@]+@sha256:[0-9a-f]{64}")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!_-]+)(\s*;\s*(?P<marker>.+))?")


def unpinned_actions(text: str) -> list[str]:
    """Every `uses:` of a workflow that is not a full commit SHA with its tag as a trailing comment."""
    problems = []
    for line in text.splitlines():
        found = re.match(r"\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
        if found is None:
            continue
        ref, rest = found.groups()
        if ref.startswith("./"):  # an action in this repository: pinned by the checkout itself
            continue
        action, _, version = ref.partition("@")
        if not (SHA.fullmatch(version) and "/" in action and re.fullmatch(r"\s*#\s*v\d\S*\s*", rest)):
            problems.append(line.strip())
    return problems


def images(data: object) -> list[str]:
    """Every container image of a GitHub workflow or a GitLab pipeline (container:, image:, services:)."""
    found: list[str] = []

    def image_of(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            image_of(value.get("image", value.get("name")))

    for key, item in entries(data, {"container", "image", "services"}):
        if key != "services":
            image_of(item)
        elif isinstance(item, dict | list):
            for service in item.values() if isinstance(item, dict) else item:
                image_of(service)
    return found


def lock_entries(text: str) -> tuple[dict[str, str], list[str]]:
    """The pins of a lock file (normalised name → version) and every entry that is not `name==version` + hashes."""
    pins: dict[str, str] = {}
    problems: list[str] = []
    for entry in text.replace("\\\n", " ").splitlines():
        entry = entry.split(" #", 1)[0].strip()
        if not entry or entry.startswith("#"):
            continue
        requirement, *hashes = re.split(r"\s+(?=--hash=)", entry)
        pin = PIN.fullmatch(requirement)
        if pin is None or not hashes or not all(HASH.fullmatch(h.strip()) for h in hashes):
            problems.append(entry)
            continue
        pins[canonicalize_name(pin["name"])] = pin["version"]
    return pins, problems


def make_installs(makefile: Path) -> list[str]:
    """The pip installs that `make .venv/.runtime`, `make .venv/.dev` and `make lock` would run (make -n: a dry run)."""
    dry = subprocess.run(
        ["make", "-n", "-B", "-C", str(ROOT), "-f", str(makefile), ".venv/.runtime", ".venv/.dev", "lock"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in dry.stdout.splitlines() if "pip install" in line]


def test_every_action_is_pinned_by_commit() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count("uses:") >= 3
    assert unpinned_actions(text) == []


@pytest.mark.parametrize(
    "line",
    [
        "      - uses: actions/checkout@v4",
        "      - uses: actions/checkout@11d5960a # v4.4.0",
        "      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262",
        "        uses: actions/deploy-pages@main # v4",
    ],
)
def test_an_action_by_tag_branch_or_short_sha_is_refused(line: str) -> None:
    assert unpinned_actions(f"steps:\n{line}\n") == [line.strip()]


def test_every_image_is_pinned_by_digest() -> None:
    for template in (WORKFLOW, GITLAB_CI):
        found = images(yaml.safe_load(template.read_text(encoding="utf-8")))
        assert found, template
        assert [image for image in found if not DIGEST.fullmatch(image)] == [], template


def test_an_image_by_tag_is_refused() -> None:
    pipeline = {"image": "python:3.11-bookworm", "job": {"services": [{"name": "postgres:16"}]}}
    workflow = {"jobs": {"a": {"container": {"image": "python:3.11@sha256:" + "0" * 63}}}}
    assert images(pipeline) == ["python:3.11-bookworm", "postgres:16"]
    assert not any(DIGEST.fullmatch(image) for image in images(pipeline) + images(workflow))


def test_every_requirement_is_locked_by_version_and_hash() -> None:
    names = {path.name for path in LOCK_FILES}
    assert {"requirements.txt", "requirements-dev.txt", "requirements-pip.txt"} <= names
    for path in LOCK_FILES:
        text = path.read_text(encoding="utf-8")
        pins, problems = lock_entries(text)
        assert pins and problems == [], path.name
        assert "make lock" in text.split("\n", 3)[1], path.name  # the header says how to regenerate it
        assert "file:" not in text and "/opt/" not in text, path.name  # this machine's local indexes stay out


@pytest.mark.parametrize(
    "text",
    [
        "mkdocs==1.6.1\n",
        "mkdocs>=1.6 \\\n    --hash=sha256:" + "a" * 64 + "\n",
        "mkdocs==1.6.1 \\\n    --hash=sha256:" + "a" * 63 + "\n",
        "mkdocs==1.6.1 \\\n    --hash=md5:" + "a" * 32 + "\n",
        "-r requirements.txt\n",
        "--extra-index-url file:///opt/pypi/simple\n",
    ],
)
def test_a_requirement_without_pin_or_hash_is_refused(text: str) -> None:
    assert lock_entries(text)[1] != []


# The generator itself, from this checkout: nothing is downloaded (no dependencies, no build isolation).
SELF_INSTALL = "--no-deps --no-build-isolation -e ."


def test_make_installs_only_hash_checked_lock_files() -> None:
    installs = [line for line in make_installs(ROOT / "Makefile") if not line.endswith(SELF_INSTALL)]
    assert installs and all("--require-hashes" in line for line in installs), installs
    assert any(line.endswith(SELF_INSTALL) for line in make_installs(ROOT / "Makefile"))
    for lock in ("requirements-pip.txt", "requirements.txt", "requirements-dev.txt"):
        assert any(f"-r {lock}" in line for line in installs), lock
    assert not any(re.search(r"pip install\b(?!.*-r )", line) for line in installs), installs  # nothing by name


def test_an_install_without_hash_checking_is_refused(tmp_path: Path) -> None:
    makefile = tmp_path / "Makefile"
    makefile.write_text(
        (ROOT / "Makefile").read_text(encoding="utf-8").replace("--require-hashes", ""), encoding="utf-8"
    )
    assert not all("--require-hashes" in line for line in make_installs(makefile))


def test_the_lock_files_hold_every_dependency_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    locked_runtime = lock_entries((ROOT / "requirements.txt").read_text(encoding="utf-8"))[0]
    locked_dev = lock_entries((ROOT / "requirements-dev.txt").read_text(encoding="utf-8"))[0]
    assert lock_mismatches(runtime, locked_runtime) == []
    assert lock_mismatches(runtime + dev, locked_dev) == []
    assert {name: locked_dev.get(name) for name in locked_runtime} == locked_runtime  # one version of each


def lock_mismatches(wanted: list[Requirement], locked: dict[str, str]) -> list[str]:
    """The requirements of pyproject.toml that a lock file lacks or pins outside their range."""
    return [
        str(r)
        for r in wanted
        if canonicalize_name(r.name) not in locked or not r.specifier.contains(locked[canonicalize_name(r.name)])
    ]


def test_a_lock_file_behind_pyproject_is_refused() -> None:
    locked = {"mkdocs": "1.6.1", "pyyaml": "6.0.4"}
    assert lock_mismatches([Requirement("mkdocs==1.6.1"), Requirement("PyYAML>=6")], locked) == []
    assert lock_mismatches([Requirement("mkdocs==1.6.1"), Requirement("Jinja2")], locked) == ["Jinja2"]
    assert lock_mismatches([Requirement("pyyaml>=7")], locked) == ["pyyaml>=7"]
