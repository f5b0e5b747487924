import shutil
from pathlib import Path

import pytest

from generator.pipeline import Paths, check
from generator.scaffold import KINDS, ScaffoldError, new_record

from .conftest import FIXTURES


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "valid", tmp_path / "content")
    return tmp_path / "content"


def test_every_new_record_passes_check_as_written(content: Path) -> None:
    before = len(check(Paths(content=content)).records)
    for word in KINDS:
        path = new_record(content=content, kind_word=word, record_id=f"neu-{word}", organization="kreistag")
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{KINDS[word]}.schema.json\n")
    assert len(check(Paths(content=content)).records) == before + len(KINDS)


def test_the_schema_comment_points_at_the_checked_in_schema() -> None:
    from .conftest import ROOT

    for kind in KINDS.values():
        target = (ROOT / "content" / kind / "x.yml").parent / "../../schemas" / f"{kind}.schema.json"
        assert target.resolve().is_file()


def test_refuses_an_existing_or_invalid_id_and_never_overwrites(content: Path) -> None:
    existing = content / "papers" / "vorlage-1.yml"
    before = existing.read_bytes()
    with pytest.raises(ScaffoldError, match="gibt es schon"):
        new_record(content=content, kind_word="paper", record_id="vorlage-1")
    assert existing.read_bytes() == before
    for bad, hint in (("Vorlage 12/2013", "vorlage-12-2013"), ("../x", "x"), ("ÄNDERUNG", "aenderung")):
        with pytest.raises(ScaffoldError, match=f"keine gültige Kennung.*z. B. {hint}$"):
            new_record(content=content, kind_word="paper", record_id=bad)
    assert not (content.parent / "x.yml").exists()


def test_a_session_needs_a_known_committee(content: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"--organization KENNUNG angeben \(vorhanden: jobcenter, kreis, kreistag"):
        new_record(content=content, kind_word="session", record_id="s-1")
    with pytest.raises(ScaffoldError):
        new_record(content=content, kind_word="session", record_id="s-1", organization="gibt-es-nicht")
    assert not (content / "sessions" / "s-1.yml").exists()
