import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli

from .conftest import CONFIG, FIXTURES, ROOT


def run(*args: str, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False
    )


def test_check_lists_every_problem_as_path_line_column_code_then_a_count() -> None:
    result = run("check", "--content", "tests/fixtures/broken/many")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        # the organisation's own file has a problem, but it exists: its id is suggested
        "tests/fixtures/broken/many/agreements/v.yml:5:5: unknown-reference Keine Organisation mit der Kennung "
        "„kreiss“ in organizations/ – meinten Sie „kreis“?",
        "tests/fixtures/broken/many/organizations/kreis.yml:3:1: unknown-field Das Feld „shortname“ gibt es hier nicht "
        "– meinten Sie „short_name“?",
        "tests/fixtures/broken/many/papers/p.yml:4:1: invalid-date Feld „date“: Monat 13 gibt es nicht; erlaubt ist "
        "JJJJ (2013), JJJJ-MM (2013-07) oder JJJJ-MM-TT (2013-07-05)",
        "tests/fixtures/broken/many/papers/p.yml:5:1: unknown-reference Keine Organisation mit der Kennung "
        "„kreiss“ in organizations/ – meinten Sie „kreis“?",
        "tests/fixtures/broken/many/sessions/s.yml:3:1: duplicate-key Der Schlüssel „name“ steht hier zum zweiten Mal "
        "(zuerst in Zeile 2): einen der beiden löschen; geprüft wird der erste",
        "5 Probleme in 4 Dateien gefunden; die Website wurde nicht verändert. Erklärung der Codes: docs/fehlercodes.md",
    ]
    assert "Traceback" not in result.stderr


def test_check_as_json_for_tools() -> None:
    result = run("check", "--content", "tests/fixtures/broken/many", "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in problems] == [
        ("tests/fixtures/broken/many/agreements/v.yml", 5, 5, "unknown-reference"),
        ("tests/fixtures/broken/many/organizations/kreis.yml", 3, 1, "unknown-field"),
        ("tests/fixtures/broken/many/papers/p.yml", 4, 1, "invalid-date"),
        ("tests/fixtures/broken/many/papers/p.yml", 5, 1, "unknown-reference"),
        ("tests/fixtures/broken/many/sessions/s.yml", 3, 1, "duplicate-key"),
    ]
    assert problems[1]["message"] == "Das Feld „shortname“ gibt es hier nicht – meinten Sie „short_name“?"
    fine = run("check", "--content", "tests/fixtures/valid", "--format", "json")
    assert fine.returncode == 0 and json.loads(fine.stdout) == {"records": 14, "problems": [], "warnings": []}


def test_check_passes_on_the_real_content() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Keine Probleme:")


@pytest.mark.parametrize(
    "args",
    [(), ("publish",), ("build", "--unbekannt"), ("check", "--content", "gibt-es-nicht")],
)
def test_wrong_usage_exits_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_build_exits_0_and_reports(tmp_path: Path) -> None:
    result = run(
        "build", "--content", str(FIXTURES / "valid"), "--site", str(tmp_path / "site"), "--docs", str(tmp_path / "d")
    )
    assert result.returncode == 0, result.stderr
    assert "Website gebaut: 14 Datensätze" in result.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    assert "Traceback" not in result.stderr and "MkDocs 2.0" not in result.stderr + result.stdout
    assert "Hinweis: Die öffentliche Adresse ist nicht gesetzt" in result.stderr
    # Without a terminal (a CI log), one plain line per stage with the time since the start.
    stages = [line.split("] ", 1)[1] for line in result.stderr.splitlines() if line.startswith("[")]
    assert (
        stages[0] == f"Datensätze lesen und prüfen ({FIXTURES / 'valid'})"
        and stages[-1] == "Suchindex bauen (Pagefind)"
    )
    assert any(s.startswith("14 Datensätze geprüft") for s in stages) and any(
        "Seiten mit MkDocs bauen" in s for s in stages
    )


