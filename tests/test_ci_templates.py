"""The deploy templates and the pre-commit hook call the README's commands; the supply chain is pinned; the optional
nightly OParl import runs only when set up, builds for production before it commits, and is documented."""

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator.records.history import note_of

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
    kept = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache"))
    production = next(s for s in build["steps"] if s.get("run") == "make site BUILD_FLAGS=--production")
    assert kept["with"]["path"] == "build/cache"
    assert build["steps"].index(kept) < build["steps"].index(production)  # restored before the production build


def test_gitlab_ci_tests_then_publishes_the_production_build() -> None:
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["test"]["script"] == ["bash .ci/run"]
    assert pipeline["pages"]["script"][0] == "make site BUILD_FLAGS=--production"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["pages"]["cache"]["paths"] == ["build/cache"]  # kept between pipelines
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


# --- The optional nightly import from the council information system (docs/oparl-import.md) ---

IMPORT_DOCS = ROOT / "docs" / "oparl-import.md"
IMPORT_JOB = "oparl-import"
IMPORT_COMMAND = '.venv/bin/transparenz import oparl "$OPARL_SOURCE"'
PRODUCTION_BUILD = "make site BUILD_FLAGS=--production"
IMPORT_NOTE = "Änderung: Import aus dem Ratsinformationssystem"  # its `Änderung:` line is what the site publishes
SOURCE = "https://ris.example.de/oparl/v1.0/system"

Value = str | bool | None
TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*'|\"[^\"]*\")|(?P<op>==|!=|&&|\|\||[!()])|(?P<name>\$?[A-Za-z_][\w.-]*(?:\(\))?))"
)
STATUS_CHECK = re.compile(r"\b(?:always|cancelled|failure|success)\(\)")


def truthy(value: Value) -> bool:
    return value not in (None, False, "")


class Condition:
    """A job condition as GitHub (``if:``, with or without ``${{ }}``) or GitLab (``rules: - if:``) reads it:
    strings, names (an unset one is empty), ``true``/``false``, ``==``, ``!=``, ``!``, ``&&``, ``||``, parentheses,
    and ``always()``/``cancelled()`` of a run nobody cancelled. Anything else is refused, not guessed."""

    def __init__(self, text: str, names: dict[str, Value]) -> None:
        text = text.strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        self.tokens: list[str] = []
        position, end = 0, len(text.rstrip())
        while position < end:
            found = TOKEN.match(text, position)
            if found is None or found.lastgroup is None:
                raise ValueError(f"cannot read {text[position:]!r}")
            self.tokens.append(found.group(found.lastgroup))
            position = found.end()
        self.at = 0
        self.names = names

    def value(self) -> Value:
        result = self._either()
        if self.at != len(self.tokens):
            raise ValueError(f"left over: {self.tokens[self.at :]}")
        return result

    def _next(self) -> str:
        if self.at >= len(self.tokens):
            raise ValueError("incomplete condition")
        self.at += 1
        return self.tokens[self.at - 1]

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _either(self) -> Value:
        left = self._both()
        while self._peek() == "||":
            self._next()
            right = self._both()
            left = left if truthy(left) else right
        return left

    def _both(self) -> Value:
        left = self._compare()
        while self._peek() == "&&":
            self._next()
            right = self._compare()
            left = right if truthy(left) else left
        return left

    def _compare(self) -> Value:
        left = self._single()
        operator = self._peek()
        if operator not in ("==", "!="):
            return left
        self._next()
        equal = (left or "") == (self._single() or "")
        return equal if operator == "==" else not equal

    def _single(self) -> Value:
        token = self._next()
        if token == "!":
            return not truthy(self._single())
        if token == "(":
            inner = self._either()
            if self._next() != ")":
                raise ValueError("unbalanced parentheses")
            return inner
        if token[0] in "'\"":
            return token[1:-1].replace("''", "'")
        if token in ("true", "false", "always()", "cancelled()"):
            return token in ("true", "always()")
        if token.endswith("()") or not re.fullmatch(r"\$?[A-Za-z_][\w.-]*", token):
            raise ValueError(f"not modelled here: {token}")
        return self.names.get(token.removeprefix("$"), "")


def ancestors(jobs: dict[str, Any], name: str) -> set[str]:
    """Every job that ``name`` needs, directly or through others."""
    needs = jobs[name].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(ancestors(jobs, need) for need in direct))


