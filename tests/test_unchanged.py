"""A build with nothing to do (generator/publish/unchanged.py): it keeps the last build's site only while every
input and every output file is as that build left them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli
from generator.pipeline import Paths, Result, build
from generator.publish.unchanged import RECORD
from generator.records.problems import ContentError

from .conftest import CONFIG, FIXTURES
from .test_cache import differences

pytestmark = pytest.mark.slow


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    shutil.copytree(FIXTURES / "valid", tmp_path / "content")
    settings = tmp_path / "settings.yml"
    shutil.copy(CONFIG.parent / "site_config" / "settings.yml", settings)
    return Paths(
        content=tmp_path / "content",
        site=tmp_path / "site",
        docs=tmp_path / "docs",
        config=CONFIG,
        settings=settings,
        cache=tmp_path / "cache",
    )


def test_a_second_build_of_the_same_inputs_keeps_the_site_and_reports_as_the_first(
    tmp_path: Path, paths: Paths
) -> None:
    first = build(paths)
    assert first.ran and (tmp_path / "cache" / RECORD).is_file()
    page = paths.site / "vorlagen" / "vorlage-1" / "index.html"
    before = page.stat().st_mtime_ns
    second = build(paths)
    assert not second.ran
    assert (second.records, second.site_url, second.warnings) == (first.records, first.site_url, first.warnings)
    assert page.stat().st_mtime_ns == before  # not built again
    clean = Paths(content=paths.content, site=tmp_path / "clean", docs=tmp_path / "cd", config=CONFIG)
    build(clean)
    assert differences(paths.site, clean.site) == []


def record(paths: Paths) -> Path:
    assert paths.cache is not None
    return paths.cache / RECORD


def _edit_content(paths: Paths) -> None:
    path = paths.content / "papers" / "vorlage-2.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: X", 1), encoding="utf-8")


def _same_size_and_time(paths: Paths) -> None:
    """The same text with a new time (as after a checkout): read, found equal, nothing to build."""
    path = paths.content / "papers" / "vorlage-2.yml"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _settings(paths: Paths) -> None:
    text = paths.settings.read_text(encoding="utf-8")
    paths.settings.write_text(text.replace("  name: ", "  name: Kreis X ", 1), encoding="utf-8")


def _site_file_removed(paths: Paths) -> None:
    (paths.site / "vorlagen" / "vorlage-1" / "index.html").unlink()


def _docs_file_edited(paths: Paths) -> None:
    (paths.docs / "index.md").write_text("von Hand", encoding="utf-8")


def _another_day(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")


@pytest.mark.parametrize(
    ("change", "runs"),
    [
        (lambda p, m: _edit_content(p), True),
        (lambda p, m: _same_size_and_time(p), False),
        (lambda p, m: _settings(p), True),
        (lambda p, m: _site_file_removed(p), True),
        (lambda p, m: _docs_file_edited(p), True),
        (_another_day, True),
        (lambda p, m: m.setenv("SITE_URL", "https://ziele.example.org/"), True),
        (lambda p, m: record(p).write_text("{kaputt", encoding="utf-8"), True),
    ],
    ids=["content", "only-a-new-time", "settings", "site-file-removed", "docs-file", "day", "site-url", "record"],
)
def test_any_changed_input_or_output_makes_the_build_run(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, change: object, runs: bool
) -> None:
    build(paths)
    change(paths, monkeypatch)  # type: ignore[operator]
    result: Result = build(paths)
    assert result.ran is runs
    assert (paths.site / "vorlagen" / "vorlage-1" / "index.html").is_file()  # a removed file is built again
    assert build(paths).ran is False  # and then the build has nothing to do again


def test_the_production_flag_makes_the_build_run(paths: Paths) -> None:
    build(paths)
    assert build(paths, production=False).ran is False
    with pytest.raises(ContentError):
        build(paths, production=True)  # its own check (the settings are missing) runs: not the last build's
    assert not record(paths).exists()  # a failed build leaves no record: the next one runs
    assert build(paths).ran is True


def test_a_same_size_edit_with_its_old_time_put_back_is_seen(paths: Paths) -> None:
    """Size and time alone prove nothing: the inode's status-change time moves with every write."""
    build(paths)
    path = paths.content / "papers" / "vorlage-2.yml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("title: ", "title: ", 1).replace("Bericht", "Berixht", 1)
    assert changed != text and len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(paths).ran is True
    assert "Berixht" in (paths.site / "vorlagen" / "vorlage-2" / "index.html").read_text(encoding="utf-8")


