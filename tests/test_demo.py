"""The synthetic corpus: deterministic, valid, marked as demo data, never written into content/."""

import hashlib
from pathlib import Path

import pytest

from generator import cli
from generator.editing.demo import DemoTargetError, write_demo
from generator.pipeline import Paths, build
from generator.records.load import load
from generator.records.validate import validate

from .conftest import CONFIG, CONTENT


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "corpus"
    write_demo(records=200, out=out)
    return out


def test_same_seed_same_files_other_seed_other_files(corpus: Path, tmp_path: Path) -> None:
    write_demo(records=200, out=tmp_path / "again")
    assert digest(corpus) == digest(tmp_path / "again")
    write_demo(records=200, out=tmp_path / "other", seed=7)
    assert digest(corpus) != digest(tmp_path / "other")


def test_corpus_is_valid_with_realistic_proportions(corpus: Path) -> None:
    records = validate(load(corpus))
    assert records.demo
    assert len(records) == 200
    assert len(records.papers) + len(records.sessions) > 0.8 * len(records)
    statuses = {p.signature.status.value for a in records.agreements.values() for p in a.parties}
    assert len(statuses) >= 4
    assert any(i.actuals for a in records.agreements.values() for g in a.goals for i in g.indicators)
    assert all("/" in p.reference for p in records.papers.values())


@pytest.mark.slow
def test_small_corpus_builds_and_every_page_says_demo(corpus: Path, tmp_path: Path) -> None:
    result = build(Paths(content=corpus, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert result.records == 200
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        if page.name != "404.html":
            assert "Demo-Daten" in page.read_text(encoding="utf-8"), page
    # more papers than one overview shows: they are grouped into year pages
    assert (tmp_path / "site" / "vorlagen" / "jahre" / "2014" / "index.html").is_file()
    overview = (tmp_path / "site" / "vorlagen" / "index.html").read_text(encoding="utf-8")
    assert 'href="jahre/2014/"' in overview


def test_real_content_is_never_overwritten(tmp_path: Path) -> None:
    with pytest.raises(DemoTargetError):
        write_demo(records=10, out=CONTENT, protected=CONTENT)
    with pytest.raises(DemoTargetError):
        write_demo(records=10, out=CONTENT / "papers", protected=CONTENT)
    (tmp_path / "fremd").mkdir()
    (tmp_path / "fremd" / "wichtig.txt").write_text("x")
    with pytest.raises(DemoTargetError):
        write_demo(records=10, out=tmp_path / "fremd")
    assert (tmp_path / "fremd" / "wichtig.txt").exists()


def test_cli_demo_refuses_content_with_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(CONTENT.parent)
    assert cli.main(["demo", "--records", "10", "--out", "content"]) == 2
    assert cli.main(["demo", "--records", "20", "--out", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "demo" / ".demo").is_file()


def test_a_city_sized_body_has_the_sessions_and_long_agendas_asked_for(tmp_path: Path) -> None:
    """`demo --sessions 40 --agenda-items 300` (the benchmark's Karlsruhe-sized body, scaled down): that many
    sessions; most agendas short, some long, none longer than asked; still valid."""
    assert cli.main(["demo", "--records", "400", "--out", str(tmp_path / "x"), "--sessions", "40"]) == 0
    assert len(list((tmp_path / "x" / "sessions").glob("*.yml"))) == 40
    write_demo(records=600, out=tmp_path / "city", sessions=200, agenda_items=300)
    records = validate(load(tmp_path / "city"))
    lengths = sorted(len(s.agenda_items) for s in records.sessions.values())
    assert len(lengths) == 200 and lengths[0] >= 3 and lengths[-1] <= 300
    assert lengths[len(lengths) // 2] < 20 and lengths[-1] > 100  # skewed: half under 20, a few long ones
    write_demo(records=200, out=tmp_path / "d")
    default = validate(load(tmp_path / "d"))
    assert max(len(s.agenda_items) for s in default.sessions.values()) <= 10  # the default stays 3 to 10