def github_run(
    workflow: dict[str, Any],
    event: str,
    variables: dict[str, str],
    *,
    ref: str = "refs/heads/main",
    outputs: dict[str, dict[str, str]] | None = None,
    failing: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """How each job of a run ends (success, failure, skipped), jobs in file order. A condition without a status
    check gets GitHub's implicit ``success()``: every job above it, however far up, succeeded (not skipped)."""
    jobs: dict[str, Any] = workflow["jobs"]
    results: dict[str, str] = {}
    names: dict[str, Value] = {"github.event_name": event, "github.ref": ref}
    names |= {f"vars.{key}": value for key, value in variables.items()}
    for name, job in jobs.items():
        text = str(job.get("if", "true"))
        runs = truthy(Condition(text, names).value())
        if STATUS_CHECK.search(text) is None:
            runs = runs and all(results[above] == "success" for above in ancestors(jobs, name))
        results[name] = ("failure" if name in failing else "success") if runs else "skipped"
        names[f"needs.{name}.result"] = results[name]
        if results[name] == "success":
            names |= {f"needs.{name}.outputs.{key}": value for key, value in (outputs or {}).get(name, {}).items()}
    return results


def gitlab_jobs(pipeline: dict[str, Any], variables: dict[str, str]) -> set[str]:
    """The jobs a pipeline with these variables gets: the first rule that matches decides; no rules, always."""
    jobs = set()
    for name, job in pipeline.items():
        if not (isinstance(job, dict) and "script" in job):
            continue
        for rule in job.get("rules", [{}]):
            if "if" not in rule or truthy(Condition(rule["if"], dict(variables)).value()):
                if rule.get("when", "on_success") != "never":
                    jobs.add(name)
                break
    return jobs


def check_import_commands(commands: list[str]) -> None:
    """Both templates: venv, import from the variable, production build, then commit with the public note, push."""
    lines = [line.strip() for line in commands]
    first = lines.index("make site")
    assert first < lines.index(IMPORT_COMMAND) < lines.index(PRODUCTION_BUILD)
    commit = next(number for number, line in enumerate(lines) if line.startswith("git commit "))
    push = next(number for number, line in enumerate(lines) if line.startswith("git push "))
    assert lines.index(PRODUCTION_BUILD) < lines.index("git add content") < commit < push
    message = re.findall(r'-m "([^"]*)"', lines[commit])
    assert message and message[0] == IMPORT_NOTE, lines[commit]
    assert note_of("\n\n".join(message)) == IMPORT_NOTE.removeprefix("Änderung: ")
    identity = [line for line in lines[:commit] if re.fullmatch(r'git config user\.(name|email) "[^"$]+"', line)]
    assert len(identity) == 2, "a fixed bot identity, set before the commit"


def load(template: Path) -> Any:
    return yaml.safe_load(template.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("vars.OPARL_SOURCE != ''", {}, False),
        ("vars.OPARL_SOURCE != ''", {"vars.OPARL_SOURCE": SOURCE}, True),
        ("${{ !cancelled() && needs.a-b.result != 'failure' }}", {"needs.a-b.result": "skipped"}, True),
        ("${{ !cancelled() && needs.a-b.result != 'failure' }}", {"needs.a-b.result": "failure"}, False),
        ("a == 'x' || (b == 'y' && c)", {"a": "z", "b": "y", "c": ""}, False),
        ("a == 'x' || (b == 'y' && c)", {"a": "x"}, True),
        ('$CI_PIPELINE_SOURCE == "schedule" && $OPARL_SOURCE', {"CI_PIPELINE_SOURCE": "schedule"}, False),
        (
            '$CI_PIPELINE_SOURCE == "schedule" && $OPARL_SOURCE',
            {"CI_PIPELINE_SOURCE": "push", "OPARL_SOURCE": "x"},
            False,
        ),
        (
            '$CI_PIPELINE_SOURCE == "schedule" && $OPARL_SOURCE',
            {"CI_PIPELINE_SOURCE": "schedule", "OPARL_SOURCE": "x"},
            True,
        ),
    ],
)
def test_conditions_are_read_as_the_ci_reads_them(text: str, names: dict[str, Value], expected: bool) -> None:
    assert truthy(Condition(text, names).value()) is expected


