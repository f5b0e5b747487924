import re
import shutil
from pathlib import Path

import pytest

from generator.editing.scaffold import KINDS, ScaffoldError, new_record
from generator.pipeline import Paths, check

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
    with pytest.raises(ScaffoldError) as info:
        new_record(content=content, kind_word="session", record_id="s-1", organization="gibt-es-nicht")
    assert str(info.value).startswith(f"Keine Organisation mit der Kennung „gibt-es-nicht“ in {content.as_posix()}/")
    assert "(vorhanden: jobcenter, kreis, kreistag" in str(info.value)
    assert str(info.value).endswith(
        f"das Gremium zuerst anlegen: .venv/bin/python -m generator new organization gibt-es-nicht --content {content}"
    )
    assert not (content / "sessions" / "s-1.yml").exists()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("kreistg", "„kreistag“, „kreis“ oder „kreis-neuss“"),
        ("kreis-tag", "„kreistag“, „kreis“ oder „kreis-neuss“"),
        ("jobcentre", "„jobcenter“"),
        ("kreis-n", "„kreis-neuss“, „kreis“ oder „kreistag“"),  # the start of an id first
    ],
)
def test_an_unknown_committee_gets_the_close_ones(content: Path, typed: str, meant: str) -> None:
    (content / "organizations" / "kreis-neuss.yml").write_text("name: Kreis Neuss\nkind: Kreis\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as info:
        new_record(content=content, kind_word="session", record_id="s-1", organization=typed, program="make-believe")
    assert f"„{typed}“ in {content.as_posix()}/organizations/ – meinten Sie {meant}? Oder das Gremium" in str(
        info.value
    )
    assert f"zuerst anlegen: make-believe new organization {typed} --content {content}" in str(info.value)


def test_an_existing_id_gets_a_free_one(content: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"gibt es schon; eine andere Kennung wählen, z\. B\. vorlage-1-2$"):
        new_record(content=content, kind_word="paper", record_id="vorlage-1")
    (content / "papers" / "vorlage-1-2.yml").write_text("x", encoding="utf-8")
    (content / "papers" / "Vorlage-1-3.yaml").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"z\. B\. vorlage-1-4$"):
        new_record(content=content, kind_word="paper", record_id="vorlage-1")
    with pytest.raises(ScaffoldError, match=r"keine gültige Kennung.*z\. B\. vorlage-1-4$"):
        new_record(content=content, kind_word="paper", record_id="Vorlage 1")
    long = "a" * 80
    (content / "papers" / f"{long}.yml").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=f"z. B. {'a' * 78}-2$"):
        new_record(content=content, kind_word="paper", record_id=long)


@pytest.mark.parametrize(("record_id", "words"), [("index", "reserviert"), ("a" * 81, "höchstens 80")])
def test_an_id_check_would_refuse_is_refused_before_writing(content: Path, record_id: str, words: str) -> None:
    with pytest.raises(ScaffoldError, match=words):
        new_record(content=content, kind_word="paper", record_id=record_id)
    assert not (content / "papers" / f"{record_id}.yml").exists()


def test_the_readme_committee_kreistag_finds_the_kreis(tmp_path: Path) -> None:
    from .conftest import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with pytest.raises(ScaffoldError) as info:
        new_record(content=content, kind_word="session", record_id="kreistag-2013-07-10", organization="kreistag")
    assert "Keine Organisation mit der Kennung „kreistag“" in str(info.value)
    assert "meinten Sie „rhein-kreis-neuss“" in str(info.value)


def test_only_the_scaffolds_placeholders_are_placeholders() -> None:
    from generator.editing.scaffold import TEMPLATES
    from generator.records.validate import PLACEHOLDER

    written = [m.group(0).strip('"') for text in TEMPLATES.values() for m in re.finditer(r'"<[^"]*>"', text)]
    assert len(written) >= 6 and all(PLACEHOLDER.match(p) for p in written), written
    for real in ("< Sitzungsteil öffentlich >", "< nichtöffentlich >", "<", "<>", "a <b>", "< x>", "<x >"):
        assert not PLACEHOLDER.match(real), real
