from pathlib import Path

from generator.site.output import Page
from generator.site.write import static_dir, write


def test_only_changed_files_are_rewritten_and_stale_ones_removed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = write([Page("index.md", "A"), Page("vorlagen/a.md", "B"), Page("vorlagen/b.md", "C")], docs)
    assert (first.written, first.unchanged, first.removed) == (3, 0, 0)
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    inode = (docs / "vorlagen" / "a.md").stat().st_ino

    second = write([Page("index.md", "A2"), Page("vorlagen/a.md", "B")], docs)

    assert (second.written, second.unchanged, second.removed) == (1, 1, 1)
    assert (docs / "vorlagen" / "a.md").stat().st_mtime_ns == before[docs / "vorlagen" / "a.md"]
    assert (docs / "vorlagen" / "a.md").stat().st_ino == inode
    assert (docs / "index.md").read_text() == "A2"
    assert not (docs / "vorlagen" / "b.md").exists()


def test_empty_folders_are_removed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write([Page("index.md", "A"), Page("sitzungen/x.md", "B")], docs)
    write([Page("index.md", "A")], docs)
    assert not (docs / "sitzungen").exists()
    assert not list(docs.rglob("*.tmp"))


def test_attachments_are_copied_and_removed_with_their_record(tmp_path: Path) -> None:
    from generator.records.load import Attachment

    source = tmp_path / "brief.pdf"
    source.write_bytes(b"%PDF-1.4 x")
    docs = tmp_path / "docs"
    stats = write([Page("index.md", "A")], docs, files={"brief.pdf": Attachment(source, 10)})
    assert stats.written == 2
    assert (static_dir(docs) / "dateien" / "brief.pdf").read_bytes() == b"%PDF-1.4 x"  # beside the pages
    assert write([Page("index.md", "A")], docs, files={"brief.pdf": Attachment(source, 10)}).unchanged == 2
    write([Page("index.md", "A")], docs)
    assert not (static_dir(docs) / "dateien").exists()


def test_two_outputs_never_claim_one_path(tmp_path: Path) -> None:
    import pytest

    from generator.site.write import PathClaimedTwice

    pages = [Page("organisationen/index.md", "Übersicht"), Page("organisationen/index.md", "ein Datensatz")]
    with pytest.raises(PathClaimedTwice, match=r"organisationen/index\.md"):
        write(pages, tmp_path / "docs")


def test_what_no_output_claims_is_removed_links_too_and_nothing_they_point_to(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "draussen"
    (outside / "bleibt").mkdir(parents=True)
    (outside / "bleibt" / "datei.txt").write_text("x", encoding="utf-8")
    write([Page("index.md", "A"), Page("a/b/c.md", "C"), Page("a/d.json", "D")], docs)
    (docs / "a" / "b" / "alt.md").write_text("alt", encoding="utf-8")  # left by an earlier build
    (docs / "a" / "verweis").symlink_to(outside / "bleibt")  # a link to a folder: removed, not followed
    (docs / "leer" / "leerer").mkdir(parents=True)
    stats = write([Page("index.md", "A"), Page("a/b/c.md", "C")], docs)
    assert stats.removed == 3  # alt.md, the link, the JSON file beside the pages
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["a", "a/b", "a/b/c.md", "index.md"]
    assert not static_dir(docs).exists() or not any(static_dir(docs).iterdir())
    assert (outside / "bleibt" / "datei.txt").read_text(encoding="utf-8") == "x"
