"""The whole run: the same content and settings give the same bytes."""

import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator import cli, pipeline
from generator.editing.demo import write_demo
from generator.pages.render import Part, page_memo, parts, render
from generator.pipeline import Paths, build, collect_less, publication, write_all
from generator.publish.builder import BuildError
from generator.records.load import load
from generator.records.problems import ContentError
from generator.records.stored import read_stored
from generator.records.validate import validate
from generator.site import workers
from generator.site.link import Site, link
from generator.site.memo import PageMemo
from generator.site.output import Page
from generator.site.write import PathClaimedTwice, WriteStats

from .conftest import CONFIG, FIXTURES, ROOT
from .test_bad_input import snapshot


@pytest.mark.slow
def test_the_same_content_gives_byte_identical_markdown_and_html(tmp_path: Path) -> None:
    """Two builds in fresh processes with different hash seeds (set order differs), of content full of ties:
    papers with the same date and title, one organisation. Every file is the same, byte for byte."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    for n in range(1, 6):
        (content / "papers" / f"gleich-{n}.yml").write_text(
            f"reference: 30/{n}/2020\ntitle: Gleicher Titel\npaper_type: Vorlage\ndate: 2020-05-05\n"
            "organization: kreis\nconsultations: [{session: kreistag-2020-03-05, organization: kreistag}]\n",
            encoding="utf-8",
        )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"build-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1600000000"}
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "--content", str(content), "--config", str(CONFIG),
             "--site", str(out / "site"), "--docs", str(out / "build" / "docs")],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        outputs.append({**snapshot(out / "build"), **{f"site/{k}": v for k, v in snapshot(out / "site").items()}})
    first, second = outputs
    assert first.keys() == second.keys()
    different = sorted(name for name in first if first[name] != second[name])
    assert different == [], different
    assert any(name.endswith("organisationen/kreis.md") for name in first)


@pytest.mark.parametrize(
    "url",
    [
        'https://x.example/"><script>alert(1)</script>',
        "javascript://x.example/%0aalert(1)",
        "https://x.example/\r\nX-Injected: 1",
        "https://x.example/a b",
        "ftp://x.example/",
        "https://x.example/\n",
    ],
)
def test_a_site_url_that_is_not_plain_http_stops_the_build_before_anything_is_written(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITE_URL", url)
    status = cli.main(
        ["build", "--content", str(FIXTURES / "valid"), "--config", str(CONFIG),
         "--site", str(tmp_path / "site"), "--docs", str(tmp_path / "docs")]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert status == 1 and "Traceback" not in out + err and "Interner Fehler" not in out + err
    assert f"{CONFIG}:6:1: invalid-value site_url (oder die Umgebungsvariable SITE_URL)" in out, out
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def test_markup_in_the_site_name_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        CONFIG.read_text(encoding="utf-8").replace(
            "site_name: Vereinbarungen und Unterschriften", 'site_name: "X</title><script>alert(1)</script>"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        publication(config)
    ((problem),) = info.value.problems
    assert (problem.code, problem.line) == ("invalid-value", 3) and "site_name" in problem.message


def test_a_mkdocs_yml_without_the_generators_hook_is_refused(tmp_path: Path) -> None:
    # Without the hook MkDocs leaves the pages' HTML links to each other and to the data files pointing at the
    # Markdown files: every link of the site would lead nowhere, and the build would not notice.
    config = tmp_path / "mkdocs.yml"
    text = CONFIG.read_text(encoding="utf-8")
    hooks_line = text.split("\nhooks:")[0].count("\n") + 2
    removed, other = text.replace("hooks:\n  - build/hooks.py\n", ""), text.replace("build/hooks.py", "andere/hooks.py")
    for changed, line in ((removed, 1), (other, hooks_line)):
        config.write_text(changed, encoding="utf-8")
        with pytest.raises(ContentError) as info:
            publication(config)
        ((problem),) = info.value.problems
        assert (problem.code, problem.line) == ("invalid-value", line) and "build/hooks.py" in problem.message
    config.write_text(text.replace("  - build/hooks.py", "  - ./build/hooks.py"), encoding="utf-8")
    assert publication(config).name == "Vereinbarungen und Unterschriften"  # the same file, written otherwise


def test_source_date_epoch_fixes_the_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert publication(CONFIG).now.isoformat() == "2020-09-13T12:26:40+00:00"


def test_an_unused_attachment_is_not_published_and_a_warning_does_not_stop_production(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    (content / "files" / "entwurf.pdf").write_bytes(b"%PDF-1.4\n% niemand nennt diese Datei\n")
    (content / "papers" / ".notiz.yml").write_text("title: x\n", encoding="utf-8")
    settings = tmp_path / "settings.yml"
    settings.write_text(COMPLETE_SETTINGS, encoding="utf-8")
    result = build(
        Paths(content=content, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG, settings=settings),
        production=True,
    )
    assert [(w.code, w.path) for w in result.warnings] == [
        ("unused-file", "files/entwurf.pdf"),
        ("hidden-file", "papers/.notiz.yml"),
    ]
    assert (tmp_path / "site" / "dateien" / "vereinbarung-2020.pdf").is_file()  # named by an agreement
    assert not (tmp_path / "site" / "dateien" / "entwurf.pdf").exists()


COMPLETE_SETTINGS = """\
operator: {name: Kreis, address: Straße 1, email: a@example.org, phone: "1", represented_by: Landrat}
privacy: {officer: Stelle, officer_email: d@example.org}
accessibility: {contact_email: b@example.org, statement_date: 2026-11-25, enforcement_body: Stelle}
open_data: {licence: Datenlizenz Deutschland, licence_url: "https://www.govdata.de/dl-de/by-2-0"}
"""


def test_check_refuses_what_build_would_refuse_in_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import check

    monkeypatch.setenv("SITE_URL", "ftp://example.org/")
    with pytest.raises(ContentError) as info:
        check(Paths(content=FIXTURES / "valid", config=CONFIG))
    assert [p.code for p in info.value.problems] == ["invalid-value"]


def test_the_generators_stages_run_with_fewer_collections_and_the_thresholds_come_back() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collect_less():
        assert gc.get_threshold()[0] >= 100_000 > before[0]
        raise RuntimeError("a failed stage")
    assert gc.get_threshold() == before


def _write_all(site: Site, docs: Path, *, memo: PageMemo | None = None) -> WriteStats:
    return write_all(
        site, docs, files=site.records.files, settings=None, history=None, publication=PUBLISHED, memo=memo
    )


def _in_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """write_all in two processes from here on, whatever the size of the site, on a one-core runner too."""
    monkeypatch.setattr(pipeline, "TWO_PROCESSES_FROM", 0)
    monkeypatch.setattr(pipeline, "cores", lambda: 2)


PUBLISHED = publication(CONFIG)  # one build time for all (the feed and the calendar carry it)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_rendered_and_written_by_two_processes_are_those_of_one(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "TWO_PROCESSES_FROM", 10**9)
    one = _write_all(demo_site, tmp_path / "one" / "docs")
    _in_two_processes(monkeypatch)
    (tmp_path / "two" / "docs" / "vorlagen").mkdir(parents=True)
    (tmp_path / "two" / "docs" / "vorlagen" / "geloescht.md").write_text("# Gelöscht\n", encoding="utf-8")
    forks: list[int] = []

    def forked(count: int) -> AbstractContextManager[ProcessPoolExecutor]:
        forks.append(count)
        return workers.forked(count)

    monkeypatch.setattr(pipeline, "forked", forked)
    two = _write_all(demo_site, tmp_path / "two" / "docs")
    assert forks == [1]  # really in two processes
    assert (two.written, two.unchanged, two.removed) == (one.written, 0, 1)
    assert sorted(two.paths) == sorted(one.paths) and two.kept == {
        tmp_path / "two" / p.relative_to(tmp_path / "one") for p in one.kept
    }
    for folder in ("docs", "docs.static"):
        assert _tree(tmp_path / "two" / folder) == _tree(tmp_path / "one" / folder)


def test_the_json_of_renamed_records_is_written_at_every_address_by_the_process_that_writes_their_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "content"
    write_demo(records=150, out=corpus)
    for paper in sorted((corpus / "papers").glob("*.yml")):
        paper.write_text(f"former_ids: [alt-{paper.stem}]\n" + paper.read_text(encoding="utf-8"), encoding="utf-8")
    site = link(validate(load(corpus)))
    main, other = parts(site, share=pipeline.OTHERS_SHARE)
    assert any(k == "papers" for k, _ in main.records) and any(k == "papers" for k, _ in other.records)
    monkeypatch.setattr(pipeline, "TWO_PROCESSES_FROM", 10**9)
    _write_all(site, tmp_path / "one" / "docs")
    _in_two_processes(monkeypatch)
    _write_all(site, tmp_path / "two" / "docs")
    one, two = _tree(tmp_path / "one" / "docs.static"), _tree(tmp_path / "two" / "docs.static")
    assert one == two
    for paper_id in site.records.of_kind("papers"):
        assert one[f"vorlagen/alt-{paper_id}.json"] == one[f"vorlagen/{paper_id}.json"]


def test_the_memo_keeps_the_digests_of_the_pages_the_other_process_rendered(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _in_two_processes(monkeypatch)
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    memo = page_memo(cache, docs_dir=docs, demo=True)
    _write_all(demo_site, docs, memo=memo)
    memo.save()
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    stored = read_stored(cache / "pages.marshal", memo.table.head, entry=lambda _: True)
    assert set(stored) == pages  # those of both processes


def test_with_a_warm_memo_the_other_process_takes_every_record_page_and_the_site_is_that_of_a_clean_build(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "TWO_PROCESSES_FROM", 10**9)
    _write_all(demo_site, tmp_path / "clean" / "docs")
    _in_two_processes(monkeypatch)
    shares: list[float] = []

    def parted(site: Site, *, share: float) -> tuple[Part, Part]:
        shares.append(share)
        return parts(site, share=share)

    monkeypatch.setattr(pipeline, "parts", parted)
    docs, cache = tmp_path / "cached" / "docs", tmp_path / "cache"
    for _ in range(2):  # the first build fills the memo, the second reads from it
        memo = page_memo(cache, docs_dir=docs, demo=True)
        stats = _write_all(demo_site, docs, memo=memo)
        memo.save()
    assert shares == [pipeline.OTHERS_SHARE, pipeline.OTHERS_SHARE_WARM] and shares[0] < shares[1] == 1.0
    assert (stats.written, stats.removed) == (0, 0) and stats.unchanged > 0
    for folder in ("docs", "docs.static"):
        assert _tree(tmp_path / "cached" / folder) == _tree(tmp_path / "clean" / folder)


def test_a_file_both_processes_claim_stops_the_build(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main, other = parts(demo_site, share=0.5)
    both = next(iter(other.records))
    _in_two_processes(monkeypatch)
    monkeypatch.setattr(pipeline, "parts", lambda site, share: (replace(main, records=main.records | {both}), other))
    with pytest.raises(PathClaimedTwice):
        _write_all(demo_site, tmp_path / "docs")


def test_a_failure_in_the_other_process_stops_the_build_with_its_error(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _in_two_processes(monkeypatch)
    rendered = render

    def failing(site: Site, *, part: Part | None = None, **options: Any) -> Iterator[Page]:
        if part is not None and not part.main:
            raise OSError(28, "Auf dem Gerät ist kein Speicherplatz mehr verfügbar")
        return rendered(site, part=part, **options)

    monkeypatch.setattr(pipeline, "render", failing)
    with pytest.raises(OSError, match="kein Speicherplatz"):
        _write_all(demo_site, tmp_path / "docs")


def test_the_other_process_killed_stops_the_build_with_a_message(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _in_two_processes(monkeypatch)
    monkeypatch.setattr(pipeline, "_write_share", _killed)
    with pytest.raises(BuildError, match="zweite Prozess"):
        _write_all(demo_site, tmp_path / "docs")


def _killed() -> None:
    """The other process's work, where it is killed (as by the system when memory runs out)."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_other_process_stops_writing_when_the_build_that_forked_it_is_gone() -> None:
    pages = [Page("a.md", "A"), Page("b.md", "B")]
    assert list(pipeline._while_parent_lives(iter(pages), os.getppid())) == pages
    with pytest.raises(SystemExit):
        next(pipeline._while_parent_lives(iter(pages), os.getppid() + 1))


def test_a_system_that_cannot_fork_renders_in_one_process(
    demo_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _in_two_processes(monkeypatch)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", _cannot_fork)
    with caplog.at_level(logging.WARNING, logger="generator.pipeline"):
        stats = _write_all(demo_site, tmp_path / "docs")
    assert "second process not started" in caplog.text
    monkeypatch.setattr(pipeline, "TWO_PROCESSES_FROM", 10**9)
    assert stats.written == _write_all(demo_site, tmp_path / "one").written > 0
    assert _tree(tmp_path / "docs") == _tree(tmp_path / "one")


def _cannot_fork(*args: object, **kwargs: object) -> None:
    raise BlockingIOError(11, "Resource temporarily unavailable")
