"""The deploy templates and the pre-commit hook call the README's commands."""

import os
import subprocess
from pathlib import Path

import yaml

from .conftest import FIXTURES, ROOT


def steps_text(data: object) -> str:
    """Every command of a workflow or pipeline, one per line."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("run", "script") and isinstance(item, str):
                    found.append(item)
                elif key == "script" and isinstance(item, list):
                    found.extend(str(i) for i in item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
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