@pytest.mark.parametrize("text", ["success()", "a ==", "(a == 'b'", "a = 'b'", "contains(a, 'b')", "a == 'b' c"])
def test_a_condition_that_is_not_modelled_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Condition(text, {}).value()


def test_github_imports_nightly_and_by_hand() -> None:
    workflow = load(WORKFLOW)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in triggers
    assert [re.fullmatch(r"\d{1,2} \d{1,2} \* \* \*", entry["cron"]) is not None for entry in triggers["schedule"]] == [
        True
    ]


@pytest.mark.parametrize(
    ("event", "variables", "ref", "imports"),
    [
        ("schedule", {"OPARL_SOURCE": SOURCE}, "refs/heads/main", True),
        ("workflow_dispatch", {"OPARL_SOURCE": SOURCE}, "refs/heads/main", True),
        ("schedule", {}, "refs/heads/main", False),
        ("workflow_dispatch", {"OPARL_SOURCE": ""}, "refs/heads/main", False),
        ("workflow_dispatch", {"OPARL_SOURCE": SOURCE}, "refs/heads/other", False),
        ("push", {"OPARL_SOURCE": SOURCE}, "refs/heads/main", False),
        ("pull_request", {"OPARL_SOURCE": SOURCE}, "refs/pull/1/merge", False),
    ],
)
def test_github_imports_only_on_schedule_or_by_hand_with_oparl_source_set(
    event: str, variables: dict[str, str], ref: str, imports: bool
) -> None:
    workflow = load(WORKFLOW)
    assert "vars.OPARL_SOURCE != ''" in workflow["jobs"][IMPORT_JOB]["if"]
    assert (github_run(workflow, event, variables, ref=ref)[IMPORT_JOB] == "success") is imports


def test_github_push_and_pull_request_test_and_publish_as_before() -> None:
    workflow = load(WORKFLOW)
    push = github_run(workflow, "push", {"OPARL_SOURCE": SOURCE})
    assert push == {IMPORT_JOB: "skipped", "test-and-build": "success", "deploy": "success"}
    pull_request = github_run(workflow, "pull_request", {"OPARL_SOURCE": SOURCE}, ref="refs/pull/1/merge")
    assert pull_request == {IMPORT_JOB: "skipped", "test-and-build": "success", "deploy": "skipped"}
    by_hand = github_run(workflow, "workflow_dispatch", {})
    assert by_hand == {IMPORT_JOB: "skipped", "test-and-build": "success", "deploy": "success"}


def test_github_publishes_the_commit_the_nightly_import_pushed() -> None:
    workflow = load(WORKFLOW)
    source = {"OPARL_SOURCE": SOURCE}
    changed = {IMPORT_JOB: {"changed": "true", "commit": "0" * 40}}
    assert github_run(workflow, "schedule", source, outputs=changed) == dict.fromkeys(workflow["jobs"], "success")
    # Its token's push starts no run of its own: the same run must build exactly that commit.
    build = workflow["jobs"]["test-and-build"]
    assert build["needs"] == IMPORT_JOB
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == f"${{{{ needs.{IMPORT_JOB}.outputs.commit }}}}"
    assert workflow["jobs"][IMPORT_JOB]["outputs"]["commit"] == "${{ steps.commit.outputs.commit }}"
    assert 'echo "commit=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"' in steps_text(workflow["jobs"][IMPORT_JOB])
    # Nothing new, or the import failed: nothing is rebuilt or published.
    unchanged = {IMPORT_JOB: {"changed": "false"}}
    assert github_run(workflow, "schedule", source, outputs=unchanged) == {
        IMPORT_JOB: "success",
        "test-and-build": "skipped",
        "deploy": "skipped",
    }
    failed = github_run(workflow, "schedule", source, outputs=changed, failing=frozenset({IMPORT_JOB}))
    assert failed == {IMPORT_JOB: "failure", "test-and-build": "skipped", "deploy": "skipped"}
    assert github_run(workflow, "schedule", {}) == dict.fromkeys(workflow["jobs"], "skipped")


def test_without_a_status_check_a_skipped_import_would_stop_every_deploy() -> None:
    workflow = load(WORKFLOW)
    workflow["jobs"]["deploy"]["if"] = "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    assert github_run(workflow, "push", {})["deploy"] == "skipped"  # GitHub's implicit success() looks up the chain
    workflow["jobs"][IMPORT_JOB]["if"] = "vars.OPARL_SOURCE != ''"
    assert github_run(workflow, "push", {"OPARL_SOURCE": SOURCE})[IMPORT_JOB] == "success"  # would import on push