@pytest.mark.slow
def test_public_address_comes_from_site_url(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run("build", "--site", str(site), "--docs", str(tmp_path / "d"), site_url="https://ziele.example.org/")
    assert result.returncode == 0, result.stderr
    assert "Hinweis" not in result.stderr
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://ziele.example.org/vorlagen/50-2669-xv-2013/</loc>" in sitemap
    assert '<link rel="canonical" href="https://ziele.example.org/vereinbarungen/' in (
        site / "vereinbarungen" / "gemeinsame-vereinbarung-sgb2-2013" / "index.html"
    ).read_text(encoding="utf-8")


def test_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(paths: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(cli, "check", boom)
    assert cli.main(["check", "--content", str(FIXTURES / "valid")]) == 1
    captured = capsys.readouterr()
    assert "Interner Fehler (RuntimeError: kaputt)" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    assert cli.main(["build", "--content", str(FIXTURES / "valid"), "--config", str(tmp_path / "x.yml")]) == 2
    assert CONFIG.is_file()


@pytest.mark.slow
def test_production_build_refuses_missing_settings(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run("build", "--production", "--site", str(site), "--docs", str(tmp_path / "d"))
    assert result.returncode == 1
    assert "site_config/settings.yml:7:1: missing-setting Einstellung „operator.name“ fehlt" in result.stdout
    assert not site.exists()
    dev = run("build", "--site", str(site), "--docs", str(tmp_path / "d"))
    assert dev.returncode == 0 and "Warnung: site_config/settings.yml:7:1: missing-setting" in dev.stderr


@pytest.mark.slow
def test_new_then_check_from_the_command_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    made = run("new", "session", "kreistag-2020-06-01", "--content", str(content), "--organization", "kreistag")
    assert made.returncode == 0 and "angelegt" in made.stdout
    again = run("new", "session", "kreistag-2020-06-01", "--content", str(content), "--organization", "kreistag")
    assert again.returncode == 2 and "gibt es schon" in again.stderr and "Traceback" not in again.stderr
    checked = run("check", "--content", str(content))
    assert checked.returncode == 0
    assert f"Warnung: {content.as_posix()}/sessions/kreistag-2020-06-01.yml:3:1: placeholder" in checked.stderr
    refused = run("build", "--production", "--content", str(content), "--site", str(tmp_path / "site"))
    assert refused.returncode == 1 and ": placeholder Feld „name“" in refused.stdout
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("-v", "check", "--content", "tests/fixtures/valid"),
        ("check", "-v", "--content", "tests/fixtures/valid"),
        ("check", "--content", "tests/fixtures/valid", "--verbose"),
        ("-v", "check", "-v", "--content", "tests/fixtures/valid"),
    ],
)
def test_verbose_before_or_after_the_command(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert "INFO generator.records.validate: validated 14 records" in result.stderr


def test_without_verbose_nothing_is_logged() -> None:
    result = run("check", "--content", "tests/fixtures/valid")
    assert result.returncode == 0 and "INFO" not in result.stderr


@pytest.mark.parametrize("command", ["build", "check", "serve", "new", "schema", "urls", "demo"])
def test_every_command_takes_verbose(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0 and "-v, --verbose" in result.stdout


def test_the_usage_line_is_a_command_that_works() -> None:
    result = run("--help")
    usage = result.stdout.split("usage: ", 1)[1].split(" [-h]", 1)[0]
    assert usage == ".venv/bin/python -m generator" or Path(usage.split()[0]).is_absolute()
    assert subprocess.run([*shlex.split(usage), "--help"], cwd=ROOT, capture_output=True, check=False).returncode == 0


def printed_command(line: str) -> list[str]:
    """The command at the end of a hint line, as a shell would split it."""
    return shlex.split(line.split(": ")[-1])


def a_checkout(tmp_path: Path) -> Path:
    """A folder laid out like the repository's root (the package, .venv and a copy of content/), so that a
    command printed for the root can be run as printed without touching the real content."""
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("generator", ".venv", "site_config"):
        (root / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "content", root / "content")
    return root


@pytest.mark.parametrize("own_content", [False, True])
def test_the_hint_after_new_is_a_command_that_works_as_printed(tmp_path: Path, own_content: bool) -> None:
    root = a_checkout(tmp_path)
    content = Path("content") if not own_content else tmp_path / "mein inhalt"
    if own_content:
        shutil.copytree(FIXTURES / "valid", content)
    made = subprocess.run(
        [".venv/bin/python", "-m", "generator", "new", "organization", "kreistag-neu", "--content", str(content)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    hint = made.stdout.strip()
    assert "angelegt. Die Angaben in <spitzen Klammern> ersetzen, dann prüfen: " in hint
    command = printed_command(hint)
    assert command[:4] == [".venv/bin/python", "-m", "generator", "check"]
    assert command[4:] == ([] if not own_content else ["--content", str(content)])
    checked = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("Keine Probleme:")
    assert ": placeholder " in checked.stderr  # the new file was checked: its placeholders are named


@pytest.mark.slow
def test_the_command_to_create_a_missing_committee_works_as_printed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    refused = run("new", "session", "rat-2020-06-01", "--content", str(content), "--organization", "rat")
    assert refused.returncode == 2 and "Keine Organisation mit der Kennung „rat“" in refused.stderr
    command = printed_command(refused.stderr.strip())
    assert command == [".venv/bin/python", "-m", "generator", "new", "organization", "rat", "--content", str(content)]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, check=False).returncode == 0
    again = run("new", "session", "rat-2020-06-01", "--content", str(content), "--organization", "rat")
    assert again.returncode == 0, again.stderr


def test_without_the_projects_packages_the_cli_says_what_to_run_instead_of_a_traceback() -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    # -S: no site-packages, as with a system Python that lacks the dependencies
    result = subprocess.run(
        [sys.executable, "-S", "-m", "generator", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ".venv/bin/python -m generator" in result.stderr