def test_a_new_change_note_in_the_history_makes_the_build_run(paths: Paths) -> None:
    def git(*args: str) -> None:  # the repository around the content folder, as in a site's checkout
        subprocess.run(["git", "-C", str(paths.content.parent), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "content")
    git("-c", "user.name=R", "-c", "user.email=r@example.org", "commit", "-qm", "Erste Fassung")
    build(paths)
    assert build(paths).ran is False
    # The same files, the same newest commit's place: only its message (the public note) differs.
    note = "Neue Fassung\n\nÄnderung: Titel berichtigt"
    git("-c", "user.name=R", "-c", "user.email=r@example.org", "commit", "-q", "--amend", "-m", note)
    assert build(paths).ran is True
    assert "Titel berichtigt" in (paths.site / "aenderungen.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "damaged",
    [
        {"files": {"papers/vorlage-2.yml": 5}},
        {"files": {"papers/vorlage-2.yml": [1, 2]}},
        {"result": {"records": 1, "site_url": "x", "unchanged": 0, "warnings": [{"path": 5}]}},
        {"result": {"records": "viele", "site_url": "x", "unchanged": 0, "warnings": []}},
        {"recorded_ns": "gestern"},
    ],
    ids=["entry-a-number", "entry-too-short", "warning-wrong", "records-text", "time-text"],
)
def test_a_record_with_wrong_types_inside_makes_a_normal_build(paths: Paths, damaged: dict[str, object]) -> None:
    build(paths)
    data = json.loads(record(paths).read_text(encoding="utf-8"))
    record(paths).write_text(json.dumps({**data, **damaged}), encoding="utf-8")
    result = build(paths)
    assert result.records > 0 and result.warnings == build(paths).warnings


def test_a_link_in_the_content_folder_is_left_to_the_build_to_report(paths: Paths) -> None:
    build(paths)
    (paths.content / "papers" / "weg.yml").symlink_to(paths.content / "papers" / "fehlt.yml")  # a broken link
    with pytest.raises(ContentError) as info:
        build(paths)
    assert [p.code for p in info.value.problems] == ["symlink"]


def test_a_failed_build_leaves_no_record(paths: Paths) -> None:
    build(paths)
    broken = paths.content / "papers" / "vorlage-2.yml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text("title: [", encoding="utf-8")
    with pytest.raises(ContentError):
        build(paths)
    assert not record(paths).exists()
    broken.write_text(good, encoding="utf-8")  # back to the inputs of the record that was removed
    assert build(paths).ran is True


def test_the_command_line_says_that_nothing_changed(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["build", "--content", str(paths.content), "--site", str(paths.site), "--docs", str(paths.docs)]
    args += ["--config", str(paths.config), "--settings", str(paths.settings), "--cache", str(paths.cache)]
    assert cli.main(args) == 0
    first = capsys.readouterr()
    assert "Website gebaut: " in first.out
    assert cli.main(args) == 0
    second = capsys.readouterr()
    assert "Nichts geändert seit dem letzten Build: " in second.out and "Website gebaut" not in second.out
    warnings = [line for line in first.err.splitlines() if line.startswith("Warnung: ")]
    assert warnings and warnings == [line for line in second.err.splitlines() if line.startswith("Warnung: ")]
    assert cli.main([*args, "--no-cache"]) == 0  # without the cache, nothing is compared: the build runs
    assert "Website gebaut: " in capsys.readouterr().out