def test_github_import_job_imports_builds_for_production_then_commits() -> None:
    workflow = load(WORKFLOW)
    job = workflow["jobs"][IMPORT_JOB]
    assert job["permissions"] == {"contents": "write"}  # the only job that may write, and only that
    assert job["container"] == workflow["jobs"]["test-and-build"]["container"]
    check_import_commands(steps_text(job["steps"]).splitlines())
    step = next(s for s in job["steps"] if s.get("run") == IMPORT_COMMAND)
    assert step["env"] == {"OPARL_SOURCE": "${{ vars.OPARL_SOURCE }}"}  # a variable, never pasted into the script
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    assert 'git push origin "HEAD:$GITHUB_REF"' in steps_text(job["steps"])


MAIN = {"CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "main"}


@pytest.mark.parametrize(
    ("variables", "jobs"),
    [
        ({**MAIN, "CI_PIPELINE_SOURCE": "schedule", "OPARL_SOURCE": SOURCE}, {"test", IMPORT_JOB}),
        ({**MAIN, "CI_PIPELINE_SOURCE": "schedule"}, {"test", "pages"}),
        ({**MAIN, "CI_PIPELINE_SOURCE": "schedule", "OPARL_SOURCE": ""}, {"test", "pages"}),
        ({**MAIN, "CI_PIPELINE_SOURCE": "push", "OPARL_SOURCE": SOURCE}, {"test", "pages"}),
        ({**MAIN, "CI_PIPELINE_SOURCE": "web", "OPARL_SOURCE": SOURCE}, {"test", "pages"}),
        ({**MAIN, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "other"}, {"test"}),
    ],
)
def test_gitlab_imports_only_in_scheduled_pipelines_with_oparl_source_set(
    variables: dict[str, str], jobs: set[str]
) -> None:
    pipeline = load(GITLAB_CI)
    assert pipeline[IMPORT_JOB]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $OPARL_SOURCE'}]
    assert gitlab_jobs(pipeline, variables) == jobs


def test_gitlab_import_job_imports_builds_for_production_then_commits_and_pushes_with_the_token() -> None:
    pipeline = load(GITLAB_CI)
    job = pipeline[IMPORT_JOB]
    assert pipeline["stages"].index(job["stage"]) > pipeline["stages"].index(pipeline["test"]["stage"])
    commands = steps_text(job).splitlines()
    check_import_commands(commands)
    assert commands[0].startswith('test -n "$OPARL_PUSH_TOKEN" ||')  # stops before importing, not at the push
    push = next(line.strip() for line in commands if line.strip().startswith("git push "))
    assert ":${OPARL_PUSH_TOKEN}@${CI_SERVER_HOST}" in push and push.endswith('"HEAD:refs/heads/${CI_COMMIT_BRANCH}"')


def test_the_import_docs_name_the_command_every_option_and_the_ci_variables() -> None:
    text = IMPORT_DOCS.read_text(encoding="utf-8")
    assert "transparenz import oparl SOURCE" in text and "python -m generator import oparl" in text
    for option in ("--content", "--body", "--since", "--dry-run", "--since auto", "--since all"):
        assert f"`{option}" in text, option
    templates = steps_text(load(WORKFLOW)["jobs"][IMPORT_JOB]) + "\n" + WORKFLOW.read_text(encoding="utf-8")
    templates += "\n" + steps_text(load(GITLAB_CI)[IMPORT_JOB])
    variables = set(re.findall(r"\b(OPARL_[A-Z_]+)", templates))
    assert variables == {"OPARL_SOURCE", "OPARL_PUSH_TOKEN"}
    assert all(f"`{name}`" in text for name in variables), variables
    assert IMPORT_NOTE in text and "https://dev.oparl.org/" in text
    assert '"type": "https://schema.oparl.org/1.' in text
    assert "](docs/oparl-import.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["oparl", "files"])
def test_the_import_docs_name_every_option_of_the_command_itself(kind: str) -> None:
    """Each option that `import oparl --help` and `import files --help` show is on the docs page."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "import", kind, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", run.stdout)) - {"--help", "--verbose"}
    text = IMPORT_DOCS.read_text(encoding="utf-8")
    assert options and [option for option in options if f"`{option}" not in text] == []
